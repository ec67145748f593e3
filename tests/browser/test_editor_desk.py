"""The editor as a desk works in it: a sidebar that reads at 1280 and at 390 px, a form that
opens, closes and resets as expected, notes between an editor and a reviewer, claims placed
again after the text changed, related coverage used as a source, and the desk page."""

import re

import pytest
from playwright.sync_api import expect

from annotations import roles, services
from annotations.anchoring import Selector
from annotations.models import Claim, ClaimNote, CoverageMatch
from tests.browser.conftest import (
    assert_accessible,
    assert_fits,
    claims_list,
    drag_select,
    log_in,
    open_claim,
    open_editor,
)
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory, editor, reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough passphrase"
LONG_QUOTE = (
    "the council’s figures, which it has published every quarter since the programme began "
    "and which independent auditors have reviewed twice, show that the number of people out "
    "of work in the valley fell from 7.4 percent to 6.1 percent between 2020 and 2025"
)
LONG_WORD = "https://statistics.example.org/releases/2025/regional-labour-market-quarterly"


@pytest.fixture
def people(db):
    return editor(username="ed", password=PASSWORD), reviewer(username="rev", password=PASSWORD)


def long_article():
    body = (
        "Opening words of the report. "
        + LONG_QUOTE
        + ". A source: "
        + LONG_WORD
        + " and some closing words about the valley and its towns.\n"
    ) * 3
    return ArticleFactory(body=body, title="A very long headline about the valley " * 4)


@pytest.mark.parametrize("viewport", ["page", "phone"])
def test_the_sidebar_reads_and_nothing_clips_at_1280_and_390_px(viewport, request, people):
    screen = request.getfixturevalue(viewport)
    article = long_article()
    claim = ClaimFactory(
        article=article, quote=LONG_QUOTE, claimant="Ana Duarte, minister for the economy"
    )
    SourceFactory(claim=claim, url=LONG_WORD, title=LONG_WORD)
    ClaimFactory(article=article, quote=LONG_WORD, status="in_review")
    log_in(screen, "ed", PASSWORD)
    open_editor(screen, article)
    assert screen.locator("#claim-form").is_hidden()
    assert_fits(screen)
    open_claim(screen)
    card = claims_list(screen).get_by_role("button").first
    for words in ("Ana Duarte", "False", "Draft"):
        assert words in card.inner_text()
    assert_fits(screen)
    if viewport == "phone":  # one column: the sidebar below the text, as wide as the text
        text_box = screen.locator("#article-text").bounding_box()
        side_box = screen.locator(".side").bounding_box()
        assert side_box["y"] >= text_box["y"] + text_box["height"] - 1
        assert side_box["width"] > 0.9 * text_box["width"]


def test_the_form_opens_on_a_selection_cancels_and_resets_after_a_save(page, people):
    article = ArticleFactory(body="The minister said taxes fell by ten percent last year.")
    log_in(page, "ed", PASSWORD)
    open_editor(page, article)
    page.keyboard.press("m")  # nothing selected: nothing opens, nothing breaks
    assert page.locator("#claim-form").is_hidden()

    drag_select(page, "taxes fell")
    page.get_by_role("button", name="Mark claim").click()
    page.get_by_label("Claimant").fill("Someone")
    page.once("dialog", lambda dialog: dialog.accept())  # "discard the changes?"
    page.get_by_role("button", name="Cancel").click()
    assert page.locator("#claim-form").is_hidden() and not Claim.objects.exists()

    drag_select(page, "by ten percent")
    page.get_by_role("button", name="Mark claim").click()
    assert page.get_by_label("Claimant").input_value() == ""  # the cancelled text is gone
    page.get_by_label("Claimant").fill("The minister")
    page.get_by_role("button", name="Save claim").click()
    page.locator("#claim-form").wait_for(state="hidden")
    drag_select(page, "last year")
    page.get_by_role("button", name="Mark claim").click()
    assert page.get_by_label("Claimant").input_value() == ""  # a fresh form
    assert page.locator("#form-errors").is_hidden()


def test_typed_work_warns_before_the_page_is_left(page, people):
    article = ArticleFactory()
    log_in(page, "ed", PASSWORD)
    open_editor(page, article)
    drag_select(page, "taxes fell")
    page.get_by_role("button", name="Mark claim").click()
    page.get_by_label("Summary").fill("Half-written")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Articles").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert page.get_by_label("Summary").input_value() == "Half-written"


