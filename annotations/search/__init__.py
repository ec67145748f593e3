"""Related prior coverage: one entry point, a backend chosen from the database engine (the
way wagtail's django-modelsearch picks its database backends)."""

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from .base import Match, SearchBackend
from .query import claim_query_text, query_terms

__all__ = [
    "Match",
    "SearchBackend",
    "claim_query_text",
    "find_related",
    "get_backend",
    "query_terms",
]
DEFAULT_LIMIT = 10
MAX_LIMIT = 100


def get_backend() -> SearchBackend:
    if settings.COVERAGE_SEARCH_BACKEND:
        return import_string(settings.COVERAGE_SEARCH_BACKEND)()
    if connection.vendor == "postgresql":
        from .postgres import PostgresSearchBackend

        return PostgresSearchBackend()
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteSearchBackend

        return SQLiteSearchBackend()
    raise NotImplementedError(f"no related-coverage search for {connection.vendor}")


def find_related(
    text: str, *, limit: int = DEFAULT_LIMIT, exclude_article_id: int | None = None
) -> list[Match]:
    """The ranked related coverage for `text`: what the job, the CLI and the API all use."""
    limit = max(1, min(limit, MAX_LIMIT))
    return get_backend().search(text, limit=limit, exclude_article_id=exclude_article_id)


def refresh_statistics() -> None:
    """Recount how many articles hold each word, for query pruning (whatever the backend
    keeps; nothing for one that keeps none)."""
    get_backend().refresh_statistics()
