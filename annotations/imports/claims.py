"""Importing a `native` or `native-jsonl` export from another instance (import_claims).

Files are read as a stream (ijson for the one JSON document), so an archive of any size
imports in constant memory. A claim keeps its review state, verdict, sources, notes and
who wrote and reviewed it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ijson
from django.core.exceptions import ValidationError

from .. import anchoring, limits, roles, services
from ..models import AnchorState, Article, ClaimStatus, SourceRelation
from .records import (
    FILE_EMPTY,
    FILE_MISSING,
    MAX_NESTING,
    NOT_UTF8,
    TOO_DEEP,
    Entry,
    ImportFileError,
    ImportReport,
    Progress,
    RecordError,
    _depth,
    choice_field,
    date_field,
    json_lines,
    list_field,
    moment_field,
    object_field,
    run_batches,
    text_field,
    url_field,
    validation_message,
)

DOCUMENT_SUFFIXES = {".json"}
LINES_SUFFIXES = {".jsonl", ".ndjson"}
FILE_TYPE_UNKNOWN = (
    "{path}: unsupported file type; use .json (a `native` export) or .jsonl/.ndjson "
    "(a `native-jsonl` export)"
)
NOT_AN_EXPORT = '{path}: not a `native` export (no "claims" list at the top level)'
BROKEN_DOCUMENT = "{path}: the JSON breaks off after claim {number}, near line {line}: {error}"
NOT_IN_THIS_INSTANCE = (
    "article: {name!r} is not in this instance and the export does not carry its text "
    "(export it whole: its first claim carries the body)"
)
QUOTE_NOT_IN_ARTICLE = "selector.{field}: {message} (article {name!r})"
UNKNOWN_VERDICT = "verdict.slug: unknown verdict {slug!r}; this instance has: {choices}"
NOT_AN_OFFSET = "selector.{name}: expected a code point offset (an integer >= 0)"
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
    "notes",
    "created_by",
    "reviewed_by",
    "reviewed_at",
    "created_at",
    "updated_at",
    "version",  # present when the claims come from the API
    # What the API adds for the user who asked: not part of the record.
    "proposed_selector",
    "allowed_transitions",
    "can_edit",
    "note_count",
}
ARTICLE_FIELDS = {"id", "title", "url", "published_at", "publisher", "language", "body"}
SELECTOR_FIELDS = {"exact", "prefix", "suffix", "start", "end"}
SOURCE_FIELDS = {"id", "url", "title", "publisher", "relation", "quote", "accessed_at"}
NOTE_FIELDS = {"author", "text", "created_at"}
ARTICLES_KEPT = 256  # articles (with their text) kept in memory between claims


@dataclass
class ClaimImportReport(ImportReport):
    articles_created: int = 0
    accounts_created: list[str] = field(default_factory=list)
    broken: str = ""  # why the file stopped being readable part-way, if it did


def _line_of(path: Path, offset: int) -> int:
    """The line number of a byte offset in a file."""
    with path.open("rb") as handle:
        return handle.read(offset).count(b"\n") + 1


def _document_entries(path: Path, report: ClaimImportReport) -> Iterator[Entry]:
    """The claims of a `native` document, streamed. When the JSON breaks off, the claims
    before the break are kept and `report.broken` says where and why."""
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
                where = f"{path.name}, claim {number}"
                if _depth(item, MAX_NESTING):
                    yield Entry(where, error=TOO_DEEP, origin=path.name)
                else:
                    yield Entry(where, item, origin=path.name)
        except (ijson.JSONError, UnicodeDecodeError) as error:
            offset = handle.tell()
            reason = str(error)
            if isinstance(error, UnicodeDecodeError) or "lexical error" in reason:
                reason = _encoding_reason(path, error) or reason
            report.broken = BROKEN_DOCUMENT.format(
                path=path.name, number=number, line=_line_of(path, offset), error=reason
            )
            return
        if not found:
            raise ImportFileError(NOT_AN_EXPORT.format(path=path))


def _encoding_reason(path: Path, error) -> str:
    """For a file that is not UTF-8 (a latin-1 export, say): which byte, on which line."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as bad:
        line = data.count(b"\n", 0, bad.start) + 1
        column = bad.start - (data.rfind(b"\n", 0, bad.start) + 1) + 1
        return f"line {line}: " + NOT_UTF8.format(byte=data[bad.start], column=column)
    return ""


