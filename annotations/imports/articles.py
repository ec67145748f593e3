"""Importing articles (import_articles, load_demo): JSON Lines, one article per line with
optional prior fact-checks, or plain-text files, one article each."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError

from .. import anchoring, limits, roles, services
from .records import (
    FILE_EMPTY,
    FILE_MISSING,
    Entry,
    ImportFileError,
    ImportReport,
    Progress,
    RecordError,
    json_lines,
    list_field,
    moment_field,
    object_field,
    run_batches,
    text_field,
    url_field,
    validation_message,
)

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
FILE_NOT_UTF8 = "{path}: not UTF-8 text ({error})"
FILE_TYPE_UNKNOWN = (
    "{path}: unsupported file type; use .jsonl or .ndjson (one article per "
    "line) or .txt (one article)"
)
NOTHING_TO_IMPORT = "{path}: no .jsonl, .ndjson or .txt files in this folder"
NOT_AN_ARTICLE = "expected a JSON object, one article per line"
PRIOR_NOT_QUOTED = "{where}claim: {message} (it must be quoted from the body)"
PRIOR_FACT_CHECK_NOTE = "Imported prior fact-check from {source}"
TITLE_MAX = 120


@dataclass
class ArticleImportReport(ImportReport):
    prior_claims: int = 0
    embedded: int = 0  # search vectors computed after the import


def title_from_text(text: str) -> str:
    """A title for a plain-text article: its first non-empty line, shortened on a word."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) <= TITLE_MAX:
        return first
    cut = first[:TITLE_MAX].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


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


def read_entries(path: Path) -> Iterator[Entry]:
    """The records of one file (a text file is one record, in full)."""
    if path.suffix in JSONL_SUFFIXES:
        yield from json_lines(path)
        return
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(FILE_NOT_UTF8.format(path=path, error=error)) from None
    record = {"title": title_from_text(text), "body": text}
    yield Entry(f"{path.name}, line 1", record, origin=str(path))


class ArticleImporter:
    """Imports article records; keeps the verdict scale in memory for the run."""

    def __init__(self, *, archive: bool, report: ArticleImportReport):
        self.archive = archive
        self.report = report
        self.verdicts = services.VerdictScale()

    def import_entry(self, entry: Entry, import_source: str) -> bool:
        """Import one article; whether it is new (False: already here)."""
        if not isinstance(entry.value, dict):
            raise RecordError(NOT_AN_ARTICLE)
        record = object_field(entry.value, "article", ARTICLE_FIELDS)
        title = text_field(record, "title", required=True, limit=limits.MAX_TITLE)
        body = text_field(record, "body", required=True, limit=limits.MAX_BODY)
        url = url_field(record, "url")
        claims = list_field(record, "claims")
        if services.article_find_existing(url=url, title=title, body=body):
            return False
        try:
            article = services.article_create(
                title=title,
                body=body,
                url=url,
                publisher=text_field(record, "publisher", limit=limits.MAX_PUBLISHER),
                byline=text_field(record, "byline", limit=limits.MAX_BYLINE),
                published_at=moment_field(record, "published_at"),
                language=text_field(record, "language", limit=limits.MAX_LANGUAGE) or "en",
                is_archive=self.archive,
                import_source=import_source,
                actor=roles.SYSTEM,
                queue_jobs=False,  # embedded in bulk at the end of the import
                validate_constraints=False,  # the database checks; a refusal names the rule
            )
        except ValidationError as error:
            raise RecordError(validation_message(error)) from None
        for index, item in enumerate(claims):
            self._prior_claim(article, item, f"claims[{index}].", import_source)
        self.report.prior_claims += len(claims)
        return True

    def _prior_claim(self, article, item, where: str, import_source: str) -> None:
        item = object_field(item, where[:-1], PRIOR_CLAIM_FIELDS)
        quote = text_field(item, "claim", required=True, where=where, limit=limits.MAX_QUOTE)
        verdict_name = text_field(item, "verdict", where=where)
        try:
            services.prior_fact_check_create(
                article=article,
                quote=quote,
                verdict=self.verdicts.get(verdict_name) if verdict_name else None,
                claimant=text_field(item, "claimant", where=where, limit=limits.MAX_CLAIMANT),
                review_url=url_field(item, "url", where=where),
                note=PRIOR_FACT_CHECK_NOTE.format(source=import_source),
            )
        except anchoring.SelectorError as error:
            raise RecordError(PRIOR_NOT_QUOTED.format(where=where, message=error.message)) from None
        except ValidationError as error:
            raise RecordError(validation_message(error, where)) from None


def import_articles(
    path: Path, *, archive: bool, progress: Progress | None = None, embed_progress=None
) -> ArticleImportReport:
    """Import a .jsonl/.ndjson/.txt file or a folder of them.

    Raises ImportFileError when a file is missing, empty or unreadable as a whole; bad
    records are reported in the report, by file and line, and skipped."""
    files = files_to_import(path)
    total = count_records(files)
    report = ArticleImportReport()
    importer = ArticleImporter(archive=archive, report=report)
    entries = (entry for file in files for entry in read_entries(file))
    run_batches(
        entries,
        lambda entry: importer.import_entry(entry, entry.origin),
        report,
        total=total,
        progress=progress,
    )
    if report.created:
        # Batched here rather than a job per article: ~10x the throughput, and the archive is
        # searchable by meaning as soon as the command returns.
        report.embedded = services.vectors_embed_pending(progress=embed_progress)
    return report
