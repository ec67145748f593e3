"""The related-coverage search interface every backend implements, and the hybrid ranking
they share: lexical candidates from the database's full-text index, every embedded item's
cosine similarity from the in-memory dense index, fused per query by z-scores."""

from __future__ import annotations

import datetime as dt
import os
from abc import ABC, abstractmethod
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .embedding import get_embedder
from .query import normalise, query_terms, query_words, snippet

LEXICAL_CANDIDATES = 200  # full-text matches fused with the dense side
DENSE_CANDIDATES = 200  # nearest items by meaning fused with the lexical side
# The lexical side's share of the fused score, chosen on CheckThat! 2020 train and dev (never
# on test queries; bench/checkthat.py --weights). MAP@5 on SQLite at 0.1 / 0.25 / 0.4 / 0.55:
# train 0.860 / 0.875 / 0.875 / 0.872, dev 0.857 / 0.860 / 0.871 / 0.860 (0 = dense alone:
# dev 0.850; 1 = lexical alone: dev 0.760).
LEXICAL_WEIGHT = 0.4

# A match's `method`: which sides ranked it.
BOTH = "fts+dense"
LEXICAL_ONLY = "fts"
DENSE_ONLY = "dense"
NOT_EMBEDDED = "fts (not embedded)"  # no vector yet: ranked by its words alone
# Found by meaning alone, an item must be at least this similar to be shown at all: every
# query has nearest neighbours, and all-MiniLM-L6-v2 puts unrelated sentences at 0-0.25.
DENSE_ONLY_MIN_SIMILARITY = 0.35
# A fused score is a sum of z-scores over the query's candidates: below this, a match is no
# closer to the claim than the average candidate, by words and by meaning taken together. On
# a small archive every article is a candidate and such matches fill the list (the demo: the
# one earlier check at 2.5, four unrelated articles at -0.1 to -0.6); editors see them apart.
WEAK_BELOW = 0.0


def is_weak(score: float) -> bool:
    return score < WEAK_BELOW


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
    # Near-duplicates ranked lower (the same claim checked again), folded under this one.
    also_checked: tuple[Match, ...] = ()

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


@dataclass(frozen=True)
class Details:
    """What a match shows besides its score."""

    title: str
    url: str
    published_at: dt.datetime | None
    snippet: str
    claim_id: int | None
    verdict: str | None


def details_from_rows(rows, terms, *, read_time=lambda value: value) -> dict[int, Details]:
    """Each backend's details query answers (article id, title, url, published_at, body,
    prior claim id, verdict): the shown details, the snippet cut in Python around the query's
    words on both engines."""
    marked = query_words(terms)
    return {
        row[0]: Details(
            title=row[1],
            url=row[2],
            published_at=read_time(row[3]),
            snippet=snippet(row[4], marked),
            claim_id=row[5],
            verdict=row[6],
        )
        for row in rows
    }


def _zscores(values: np.ndarray) -> np.ndarray:
    if len(values) == 0:
        return values
    spread = values.std()
    return (values - values.mean()) / (spread if spread > 1e-9 else 1.0)


