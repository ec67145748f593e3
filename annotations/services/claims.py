"""Claims: marking, editing, review, deletion and revert. The record's rules (README, "The
record") are enforced here, for every door:

1. A claim's quote changes only by a person acting on that claim (claim_create,
   claim_update with a selector, claim_revert); article edits never rewrite it
   (services.articles, anchoring.py).
2. What is published is what a reviewer approved: changing the substance of a claim in
   review or approved sends it back to draft, recorded; a published claim is changed only by
   a reviewer, who thereby approves the change; approval needs what
   settings.FACTCHECK_APPROVAL_REQUIRES names, and words that still stand in the text.
3. An update changes only what it names; nothing refused writes anything (each service is
   one transaction, and checks before it writes).
4. One claim per words and claimant; a quote holds a letter or digit and whole words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import anchoring, roles
from ..anchoring import Selector
from ..models import (
    AnchorState,
    Article,
    Claim,
    ClaimStatus,
    ClaimTransition,
    Source,
    SourceRelation,
    Verdict,
)
from .coverage import coverage_search_queue
from .notes import note_create
from .vectors import article_vectors_queue, article_vectors_touch

ONLY_REVIEWERS_EDIT_PUBLISHED = "A published claim can only be changed by a reviewer."
ONLY_REVIEWERS_TRANSITION = "Only a reviewer may move a claim to {to!r}."
ONLY_REVIEWERS_REVERT = "Only reviewers may revert a claim to an earlier version."
ILLEGAL_TRANSITION = "This claim is {current} and cannot move to {to}; allowed: {allowed}."
REASON_REQUIRED = "Sending a claim back to draft needs a reason."
APPROVAL_NEEDS = "Approval needs {missing}; this claim has none yet."
PUBLISHED_NEEDS = "A published claim keeps what approval needs: {missing} would be missing."
WORDS_NEED_PLACING = (
    "The article's text changed under this claim ({state}): accept the proposed words or "
    "place the claim again before it is approved or published."
)
STALE_VERSION = "Someone else changed this claim (now version {current}, you sent {sent})."
DUPLICATE_CLAIM = "Claim {id} already marks these words with this claimant."
CANNOT_DELETE_PUBLISHED = "A published claim can only be deleted by a reviewer."
UNKNOWN_SOURCE = "Source {id} is not a source of this claim."
NO_SUCH_VERSION = "This claim has no version {id} in its history."
BACK_TO_DRAFT = "Back to draft: {fields} changed after review."
PUBLISHED_CHANGE = "Published claim changed by a reviewer: {fields}."
REVERTED = "Reverted to the version of {date}."
REVERT_WORDS_GONE = "That version's words are no longer in the article's text: {error}"
NOT_EDITABLE = "not editable: {names}"

CLAIM_EDITABLE_FIELDS = {"claimant", "claim_date", "verdict", "summary", "assignee"}
# What a reviewer approves: a change to any of these takes the claim out of review.
SUBSTANCE = ("quote", "claimant", "claim_date", "verdict", "summary", "sources")
REQUIREMENT_LABELS = {"verdict": "a verdict", "summary": "a summary", "sources": "a source"}
SOURCE_FIELDS = ("url", "title", "publisher", "quote", "relation", "accessed_at")


# -- the review workflow ---------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    to: str
    label: str
    reviewer_only: bool
    needs_reason: bool = False
    # What the editor asks before the move, when it puts the claim in front of readers.
    confirm: str = ""

    def offer(self) -> dict:
        """The move as a claim's `allowed_transitions` carries it to the editor."""
        return {
            "to": self.to,
            "label": self.label,
            "needs_reason": self.needs_reason,
            "confirm": self.confirm,
        }


PUBLISH_CONFIRM = (
    "Publish this claim? Its verdict goes out to readers and in the ClaimReview export."
)