def read_entries(path: Path, report: ClaimImportReport) -> Iterator[Entry]:
    """The claims of an export file. Raises ImportFileError for a file that is missing,
    empty, of another kind or not an export at all."""
    if not path.is_file():
        raise ImportFileError(FILE_MISSING.format(path=path))
    if path.suffix not in DOCUMENT_SUFFIXES | LINES_SUFFIXES:
        raise ImportFileError(FILE_TYPE_UNKNOWN.format(path=path))
    with path.open("rb") as handle:
        if not handle.read(4096).strip():
            raise ImportFileError(FILE_EMPTY.format(path=path))
    if path.suffix in DOCUMENT_SUFFIXES:
        return _document_entries(path, report)
    return json_lines(path)


def _position(selector: dict, name: str) -> int | None:
    value = selector.get(name)
    if value is not None and (type(value) is not int or value < 0):
        raise RecordError(NOT_AN_OFFSET.format(name=name))
    return value


class ClaimImporter:
    """Imports claims one at a time; keeps verdicts, users and recent articles in memory."""

    def __init__(self, *, source_name: str, report: ClaimImportReport):
        self.source_name = source_name
        self.report = report
        self.verdicts = services.VerdictScale()
        self.users: dict[str, object] = {}
        self.article_ids: dict[object, int] = {}  # exported id (or url) -> this instance's
        self.articles: dict[int, Article] = {}  # the last few, with their text
        self.undo: list[Callable[[], None]] = []  # forgets what the current claim created

    def import_entry(self, entry: Entry) -> bool:
        """Import one claim; True when it was created, False when it was already here. Runs
        inside a savepoint: on failure what it created is rolled back, and forgotten here."""
        self.undo = []
        try:
            record = object_field(entry.value, "claim", CLAIM_FIELDS)
            article, new = self._article(
                object_field(record.get("article"), "article", ARTICLE_FIELDS)
            )
            created = self._claim(record, article)
        except Exception:
            for forget in self.undo:
                forget()
            raise
        self.report.articles_created += new
        return created

    def _claim(self, record: dict, article: Article) -> bool:
        selector = object_field(record.get("selector"), "selector", SELECTOR_FIELDS)
        sources = list_field(record, "sources")
        notes = list_field(record, "notes")
        try:
            claim = services.claim_import(
                article=article,
                selector=anchoring.Selector(
                    exact=text_field(
                        selector, "exact", required=True, where="selector.", limit=limits.MAX_QUOTE
                    ),
                    prefix=text_field(selector, "prefix", where="selector."),
                    suffix=text_field(selector, "suffix", where="selector."),
                    start=_position(selector, "start"),
                    end=_position(selector, "end"),
                ),
                anchor_state=choice_field(
                    record, "anchor_state", AnchorState.values, AnchorState.ANCHORED
                ),
                status=choice_field(record, "status", ClaimStatus.values, ClaimStatus.DRAFT),
                source_name=self.source_name,
                claimant=text_field(record, "claimant", limit=limits.MAX_CLAIMANT),
                claim_date=date_field(record, "claim_date"),
                verdict=self._verdict(record.get("verdict")),
                summary=text_field(record, "summary", limit=limits.MAX_SUMMARY),
                sources=[self._source(value, f"sources[{i}].") for i, value in enumerate(sources)],
                created_by=self._user(text_field(record, "created_by"), "created_by"),
                reviewed_by=self._user(text_field(record, "reviewed_by"), "reviewed_by"),
                reviewed_at=moment_field(record, "reviewed_at"),
                created_at=moment_field(record, "created_at"),
            )
        except anchoring.SelectorError as error:
            raise RecordError(
                QUOTE_NOT_IN_ARTICLE.format(
                    field=error.field, message=error.message, name=article.url or article.title
                )
            ) from None
        except ValidationError as error:
            raise RecordError(validation_message(error)) from None
        if claim is None:
            return False
        for index, note in enumerate(notes):
            self._note(claim, note, f"notes[{index}].")
        return True

    def _article(self, data: dict) -> tuple[Article, bool]:
        """The article by url (or, without one, by title and text), created when this
        instance does not have it; and whether it was created. Within a file the
        exported article id finds it again: only its first claim carries the text."""
        url = url_field(data, "url", where="article.")
        title = text_field(data, "title", where="article.", limit=limits.MAX_TITLE)
        body = text_field(data, "body", where="article.", limit=limits.MAX_BODY)
        key = data.get("id") or url or (title, body)
        if not isinstance(key, int | str | tuple):
            raise RecordError("article.id: expected a number")
        article = None
        if key in self.article_ids:
            local_id = self.article_ids[key]
            article = self.articles.get(local_id) or Article.objects.filter(pk=local_id).first()
        if article is None:
            article = services.article_find_existing(url=url, title=title, body=body)
        new = article is None
        if new:
            if not body:
                raise RecordError(NOT_IN_THIS_INSTANCE.format(name=url or title))
            try:
                article = services.article_create(
                    title=title or url,
                    body=body,
                    url=url,
                    publisher=text_field(
                        data, "publisher", where="article.", limit=limits.MAX_PUBLISHER
                    ),
                    language=text_field(
                        data, "language", where="article.", limit=limits.MAX_LANGUAGE
                    )
                    or "en",
                    published_at=moment_field(data, "published_at", where="article."),
                    import_source=self.source_name,
                    actor=roles.SYSTEM,
                    validate_constraints=False,  # the database checks; a refusal names the rule
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

    def _verdict(self, value):
        if value is None:
            return None
        slug = text_field(object_field(value, "verdict", {"slug", "label", "rating_value"}), "slug")
        try:
            return self.verdicts.get(slug)
        except ValidationError:
            choices = ", ".join(v.slug for v in self.verdicts.verdicts)
            raise RecordError(UNKNOWN_VERDICT.format(slug=slug, choices=choices)) from None

    def _source(self, value, where: str) -> services.SourceData:
        data = object_field(value, where[:-1], SOURCE_FIELDS)
        return services.SourceData(
            url=url_field(data, "url", required=True, where=where),
            title=text_field(data, "title", where=where, limit=limits.MAX_TITLE),
            publisher=text_field(data, "publisher", where=where, limit=limits.MAX_PUBLISHER),
            quote=text_field(data, "quote", where=where, limit=limits.MAX_SOURCE_QUOTE),
            relation=choice_field(
                data, "relation", SourceRelation.values, SourceRelation.CONTEXT, where=where
            ),
        )

    def _note(self, claim, value, where: str) -> None:
        data = object_field(value, where[:-1], NOTE_FIELDS)
        author = self._user(text_field(data, "author", where=where), f"{where}author")
        try:
            services.note_create(
                claim=claim,
                actor=roles.SYSTEM,
                author=author,
                text=text_field(data, "text", required=True, where=where, limit=limits.MAX_NOTE),
                created_at=moment_field(data, "created_at", where=where),
            )
        except ValidationError as error:
            raise RecordError(validation_message(error, where)) from None

    def _user(self, username: str, field_name: str):
        """The account of that name; attribution is kept by an inactive account when this
        instance has none (services.user_for_attribution)."""
        if not username:
            return None
        user = self.users.get(username)
        if user is None:
            try:
                user, created = services.user_for_attribution(username=username, field=field_name)
            except ValidationError as error:
                raise RecordError(validation_message(error)) from None
            if created:
                self.report.accounts_created.append(username)
                self.undo.append(lambda: self.report.accounts_created.remove(username))
                self.undo.append(lambda: self.users.pop(username, None))
            self.users[username] = user
        return user


def import_claims(path: Path, *, progress: Progress | None = None) -> ClaimImportReport:
    """Import an export file; bad claims are reported (by claim or line) and skipped. Raises
    ImportFileError when the file cannot be read at all; when the JSON breaks off part-way,
    the claims before the break are imported and `report.broken` says where and why."""
    report = ClaimImportReport()
    importer = ClaimImporter(source_name=path.name, report=report)
    entries = read_entries(path, report)
    return run_batches(entries, importer.import_entry, report, progress=progress)
