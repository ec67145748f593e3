"""Celery tasks: thin wrappers that take ids and call services. Services send them by name
(services.coverage.RUN_TASK), so this module is the only one that imports both."""

from dataclasses import asdict

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import services

TIME_LIMIT = settings.COVERAGE_SEARCH_TIME_LIMIT


class CoverageSearchTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Retries exhausted, or an error no retry can fix: say so on the job.
        reason = (
            f"took longer than {TIME_LIMIT} s"
            if isinstance(exc, SoftTimeLimitExceeded)
            else f"{type(exc).__name__}: {exc}"
        )
        services.coverage_search_fail(search_id=args[0], error=reason)


@shared_task(
    base=CoverageSearchTask,
    acks_late=True,  # a search lost with its worker is delivered again...
    reject_on_worker_lost=True,  # ...also when the worker process is killed
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=min(60, TIME_LIMIT),  # within the broker's visibility timeout
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=max(1, TIME_LIMIT - 5),
    time_limit=TIME_LIMIT,
)
def run_coverage_search(search_id: int) -> None:
    services.coverage_search_run(search_id=search_id)


@shared_task
def sweep_stale_coverage_searches() -> dict:
    # A little slack past the hard limit so a job finishing right at the limit is not swept.
    report = services.coverage_searches_sweep_stale(
        time_limit_seconds=TIME_LIMIT + 30,
        queue_limit_seconds=settings.COVERAGE_SEARCH_QUEUE_LIMIT,
        resend_after_seconds=settings.COVERAGE_SEARCH_RESEND_AFTER,
    )
    return asdict(report)


@shared_task
def refresh_search_statistics() -> None:
    from . import search

    search.refresh_statistics()


# The jobs that keep an article's derived data current (its search vectors, its sentences'
# scores): idempotent, so a job lost with its worker is delivered again, and one that met a
# passing database error is tried again.
ARTICLE_JOB = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "max_retries": 5,
}


@shared_task(**ARTICLE_JOB)
def embed_article(article_id: int) -> int:
    # Idempotent: an up-to-date vector is left alone, so a redelivered task costs nothing.
    return services.article_vectors_refresh(article_ids=[article_id])


@shared_task(**ARTICLE_JOB)
def suggest_sentences(article_id: int) -> int:
    # Idempotent: an article scored at its revision by the serving scorer is left alone.
    return services.article_suggestions_refresh(article_id=article_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def retrain_suggestions() -> int | None:
    # The beat asks every few minutes; the service trains only when enough new labels came
    # in and the last model is old enough.
    model = services.suggestions_retrain_if_due()
    return model.pk if model else None
