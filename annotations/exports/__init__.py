"""Export writers: each a generator of JSON text over claims read from the database in
chunks, so an export of any size runs in constant memory. Shared by the API's export endpoint
and the export_claims command: one code path, the same bytes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from annotations.models import Claim, ClaimStatus, Verdict

from . import claimreview, native, w3c
from .records import claim_records

FORMATS = ["native", "native-jsonl", "claimreview", "w3c"]
REVIEWED = [ClaimStatus.APPROVED, ClaimStatus.PUBLISHED]


@dataclass
class ExportReport:
    exported: int = 0
    left_out_without_verdict: int = 0


def claims_for_export(
    *,
    fmt: str,
    status: str | None = None,
    article: int | None = None,
    since: dt.datetime | None = None,
) -> QuerySet:
    claims = Claim.objects.all()
    if fmt == "claimreview":
        claims = claims.filter(status__in=REVIEWED)  # only reviewed claims are published
    if status:
        claims = claims.filter(status=status)
    if article:
        claims = claims.filter(article_id=article)
    if since:
        claims = claims.filter(updated_at__gte=since)
    return claims


# One encoder for the whole export (json.dumps would build one per claim).
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# ClaimReview is pasted into pages' <script type="application/ld+json">: the characters that
# could end that element or start markup are written as JSON escapes (as Django's
# json_script does), so a quote holding "</script>" stays text.
_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def dumps_for_html(value) -> str:
    return _dumps(value).translate(_HTML_SAFE)


def write(
    fmt: str, claims: QuerySet, *, report: ExportReport, generated_at: dt.datetime | None = None
) -> Iterator[str]:
    """The export as chunks of text, claims in id order. `report` counts what was written and
    left out."""
    generated_at = generated_at or timezone.now()
    total = claims.count()
    rows = claim_records(claims, with_article_text=fmt in ("native", "native-jsonl"))
    if fmt == "native-jsonl":
        for claim in rows:
            report.exported += 1
            yield _dumps(native.item(claim)) + "\n"
        return
    if fmt == "native":
        yield (f'{{"generated_at":{_dumps(native.iso(generated_at))},"count":{total},"claims":[')
        for index, claim in enumerate(rows):
            report.exported += 1
            yield ("," if index else "") + _dumps(native.item(claim))
        yield "]}\n"
        return
    site = settings.FACTCHECK_SITE_URL.rstrip("/")
    if fmt == "claimreview":
        scale = claimreview.Scale.from_verdicts(Verdict.objects.all())
        yield "["
        first = True
        for claim in rows:
            if claim.verdict is None:
                report.left_out_without_verdict += 1
                continue
            report.exported += 1
            yield ("" if first else ",") + dumps_for_html(claimreview.review(claim, scale, site))
            first = False
        yield "]\n"
        return
    if fmt == "w3c":
        yield w3c.collection_open(site, total, generated_at, _dumps)
        for index, claim in enumerate(rows):
            report.exported += 1
            yield ("," if index else "") + _dumps(w3c.annotation(claim, site))
        yield w3c.COLLECTION_CLOSE
        return
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
