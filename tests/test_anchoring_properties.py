"""Property-based tests of re-anchoring: random edits never put a claim on the wrong words."""

import os

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotations import anchoring
from annotations.anchoring import CHANGED, ORPHANED, Tracked

# Words of news copy, separators, CRLF, emoji (two UTF-16 units; one with a joiner) and a
# combining accent: the characters that break offset arithmetic elsewhere. Texts are made of
# words because in degenerate runs ("aaaa", "\r\n\r\n") the before and after texts alone
# cannot tell which copy an edit touched; real copy has words.
WORDS = [
    "the",
    "minister",
    "said",
    "taxes",
    "fell",
    "by",
    "ten",
    "percent",
    "in",
    "2020",
    "Kyiv",
    "referendum",
    "café",
    "cafe\u0301",
    "’s",
    "🚀",
    "👩\u200d👧",
    "“quote”",
]
SEPARATORS = [" ", " ", " ", ", ", ". ", "\n", "\r\n", " — "]
TOKENS = st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)).map("".join)
ALPHABET = TOKENS
# HYPOTHESIS_EXAMPLES=5000 for a longer hunt than the suite's default.
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 300)),
    suppress_health_check=[HealthCheck.too_slow],
    deadline=None,
)
TEXTS = st.lists(TOKENS, min_size=10, max_size=120).map("".join)


@st.composite
def text_with_claim(draw):
    text = draw(TEXTS)
    start = draw(st.integers(0, len(text) - 5))
    end = draw(st.integers(start + 3, min(len(text), start + 60)))
    start, end = anchoring.whole_words(text, start, end)  # as the editor snaps a selection
    while start < end and text[start].isspace():  # and trims it
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    assume(end - start >= 2 and anchoring.has_words(text[start:end]))  # a valid quote
    return text, anchoring.selector_at(text, start, end)


@st.composite
def edit_outside(draw, text, selector):
    """Insert or delete somewhere that leaves the quoted words alone."""
    before = draw(st.booleans())
    low, high = (0, selector.start) if before else (selector.end, len(text))
    at = draw(st.integers(low, high))
    if draw(st.booleans()):
        inserted = draw(st.lists(ALPHABET, min_size=1, max_size=30).map("".join))
        return text[:at] + inserted + text[at:], len(inserted) if before else 0
    length = draw(st.integers(0, high - at))
    return text[:at] + text[at + length :], -length if before else 0


@PROPERTY_SETTINGS
@given(data=st.data())
def test_edits_outside_the_quote_never_move_it_off_its_words(data):
    text, selector = data.draw(text_with_claim())
    for _ in range(data.draw(st.integers(1, 5))):
        new_text, delta = data.draw(edit_outside(text, selector))
        placement = anchoring.reanchor_all(text, new_text, [Tracked(selector)])[0]
        assert placement.outcome != ORPHANED
        if placement.outcome == CHANGED:
            # Only when the edit glued letters to the quote ("percent" → "percentage"): the
            # quote is kept and its whole words proposed.
            proposal = placement.proposal
            assert selector.exact in proposal.exact and proposal.exact != selector.exact
            return
        anchor = placement.selector
        # The same words, where they went. Only when the edit repeats the text around it
        # ("a" inserted into "aaaa") can the texts not tell where it went; then the claim may
        # sit within the edit's length of its true place, still on identical words.
        assert new_text[anchor.start : anchor.end] == selector.exact
        assert abs(anchor.start - (selector.start + delta)) <= abs(delta)
        if new_text.count(selector.exact) == 1:
            assert anchor.start == selector.start + delta
        text = new_text
        selector = anchor


@PROPERTY_SETTINGS
@given(data=st.data())
def test_edits_inside_the_quote_keep_it_and_propose_the_edited_words_or_orphan_it(data):
    text, selector = data.draw(text_with_claim())
    at = data.draw(st.integers(selector.start + 1, selector.end - 1))
    removed = data.draw(st.integers(0, selector.end - at))
    inserted = data.draw(st.lists(ALPHABET, max_size=10).map("".join))
    if not removed and not inserted:
        return
    new_text = text[:at] + inserted + text[at + removed :]
    # Where the claim's own (edited) words are now.
    own_start, own_end = selector.start, selector.end - removed + len(inserted)

    placement = anchoring.reanchor_all(text, new_text, [Tracked(selector)])[0]

    if placement.outcome == ORPHANED:
        return
    if placement.outcome != CHANGED:  # the diff found the quote intact: it is its own words
        placed = placement.selector
        assert new_text[placed.start : placed.end] == selector.exact
        return
    proposal = placement.proposal
    assert new_text[proposal.start : proposal.end] == proposal.exact
    # Whole words: never cut inside one.
    assert anchoring.whole_words(new_text, proposal.start, proposal.end) == (
        proposal.start,
        proposal.end,
    )
    assert anchoring.has_words(proposal.exact)
    slack = removed + len(inserted) + 20  # a diff may align edges either way; words extend
    assert own_start - slack <= proposal.start and proposal.end <= own_end + slack, "other words"
    assert proposal.start < own_end and proposal.end > own_start, "placed on other words"


@PROPERTY_SETTINGS
@given(data=st.data())
def test_a_sequence_of_random_edits_never_rewrites_a_quote(data):
    text, selector = data.draw(text_with_claim())
    claim = Tracked(selector)
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(text)))
        removed = data.draw(st.integers(0, min(40, len(text) - at)))
        inserted = data.draw(st.lists(ALPHABET, max_size=6).map("".join))
        new_text = text[:at] + inserted + text[at + removed :]
        placement = anchoring.reanchor_all(text, new_text, [claim])[0]
        if placement.outcome == ORPHANED:
            claim = Tracked(claim.selector, anchoring.ORPHANED)
        elif placement.outcome == CHANGED:
            proposal = placement.proposal
            assert new_text[proposal.start : proposal.end] == proposal.exact
            claim = Tracked(claim.selector, anchoring.CHANGED, proposal)
        else:
            placed = placement.selector
            assert placed.exact == selector.exact  # the quote as said, never rewritten
            assert new_text[placed.start : placed.end] == selector.exact
            claim = Tracked(placed, anchoring.REANCHORED)
        text = new_text


def test_duplicated_sentences_resolve_by_context():
    sentence = "Taxes fell by ten percent."
    text = f"The minister: {sentence} The mayor: {sentence} The end."
    start = text.rindex(sentence)
    selector = anchoring.selector_at(text, start, start + len(sentence))
    for new_text in (
        "Update 🚀: " + text,
        text.replace("The minister: ", ""),
        text.replace(" The end.", ""),
        "Intro.\r\n".replace("\r\n", "\n") + text.replace("The mayor", "The city mayor"),
    ):
        placement = anchoring.reanchor_all(text, new_text, [Tracked(selector)])[0]
        begin = placement.selector.start
        assert new_text[begin : begin + len(sentence)] == sentence
        assert "mayor: " in new_text[max(0, begin - 12) : begin]
