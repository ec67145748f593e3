"""Importing articles from JSON Lines and plain-text files.

Each line is imported in its own transaction: a bad line is reported with its number and the
reason, leaves nothing behind, and does not stop the lines after it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware

from . import anchoring, roles, services
from .models import Verdict

TEXT_SUFFIXES = {".txt"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
ARTICLE_FIELDS = {
    "title",
    "body",
    "url",
    "publisher",
    "byline",
    "published_at",
    "language",
    "claims",
}
PRIOR_CLAIM_FIELDS = {"claim", "verdict", "claimant", "url"}

FILE_MISSING = "{path}: no such file or directory"
FILE_EMPTY = "{path}: the file is empty"
FILE_NOT_UTF8 = "{path}: not UTF-8 text ({error})"
FILE_TYPE_UNKNOWN = (
    "{path}: unsupported file type; use .jsonl or .ndjson (one article per "
    "line) or .txt (one article)"
)
NOTHING_TO_IMPORT = "{path}: no .jsonl, .ndjson or .txt files in this folder"
TITLE_MAX = 120
# Lines are committed in batches (one WAL flush per batch, not per article); each line is
# still a savepoint of its own, so a bad line leaves nothing behind.
BATCH_SIZE = 500


class ImportFileError(Exception):
    """The whole file (or folder) cannot be imported."""


class RecordError(Exception):
    """One record cannot be imported; the message says which field and why."""


@dataclass
class ImportReport:
    created: int = 0
    existing: int = 0
    prior_claims: int = 0
    errors: list[tuple[str, int, str]] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.created + self.existing + len(self.errors)


@dataclass(frozen=True)
class Line:
    source: str  # file name, for messages
    path: str  # the file, for Article.import_source
    number: int
    record: dict | None
    error: str = ""


ProgressCallback = Callable[[ImportReport, int], None]


def title_from_text(text: str) -> str:
    """A title for a plain-text article: its first non-empty line, shortened on a word."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) <= TITLE_MAX:
        return first
    cut = first[:TITLE_MAX].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(FILE_NOT_UTF8.format(path=path, error=error)) from None


def files_to_import(path: Path) -> list[Path]:
    if not path.exists():
        raise ImportFileError(FILE_MISSING.format(path=path))
    if path.is_dir():
        files = sorted(
            p for p in path.iterdir() if p.is_file() and p.suffix in TEXT_SUFFIXES | JSONL_SUFFIXES
        )
        if not files:
            raise ImportFileError(NOTHING_TO_IMPORT.format(path=path))
        return files
    if path.suffix not in TEXT_SUFFIXES | JSONL_SUFFIXES:
        raise ImportFileError(FILE_TYPE_UNKNOWN.format(path=path))
    return [path]


def read_lines(path: Path) -> Iterator[Line]:
    """The records of one file. Raises ImportFileError for a file with nothing in it."""
    text = _read_text(path)
    if not text.strip():
        raise ImportFileError(FILE_EMPTY.format(path=path))
    if path.suffix in TEXT_SUFFIXES:
        yield Line(path.name, str(path), 1, {"title": title_from_text(text), "body": text})
        return
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as error:
            yield Line(
                path.name,
                str(path),
                number,
                None,
                f"invalid JSON: {error.msg} (column {error.colno})",
            )
            continue
        if not isinstance(record, dict):
            yield Line(
                path.name, str(path), number, None, "expected a JSON object, one article per line"
            )
            continue
        yield Line(path.name, str(path), number, record)


def text_field(record: dict, name: str, required: bool = False, where: str = "") -> str:
    value = record.get(name)
    if value is None or value == "":
        if required:
            raise RecordError(f"{where}{name}: required")
        return ""
    if not isinstance(value, str):
        raise RecordError(f"{where}{name}: expected a string, got {type(value).__name__}")
    return value


def moment_field(record: dict, name: str, where: str = "") -> dt.datetime | None:
    """An ISO 8601 date or date-time; without a zone it is read as UTC."""
    raw = text_field(record, name, where=where)
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        day = parse_date(raw)
        if day is None:
            raise RecordError(
                f"{where}{name}: {raw!r} is not an ISO 8601 date or date-time (e.g. 2022-09-20)"
            )
        value = dt.datetime.combine(day, dt.time())
    return make_aware(value, dt.UTC) if is_naive(value) else value


