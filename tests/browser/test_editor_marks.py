"""Marking words in the real editor: what the browser sends, how a selection snaps, drags
that start on a highlight or run backwards, overlapping claims, and the keyboard alone."""

import json

import pytest
from playwright.sync_api import expect

from annotations.models import Claim
from tests.browser.conftest import (
    assert_accessible,
    claims_list,
    drag_select,
    log_in,
    open_claim,
    open_editor,
    select_text,
)
from tests.factories import ArticleFactory, ClaimFactory, editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough passphrase"
EMOJI_BODY = "Emoji first 🚀👩\u200d👧 then e\u0301 accents, then the claim: prices doubled in May."


@pytest.fixture
def editor_page(page):
    editor(username="ed", password=PASSWORD)
    log_in(page, "ed", PASSWORD)
    return page


def save_and_capture(page):
    """Save the open form; the JSON the browser sent to create the claim."""
    with page.expect_request(
        lambda r: r.url.endswith("/api/v1/claims/") and r.method == "POST"
    ) as request:
        page.get_by_role("button", name="Save claim").click()
    page.locator("#claim-form").wait_for(state="hidden")
    return json.loads(request.value.post_data)


def test_the_browser_sends_code_point_offsets_after_emoji(editor_page):
    article = ArticleFactory(body=EMOJI_BODY)
    open_editor(editor_page, article)
    select_text(editor_page, "prices doubled in May")
    editor_page.keyboard.press("m")  # the keyboard shortcut opens the same form
    sent = save_and_capture(editor_page)
    start = EMOJI_BODY.index("prices")  # code points; UTF-16 would be 4 more
    assert sent["selector"]["start"] == start
    assert sent["selector"]["end"] == start + len("prices doubled in May")
    assert sent["selector"]["prefix"] == EMOJI_BODY[start - 32 : start]
    claim = Claim.objects.get()
    assert (claim.start, claim.anchor_state) == (start, "anchored")  # nothing to correct


def test_a_drag_inside_words_snaps_to_whole_words_and_alt_keeps_exact_characters(editor_page):
    article = ArticleFactory(body="The minister said unemployment has halved since 2020.")
    open_editor(editor_page, article)
    drag_select(editor_page, "mployment has halv")
    editor_page.get_by_role("button", name="Mark claim").click()
    assert editor_page.locator("#form-quote").inner_text() == "unemployment has halved"
    assert save_and_capture(editor_page)["selector"]["exact"] == "unemployment has halved"

    drag_select(editor_page, "inister sa", alt=True)
    editor_page.get_by_role("button", name="Mark claim").click()
    sent = save_and_capture(editor_page)
    assert (sent["selector"]["exact"], sent["exact_characters"]) == ("inister sa", True)


def test_a_drag_that_starts_on_a_highlight_or_runs_backwards_marks_what_was_dragged(
    editor_page,
):
    body = "The mayor said unemployment has halved since 2020 in the city, a record."
    article = ArticleFactory(body=body)
    ClaimFactory(article=article, quote="unemployment has halved")
    open_editor(editor_page, article)
    # From the first letter of the highlighted words to the end of the year.
    drag_select(editor_page, "unemployment has halved since 2020")
    editor_page.get_by_role("button", name="Mark claim").click()
    assert save_and_capture(editor_page)["selector"]["exact"] == (
        "unemployment has halved since 2020"
    )
    # Backwards, from "city" to "in".
    drag_select(editor_page, "in the city", backwards=True)
    editor_page.get_by_role("button", name="Mark claim").click()
    assert save_and_capture(editor_page)["selector"]["exact"] == "in the city"
    assert Claim.objects.count() == 3


