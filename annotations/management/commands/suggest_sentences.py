from django.core.management.base import BaseCommand, CommandError

from annotations import services
from annotations.models import Article

from ._progress import StderrLine


class ScoreProgress(StderrLine):
    """Articles scored: every one on a terminal, every hundredth in a log."""

    def __call__(self, seen: int, total: int) -> None:
        if seen % (1 if self.interactive else 100) and seen != total:
            return
        self.write(f"scoring suggestions: {seen}/{total} articles")


class Command(BaseCommand):
    help = (
        "Score the sentences of an article (--article ID) or of every article the desk "
        "annotates (--all) now, without a worker: what the suggestion job runs."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--article", type=int, metavar="ID", help="one article, by id")
        which.add_argument(
            "--all",
            action="store_true",
            help="every article (those already scored at their revision are skipped)",
        )

    def handle(self, *args, article: int | None, all: bool, **options):
        if article is not None:
            found = Article.objects.filter(pk=article).values_list("is_archive", flat=True)
            if not found:
                raise CommandError(f"No article with id {article}.")
            if found[0]:
                raise CommandError(f"Article {article} is in the archive: it is not scored.")
            scored = services.article_suggestions_refresh(article_id=article, force=True)
            self.stdout.write(f"Article {article}: {scored} sentence(s) scored.")
            return
        progress = ScoreProgress(self)
        scored = services.suggestions_score_all(progress=progress)
        progress.done()
        self.stdout.write(f"Scored {scored} sentence(s).")
