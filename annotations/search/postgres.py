"""PostgreSQL: a weighted tsvector (title A, body B) kept by the database as a generated
column with a GIN index, ranked with ts_rank: the lexical side of the hybrid (base.fuse).
pg_trgm similarity picks which of an article's published fact-checks a match shows.

ts_rank, not ts_rank_cd or a length-normalised ts_rank: in the hybrid on CheckThat! 2020,
dev / train MAP@5 0.858 / 0.869 against 0.853 / 0.868 (ts_rank_cd) and 0.849 / 0.867
(normalisation 1); README has the rest (bench/checkthat.py --pg-rank)."""

from django.db import connection, transaction

from .base import SearchBackend, details_from_rows
from .query import SNIPPET_CHARS, rarest_terms, required_terms

# A query keeps its rarest words (query.rarest_terms), by the statistics in
# annotations_search_lexeme: ORing common words makes ts_rank read most of a large archive.

# ts_rank reads each matching article's whole tsvector, so the words searched are chosen to
# match at most about this many articles (by their document counts: which words, never
# which rows, so the ranking does not depend on table order). 100,000 generated articles:
# unbounded, p95 436 ms a search; 3,000: median 12 ms; 1,000: median 8 ms. CheckThat! dev
# MAP@5 the same at 3,000 and 1,000 (0.858).
RANKED_AT_MOST = 1000

# With the archive's (estimated) size on each row: one round trip.
LEXEMES_SQL = """
SELECT l.lexeme, min(t.ord) AS ord, max(s.ndoc) AS ndoc,
       (SELECT greatest(reltuples, 0)::bigint FROM pg_class
        WHERE oid = 'annotations_article'::regclass) AS archive_size
FROM unnest(%(terms)s::text[]) WITH ORDINALITY AS t(term, ord),
     unnest(tsvector_to_array(to_tsvector('english', t.term))) AS l(lexeme)
     LEFT JOIN annotations_search_lexeme s ON s.word = l.lexeme
GROUP BY l.lexeme
"""

NO_SEQUENTIAL_SCAN = "SELECT set_config('enable_seqscan', 'off', true)"
SEQUENTIAL_SCAN_AGAIN = "SELECT set_config('enable_seqscan', 'on', true)"

# The lexical score (bench/checkthat.py --pg-rank compares others on train and dev).
RANK = "ts_rank(a.search_vector, q.query)"
CANDIDATES_SQL = """
SELECT a.id, {rank} AS rank
FROM annotations_article a, to_tsquery('simple', %(lexemes)s) AS q(query)
WHERE a.search_vector @@ q.query AND a.id <> %(exclude)s
ORDER BY rank DESC, a.id
LIMIT %(candidates)s
"""

DETAILS_SQL = """
SELECT a.id, a.title, a.url, a.published_at, left(a.body, %(chars)s), prior.id, prior.slug
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

    def lexical(self, terms, *, limit, exclude_article_id):
        nested = connection.in_atomic_block
        with transaction.atomic(), connection.cursor() as cursor:
            # The planner counts nothing for reading each article's text vector, which lives
            # compressed beside the row: on a small archive it would test every row's vector
            # rather than ask the GIN index (10,000 articles: 29 ms against 6.5 ms for a query
            # matching 900). For this transaction only (set_config's `true`), it asks the index.
            cursor.execute(NO_SEQUENTIAL_SCAN)
            cursor.execute(LEXEMES_SQL, {"terms": terms})
            rows = cursor.fetchall()
            archive_size = rows[0][3] if rows else 0
            stats = [row[:3] for row in rows]
            required = required_terms(stats, archive_size, RANKED_AT_MOST)
            chosen = required or rarest_terms(
                stats, archive_size=archive_size, most_documents=RANKED_AT_MOST
            )
            if not chosen:
                return []
            cursor.execute(
                CANDIDATES_SQL.format(rank=RANK),
                {
                    "lexemes": (" & " if required else " | ").join(
                        "'" + lexeme.replace("'", "''") + "'" for lexeme in chosen
                    ),
                    "exclude": exclude_article_id or 0,
                    "candidates": limit,
                },
            )
            found = [(item, float(rank)) for item, rank in cursor.fetchall()]
            if nested:  # the caller's transaction goes on: the planner as it was
                cursor.execute(SEQUENTIAL_SCAN_AGAIN)
            return found

    def details(self, article_ids, terms):
        if not article_ids:
            return {}
        params = {"chars": SNIPPET_CHARS, "text": " ".join(terms), "ids": article_ids}
        with connection.cursor() as cursor:
            cursor.execute(DETAILS_SQL, params)
            rows = cursor.fetchall()
        # Snippets in Python, as on SQLite: ts_headline re-parses each body (~1 ms apiece).
        return details_from_rows(rows, terms)

    def refresh_statistics(self) -> None:
        with connection.cursor() as cursor:
            for statement in STATISTICS_SQL:
                cursor.execute(statement)


STATISTICS_SQL = [
    "TRUNCATE annotations_search_lexeme",
    """INSERT INTO annotations_search_lexeme (word, ndoc)
       SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM annotations_article')""",
]
