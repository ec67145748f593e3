from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.imports import ImportFileError, import_claims

from ._progress import ProgressPrinter


class Command(BaseCommand):
    help = (
        "Import a `native` (.json) or `native-jsonl` (.jsonl/.ndjson) export of another "
        "instance: articles matched by url or created, claims with their sources, notes, "
        "verdicts and review state. Importing the same file again creates nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a file written by export_claims")

    def handle(self, *args, path: Path, **options):
        progress = ProgressPrinter(self, "claims")
        try:
            report = import_claims(path, progress=progress)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        progress.done()
        for where, message in report.errors:
            self.stderr.write(self.style.ERROR(f"{where}: {message}"))
        if report.accounts_created:
            self.stderr.write(
                "Inactive accounts created to keep who wrote and reviewed the claims: "
                + ", ".join(report.accounts_created)
            )
        self.stdout.write(
            f"Imported {report.created} claim(s) ({report.articles_created} new article(s)); "
            f"{report.existing} already present; {len(report.errors)} bad claim(s) skipped."
        )
        if report.broken:
            raise CommandError(report.broken + "; the claims after it were not imported")
