"""Budget of issue 16: the article list page with 10,000 articles (100,000 claims) answers
in < 150 ms with a constant number of queries, through Django's test client as an editor.

Data: bench/newsroom.py, 10,000 articles of 2-10 KB with 10 claims each, in the database
bench/export.py fills for 100,000 claims (filled here if missing).

    .venv/bin/python bench/article_list.py    # BENCH_DATABASE_URL, default
                                              # factcheck_bench_export_100000
"""

from _setup import django_on_bench_database, median, page_timings

RUNS = 20


def main():
    url = django_on_bench_database(
        "postgres://postgres@127.0.0.1:5432/factcheck_bench_export_100000"
    )
    from newsroom import newsroom

    newsroom(articles=10_000, claims_per_article=10, tag="export100000")
    from django.contrib.auth import get_user_model
    from django.test import Client

    from annotations.models import Article
    from tests.factories import editor

    user = get_user_model().objects.filter(username="bench-list-editor").first() or editor(
        username="bench-list-editor"
    )
    client = Client()
    client.force_login(user)
    print(f"database: {url}; {Article.objects.count():,} articles")
    for path in ("/articles/", "/articles/?page=200", "/articles/?q=minister"):
        queries, times = page_timings(client, path, RUNS)
        print(
            f"{path}: {len(queries)} queries; median {median(times):.0f} ms, "
            f"min {min(times):.0f}, max {max(times):.0f} (budget < 150 ms)"
        )


if __name__ == "__main__":
    main()
