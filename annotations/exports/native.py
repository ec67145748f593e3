"""Our own export shape (DESIGN, "native")."""

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
    """A claim record as a `native` export item. Compatible extensions of the DESIGN shape,
    so that `import_claims` can rebuild the record in another instance: the first item of
    each article also carries the article's `publisher`, `language` and `body`, and every
    item its `notes` (the conversation between editor and reviewer)."""
    article = claim.article
    verdict = claim.verdict
    article_item = {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "published_at": article.published_at,
    }
    if claim.article_text is not None:
        article_item["publisher"] = claim.article_text.publisher
        article_item["language"] = claim.article_text.language
        article_item["body"] = claim.article_text.body
    return {
        "id": claim.id,
        "article": article_item,
        "selector": {
            "exact": claim.exact,
            "prefix": claim.prefix,
            "suffix": claim.suffix,
            "start": claim.start,
            "end": claim.end,
        },
        "claimant": claim.claimant,
        "claim_date": claim.claim_date,
        "verdict": None
        if verdict is None
        else {"slug": verdict.slug, "label": verdict.label, "rating_value": verdict.rating_value},
        "summary": claim.summary,
        "status": claim.status,
        "anchor_state": claim.anchor_state,
        "sources": [
            {"url": s.url, "title": s.title, "publisher": s.publisher, "relation": s.relation}
            for s in claim.sources
        ],
        "notes": [
            {"author": n.author, "text": n.text, "created_at": n.created_at} for n in claim.notes
        ],
        "created_by": claim.created_by,
        "reviewed_by": claim.reviewed_by,
        "reviewed_at": claim.reviewed_at,
        "created_at": claim.created_at,
        "updated_at": claim.updated_at,
    }
