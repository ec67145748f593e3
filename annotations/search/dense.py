"""The semantic side's index: every stored vector of one model in a float32 matrix in this
process's memory, scanned with one matrix-vector product per search.

Before each search one indexed query asks for the newest vector's time. When it moved, every
row of the articles whose rows changed since the last look is read in again, and a row of
such an article that is gone from the table is dropped: a new or edited article, a published
fact-check, an unpublished or deleted one count (or stop counting) from the next search,
without reloading the rest. Whoever deletes a vector row stamps its article's own row
(services.vectors.article_vectors_touch) so the index looks at that article again. Only a
deleted article's rows linger until the process restarts; the backends drop ids that no
longer exist, so it is never shown.

100,000 items x 384 dimensions x 4 bytes = 154 MB; float32 because numpy's float16 and int8
products are not BLAS and cost more time than the memory saves (see README, scale path)."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.utils.dateparse import parse_datetime

from ..models import SearchVector
from .embedding import release_freed_memory

GROWTH = 1.5  # spare rows allocated when the matrix grows, so adding one row rarely copies
FLUSH = 5000  # rows read in per step
# Rows are re-read from a little before the last newest time: a transaction that stamped its
# rows earlier may commit after one that stamped later.
SLACK = dt.timedelta(seconds=10)
GONE = -1  # the article id of a row whose item is gone
# More rows changed than this since the last look (a bulk import or re-embedding): the index
# is loaded afresh rather than read article by article.
RELOAD_OVER = 5000


@dataclass
class DenseScores:
    """Each embedded article's best cosine similarity to the query (its own vector or its
    published fact-checks'), and the vocabulary to look them up."""

    article_ids: np.ndarray  # int64, one per embedded article
    scores: np.ndarray  # float32, same order

    def top(self, k: int, exclude: int | None = None) -> list[tuple[int, float]]:
        scores = self.scores
        if exclude is not None:
            scores = np.where(self.article_ids == exclude, -np.inf, scores)
        k = min(k, len(scores))
        if k == 0:
            return []
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(int(self.article_ids[n]), float(scores[n])) for n in best if scores[n] > -np.inf]

    def lookup(self, article_ids: list[int]) -> dict[int, float]:
        """The similarity of each of these articles that has a vector."""
        wanted = np.asarray(article_ids, dtype=np.int64)
        at = np.searchsorted(self.article_ids, wanted)
        at = np.minimum(at, max(len(self.article_ids) - 1, 0))
        found = self.article_ids[at] == wanted if len(self.article_ids) else wanted < 0
        return {
            int(item): float(self.scores[n])
            for item, n, hit in zip(wanted, at, found, strict=True)
            if hit
        }


