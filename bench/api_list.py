"""Budget of issue 3: GET /api/v1/claims/?page_size=100 on 10,000 claims (500 articles,
3 sources each) through the full Django stack, against the same 100 rows fetched with one raw
SQL query and encoded with the json module.

Budget: at most 5 queries per request; API median at most 3x the raw baseline.

    .venv/bin/python bench/api_list.py            # uses BENCH_DATABASE_URL, default
                                                  # postgres://postgres@127.0.0.1:5432/factcheck_bench
"""

import json
import time

from _setup import django_on_bench_database, median

ARTICLES, CLAIMS_PER_ARTICLE, SOURCES_PER_CLAIM, RUNS = 500, 20, 3, 40

RAW_SQL = """
SELECT c.id, c.exact, c.prefix, c.suffix, c.start, c."end", c.claimant, c.claim_date,
       c.summary, c.status, c.anchor_state, c.version, c.reviewed_at, c.created_at, c.updated_at,
       a.id AS article_id, a.title, a.url, a.published_at,
       v.slug, v.label, v.rating_value, v.colour,
       cu.username AS created_by, ru.username AS reviewed_by, au.username AS assignee,
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
ORDER BY c.created_at DESC, c.id DESC
LIMIT 100
"""


def fill():
    from django.db import transaction

    from annotations.models import Article, Claim, Source, Verdict
    from tests.factories import ARTICLE_BODY

    if Claim.objects.count() == ARTICLES * CLAIMS_PER_ARTICLE:
        return
    with transaction.atomic():
        Article.objects.all().delete()
        verdicts = list(Verdict.objects.all())
        articles = Article.objects.bulk_create(
            Article(
                title=f"Bench article {i}",
                url=f"https://bench.example.org/{i}",
                publisher="Bench",
                body=ARTICLE_BODY,
            )
            for i in range(ARTICLES)
        )
        quote = "taxes fell by 10 percent last year"
        start = ARTICLE_BODY.index(quote)
        claims = Claim.objects.bulk_create(
            Claim(
                article=article,
                exact=quote,
                prefix=ARTICLE_BODY[max(0, start - 32) : start],
                suffix=ARTICLE_BODY[start + len(quote) : start + len(quote) + 32],
                start=start,
                end=start + len(quote),
                claimant=f"Minister {n}",
                verdict=verdicts[n % len(verdicts)],
                summary="Receipts rose. " * 10,
            )
            for article in articles
            for n in range(CLAIMS_PER_ARTICLE)
        )
        Source.objects.bulk_create(
            Source(
                claim=claim,
                url=f"https://stats.example.org/{claim.id}/{k}",
                title="Tax receipts",
                relation="refutes",
            )
            for claim in claims
            for k in range(SOURCES_PER_CLAIM)
        )


def main():
    url = django_on_bench_database()
    fill()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from tests.factories import editor

    user = get_user_model().objects.filter(username="bench-editor").first() or editor(
        username="bench-editor"
    )
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    path = "/api/v1/claims/?page_size=100"

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # A wrapper, not CaptureQueriesContext: request_started resets Django's query log.
    with connection.execute_wrapper(count):
        response = client.get(path)
    assert response.status_code == 200 and len(response.json()["results"]) == 100
    for _ in range(5):
        client.get(path)
    api_times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        response = client.get(path)
        response.content  # noqa: B018 - rendered already; make sure
        api_times.append(time.perf_counter() - began)

    raw_times = []
    with connection.cursor() as cursor:
        for run in range(RUNS + 5):
            began = time.perf_counter()
            cursor.execute(RAW_SQL)
            columns = [c.name for c in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            encoded = json.dumps(rows, default=str)
            if run >= 5:
                raw_times.append(time.perf_counter() - began)
    assert len(rows) == 100 and encoded

    api, raw = median(api_times), median(raw_times)
    print(f"database: {url} ({connection.vendor})")
    print("data: 10,000 claims on 500 articles, 3 sources each; GET " + path)
    print(f"queries per request: {len(queries)} (budget <= 5)")
    print(f"API median: {api * 1000:.2f} ms over {RUNS} runs")
    print(f"raw SQL + json median: {raw * 1000:.2f} ms")
    print(f"ratio: {api / raw:.2f}x (budget <= 3x)")


if __name__ == "__main__":
    main()
