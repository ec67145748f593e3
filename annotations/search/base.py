"""The related-coverage search interface every backend implements."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass

from .query import query_terms

RRF_K = 60  # reciprocal rank fusion constant (Cormack et al.)
CANDIDATES = 100  # full-text candidates, ranked two ways before fusion


@dataclass(frozen=True)
class Match:
    article_id: int
    title: str
    url: str
    published_at: dt.datetime | None
    score: float
    method: str
    snippet: str = ""
    claim_id: int | None = None  # set when the match is an earlier fact-check
    verdict: str | None = None  # that fact-check's verdict slug

    def as_json(self) -> dict:
        """The `find_related --json` contract shape."""
        return {
            "article_id": self.article_id,
            "claim_id": self.claim_id,
            "title": self.title,
            "url": self.url,
            "score": round(self.score, 6),
            "method": self.method,
            "snippet": self.snippet,
        }


def fuse(rankings: dict[str, list[int]]) -> list[tuple[int, float, str]]:
    """Reciprocal rank fusion of ranked id lists: (id, score, the methods that found it)."""
    scores: dict[int, float] = {}
    methods: dict[int, list[str]] = {}
    for method, ids in rankings.items():
        for rank, item in enumerate(ids, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (RRF_K + rank)
            methods.setdefault(item, []).append(method)
    ordered = sorted(scores, key=lambda item: (-scores[item], item))
    return [(item, scores[item], "+".join(methods[item])) for item in ordered]


class SearchBackend(ABC):
    vendor: str

    def search(
        self, text: str, *, limit: int = 10, exclude_article_id: int | None = None
    ) -> list[Match]:
        """Articles (and the prior fact-checks in them) related to `text`, best first."""
        terms = query_terms(text)
        if not terms:
            return []
        return self.search_terms(terms, limit=limit, exclude_article_id=exclude_article_id)

    def refresh_statistics(self) -> None:  # noqa: B027 (a no-op default, on purpose)
        """Recount what the backend's query pruning reads (after imports, hourly). A backend
        that keeps no statistics has nothing to do."""

    @abstractmethod
    def search_terms(
        self, terms: list[str], *, limit: int, exclude_article_id: int | None
    ) -> list[Match]:
        """The ranking for the query's significant words (query.query_terms), best first."""
