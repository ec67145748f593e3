"""Selectors: where a claim's quote sits in an article's plain text, and where it goes when the
text is edited.

Pure functions, no Django. Positions are Python ``str`` indices (Unicode code points), end
exclusive, as in the W3C TextPositionSelector. The browser counts UTF-16 code units and must
convert before it sends positions.

The rules held here (README, "The record"):
- a quote holds a letter or a digit, and starts and ends on word boundaries unless the caller
  asks for exact characters;
- an edit of the text never rewrites a claim's quote: words the edit left alone stay or move
  with the text; a claim whose words the edit touched keeps its quote and becomes `changed`,
  with the edited words (extended to whole words) proposed as its new place; a claim whose
  words are gone is `orphaned`. A claim is never moved onto look-alike words elsewhere (the
  failure Hypothesis users report: hypothesis/h#2798, hypothesis/client#7571).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

CONTEXT_LENGTH = 32

QUOTE_NOT_FOUND = "The quoted text does not occur in the article."
QUOTE_EMPTY = "The quoted text is empty."
QUOTE_HAS_NO_WORDS = "The quoted text must contain a letter or a digit."
QUOTE_CUTS_A_WORD = (
    "The quoted text starts or ends inside a word ({word!r}); select whole words, or send "
    '"exact_characters": true to keep exactly these characters.'
)
POSITIONS_OUT_OF_RANGE = "start and end must satisfy 0 <= start < end <= the article's length."

# The anchor states of a claim (models.AnchorState holds the same values).
ANCHORED, REANCHORED, CHANGED, ORPHANED = "anchored", "reanchored", "changed", "orphaned"
# How one re-anchoring went for a claim.
STAYED, MOVED = "stayed", "moved"


class SelectorError(ValueError):
    """A selector that cannot be placed in the text; `field` names the offending part."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Selector:
    """A W3C TextQuoteSelector with an optional TextPositionSelector: the one shape a quote's
    place has from the door (start and end may be missing or wrong) to the database (placed:
    both set and holding the quote)."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    # Set by `locate` when the positions given were wrong and were moved to the quote.
    corrected: bool = field(default=False, compare=False)

    def as_fields(self) -> dict:
        """A placed selector as the Claim fields that store it."""
        return {
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "start": self.start,
            "end": self.end,
        }


def normalize_newlines(text: str) -> str:
    """Canonical line ends. HTML parsing turns CRLF into LF, so the text a browser selects in
    never holds a CR; stored text must not either, or offsets drift by one per line."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def context_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix that a TextQuoteSelector carries for text[start:end]."""
    return text[max(0, start - CONTEXT_LENGTH) : start], text[end : end + CONTEXT_LENGTH]


def selector_at(text: str, start: int, end: int, corrected: bool = False) -> Selector:
    """The placed selector of text[start:end]."""
    prefix, suffix = context_around(text, start, end)
    return Selector(text[start:end], prefix, suffix, start, end, corrected)


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


def context_agreement(text: str, index: int, selector: Selector) -> int:
    """How many characters of the selector's prefix and suffix agree with the text around
    the quote placed at `index`."""
    before, after = context_around(text, index, index + len(selector.exact))
    return _common_suffix_length(before, selector.prefix) + _common_prefix_length(
        after, selector.suffix
    )


def best_occurrence(text: str, selector: Selector, candidates: list[int], near: int | None) -> int:
    """Among the places a quote occurs, the one whose context matches the selector's prefix
    and suffix best; ties go to the one nearest `near`, then to the first."""

    def rank(index: int) -> tuple[int, int, int]:
        distance = abs(index - near) if near is not None else 0
        return (-context_agreement(text, index, selector), distance, index)

    return min(candidates, key=rank)


def holds(text: str, selector: Selector) -> bool:
    """Whether the selector's positions hold its quote in `text`."""
    start, end = selector.start, selector.end
    return (
        start is not None
        and end is not None
        and 0 <= start < end <= len(text)
        and text[start:end] == selector.exact
    )