def test_an_editor_and_a_reviewer_talk_in_notes_and_a_send_back_reason_reaches_the_editor(
    page, second_page, people
):
    claim = ClaimFactory(status="in_review", ready=True)
    log_in(page, "ed", PASSWORD)
    log_in(second_page, "rev", PASSWORD)
    open_editor(page, claim.article)
    open_editor(second_page, claim.article)

    open_claim(page)
    page.get_by_label("Note", exact=True).fill("Which table did the minister use?")
    page.get_by_role("button", name="Add note").click()
    page.get_by_role("list", name="Notes").get_by_text("Which table").wait_for()
    assert page.get_by_role("list", name="Notes").get_by_text("No notes yet.").count() == 0
    written = page.get_by_role("list", name="Notes").locator("time").first.inner_text()
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d", written.strip()), written

    open_claim(second_page)
    notes = second_page.get_by_role("list", name="Notes")
    notes.get_by_text("Which table did the minister use?").wait_for()
    second_page.get_by_role("button", name="Send back").click()
    second_page.get_by_label("Reason (send back)").fill("Add the 2020 baseline as a source.")
    second_page.locator(".reason-form").get_by_role("button", name="Send back").click()
    second_page.locator("#claim-panel .badge", has_text="Draft").wait_for()

    page.reload()
    page.wait_for_selector("body[data-editor-ready]")
    open_claim(page)
    sent_back = page.get_by_role("list", name="Notes").locator(".sent-back")
    sent_back.get_by_text("Add the 2020 baseline as a source.").wait_for()
    assert "rev" in sent_back.inner_text()
    assert "2 notes" in claims_list(page).inner_text()
    assert ClaimNote.objects.filter(claim=claim).count() == 2
    assert_fits(page)


def test_an_orphaned_claim_is_placed_again_and_keeps_its_fact_check(page, people):
    article = ArticleFactory(body="The minister said taxes fell by ten percent last year.")
    claim = ClaimFactory(article=article, quote="taxes fell by ten percent", summary="Kept.")
    services.article_update(
        article=article, actor=people[0], body="The minister said revenue dropped sharply."
    )
    claim.refresh_from_db()
    assert claim.anchor_state == "orphaned"
    log_in(page, "ed", PASSWORD)
    open_editor(page, article)
    assert "Needs attention" in claims_list(page).inner_text()
    open_claim(page)
    drag_select(page, "revenue dropped sharply")
    page.get_by_role("button", name="Place on selected words").click()
    page.locator("#claim-panel .quote", has_text="revenue dropped sharply").wait_for()
    claim.refresh_from_db()
    assert (claim.exact, claim.anchor_state, claim.summary) == (
        "revenue dropped sharply",
        "anchored",
        "Kept.",
    )
    assert claim.verdict.slug == "false"
    assert "Needs attention" not in claims_list(page).inner_text()


def test_the_proposed_words_of_a_changed_claim_are_accepted_with_one_click(page, people):
    article = ArticleFactory(body="Kyiv said the region is under control since March 2022.")
    claim = ClaimFactory(article=article, quote="under control since March 2022")
    services.article_update(
        article=article, actor=people[0], body=article.body.replace("March", "April")
    )
    log_in(page, "ed", PASSWORD)
    open_editor(page, article)
    mark = page.locator(f"mark[data-claim-id='{claim.id}']")
    assert mark.inner_text() == "under control since April 2022"  # drawn at the proposal
    assert "attention" in mark.get_attribute("class")
    open_claim(page)
    assert "under control since March 2022" in page.locator("#claim-panel").inner_text()
    page.get_by_role("button", name="Accept proposed words").click()
    page.locator("#claim-panel .attention-box").wait_for(state="detached")
    claim.refresh_from_db()
    assert (claim.exact, claim.anchor_state) == ("under control since April 2022", "anchored")


@pytest.fixture
def taxes_fact_check(db):
    """An earlier fact-check in the archive that a claim about taxes finds."""
    return services.article_create(
        title="Fact check: did taxes really fall last year?",
        body="The minister said taxes fell by 10 percent last year. Receipts rose.",
        url="https://archive.example.org/taxes",
        is_archive=True,
        actor=roles.SYSTEM,
    )


