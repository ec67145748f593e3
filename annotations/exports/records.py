"""Claims read for export as plain records, streamed.

Model instances cost more to build than the JSON costs to write (five related objects and a
prefetch per claim), so exports read value rows: one query for the claims with their
article, verdict and users, one for their sources, one for their notes (the `native` shapes),
and the text of each article the first time it is seen (the `native` shapes).

What a claim record holds is defined once, in CLAIM_FIELDS: the record's fields, the database
columns each is read from, and how the value is made. The record class, the query's column
list and the row reader are all derived from it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, make_dataclass
from itertools import islice

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.dateparse import parse_datetime

from annotations.models import Article, ClaimNote, Source

from .native import iso

CHUNK = 2000
DATABASE_DATETIME = re.compile(r"(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(?:\+00)?")


def iso_from_database(text: str | None) -> str | None:
    """A date or UTC date-time as the database prints it (PostgreSQL in its UTC session
    `2026-01-05 10:00:00.12+00`, SQLite `2026-01-05 10:00:00.120000`) written the way `iso`
    writes the value (`2026-01-05T10:00:00.120000Z`). Dates are read as the database's text:
    parsing them into datetime objects and formatting them again took most of an export's
    time."""
    if text is None or len(text) == 10:  # a date is already ISO
        return text
    match = DATABASE_DATETIME.fullmatch(text)
    if match is None:  # another offset or layout: the general way
        return iso(parse_datetime(text).astimezone(dt.UTC))
    day, time, fraction = match.groups()
    return f"{day}T{time}.{fraction.ljust(6, '0')}Z" if fraction else f"{day}T{time}Z"


@dataclass(slots=True, frozen=True)
class ArticleRecord:
    id: int
    title: str
    url: str
    published_at: str | None  # ISO 8601, UTC as Z


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


@dataclass(slots=True, frozen=True)
class NoteRecord:
    author: str | None
    text: str
    created_at: str


@dataclass(frozen=True)
class Field:
    """One field of a claim record: the columns it is read from, in order, and how those
    values become the field's value: a function, the name of a _Shared method (records that
    repeat across claims), or None for the single value as it is."""

    name: str
    columns: tuple[str, ...]
    make: Callable | str | None = None


class _Shared:
    """Articles and verdicts repeat across claims: one record object each."""

    def __init__(self):
        self.articles: dict[int, ArticleRecord] = {}
        self.verdicts: dict[tuple, VerdictRecord] = {}

    def article(self, id_, title, url, published_at):
        found = self.articles.get(id_)
        if found is None:
            found = self.articles[id_] = ArticleRecord(
                id_, title, url, iso_from_database(published_at)
            )
        return found

    def verdict(self, slug, label, rating_value):
        if slug is None:
            return None
        key = (slug, label, rating_value)
        return self.verdicts.get(key) or self.verdicts.setdefault(key, VerdictRecord(*key))


# The one definition of a claim record. Date columns end in `_text`: read as the database's
# text (see iso_from_database).
CLAIM_FIELDS = (
    Field("id", ("id",)),
    Field(
        "article",
        ("article_id", "article__title", "article__url", "article__published_at_text"),
        "article",
    ),
    Field("exact", ("exact",)),
    Field("prefix", ("prefix",)),
    Field("suffix", ("suffix",)),
    Field("start", ("start",)),
    Field("end", ("end",)),
    Field("claimant", ("claimant",)),
    Field("claim_date", ("claim_date_text",)),  # a date's text is ISO already
    Field("verdict", ("verdict__slug", "verdict__label", "verdict__rating_value"), "verdict"),
    Field("summary", ("summary",)),
    Field("status", ("status",)),
    Field("anchor_state", ("anchor_state",)),
    Field("created_by", ("created_by__username",)),
    Field("reviewed_by", ("reviewed_by__username",)),
    Field("reviewed_at", ("reviewed_at_text",), iso_from_database),
    Field("created_at", ("created_at_text",), iso_from_database),
    Field("updated_at", ("updated_at_text",), iso_from_database),
)
COLUMNS = tuple(column for spec in CLAIM_FIELDS for column in spec.columns)
DATE_COLUMNS = tuple(c.removesuffix("_text") for c in COLUMNS if c.endswith("_text"))

ClaimRecord = make_dataclass(
    "ClaimRecord",
    [spec.name for spec in CLAIM_FIELDS]
    + [
        ("sources", list, field(default_factory=list)),
        ("notes", list, field(default_factory=list)),
        # The article's text, on the first claim of each article (the `native` shapes).
        ("article_text", ArticleText | None, field(default=None)),
    ],
    slots=True,
)


def _reader(shared: _Shared) -> Callable[[tuple], ClaimRecord]:
    """A function that turns one value row (in COLUMNS order) into a ClaimRecord."""
    steps = []
    at = 0
    for spec in CLAIM_FIELDS:
        count = len(spec.columns)
        make = getattr(shared, spec.make) if isinstance(spec.make, str) else spec.make
        steps.append((at, count, make))
        at += count

    def read(row: tuple) -> ClaimRecord:
        values = []
        for start, count, make in steps:
            if count == 1:
                value = row[start]
                values.append(value if make is None else make(value))
            else:
                values.append(make(*row[start : start + count]))
        return ClaimRecord(*values)

    return read


def _in_claim_order(rows: QuerySet, make: Callable) -> Iterator[tuple[int, object]]:
    for claim_id, *values in rows.iterator(chunk_size=CHUNK):
        yield claim_id, make(*values)


def _sources(claims: QuerySet) -> Iterator[tuple[int, SourceRecord]]:
    rows = (
        Source.objects.filter(claim_id__in=claims.values("id"))
        .order_by("claim_id", "id")
        .values_list("claim_id", "url", "title", "publisher", "relation")
    )
    return _in_claim_order(rows, SourceRecord)


def _notes(claims: QuerySet) -> Iterator[tuple[int, NoteRecord]]:
    rows = (
        ClaimNote.objects.filter(claim_id__in=claims.values("id"))
        .annotate(created_at_text=Cast("created_at", TextField()))
        .order_by("claim_id", "created_at", "id")
        .values_list("claim_id", "author__username", "text", "created_at_text")
    )
    return _in_claim_order(
        rows, lambda author, text, created: NoteRecord(author, text, iso_from_database(created))
    )


class _Stream:
    """Items of one claim at a time from a stream in claim order."""

    def __init__(self, items: Iterator[tuple[int, object]]):
        self.items = items
        self.pending = next(items, None)

    def take(self, claim_id: int) -> list:
        taken = []
        while self.pending is not None and self.pending[0] <= claim_id:
            if self.pending[0] == claim_id:
                taken.append(self.pending[1])
            self.pending = next(self.items, None)
        return taken


def _article_texts(article_ids: set[int]) -> dict[int, ArticleText]:
    rows = Article.objects.filter(id__in=article_ids).values_list(
        "id", "publisher", "language", "body"
    )
    return {id_: ArticleText(publisher, language, body) for id_, publisher, language, body in rows}


def claim_records(
    claims: QuerySet, *, with_article_text: bool = False, chunk: int = CHUNK
) -> Iterator[ClaimRecord]:
    """The claims of `claims` (its filters, in id order) as records. With
    `with_article_text` (the `native` shapes), the first record of each article carries the
    article's text, and every record its notes.

    Streams read in step, each a single query (a server-side cursor on PostgreSQL): the
    claims in id order, their sources and (native) their notes in claim order."""
    rows = (
        claims.order_by("id")
        .annotate(**{f"{name}_text": Cast(name, TextField()) for name in DATE_COLUMNS})
        .values_list(*COLUMNS)
        .iterator(chunk_size=chunk)
    )
    shared = _Shared()
    read = _reader(shared)
    sources = _Stream(_sources(claims))
    notes = _Stream(_notes(claims)) if with_article_text else None
    texted: set[int] = set()
    while batch := list(islice(rows, chunk)):
        texts: dict[int, ArticleText] = {}
        if with_article_text:
            texts = _article_texts({row[1] for row in batch} - texted)
        for row in batch:
            record = read(row)
            record.sources = sources.take(record.id)
            if notes is not None:
                record.notes = notes.take(record.id)
            if record.article.id in texts and record.article.id not in texted:
                record.article_text = texts[record.article.id]
                texted.add(record.article.id)
            yield record
