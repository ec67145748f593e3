"""PostgreSQL: a weighted tsvector (title A, body B) kept by the database as a generated
column with a GIN index, ranked with ts_rank; pg_trgm similarity to earlier fact-checks'
quotes and to titles, for near-identical wording; the two rankings fused by reciprocal rank.

ts_rank, not ts_rank_cd: on CheckThat! 2020 dev it was better on both quality and time
(MAP@5 0.733 vs 0.722, median 24 vs 37 ms per search; bench/checkthat.py)."""

from django.db import connection

from .base import CANDIDATES, Match, SearchBackend, fuse
from .query import rarest_terms

# One round trip: the full-text candidates by ts_rank, each with its trigram similarity to
# the query (best of its title and its earlier fact-checks' quotes). Trigram similarity ranks
# the candidates a second way; it is not used to find them, because over a long claim or tweet
# a trigram index is barely selective (measured: ~400 ms a query on 10,000 fact-checks).
# A query keeps its rarest words (query.rarest_terms), by the statistics in
# annotations_search_lexeme.

LEXEMES_SQL = """
SELECT l.lexeme, min(t.ord) AS ord, max(s.ndoc) AS ndoc
FROM unnest(%(terms)s::text[]) WITH ORDINALITY AS t(term, ord),
     unnest(tsvector_to_array(to_tsvector('english', t.term))) AS l(lexeme)
     LEFT JOIN annotations_search_lexeme s ON s.word = l.lexeme
GROUP BY l.lexeme
"""
ARCHIVE_SIZE_SQL = """
SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'annotations_article'::regclass
"""

# ts_rank reads each matching article's whole tsvector. A query left with only common words
# (fewer than MIN_TERMS rare ones) matches most of a large archive, so the rows ranked are
# capped: past RANKED_AT_MOST matches the ranking is weak anyway, and its cost was the p95.
RANKED_AT_MOST = 2000

CANDIDATES_SQL = """
WITH q AS (SELECT to_tsquery('simple', %(lexemes)s) AS query), matched AS (
    SELECT a.id, a.search_vector
    FROM annotations_article a, q
    WHERE a.search_vector @@ q.query AND a.id <> %(exclude)s
    LIMIT %(ranked)s
), lexical AS (
    SELECT m.id, ts_rank(m.search_vector, q.query) AS rank
    FROM matched m, q
    ORDER BY rank DESC, m.id
    LIMIT %(candidates)s
)
SELECT lexical.id, lexical.rank,
       greatest(similarity(a.title, %(text)s),
                coalesce((SELECT max(similarity(c.exact, %(text)s)) FROM annotations_claim c
                          WHERE c.article_id = a.id AND c.status = 'published'), 0)) AS sim
FROM lexical JOIN annotations_article a ON a.id = lexical.id
"""

DETAILS_SQL = """
SELECT a.id, a.title, a.url, a.published_at,
       ts_headline('english', left(a.body, 20000), to_tsquery('english', %(tsquery)s),
                   'StartSel=[[, StopSel=]], MaxWords=30, MinWords=12, MaxFragments=2,
                    FragmentDelimiter=" … "'),
       prior.id, prior.slug
FROM annotations_article a
LEFT JOIN LATERAL (
    SELECT c.id, v.slug
    FROM annotations_claim c LEFT JOIN annotations_verdict v ON v.id = c.verdict_id
    WHERE c.article_id = a.id AND c.status = 'published'
    ORDER BY similarity(c.exact, %(text)s) DESC, c.id
    LIMIT 1
) prior ON true
WHERE a.id = ANY(%(ids)s)
"""


class PostgresSearchBackend(SearchBackend):
    vendor = "postgresql"

    def search_terms(self, terms, *, limit, exclude_article_id):
        cleaned = " ".join(terms)
        params = {
            "tsquery": " | ".join(terms),
            "terms": terms,
            "text": cleaned,
            "exclude": exclude_article_id or 0,
            "candidates": CANDIDATES,
            "ranked": RANKED_AT_MOST,
        }
        with connection.cursor() as cursor:
            cursor.execute(LEXEMES_SQL, params)
            lexemes = cursor.fetchall()
            cursor.execute(ARCHIVE_SIZE_SQL)
            chosen = rarest_terms(lexemes, archive_size=cursor.fetchone()[0])
            if not chosen:
                return []
            params["lexemes"] = " | ".join(
                "'" + lexeme.replace("'", "''") + "'" for lexeme in chosen
            )
            cursor.execute(CANDIDATES_SQL, params)
            rows = cursor.fetchall()
            lexical = [row[0] for row in sorted(rows, key=lambda r: (-r[1], r[0]))]
            trigram = [row[0] for row in sorted(rows, key=lambda r: (-r[2], r[0]))]
            fused = fuse({"fts": lexical, "trigram": trigram})[:limit]
            if not fused:
                return []
            cursor.execute(DETAILS_SQL, {**params, "ids": [item for item, _, _ in fused]})
            details = {row[0]: row for row in cursor.fetchall()}
        return [
            Match(
                article_id=item,
                title=details[item][1],
                url=details[item][2],
                published_at=details[item][3],
                score=score,
                method=method,
                snippet=details[item][4],
                claim_id=details[item][5],
                verdict=details[item][6],
            )
            for item, score, method in fused
        ]

    def refresh_statistics(self) -> None:
        with connection.cursor() as cursor:
            for statement in STATISTICS_SQL:
                cursor.execute(statement)


STATISTICS_SQL = [
    "TRUNCATE annotations_search_lexeme",
    """INSERT INTO annotations_search_lexeme (word, ndoc)
       SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM annotations_article')""",
]
