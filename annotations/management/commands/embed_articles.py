from django.core.management.base import BaseCommand

from annotations import services

from ._progress import EmbedProgress


class Command(BaseCommand):
    help = (
        "Compute the search vectors of articles and published prior fact-checks that have none "
        "or whose text changed (--all: every one again). Batched; safe to interrupt and re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", dest="force", action="store_true", help="re-embed everything")

    def handle(self, *args, force: bool, **options):
        progress = EmbedProgress(self)
        embedded = services.vectors_embed_pending(force=force, progress=progress)
        progress.done()
        self.stdout.write(f"Embedded {embedded} item(s).")