# from-status → the moves out of it. The editor page draws its buttons from this (as data in
# each claim's `allowed_transitions`); README, "Review", says the same in words.
TRANSITIONS: dict[str, list[Transition]] = {
    ClaimStatus.DRAFT: [Transition(ClaimStatus.IN_REVIEW, "Submit for review", False)],
    ClaimStatus.IN_REVIEW: [
        Transition(ClaimStatus.APPROVED, "Approve", True),
        Transition(ClaimStatus.DRAFT, "Send back", True, needs_reason=True),
    ],
    ClaimStatus.APPROVED: [
        Transition(ClaimStatus.PUBLISHED, "Publish", True, confirm=PUBLISH_CONFIRM),
        Transition(ClaimStatus.DRAFT, "Send back", True, needs_reason=True),
    ],
    ClaimStatus.PUBLISHED: [Transition(ClaimStatus.DRAFT, "Unpublish", True, needs_reason=True)],
}


def allowed_transitions(status: str) -> list[str]:
    """Every status a claim in `status` can move to, whoever asks."""
    return [move.to for move in TRANSITIONS.get(status, [])]


def user_transitions(user) -> dict[str, list[Transition]]:
    """The moves `user` may make, by the status a claim is in (the editor's buttons)."""
    if not roles.is_editor(user):
        return {}
    reviewer = roles.is_reviewer(user)
    return {
        status: [move for move in moves if reviewer or not move.reviewer_only]
        for status, moves in TRANSITIONS.items()
    }


def editable_statuses(user) -> list[str]:
    """The statuses in which `user` may change a claim: published ones only for reviewers."""
    if not roles.is_editor(user):
        return []
    return [
        status
        for status in ClaimStatus.values
        if status != ClaimStatus.PUBLISHED or roles.is_reviewer(user)
    ]


def _for_this_user(user, name: str, work):
    """What `work(user)` says of a user, kept on the user object (a request's): a list of
    claims asks it once per claim. Users without an object to keep it on are asked afresh."""
    if user is None or user is roles.SYSTEM:
        return work(user)
    kept = getattr(user, name, None)
    if kept is None:
        kept = work(user)
        setattr(user, name, kept)
    return kept


def claim_change_sends_back(*, claim: Claim) -> bool:
    """Whether changing the claim's substance (quote, claimant, date, verdict, summary,
    sources) takes it back to draft: it is in review or approved, and what a reviewer
    approves is what is published."""
    return change_sends_back_in(claim.status)


def claim_transitions_for(*, claim: Claim, user) -> list[Transition]:
    return transitions_in(claim.status, user)


def claim_can_edit(*, claim: Claim, user) -> bool:
    return editable_in(claim.status, user)


# What a user may do with a claim depends on its status alone (a list asks once per status).


def change_sends_back_in(status: str) -> bool:
    return status in (ClaimStatus.IN_REVIEW, ClaimStatus.APPROVED)


def transitions_in(status: str, user) -> list[Transition]:
    moves = _for_this_user(user, "_factcheck_moves", user_transitions)
    return moves.get(status, [])


def editable_in(status: str, user) -> bool:
    editable = _for_this_user(user, "_factcheck_editable", lambda u: set(editable_statuses(u)))
    return status in editable


def approval_missing(claim: Claim) -> list[str]:
    """What settings.FACTCHECK_APPROVAL_REQUIRES asks of a claim that it lacks."""
    have = {
        "verdict": claim.verdict_id is not None,
        "summary": bool(claim.summary.strip()),
        "sources": claim.sources.exists(),
    }
    return [name for name in settings.FACTCHECK_APPROVAL_REQUIRES if not have[name]]


