import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations import search
from annotations.importing import ImportFileError, ImportReport, import_path


class Command(BaseCommand):
    help = (
        "Import articles from JSON Lines (one article per line: title, body, url, publisher, "
        "published_at, language, optional claims) or plain .txt files (one article each). "
        "Idempotent by url; bad lines are reported with their number and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a .jsonl/.ndjson/.txt file or a folder")
        parser.add_argument(
            "--archive", action="store_true", help="mark as prior coverage, only to be searched"
        )

    def handle(self, *args, path: Path, archive: bool, **options):
        interactive = sys.stderr.isatty()
        every = 1 if interactive else 1000

        def progress(report: ImportReport, total: int) -> None:
            if report.seen % every == 0 or report.seen == total:
                line = f"{report.seen}/{total} lines, {report.created} new"
                if interactive:
                    self.stderr.write(f"\r{line}", ending="")
                else:
                    self.stderr.write(line)

        try:
            report = import_path(path, archive=archive, progress=progress)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        if interactive:
            self.stderr.write("")
        if report.created:
            search.refresh_statistics()  # the new words' frequencies, for query pruning
        for source, number, message in report.errors:
            self.stderr.write(self.style.ERROR(f"{source}, line {number}: {message}"))
        self.stdout.write(
            f"Imported {report.created} article(s) ({report.prior_claims} prior fact-check(s)); "
            f"{report.existing} already present; {len(report.errors)} bad line(s) skipped."
        )
