"""Celery tasks: thin wrappers that take ids and call services."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task
def sweep_stale_coverage_searches() -> int:
    # A little slack past the hard limit so a job finishing right at the limit is not swept.
    return services.coverage_searches_sweep_stale(
        time_limit_seconds=settings.COVERAGE_SEARCH_TIME_LIMIT + 30
    )
