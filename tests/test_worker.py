"""A real Celery worker process, on the configured broker (Redis in CI, the filesystem
broker locally), runs the sweep that keeps every job moving or visibly stopped."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from annotations.models import CoverageSearch, SearchStatus
from annotations.tasks import sweep_stale_coverage_searches
from tests.conftest import wait_until
from tests.factories import ClaimFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_sweeps_searches_left_running_or_queued_by_a_lost_job(celery_worker_process):
    queue, worker = celery_worker_process
    claim = ClaimFactory()
    # A search whose message the broker lost six minutes ago: in the database, never sent.
    six_minutes_ago = timezone.now() - dt.timedelta(minutes=6)
    message_lost = CoverageSearch.objects.create(
        claim=claim, task_id=str(uuid.uuid4()), sends=1, sent_at=six_minutes_ago
    )
    stale = CoverageSearch.objects.create(
        claim=claim,
        status=SearchStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(hours=1),
    )
    fresh = CoverageSearch.objects.create(
        claim=claim, status=SearchStatus.RUNNING, started_at=timezone.now()
    )
    lost, waiting = (
        CoverageSearch.objects.create(claim=claim),
        CoverageSearch.objects.create(claim=claim),
    )
    two_hours_ago = timezone.now() - dt.timedelta(hours=2)
    CoverageSearch.objects.filter(pk=lost.pk).update(queued_at=two_hours_ago)

    sweep_stale_coverage_searches.apply_async(queue=queue)

    def swept():
        assert worker.poll() is None, "the worker process died"
        stale.refresh_from_db()
        return stale.status == SearchStatus.FAILED

    assert wait_until(swept, timeout=90), "the worker did not run the task in time"
    assert "time limit" in stale.error
    assert stale.finished_at is not None
    fresh.refresh_from_db()
    assert fresh.status == SearchStatus.RUNNING
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert lost.status == SearchStatus.FAILED and "No worker started this search" in lost.error
    assert waiting.status == SearchStatus.QUEUED

    def ran_after_being_sent_again():
        message_lost.refresh_from_db()
        return message_lost.status == SearchStatus.SUCCEEDED

    assert wait_until(ran_after_being_sent_again, timeout=90), message_lost.status
    assert (message_lost.sends, message_lost.attempts) == (2, 1)
