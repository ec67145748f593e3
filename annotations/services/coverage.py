"""Related-coverage jobs: queue, run, fail, sweep; and the editors' decisions on matches."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import roles
from ..models import CoverageMatch, CoverageSearch, MatchDecision, SearchStatus, Verdict

SEARCH_FAILED = "The search failed: {error}"
UNKNOWN_DECISION = "Unknown decision {value!r}; use confirmed, dismissed or an empty string."
STALE_SEARCH = "Still running after the {limit}s time limit; marked failed by the sweep."
NEVER_STARTED = (
    "No worker started this search within {minutes} minutes (is a worker running?); "
    "marked failed by the sweep. Run the search again."
)
# The task is sent by name: services never import tasks (tasks import services), so the
# dependency runs one way, the Styleguide way.
RUN_TASK = "annotations.tasks.run_coverage_search"
MAX_ERROR = 2000
# Messages sent again by one sweep, at most: a broker that lost many is caught up over a few
# minutes rather than flooded at once.
RESEND_AT_MOST = 500


def coverage_search_queue(*, claim, requested_by=None) -> CoverageSearch:
    """Record a search job in the caller's transaction; send it to the workers only once that
    transaction commits, so a worker never looks for a row that is not there yet."""
    search = CoverageSearch.objects.create(
        claim=claim,
        requested_by=requested_by,
        task_id=str(uuid.uuid4()),
        sent_at=timezone.now(),
        sends=1,
    )
    _send_on_commit(search)
    return search


def _send_on_commit(search: CoverageSearch) -> None:
    from celery import current_app

    transaction.on_commit(
        lambda: current_app.send_task(RUN_TASK, args=(search.id,), task_id=search.task_id)
    )


def _earlier_decisions(search: CoverageSearch) -> dict[tuple[int, int | None], CoverageMatch]:
    """The editors' latest decision on each (article, prior fact-check) among the claim's
    earlier searches."""
    decided = (
        CoverageMatch.objects.filter(search__claim_id=search.claim_id)
        .exclude(search=search)
        .exclude(decision="")
        .order_by("decided_at", "id")
        .only("article_id", "prior_claim_id", "decision", "decided_by_id", "decided_at")
    )
    return {(match.article_id, match.prior_claim_id): match for match in decided}


def coverage_search_run(*, search_id: int) -> CoverageSearch | None:
    """Run one search and replace its matches. Safe to run again for the same search (a
    retried or redelivered task): the matches are replaced, never added twice, and a search
    that already succeeded is left as it is (its message delivered again after its worker
    died before acknowledging it, or sent again by the sweep). Matches found again keep the
    decisions editors made on them in earlier searches."""
    from .. import search as related

    with transaction.atomic():
        search = (
            CoverageSearch.objects.select_for_update()
            .select_related("claim")
            .filter(pk=search_id)
            .first()
        )
        if search is None:  # the claim was deleted since
            return None
        if search.status == SearchStatus.SUCCEEDED:
            return search
        search.status = SearchStatus.RUNNING
        search.attempts += 1
        search.started_at = timezone.now()
        search.error = ""
        search.save(update_fields=["status", "attempts", "started_at", "error"])
    claim = search.claim
    found = related.find_related(
        related.claim_query_text(claim.exact, claim.summary),
        exclude_article_id=claim.article_id,
        fold_near_duplicates=True,
    )
    also_checked = _also_checked(found)
    with transaction.atomic():
        # Two deliveries of one search (a message redelivered while the first run still
        # works) take turns here, so the later replaces the earlier's matches, never adds.
        locked = CoverageSearch.objects.select_for_update().filter(pk=search.pk)
        if not list(locked.values_list("pk", flat=True)):
            return None  # the claim was deleted meanwhile
        decisions = _earlier_decisions(search)
        CoverageMatch.objects.filter(search=search).delete()
        matches = []
        for rank, match in enumerate(found, start=1):
            earlier = decisions.get((match.article_id, match.claim_id))
            matches.append(
                CoverageMatch(
                    search=search,
                    article_id=match.article_id,
                    prior_claim_id=match.claim_id,
                    rank=rank,
                    score=match.score,
                    method=match.method,
                    snippet=match.snippet,
                    decision=earlier.decision if earlier else "",
                    decided_by_id=earlier.decided_by_id if earlier else None,
                    decided_at=earlier.decided_at if earlier else None,
                    also_checked=also_checked[rank - 1],
                )
            )
        CoverageMatch.objects.bulk_create(matches)
        search.status = SearchStatus.SUCCEEDED
        search.finished_at = timezone.now()
        search.save(update_fields=["status", "finished_at"])
    return search


def _also_checked(found) -> list[list[dict]]:
    """What each match shows of the near-duplicates folded under it, as found now."""
    from ..selectors import coverage_link, fact_check_pages

    folded = [other for match in found for other in match.also_checked]
    pages = fact_check_pages([other.claim_id for other in folded if other.claim_id])
    labels = dict(
        Verdict.objects.filter(slug__in={o.verdict for o in folded if o.verdict}).values_list(
            "slug", "label"
        )
    )
    return [
        [
            {
                "article_id": other.article_id,
                "claim_id": other.claim_id,
                "title": other.title,
                "link": coverage_link(
                    article_id=other.article_id,
                    article_url=other.url,
                    fact_check_url=pages.get(other.claim_id, ""),
                ),
                "verdict": (
                    {"slug": other.verdict, "label": labels.get(other.verdict, other.verdict)}
                    if other.verdict
                    else None
                ),
            }
            for other in match.also_checked
        ]
        for match in found
    ]


def coverage_search_fail(*, search_id: int, error: str) -> None:
    CoverageSearch.objects.filter(pk=search_id).exclude(status=SearchStatus.SUCCEEDED).update(
        status=SearchStatus.FAILED,
        error=SEARCH_FAILED.format(error=error)[:MAX_ERROR],
        finished_at=timezone.now(),
    )


@transaction.atomic
def coverage_match_decide(*, match: CoverageMatch, decision: str, actor) -> CoverageMatch:
    """An editor confirms or dismisses a match (an empty decision takes it back). The
    decision holds for that earlier article or fact-check in every search of the claim, so a
    search that finished while the editor read an older one does not lose it."""
    roles.require_editor(actor)
    if decision not in {"", MatchDecision.CONFIRMED, MatchDecision.DISMISSED}:
        raise ValidationError({"decision": UNKNOWN_DECISION.format(value=decision)})
    decided_by = roles.history_user(actor) if decision else None
    decided_at = timezone.now() if decision else None
    CoverageMatch.objects.filter(
        search__claim_id=match.search.claim_id,
        article_id=match.article_id,
        prior_claim_id=match.prior_claim_id,
    ).update(decision=decision, decided_by=decided_by, decided_at=decided_at)
    match.decision, match.decided_by, match.decided_at = decision, decided_by, decided_at
    return match


@dataclass(frozen=True)
class SweepReport:
    failed_running: int = 0
    failed_queued: int = 0
    sent_again: int = 0


@transaction.atomic
def coverage_searches_sweep_stale(
    *, time_limit_seconds: int, queue_limit_seconds: int, resend_after_seconds: int
) -> SweepReport:
    """Keep every job moving or visibly stopped (beat runs this every minute):

    - a search still `running` past its time limit is failed, with the reason;
    - a search still `queued` `resend_after_seconds` after its message was sent is sent
      again: no broker is safe from losing one (Redis drops a message popped by a worker
      killed before it noted it as unacknowledged; the filesystem broker deletes a message
      as it hands it out). A second delivery of a search that ran is harmless
      (coverage_search_run);
    - a search still `queued` past the queue limit is failed, with the reason."""
    now = timezone.now()
    failed_running = CoverageSearch.objects.filter(
        status=SearchStatus.RUNNING, started_at__lt=now - dt.timedelta(seconds=time_limit_seconds)
    ).update(
        status=SearchStatus.FAILED,
        error=STALE_SEARCH.format(limit=time_limit_seconds),
        finished_at=now,
    )
    failed_queued = CoverageSearch.objects.filter(
        status=SearchStatus.QUEUED, queued_at__lt=now - dt.timedelta(seconds=queue_limit_seconds)
    ).update(
        status=SearchStatus.FAILED,
        error=NEVER_STARTED.format(minutes=queue_limit_seconds // 60),
        finished_at=now,
    )
    lost = list(
        CoverageSearch.objects.select_for_update(skip_locked=True)
        .filter(
            status=SearchStatus.QUEUED,
            sent_at__lt=now - dt.timedelta(seconds=resend_after_seconds),
        )
        .only("id", "task_id")[:RESEND_AT_MOST]
    )
    for search in lost:
        _send_on_commit(search)
    CoverageSearch.objects.filter(pk__in=[search.pk for search in lost]).update(
        sent_at=now, sends=F("sends") + 1
    )
    return SweepReport(failed_running, failed_queued, sent_again=len(lost))