def locate(text: str, selector: Selector) -> Selector:
    """Place a selector in `text`.

    The positions win when they hold the quote. Otherwise the quote is looked up: nearest to
    the given start with prefix and suffix breaking ties, and the result is marked
    `corrected`. Raises SelectorError naming the field when the quote is not in the text.
    """
    selector = replace(
        selector,
        exact=normalize_newlines(selector.exact),
        prefix=normalize_newlines(selector.prefix),
        suffix=normalize_newlines(selector.suffix),
    )
    if not selector.exact:
        raise SelectorError("exact", QUOTE_EMPTY)
    if holds(text, selector):
        return selector_at(text, selector.start, selector.end)
    start = selector.start
    candidates = occurrences(text, selector.exact)
    if not candidates:
        raise SelectorError("exact", QUOTE_NOT_FOUND)
    index = best_occurrence(text, selector, candidates, start)
    corrected = selector.start is not None or selector.end is not None
    return selector_at(text, index, index + len(selector.exact), corrected=corrected)


# -- words -------------------------------------------------------------------------------


def is_word_character(character: str) -> bool:
    """Letters, digits and the combining marks that belong to them ("e\u0301")."""
    return character.isalnum() or unicodedata.category(character).startswith("M")


def has_words(quote: str) -> bool:
    return any(character.isalnum() for character in quote)


def _cuts_at(text: str, position: int) -> bool:
    """Whether `position` falls between two characters of one word."""
    return (
        0 < position < len(text)
        and is_word_character(text[position - 1])
        and is_word_character(text[position])
    )


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """text[start:end] extended to whole words: never cut inside a word."""
    while start > 0 and _cuts_at(text, start):
        start -= 1
    while end < len(text) and _cuts_at(text, end):
        end += 1
    return start, end


def check_quote(text: str, selector: Selector, *, exact_characters: bool = False) -> None:
    """The rules every new quote keeps: it holds a letter or a digit, and (unless the caller
    asks for exact characters) starts and ends on word boundaries. Raises SelectorError."""
    if not has_words(selector.exact):
        raise SelectorError("exact", QUOTE_HAS_NO_WORDS)
    if exact_characters:
        return
    if _cuts_at(text, selector.start) or _cuts_at(text, selector.end):
        start, end = whole_words(text, selector.start, selector.end)
        raise SelectorError("exact", QUOTE_CUTS_A_WORD.format(word=text[start:end]))


def place(text: str, selector: Selector, *, exact_characters: bool = False) -> Selector:
    """`locate`, then `check_quote`: what every door does with a quote a person sends."""
    placed = locate(text, selector)
    check_quote(text, placed, exact_characters=exact_characters)
    return placed


# -- re-anchoring after the text changes -------------------------------------------------
#
# An article edit is turned into a character diff (old text -> new text), computed once, and
# every claim's old positions are mapped through it:
# - its words untouched by the edit: they are found at their mapped place (stayed or moved);
# - its words edited: the quote is kept as said and the claim becomes `changed`, its edited
#   words (whole words) proposed as its new place when they still read like the quote
#   (similarity at least MIN_PROPOSAL_SIMILARITY); otherwise its words are gone: orphaned;
# - its words deleted: the quote is looked for only in text the edit inserted (a paragraph
#   moved elsewhere); otherwise orphaned.
# A `changed` claim is followed by its proposed place, and goes back to its quote when an
# edit brings the quote back there (an edit undone, an article reverted). An `orphaned`
# claim comes back only when an edit inserts its quote with its own context around it.

MIN_PROPOSAL_SIMILARITY = 0.5
# Characters of prefix and suffix that must agree before an orphaned claim's quote, inserted
# again by an edit, is taken as the claim's own words (its context is 2 x CONTEXT_LENGTH).
MIN_RECOVERY_CONTEXT = 12


@dataclass(frozen=True)
class Tracked:
    """What re-anchoring knows of a claim: its quote as said (start and end where it last
    stood), its anchor state, and for a `changed` claim the proposed place."""

    selector: Selector
    state: str = ANCHORED
    proposal: Selector | None = None