@pytest.mark.usefixtures("taxes_fact_check")
def test_a_related_match_links_to_its_fact_check_and_is_added_as_a_source(page, people):
    article = ArticleFactory()
    claim = services.claim_create(
        article=article, selector=Selector("taxes fell by 10 percent last year"), actor=people[0]
    )
    search = claim.coverage_searches.get()
    services.coverage_search_run(search_id=search.id)  # as the worker would
    log_in(page, "ed", PASSWORD)
    open_editor(page, article)
    open_claim(page)
    results = page.get_by_role("list", name="Related coverage")
    match = results.get_by_role("listitem").first
    match.wait_for()
    title = match.get_by_role("link", name="Fact check: did taxes really fall last year?")
    assert title.get_attribute("href") == "https://archive.example.org/taxes"
    match.get_by_role("button", name="Add as source").click()
    page.locator("#claim-panel .sources").get_by_role("link").wait_for()
    source = claim.sources.get()
    assert (source.url, source.relation) == ("https://archive.example.org/taxes", "context")
    assert CoverageMatch.objects.filter(search=search).exists()
    assert_fits(page)


@pytest.mark.usefixtures("taxes_fact_check")
def test_adding_a_source_to_a_claim_in_review_says_first_that_it_goes_back_to_draft(page, people):
    claim = ClaimFactory(
        article=ArticleFactory(body="He said taxes fell by 10 percent last year."),
        quote="taxes fell by 10 percent last year",
        status="in_review",
    )
    services.coverage_search_run(search_id=services.coverage_search_queue(claim=claim).id)
    log_in(page, "ed", PASSWORD)
    open_editor(page, claim.article)
    open_claim(page)
    match = page.get_by_role("list", name="Related coverage").get_by_role("listitem").first
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    match.get_by_role("button", name="Add as source").click()
    assert "back to draft" in asked[0]
    claim.refresh_from_db()
    assert (claim.status, claim.sources.count()) == ("in_review", 0)  # said no: nothing done
    page.once("dialog", lambda dialog: dialog.accept())
    match.get_by_role("button", name="Add as source").click()
    page.locator("#claim-panel .message").get_by_text("draft again").wait_for()
    claim.refresh_from_db()
    assert (claim.status, claim.sources.count()) == ("draft", 1)
    expect(page.locator("#panel-heading")).to_be_focused()


@pytest.mark.parametrize("viewport", ["page", "phone"])
def test_my_desk_lists_my_claims_across_articles_with_counts_and_filters(viewport, request, people):
    screen = request.getfixturevalue(viewport)
    me, _ = people
    ClaimFactory(created_by=me, claimant="Mine in draft")
    ClaimFactory(created_by=me, status="in_review", claimant="Mine in review")
    ClaimFactory(assignee=me, claimant="Assigned to me", article=ArticleFactory())
    ClaimFactory(claimant="Not mine at all", article=ArticleFactory())
    log_in(screen, "ed", PASSWORD)
    screen.get_by_role("link", name="My desk").click()
    listing = screen.get_by_role("list", name="My claims")
    text = listing.inner_text()
    assert "Mine in draft" in text and "Assigned to me" in text and "Not mine" not in text
    views = screen.get_by_role("navigation", name="Desk views")
    assert "Assigned to me 1" in views.inner_text()
    assert_fits(screen)
    assert_accessible(screen)
    screen.get_by_label("Status").select_option("in_review")
    screen.get_by_role("button", name="Filter").click()
    assert "Mine in draft" not in listing.inner_text()
    assert "Mine in review" in listing.inner_text()
    screen.get_by_label("Status").select_option("")  # filters stay while views change
    screen.get_by_role("button", name="Filter").click()
    screen.get_by_role("navigation", name="Desk views").get_by_role("link", name="Assigned").click()
    assert "Mine in draft" not in listing.inner_text()
    listing.get_by_role("link", name="“taxes fell by 10 percent last year”").click()
    screen.wait_for_selector("body[data-editor-ready]")
    assert "#claim-" in screen.url
    screen.locator("#claim-panel .details").wait_for()


def test_the_edit_text_page_warns_before_typed_text_is_lost(page, people):
    article = ArticleFactory()
    log_in(page, "ed", PASSWORD)
    page.goto(f"/articles/{article.id}/edit/")
    page.get_by_label("Article text").fill("A half-finished rewrite")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert page.get_by_label("Article text").input_value() == "A half-finished rewrite"
