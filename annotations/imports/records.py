"""What every importer shares: reading one field of a record, the errors, and the one batch
loop. Records are imported in batches (one commit per batch, not per record); each record
is a savepoint of its own, so a bad record is reported with where it is and why, leaves
nothing behind, and never stops the records after it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware

from .. import validators

# Records are committed in batches of this many (one WAL flush per batch, not per record).
BATCH_SIZE = 500
MAX_NESTING = 40  # levels of JSON nesting a record may have

FILE_MISSING = "{path}: no such file or directory"
FILE_EMPTY = "{path}: the file is empty"
REQUIRED = "{where}{name}: required"
NOT_A_STRING = "{where}{name}: expected a string, got {kind}"
NOT_A_MOMENT = "{where}{name}: {raw!r} is not an ISO 8601 date or date-time (e.g. 2022-09-20)"
NOT_A_DATE = "{where}{name}: {raw!r} is not an ISO 8601 date (e.g. 2022-09-20)"
UNKNOWN_FIELDS = "{where}: unknown field(s): {names}"
NOT_AN_OBJECT = "{where}: expected an object"
NOT_A_LIST = "{where}: expected a list"
UNKNOWN_CHOICE = "{where}{name}: unknown value {value!r}; use one of: {choices}"
TOO_LONG = "{where}{name}: at most {limit} characters (this has {length})"
INVALID_JSON = "invalid JSON: {reason} (column {column})"
TOO_DEEP = f"invalid JSON: nested more than {MAX_NESTING} levels deep"
NOT_UTF8 = "not UTF-8 text: byte 0x{byte:02x} at column {column}"
DATABASE_REFUSED = "the database refused it: {error}"


class ImportFileError(Exception):
    """The whole file (or folder) cannot be imported."""


class RecordError(Exception):
    """One record cannot be imported; the message says which field and why."""


def validation_message(error: ValidationError, where: str = "") -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{where}{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return where + " ".join(error.messages)


# -- reading fields ------------------------------------------------------------------------


def text_field(
    record: dict, name: str, *, where: str = "", required: bool = False, limit: int | None = None
) -> str:
    value = record.get(name)
    if value is None or value == "":
        if required:
            raise RecordError(REQUIRED.format(where=where, name=name))
        return ""
    if not isinstance(value, str):
        raise RecordError(NOT_A_STRING.format(where=where, name=name, kind=type(value).__name__))
    try:
        validators.storable_text(value)
    except ValidationError as error:
        raise RecordError(f"{where}{name}: {' '.join(error.messages)}") from None
    if limit is not None and len(value) > limit:
        raise RecordError(
            TOO_LONG.format(where=where, name=name, limit=f"{limit:,}", length=f"{len(value):,}")
        )
    return value


def url_field(record: dict, name: str, *, where: str = "", required: bool = False) -> str:
    value = text_field(record, name, where=where, required=required).strip()
    if value:
        try:
            validators.http_url(value)
        except ValidationError as error:
            raise RecordError(f"{where}{name}: {' '.join(error.messages)}") from None
    return value


def moment_field(record: dict, name: str, *, where: str = "") -> dt.datetime | None:
    """An ISO 8601 date or date-time; without a zone it is read as UTC."""
    raw = text_field(record, name, where=where)
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            value = dt.datetime.combine(day, dt.time()) if day else None
    except ValueError:
        value = None
    if value is None:
        raise RecordError(NOT_A_MOMENT.format(where=where, name=name, raw=raw))
    return make_aware(value, dt.UTC) if is_naive(value) else value


def date_field(record: dict, name: str, *, where: str = "") -> dt.date | None:
    raw = text_field(record, name, where=where)
    if not raw:
        return None
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        raise RecordError(NOT_A_DATE.format(where=where, name=name, raw=raw))
    return day


def choice_field(record: dict, name: str, choices: list[str], default: str, where: str = "") -> str:
    value = text_field(record, name, where=where) or default
    if value not in choices:
        raise RecordError(
            UNKNOWN_CHOICE.format(where=where, name=name, value=value, choices=", ".join(choices))
        )
    return value


def object_field(value, where: str, allowed: set[str]) -> dict:
    if not isinstance(value, dict):
        raise RecordError(NOT_AN_OBJECT.format(where=where))
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise RecordError(UNKNOWN_FIELDS.format(where=where, names=", ".join(unknown)))
    return value


def list_field(record: dict, name: str, *, where: str = "") -> list:
    value = record.get(name) or []
    if not isinstance(value, list):
        raise RecordError(NOT_A_LIST.format(where=f"{where}{name}"))
    return value


# -- reading lines -------------------------------------------------------------------------


def _depth(value, limit: int) -> bool:
    """Whether `value` nests deeper than `limit` (without recursion: it may be very deep)."""
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if level > limit:
            return True
        if isinstance(item, dict):
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, level + 1) for child in item)
    return False


def parse_json_line(raw: bytes) -> object:
    """One JSON Lines record; RecordError says what is wrong with the line."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RecordError(NOT_UTF8.format(byte=raw[error.start], column=error.start + 1)) from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise RecordError(INVALID_JSON.format(reason=error.msg, column=error.colno)) from None
    except RecursionError:
        raise RecordError(TOO_DEEP) from None
    if _depth(value, MAX_NESTING):
        raise RecordError(TOO_DEEP)
    return value


