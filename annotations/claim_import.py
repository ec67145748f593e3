"""Importing a `native` or `native-jsonl` export from another instance (import_claims).

Files are read as a stream (ijson for the one JSON document), so an archive of any size
imports in constant memory. Each claim is a savepoint of its own inside batched
transactions: a bad claim is reported with its number and the reason, leaves nothing
behind, and does not stop the others.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import ijson
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date

from . import anchoring, roles, services
from .importing import (
    BATCH_SIZE,
    FILE_EMPTY,
    FILE_MISSING,
    ImportFileError,
    RecordError,
    moment_field,
    text_field,
    validation_message,
)
from .models import AnchorState, Article, ClaimStatus, Verdict

DOCUMENT_SUFFIXES = {".json"}
LINES_SUFFIXES = {".jsonl", ".ndjson"}
FILE_TYPE_UNKNOWN = (
    "{path}: unsupported file type; use .json (a `native` export) or .jsonl/.ndjson "
    "(a `native-jsonl` export)"
)
NOT_AN_EXPORT = '{path}: not a `native` export (no "claims" list at the top level)'
BROKEN_DOCUMENT = "{path}: the JSON breaks off after claim {number}: {error}"
CLAIM_FIELDS = {
    "id",
    "article",
    "selector",
    "claimant",
    "claim_date",
    "verdict",
    "summary",
    "status",
    "anchor_state",
    "sources",
    "created_by",
    "reviewed_by",
    "reviewed_at",
    "created_at",
    "updated_at",
    "version",  # present when the claims come from the API
}
ARTICLE_FIELDS = {"id", "title", "url", "published_at", "publisher", "language", "body"}
SELECTOR_FIELDS = {"exact", "prefix", "suffix", "start", "end"}
SOURCE_FIELDS = {"url", "title", "publisher", "relation"}
ARTICLES_KEPT = 256  # articles (with their text) kept in memory between claims


@dataclass
class ClaimImportReport:
    created: int = 0
    existing: int = 0
    articles_created: int = 0
    accounts_created: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    broken: str = ""  # why the file stopped being readable part-way, if it did

    @property
    def seen(self) -> int:
        return self.created + self.existing + len(self.errors)


@dataclass(frozen=True)
class Entry:
    where: str  # "claim 7" in a JSON document, "line 7" in JSON Lines
    item: object
    error: str = ""


ProgressCallback = Callable[[ClaimImportReport], None]


def _document_entries(path: Path) -> Iterator[Entry]:
    with path.open("rb") as handle:
        events = ijson.parse(handle, use_float=True)
        found = False
        number = 0

        def watched():
            nonlocal found
            for prefix, event, value in events:
                if (prefix, event, value) == ("", "map_key", "claims"):
                    found = True
                yield prefix, event, value

        try:
            for item in ijson.items(watched(), "claims.item"):
                number += 1
                yield Entry(f"claim {number}", item)
        except ijson.JSONError as error:
            raise ImportFileError(
                BROKEN_DOCUMENT.format(path=path, number=number, error=error)
            ) from None
        if not found:
            raise ImportFileError(NOT_AN_EXPORT.format(path=path))


def _line_entries(path: Path) -> Iterator[Entry]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                yield Entry(f"line {number}", json.loads(raw))
            except json.JSONDecodeError as error:
                message = f"invalid JSON: {error.msg} (column {error.colno})"
                yield Entry(f"line {number}", None, message)


def read_entries(path: Path) -> Iterator[Entry]:
    """The claims of an export file. Raises ImportFileError for a file that is missing,
    empty, of another kind or broken as a whole."""
    if not path.is_file():
        raise ImportFileError(FILE_MISSING.format(path=path))
    if path.suffix not in DOCUMENT_SUFFIXES | LINES_SUFFIXES:
        raise ImportFileError(FILE_TYPE_UNKNOWN.format(path=path))
    with path.open("rb") as handle:
        if not handle.read(4096).strip():
            raise ImportFileError(FILE_EMPTY.format(path=path))
    if path.suffix in DOCUMENT_SUFFIXES:
        return _document_entries(path)
    return _line_entries(path)


def _object(value, where: str, allowed: set[str]) -> dict:
    if not isinstance(value, dict):
        raise RecordError(f"{where}: expected an object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise RecordError(f"{where}: unknown field(s): {', '.join(unknown)}")
    return value


def _position(selector: dict, name: str) -> int | None:
    value = selector.get(name)
    if value is not None and (type(value) is not int or value < 0):
        raise RecordError(f"selector.{name}: expected a code point offset (an integer >= 0)")
    return value


def _choice(record: dict, name: str, choices: list[str], default: str) -> str:
    value = text_field(record, name) or default
    if value not in choices:
        raise RecordError(f"{name}: unknown value {value!r}; use one of: {', '.join(choices)}")
    return value


class ClaimImporter:
    """Imports claims one at a time; keeps verdicts, users and recent articles in memory."""

    def __init__(self, *, source_name: str, report: ClaimImportReport):
        self.source_name = source_name
        self.report = report
        self.verdicts = {v.slug: v for v in Verdict.objects.all()}
        self.users: dict[str, object] = {}
        self.article_ids: dict[object, int] = {}  # exported id (or url) -> this instance's
        self.articles: dict[int, Article] = {}  # the last few, with their text
        self.undo: list[Callable[[], None]] = []  # forgets what the current claim created

    def import_item(self, item) -> bool:
        """Import one claim; True when it was created, False when it was already here. Call
        it inside a savepoint: on failure what it created is rolled back, and forgotten here."""
        self.undo = []
        try:
            record = _object(item, "claim", CLAIM_FIELDS)
            article, new = self._article(_object(record.get("article"), "article", ARTICLE_FIELDS))
            created = self._claim(record, article)
        except Exception:
            for forget in self.undo:
                forget()
            raise
        self.report.articles_created += new
        return created

    def _claim(self, record: dict, article: Article) -> bool:
        selector = _object(record.get("selector"), "selector", SELECTOR_FIELDS)
        sources = record.get("sources") or []
        if not isinstance(sources, list):
            raise RecordError("sources: expected a list of {url, title, publisher, relation}")
        try:
            claim = services.claim_import(
                article=article,
                selector=anchoring.Selector(
                    exact=text_field(selector, "exact", required=True, where="selector."),
                    prefix=text_field(selector, "prefix", where="selector."),
                    suffix=text_field(selector, "suffix", where="selector."),
                    start=_position(selector, "start"),
                    end=_position(selector, "end"),
                ),
                anchor_state=_choice(
                    record, "anchor_state", AnchorState.values, AnchorState.ANCHORED
                ),
                status=_choice(record, "status", ClaimStatus.values, ClaimStatus.DRAFT),
                source_name=self.source_name,
                claimant=text_field(record, "claimant"),
                claim_date=self._date(record, "claim_date"),
                verdict=self._verdict(record.get("verdict")),
                summary=text_field(record, "summary"),
                sources=[self._source(value, f"sources[{i}].") for i, value in enumerate(sources)],
                created_by=self._user(text_field(record, "created_by")),
                reviewed_by=self._user(text_field(record, "reviewed_by")),
                reviewed_at=moment_field(record, "reviewed_at"),
                created_at=moment_field(record, "created_at"),
            )
        except anchoring.SelectorError as error:
            where = article.url or article.title
            raise RecordError(
                f"selector.{error.field}: {error.message} (article {where!r})"
            ) from None
        except ValidationError as error:
            raise RecordError(validation_message(error)) from None
        return claim is not None

    def _article(self, data: dict) -> tuple[Article, bool]:
        """The article by url (or, without one, by title and text), created when this
        instance does not have it; and whether it was created. Within a file the
        exported article id finds it again: only its first claim carries the text."""
        url = text_field(data, "url", where="article.")
        title = text_field(data, "title", where="article.")
        body = text_field(data, "body", where="article.")
        key = data.get("id") or url or (title, body)
        article = None
        if key in self.article_ids:
            local_id = self.article_ids[key]
            article = self.articles.get(local_id) or Article.objects.get(pk=local_id)
        if article is None:
            article = services.article_find_existing(url=url, title=title, body=body)
        new = article is None
        if new:
            if not body:
                raise RecordError(
                    f"article: {url or title!r} is not in this instance and the export does "
                    "not carry its text (export it whole: its first claim carries the body)"
                )
            try:
                article = services.article_create(
                    title=title or url,
                    body=body,
                    url=url,
                    publisher=text_field(data, "publisher", where="article."),
                    language=text_field(data, "language", where="article.") or "en",
                    published_at=moment_field(data, "published_at", where="article."),
                    import_source=self.source_name,
                    actor=roles.SYSTEM,
                )
            except ValidationError as error:
                raise RecordError(validation_message(error, "article.")) from None
            self.undo.append(lambda: self.article_ids.pop(key, None))
            self.undo.append(lambda pk=article.pk: self.articles.pop(pk, None))
        if len(self.articles) >= ARTICLES_KEPT:
            self.articles.clear()
        self.articles[article.pk] = article
        self.article_ids[key] = article.pk
        return article, new

    def _date(self, record: dict, name: str):
        raw = text_field(record, name)
        if not raw:
            return None
        try:
            day = parse_date(raw)
        except ValueError:
            day = None
        if day is None:
            raise RecordError(f"{name}: {raw!r} is not an ISO 8601 date (e.g. 2022-09-20)")
        return day

    def _verdict(self, value) -> Verdict | None:
        if value is None:
            return None
        slug = text_field(_object(value, "verdict", {"slug", "label", "rating_value"}), "slug")
        verdict = self.verdicts.get(slug)
        if verdict is None:
            raise RecordError(
                f"verdict.slug: unknown verdict {slug!r}; this instance has: "
                + ", ".join(sorted(self.verdicts))
            )
        return verdict

    def _source(self, value, where: str) -> services.SourceData:
        data = _object(value, where[:-1], SOURCE_FIELDS)
        return services.SourceData(
            url=text_field(data, "url", required=True, where=where),
            title=text_field(data, "title", where=where),
            publisher=text_field(data, "publisher", where=where),
            relation=text_field(data, "relation", where=where) or "context",
        )

    def _user(self, username: str):
        """The account of that name; attribution is kept by creating an inactive account,
        without a password or a role, when this instance has none."""
        if not username:
            return None
        user = self.users.get(username)
        if user is None:
            model = get_user_model()
            user = model.objects.filter(username=username).first()
            if user is None:
                user = model(username=username, is_active=False)
                user.set_unusable_password()
                user.save()
                self.report.accounts_created.append(username)
                self.undo.append(lambda: self.report.accounts_created.remove(username))
                self.undo.append(lambda: self.users.pop(username, None))
            self.users[username] = user
        return user


def import_claims_file(path: Path, *, progress: ProgressCallback | None = None):
    """Import an export file; bad claims are collected in the report and skipped. Raises
    ImportFileError when the file cannot be read at all; when the JSON breaks off part-way,
    the claims before the break are imported and `report.broken` says why it stopped."""
    report = ClaimImportReport()
    importer = ClaimImporter(source_name=path.name, report=report)
    entries = read_entries(path)

    def until_broken() -> Iterator[Entry]:
        try:
            yield from entries
        except ImportFileError as error:
            report.broken = str(error)

    readable = until_broken()
    while batch := list(islice(readable, BATCH_SIZE)):
        with transaction.atomic():
            for entry in batch:
                _import_entry(importer, entry, report)
                if progress:
                    progress(report)
    return report


def _import_entry(importer: ClaimImporter, entry: Entry, report: ClaimImportReport) -> None:
    if entry.error:
        report.errors.append((entry.where, entry.error))
        return
    try:
        with transaction.atomic():
            created = importer.import_item(entry.item)
    except RecordError as error:
        report.errors.append((entry.where, str(error)))
    else:
        report.created += created
        report.existing += not created
