"""SQLite: make FTS5's own `rank` our weighted bm25 (title 10, body 1), so `ORDER BY rank
LIMIT n` is sorted inside FTS5 and snippet() runs only for the rows returned."""

from django.db import migrations


def configure(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "INSERT INTO annotations_article_fts(annotations_article_fts, rank) "
            "VALUES ('rank', 'bm25(10.0, 1.0)')"
        )


class Migration(migrations.Migration):
    dependencies = [("annotations", "0007_search_lexeme_stats")]
    operations = [migrations.RunPython(configure, migrations.RunPython.noop)]
