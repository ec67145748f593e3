from django.core.management.base import BaseCommand

from annotations import search


class Command(BaseCommand):
    help = "Recount the archive's word frequencies that related-coverage queries are pruned by."

    def handle(self, *args, **options):
        search.refresh_statistics()
        self.stdout.write("Search statistics refreshed.")