@dataclass(frozen=True)
class Entry:
    """One record to import: where it is (for messages) and its parsed value, or why it
    could not be read."""

    where: str  # "articles.jsonl, line 7", "claims.json, claim 7"
    value: object = None
    error: str = ""
    origin: str = ""  # the file it came from


def json_lines(path) -> Iterator[Entry]:
    """The records of a JSON Lines file, read as bytes so that a bad byte spoils only its
    own line."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"{path.name}, line {number}"
            try:
                yield Entry(where, parse_json_line(raw), origin=str(path))
            except RecordError as error:
                yield Entry(where, error=str(error), origin=str(path))


# -- the batch loop --------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    existing: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (where, why)

    @property
    def seen(self) -> int:
        return self.created + self.existing + len(self.errors)


Progress = Callable[[ImportReport, int | None], None]


def run_batches(
    entries: Iterable[Entry],
    import_one: Callable[[Entry], bool],
    report: ImportReport,
    *,
    total: int | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import every entry: `import_one` returns True when it created something, False when
    it was already there, or raises RecordError (or a validation or database error) for a bad
    record, which is reported and rolled back alone. When anything was created, the search's
    word statistics are refreshed and the tables analysed, so the next search plans and
    prunes with the new rows counted."""
    entries = iter(entries)
    while batch := list(islice(entries, BATCH_SIZE)):
        with transaction.atomic():
            for entry in batch:
                _import_entry(entry, import_one, report)
                if progress:
                    progress(report, total)
    if report.created:
        refresh_after_import()
    return report


def _import_entry(entry: Entry, import_one, report: ImportReport) -> None:
    if entry.error:
        report.errors.append((entry.where, entry.error))
        return
    try:
        with transaction.atomic():
            created = import_one(entry)
    except RecordError as error:
        report.errors.append((entry.where, str(error)))
    except ValidationError as error:
        report.errors.append((entry.where, validation_message(error)))
    except (DatabaseError, ValueError) as error:  # the database said no to this record alone
        report.errors.append((entry.where, refusal_message(error)))
    else:
        report.created += created
        report.existing += not created


def refusal_message(error: Exception) -> str:
    """Why the database refused a record: the rule's own message when the error names one of
    our constraints (both engines put its name in the error), else the database's words."""
    from django.apps import apps

    text = str(error)
    for model in apps.get_app_config("annotations").get_models():
        for constraint in model._meta.constraints:
            if constraint.name in text:
                return str(constraint.get_violation_error_message())
    return DATABASE_REFUSED.format(error=error)


ANALYZED_TABLES = ["annotations_article", "annotations_claim", "annotations_source"]


def refresh_after_import() -> None:
    """Word statistics for search pruning, and planner statistics: this PostgreSQL runs
    without autovacuum, and an unanalysed table reads as empty to both."""
    from .. import search

    search.get_backend().refresh_statistics()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(ANALYZED_TABLES))
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