def validation_message(error: ValidationError, where: str = "") -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{where}{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return where + " ".join(error.messages)


class ArticleImporter:
    """Imports records one at a time; keeps the verdict scale in memory for the run."""

    def __init__(self, *, archive: bool):
        self.archive = archive
        self.verdicts = {v.slug: v for v in Verdict.objects.all()}
        self.verdicts.update({v.label.lower(): v for v in self.verdicts.values()})

    def verdict(self, value: str, where: str) -> Verdict | None:
        if not value:
            return None
        verdict = self.verdicts.get(value.strip().lower())
        if verdict is None:
            slugs = ", ".join(sorted({v.slug for v in self.verdicts.values()}))
            raise RecordError(f"{where}verdict: unknown verdict {value!r}; use one of: {slugs}")
        return verdict

    def import_record(self, record: dict, import_source: str) -> tuple[int, bool]:
        """Import one article; returns (prior claims created, whether the article is new)."""
        unknown = sorted(set(record) - ARTICLE_FIELDS)
        if unknown:
            raise RecordError(f"unknown field(s): {', '.join(unknown)}")
        title = text_field(record, "title", required=True)
        body = text_field(record, "body", required=True)
        url = text_field(record, "url")
        claims = record.get("claims") or []
        if not isinstance(claims, list):
            raise RecordError("claims: expected a list of {claim, verdict, claimant, url}")
        if services.article_find_existing(url=url, title=title, body=body):
            return 0, False
        try:
            with transaction.atomic():
                article = services.article_create(
                    title=title,
                    body=body,
                    url=url,
                    publisher=text_field(record, "publisher"),
                    byline=text_field(record, "byline"),
                    published_at=moment_field(record, "published_at"),
                    language=text_field(record, "language") or "en",
                    is_archive=self.archive,
                    import_source=import_source,
                    actor=roles.SYSTEM,
                )
                for index, item in enumerate(claims):
                    self._prior_claim(article, item, f"claims[{index}].", import_source)
        except ValidationError as error:
            raise RecordError(validation_message(error)) from None
        return len(claims), True

    def _prior_claim(self, article, item, where: str, import_source: str) -> None:
        if not isinstance(item, dict):
            raise RecordError(f"{where[:-1]}: expected an object {{claim, verdict, claimant, url}}")
        unknown = sorted(set(item) - PRIOR_CLAIM_FIELDS)
        if unknown:
            raise RecordError(f"{where}: unknown field(s): {', '.join(unknown)}")
        quote = text_field(item, "claim", required=True, where=where)
        try:
            services.prior_fact_check_create(
                article=article,
                quote=quote,
                verdict=self.verdict(text_field(item, "verdict", where=where), where),
                claimant=text_field(item, "claimant", where=where),
                review_url=text_field(item, "url", where=where),
                note=f"Imported prior fact-check from {import_source}",
            )
        except anchoring.SelectorError as error:
            raise RecordError(
                f"{where}claim: {error.message} (it must be quoted from the body)"
            ) from None
        except ValidationError as error:
            raise RecordError(validation_message(error, where)) from None


def count_records(files: list[Path]) -> int:
    """How many records the files hold; an empty file fails the import before it starts."""
    total = 0
    for path in files:
        with path.open("rb") as handle:
            records = sum(1 for raw in handle if raw.strip())
        if not records:
            raise ImportFileError(FILE_EMPTY.format(path=path))
        total += 1 if path.suffix in TEXT_SUFFIXES else records
    return total


def import_path(
    path: Path, *, archive: bool, progress: ProgressCallback | None = None
) -> ImportReport:
    """Import a .jsonl/.ndjson/.txt file or a folder of them.

    Raises ImportFileError when a file is missing, empty or unreadable; bad records are
    collected in the report and skipped."""
    files = files_to_import(path)
    total = count_records(files)
    importer = ArticleImporter(archive=archive)
    report = ImportReport()
    lines = (line for file in files for line in read_lines(file))
    while batch := list(islice(lines, BATCH_SIZE)):
        with transaction.atomic():
            for line in batch:
                _import_line(importer, line, report)
                if progress:
                    progress(report, total)
    return report


def _import_line(importer: ArticleImporter, line: Line, report: ImportReport) -> None:
    if line.record is None:
        report.errors.append((line.source, line.number, line.error))
        return
    try:
        prior, created = importer.import_record(line.record, line.path)
    except RecordError as error:
        report.errors.append((line.source, line.number, str(error)))
    else:
        report.created += created
        report.existing += not created
        report.prior_claims += prior
