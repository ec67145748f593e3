"""Full-text and trigram indexes for related-coverage search, kept current by the database
itself: a generated tsvector column on PostgreSQL, an FTS5 table with triggers on SQLite."""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Bodies are cut at 300,000 characters: a tsvector holds at most 1 MB.
    """ALTER TABLE annotations_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', left(coalesce(body, ''), 300000)), 'B')) STORED""",
    "CREATE INDEX annotations_article_search_gin ON annotations_article USING gin (search_vector)",
    """CREATE INDEX annotations_claim_exact_trgm ON annotations_claim
        USING gin (exact gin_trgm_ops) WHERE status = 'published'""",
    "CREATE INDEX annotations_article_title_trgm ON annotations_article USING gin (title gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS annotations_article_title_trgm",
    "DROP INDEX IF EXISTS annotations_claim_exact_trgm",
    "ALTER TABLE annotations_article DROP COLUMN IF EXISTS search_vector",
]

SQLITE = [
    """CREATE VIRTUAL TABLE annotations_article_fts USING fts5(
        title, body, content='annotations_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER annotations_article_fts_insert AFTER INSERT ON annotations_article BEGIN
        INSERT INTO annotations_article_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER annotations_article_fts_delete AFTER DELETE ON annotations_article BEGIN
        INSERT INTO annotations_article_fts(annotations_article_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER annotations_article_fts_update AFTER UPDATE OF title, body
        ON annotations_article BEGIN
        INSERT INTO annotations_article_fts(annotations_article_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO annotations_article_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
    "INSERT INTO annotations_article_fts(annotations_article_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS annotations_article_fts_update",
    "DROP TRIGGER IF EXISTS annotations_article_fts_delete",
    "DROP TRIGGER IF EXISTS annotations_article_fts_insert",
    "DROP TABLE IF EXISTS annotations_article_fts",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("annotations", "0004_article_reanchor_report")]
    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
