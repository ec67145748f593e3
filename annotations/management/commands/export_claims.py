import datetime as dt
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware

from annotations import exports
from annotations.models import ClaimStatus

PROGRESS_EVERY = 1000


def parse_since(value: str):
    """A date or date-time; without a zone it is read as UTC."""
    moment = parse_datetime(value)
    if moment is None:
        raise CommandError(f"--since {value!r} is not a date or date-time (e.g. 2026-01-31)")
    return make_aware(moment, dt.UTC) if is_naive(moment) else moment


class Command(BaseCommand):
    help = "Stream claims as JSON: native, native-jsonl, claimreview or w3c."

    def add_arguments(self, parser):
        parser.add_argument("--format", default="native", choices=exports.FORMATS)
        parser.add_argument("--status", choices=ClaimStatus.values)
        parser.add_argument("--article", type=int)
        parser.add_argument("--since", help="only claims changed since this date")
        parser.add_argument("--output", type=Path, help="a file (default: standard output)")

    def handle(self, *args, format, status, article, since, output, **options):
        claims = exports.claims_for_export(
            fmt=format,
            status=status,
            article=article,
            since=parse_since(since) if since else None,
        )
        report = exports.ExportReport()
        chunks = exports.write(format, claims, report=report)
        interactive = self.stderr.isatty()
        try:
            if output:
                self._to_file(output, chunks, report, interactive)
            else:
                for chunk in chunks:
                    self.stdout.write(chunk, ending="")
                self.stdout.flush()
        except BrokenPipeError:
            raise CommandError("the reader closed the pipe; the export is incomplete") from None
        left_out = report.left_out_without_verdict
        self.stderr.write(
            f"Exported {report.exported} claim(s)"
            + (f"; {left_out} left out (no verdict)" if left_out else "")
            + "."
        )

    def _to_file(self, output: Path, chunks, report, interactive: bool) -> None:
        """Write beside the target and rename at the end: a failed export never leaves a
        truncated file under the final name."""
        output = output.resolve()
        try:
            handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by the with below
                "w",
                encoding="utf-8",
                dir=output.parent,
                prefix=f".{output.name}.",
                delete=False,
            )
        except OSError as error:
            raise CommandError(f"could not write {output}: {error}") from None
        try:
            with handle:
                for chunk in chunks:
                    handle.write(chunk)
                    if interactive and report.exported % PROGRESS_EVERY == 0:
                        self.stderr.write(f"\r{report.exported} claims", ending="")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(handle.name, output)
        except OSError as error:
            Path(handle.name).unlink(missing_ok=True)
            raise CommandError(f"could not write {output}: {error}") from None
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
        if interactive:
            self.stderr.write("")
