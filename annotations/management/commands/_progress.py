"""Progress of a long command on stderr: a line rewritten in place on a terminal, a line
every thousand records otherwise (a log stays readable)."""

import sys


class ProgressPrinter:
    def __init__(self, command, noun: str):
        self.command = command
        self.noun = noun
        self.interactive = sys.stderr.isatty()
        self.every = 1 if self.interactive else 1000

    def __call__(self, report, total) -> None:
        seen = report.seen
        if seen % self.every and seen != total:
            return
        line = f"{seen}/{total} {self.noun}" if total else f"{seen} {self.noun}"
        line += f", {report.created} new"
        if self.interactive:
            self.command.stderr.write(f"\r{line}", ending="")
        else:
            self.command.stderr.write(line)

    def done(self) -> None:
        if self.interactive:
            self.command.stderr.write("")