def fuse(
    lexical: list[tuple[int, float]],
    dense,
    *,
    weight: float | None = None,
    dense_candidates: int = DENSE_CANDIDATES,
    exclude: int | None = None,
) -> list[tuple[int, float, str]]:
    """(id, fused score, method), best first. `lexical`: (id, score) best first, higher is
    better; `dense`: a dense.DenseScores or None (no vectors at all).

    Each side is z-scored over its own candidates, so neither side's scale matters. An item
    only one side proposed gets the other side's score for it where it has one (every embedded
    item has a cosine) and that side's lowest candidate score where it has none; an item with
    no vector is ranked by its lexical score alone."""
    if dense is None or len(dense.scores) == 0:
        return [(item, score, NOT_EMBEDDED) for item, score in lexical]
    weight = LEXICAL_WEIGHT if weight is None else weight
    lexical_ids = [item for item, _ in lexical]
    lex_z = dict(zip(lexical_ids, _zscores(np.array([s for _, s in lexical])), strict=True))
    lex_floor = min(lex_z.values(), default=0.0)
    nearest = dense.top(dense_candidates, exclude=exclude)
    near_scores = np.array([s for _, s in nearest], dtype=np.float64)
    mean, spread = near_scores.mean(), near_scores.std() or 1.0
    near_ids = {item for item, score in nearest if score >= DENSE_ONLY_MIN_SIMILARITY}
    cosine = dense.lookup(lexical_ids)  # None for an item without a vector
    cosine.update(nearest)
    fused: dict[int, tuple[float, str]] = {}
    for item in dict.fromkeys([*lexical_ids, *near_ids]):
        lexical_score = lex_z.get(item, lex_floor)
        similarity = cosine.get(item)
        if similarity is None:
            fused[item] = (lexical_score, NOT_EMBEDDED)
            continue
        dense_score = (similarity - mean) / spread
        method = (
            BOTH
            if item in lex_z and item in near_ids
            else (LEXICAL_ONLY if item in lex_z else DENSE_ONLY)
        )
        fused[item] = (weight * lexical_score + (1 - weight) * dense_score, method)
    ordered = sorted(fused, key=lambda item: (-fused[item][0], item))
    return [(item, *fused[item]) for item in ordered]


class SearchBackend(ABC):
    vendor: str

    def search(
        self, text: str, *, limit: int = 10, exclude_article_id: int | None = None
    ) -> list[Match]:
        """Articles (and the prior fact-checks in them) related to `text`, best first."""
        query = normalise(text)
        terms = query_terms(query)
        if not terms:  # nothing but stop words, punctuation or links: nothing asked
            return []
        # The query is encoded on another thread while this one waits for the database:
        # onnxruntime and the database drivers both let go of the GIL, so on two cores the
        # encoding (~6 ms) hides the lexical query instead of adding to it.
        # The model is loaded here, on this thread, the first time: loading it on the other
        # while this one reads the vector index in left glibc holding ~50 MB more a process.
        encoding = _encoder().submit(get_embedder().embed_query, query)
        lexical = self.lexical(
            terms, limit=LEXICAL_CANDIDATES, exclude_article_id=exclude_article_id
        )
        ranked = fuse(lexical, dense_scores(encoding), exclude=exclude_article_id)
        ranked = [row for row in ranked if row[0] != exclude_article_id]
        details = self.details([item for item, _, _ in ranked[:limit]], terms)
        if len(details) < min(limit, len(ranked)):  # deleted since the index loaded them
            details = self.details([item for item, _, _ in ranked[: limit * 3]], terms)
        found = [row for row in ranked if row[0] in details][:limit]
        return [
            Match(
                article_id=item,
                title=details[item].title,
                url=details[item].url,
                published_at=details[item].published_at,
                score=score,
                method=method,
                snippet=details[item].snippet,
                claim_id=details[item].claim_id,
                verdict=details[item].verdict,
            )
            for item, score, method in found
        ]

    def refresh_statistics(self) -> None:  # noqa: B027 (a no-op default, on purpose)
        """Recount what the backend's query pruning reads (after imports, hourly). A backend
        that keeps no statistics has nothing to do."""

    @abstractmethod
    def lexical(
        self, terms: list[str], *, limit: int, exclude_article_id: int | None
    ) -> list[tuple[int, float]]:
        """(article id, lexical score: higher is better) for the query's significant words
        (query.query_terms), best first, at most `limit`."""

    @abstractmethod
    def details(self, article_ids: list[int], terms: list[str]) -> dict[int, Details]:
        """What each of these articles shows as a match; an id that no longer exists is left
        out."""


@lru_cache(maxsize=1)
def _encoder() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-encoding")


# A forked process (a Celery pool child) starts without the parent's threads: it makes its own.
os.register_at_fork(after_in_child=_encoder.cache_clear)


def dense_scores(encoding: Future | str):
    """Every embedded article's similarity to the query (its text, or the future vector of
    it), from this process's index."""
    from .dense import index_for

    embedder = get_embedder()
    index = index_for(embedder.name, embedder.dimensions)
    vector = encoding.result() if isinstance(encoding, Future) else embedder.embed_query(encoding)
    if index.size == 0:
        return None
    return index.scores(vector)