def test_overlapping_claims_are_drawn_and_a_click_on_shared_words_offers_a_choice(editor_page):
    article = ArticleFactory(body="The mayor said unemployment has halved since 2020 in the city.")
    outer = ClaimFactory(article=article, quote="unemployment has halved since 2020")
    inner = ClaimFactory(article=article, quote="has halved", claimant="Inner claimant")
    ClaimFactory(article=article, quote="since 2020 in the city")
    open_editor(editor_page, article)

    def text_of(claim):
        return editor_page.evaluate(
            "id => [...document.querySelectorAll(`mark[data-claim-id='${id}']`)]"
            ".filter(m => !m.parentElement.closest(`mark[data-claim-id='${id}']`))"
            ".map(m => m.textContent).join('')",
            claim.id,
        )

    assert text_of(outer) == "unemployment has halved since 2020"
    assert text_of(inner) == "has halved"
    # Words under one claim open it; words under two ask which.
    editor_page.locator("mark", has_text="unemployment").first.click()
    editor_page.locator("#claim-panel h2", has_text=f"Claim {outer.id}").wait_for()
    editor_page.locator(f"mark[data-claim-id='{inner.id}']").first.click()
    chooser = editor_page.get_by_role("dialog", name="Claims on these words")
    chooser.wait_for()
    assert chooser.get_by_role("button").count() == 3  # the two claims, and Close
    chooser.get_by_role("button", name="Inner claimant").click()
    editor_page.locator("#claim-panel h2", has_text=f"Claim {inner.id}").wait_for()
    assert_accessible(editor_page)


def test_a_claim_is_made_with_the_keyboard_alone(editor_page):
    article = ArticleFactory(body="First words. The minister said taxes fell by ten percent.")
    open_editor(editor_page, article)
    editor_page.keyboard.press("Tab")  # the skip link
    while not editor_page.evaluate("document.activeElement.id === 'article-text'"):
        editor_page.keyboard.press("Tab")
    editor_page.keyboard.press("Control+Home")
    for _ in range(2):
        editor_page.keyboard.press("Control+ArrowRight")  # past "First words."
    editor_page.keyboard.press("ArrowRight")
    for _ in range(3):
        editor_page.keyboard.press("Control+Shift+ArrowRight")  # "The minister said"
    editor_page.keyboard.press("m")
    assert editor_page.get_by_label("Claimant").evaluate("el => el === document.activeElement")
    editor_page.keyboard.type("A minister")
    sent = save_and_capture(editor_page)
    assert sent["selector"]["exact"] == "The minister said"
    assert sent["claimant"] == "A minister"
    # The keyboard goes on from the saved claim's panel, not from the top of the page...
    focused = "document.activeElement.id"
    expect(editor_page.locator("#panel-heading")).to_be_focused()
    # ...and there after an edit is given up with Esc.
    editor_page.get_by_role("button", name="Edit").press("Enter")
    assert editor_page.evaluate(focused) == "f-claimant"
    editor_page.keyboard.press("Escape")
    assert editor_page.evaluate(focused) == "panel-heading"
    # Back in the text, Enter on highlighted words opens their claim.
    editor_page.locator("#article-text").focus()
    editor_page.keyboard.press("Control+Home")
    for _ in range(4):
        editor_page.keyboard.press("Control+ArrowRight")
    editor_page.keyboard.press("Enter")
    editor_page.locator("#claim-panel .details").wait_for()
    assert "The minister said" in editor_page.locator("#claim-panel .quote").inner_text()


def test_delete_asks_first(editor_page):
    claim = ClaimFactory(article=ArticleFactory())
    open_editor(editor_page, claim.article)
    open_claim(editor_page)
    editor_page.once("dialog", lambda dialog: dialog.dismiss())
    editor_page.get_by_role("button", name="Delete").click()
    assert Claim.objects.filter(pk=claim.pk).exists()
    editor_page.once("dialog", lambda dialog: dialog.accept())
    editor_page.get_by_role("button", name="Delete").click()
    claims_list(editor_page).get_by_text("No claims yet.").wait_for()
    assert not Claim.objects.filter(pk=claim.pk).exists()
