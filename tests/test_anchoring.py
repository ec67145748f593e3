"""anchoring.py: pure functions, tested without a database."""

import pytest

from annotations import anchoring
from annotations.anchoring import CHANGED, MOVED, ORPHANED, STAYED, Selector, Tracked

TEXT = "Alpha said the tax fell. Beta said the tax fell. Gamma disagreed."


def selector_for(text, quote, occurrence=0):
    start = anchoring.occurrences(text, quote)[occurrence]
    return anchoring.selector_at(text, start, start + len(quote))


def test_locate_keeps_positions_that_hold_the_quote():
    placed = anchoring.locate(TEXT, Selector("the tax fell", start=35, end=47))
    assert (placed.start, placed.end, placed.corrected) == (35, 47, False)
    assert placed.prefix == TEXT[3:35] and placed.suffix == TEXT[47:79]


def test_locate_moves_wrong_positions_to_the_nearest_occurrence():
    placed = anchoring.locate(TEXT, Selector("the tax fell", start=29, end=41))
    assert (placed.start, placed.corrected) == (35, True)


def test_locate_refuses_a_quote_that_is_not_there():
    with pytest.raises(anchoring.SelectorError) as error:
        anchoring.locate(TEXT, Selector("the tax rose", start=0, end=12))
    assert (error.value.field, error.value.message) == ("exact", anchoring.QUOTE_NOT_FOUND)


def test_locate_refuses_an_empty_quote():
    with pytest.raises(anchoring.SelectorError):
        anchoring.locate(TEXT, Selector(""))


@pytest.mark.parametrize("quote", [",", " . ", "—", "🚀"])
def test_a_quote_without_a_letter_or_digit_is_refused(quote):
    text = f"Before {quote} after, and 🚀 too."
    with pytest.raises(anchoring.SelectorError) as error:
        anchoring.place(text, Selector(quote))
    assert error.value.message == anchoring.QUOTE_HAS_NO_WORDS


@pytest.mark.parametrize(
    ("start", "end", "words"), [(2, 10, "Alpha said"), (6, 16, "said the tax")]
)
def test_a_quote_that_cuts_a_word_is_refused_naming_the_whole_words(start, end, words):
    with pytest.raises(anchoring.SelectorError) as error:
        anchoring.place(TEXT, Selector(TEXT[start:end], start=start, end=end))
    assert error.value.message == anchoring.QUOTE_CUTS_A_WORD.format(word=words)


def test_whole_words_and_exact_characters():
    placed = anchoring.place(TEXT, Selector("said", start=6, end=10))
    assert placed.exact == "said"
    cut = Selector("id the t", start=8, end=16)
    assert anchoring.place(TEXT, cut, exact_characters=True).exact == "id the t"
    accented = "Le cafe\u0301 ferme."
    with pytest.raises(anchoring.SelectorError):  # a combining accent belongs to its letter
        anchoring.place(accented, Selector("Le cafe", start=0, end=7))
    assert anchoring.whole_words(accented, 3, 5) == (3, 8)


def place(old, new, selector, state=anchoring.ANCHORED, proposal=None):
    return anchoring.reanchor_all(old, new, [Tracked(selector, state, proposal)])[0]


def test_reanchor_unchanged_text_stays():
    selector = selector_for(TEXT, "the tax fell", 1)
    assert place(TEXT, TEXT, selector).outcome == STAYED


def test_reanchor_follows_an_insertion_before_the_quote():
    selector = selector_for(TEXT, "the tax fell", 1)
    placement = place(TEXT, "Breaking: " + TEXT, selector)
    assert placement.outcome == MOVED
    assert (placement.selector.start, placement.selector.end) == (
        selector.start + 10,
        selector.end + 10,
    )


def test_reanchor_duplicated_sentence_resolves_by_context():
    selector = selector_for(TEXT, "the tax fell", 1)  # Beta's
    edited = TEXT.replace("Alpha said", "Alpha, the former minister, said")
    placed = place(TEXT, edited, selector).selector
    assert edited[placed.start - 10 : placed.start] == "Beta said "


