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
    AnchorState,
    Article,
    Claim,
    ClaimStatus,
    ClaimTransition,
    CoverageMatch,
    CoverageSearch,
    MatchDecision,
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
STALE_VERSION = "Someone else changed this claim (now version {current}, you sent {sent})."
CANNOT_DELETE_PUBLISHED = "A published claim can only be deleted by a reviewer."
SEARCH_FAILED = "The search failed: {error}"
UNKNOWN_DECISION = "Unknown decision {value!r}; use confirmed, dismissed or an empty string."
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


@dataclass(frozen=True)
class ReanchorReport:
    stayed: int = 0
    moved: int = 0
    orphaned: int = 0

    def as_dict(self) -> dict:
        return {"stayed": self.stayed, "moved": self.moved, "orphaned": self.orphaned}


ARTICLE_EDITABLE_FIELDS = {
    "title",
    "url",
    "publisher",
    "byline",
    "published_at",
    "language",
    "is_archive",
}


@transaction.atomic
def article_update(*, article: Article, actor, body: str | None = None, **fields) -> Article:
    """Change an article. A new body re-anchors every claim on it (stayed, moved or
    orphaned; never silently moved onto other words) and the counts are kept on the
    article."""
    _require_editor(actor)
    unknown = set(fields) - ARTICLE_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    article = Article.objects.select_for_update().get(pk=article.pk)
    for name, value in fields.items():
        setattr(article, name, value.strip() if isinstance(value, str) else value)
    if body is not None:
        body = anchoring.normalize_newlines(body)
        if body != article.body:
            old_body, article.body = article.body, body
            article.revision += 1
            article.reanchor_report = _claims_reanchor(article, old_body, actor).as_dict()
    article._history_user = actor
    article.full_clean()
    article.save()
    return article


def _claims_reanchor(article: Article, old_body: str, actor) -> ReanchorReport:
    claims = [
        claim
        for claim in article.claims.select_for_update().order_by("id")
        if claim.anchor_state != AnchorState.ORPHANED
    ]
    already_orphaned = article.claims.filter(anchor_state=AnchorState.ORPHANED).count()
    selectors = [anchoring.Selector(c.exact, c.prefix, c.suffix, c.start, c.end) for c in claims]
    counts = {anchoring.STAYED: 0, anchoring.MOVED: 0, anchoring.ORPHANED: already_orphaned}
    for claim, placement in zip(
        claims, anchoring.reanchor_all(old_body, article.body, selectors), strict=True
    ):
        counts[placement.outcome] += 1
        anchor = placement.anchor
        if anchor is None:
            claim.anchor_state = AnchorState.ORPHANED
        elif (anchor.start, anchor.end, anchor.prefix, anchor.suffix) == (
            claim.start,
            claim.end,
            claim.prefix,
            claim.suffix,
        ):
            continue
        else:
            claim.exact, claim.start, claim.end = anchor.exact, anchor.start, anchor.end
            claim.prefix, claim.suffix = anchor.prefix, anchor.suffix
            if placement.outcome == anchoring.MOVED:
                claim.anchor_state = AnchorState.REANCHORED
        claim.version += 1
        claim._history_user = actor
        claim._change_reason = f"Article text edited: {placement.outcome}"
        claim.save()
    return ReanchorReport(**counts)


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


def _anchor_fields(anchor: anchoring.Anchor) -> dict:
    """A placed selector as Claim fields."""
    return {
        "exact": anchor.exact,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
        "start": anchor.start,
        "end": anchor.end,
    }


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
    assignee=None,
    created_by=None,
) -> Claim:
    """Mark a claim in an article. The selector is checked against the text (and corrected
    when only the positions are off); raises anchoring.SelectorError when it cannot be
    placed."""
    _require_editor(created_by)
    anchor = anchoring.locate(article.body, exact, start, end, prefix, suffix)
    claim = Claim(
        article=article,
        **_anchor_fields(anchor),
        claimant=claimant.strip(),
        claim_date=claim_date,
        verdict=verdict,
        summary=summary,
        assignee=assignee,
        created_by=created_by,
    )
    claim._history_user = created_by
    claim.full_clean()
    claim.save()
    _sources_create(claim, sources)
    coverage_search_queue(claim=claim, requested_by=created_by)
    return claim


class ClaimConflict(Exception):
    """The claim changed since the version the caller read; nothing was written."""

    def __init__(self, current: Claim, sent: int):
        super().__init__(STALE_VERSION.format(current=current.version, sent=sent))
        self.current = current


