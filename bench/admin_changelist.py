"""Budget of issue 6: the admin's claims changelist and review queue with 10,000 claims load in
under 300 ms of server time with at most 10 queries. Uses the data of bench/api_list.py
(10,000 claims on 500 articles, 3 sources each) and Django's test client as a reviewer.

    .venv/bin/python bench/admin_changelist.py
"""

import time

from _setup import django_on_bench_database, median

RUNS = 20


def main():
    url = django_on_bench_database()
    import api_list

    api_list.fill()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from annotations.models import Claim
    from tests.factories import reviewer

    # A quarter of the claims waiting for review, so the queue has something to show.
    Claim.objects.filter(id__in=Claim.objects.order_by("id").values("id")[:2500]).update(
        status="in_review"
    )
    user = get_user_model().objects.filter(username="bench-reviewer").first() or reviewer(
        username="bench-reviewer", is_staff=True
    )
    client = Client()
    client.force_login(user)
    print(f"database: {url}; {Claim.objects.count():,} claims")
    for path in (
        "/admin/annotations/claim/",
        "/admin/annotations/reviewqueueclaim/",
        "/admin/annotations/claim/?status__exact=in_review&q=taxes",
    ):
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(path)
        assert response.status_code == 200, response.status_code
        times = []
        for _ in range(RUNS):
            began = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - began)
        print(
            f"{path}: {len(queries)} queries (budget <= 10), median "
            f"{median(times) * 1000:.1f} ms, worst {max(times) * 1000:.1f} ms (budget < 300 ms)"
        )


if __name__ == "__main__":
    main()
