"""Articles: creating, editing (re-anchoring every claim on the text), reverting, deleting.

An edit of the text never rewrites a claim's quote (anchoring.py says how each claim is
placed); the claims are written back in bulk, so a save costs the same number of queries
whatever the number of claims. Article text has a version too: an update based on a stale
`revision` is refused and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from .. import anchoring, roles
from ..models import AnchorState, Article, Claim, ClaimStatus
from .suggestions import article_suggestions_queue
from .vectors import article_vectors_queue

STALE_REVISION = (
    "Someone else changed this article's text (now revision {current}, you sent {sent})."
)
ONLY_REVIEWERS_RETITLE = (
    "This article holds published fact-checks, whose ClaimReview shows its {fields}: only a "
    "reviewer may change them."
)
ONLY_REVIEWERS_DELETE = "Only reviewers may delete an article."
ONLY_REVIEWERS_REVERT = "Only reviewers may revert an article to an earlier version."
NO_SUCH_VERSION = "This article has no version {id} in its history."
REVERTED = "Reverted to the version of {date}."
TEXT_EDITED = "Article text edited (revision {revision}): {outcome}"
NOT_EDITABLE = "not editable: {names}"

ARTICLE_EDITABLE_FIELDS = {
    "title",
    "url",
    "publisher",
    "byline",
    "published_at",
    "language",
    "is_archive",
}
# What published ClaimReview and W3C exports show of the article.
PUBLISHED_ARTICLE_FIELDS = ("title", "url")
# Claim fields re-anchoring may write.
PLACE_FIELDS = [
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "anchor_state",
    "proposed_exact",
    "proposed_start",
    "proposed_end",
    "version",
    "updated_at",
]


class ArticleConflict(Exception):
    """The article's text changed since the revision the caller read; nothing was written."""

    def __init__(self, current: Article, sent: int):
        super().__init__(STALE_REVISION.format(current=current.revision, sent=sent))
        self.current = current


def article_create(
    *,
    title: str,
    body: str,
    actor,
    url: str = "",
    publisher: str = "",
    byline: str = "",
    published_at: dt.datetime | None = None,
    language: str = "en",
    body_html: str = "",
    is_archive: bool = False,
    import_source: str = "",
    queue_jobs: bool = True,
    validate_constraints: bool = True,
) -> Article:
    """A new article. Its search vector and its sentences' suggestion scores are computed by
    workers after the commit, unless the caller does without the jobs (`queue_jobs=False`:
    import_articles embeds in bulk itself, and one job per article of a large file would
    flood the queue; such an article is scored when first read, services.suggestions).
    Importers also pass
    `validate_constraints=False`: Django asks the database about each CHECK constraint in a
    query of its own before saving (most of an archive import's time); the database checks
    them anyway on insert, and the importer reports a refused record by the constraint's
    message (imports.records.refusal_message)."""
    roles.require_editor(actor)
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
        created_by=roles.history_user(actor),
    )
    article._history_user = roles.history_user(actor)
    article.full_clean(validate_constraints=validate_constraints)
    article.save()
    if queue_jobs:
        article_vectors_queue(article_id=article.pk)
        if not article.is_archive:  # the desk annotates it: its sentences are scored
            article_suggestions_queue(article_id=article.pk)
    return article


def article_create_from_paste(
    *, title: str, content: str, is_html: bool, actor, url: str = "", publisher: str = ""
) -> Article:
    """An article pasted into the editor: HTML is sanitized and stored, and its plain text
    becomes the body that claims point into."""
    from .. import html_text

    if is_html:
        body_html = html_text.sanitize(content)
        body = html_text.html_to_text(body_html)
    else:
        body_html, body = "", content
    return article_create(
        title=title, body=body, body_html=body_html, url=url, publisher=publisher, actor=actor
    )


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
    changed: int = 0
    orphaned: int = 0

    def as_dict(self) -> dict:
        return {
            "stayed": self.stayed,
            "moved": self.moved,
            "changed": self.changed,
            "orphaned": self.orphaned,
        }