CLAIM_EDITABLE_FIELDS = {"claimant", "claim_date", "verdict", "summary", "assignee"}


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    version: int,
    actor,
    selector: dict | None = None,
    sources: Iterable[SourceData] | None = None,
    **fields,
) -> Claim:
    """Edit a claim under optimistic locking: `version` is the one the editor read; if the
    claim moved on since, ClaimConflict is raised and nothing is written. `sources`, when
    given, replaces the claim's list of sources."""
    _require_editor(actor)
    unknown = set(fields) - CLAIM_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    # The row lock makes a concurrent update wait, then see the new version and refuse.
    current = Claim.objects.select_for_update().select_related("article").get(pk=claim.pk)
    if current.version != version:
        raise ClaimConflict(current, version)
    if current.status == ClaimStatus.PUBLISHED and not roles.is_reviewer(actor):
        raise PermissionDenied(ONLY_REVIEWERS_EDIT_PUBLISHED)
    if selector is not None:
        anchor = anchoring.locate(
            current.article.body,
            selector["exact"],
            selector.get("start"),
            selector.get("end"),
            selector.get("prefix", ""),
            selector.get("suffix", ""),
        )
        current.exact, current.start, current.end = anchor.exact, anchor.start, anchor.end
        current.prefix, current.suffix = anchor.prefix, anchor.suffix
        current.anchor_state = AnchorState.ANCHORED
    for name, value in fields.items():
        setattr(current, name, value.strip() if name == "claimant" else value)
    current.version += 1
    current._history_user = actor
    current.full_clean()
    current.save()
    if sources is not None:
        for source in current.sources.all():
            source._history_user = actor
            source.delete()
        _sources_create(current, sources)
    return current


@transaction.atomic
def claim_delete(*, claim: Claim, actor) -> None:
    _require_editor(actor)
    if claim.status == ClaimStatus.PUBLISHED and not roles.is_reviewer(actor):
        raise PermissionDenied(CANNOT_DELETE_PUBLISHED)
    claim._history_user = actor
    claim.delete()


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
        **_anchor_fields(anchor),
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


IMPORTED_FROM = "Imported from {source}"


@transaction.atomic
def claim_import(
    *,
    article: Article,
    selector: anchoring.Selector,
    anchor_state: str,
    status: str,
    source_name: str,
    claimant: str = "",
    claim_date: dt.date | None = None,
    verdict: Verdict | None = None,
    summary: str = "",
    sources: Iterable[SourceData] = (),
    created_by=None,
    reviewed_by=None,
    reviewed_at: dt.datetime | None = None,
    created_at: dt.datetime | None = None,
) -> Claim | None:
    """A claim exported by another instance (import_claims), with its review state.

    It is placed in this instance's text of the article like any claim (corrected positions
    make it `reanchored`); a claim already orphaned where it came from keeps its selector.
    Returns None when the article already holds the same claim (the same words, the same
    claimant), so importing a file twice creates nothing twice. No coverage search is queued:
    an archive move would flood the queue; the editor asks for one from the claim's panel."""
    claimant = claimant.strip()
    try:
        anchor = anchoring.locate(
            article.body,
            selector.exact,
            selector.start,
            selector.end,
            selector.prefix,
            selector.suffix,
        )
    except anchoring.SelectorError:
        if anchor_state != AnchorState.ORPHANED:
            raise
        anchor = anchoring.Anchor(
            selector.start, selector.end, selector.exact, selector.prefix, selector.suffix
        )
    else:
        if anchor.corrected:
            anchor_state = AnchorState.REANCHORED
    duplicate = Claim.objects.filter(
        article=article, exact=anchor.exact, start=anchor.start, end=anchor.end, claimant=claimant
    )
    if duplicate.exists():
        return None
    reason = IMPORTED_FROM.format(source=source_name)
    claim = Claim(
        article=article,
        **_anchor_fields(anchor),
        anchor_state=anchor_state,
        claimant=claimant,
        claim_date=claim_date,
        verdict=verdict,
        summary=summary,
        status=status,
        created_by=created_by,
        reviewed_by=reviewed_by,
        reviewed_at=reviewed_at,
    )
    claim._change_reason = reason
    claim.full_clean()
    claim.save()
    if created_at is not None:  # auto_now_add ignores a given value; keep the original
        Claim.objects.filter(pk=claim.pk).update(created_at=created_at)
        claim.created_at = created_at
    _sources_create(claim, sources)
    if status != ClaimStatus.DRAFT:
        ClaimTransition.objects.create(
            claim=claim, from_status=ClaimStatus.DRAFT, to_status=status, reason=reason
        )
    return claim


