"""SQLite: an FTS5 table over article titles and bodies kept current by triggers, ranked
with bm25() (title weighted above body), snippets from snippet()."""

import datetime as dt

from django.db import connection
from django.utils.dateparse import parse_datetime

from .base import CANDIDATES, Match, SearchBackend
from .query import query_terms

SEARCH_SQL = """
SELECT a.id, bm25(annotations_article_fts, 10.0, 1.0) AS rank
FROM annotations_article_fts JOIN annotations_article a ON a.id = annotations_article_fts.rowid
WHERE annotations_article_fts MATCH %s AND a.id <> %s
ORDER BY rank, a.id
LIMIT %s
"""

DETAILS_SQL = """
SELECT a.id, a.title, a.url, a.published_at,
       snippet(annotations_article_fts, 1, '[[', ']]', ' … ', 24),
       (SELECT c.id FROM annotations_claim c
        WHERE c.article_id = a.id AND c.status = 'published' ORDER BY c.id LIMIT 1),
       (SELECT v.slug FROM annotations_claim c JOIN annotations_verdict v ON v.id = c.verdict_id
        WHERE c.article_id = a.id AND c.status = 'published' ORDER BY c.id LIMIT 1)
FROM annotations_article_fts JOIN annotations_article a ON a.id = annotations_article_fts.rowid
WHERE annotations_article_fts MATCH %s AND a.id IN ({ids})
"""


class SQLiteSearchBackend(SearchBackend):
    vendor = "sqlite"

    def search(self, text, *, limit=10, exclude_article_id=None):
        terms = query_terms(text)
        if not terms:
            return []
        # Each term quoted: FTS5 syntax characters in a claim can never break the query.
        match = " OR ".join(f'"{term}"' for term in terms)
        with connection.cursor() as cursor:
            cursor.execute(SEARCH_SQL, [match, exclude_article_id or 0, CANDIDATES])
            ranked = cursor.fetchall()[:limit]
            if not ranked:
                return []
            ids = [row[0] for row in ranked]
            placeholders = ", ".join(["%s"] * len(ids))
            cursor.execute(DETAILS_SQL.format(ids=placeholders), [match, *ids])
            details = {row[0]: row for row in cursor.fetchall()}
        return [
            Match(
                article_id=item,
                title=details[item][1],
                url=details[item][2],
                published_at=(
                    parse_datetime(details[item][3])
                    if isinstance(details[item][3], str)
                    else details[item][3]
                ),
                score=-rank,  # bm25() is lower-is-better
                method="fts",
                snippet=details[item][4],
                claim_id=details[item][5],
                verdict=details[item][6],
            )
            for item, rank in ranked
        ]


def _aware(value) -> dt.datetime | None:
    """Raw SQLite rows hold naive UTC timestamps (or their text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value
