"""Budget of issue 16: GET /api/v1/claims/ at page sizes 20 and 100, unfiltered and with each
filter, through the full Django stack: at most 5 queries, at most 3x raw SQL doing the same
work (who is asking: the token's user and role groups; the page's count, as the API's
`count` carries it; the page with the same filter; encoded with the json module), and a plan
that reads the page off an index rather than sorting every claim. The ratio to the count and
page alone (no token) is printed beside it: on one article's page the framework's fixed cost
of a request (~1.5 ms: middleware, DRF's dispatch, the filter's form) is most of it.

Data: bench/newsroom.py, 100,000 claims on 10,000 articles of 2-10 KB (the database
bench/export.py fills; filled here if missing), analysed.

    .venv/bin/python bench/api_list.py    # BENCH_DATABASE_URL, default
                                          # factcheck_bench_export_100000
"""

import json
import time

from _setup import django_on_bench_database, median

RUNS = 25
# Both sides warmed first: a server's connection lives on (CONN_MAX_AGE) with its statements
# prepared (DATABASE_PREPARED_STATEMENTS), which PostgreSQL plans afresh for the first runs.
WARM_UP = 10

RAW_SQL = """
SELECT c.id, c.exact, c.prefix, c.suffix, c.start, c."end", c.claimant, c.claim_date,
       c.summary, c.status, c.anchor_state, c.version, c.reviewed_at, c.created_at, c.updated_at,
       a.id AS article_id, a.title, a.url, a.published_at,
       v.slug, v.label, v.rating_value, v.colour,
       cu.username AS created_by, ru.username AS reviewed_by, au.username AS assignee,
       (SELECT count(*) FROM annotations_claimnote n WHERE n.claim_id = c.id) AS note_count,
       (SELECT coalesce(json_agg(json_build_object('id', s.id, 'url', s.url, 'title', s.title,
                'publisher', s.publisher, 'relation', s.relation, 'quote', s.quote,
                'accessed_at', s.accessed_at) ORDER BY s.id), '[]')
          FROM annotations_source s WHERE s.claim_id = c.id) AS sources
FROM annotations_claim c
JOIN annotations_article a ON a.id = c.article_id
LEFT JOIN annotations_verdict v ON v.id = c.verdict_id
LEFT JOIN auth_user cu ON cu.id = c.created_by_id
LEFT JOIN auth_user ru ON ru.id = c.reviewed_by_id
LEFT JOIN auth_user au ON au.id = c.assignee_id
WHERE {where}
ORDER BY c.created_at DESC, c.id DESC
LIMIT {limit}
"""
RAW_COUNT_SQL = "SELECT count(*) FROM annotations_claim c WHERE {where}"
RAW_TOKEN_SQL = """
SELECT u.id, u.username, u.is_active, u.is_superuser,
       EXISTS (SELECT 1 FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id
               WHERE ug.user_id = u.id AND g.name = 'editor') AS is_editor,
       EXISTS (SELECT 1 FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id
               WHERE ug.user_id = u.id AND g.name = 'reviewer') AS is_reviewer
FROM authtoken_token t JOIN auth_user u ON u.id = t.user_id
WHERE t.key = %s
"""


def filters(sample) -> dict[str, tuple[str, str, str, list]]:
    """name -> (query string, the page's WHERE clause, the count's, their parameters). The
    count joins nothing: the API resolves a verdict or user name to its id first."""
    verdict = "c.verdict_id = (SELECT id FROM annotations_verdict WHERE slug = %s)"
    assignee = "c.assignee_id = (SELECT id FROM auth_user WHERE username = %s)"
    words = "(c.exact ILIKE %s OR c.claimant ILIKE %s OR c.summary ILIKE %s)"
    return {
        "none": ("", "true", "true", []),
        "status": ("status=in_review", "c.status = %s", "c.status = %s", ["in_review"]),
        "verdict": (f"verdict={sample.verdict.slug}", verdict, verdict, [sample.verdict.slug]),
        "article": (f"article={sample.article_id}", "c.article_id = %s", "c.article_id = %s",
                    [sample.article_id]),
        "assignee": (f"assignee={sample.assignee.username}", assignee, assignee,
                     [sample.assignee.username]),
        "q": ("q=minister", words, words, ["%minister%"] * 3),
    }  # fmt: skip


def main():
    url = django_on_bench_database(
        "postgres://postgres@127.0.0.1:5432/factcheck_bench_export_100000"
    )
    from newsroom import newsroom

    newsroom(articles=10_000, claims_per_article=10, tag="export100000")
    from django.contrib.auth import get_user_model
    from django.db import connection
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from annotations.api.claim_list import ClaimRows
    from annotations.models import Claim
    from tests.factories import editor

    user = get_user_model().objects.filter(username="bench-editor").first() or editor(
        username="bench-editor"
    )
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    sample = Claim.objects.filter(assignee__isnull=False, verdict__isnull=False).first()
    plan = "\n".join(
        row[0]
        for row in connection.cursor()
        .execute("EXPLAIN " + ClaimRows({}).page_sql(slice(0, 100)))
        .fetchall()
    )
    sorts_all = "Sort" in plan.split("Limit", 1)[-1].split("\n")[1]
    print(f"database: {url}; {Claim.objects.count():,} claims")
    print(
        "unfiltered list plan: "
        + ("sorts every claim (no index)" if sorts_all else "reads the page off an index")
    )
    print(
        f"{'filter':9} {'size':>4} {'queries':>7} {'API ms (min-max)':>19} "
        f"{'raw ms (min-max)':>19} {'ratio':>6} {'no token':>8}"
    )
    for name, (query, where, count_where, params) in filters(sample).items():
        for size in (20, 100):
            path = f"/api/v1/claims/?page_size={size}" + (f"&{query}" if query else "")
            queries = []

            def count(execute, sql, params_, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params_, many, context)

            with connection.execute_wrapper(count):
                response = client.get(path)
            assert response.status_code == 200, (path, response.content[:300])
            for _ in range(WARM_UP):
                client.get(path)
            api_times = []
            for _ in range(RUNS):
                began = time.perf_counter()
                client.get(path)
                api_times.append((time.perf_counter() - began) * 1000)
            raw_times, untokened_times = [], []
            sql = RAW_SQL.format(where=where, limit=size)
            count_sql = RAW_COUNT_SQL.format(where=count_where)
            with connection.cursor() as cursor:
                for run in range(WARM_UP + RUNS):
                    began = time.perf_counter()
                    cursor.execute(RAW_TOKEN_SQL, [token.key])
                    cursor.fetchone()
                    token_read = time.perf_counter()
                    cursor.execute(count_sql, params)
                    cursor.fetchone()
                    cursor.execute(sql, params)
                    columns = [c.name for c in cursor.description]
                    rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
                    json.dumps(rows, default=str)
                    done = time.perf_counter()
                    if run >= WARM_UP:
                        raw_times.append((done - began) * 1000)
                        untokened_times.append((done - token_read) * 1000)
            api, raw = median(api_times), median(raw_times)
            print(
                f"{name:9} {size:4} {len(queries):7} "
                f"{api:7.1f} ({min(api_times):4.1f}-{max(api_times):5.1f}) "
                f"{raw:7.1f} ({min(raw_times):4.1f}-{max(raw_times):5.1f}) {api / raw:5.1f}x"
                f" {api / median(untokened_times):7.1f}x"
                + ("" if len(queries) <= 5 else "  over 5 queries")
                + ("" if api <= 3 * raw else "  over 3x")
            )


if __name__ == "__main__":
    main()