@transaction.atomic
def claim_transition(*, claim: Claim, to: str, actor, reason: str = "") -> Claim:
    """Move a claim through the review workflow and record who did it and why."""
    to = str(to)  # a ClaimStatus member or its value
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
    claim._history_user = actor
    claim.save(update_fields=update_fields)
    ClaimTransition.objects.create(
        claim=claim, from_status=current, to_status=to, actor=actor, reason=reason
    )
    return claim


# -- related-coverage jobs ---------------------------------------------------------------


def coverage_search_queue(*, claim: Claim, requested_by=None) -> CoverageSearch:
    """Record a search job in the caller's transaction; send it to the workers only once that
    transaction commits, so a worker never looks for a row that is not there yet."""
    import uuid

    from . import tasks

    search = CoverageSearch.objects.create(
        claim=claim, requested_by=requested_by, task_id=str(uuid.uuid4())
    )
    transaction.on_commit(
        lambda: tasks.run_coverage_search.apply_async((search.id,), task_id=search.task_id)
    )
    return search


def coverage_search_run(*, search_id: int) -> CoverageSearch | None:
    """Run one search and replace its matches. Safe to run again for the same search (a
    retried or redelivered task): the matches are replaced, never added twice."""
    from . import search as related

    with transaction.atomic():
        search = (
            CoverageSearch.objects.select_for_update()
            .select_related("claim")
            .filter(pk=search_id)
            .first()
        )
        if search is None:  # the claim was deleted since
            return None
        search.status = SearchStatus.RUNNING
        search.attempts += 1
        search.started_at = timezone.now()
        search.error = ""
        search.save(update_fields=["status", "attempts", "started_at", "error"])
    claim = search.claim
    found = related.find_related(
        related.claim_query_text(claim.exact, claim.summary),
        exclude_article_id=claim.article_id,
    )
    with transaction.atomic():
        CoverageMatch.objects.filter(search=search).delete()
        CoverageMatch.objects.bulk_create(
            CoverageMatch(
                search=search,
                article_id=match.article_id,
                prior_claim_id=match.claim_id,
                rank=rank,
                score=match.score,
                method=match.method,
                snippet=match.snippet,
            )
            for rank, match in enumerate(found, start=1)
        )
        search.status = SearchStatus.SUCCEEDED
        search.finished_at = timezone.now()
        search.save(update_fields=["status", "finished_at"])
    return search


def coverage_search_fail(*, search_id: int, error: str) -> None:
    CoverageSearch.objects.filter(pk=search_id).exclude(status=SearchStatus.SUCCEEDED).update(
        status=SearchStatus.FAILED,
        error=SEARCH_FAILED.format(error=error)[:2000],
        finished_at=timezone.now(),
    )


def coverage_match_decide(*, match: CoverageMatch, decision: str, actor) -> CoverageMatch:
    """An editor confirms or dismisses a match (an empty decision takes it back)."""
    _require_editor(actor)
    if decision not in {"", MatchDecision.CONFIRMED, MatchDecision.DISMISSED}:
        raise ValidationError({"decision": UNKNOWN_DECISION.format(value=decision)})
    match.decision = decision
    match.decided_by = actor if decision else None
    match.decided_at = timezone.now() if decision else None
    match.save(update_fields=["decision", "decided_by", "decided_at"])
    return match


def coverage_searches_sweep_stale(*, time_limit_seconds: int) -> int:
    """Mark searches still `running` past their time limit as failed, so a killed worker
    never leaves a job that looks alive forever. Returns how many were swept."""
    cutoff = timezone.now() - dt.timedelta(seconds=time_limit_seconds)
    return CoverageSearch.objects.filter(status=SearchStatus.RUNNING, started_at__lt=cutoff).update(
        status=SearchStatus.FAILED,
        error=STALE_SEARCH.format(limit=time_limit_seconds),
        finished_at=timezone.now(),
    )


# -- pasted articles ---------------------------------------------------------------------


def article_create_from_paste(
    *, title: str, content: str, is_html: bool, url: str = "", publisher: str = "", created_by
) -> Article:
    """An article pasted into the editor: HTML is sanitized and stored, and its plain text
    becomes the body that claims point into."""
    from . import html_text

    _require_editor(created_by)
    if is_html:
        body_html = html_text.sanitize(content)
        body = html_text.html_to_text(body_html)
    else:
        body_html, body = "", content
    return article_create(
        title=title,
        body=body,
        body_html=body_html,
        url=url,
        publisher=publisher,
        created_by=created_by,
    )