@transaction.atomic
def article_update(
    *,
    article: Article,
    actor,
    body: str | None = None,
    revision: int | None = None,
    reason: str = "",
    **fields,
) -> Article:
    """Change an article. `revision`, when given, is the one the caller read: a stale one
    raises ArticleConflict and nothing is written. A new body re-anchors every claim on it
    (anchoring.py) and the counts are kept in `reanchor_report`."""
    roles.require_editor(actor)
    unknown = set(fields) - ARTICLE_EDITABLE_FIELDS
    if unknown:
        raise ValueError(NOT_EDITABLE.format(names=sorted(unknown)))
    current = Article.objects.select_for_update().get(pk=article.pk)
    if revision is not None and revision != current.revision:
        raise ArticleConflict(current, revision)
    fields = {
        name: value.strip() if isinstance(value, str) else value for name, value in fields.items()
    }
    changed = [name for name, value in fields.items() if getattr(current, name) != value]
    published_fields = [name for name in PUBLISHED_ARTICLE_FIELDS if name in changed]
    if (
        published_fields
        and not roles.is_reviewer(actor)
        and current.claims.filter(status=ClaimStatus.PUBLISHED).exists()
    ):
        raise PermissionDenied(ONLY_REVIEWERS_RETITLE.format(fields=" and ".join(published_fields)))
    for name in changed:
        setattr(current, name, fields[name])
    text_changed = False
    if body is not None:
        body = anchoring.normalize_newlines(body)
        if body != current.body:
            old_body, current.body = current.body, body
            current.revision += 1
            text_changed = True
    if not changed and not text_changed:
        return current
    current.full_clean()
    if text_changed:
        report = _claims_reanchor(current, old_body, actor)
        current.reanchor_report = report.as_dict()
    current._history_user = roles.history_user(actor)
    current._change_reason = reason or None
    current.save()
    if text_changed or "title" in changed:
        article_vectors_queue(article_id=current.pk)
    if text_changed or "is_archive" in changed:
        article_suggestions_queue(article_id=current.pk)
    return current


def _claims_reanchor(article: Article, old_body: str, actor) -> ReanchorReport:
    """Place every claim of the article in its new text, in one read and bulk writes."""
    # Whole rows: the history rows written in bulk copy every field.
    claims = list(Claim.objects.select_for_update().filter(article=article).order_by("id"))
    tracked = [
        anchoring.Tracked(
            claim.selector,
            claim.anchor_state,
            claim.proposal if claim.anchor_state == AnchorState.CHANGED else None,
        )
        for claim in claims
    ]
    placements = anchoring.reanchor_all(old_body, article.body, tracked)
    counts = dict.fromkeys(ReanchorReport().as_dict(), 0)
    now = timezone.now()
    written, recorded = [], []
    for claim, placement in zip(claims, placements, strict=True):
        counts[placement.outcome] += 1
        state_before = claim.anchor_state
        if _apply_placement(claim, placement):
            claim.updated_at = now
            written.append(claim)
            if _needs_a_person(state_before, claim.anchor_state):
                # History records what happened to the claim (its words changed, went or
                # came back); its place moving along with its words is not a change of it.
                claim._change_reason = TEXT_EDITED.format(
                    revision=article.revision, outcome=placement.outcome
                )
                recorded.append(claim)
    if written:
        _write_places(written)
    if recorded:
        Claim.history.bulk_history_create(
            recorded, update=True, default_user=roles.history_user(actor), default_date=now
        )
    return ReanchorReport(**counts)


# Rows per statement when places are written in bulk (PostgreSQL takes 65,535 parameters).
WRITE_BATCH = 4000


