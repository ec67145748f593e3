"""Property-based tests of re-anchoring: random edits never put a claim on the wrong words."""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations import anchoring
from annotations.anchoring import ORPHANED, Selector

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
    anchor = anchoring.anchor_at(text, start, end)
    return text, Selector(anchor.exact, anchor.prefix, anchor.suffix, start, end)


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
        placement = anchoring.reanchor_all(text, new_text, [selector])[0]
        assert placement.outcome != ORPHANED
        anchor = placement.anchor
        # The same words, where they went. Only when the edit repeats the text around it
        # ("a" inserted into "aaaa") can the texts not tell where it went; then the claim may
        # sit within the edit's length of its true place, still on identical words.
        assert new_text[anchor.start : anchor.end] == selector.exact
        assert abs(anchor.start - (selector.start + delta)) <= abs(delta)
        if new_text.count(selector.exact) == 1:
            assert anchor.start == selector.start + delta
        text = new_text
        selector = Selector(anchor.exact, anchor.prefix, anchor.suffix, anchor.start, anchor.end)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_edits_inside_the_quote_land_on_the_edited_words_or_orphan_it(data):
    text, selector = data.draw(text_with_claim())
    at = data.draw(st.integers(selector.start + 1, selector.end - 1))
    removed = data.draw(st.integers(0, selector.end - at))
    inserted = data.draw(st.lists(ALPHABET, max_size=10).map("".join))
    if not removed and not inserted:
        return
    new_text = text[:at] + inserted + text[at + removed :]
    # Where the claim's own (edited) words are now.
    own_start, own_end = selector.start, selector.end - removed + len(inserted)

    placement = anchoring.reanchor_all(text, new_text, [selector])[0]

    if placement.outcome == ORPHANED:
        return
    start, end = placement.anchor.start, placement.anchor.end
    slack = removed + len(inserted)  # a diff may align an edit's edges either way
    assert own_start - slack <= start and end <= own_end + slack, "placed on other words"
    assert start < own_end and end > own_start, "placed on other words"


def test_duplicated_sentences_resolve_by_context():
    sentence = "Taxes fell by ten percent."
    text = f"The minister: {sentence} The mayor: {sentence} The end."
    start = text.rindex(sentence)
    anchor = anchoring.anchor_at(text, start, start + len(sentence))
    selector = Selector(anchor.exact, anchor.prefix, anchor.suffix, anchor.start, anchor.end)
    for new_text in (
        "Update 🚀: " + text,
        text.replace("The minister: ", ""),
        text.replace(" The end.", ""),
        "Intro.\r\n".replace("\r\n", "\n") + text.replace("The mayor", "The city mayor"),
    ):
        placement = anchoring.reanchor_all(text, new_text, [selector])[0]
        begin = placement.anchor.start
        assert new_text[begin : begin + len(sentence)] == sentence
        assert "mayor: " in new_text[max(0, begin - 12) : begin]
