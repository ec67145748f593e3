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
#
# An article edit is turned into a character diff (old text -> new text), computed once, and
# every claim's old positions are mapped through it:
# - its words untouched by the edit: they are found at their mapped place (stayed or moved);
# - its words edited: the claim goes to its own edited words when they still read like the
#   quote (similarity at least MIN_QUOTE_SIMILARITY), else it is orphaned;
# - its words deleted: the quote is looked for only in text the edit inserted (a paragraph
#   moved elsewhere); otherwise orphaned.
# A claim is never moved onto look-alike words elsewhere in the text: that is the failure
# Hypothesis users report (hypothesis/h#2798, hypothesis/client#7571).

MIN_QUOTE_SIMILARITY = 0.75


@dataclass(frozen=True)
class Selector:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


STAYED, MOVED, ORPHANED = "stayed", "moved", "orphaned"


@dataclass(frozen=True)
class Placement:
    outcome: str  # STAYED, MOVED or ORPHANED
    anchor: Anchor | None  # None when orphaned
    edited: bool = False  # placed on its own words, changed by the edit


class TextEdit:
    """The correspondence between an old and a new version of a text."""

    def __init__(self, old: str, new: str):
        from diff_match_patch import diff_match_patch

        self.old, self.new = old, new
        differ = diff_match_patch()
        differ.Diff_Timeout = 5.0
        diffs = differ.diff_main(old, new, len(old) > 2_000)
        # Segments: (op, old_start, old_end, new_start, new_end); op -1 delete, 0 equal, 1 insert.
        self.segments: list[tuple[int, int, int, int, int]] = []
        old_at = new_at = 0
        for op, chunk in diffs:
            old_len = len(chunk) if op <= 0 else 0
            new_len = len(chunk) if op >= 0 else 0
            self.segments.append((op, old_at, old_at + old_len, new_at, new_at + new_len))
            old_at += old_len
            new_at += new_len
        self._old_starts = [seg[1] for seg in self.segments]
        self.inserted = [(seg[3], seg[4]) for seg in self.segments if seg[0] == 1]

    def _segment_index(self, position: int) -> int:
        from bisect import bisect_right

        return max(0, bisect_right(self._old_starts, position) - 1)

    def map_start(self, position: int) -> int:
        """Where an old start position lands: text inserted right before it stays outside."""
        for op, old_start, old_end, new_start, _ in self.segments[self._segment_index(position) :]:
            if op == 0 and old_start <= position < old_end:
                return new_start + position - old_start
            if op == -1 and old_start <= position < old_end:
                return new_start
            if old_start > position:
                return new_start
        return len(self.new)

    def map_end(self, position: int) -> int:
        """Where an old end position lands: text inserted right after it stays outside."""
        index = self._segment_index(max(0, position - 1))
        for op, old_start, old_end, new_start, _ in self.segments[index:]:
            if op == 0 and old_start < position <= old_end:
                return new_start + position - old_start
            if op == -1 and old_start < position <= old_end:
                return new_start
            if old_start >= position and op != 1:
                return new_start
        return len(self.new)

    def touched(self, start: int, end: int) -> bool:
        """Whether the edit changed anything in old[start:end] (inserting strictly inside
        counts; inserting at either edge does not)."""
        for op, old_start, old_end, _, _ in self.segments[self._segment_index(start) :]:
            if old_start >= end and not (op == 1 and old_start < end):
                break
            if op == -1 and old_start < end and old_end > start:
                return True
            if op == 1 and start < old_start < end:
                return True
        return False

    def in_inserted_text(self, start: int, end: int) -> bool:
        return any(ins_start <= start and end <= ins_end for ins_start, ins_end in self.inserted)


def similarity(a: str, b: str) -> float:
    from difflib import SequenceMatcher

    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def reanchor(edit: TextEdit, selector: Selector) -> Placement:
    """Place one claim in the new text of `edit` (see the rules above)."""
    new = edit.new
    start, end = edit.map_start(selector.start), edit.map_end(selector.end)
    if end > start and new[start:end] == selector.exact:
        outcome = STAYED if start == selector.start else MOVED
        return Placement(outcome, anchor_at(new, start, end))
    # The quote intact and overlapping its own mapped place: the diff aligned repetitive text
    # ("aaaa") differently from how it was typed; these are still the claim's own characters.
    length = len(selector.exact)
    base = max(0, start - length)
    own = [
        base + index
        for index in occurrences(new[base : end + length], selector.exact)
        # Sharing most of its characters with its own place: an identical neighbour that
        # merely touches or shares a space (a repeated word, a twin emoji) is other words.
        if 2 * (min(end, base + index + length) - max(start, base + index)) > length
    ]
    if own:
        index = best_occurrence(new, selector.exact, own, start, selector.prefix, selector.suffix)
        outcome = STAYED if index == selector.start else MOVED
        return Placement(outcome, anchor_at(new, index, index + length))
    if edit.touched(selector.start, selector.end) and end > start:
        words = new[start:end]
        if similarity(words, selector.exact) >= MIN_QUOTE_SIMILARITY:
            return Placement(MOVED, anchor_at(new, start, end, corrected=True), edited=True)
        return Placement(ORPHANED, None)
    moved = [
        index
        for index in occurrences(new, selector.exact)
        if edit.in_inserted_text(index, index + len(selector.exact))
    ]
    if moved:
        index = best_occurrence(new, selector.exact, moved, start, selector.prefix, selector.suffix)
        return Placement(MOVED, anchor_at(new, index, index + len(selector.exact)))
    return Placement(ORPHANED, None)


def reanchor_all(old: str, new: str, selectors: list[Selector]) -> list[Placement]:
    """Place every claim of an article after its text changed from `old` to `new`."""
    edit = TextEdit(old, new)
    return [reanchor(edit, selector) for selector in selectors]
