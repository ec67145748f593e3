import json

from django.core.management.base import BaseCommand, CommandError

from annotations.search import MAX_LIMIT, find_related


class Command(BaseCommand):
    help = "Related prior coverage for a text, ranked by the engine the background job uses."

    def add_arguments(self, parser):
        parser.add_argument("--text", required=True, help="the claim (or any text) to look for")
        parser.add_argument("--limit", type=int, default=10, help=f"1 to {MAX_LIMIT}")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print a JSON array"
        )

    def handle(self, *args, text: str, limit: int, as_json: bool, **options):
        if not 1 <= limit <= MAX_LIMIT:
            raise CommandError(f"--limit must be between 1 and {MAX_LIMIT}")
        matches = find_related(text, limit=limit)
        if as_json:
            self.stdout.write(json.dumps([m.as_json() for m in matches], ensure_ascii=False))
            return
        if not matches:
            self.stdout.write("No related coverage found.")
        for rank, match in enumerate(matches, start=1):
            verdict = f" [{match.verdict}]" if match.verdict else ""
            self.stdout.write(
                f"{rank:>2}. {match.score:.4f} {match.method:12} {match.title}"
                f"{verdict}\n    {match.url}\n    {match.snippet}"
            )
