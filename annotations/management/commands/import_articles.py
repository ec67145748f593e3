from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.imports import ImportFileError, import_articles

from ._progress import EmbedProgress, ProgressPrinter


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
        progress = ProgressPrinter(self, "lines")
        try:
            report = import_articles(
                path, archive=archive, progress=progress, embed_progress=EmbedProgress(self)
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        progress.done()
        for where, message in report.errors:
            self.stderr.write(self.style.ERROR(f"{where}: {message}"))
        self.stdout.write(
            f"Imported {report.created} article(s) ({report.prior_claims} prior fact-check(s)); "
            f"{report.existing} already present; {len(report.errors)} bad line(s) skipped; "
            f"{report.embedded} item(s) embedded for search."
        )
