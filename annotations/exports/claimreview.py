"""schema.org ClaimReview, as search engines and fact-check aggregators read it."""

from dataclasses import dataclass

from django.conf import settings

# Claimants that read as organisations rather than people (a heuristic; Person otherwise).
ORGANISATION_WORDS = (
    "ministry",
    "council",
    "party",
    "agency",
    "department",
    "office",
    "government",
    "board",
    "committee",
    "company",
    "post",
    "campaign",
)


@dataclass(frozen=True)
class Scale:
    best: int
    worst: int

    @classmethod
    def from_verdicts(cls, verdicts) -> "Scale":
        values = [v.rating_value for v in verdicts if v.rating_value is not None]
        return cls(best=max(values, default=5), worst=min(values, default=1))


def _claimant(name: str) -> dict:
    kind = "Organization" if any(w in name.lower() for w in ORGANISATION_WORDS) else "Person"
    return {"@type": kind, "name": name or "Unknown"}


def review(claim, scale: Scale, site: str) -> dict:
    article = claim.article
    page = article.url or f"{site}/articles/{article.id}/"
    rating = {
        "@type": "Rating",
        "bestRating": scale.best,
        "worstRating": scale.worst,
        "alternateName": claim.verdict.label,
    }
    if claim.verdict.rating_value is not None:  # misleading/unverifiable sit outside the scale
        rating["ratingValue"] = claim.verdict.rating_value
    item = {
        "@type": "Claim",
        "author": _claimant(claim.claimant),
        "appearance": {"@type": "CreativeWork", "url": page, "headline": article.title},
    }
    if claim.claim_date:
        item["datePublished"] = claim.claim_date
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{page}#claim-{claim.id}",
        "claimReviewed": claim.exact,
        "author": {
            "@type": "Organization",
            "name": settings.FACTCHECK_ORGANIZATION_NAME,
            "url": settings.FACTCHECK_ORGANIZATION_URL or site,
        },
        "datePublished": (claim.reviewed_at or claim.updated_at)[:10],
        "reviewRating": rating,
        "itemReviewed": item,
    }
