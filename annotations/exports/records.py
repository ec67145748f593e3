"""Claims read for export as plain records, streamed.

Model instances cost more to build than the JSON costs to write (five related objects and a
prefetch per claim), so exports read value rows: one query for the claims with their
article, verdict and users, one for their sources, and (for the `native` shapes) the text
of each article the first time it is seen.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.dateparse import parse_datetime

from annotations.models import Article, Source

from .native import iso

CHUNK = 2000


@dataclass(slots=True, frozen=True)
class ArticleRecord:
    id: int
    title: str
    url: str
    published_at: str | None  # ISO 8601, UTC as Z (see iso_from_database)


@dataclass(slots=True, frozen=True)
class ArticleText:
    """What an export carries once per article so that another instance can rebuild it."""

    publisher: str
    language: str
    body: str


@dataclass(slots=True, frozen=True)
class VerdictRecord:
    slug: str
    label: str
    rating_value: int | None


@dataclass(slots=True, frozen=True)
class SourceRecord:
    url: str
    title: str
    publisher: str
    relation: str


@dataclass(slots=True)
class ClaimRecord:
    id: int
    article: ArticleRecord
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    claimant: str
    claim_date: str | None
    verdict: VerdictRecord | None
    summary: str
    status: str
    anchor_state: str
    created_by: str | None  # usernames
    reviewed_by: str | None
    reviewed_at: str | None
    created_at: str
    updated_at: str
    sources: list[SourceRecord]
    article_text: ArticleText | None = None  # set on the first claim of each article


# Dates are read as the database's text and rewritten as ISO 8601: parsing them into datetime
# objects and formatting them again took most of an export's time.
DATE_COLUMNS = ("article__published_at", "claim_date", "reviewed_at", "created_at", "updated_at")
COLUMNS = (
    "id",
    "article_id",
    "article__title",
    "article__url",
    "article__published_at_text",
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "claimant",
    "claim_date_text",
    "verdict__slug",
    "verdict__label",
    "verdict__rating_value",
    "summary",
    "status",
    "anchor_state",
    "created_by__username",
    "reviewed_by__username",
    "reviewed_at_text",
    "created_at_text",
    "updated_at_text",
)


DATABASE_DATETIME = re.compile(r"(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(?:\+00)?")


def iso_from_database(text: str | None) -> str | None:
    """A date or UTC date-time as the database prints it (PostgreSQL in its UTC session
    `2026-01-05 10:00:00.12+00`, SQLite `2026-01-05 10:00:00.120000`) written the way `iso`
    writes the value (`2026-01-05T10:00:00.120000Z`)."""
    if text is None or len(text) == 10:  # a date is already ISO
        return text
    match = DATABASE_DATETIME.fullmatch(text)
    if match is None:  # another offset or layout: the general way
        return iso(parse_datetime(text).astimezone(dt.UTC))
    day, time, fraction = match.groups()
    return f"{day}T{time}.{fraction.ljust(6, '0')}Z" if fraction else f"{day}T{time}Z"


def _sources_in_claim_order(claims: QuerySet) -> Iterator[tuple[int, SourceRecord]]:
    rows = (
        Source.objects.filter(claim_id__in=claims.values("id"))
        .order_by("claim_id", "id")
        .values_list("claim_id", "url", "title", "publisher", "relation")
    )
    for claim_id, *fields in rows.iterator(chunk_size=CHUNK):
        yield claim_id, SourceRecord(*fields)


def _article_texts(article_ids: set[int]) -> dict[int, ArticleText]:
    rows = Article.objects.filter(id__in=article_ids).values_list(
        "id", "publisher", "language", "body"
    )
    return {id_: ArticleText(publisher, language, body) for id_, publisher, language, body in rows}


def claim_records(
    claims: QuerySet, *, with_article_text: bool = False, chunk: int = CHUNK
) -> Iterator[ClaimRecord]:
    """The claims of `claims` (its filters, in id order) as records. With
    `with_article_text`, the first record of each article carries the article's text.

    Two streams read in step, each a single query (a server-side cursor on PostgreSQL): the
    claims in id order and their sources in claim order."""
    rows = (
        claims.order_by("id")
        .annotate(**{f"{name}_text": Cast(name, TextField()) for name in DATE_COLUMNS})
        .values_list(*COLUMNS)
        .iterator(chunk_size=chunk)
    )
    sources = _sources_in_claim_order(claims)
    pending = next(sources, None)
    articles: dict[int, ArticleRecord] = {}
    verdicts: dict[tuple, VerdictRecord] = {}
    while batch := list(islice(rows, chunk)):
        texts: dict[int, ArticleText] = {}
        if with_article_text:
            texts = _article_texts({row[1] for row in batch} - articles.keys())
        for (
            id_,
            article_id,
            title,
            url,
            published_at,
            exact,
            prefix,
            suffix,
            start,
            end,
            claimant,
            claim_date,
            verdict_slug,
            verdict_label,
            verdict_value,
            summary,
            status,
            anchor_state,
            created_by,
            reviewed_by,
            reviewed_at,
            created_at,
            updated_at,
        ) in batch:
            claim_sources = []
            while pending is not None and pending[0] <= id_:
                if pending[0] == id_:
                    claim_sources.append(pending[1])
                pending = next(sources, None)
            article = articles.get(article_id)
            text = None
            if article is None:
                article = articles[article_id] = ArticleRecord(
                    article_id, title, url, iso_from_database(published_at)
                )
                text = texts.get(article_id)
            verdict = None
            if verdict_slug is not None:
                key = (verdict_slug, verdict_label, verdict_value)
                verdict = verdicts.get(key) or verdicts.setdefault(key, VerdictRecord(*key))
            yield ClaimRecord(
                id_,
                article,
                exact,
                prefix,
                suffix,
                start,
                end,
                claimant,
                claim_date,  # a date's text is ISO already
                verdict,
                summary,
                status,
                anchor_state,
                created_by,
                reviewed_by,
                iso_from_database(reviewed_at),
                iso_from_database(created_at),
                iso_from_database(updated_at),
                claim_sources,
                text,
            )
