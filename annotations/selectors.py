"""Reads shared by the API and the pages (the write side is services.py)."""

from django.db.models import Prefetch, QuerySet

from .models import Claim, CoverageSearch, Source


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
        .prefetch_related(Prefetch("sources", queryset=Source.objects.order_by("id")))
    )


def latest_search(claim) -> CoverageSearch | None:
    """The claim's most recent related-coverage search (the one the panels show)."""
    return CoverageSearch.objects.filter(claim=claim).order_by("-queued_at", "-id").first()
