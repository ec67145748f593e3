"""The operations of factcheck. Every door (API, admin, editor pages, commands, tasks) calls
these, so each rule lives in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import anchoring, roles
from .models import (
    Article,
    Claim,
    ClaimStatus,
    ClaimTransition,
    CoverageSearch,
    SearchStatus,
    Source,
    SourceRelation,
    Verdict,
)

UNKNOWN_VERDICT = "Unknown verdict {value!r}; use one of: {choices}."
NOT_AN_EDITOR = "Only editors and reviewers may change claims."
ONLY_REVIEWERS_EDIT_PUBLISHED = "A published claim can only be changed by a reviewer."
ONLY_REVIEWERS_TRANSITION = "Only a reviewer may move a claim to {to!r}."
ILLEGAL_TRANSITION = "A {current!r} claim cannot move to {to!r}; allowed: {allowed}."
REASON_REQUIRED = "Sending a claim back to draft needs a reason."
STALE_SEARCH = "Still running after the {limit}s time limit; marked failed by the sweep."

# to-status → the statuses it can be reached from. Only `in_review` is open to editors.
TRANSITIONS: dict[str, set[str]] = {
    ClaimStatus.IN_REVIEW: {ClaimStatus.DRAFT},
    ClaimStatus.APPROVED: {ClaimStatus.IN_REVIEW},
    ClaimStatus.PUBLISHED: {ClaimStatus.APPROVED},
    ClaimStatus.DRAFT: {ClaimStatus.IN_REVIEW, ClaimStatus.APPROVED, ClaimStatus.PUBLISHED},
}
EDITOR_TRANSITIONS = {ClaimStatus.IN_REVIEW}


def allowed_transitions(status: str) -> list[str]:
    return [to for to, sources in TRANSITIONS.items() if status in sources]


# -- articles ----------------------------------------------------------------------------


def article_create(
    *,
    title: str,
    body: str,
    url: str = "",
    publisher: str = "",
    byline: str = "",
    published_at: dt.datetime | None = None,
    language: str = "en",
    body_html: str = "",
    is_archive: bool = False,
    import_source: str = "",
    created_by=None,
) -> Article:
    article = Article(
        title=title.strip(),
        body=anchoring.normalize_newlines(body),
        url=url.strip(),
        publisher=publisher.strip(),
        byline=byline.strip(),
        published_at=published_at,
        language=language or "en",
        body_html=body_html,
        is_archive=is_archive,
        import_source=import_source,
        created_by=created_by,
    )
    article.full_clean()
    article.save()
    return article


def article_find_existing(*, url: str, title: str, body: str) -> Article | None:
    """The article an import would duplicate: the same url, or with no url the same title
    and text."""
    if url:
        return Article.objects.filter(url=url.strip()).first()
    body = anchoring.normalize_newlines(body)
    for candidate in Article.objects.filter(url="", title=title.strip()).only("id", "body"):
        if candidate.body == body:
            return candidate
    return None


# -- verdicts ----------------------------------------------------------------------------


def verdict_lookup(value: str) -> Verdict:
    """A verdict by slug or label, case-insensitively ("False", "mostly-true")."""
    wanted = value.strip().lower()
    for verdict in Verdict.objects.all():
        if wanted in (verdict.slug, verdict.label.lower()):
            return verdict
    choices = ", ".join(Verdict.objects.values_list("slug", flat=True))
    raise ValidationError({"verdict": UNKNOWN_VERDICT.format(value=value, choices=choices)})


# -- claims ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceData:
    url: str
    title: str = ""
    publisher: str = ""
    quote: str = ""
    relation: str = SourceRelation.CONTEXT
    accessed_at: dt.datetime | None = None


def _require_editor(user) -> None:
    if user is not None and not roles.is_editor(user):
        raise PermissionDenied(NOT_AN_EDITOR)


def _sources_create(claim: Claim, sources: Iterable[SourceData]) -> None:
    for data in sources:
        source = Source(
            claim=claim,
            url=data.url.strip(),
            title=data.title,
            publisher=data.publisher,
            quote=data.quote,
            relation=data.relation,
            accessed_at=data.accessed_at,
        )
        source.full_clean()
        source.save()


@transaction.atomic
def claim_create(
    *,
    article: Article,
    exact: str,
    start: int | None = None,
    end: int | None = None,
    prefix: str = "",
    suffix: str = "",
    claimant: str = "",
    claim_date: dt.date | None = None,
    verdict: Verdict | None = None,
    summary: str = "",
    sources: Iterable[SourceData] = (),
    created_by=None,
) -> Claim:
    """Mark a claim in an article. The selector is checked against the text (and corrected
    when only the positions are off); raises anchoring.SelectorError when it cannot be
    placed."""
    _require_editor(created_by)
    anchor = anchoring.locate(article.body, exact, start, end, prefix, suffix)
    claim = Claim(
        article=article,
        exact=anchor.exact,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        start=anchor.start,
        end=anchor.end,
        claimant=claimant.strip(),
        claim_date=claim_date,
        verdict=verdict,
        summary=summary,
        created_by=created_by,
    )
    claim.full_clean()
    claim.save()
    _sources_create(claim, sources)
    return claim


@transaction.atomic
def prior_fact_check_create(
    *,
    article: Article,
    quote: str,
    verdict: Verdict | None,
    claimant: str = "",
    review_url: str = "",
    note: str,
) -> Claim:
    """An earlier, already published fact-check imported with archive coverage. It skips the
    review desk, so the trail records where it came from instead of who approved it."""
    anchor = anchoring.locate(article.body, quote)
    now = timezone.now()
    claim = Claim(
        article=article,
        exact=anchor.exact,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        start=anchor.start,
        end=anchor.end,
        claimant=claimant.strip(),
        verdict=verdict,
        status=ClaimStatus.PUBLISHED,
        reviewed_at=now,
    )
    claim.full_clean()
    claim.save()
    if review_url:
        _sources_create(claim, [SourceData(url=review_url, title=article.title)])
    ClaimTransition.objects.create(
        claim=claim, from_status=ClaimStatus.DRAFT, to_status=ClaimStatus.PUBLISHED, reason=note
    )
    return claim


@transaction.atomic
def claim_transition(*, claim: Claim, to: str, actor, reason: str = "") -> Claim:
    """Move a claim through the review workflow and record who did it and why."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    current = claim.status
    allowed = allowed_transitions(current)
    if to not in allowed:
        raise ValidationError(
            {
                "to": ILLEGAL_TRANSITION.format(
                    current=current, to=to, allowed=", ".join(allowed) or "none"
                )
            }
        )
    _require_editor(actor)
    if to not in EDITOR_TRANSITIONS and not roles.is_reviewer(actor):
        raise PermissionDenied(ONLY_REVIEWERS_TRANSITION.format(to=to))
    reason = reason.strip()
    if to == ClaimStatus.DRAFT and not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    claim.status = to
    claim.version += 1
    update_fields = ["status", "version", "updated_at"]
    if to == ClaimStatus.APPROVED:
        claim.reviewed_by = actor
        claim.reviewed_at = timezone.now()
        update_fields += ["reviewed_by", "reviewed_at"]
    claim._change_reason = reason or f"{current} → {to}"
    claim.save(update_fields=update_fields)
    ClaimTransition.objects.create(
        claim=claim, from_status=current, to_status=to, actor=actor, reason=reason
    )
    return claim


# -- related-coverage jobs ---------------------------------------------------------------


def coverage_searches_sweep_stale(*, time_limit_seconds: int) -> int:
    """Mark searches still `running` past their time limit as failed, so a killed worker
    never leaves a job that looks alive forever. Returns how many were swept."""
    cutoff = timezone.now() - dt.timedelta(seconds=time_limit_seconds)
    return CoverageSearch.objects.filter(status=SearchStatus.RUNNING, started_at__lt=cutoff).update(
        status=SearchStatus.FAILED,
        error=STALE_SEARCH.format(limit=time_limit_seconds),
        finished_at=timezone.now(),
    )
