"""Progress of a long command on stderr: a line rewritten in place on a terminal, a line
now and then otherwise (a log stays readable)."""

import sys
import time


class StderrLine:
    """Writes a command's progress line: in place on a terminal, as log lines elsewhere."""

    def __init__(self, command):
        self.command = command
        self.interactive = sys.stderr.isatty()

    def write(self, line: str) -> None:
        if self.interactive:
            self.command.stderr.write(f"\r{line}", ending="")
        else:
            self.command.stderr.write(line)

    def done(self) -> None:
        if self.interactive:
            self.command.stderr.write("")


class ProgressPrinter(StderrLine):
    """Records imported: every record on a terminal, every thousandth in a log."""

    def __init__(self, command, noun: str):
        super().__init__(command)
        self.noun = noun
        self.every = 1 if self.interactive else 1000

    def __call__(self, report, total) -> None:
        seen = report.seen
        if seen % self.every and seen != total:
            return
        line = f"{seen}/{total} {self.noun}" if total else f"{seen} {self.noun}"
        self.write(line + f", {report.created} new")


class EmbedProgress(StderrLine):
    """Articles embedded and the rate: five times a second on a terminal, every 10 s in a
    log."""

    def __init__(self, command):
        super().__init__(command)
        self.began = time.perf_counter()
        self.last = 0.0

    def __call__(self, seen: int, total: int, embedded: int) -> None:
        now = time.perf_counter()
        if now - self.last < (0.2 if self.interactive else 10) and seen != total:
            return
        self.last = now
        rate = embedded / max(now - self.began, 1e-9)
        self.write(f"embedding: {seen}/{total} articles, {embedded} items embedded ({rate:.0f}/s)")
