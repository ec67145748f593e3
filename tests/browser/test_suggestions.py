"""Suggested claims in the real editor: underlined sentences named "Suggested claim",
accepted into a claim or dismissed by mouse and by keyboard, hidden by the toggle, on a
desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from annotations import services
from annotations.models import Claim, SuggestionDismissal
from tests.browser.conftest import (
    assert_accessible,
    assert_fits,
    log_in,
    open_editor,
    select_text,
    shot_name,
)
from tests.factories import editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough passphrase"


@pytest.fixture
def scored(sample_article):
    """The sample article (emoji, CRLF, typographic quotes), scored as the job scores it."""
    services.article_suggestions_refresh(article_id=sample_article.id)
    return sample_article


def suggested(article):
    return [
        s
        for s in services.article_suggestions(article).sentences
        if s.suggested and s.status == "open"
    ]


def log_in_and_open(page, article):
    editor(username="ed", password=PASSWORD)
    log_in(page, "ed", PASSWORD)
    open_editor(page, article)
    underlines = page.get_by_label("Suggested claim")
    underlines.first.wait_for()
    return underlines


def put_caret_in(page, sentence_text):
    """Place the caret inside a sentence of the article (as arrow keys would), by script."""
    page.evaluate(
        """(words) => {
            const root = document.getElementById('article-text');
            const at = root.textContent.indexOf(words) + 3;
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let seen = 0, node;
            while ((node = walker.nextNode())) {
                if (at < seen + node.length) break;
                seen += node.length;
            }
            root.focus();
            const range = document.createRange();
            range.setStart(node, at - seen);
            range.collapse(true);
            const selection = window.getSelection();
            selection.removeAllRanges(); selection.addRange(range);
        }""",
        sentence_text,
    )


def test_suggestions_are_underlined_and_accepted_or_dismissed_by_mouse(page, scored, request):
    expected = suggested(scored)
    assert len(expected) == 3  # a quarter of 9 sentences, rounded up
    underlines = log_in_and_open(page, scored)
    assert underlines.count() == 3
    assert [underlines.nth(i).inner_text() for i in range(3)] == [s.text for s in expected]
    assert page.locator("#article-text mark").count() == 0  # no claim yet: no mark
    assert_accessible(page)

    first, second = expected[0], expected[1]
    underlines.first.click()
    pop = page.get_by_role("dialog", name="Suggestion")
    assert first.text in pop.inner_text()
    assert "score 0." in pop.inner_text()
    assert_accessible(page)
    page.screenshot(path=shot_name(request, ".card"), full_page=True)
    pop.get_by_role("button", name="Accept").click()
    assert page.locator("#form-quote").inner_text() == first.text
    page.get_by_label("Claimant").fill("Ana Duarte")
    page.get_by_role("button", name="Save claim").click()
    page.locator("#claim-form").wait_for(state="hidden")
    claim = Claim.objects.get()
    assert (claim.exact, claim.start, claim.end) == (first.text, first.start, first.end)
    page.locator(f'mark[data-claim-id="{claim.id}"]').first.wait_for()
    expect(page.locator("#article-text .suggestion")).to_have_count(2)

    page.get_by_label("Suggested claim").first.click()
    page.get_by_role("dialog", name="Suggestion").get_by_role("button", name="Dismiss").click()
    expect(page.locator("#article-text .suggestion")).to_have_count(1)
    dismissal = SuggestionDismissal.objects.get()
    assert dismissal.text == second.text and dismissal.dismissed_by.username == "ed"
    assert page.get_by_label("Suggested claim").inner_text() == expected[2].text
    assert_fits(page)
    assert_accessible(page)


def test_suggestions_work_by_keyboard_alone(page, scored):
    expected = suggested(scored)
    log_in_and_open(page, scored)
    # The caret in a suggested sentence, Enter: its card, with Accept focused.
    put_caret_in(page, expected[1].text)
    page.keyboard.press("Enter")
    pop = page.get_by_role("dialog", name="Suggestion")
    pop.wait_for()
    assert page.evaluate("document.activeElement.textContent") == "Accept"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Dismiss
    expect(page.locator("#article-text .suggestion")).to_have_count(2)
    assert SuggestionDismissal.objects.get().text == expected[1].text
    assert page.evaluate("document.activeElement.id") == "article-text"  # back in the text

    # From the list in the sidebar: Tab reaches each card's Accept and Dismiss.
    page.get_by_label("Show suggestions").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Accept"
    page.keyboard.press("Enter")
    assert page.locator("#form-quote").inner_text() == expected[0].text
    page.keyboard.type("Opposition")  # the claimant field has the focus
    page.get_by_role("button", name="Save claim").focus()
    page.keyboard.press("Enter")
    page.locator("#claim-form").wait_for(state="hidden")
    assert Claim.objects.get().exact == expected[0].text
    expect(page.locator("#article-text .suggestion")).to_have_count(1)
    assert_accessible(page)


def test_the_accepted_words_can_be_changed_before_saving(page, scored):
    expected = suggested(scored)
    log_in_and_open(page, scored)
    page.get_by_label("Suggested claim").first.click()
    page.get_by_role("dialog", name="Suggestion").get_by_role("button", name="Accept").click()
    words = "5,000 new jobs were created in the valley last year"
    assert words in expected[0].text
    select_text(page, words)
    page.get_by_role("button", name="Use selected words").click()
    assert page.locator("#form-quote").inner_text() == words
    page.get_by_role("button", name="Save claim").click()
    page.locator("#claim-form").wait_for(state="hidden")
    assert Claim.objects.get().exact == words


def test_the_toggle_hides_suggestions_and_is_remembered(page, scored):
    log_in_and_open(page, scored)
    toggle = page.get_by_label("Show suggestions")
    toggle.uncheck()
    assert page.locator("#article-text .suggestion").count() == 0
    assert page.locator("#suggestion-list").is_hidden()
    page.reload()
    page.wait_for_selector("body[data-editor-ready]")
    page.wait_for_timeout(300)  # the suggestions' answer has come and was not drawn
    assert page.locator("#article-text .suggestion").count() == 0
    assert not page.get_by_label("Show suggestions").is_checked()
    page.get_by_label("Show suggestions").check()
    assert page.locator("#article-text .suggestion").count() == 3


def test_while_the_job_has_not_run_the_editor_says_so_and_shows_them_when_it_has(
    page, sample_article
):
    editor(username="ed", password=PASSWORD)
    log_in(page, "ed", PASSWORD)
    open_editor(page, sample_article)
    status = page.locator("#suggestions-status")
    status.get_by_text("Scoring the sentences").wait_for()
    # Meanwhile the cue heuristic's picks are underlined already.
    page.get_by_label("Suggested claim").first.wait_for()
    services.article_suggestions_refresh(article_id=sample_article.id)  # the job, done
    expect(status).to_have_text("", timeout=5000)
    assert page.get_by_label("Suggested claim").count() == 3


def test_suggestions_on_a_phone(phone, scored, request):
    expected = suggested(scored)
    underlines = log_in_and_open(phone, scored)
    assert underlines.count() == 3
    underlines.nth(1).click()
    pop = phone.get_by_role("dialog", name="Suggestion")
    assert expected[1].text in pop.inner_text()
    assert_fits(phone)
    phone.screenshot(path=shot_name(request, ".card.390"))
    pop.get_by_role("button", name="Accept").click()
    assert phone.locator("#form-quote").inner_text() == expected[1].text
    assert_fits(phone)
    assert_accessible(phone)
