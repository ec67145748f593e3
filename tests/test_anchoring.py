"""anchoring.py: pure functions, tested without a database."""

import pytest

from annotations import anchoring
from annotations.anchoring import MOVED, ORPHANED, STAYED, Selector

TEXT = "Alpha said the tax fell. Beta said the tax fell. Gamma disagreed."


def selector_for(text, quote, occurrence=0):
    start = anchoring.occurrences(text, quote)[occurrence]
    anchor = anchoring.anchor_at(text, start, start + len(quote))
    return Selector(anchor.exact, anchor.prefix, anchor.suffix, anchor.start, anchor.end)


def test_locate_keeps_positions_that_hold_the_quote():
    anchor = anchoring.locate(TEXT, "the tax fell", 35, 47)
    assert (anchor.start, anchor.end, anchor.corrected) == (35, 47, False)
    assert anchor.prefix == TEXT[3:35] and anchor.suffix == TEXT[47:79]


def test_locate_moves_wrong_positions_to_the_nearest_occurrence():
    anchor = anchoring.locate(TEXT, "the tax fell", 29, 41)
    assert (anchor.start, anchor.corrected) == (35, True)


def test_locate_refuses_a_quote_that_is_not_there():
    with pytest.raises(anchoring.SelectorError) as error:
        anchoring.locate(TEXT, "the tax rose", 0, 12)
    assert error.value.field == "exact"


def test_locate_refuses_an_empty_quote():
    with pytest.raises(anchoring.SelectorError):
        anchoring.locate(TEXT, "")


def place(old, new, selector):
    return anchoring.reanchor_all(old, new, [selector])[0]


def test_reanchor_unchanged_text_stays():
    selector = selector_for(TEXT, "the tax fell", 1)
    assert place(TEXT, TEXT, selector).outcome == STAYED


def test_reanchor_follows_an_insertion_before_the_quote():
    selector = selector_for(TEXT, "the tax fell", 1)
    edited = "Breaking: " + TEXT
    placement = place(TEXT, edited, selector)
    assert placement.outcome == MOVED
    assert (placement.anchor.start, placement.anchor.end) == (
        selector.start + 10,
        selector.end + 10,
    )


def test_reanchor_duplicated_sentence_resolves_by_context():
    selector = selector_for(TEXT, "the tax fell", 1)  # Beta's
    edited = TEXT.replace("Alpha said", "Alpha, the former minister, said")
    anchor = place(TEXT, edited, selector).anchor
    assert edited[anchor.start - 10 : anchor.start] == "Beta said "


def test_reanchor_never_jumps_to_the_twin_sentence_when_its_own_copy_is_rewritten():
    selector = selector_for(TEXT, "the tax fell", 1)  # Beta's
    edited = TEXT.replace("Beta said the tax fell", "Beta said nothing at all")
    assert place(TEXT, edited, selector).outcome == ORPHANED


def test_reanchor_orphans_a_quote_whose_words_are_gone():
    selector = selector_for(TEXT, "Gamma disagreed")
    edited = TEXT.replace("Gamma disagreed", "Delta left")
    assert place(TEXT, edited, selector) == anchoring.Placement(ORPHANED, None)


def test_reanchor_follows_a_small_correction_inside_the_quote():
    text = "The minister said that unemployment has halved since 2020. Others disagree."
    selector = selector_for(text, "unemployment has halved since 2020")
    edited = text.replace("halved", "halfed")
    placement = place(text, edited, selector)
    assert placement.outcome == MOVED and placement.edited
    assert placement.anchor.exact == "unemployment has halfed since 2020"


def test_reanchor_finds_a_paragraph_moved_elsewhere():
    text = "First paragraph here.\nSecond paragraph with the claim in it.\nThird one."
    selector = selector_for(text, "the claim in it")
    edited = "First paragraph here.\nThird one.\nSecond paragraph with the claim in it."
    placement = place(text, edited, selector)
    assert placement.outcome == MOVED
    assert edited[placement.anchor.start : placement.anchor.end] == "the claim in it"


def test_normalize_newlines():
    assert anchoring.normalize_newlines("a\r\nb\rc\n") == "a\nb\nc\n"
