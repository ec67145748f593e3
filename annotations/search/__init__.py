"""Related prior coverage: one entry point, a backend chosen from the database engine (the
way wagtail's django-modelsearch picks its database backends)."""

from dataclasses import replace

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from . import grouping
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
# Folding near-duplicates ranks this many times the limit, so folded items leave no gap.
FOLD_LOOKAHEAD = 2


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
    text: str,
    *,
    limit: int = DEFAULT_LIMIT,
    exclude_article_id: int | None = None,
    fold_near_duplicates: bool = False,
) -> list[Match]:
    """The ranked related coverage for `text`: what the job, the CLI and the API all use.
    With `fold_near_duplicates` (what editors see), the same claim checked twice is one
    match, the others in its `also_checked`; without it, every item in rank order (the
    `find_related --json` contract)."""
    limit = max(1, min(limit, MAX_LIMIT))
    if not fold_near_duplicates:
        return get_backend().search(text, limit=limit, exclude_article_id=exclude_article_id)
    ranked = get_backend().search(
        text, limit=min(limit * FOLD_LOOKAHEAD, MAX_LIMIT), exclude_article_id=exclude_article_id
    )
    vector_of = _stored_vectors()
    folded = grouping.fold_near_duplicates(
        ranked, lambda match: vector_of(match.article_id, match.claim_id), limit=limit
    )
    return [replace(best, also_checked=tuple(others)) for best, others in folded]


def _stored_vectors():
    """(article id, fact-check id or None) -> its vector in this process's dense index (the
    fact-check's own when the match is one, else the article's)."""
    from .dense import index_for
    from .embedding import get_embedder

    embedder = get_embedder()
    index = index_for(embedder.name, embedder.dimensions)
    return index.vector_of


def refresh_statistics() -> None:
    """Recount how many articles hold each word, for query pruning (whatever the backend
    keeps; nothing for one that keeps none)."""
    get_backend().refresh_statistics()
