"""Selectors: where a claim's quote sits in an article's plain text.

Pure functions, no Django. Positions are Python ``str`` indices (Unicode code points), end
exclusive, as in the W3C TextPositionSelector. The browser counts UTF-16 code units and must
convert before it sends positions.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT_LENGTH = 32

QUOTE_NOT_FOUND = "The quoted text does not occur in the article."
QUOTE_EMPTY = "The quoted text is empty."
POSITIONS_OUT_OF_RANGE = "start and end must satisfy 0 <= start < end <= the article's length."


class SelectorError(ValueError):
    """A selector that cannot be placed in the text; `field` names the offending part."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    corrected: bool = False  # the positions given were wrong and were moved to the quote


def normalize_newlines(text: str) -> str:
    """Canonical line ends. HTML parsing turns CRLF into LF, so the text a browser selects in
    never holds a CR; stored text must not either, or offsets drift by one per line."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def context_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix that a TextQuoteSelector carries for text[start:end]."""
    return text[max(0, start - CONTEXT_LENGTH) : start], text[end : end + CONTEXT_LENGTH]


def anchor_at(text: str, start: int, end: int, corrected: bool = False) -> Anchor:
    prefix, suffix = context_around(text, start, end)
    return Anchor(start, end, text[start:end], prefix, suffix, corrected)


def occurrences(text: str, quote: str) -> list[int]:
    """Every start index of `quote` in `text`, overlapping ones included."""
    found = []
    index = text.find(quote)
    while index != -1:
        found.append(index)
        index = text.find(quote, index + 1)
    return found


def _common_suffix_length(a: str, b: str) -> int:
    count = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        count += 1
    return count


def _common_prefix_length(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def best_occurrence(
    text: str, quote: str, candidates: list[int], near: int | None, prefix: str, suffix: str
) -> int:
    """Among the places a quote occurs, the one whose context matches the given prefix and
    suffix best; ties go to the one nearest `near`, then to the first."""

    def rank(index: int) -> tuple[int, int, int]:
        before, after = context_around(text, index, index + len(quote))
        context_score = _common_suffix_length(before, prefix) + _common_prefix_length(after, suffix)
        distance = abs(index - near) if near is not None else 0
        return (-context_score, distance, index)

    return min(candidates, key=rank)


def locate(
    text: str,
    exact: str,
    start: int | None = None,
    end: int | None = None,
    prefix: str = "",
    suffix: str = "",
) -> Anchor:
    """Place a selector in `text`.

    The positions win when they hold the quote. Otherwise the quote is looked up: nearest to
    the given start with prefix and suffix breaking ties, and the anchor is marked
    `corrected`. Raises SelectorError naming the field when the quote is not in the text.
    """
    exact = normalize_newlines(exact)
    prefix = normalize_newlines(prefix)
    suffix = normalize_newlines(suffix)
    if not exact:
        raise SelectorError("exact", QUOTE_EMPTY)
    positions_hold = (
        start is not None
        and end is not None
        and 0 <= start < end <= len(text)
        and text[start:end] == exact
    )
    if positions_hold:
        return anchor_at(text, start, end)
    candidates = occurrences(text, exact)
    if not candidates:
        raise SelectorError("exact", QUOTE_NOT_FOUND)
    index = best_occurrence(text, exact, candidates, start, prefix, suffix)
    corrected = start is not None or end is not None
    return anchor_at(text, index, index + len(exact), corrected=corrected)


# -- re-anchoring after the text changes -------------------------------------------------


@dataclass(frozen=True)
class Selector:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


STAYED, MOVED, ORPHANED = "stayed", "moved", "orphaned"


def reanchor(text: str, selector: Selector) -> tuple[str, Anchor | None]:
    """Place an existing claim in edited text: (outcome, anchor or None when orphaned).

    1. The old position still holds the quote with the same context: it stayed.
    2. The quote occurs elsewhere: the occurrence whose context matches best, then the
       nearest to the old position, so duplicated sentences resolve by their surroundings.
    3. Otherwise the claim is orphaned: kept with its quote, never moved to other words.
    """
    start, end = selector.start, selector.end
    if text[start:end] == selector.exact:
        here = anchor_at(text, start, end)
        if (here.prefix, here.suffix) == (selector.prefix, selector.suffix):
            return STAYED, here
    candidates = occurrences(text, selector.exact)
    if not candidates:
        return ORPHANED, None
    index = best_occurrence(
        text, selector.exact, candidates, start, selector.prefix, selector.suffix
    )
    anchor = anchor_at(text, index, index + len(selector.exact), corrected=index != start)
    return (MOVED if index != start else STAYED), anchor
