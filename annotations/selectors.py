"""Reads shared by the API, the pages and the admin (the write side is services/), each in a
fixed number of queries whatever the number of rows."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from . import roles
from .models import (
    AnchorState,
    Article,
    Claim,
    ClaimNote,
    ClaimStatus,
    ClaimTransition,
    CoverageMatch,
    CoverageSearch,
    Source,
)


def claims_with_details() -> QuerySet[Claim]:
    """Claims with everything their JSON shape shows, in a fixed number of queries."""
    return (
        Claim.objects.select_related("article", "verdict", "created_by", "reviewed_by", "assignee")
        .only(
            *(f"article__{name}" for name in ("id", "title", "url", "published_at")),
            *(field.name for field in Claim._meta.concrete_fields),
            "verdict__slug",
            "verdict__label",
            "verdict__rating_value",
            "verdict__colour",
            "created_by__username",
            "reviewed_by__username",
            "assignee__username",
        )
        .annotate(note_count=note_count())
        # A list in an attribute of its own: Django then hands each claim its sources as
        # they are, where filling the `sources` manager built a queryset per claim (1.5 ms
        # of a page of 100).
        .prefetch_related(
            Prefetch("sources", queryset=Source.objects.order_by("id"), to_attr="source_list")
        )
    )


def claims_for_editor(article: Article) -> QuerySet[Claim]:
    """What the editor page draws of an article's claims: their places and the card each
    shows in the sidebar (the full record is read when one is opened)."""
    return (
        Claim.objects.filter(article=article)
        .select_related("verdict", "assignee")
        .only(
            "id",
            "article_id",
            "exact",
            "start",
            "end",
            "proposed_exact",
            "proposed_start",
            "proposed_end",
            "claimant",
            "status",
            "anchor_state",
            "version",
            "verdict__slug",
            "assignee__username",
        )
        .annotate(note_count=note_count())
        .order_by("start", "id")
    )


def note_count():
    """How many notes a claim has, as a subquery per row: a page of claims then counts the
    notes of its own rows, where a join and GROUP BY counted every claim's notes before the
    sort could stop at a page (the claims API took 450 ms at 100,000 claims)."""
    return Coalesce(
        Subquery(
            ClaimNote.objects.filter(claim=OuterRef("pk"))
            .order_by()
            .values("claim")
            .annotate(n=Count("id"))
            .values("n")
        ),
        0,
    )


def articles_with_status_counts(articles: QuerySet[Article]) -> QuerySet[Article]:
    """Each article with `count_<status>`: how many of its claims are in each status.

    A subquery per row rather than a join and GROUP BY: a page of 25 articles then counts
    the claims of those 25 (by the (article, status) index), not of every article before
    sorting (131 ms at 10,000 articles and 100,000 claims)."""
    counts = {
        f"count_{status}": Coalesce(
            Subquery(
                Claim.objects.filter(article=OuterRef("pk"), status=status)
                .order_by()
                .values("article")
                .annotate(n=Count("id"))
                .values("n")
            ),
            0,
        )
        for status in ClaimStatus.values
    }
    return articles.annotate(**counts)


def status_counts(article: Article) -> list[tuple[str, int]]:
    """(status label, count) for the statuses an annotated article has claims in."""
    return [
        (label, getattr(article, f"count_{value}", 0))
        for value, label in ClaimStatus.choices
        if getattr(article, f"count_{value}", 0)
    ]


def latest_search(claim, *, with_matches: bool = False) -> CoverageSearch | None:
    """The claim's most recent related-coverage search (the one the panels show)."""
    searches = CoverageSearch.objects.filter(claim=claim).order_by("-queued_at", "-id")
    if with_matches:
        searches = searches.prefetch_related(Prefetch("matches", queryset=match_details()))
    return searches.first()


def match_details() -> QuerySet[CoverageMatch]:
    """Matches with their article, prior fact-check (its verdict and sources) and decider."""
    return (
        CoverageMatch.objects.select_related(
            "article", "prior_claim__verdict", "decided_by", "search"
        )
        .prefetch_related(Prefetch("prior_claim__sources", queryset=Source.objects.order_by("id")))
        .order_by("rank")
    )


