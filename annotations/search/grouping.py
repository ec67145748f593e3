"""Near-duplicates in a ranking: an archive often holds the same claim checked twice (two
fact-checks, or one wire story published twice). Listed one under the other they push other
coverage off the list, so each is folded under the best-ranked of its kind, which then says
"also checked: …".

Pure: the caller passes each item's vector (its fact-check's, else its article's)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np

# Two items whose vectors are at least this similar are one claim checked twice. On the
# CheckThat! 2020 archive (10,373 fact-checks) 0.95 pairs 341 fact-checks in 170 groups, by
# reading the same claim worded alike (dates, names or figures changed); 0.9 already pairs
# different claims about one subject (bench/checkthat.py prints the groups' share).
NEAR_DUPLICATE = 0.95

Item = TypeVar("Item")


def fold_near_duplicates(
    ranked: Sequence[Item],
    vector_of: Callable[[Item], np.ndarray | None],
    *,
    limit: int,
    threshold: float = NEAR_DUPLICATE,
) -> list[tuple[Item, list[Item]]]:
    """The first `limit` items of `ranked` (best first) that are not a near-duplicate of a
    better one, each with the near-duplicates folded under it (in rank order). An item
    without a vector is never folded."""
    kept: list[tuple[Item, list[Item]]] = []
    kept_vectors: list[np.ndarray | None] = []
    for item in ranked:
        vector = vector_of(item)
        home = None
        if vector is not None:
            for index, other in enumerate(kept_vectors):
                if other is not None and float(other @ vector) >= threshold:
                    home = index
                    break
        if home is not None:
            kept[home][1].append(item)
        elif len(kept) < limit:
            kept.append((item, []))
            kept_vectors.append(vector)
    return kept
