"""SQLite: an FTS5 table over article titles and bodies kept current by triggers, ranked
with bm25() (title weighted above body); snippets from query.snippet, as on PostgreSQL.

A query drops its common words (query.rarest_terms, by statistics looked up by Porter stem,
which is what FTS5 indexes) but, unlike PostgreSQL, keeps all its rare ones: bm25 alone has
no trigram ranking to make up for them. CheckThat! 2020 dev MAP@5, keeping 8 / 12 / 20:
0.633 / 0.698 / 0.719 (0.727 unpruned); 100,000 generated articles, median per search
7.6 ms with 20 against 111 ms unpruned (bench/checkthat.py, bench/search_latency.py)."""

import datetime as dt
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.db import connection
from django.utils.dateparse import parse_datetime

from .base import SearchBackend, details_from_rows
from .query import MAX_TERMS, SNIPPET_CHARS, rarest_terms, required_terms

# FTS5's `rank` is configured as bm25(10.0, 1.0) (migration 0008): sorted inside FTS5.
SEARCH_SQL = """
SELECT rowid, rank FROM annotations_article_fts
WHERE annotations_article_fts MATCH %s AND rowid <> %s
ORDER BY rank
LIMIT %s
"""
DETAILS_SQL = """
SELECT a.id, a.title, a.url, a.published_at, substr(a.body, 1, %s),
       (SELECT c.id FROM annotations_claim c
        WHERE c.article_id = a.id AND c.status = 'published' ORDER BY c.id LIMIT 1),
       (SELECT v.slug FROM annotations_claim c JOIN annotations_verdict v ON v.id = c.verdict_id
        WHERE c.article_id = a.id AND c.status = 'published' ORDER BY c.id LIMIT 1)
FROM annotations_article a
WHERE a.id IN ({ids})
"""


# bm25() scores every matching row: the words searched are chosen to match at most about
# this many articles (by document counts, never by row order). 100,000 generated articles:
# p95 101 ms a search without it.
SCORED_AT_MOST = 5000

STATISTICS_SQL = "SELECT word, ndoc FROM annotations_search_lexeme WHERE word IN ({words})"
ARCHIVE_SIZE_SQL = "SELECT max(rowid) FROM annotations_article"  # approximate is enough
REFRESH_SQL = [
    "DELETE FROM annotations_search_lexeme",
    """INSERT INTO annotations_search_lexeme (word, ndoc)
       SELECT term, doc FROM annotations_article_fts_vocab""",
]


@lru_cache(maxsize=1)
def _porter():
    return snowballstemmer.stemmer("porter")


@lru_cache(maxsize=50_000)  # the pure-Python stemmer costs ~0.15 ms a word
def indexed_term(word: str) -> str:
    """The term FTS5 (`porter unicode61 remove_diacritics 2`) indexes for a query word."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return _porter().stemWord(plain)


def match_expression(terms: list[str], every: bool = False) -> str:
    # Each term quoted: FTS5 syntax characters in a claim can never break the query.
    return (" AND " if every else " OR ").join(f'"{term}"' for term in terms)


class SQLiteSearchBackend(SearchBackend):
    vendor = "sqlite"

    def lexical(self, terms, *, limit, exclude_article_id):
        stems = [indexed_term(term) for term in terms]
        distinct = sorted(set(stems))  # "vaccine" and "vaccines" are one term
        with connection.cursor() as cursor:
            cursor.execute(STATISTICS_SQL.format(words=", ".join(["%s"] * len(distinct))), distinct)
            documents = dict(cursor.fetchall())
            cursor.execute(ARCHIVE_SIZE_SQL)
            archive_size = cursor.fetchone()[0] or 0
            stats = [(stem, order, documents.get(stem)) for order, stem in enumerate(stems)]
            required = set(required_terms(stats, archive_size, SCORED_AT_MOST))
            kept = required or set(
                rarest_terms(
                    stats, archive_size=archive_size, keep=MAX_TERMS, most_documents=SCORED_AT_MOST
                )
            )
            match = match_expression(
                [term for term, stem in zip(terms, stems, strict=True) if stem in kept],
                every=bool(required),
            )
            cursor.execute(SEARCH_SQL, [match, exclude_article_id or 0, limit])
            return [(item, -rank) for item, rank in cursor.fetchall()]  # bm25: lower is better

    def details(self, article_ids, terms):
        if not article_ids:
            return {}
        marks = ", ".join(["%s"] * len(article_ids))
        with connection.cursor() as cursor:
            cursor.execute(DETAILS_SQL.format(ids=marks), [SNIPPET_CHARS, *article_ids])
            rows = cursor.fetchall()
        return details_from_rows(rows, terms, read_time=_aware)

    def refresh_statistics(self) -> None:
        with connection.cursor() as cursor:
            for statement in REFRESH_SQL:
                cursor.execute(statement)


def _aware(value) -> dt.datetime | None:
    """Raw SQLite rows hold naive UTC timestamps (or their text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value
