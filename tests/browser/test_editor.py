"""The editor, driven in Chromium: mark a claim on the seed article, keep it on its words
through an edit, review it, and never run markup from claim text."""

import pytest

from annotations.models import Claim
from tests.browser.conftest import log_in
from tests.factories import ClaimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEDVEDEV = (
    "Former Russian President Dmitry Medvedev, who is currently the deputy chief of Russia’s "
    "Security Council, wrote on Telegram on September 20 that the referendums on Ukraine’s "
    "occupied territories were “important” to “reinstate historic justice.”"
)


def select_text(page, quote):
    """Select `quote` inside the <article> the way a mouse drag would, then release."""
    page.evaluate(
        """(quote) => {
            const article = document.querySelector('article');
            const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
            let offset = 0, node, start = null, end = null;
            const full = article.textContent;
            const from = full.indexOf(quote), to = from + quote.length;
            if (from < 0) throw new Error('quote not in article');
            while ((node = walker.nextNode())) {
                const len = node.textContent.length;
                if (start === null && from < offset + len) start = [node, from - offset];
                if (end === null && to <= offset + len) end = [node, to - offset];
                offset += len;
            }
            const range = document.createRange();
            range.setStart(...start); range.setEnd(...end);
            const selection = window.getSelection();
            selection.removeAllRanges(); selection.addRange(range);
            article.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        quote,
    )


def open_seed_article(page, article):
    page.goto("/articles/")
    page.get_by_role("link", name=article.title).click()
    page.wait_for_selector("body[data-editor-ready]")


def test_editor_marks_a_claim_that_survives_reload_and_an_edit_then_review(
    page, demo, browser, live_server
):
    logins, article = demo
    log_in(page, "demo-editor", logins["demo-editor"])
    open_seed_article(page, article)

    select_text(page, MEDVEDEV)
    page.get_by_role("button", name="Mark claim").click()
    page.get_by_label("Claimant").fill("Dmitry Medvedev")
    page.get_by_label("Verdict").select_option("misleading")
    page.get_by_label("Summary").fill("The referendums have no legal effect.")
    page.get_by_label("Source URL").fill("https://example.org/un-resolution")
    page.get_by_role("button", name="Save claim").click()

    mark = page.locator("article mark[data-claim-id]")
    mark.first.wait_for()
    claim = Claim.objects.get(article=article)
    assert claim.exact == MEDVEDEV and claim.claimant == "Dmitry Medvedev"
    assert article.body[claim.start : claim.end] == MEDVEDEV  # code points, not UTF-16 units

    page.reload()
    page.wait_for_selector("body[data-editor-ready]")
    assert mark.inner_text() == MEDVEDEV
    assert page.get_by_role("list", name="Claims").get_by_text(MEDVEDEV[:40]).is_visible()

    # An editor inserts a paragraph at the top: the highlight stays on the same words.
    page.get_by_role("link", name="Edit text").click()
    body = page.get_by_label("Article text")
    body.fill("Editor's note: this article was updated on September 21.\n" + body.input_value())
    page.get_by_role("button", name="Save text").click()
    page.wait_for_selector("body[data-editor-ready]")
    assert "1 moved" in page.get_by_role("status").first.inner_text()
    assert mark.inner_text() == MEDVEDEV

    # The editor submits it; approving is not theirs to do.
    page.locator("article mark[data-claim-id]").first.click()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("In review").first.wait_for()
    assert page.get_by_role("button", name="Approve").count() == 0

    reviewer = browser.new_context(base_url=live_server.url).new_page()
    log_in(reviewer, "demo-reviewer", logins["demo-reviewer"])
    open_seed_article(reviewer, article)
    reviewer.get_by_role("list", name="Claims").get_by_role("button").first.click()
    reviewer.get_by_role("button", name="Approve").click()
    reviewer.locator("#claim-panel .badge", has_text="Approved").wait_for()
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.reviewed_by.username == "demo-reviewer"


def test_markup_in_claim_text_is_shown_as_text_and_never_runs(page, demo):
    logins, article = demo
    quote = "Kyiv and its Western allies"
    ClaimFactory(
        article=article,
        quote=quote,
        summary="<img src=x onerror=alert(1)>",
        claimant="<script>alert(2)</script>",
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, "demo-editor", logins["demo-editor"])
    open_seed_article(page, article)
    page.get_by_role("list", name="Claims").get_by_role("button").first.click()
    assert page.locator("#claim-panel .summary").inner_text() == "<img src=x onerror=alert(1)>"
    assert page.locator("#claim-panel img").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []


def test_a_stale_edit_keeps_what_was_typed_and_shows_the_other_version(page, demo):
    logins, article = demo
    claim = ClaimFactory(article=article, quote="Kyiv and its Western allies", summary="Old")
    log_in(page, "demo-editor", logins["demo-editor"])
    open_seed_article(page, article)
    page.get_by_role("list", name="Claims").get_by_role("button").first.click()
    page.get_by_role("button", name="Edit").click()
    Claim.objects.filter(pk=claim.pk).update(summary="Changed by a colleague", version=2)
    page.get_by_label("Summary").fill("My careful rewrite")
    page.get_by_role("button", name="Save claim").click()
    alert = page.locator("#form-conflict")
    alert.wait_for()
    assert "Someone else changed this claim" in alert.inner_text()
    assert "Changed by a colleague" in alert.inner_text()
    assert page.get_by_label("Summary").input_value() == "My careful rewrite"
    page.get_by_role("button", name="Save claim").click()
    page.locator("#claim-panel .summary", has_text="My careful rewrite").wait_for()
    claim.refresh_from_db()
    assert (claim.summary, claim.version) == ("My careful rewrite", 3)