@transaction.atomic
def claim_transition(*, claim: Claim, to: str, actor, reason: str = "") -> Claim:
    """Move a claim through the review workflow and record who did it and why."""
    to = str(to)  # a ClaimStatus member or its value
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    current = claim.status
    move = next((m for m in TRANSITIONS.get(current, []) if m.to == to), None)
    if move is None:
        allowed = ", ".join(allowed_transitions(current)) or "none"
        label = ClaimStatus(current).label.lower()
        raise ValidationError(
            {"to": ILLEGAL_TRANSITION.format(current=label, to=to, allowed=allowed)}
        )
    roles.require_editor(actor)
    if move.reviewer_only:
        roles.require_reviewer(actor, ONLY_REVIEWERS_TRANSITION.format(to=to))
    reason = reason.strip()
    if move.needs_reason and not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    if to in (ClaimStatus.APPROVED, ClaimStatus.PUBLISHED):
        if claim.anchor_state in AnchorState.needs_attention():
            raise ValidationError({"to": WORDS_NEED_PLACING.format(state=claim.anchor_state)})
        missing = approval_missing(claim)
        if missing:
            needs = " and ".join(REQUIREMENT_LABELS[name] for name in missing)
            raise ValidationError({"to": APPROVAL_NEEDS.format(missing=needs)})
    claim.status = to
    claim.version += 1
    update_fields = ["status", "version", "updated_at"]
    if to == ClaimStatus.APPROVED:
        claim.reviewed_by = roles.history_user(actor)
        claim.reviewed_at = timezone.now()
        update_fields += ["reviewed_by", "reviewed_at"]
    claim._change_reason = reason or f"{ClaimStatus(current).label} → {ClaimStatus(to).label}"
    claim._history_user = roles.history_user(actor)
    claim.save(update_fields=update_fields)
    step = ClaimTransition.objects.create(
        claim=claim,
        from_status=current,
        to_status=to,
        actor=roles.history_user(actor),
        reason=reason,
    )
    if reason:  # the editor reads why in the claim's thread
        note_create(claim=claim, actor=actor, text=reason, transition=step)
    if ClaimStatus.PUBLISHED in (current, to):  # it becomes, or stops being, a prior fact-check
        article_vectors_queue(article_id=claim.article_id)
    return claim


# -- sources -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceData:
    url: str
    title: str = ""
    publisher: str = ""
    quote: str = ""
    relation: str = SourceRelation.CONTEXT
    accessed_at: dt.datetime | None = None


@dataclass(frozen=True)
class SourceChanges:
    """What an update does to a claim's sources: new ones, named fields of existing ones (by
    id; fields not named are kept), and the ids to remove. Nothing else is touched."""

    create: tuple[SourceData, ...] = ()
    update: dict[int, dict] = field(default_factory=dict)
    remove: frozenset[int] = frozenset()

    @classmethod
    def replacing(cls, claim: Claim, items: Iterable[dict]) -> SourceChanges:
        """A full list, as the API's `sources` sends it: an item with an `id` changes that
        source (only the fields it carries), one without is new, and a source missing from
        the list is removed."""
        create, update = [], {}
        for item in items:
            item = dict(item)
            source_id = item.pop("id", None)
            if source_id is None:
                create.append(SourceData(**item))
            else:
                update[source_id] = item
        kept = set(update)
        current = set(claim.sources.values_list("id", flat=True))
        return cls(tuple(create), update, frozenset(current - kept))

    def __bool__(self) -> bool:
        return bool(self.create or self.update or self.remove)


def _source_save(source: Source, actor) -> None:
    source.url = source.url.strip()
    source._history_user = roles.history_user(actor)
    source.full_clean(exclude=["claim"])
    source.save()


def _sources_apply(claim: Claim, changes: SourceChanges, actor) -> bool:
    """Apply `changes` to the claim's sources; whether anything actually changed."""
    existing = {source.id: source for source in claim.sources.all()}
    for source_id in set(changes.update) | set(changes.remove):
        if source_id not in existing:
            raise ValidationError({"sources": UNKNOWN_SOURCE.format(id=source_id)})
    changed = False
    for source_id, values in changes.update.items():
        source = existing[source_id]
        names = [name for name in SOURCE_FIELDS if name in values]
        if all(getattr(source, name) == values[name] for name in names):
            continue
        for name in names:
            setattr(source, name, values[name])
        _source_save(source, actor)
        changed = True
    for source_id in changes.remove:
        source = existing[source_id]
        source._history_user = roles.history_user(actor)
        source.delete()
        changed = True
    for data in changes.create:
        _source_save(Source(claim=claim, **asdict(data)), actor)
        changed = True
    return changed


