import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations import search
from annotations.claim_import import ClaimImportReport, import_claims_file
from annotations.importing import ImportFileError


class Command(BaseCommand):
    help = (
        "Import a `native` (.json) or `native-jsonl` (.jsonl/.ndjson) export of another "
        "instance: articles matched by url or created, claims with their sources, verdicts "
        "and review state. Importing the same file again creates nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a file written by export_claims")

    def handle(self, *args, path: Path, **options):
        interactive = sys.stderr.isatty()
        every = 1 if interactive else 1000

        def progress(report: ClaimImportReport) -> None:
            if report.seen % every == 0:
                line = f"{report.seen} claims, {report.created} new"
                self.stderr.write(f"\r{line}" if interactive else line, ending="")
                if not interactive:
                    self.stderr.write("")

        try:
            report = import_claims_file(path, progress=progress)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        if interactive:
            self.stderr.write("")
        if report.articles_created:
            search.refresh_statistics()  # the new words' frequencies, for query pruning
        for where, message in report.errors:
            self.stderr.write(self.style.ERROR(f"{path.name}, {where}: {message}"))
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
