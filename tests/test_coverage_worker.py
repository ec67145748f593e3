"""A real worker on the real broker runs the related-coverage jobs; a worker killed in the
middle of one never leaves it `running`."""

import os
import signal
from pathlib import Path

import pytest

from annotations import roles, services
from annotations.anchoring import Selector
from annotations.models import CoverageSearch, SearchVector
from tests.api.conftest import client_for
from tests.conftest import wait_until
from tests.factories import ArticleFactory, editor

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def archive_and_article():
    services.article_create(
        title="Fact check: taxes did not fall last year",
        body="The minister said taxes fell by 10 percent last year. Receipts rose.",
        url="https://archive.example/taxes",
        is_archive=True,
        actor=roles.SYSTEM,
    )
    return ArticleFactory()


def test_a_claim_created_through_the_api_gets_its_matches_from_the_worker(
    celery_worker_process,
):
    _, worker = celery_worker_process
    article = archive_and_article()
    response = client_for(editor()).post(
        "/api/v1/claims/",
        {"article": article.id, "selector": {"exact": "taxes fell"}},
        format="json",
    )
    assert response.status_code == 201
    search = CoverageSearch.objects.get(claim_id=response.json()["id"])
    seen = [search.status]

    def finished():
        assert worker.poll() is None, "the worker died"
        search.refresh_from_db()
        if search.status != seen[-1]:
            seen.append(search.status)
        return search.status in ("succeeded", "failed")

    assert wait_until(finished, timeout=90, interval=0.02)
    assert search.status == "succeeded", search.error
    assert seen[0] == "queued" and seen[-1] == "succeeded"
    assert set(seen) <= {"queued", "running", "succeeded"}
    assert search.matches.first().article.url == "https://archive.example/taxes"
    # The article created outside the request was embedded by the worker too.
    assert wait_until(
        lambda: SearchVector.objects.filter(article__url="https://archive.example/taxes").exists()
    )


def pool_children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


@pytest.fixture
def worker_env():
    return {"COVERAGE_SEARCH_BACKEND": "tests.search.slow_backend.SlowSearchBackend"}


def test_a_worker_killed_mid_search_never_leaves_the_job_running(celery_worker_process):
    _, worker = celery_worker_process
    article = archive_and_article()
    claim = services.claim_create(article=article, selector=Selector("taxes fell"), actor=editor())
    search = CoverageSearch.objects.get(claim=claim)

    def running():
        search.refresh_from_db()
        return search.status == "running"

    assert wait_until(running, timeout=60, interval=0.05)
    children = pool_children(worker.pid)
    assert children, "no pool process to kill"
    for child in children:
        os.kill(child, signal.SIGKILL)

    def settled():
        search.refresh_from_db()
        return search.status in ("succeeded", "failed")

    # acks_late + reject_on_worker_lost: the message goes back to the queue when the pool
    # process dies, and the next pool process runs the search again, in full.
    assert wait_until(settled, timeout=90), "the killed job was never delivered again"
    assert search.status == "succeeded", search.error
    assert search.attempts >= 2, "the search ran once: it was not delivered again"
    ranks = list(search.matches.values_list("rank", flat=True))
    assert ranks == sorted(set(ranks)), "duplicate matches after the re-run"
    assert search.matches.count() == 1


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_url():
    """The Redis the fault test kills a worker on. CI has one; a laptop without Redis skips
    the test, saying so, but CI never does."""
    import socket
    from urllib.parse import urlsplit

    address = urlsplit(REDIS_URL)
    try:
        socket.create_connection((address.hostname, address.port or 6379), timeout=1).close()
    except OSError as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs Redis at {REDIS_URL}: {error}")
        pytest.skip(f"no Redis at {REDIS_URL} (set TEST_REDIS_URL): {error}")
    return REDIS_URL


def test_a_worker_killed_whole_on_redis_never_strands_the_search(
    transactional_db, redis_url, settings
):
    """The worker's main process dies with its pool (the machine or the container went):
    nobody rejects the message, Redis holds it unacknowledged. It must come back to the
    queue after the visibility timeout, set from the task's time limit, not after an hour."""
    from celery import current_app

    from annotations.services.coverage import RUN_TASK
    from tests.conftest import start_worker, stop_worker
    from tests.factories import ClaimFactory

    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-redis"
    env = {
        "CELERY_BROKER_URL": redis_url,
        "COVERAGE_SEARCH_TIME_LIMIT": "10",  # so the visibility timeout is 2 x 10 + 10 s
        "COVERAGE_SEARCH_BACKEND": "tests.search.slow_backend.SlowSearchBackend",
    }
    claim = ClaimFactory(article=archive_and_article())
    search = CoverageSearch.objects.create(claim=claim, task_id="fault-test")
    first = start_worker(queue, env)
    try:
        with current_app.connection_for_write(redis_url) as connection:
            current_app.send_task(
                RUN_TASK,
                args=(search.id,),
                task_id=search.task_id,
                queue=queue,
                connection=connection,
            )

        def running():
            assert first.poll() is None, "the worker died before the test killed it"
            search.refresh_from_db()
            return search.status == "running"

        assert wait_until(running, timeout=60, interval=0.05)
        for pid in [first.pid, *pool_children(first.pid)]:
            os.kill(pid, signal.SIGKILL)
    finally:
        stop_worker(first)

    second = start_worker(queue, env)
    try:

        def settled():
            assert second.poll() is None, "the second worker died"
            search.refresh_from_db()
            return search.status in ("succeeded", "failed")

        # 30 s visibility timeout + a 10 s look for lost jobs + a 4 s search, with slack.
        assert wait_until(settled, timeout=90), "the search was stranded: still " + search.status
    finally:
        stop_worker(second)
    assert search.status == "succeeded", search.error
    assert search.attempts == 2
    assert list(search.matches.values_list("article__url", flat=True)) == [
        "https://archive.example/taxes"
    ]