# -- marking and editing -----------------------------------------------------------------


class ClaimConflict(Exception):
    """The claim changed since the version the caller read; nothing was written."""

    def __init__(self, current: Claim, sent: int):
        super().__init__(STALE_VERSION.format(current=current.version, sent=sent))
        self.current = current


class ClaimDuplicate(Exception):
    """The article already holds a claim on these words with this claimant."""

    def __init__(self, existing: Claim):
        super().__init__(DUPLICATE_CLAIM.format(id=existing.pk))
        self.existing = existing


def _refuse_duplicate(article: Article, placed: Selector, claimant: str, *, other_than=None):
    same = Claim.objects.filter(
        article=article,
        start=placed.start,
        end=placed.end,
        claimant=claimant,
        anchor_state__in=[AnchorState.ANCHORED, AnchorState.REANCHORED],
    )
    if other_than is not None:
        same = same.exclude(pk=other_than.pk)
    existing = same.order_by("id").first()
    if existing is not None:
        raise ClaimDuplicate(existing)


@transaction.atomic
def claim_create(
    *,
    article: Article,
    selector: Selector,
    actor,
    exact_characters: bool = False,
    claimant: str = "",
    claim_date: dt.date | None = None,
    verdict: Verdict | None = None,
    summary: str = "",
    sources: Iterable[SourceData] = (),
    assignee=None,
) -> Claim:
    """Mark a claim in an article. The selector is placed in the text (positions corrected
    when only they are off) and must mark whole words holding a letter or digit; raises
    anchoring.SelectorError, or ClaimDuplicate when the same words and claimant are marked."""
    roles.require_editor(actor)
    placed = anchoring.place(article.body, selector, exact_characters=exact_characters)
    claimant = claimant.strip()
    _refuse_duplicate(article, placed, claimant)
    claim = Claim(
        article=article,
        **placed.as_fields(),
        claimant=claimant,
        claim_date=claim_date,
        verdict=verdict,
        summary=summary,
        assignee=assignee,
        created_by=roles.history_user(actor),
    )
    claim._history_user = roles.history_user(actor)
    claim.full_clean()
    claim.save()
    _sources_apply(claim, SourceChanges(create=tuple(sources)), actor)
    coverage_search_queue(claim=claim, requested_by=roles.history_user(actor))
    return claim


