"""Budget of issue 16: the admin's claims changelist and review queue, with articles of
100 KB and 10,000 claims, answer in < 150 ms with <= 10 queries and read no article text.

Data from bench/newsroom.py (100 articles of 100 KB, 100 claims each, a third in review),
requests through Django's test client as a reviewer, several runs: min / median / max.

    .venv/bin/python bench/admin_changelist.py    # BENCH_DATABASE_URL, default factcheck_bench
"""

from _setup import django_on_bench_database, median, page_timings

RUNS = 20


def main():
    url = django_on_bench_database()
    from newsroom import newsroom

    newsroom(articles=100, claims_per_article=100, body_chars=(100_000, 100_000), tag="admin")
    from django.contrib.auth import get_user_model
    from django.test import Client

    from annotations.models import Claim
    from tests.factories import reviewer

    user = get_user_model().objects.filter(username="bench-reviewer").first() or reviewer(
        username="bench-reviewer", is_staff=True
    )
    client = Client()
    client.force_login(user)
    print(f"database: {url}; {Claim.objects.count():,} claims")
    for path in (
        "/admin/annotations/claim/",
        "/admin/annotations/reviewqueueclaim/",
        "/admin/annotations/claim/?status__exact=in_review&q=the",
    ):
        queries, times = page_timings(client, path, RUNS)
        reads_text = sum('"annotations_article"."body"' in sql for sql in queries)
        print(
            f"{path}: {len(queries)} queries (budget <= 10), {reads_text} read article text "
            f"(budget 0); median {median(times):.0f} ms, min {min(times):.0f}, "
            f"max {max(times):.0f} (budget < 150 ms)"
        )


if __name__ == "__main__":
    main()