def test_reanchor_never_jumps_to_the_twin_sentence_when_its_own_copy_is_rewritten():
    selector = selector_for(TEXT, "the tax fell", 1)  # Beta's
    edited = TEXT.replace("Beta said the tax fell", "Beta said nothing at all")
    placement = place(TEXT, edited, selector)
    assert placement.outcome in (CHANGED, ORPHANED)
    assert placement.selector is None  # never the twin's words
    if placement.proposal:
        assert placement.proposal.start > edited.index("Beta")


def test_reanchor_orphans_a_quote_whose_words_are_gone():
    selector = selector_for(TEXT, "Gamma disagreed")
    edited = TEXT.replace(" Gamma disagreed.", "")
    assert place(TEXT, edited, selector) == anchoring.Placement(ORPHANED)


def test_an_edit_inside_the_quote_keeps_the_quote_and_proposes_whole_words():
    text = "Kyiv said the region has been under Moscow's military control since March."
    selector = selector_for(text, "under Moscow's military control since March")
    edited = text.replace("March", "April")
    placement = place(text, edited, selector)
    assert placement.outcome == CHANGED and placement.selector is None
    assert placement.proposal.exact == "under Moscow's military control since April"
    year = "Prices rose in 2025, the office said."
    placement = place(year, year.replace("2025", "2024"), selector_for(year, "Prices rose in 2025"))
    assert placement.proposal.exact == "Prices rose in 2024"  # never "…in 202"


def test_a_changed_claim_follows_its_proposal_and_returns_when_the_edit_is_undone():
    text = "Intro. The minister said unemployment has halved since 2020. Outro."
    quote = selector_for(text, "unemployment has halved since 2020")
    edited = text.replace("halved", "fallen")
    first = place(text, edited, quote)
    assert first.outcome == CHANGED
    moved = "New lead. " + edited
    second = place(edited, moved, quote, anchoring.CHANGED, first.proposal)
    assert second.outcome == CHANGED
    assert second.proposal.exact == first.proposal.exact
    assert second.proposal.start == first.proposal.start + len("New lead. ")
    undone = moved.replace("fallen", "halved")
    back = place(moved, undone, quote, anchoring.CHANGED, second.proposal)
    assert back.outcome == MOVED and back.selector.exact == quote.exact
    assert undone[back.selector.start : back.selector.end] == quote.exact


def test_an_orphaned_claim_returns_only_with_its_own_context():
    text = "One. The mayor promised ten new schools by June. Two."
    quote = selector_for(text, "ten new schools")
    gone = text.replace("The mayor promised ten new schools by June. ", "")
    assert place(text, gone, quote).outcome == ORPHANED
    elsewhere = gone + " A rival promised ten new schools too."
    assert place(gone, elsewhere, quote, anchoring.ORPHANED).outcome == ORPHANED
    restored = place(gone, text, quote, anchoring.ORPHANED)
    assert restored.outcome == MOVED and restored.selector.start == text.index("ten new")


def test_reanchor_finds_a_paragraph_moved_elsewhere():
    text = "First paragraph here.\nSecond paragraph with the claim in it.\nThird one."
    selector = selector_for(text, "the claim in it")
    edited = "First paragraph here.\nThird one.\nSecond paragraph with the claim in it."
    placement = place(text, edited, selector)
    assert placement.outcome == MOVED
    assert edited[placement.selector.start : placement.selector.end] == "the claim in it"


def test_normalize_newlines():
    assert anchoring.normalize_newlines("a\r\nb\rc\n") == "a\nb\nc\n"


def test_a_deletion_the_diff_puts_on_repeated_words_leaves_the_quote_on_its_words():
    """Deleting " the" after the quoted "the" reads, to the diff, as deleting the quote and
    its space: both give the same text, so the quote stays (found by Hypothesis)."""
    old = "the the minister the the the the the the the "
    quote = anchoring.locate(old, anchoring.Selector("the", start=0, end=3))
    new = old[:3] + old[7:]
    placement = anchoring.reanchor_all(old, new, [anchoring.Tracked(quote)])[0]
    assert placement.outcome == "stayed"
    assert (placement.selector.start, placement.selector.end) == (0, 3)