def _place_again(claim: Claim, placed: Selector) -> bool:
    """Put the claim on `placed` (a person's choice); whether anything moved."""
    same = (claim.exact, claim.start, claim.end, claim.anchor_state) == (
        placed.exact,
        placed.start,
        placed.end,
        AnchorState.ANCHORED,
    )
    for name, value in placed.as_fields().items():
        setattr(claim, name, value)
    claim.anchor_state = AnchorState.ANCHORED
    claim.proposed_exact, claim.proposed_start, claim.proposed_end = "", None, None
    return not same


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    version: int,
    actor,
    selector: Selector | None = None,
    exact_characters: bool = False,
    sources: SourceChanges | None = None,
    reason: str = "",
    **fields,
) -> Claim:
    """Edit a claim under optimistic locking: `version` is the one the editor read; if the
    claim moved on since, ClaimConflict is raised and nothing is written. Only the fields
    named change; `sources` says which sources to add, change or remove. A new `selector`
    places the claim again (accepting a proposed place is this). See the module's rules for
    what a change does to a claim in review or published."""
    roles.require_editor(actor)
    unknown = set(fields) - CLAIM_EDITABLE_FIELDS
    if unknown:
        raise ValueError(NOT_EDITABLE.format(names=sorted(unknown)))
    # The row lock makes a concurrent update wait, then see the new version and refuse.
    current = Claim.objects.select_for_update().select_related("article").get(pk=claim.pk)
    if current.version != version:
        raise ClaimConflict(current, version)
    if current.status == ClaimStatus.PUBLISHED:
        roles.require_reviewer(actor, ONLY_REVIEWERS_EDIT_PUBLISHED)

    changed: list[str] = []
    if selector is not None:
        placed = anchoring.place(current.article.body, selector, exact_characters=exact_characters)
        quote_before = current.exact
        if _place_again(current, placed):
            changed.append("quote" if placed.exact != quote_before else "place")
    for name, value in fields.items():
        value = value.strip() if name == "claimant" else value
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed.append(name)
    if "claimant" in changed or "quote" in changed or "place" in changed:
        _refuse_duplicate(current.article, current.selector, current.claimant, other_than=current)
    if sources is not None and _sources_apply(current, sources, actor):
        changed.append("sources")
    if not changed:
        return current

    substance = [name for name in SUBSTANCE if name in changed]
    review_note = ""
    if substance and claim_change_sends_back(claim=current):
        review_note = BACK_TO_DRAFT.format(fields=", ".join(substance))
        step = ClaimTransition.objects.create(
            claim=current,
            from_status=current.status,
            to_status=ClaimStatus.DRAFT,
            actor=roles.history_user(actor),
            reason=review_note,
        )
        note_create(claim=current, actor=actor, text=review_note, transition=step)
        current.status = ClaimStatus.DRAFT
    elif substance and current.status == ClaimStatus.PUBLISHED:
        # The reviewer who changed what is published approved it by doing so: it must still
        # have what approval needs.
        missing = approval_missing(current)
        if missing:
            needs = " and ".join(REQUIREMENT_LABELS[name] for name in missing)
            raise ValidationError({missing[0]: PUBLISHED_NEEDS.format(missing=needs)})
        review_note = PUBLISHED_CHANGE.format(fields=", ".join(substance))
        current.reviewed_by = roles.history_user(actor)
        current.reviewed_at = timezone.now()
    current.version += 1
    current._history_user = roles.history_user(actor)
    current._change_reason = " ".join(filter(None, [reason, review_note])) or None
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def claim_delete(*, claim: Claim, actor) -> None:
    roles.require_editor(actor)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status == ClaimStatus.PUBLISHED:
        roles.require_reviewer(actor, CANNOT_DELETE_PUBLISHED)
    claim._history_user = roles.history_user(actor)
    claim.delete()
    if claim.status == ClaimStatus.PUBLISHED:  # its search vector went with it
        article_vectors_touch(article_ids=[claim.article_id])


@transaction.atomic
def claim_revert(*, claim: Claim, history_id: int, actor) -> Claim:
    """Bring back the fact-check of an earlier version (quote, claimant, date, verdict,
    summary, assignee) as a new change based on the current version; recorded, and held to
    the same rules as any edit. Only reviewers revert."""
    roles.require_reviewer(actor, ONLY_REVIEWERS_REVERT)
    record = claim.history.filter(history_id=history_id).first()
    if record is None:
        raise ValidationError({"history_id": NO_SUCH_VERSION.format(id=history_id)})
    current = Claim.objects.select_related("article").get(pk=claim.pk)
    selector = None
    if record.exact != current.exact:
        try:
            selector = anchoring.locate(current.article.body, record.instance.selector)
        except anchoring.SelectorError as error:
            raise ValidationError(
                {"selector": REVERT_WORDS_GONE.format(error=error.message)}
            ) from None
    return claim_update(
        claim=current,
        version=current.version,
        actor=actor,
        selector=selector,
        exact_characters=True,  # the words a person once marked, kept as they were
        reason=REVERTED.format(date=f"{record.history_date:%Y-%m-%d %H:%M} UTC"),
        claimant=record.claimant,
        claim_date=record.claim_date,
        verdict=record.verdict,
        summary=record.summary,
        # The account may be gone since; history keeps only its id.
        assignee=get_user_model().objects.filter(pk=record.assignee_id).first(),
    )


