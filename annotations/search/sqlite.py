"""SQLite: an FTS5 table over article titles and bodies kept current by triggers, ranked
with bm25() (title weighted above body), snippets from snippet()."""

import datetime as dt

from django.db import connection
from django.utils.dateparse import parse_datetime

from .base import Match, SearchBackend

# FTS5's `rank` is configured as bm25(10.0, 1.0) (migration 0008): sorted inside FTS5, and
# snippet() computed for the returned rows only.
SEARCH_SQL = """
SELECT rowid, rank, snippet(annotations_article_fts, 1, '[[', ']]', ' … ', 24)
FROM annotations_article_fts
WHERE annotations_article_fts MATCH %s AND rowid <> %s
ORDER BY rank
LIMIT %s
"""

DETAILS_SQL = """
SELECT a.id, a.title, a.url, a.published_at,
       (SELECT c.id FROM annotations_claim c
        WHERE c.article_id = a.id AND c.status = 'published' ORDER BY c.id LIMIT 1),
       (SELECT v.slug FROM annotations_claim c JOIN annotations_verdict v ON v.id = c.verdict_id
        WHERE c.article_id = a.id AND c.status = 'published' ORDER BY c.id LIMIT 1)
FROM annotations_article a
WHERE a.id IN ({ids})
"""


class SQLiteSearchBackend(SearchBackend):
    vendor = "sqlite"

    def search_terms(self, terms, *, limit, exclude_article_id):
        # Each term quoted: FTS5 syntax characters in a claim can never break the query.
        match = " OR ".join(f'"{term}"' for term in terms)
        with connection.cursor() as cursor:
            cursor.execute(SEARCH_SQL, [match, exclude_article_id or 0, limit])
            ranked = cursor.fetchall()
            if not ranked:
                return []
            ids = [row[0] for row in ranked]
            cursor.execute(DETAILS_SQL.format(ids=", ".join(["%s"] * len(ids))), ids)
            details = {row[0]: row for row in cursor.fetchall()}
        return [
            Match(
                article_id=item,
                title=details[item][1],
                url=details[item][2],
                published_at=_aware(details[item][3]),
                score=-rank,  # bm25() is lower-is-better
                method="fts",
                snippet=snippet,
                claim_id=details[item][4],
                verdict=details[item][5],
            )
            for item, rank, snippet in ranked
        ]


def _aware(value) -> dt.datetime | None:
    """Raw SQLite rows hold naive UTC timestamps (or their text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value