def _write_places(claims: list[Claim]) -> None:
    """Write the placement fields of many claims in one UPDATE … FROM (VALUES …) per
    WRITE_BATCH rows on PostgreSQL, and one statement run many times on SQLite. Django's
    bulk_update builds one CASE per field and row: seconds of Python for 1,000 claims
    (bench/reanchor.py)."""
    quote = connection.ops.quote_name
    table = quote(Claim._meta.db_table)
    fields = [Claim._meta.get_field(name) for name in PLACE_FIELDS]
    rows = [[getattr(claim, name) for name in PLACE_FIELDS] + [claim.pk] for claim in claims]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            casts = [field.db_type(connection) for field in fields] + ["bigint"]
            names = [quote(field.column) for field in fields] + ["id"]
            assignments = ", ".join(f"{name} = v.{name}" for name in names[:-1])
            for offset in range(0, len(rows), WRITE_BATCH):
                batch = rows[offset : offset + WRITE_BATCH]
                first = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
                rest = "(" + ", ".join(["%s"] * len(casts)) + ")"
                values = ", ".join([first] + [rest] * (len(batch) - 1))
                cursor.execute(
                    f"UPDATE {table} SET {assignments} FROM (VALUES {values}) "  # noqa: S608
                    f"AS v({', '.join(names)}) WHERE {table}.id = v.id",
                    [value for row in batch for value in row],
                )
        else:
            columns = ", ".join(f"{quote(field.column)} = %s" for field in fields)
            cursor.executemany(
                f"UPDATE {table} SET {columns} WHERE {quote('id')} = %s",  # noqa: S608
                rows,
            )


def _apply_placement(claim: Claim, placement: anchoring.Placement) -> bool:
    """Write a placement onto a claim; whether anything changed. The quote (exact) is never
    rewritten: a claim whose words were edited keeps it and gets a proposal. The version
    moves on when the state does (an editor's open form is then stale: its words changed)."""
    before = [getattr(claim, name) for name in PLACE_FIELDS]
    state_before = claim.anchor_state
    if placement.outcome in (anchoring.STAYED, anchoring.MOVED):
        placed = placement.selector
        assert placed.exact == claim.exact
        claim.start, claim.end = placed.start, placed.end
        claim.prefix, claim.suffix = placed.prefix, placed.suffix
        claim.proposed_exact, claim.proposed_start, claim.proposed_end = "", None, None
        if state_before in AnchorState.needs_attention() or placement.outcome == anchoring.MOVED:
            claim.anchor_state = AnchorState.REANCHORED
    elif placement.outcome == anchoring.CHANGED:
        proposal = placement.proposal
        claim.anchor_state = AnchorState.CHANGED
        claim.proposed_exact = proposal.exact
        claim.proposed_start, claim.proposed_end = proposal.start, proposal.end
    else:
        claim.anchor_state = AnchorState.ORPHANED
        claim.proposed_exact, claim.proposed_start, claim.proposed_end = "", None, None
    if _needs_a_person(state_before, claim.anchor_state):
        claim.version += 1
    return [getattr(claim, name) for name in PLACE_FIELDS] != before


def _needs_a_person(before: str, after: str) -> bool:
    """Whether an edit changed what a person must do about a claim: its words changed, went,
    or came back. Moving along with its words (anchored → re-anchored) is not such a change:
    no history row, no new version (an editor's open form stays valid)."""
    attention = AnchorState.needs_attention()
    return before != after and (before in attention or after in attention)


@transaction.atomic
def article_revert(*, article: Article, history_id: int, actor) -> Article:
    """Bring back an earlier version of the article (text and details) as a new edit: its
    claims are re-anchored as for any edit, the revision moves forward, and it is recorded.
    Only reviewers revert."""
    roles.require_reviewer(actor, ONLY_REVIEWERS_REVERT)
    record = article.history.filter(history_id=history_id).first()
    if record is None:
        raise ValidationError({"history_id": NO_SUCH_VERSION.format(id=history_id)})
    return article_update(
        article=article,
        actor=actor,
        body=record.body,
        reason=REVERTED.format(date=f"{record.history_date:%Y-%m-%d %H:%M} UTC"),
        **{name: getattr(record, name) for name in ARTICLE_EDITABLE_FIELDS},
    )


@transaction.atomic
def article_delete(*, article: Article, actor) -> None:
    """Delete an article with its claims. Only reviewers: it can take published claims."""
    roles.require_reviewer(actor, ONLY_REVIEWERS_DELETE)
    article._history_user = roles.history_user(actor)
    article.delete()