def claim_add_source_from_match(*, match, actor) -> Claim:
    """An editor uses a related-coverage match as a source of the claim it was found for:
    the earlier article (or fact-check) as a `context` source, which the editor may then
    relabel. A claim edit like any other (review rules included)."""
    from ..selectors import match_link

    claim = match.search.claim
    link = match_link(match)
    if claim.sources.filter(url=link).exists():
        return claim
    source = SourceData(
        url=link,
        title=match.article.title,
        publisher=match.article.publisher,
        relation=SourceRelation.CONTEXT,
    )
    current = Claim.objects.get(pk=claim.pk)
    return claim_update(
        claim=current,
        version=current.version,
        actor=actor,
        sources=SourceChanges(create=(source,)),
    )


# -- claims that come with imports -------------------------------------------------------

IMPORTED_FROM = "Imported from {source}"


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
    placed = anchoring.place(article.body, Selector(quote))
    claim = Claim(
        article=article,
        **placed.as_fields(),
        claimant=claimant.strip(),
        verdict=verdict,
        status=ClaimStatus.PUBLISHED,
        reviewed_at=timezone.now(),
    )
    claim._change_reason = note
    claim.full_clean(validate_constraints=False)  # imports only: see article_create
    claim.save()
    if review_url:
        _sources_apply(
            claim,
            SourceChanges(create=(SourceData(url=review_url, title=article.title),)),
            roles.SYSTEM,
        )
    ClaimTransition.objects.create(
        claim=claim, from_status=ClaimStatus.DRAFT, to_status=ClaimStatus.PUBLISHED, reason=note
    )
    return claim


@transaction.atomic
def claim_import(
    *,
    article: Article,
    selector: Selector,
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
    make it `reanchored`); a claim whose words were already gone or changed where it came
    from keeps its selector and is `orphaned` here when its quote is not in this text.
    Returns None when the article already holds the same claim (the same words, the same
    claimant), so importing a file twice creates nothing twice. No coverage search is queued:
    an archive move would flood the queue; the editor asks for one from the claim's panel."""
    claimant = claimant.strip()
    if not anchoring.has_words(selector.exact):
        raise anchoring.SelectorError("exact", anchoring.QUOTE_HAS_NO_WORDS)
    if anchor_state in AnchorState.needs_attention():
        # Its words had changed or gone where it came from: it is placed only where its
        # positions still hold its quote, never looked up elsewhere in the text.
        if anchoring.holds(article.body, selector):
            placed, anchor_state = (
                anchoring.selector_at(article.body, selector.start, selector.end),
                AnchorState.ANCHORED,
            )
        else:
            placed, anchor_state = selector, AnchorState.ORPHANED
    else:
        placed = anchoring.locate(article.body, selector)
        if placed.corrected:
            anchor_state = AnchorState.REANCHORED
    duplicate = Claim.objects.filter(
        article=article, exact=placed.exact, start=placed.start, end=placed.end, claimant=claimant
    )
    if duplicate.exists():
        return None
    reason = IMPORTED_FROM.format(source=source_name)
    claim = Claim(
        article=article,
        **placed.as_fields(),
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
    claim.full_clean(validate_constraints=False)  # imports only: see article_create
    claim.save()
    if created_at is not None:  # auto_now_add ignores a given value; keep the original
        Claim.objects.filter(pk=claim.pk).update(created_at=created_at)
        claim.created_at = created_at
    _sources_apply(claim, SourceChanges(create=tuple(sources)), roles.SYSTEM)
    if status != ClaimStatus.DRAFT:
        ClaimTransition.objects.create(
            claim=claim, from_status=ClaimStatus.DRAFT, to_status=status, reason=reason
        )
    return claim
