"""Offsets, overlapping claims and keyboard access in the real editor."""

import pytest

from annotations.models import Claim
from tests.browser.conftest import log_in
from tests.browser.test_editor import select_text
from tests.factories import ArticleFactory, ClaimFactory, editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough passphrase"


@pytest.fixture
def editor_page(page):
    editor(username="ed", password=PASSWORD)
    log_in(page, "ed", PASSWORD)
    return page


def open_article(page, article):
    page.goto(f"/articles/{article.id}/")
    page.wait_for_selector("body[data-editor-ready]")


def test_offsets_after_emoji_are_sent_as_code_points(editor_page):
    body = "Emoji first 🚀👩‍👧 then e\u0301 accents, then the claim: prices doubled in May."
    article = ArticleFactory(body=body)
    open_article(editor_page, article)
    select_text(editor_page, "prices doubled in May")
    editor_page.keyboard.press("m")  # the keyboard shortcut opens the same form
    editor_page.get_by_role("button", name="Save claim").click()
    editor_page.locator("article mark[data-claim-id]").wait_for()
    claim = Claim.objects.get()
    assert body[claim.start : claim.end] == "prices doubled in May"
    assert claim.start == body.index("prices")


def test_overlapping_and_nested_claims_are_drawn_and_reachable(editor_page):
    article = ArticleFactory(body="The mayor said unemployment has halved since 2020 in the city.")
    outer = ClaimFactory(article=article, quote="unemployment has halved since 2020")
    inner = ClaimFactory(article=article, quote="has halved")
    overlapping = ClaimFactory(article=article, quote="since 2020 in the city")
    open_article(editor_page, article)

    def text_of(claim):
        return editor_page.evaluate(
            "id => [...document.querySelectorAll(`mark[data-claim-id='${id}']`)]"
            ".filter(m => !m.parentElement.closest(`mark[data-claim-id='${id}']`))"
            ".map(m => m.textContent).join('')",
            claim.id,
        )

    assert text_of(outer) == "unemployment has halved since 2020"
    assert text_of(inner) == "has halved"
    assert text_of(overlapping) == "since 2020 in the city"

    # By click: the innermost mark under the pointer opens its claim.
    editor_page.locator(f"mark[data-claim-id='{inner.id}']").first.click()
    assert editor_page.locator("#claim-panel h2").inner_text() == f"Claim {inner.id}"
    # By keyboard: every claim's first mark is focusable and Enter opens it.
    focusable = editor_page.locator("article mark[tabindex='0']")
    assert focusable.count() == 3
    editor_page.locator(f"mark[data-claim-id='{overlapping.id}'][tabindex='0']").focus()
    editor_page.keyboard.press("Enter")
    assert editor_page.locator("#claim-panel h2").inner_text() == f"Claim {overlapping.id}"
    # And from the Claims list.
    editor_page.get_by_role("list", name="Claims").get_by_role("button").first.click()
    assert editor_page.locator("#claim-panel h2").inner_text() == f"Claim {outer.id}"


def test_delete_asks_first(editor_page):
    claim = ClaimFactory(article=ArticleFactory())
    open_article(editor_page, claim.article)
    editor_page.get_by_role("list", name="Claims").get_by_role("button").first.click()
    editor_page.once("dialog", lambda dialog: dialog.dismiss())
    editor_page.get_by_role("button", name="Delete").click()
    assert Claim.objects.filter(pk=claim.pk).exists()
    editor_page.once("dialog", lambda dialog: dialog.accept())
    editor_page.get_by_role("button", name="Delete").click()
    editor_page.get_by_text("No claims yet.").wait_for()
    assert not Claim.objects.filter(pk=claim.pk).exists()
