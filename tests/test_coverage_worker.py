"""A real worker on the real broker runs the related-coverage jobs; a worker killed in the
middle of one never leaves it `running`."""

import os
import signal
from pathlib import Path

import pytest

from annotations import roles, services
from annotations.anchoring import Selector
from annotations.models import CoverageSearch
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
