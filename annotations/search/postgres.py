"""PostgreSQL: a weighted tsvector (title A, body B) kept by the database as a generated
column with a GIN index, ranked with ts_rank_cd; pg_trgm similarity against earlier
fact-checks and titles for near-identical wording; the two lists fused by reciprocal rank."""

from django.db import connection, transaction

from .base import CANDIDATES, Match, SearchBackend, fuse
from .query import query_terms

LEXICAL_SQL = """
SELECT a.id
FROM annotations_article a, to_tsquery('english', %(tsquery)s) q
WHERE a.search_vector @@ q AND a.id <> %(exclude)s
ORDER BY ts_rank_cd(a.search_vector, q, 1) DESC, a.id
LIMIT %(candidates)s
"""

# Near-identical wording: earlier fact-checks by their quote, any article by its title.
TRIGRAM_SQL = """
SELECT article_id FROM (
    SELECT c.article_id, similarity(c.exact, %(text)s) AS sim
    FROM annotations_claim c
    WHERE c.status = 'published' AND c.exact %% %(text)s AND c.article_id <> %(exclude)s
    UNION ALL
    SELECT a.id, similarity(a.title, %(text)s)
    FROM annotations_article a
    WHERE a.title %% %(text)s AND a.id <> %(exclude)s
) found
GROUP BY article_id
ORDER BY max(sim) DESC, article_id
LIMIT %(candidates)s
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

    def search(self, text, *, limit=10, exclude_article_id=None):
        terms = query_terms(text)
        if not terms:
            return []
        cleaned = " ".join(terms)
        params = {
            "tsquery": " | ".join(terms),
            "text": cleaned,
            "exclude": exclude_article_id or 0,
            "candidates": CANDIDATES,
        }
        with transaction.atomic(), connection.cursor() as cursor:
            # Tweets and claims are phrased differently from the fact-checks they match;
            # the default 0.3 misses most near-paraphrases.
            cursor.execute("SET LOCAL pg_trgm.similarity_threshold = 0.2")
            cursor.execute(LEXICAL_SQL, params)
            lexical = [row[0] for row in cursor.fetchall()]
            cursor.execute(TRIGRAM_SQL, params)
            trigram = [row[0] for row in cursor.fetchall()]
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
