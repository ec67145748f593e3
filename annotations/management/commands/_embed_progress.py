"""Progress of embedding on stderr, in the shape of _progress.ProgressPrinter."""

import sys
import time


class EmbedProgress:
    def __init__(self, command):
        self.command = command
        self.interactive = sys.stderr.isatty()
        self.began = time.perf_counter()
        self.last = 0.0

    def __call__(self, seen: int, total: int, embedded: int) -> None:
        now = time.perf_counter()
        if now - self.last < (0.2 if self.interactive else 10) and seen != total:
            return
        self.last = now
        rate = embedded / max(now - self.began, 1e-9)
        line = f"embedding: {seen}/{total} articles, {embedded} items embedded ({rate:.0f}/s)"
        if self.interactive:
            self.command.stderr.write(f"\r{line}", ending="")
        else:
            self.command.stderr.write(line)

    def done(self) -> None:
        if self.interactive:
            self.command.stderr.write("")