@dataclass(frozen=True)
class Placement:
    outcome: str  # STAYED, MOVED, CHANGED or ORPHANED
    selector: Selector | None = None  # the quote's place, when STAYED or MOVED
    proposal: Selector | None = None  # the edited words proposed, when CHANGED


class TextEdit:
    """The correspondence between an old and a new version of a text."""

    def __init__(self, old: str, new: str):
        # Google's diff-match-patch in C++ (fast-diff-match-patch): lengths only, no cleanup,
        # so an edit touches exactly the characters it changed. 20-40 ms on 100 KB where
        # the pure-Python port took 300-500 (bench/reanchor.py).
        from fast_diff_match_patch import diff

        self.old, self.new = old, new
        operations = diff(old, new, timelimit=5, checklines=len(old) > 2_000, cleanup="No")
        # Segments: (op, old_start, old_end, new_start, new_end); op -1 delete, 0 equal, 1 insert.
        self.segments: list[tuple[int, int, int, int, int]] = []
        old_at = new_at = 0
        for symbol, length in operations:
            op = {"=": 0, "-": -1, "+": 1}[symbol]
            old_len = length if op <= 0 else 0
            new_len = length if op >= 0 else 0
            self.segments.append((op, old_at, old_at + old_len, new_at, new_at + new_len))
            old_at += old_len
            new_at += new_len
        self._old_starts = [seg[1] for seg in self.segments]
        self.inserted = [(seg[3], seg[4]) for seg in self.segments if seg[0] == 1]

    def _segment_index(self, position: int) -> int:
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

    def slid_clear(self, start: int, end: int) -> int | None:
        """Where old[start:end] is when the diff deleted it within repeated text that the
        deletion could as well have left: deleting "the " from "the the minister" is also
        deleting " the" after the first "the". The same text results either way, so the
        quote stays on its words; None when no such reading spares it."""
        segment = self.segments[self._segment_index(start)]
        op, old_start, old_end, new_start, _ = segment
        if op != -1 or not (old_start <= start and end <= old_end):
            return None
        old = self.old
        slide = 0  # how far right the deleted window can move with the same result
        while old_end + slide < len(old) and old[old_start + slide] == old[old_end + slide]:
            slide += 1
            if old_start + slide >= end:
                return new_start + start - old_start
        slide = 0  # ... and how far left
        while old_start - slide > 0 and old[old_start - slide - 1] == old[old_end - slide - 1]:
            slide += 1
            if old_end - slide <= start:
                return new_start - (old_end - start)
        return None

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

    def edited_range(self, start: int, end: int) -> tuple[int, int]:
        """Where old[start:end] is in the new text once the edit touched it: as map_start and
        map_end, except that text replacing the range's last characters (the diff deletes
        "more", then inserts "less" at the same place) belongs to it."""
        new_start, new_end = self.map_start(start), self.map_end(end)
        index = self._segment_index(max(0, end - 1))
        op, old_start, old_end, _, _ = self.segments[index]
        if op == -1 and old_start < end <= old_end:
            for op, _, _, inserted_start, inserted_end in self.segments[index + 1 :]:
                if op != 1 or inserted_start != new_end:
                    break
                new_end = inserted_end
        return new_start, new_end

    def in_inserted_text(self, start: int, end: int) -> bool:
        return any(ins_start <= start and end <= ins_end for ins_start, ins_end in self.inserted)


def similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _own_place(new: str, quote: Selector, start: int, end: int) -> int | None:
    """The quote intact where [start, end) now is, sharing most of its characters with that
    place: the diff may align repetitive text ("aaaa") differently from how it was typed,
    and these are still the claim's own characters. An identical neighbour that merely
    touches or shares a space (a repeated word, a twin emoji) is other words."""
    length = len(quote.exact)
    base = max(0, start - length)
    own = [
        base + index
        for index in occurrences(new[base : end + length], quote.exact)
        if 2 * (min(end, base + index + length) - max(start, base + index)) > length
    ]
    return best_occurrence(new, quote, own, start) if own else None


