"""Importers of articles and claims: field readers and the one batch loop in records.py,
articles (import_articles, load_demo) and claims (import_claims) beside it."""

from .articles import ArticleImportReport, import_articles
from .claims import ClaimImportReport, import_claims
from .records import ImportFileError

__all__ = [
    "ArticleImportReport",
    "ClaimImportReport",
    "ImportFileError",
    "import_articles",
    "import_claims",
]
