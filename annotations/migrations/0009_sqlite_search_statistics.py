"""Document frequencies of the archive's words on SQLite too (see 0007 for PostgreSQL): the
FTS5 index's own term list (an fts5vocab table) is copied into annotations_search_lexeme by
`refresh_search_statistics`, because fts5vocab counts a term's documents by reading them all,
which is what the lookup must not cost."""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE TABLE annotations_search_lexeme (word text PRIMARY KEY, ndoc integer NOT NULL) "
    "WITHOUT ROWID",
    "CREATE VIRTUAL TABLE annotations_article_fts_vocab "
    "USING fts5vocab(annotations_article_fts, 'row')",
]
SQLITE_DROP = [
    "DROP TABLE IF EXISTS annotations_article_fts_vocab",
    "DROP TABLE IF EXISTS annotations_search_lexeme",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0008_sqlite_fts_rank")]
    operations = [migrations.RunPython(create, drop)]
