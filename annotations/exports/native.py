"""Our own export shape (DESIGN, "native"); the API's claim representation is built on it."""

import datetime as dt


def iso(value) -> str | None:
    """ISO 8601 the way the API writes it (UTC as Z)."""
    if value is None:
        return None
    text = value.isoformat()
    if isinstance(value, dt.datetime) and text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return text


def item(claim) -> dict:
    """A claim as a `native` export item: the contract shape, nothing more."""
    article = claim.article
    verdict = claim.verdict
    return {
        "id": claim.id,
        "article": {
            "id": article.id,
            "title": article.title,
            "url": article.url,
            "published_at": iso(article.published_at),
        },
        "selector": {
            "exact": claim.exact,
            "prefix": claim.prefix,
            "suffix": claim.suffix,
            "start": claim.start,
            "end": claim.end,
        },
        "claimant": claim.claimant,
        "claim_date": iso(claim.claim_date),
        "verdict": None
        if verdict is None
        else {"slug": verdict.slug, "label": verdict.label, "rating_value": verdict.rating_value},
        "summary": claim.summary,
        "status": claim.status,
        "anchor_state": claim.anchor_state,
        "sources": [
            {"url": s.url, "title": s.title, "publisher": s.publisher, "relation": s.relation}
            for s in claim.sources.all()
        ],
        "created_by": claim.created_by.username if claim.created_by_id else None,
        "reviewed_by": claim.reviewed_by.username if claim.reviewed_by_id else None,
        "reviewed_at": iso(claim.reviewed_at),
        "created_at": iso(claim.created_at),
        "updated_at": iso(claim.updated_at),
    }