class DenseIndex:
    def __init__(self, model: str, dimensions: int):
        self.model = model
        self.dimensions = dimensions
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.matrix = np.zeros((0, self.dimensions), dtype=np.float32)
        self.row_articles = np.zeros(0, dtype=np.int64)
        self.size = 0
        self.row_of: dict[tuple[int, int | None], int] = {}
        self.stamp = None
        self._articles = np.zeros(0, dtype=np.int64)  # distinct article ids, sorted
        self._order = np.zeros(0, dtype=np.int64)  # rows sorted by article
        self._starts = np.zeros(0, dtype=np.int64)  # where each article's rows start in _order
        self._one_row_each = True

    def refresh(self) -> None:
        newest = newest_vector_time(self.model)
        if newest is None or newest == self.stamp:
            return
        with self._lock:
            rows = SearchVector.objects.filter(model=self.model)
            columns = ("article_id", "claim_id", "vector")
            changed = (
                list(
                    rows.filter(updated_at__gte=self.stamp - SLACK).values_list(
                        "article_id", flat=True
                    )[: RELOAD_OVER + 1]
                )
                if self.stamp is not None
                else []
            )
            if self.stamp is None or len(changed) > RELOAD_OVER:  # first load, or bulk changes
                self._reset()
                self._take(rows.values_list(*columns).iterator(FLUSH), expected=rows.count())
                self.stamp = newest
                release_freed_memory()  # the rows read to build the matrix
                return
            current = rows.filter(article_id__in=set(changed)).values_list(*columns)
            self._take(current.iterator(FLUSH), articles_read=set(changed))
            self.stamp = newest

    def _take(self, rows, expected: int = 0, articles_read: set[int] | None = None) -> None:
        """Read rows in: a known item's row is overwritten, a new one appended; a known row of
        one of `articles_read` that is not among `rows` is dropped (its item is gone). New rows
        are appended FLUSH at a time, so loading 100,000 rows never holds them all as Python
        objects."""
        if expected and self.size == 0:  # the first load: exactly the rows there are
            self.matrix = np.zeros((expected, self.dimensions), dtype=np.float32)
            self.row_articles = np.zeros(expected, dtype=np.int64)
        new_keys, new_vectors, seen = [], [], set()
        for article_id, claim_id, blob in rows:
            vector = np.frombuffer(bytes(blob), dtype="<f2")
            key = (article_id, claim_id)
            seen.add(key)
            row = self.row_of.get(key)
            if row is None:
                new_keys.append(key)
                new_vectors.append(vector)
                if len(new_keys) == FLUSH:
                    self._append(new_keys, new_vectors)
                    new_keys, new_vectors = [], []
            else:
                self.matrix[row] = vector
                self.row_articles[row] = article_id
        if new_keys:
            self._append(new_keys, new_vectors)
        if articles_read:
            gone = [k for k in self.row_of if k[0] in articles_read and k not in seen]
            for key in gone:
                # The row stays allocated (a re-published item takes it back) but counts for
                # no article.
                self.row_articles[self.row_of[key]] = GONE
        # Live rows grouped by article, so each article's best row is one reduceat away.
        live = np.flatnonzero(self.row_articles[: self.size] != GONE)
        self._order = live[np.argsort(self.row_articles[live], kind="stable")]
        grouped = self.row_articles[self._order]
        self._starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
        self._articles = grouped[self._starts] if len(grouped) else grouped
        self._one_row_each = len(self._articles) == len(self._order)

    def _append(self, keys, vectors) -> None:
        needed = self.size + len(keys)
        if needed > len(self.matrix):
            spare = int(needed * (GROWTH - 1)) + 16
            grown = np.zeros((needed + spare, self.dimensions), dtype=np.float32)
            grown[: self.size] = self.matrix[: self.size]
            self.matrix = grown
            articles = np.zeros(len(grown), dtype=np.int64)
            articles[: self.size] = self.row_articles[: self.size]
            self.row_articles = articles
        self.matrix[self.size : needed] = np.stack(vectors)
        for offset, key in enumerate(keys):
            self.row_of[key] = self.size + offset
            self.row_articles[self.size + offset] = key[0]
        self.size = needed

    def vector_of(self, article_id: int, claim_id: int | None) -> np.ndarray | None:
        """An item's stored vector, or None when it has none (yet, or any more)."""
        with self._lock:
            row = self.row_of.get((article_id, claim_id))
            if row is None or self.row_articles[row] == GONE:
                return None
            return self.matrix[row].copy()

    def scores(self, query: np.ndarray) -> DenseScores:
        with self._lock:
            rows = self.matrix[: self.size] @ query.astype(np.float32)
            ordered = rows[self._order]
            if not self._one_row_each and len(ordered):
                ordered = np.maximum.reduceat(ordered, self._starts)
            return DenseScores(self._articles, ordered)


def newest_vector_time(model: str):
    # Asked before every search: one index lookup, without the ORM's overhead (~2 ms).
    table = SearchVector._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(updated_at) FROM {table} WHERE model = %s", [model])  # noqa: S608
        newest = cursor.fetchone()[0]
    if isinstance(newest, str):  # SQLite keeps naive UTC text
        newest = parse_datetime(newest).replace(tzinfo=dt.UTC)
    return newest


_indexes: dict[str, DenseIndex] = {}


def index_for(model: str, dimensions: int) -> DenseIndex:
    """This process's index of `model`'s vectors, current as of this call."""
    index = _indexes.get(model)
    if index is None:
        index = _indexes[model] = DenseIndex(model, dimensions)
    index.refresh()
    return index


def forget_indexes() -> None:
    """Drop this process's indexes; the next search loads them afresh."""
    _indexes.clear()