def _in_inserted_text(edit: TextEdit, quote: Selector, near: int, min_context: int) -> int | None:
    """The quote found whole in text the edit inserted (a paragraph moved), with at least
    `min_context` characters of its context agreeing."""
    found = [
        index
        for index in occurrences(edit.new, quote.exact)
        if edit.in_inserted_text(index, index + len(quote.exact))
        and context_agreement(edit.new, index, quote) >= min_context
    ]
    return best_occurrence(edit.new, quote, found, near) if found else None


def _outcome(previous_start: int | None, start: int) -> str:
    return STAYED if start == previous_start else MOVED


def _placed(edit: TextEdit, quote: Selector, start: int, outcome: str) -> Placement:
    """The quote found whole at `start` of the new text. When the edit glued letters to it
    ("10 percent" → "10 percentage"), its words now read differently: it is kept, and the
    whole words are proposed (`changed`), as for an edit inside it."""
    end = start + len(quote.exact)
    new_cut = (_cuts_at(edit.new, start) and not _cuts_at(edit.old, quote.start or 0)) or (
        _cuts_at(edit.new, end) and not _cuts_at(edit.old, quote.end or 0)
    )
    if new_cut:
        return Placement(
            CHANGED, proposal=selector_at(edit.new, *whole_words(edit.new, start, end))
        )
    return Placement(outcome, selector_at(edit.new, start, end))


def follow(edit: TextEdit, quote: Selector) -> Placement:
    """Where the words of a placed selector went (see the rules above). A CHANGED placement
    proposes the edited words; the quote itself is never rewritten."""
    new = edit.new
    start, end = edit.map_start(quote.start), edit.map_end(quote.end)
    if end > start and new[start:end] == quote.exact:
        return _placed(edit, quote, start, _outcome(quote.start, start))
    own = _own_place(new, quote, start, end)
    if own is not None:
        return _placed(edit, quote, own, _outcome(quote.start, own))
    spared = edit.slid_clear(quote.start, quote.end)
    if spared is not None and new[spared : spared + len(quote.exact)] == quote.exact:
        return _placed(edit, quote, spared, _outcome(quote.start, spared))
    if edit.touched(quote.start, quote.end):
        start, end = edit.edited_range(quote.start, quote.end)
    if edit.touched(quote.start, quote.end) and end > start:
        start, end = whole_words(new, start, end)
        words = new[start:end]
        if has_words(words) and similarity(words, quote.exact) >= MIN_PROPOSAL_SIMILARITY:
            return Placement(CHANGED, proposal=selector_at(new, start, end))
        return Placement(ORPHANED)
    moved = _in_inserted_text(edit, quote, start, min_context=0)
    if moved is not None:
        return _placed(edit, quote, moved, MOVED)
    return Placement(ORPHANED)


def reanchor(edit: TextEdit, claim: Tracked) -> Placement:
    """Place one claim in the new text of `edit`."""
    quote = claim.selector
    if claim.state == ORPHANED:
        # Its positions belong to an older text: only its quote, inserted again with its own
        # context around it (an edit undone), brings it back.
        back = _in_inserted_text(edit, quote, quote.start or 0, MIN_RECOVERY_CONTEXT)
        if back is None:
            return Placement(ORPHANED)
        return _placed(edit, Selector(quote.exact), back, MOVED)
    if claim.state == CHANGED and claim.proposal is not None:
        proposal = claim.proposal
        start, end = edit.map_start(proposal.start), edit.map_end(proposal.end)
        back = _own_place(edit.new, quote, start, end)
        if back is not None and not _cuts_at(edit.new, back):  # the quote as said is back
            end = back + len(quote.exact)
            if not _cuts_at(edit.new, end):
                return Placement(MOVED, selector_at(edit.new, back, end))
        placed = follow(edit, proposal)
        if placed.outcome in (STAYED, MOVED):
            return Placement(CHANGED, proposal=placed.selector)
        if placed.outcome == CHANGED:
            return placed
        return Placement(ORPHANED)
    return follow(edit, quote)


def reanchor_all(old: str, new: str, claims: list[Tracked]) -> list[Placement]:
    """Place every claim of an article after its text changed from `old` to `new`."""
    edit = TextEdit(old, new)
    return [reanchor(edit, claim) for claim in claims]
