"""Document frequencies of the archive's words (PostgreSQL), so a query can keep its rarest
words: common ones cost the most time and say the least. Refreshed by
`refresh_search_statistics` (after imports, and hourly by beat); approximate is fine."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE TABLE annotations_search_lexeme (word text PRIMARY KEY, ndoc integer NOT NULL)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS annotations_search_lexeme")


class Migration(migrations.Migration):
    dependencies = [("annotations", "0006_review_queue")]
    operations = [migrations.RunPython(create, drop)]