def coverage_link(*, article_id: int, article_url: str, fact_check_url: str = "") -> str:
    """Where related coverage is read: the earlier fact-check's own page (its first source)
    when it has one, else the article's address, else the article in this app."""
    if fact_check_url:
        return fact_check_url
    if article_url:
        return article_url
    site = settings.FACTCHECK_SITE_URL.rstrip("/")
    return site + reverse("article-editor", args=[article_id])


def match_link(match: CoverageMatch) -> str:
    prior = match.prior_claim
    sources = list(prior.sources.all()) if prior is not None else []
    return coverage_link(
        article_id=match.article_id,
        article_url=match.article.url,
        fact_check_url=sources[0].url if sources else "",
    )


def fact_check_pages(claim_ids: list[int]) -> dict[int, str]:
    """Each of these fact-checks' own page: its first source's address (none: left out)."""
    pages: dict[int, str] = {}
    rows = Source.objects.filter(claim_id__in=claim_ids).order_by("claim_id", "id")
    for claim_id, url in rows.values_list("claim_id", "url"):
        pages.setdefault(claim_id, url)
    return pages


def claim_notes(claim: Claim) -> QuerySet[ClaimNote]:
    """A claim's thread, oldest first."""
    return (
        ClaimNote.objects.filter(claim=claim)
        .select_related("author", "transition")
        .order_by("created_at", "id")
    )


# -- the desk: a person's claims across articles -----------------------------------------

DESK_VIEWS = {
    "assigned": "Assigned to me",
    "sent_back": "Sent back to me",
    "in_review": "In review",
    "attention": "Needs attention",
    "reviewed": "Approved by me",  # shown to reviewers only (desk_view_labels)
}


def desk_view_labels(user) -> dict[str, str]:
    """The desk views a user sees, named for them."""
    labels = dict(DESK_VIEWS)
    if roles.is_reviewer(user):
        labels["in_review"] = "Waiting for review"
    else:
        del labels["reviewed"]
    return labels


def _sent_back() -> Exists:
    return Exists(
        ClaimTransition.objects.filter(claim=OuterRef("pk"), to_status=ClaimStatus.DRAFT).exclude(
            from_status=ClaimStatus.DRAFT
        )
    )


def desk_filters(user) -> dict[str, Q]:
    """Each desk view as a filter. Mine: claims I wrote or am assigned. Reviewers see every
    claim waiting for review under "in review"."""
    mine = Q(created_by=user) | Q(assignee=user)
    in_review = Q(status=ClaimStatus.IN_REVIEW)
    return {
        "assigned": Q(assignee=user),
        # The expression itself, not an annotation's name: inside an aggregate's FILTER,
        # PostgreSQL cannot see an annotation of the query around it.
        "sent_back": mine & Q(status=ClaimStatus.DRAFT) & Q(_sent_back()),
        "in_review": in_review if roles.is_reviewer(user) else mine & in_review,
        "attention": mine & Q(anchor_state__in=AnchorState.needs_attention()),
        "reviewed": Q(reviewed_by=user),
    }


def _desk_everything(user, filters: dict[str, Q]) -> Q:
    """The desk with no view chosen: what I wrote, am assigned or approved (a reviewer's
    published claims stay on the desk), and what waits for me."""
    return Q(created_by=user) | Q(assignee=user) | filters["reviewed"] | filters["in_review"]


def desk_claims(user, *, view: str = "") -> QuerySet[Claim]:
    filters = desk_filters(user)
    wanted = filters[view] if view in filters else _desk_everything(user, filters)
    return (
        Claim.objects.annotate(sent_back=_sent_back())
        .filter(wanted)
        .select_related("article", "verdict", "assignee")
        .only(
            "id",
            "exact",
            "claimant",
            "status",
            "anchor_state",
            "updated_at",
            "article__id",
            "article__title",
            "verdict__slug",
            "verdict__label",
            "verdict__colour",
            "assignee__username",
        )
        .annotate(note_count=note_count())
        .order_by("-updated_at", "-id")
    )


def desk_counts(user) -> dict[str, int]:
    """How many claims each desk view holds, in one query."""
    filters = desk_filters(user)
    return Claim.objects.filter(_desk_everything(user, filters)).aggregate(
        **{name: Count("id", filter=condition) for name, condition in filters.items()}
    )
