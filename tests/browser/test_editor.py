"""The editor, as a person uses it in Chromium: mark a claim with the mouse, keep it on its
words through an edit, review it with a colleague, and never run markup from claim text."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from annotations.models import Claim
from tests.browser.conftest import (
    assert_accessible,
    assert_fits,
    claims_list,
    drag_select,
    log_in,
    open_claim,
    open_editor,
)
from tests.factories import ClaimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOBS = "5,000 new jobs were created in the valley last year"


def test_an_editor_marks_a_claim_that_survives_reload_and_an_edit_then_a_reviewer_approves(
    page, second_page, demo
):
    logins, article = demo
    log_in(page, "demo-editor", logins["demo-editor"])
    page.goto("/articles/")
    page.get_by_role("link", name=article.title).click()
    page.wait_for_selector("body[data-editor-ready]")
    assert page.locator("#claim-form").is_hidden()  # no empty form before anything is marked

    drag_select(page, JOBS)
    page.get_by_role("button", name="Mark claim").click()
    page.get_by_label("Claimant").fill("Ana Duarte")
    page.get_by_label("Verdict").select_option("false")
    page.get_by_label("Summary").fill("The statistics office counts 1,200 new jobs.")
    page.get_by_label("Source URL").fill("https://stats.example.org/jobs-2025")
    page.get_by_role("button", name="Save claim").click()

    card = claims_list(page).get_by_role("button").first
    card.wait_for()
    assert page.locator("#claim-form").is_hidden()  # saved: the form closes
    claim = Claim.objects.get(article=article)
    assert claim.exact == JOBS and claim.claimant == "Ana Duarte"
    assert article.body[claim.start : claim.end] == JOBS  # code points, not UTF-16 units
    for words in (JOBS, "Ana Duarte", "False"):  # the card names the words, who, the verdict
        assert words in card.inner_text()

    page.reload()
    page.wait_for_selector("body[data-editor-ready]")
    assert page.locator("article mark[data-claim-id]").inner_text() == JOBS

    # An editor adds a paragraph at the top: the highlight stays on the same words.
    page.get_by_role("link", name="Edit text").click()
    body = page.get_by_label("Article text")
    body.fill("Editor's note: updated on Friday.\n" + body.input_value())
    page.get_by_role("button", name="Save text").click()
    page.wait_for_selector("body[data-editor-ready]")
    assert "1 moved" in page.get_by_role("status").first.inner_text()
    assert page.locator("article mark[data-claim-id]").inner_text() == JOBS

    # The editor submits it; approving is not theirs to do.
    open_claim(page)
    page.get_by_role("button", name="Submit for review").click()
    page.locator("#claim-panel .badge", has_text="In review").wait_for()
    assert page.get_by_role("button", name="Approve").count() == 0
    assert_fits(page)

    log_in(second_page, "demo-reviewer", logins["demo-reviewer"])
    open_editor(second_page, article)
    open_claim(second_page)
    second_page.get_by_role("button", name="Approve").click()
    second_page.locator("#claim-panel .badge", has_text="Approved").wait_for()
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.reviewed_by.username == "demo-reviewer"


def test_markup_in_claim_text_is_shown_as_text_and_never_runs(page, demo):
    logins, article = demo
    ClaimFactory(
        article=article,
        quote="most households paid more in local taxes last year",
        summary="<img src=x onerror=alert(1)>",
        claimant="<script>alert(2)</script>",
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, "demo-editor", logins["demo-editor"])
    open_editor(page, article)
    open_claim(page)
    assert page.locator("#claim-panel .summary").inner_text() == "<img src=x onerror=alert(1)>"
    assert page.locator("#claim-panel img").count() == 0
    assert "<script>alert(2)</script>" in claims_list(page).inner_text()
    page.wait_for_timeout(300)
    assert dialogs == []


def test_a_stale_edit_keeps_what_was_typed_and_shows_the_other_version(page, demo):
    logins, article = demo
    claim = ClaimFactory(article=article, quote="unemployment has halved since 2020", summary="Old")
    log_in(page, "demo-editor", logins["demo-editor"])
    open_editor(page, article)
    open_claim(page)
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


def test_editing_a_claim_keeps_the_source_fields_the_form_does_not_show(page, demo):
    logins, article = demo
    claim = ClaimFactory(article=article, quote="unemployment has halved since 2020")
    source = claim.sources.create(
        url="https://stats.example.org/t4",
        title="Table 4",
        publisher="Statistics office",
        quote="6.1 percent in 2025",
        relation="refutes",
    )
    log_in(page, "demo-editor", logins["demo-editor"])
    open_editor(page, article)
    open_claim(page)
    page.get_by_role("button", name="Edit").click()
    page.get_by_label("Summary").fill("Rewritten summary")
    page.get_by_role("button", name="Save claim").click()
    page.locator("#claim-panel .summary", has_text="Rewritten summary").wait_for()
    source.refresh_from_db()
    assert (source.publisher, source.quote) == ("Statistics office", "6.1 percent in 2025")
    claim.refresh_from_db()
    assert claim.verdict.slug == "false"  # the verdict list came with the page


def has_focus(locator) -> bool:
    return locator.evaluate("(node) => node === document.activeElement")


def approved_claim(article):
    boss = get_user_model().objects.get(username="demo-reviewer")
    return ClaimFactory(
        article=article,
        quote="unemployment has halved since 2020",
        status="approved",
        reviewed_by=boss,
        reviewed_at=timezone.now(),
        ready=True,
    )


def test_a_reviewer_publishes_only_after_saying_yes(page, demo):
    logins, article = demo
    claim = approved_claim(article)
    log_in(page, "demo-reviewer", logins["demo-reviewer"])
    open_editor(page, article)
    open_claim(page)
    publish = page.get_by_role("button", name="Publish", exact=True)
    publish.click()
    question = page.get_by_role("form", name="Publish this claim?")
    assert "ClaimReview export" in question.inner_text()
    assert publish.get_attribute("aria-expanded") == "true"
    assert has_focus(page.get_by_role("button", name="Yes, publish"))
    question.get_by_role("button", name="Cancel").click()
    assert question.is_hidden() and has_focus(publish)  # back where the person was
    publish.click()
    page.keyboard.press("Escape")
    assert question.is_hidden() and has_focus(publish)
    assert publish.get_attribute("aria-expanded") == "false"
    claim.refresh_from_db()
    assert claim.status == "approved"  # nothing was published by a first click

    publish.click()
    page.get_by_role("button", name="Yes, publish").click()
    page.locator("#claim-panel .badge", has_text="Published").wait_for()
    claim.refresh_from_db()
    assert claim.status == "published"
    assert_fits(page)


def test_the_publish_question_fits_a_phone(phone, demo):
    logins, article = demo
    approved_claim(article)
    log_in(phone, "demo-reviewer", logins["demo-reviewer"])
    open_editor(phone, article)
    open_claim(phone)
    # In one column the panel is below the list: tapping a card brings it on screen.
    assert phone.locator("#claim-panel h2").evaluate(
        "(h) => h.getBoundingClientRect().top >= 0"
        " && h.getBoundingClientRect().bottom <= innerHeight"
    )
    phone.get_by_role("button", name="Publish").click()
    phone.get_by_role("button", name="Yes, publish").wait_for()
    phone.get_by_role("button", name="Yes, publish").scroll_into_view_if_needed()
    assert_fits(phone)
    assert_accessible(phone, context="#claim-panel")
