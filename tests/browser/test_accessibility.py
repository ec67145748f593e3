"""Every page a desk uses, checked with axe-core in Chromium (0 violations) and for sideways
overflow, at 1280 px; the editor and the desk at 390 px too."""

import pytest

from annotations import services
from tests.browser.conftest import (
    assert_accessible,
    assert_fits,
    log_in,
    open_claim,
    open_editor,
)
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory, editor, reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough passphrase"


@pytest.fixture
def desk_with_overlaps(db):
    """Overlapping and nested claims, one whose words changed, one with notes."""
    ed = editor(username="ed", password=PASSWORD)
    reviewer(username="rev", password=PASSWORD, is_staff=True)
    article = ArticleFactory(
        body="The mayor said unemployment has halved since 2020 in the city, a record low.\n"
        "Opposition parties said most households paid more in 2025."
    )
    outer = ClaimFactory(article=article, quote="unemployment has halved since 2020", created_by=ed)
    ClaimFactory(article=article, quote="has halved", claimant="Mayor", status="in_review")
    ClaimFactory(article=article, quote="since 2020 in the city", assignee=ed)
    changed = ClaimFactory(article=article, quote="most households paid more in 2025")
    SourceFactory(claim=outer)
    services.note_create(claim=outer, actor=ed, text="Which year is the baseline?")
    services.article_update(
        article=article, actor=ed, body=article.body.replace("in 2025", "in 2024")
    )
    changed.refresh_from_db()
    assert changed.anchor_state == "changed"
    return article, outer


def test_login_page(page):
    page.goto("/accounts/login/")
    assert_accessible(page)
    assert_fits(page)


def test_article_list_new_article_and_edit_text_pages(page, desk_with_overlaps):
    article, _ = desk_with_overlaps
    log_in(page, "ed", PASSWORD)
    for url in ("/articles/", "/articles/new/", f"/articles/{article.id}/edit/"):
        page.goto(url)
        assert_accessible(page)
        assert_fits(page)


@pytest.mark.parametrize("viewport", ["page", "phone"])
def test_the_editor_with_overlapping_claims_notes_and_changed_words(
    viewport, request, desk_with_overlaps
):
    screen = request.getfixturevalue(viewport)
    article, _ = desk_with_overlaps
    log_in(screen, "ed", PASSWORD)
    open_editor(screen, article)
    assert_accessible(screen)
    open_claim(screen)  # the panel, its notes and its related coverage
    screen.get_by_role("list", name="Notes").get_by_text("baseline").wait_for()
    assert_accessible(screen)
    assert_fits(screen)
    screen.get_by_role("button", name="Edit").click()  # the form
    assert_accessible(screen)
    assert_fits(screen)


@pytest.mark.parametrize("who", ["ed", "rev"])  # a reviewer's desk has a view more
@pytest.mark.parametrize("viewport", ["page", "phone"])
def test_the_desk(viewport, who, request, desk_with_overlaps):
    screen = request.getfixturevalue(viewport)
    log_in(screen, who, PASSWORD)
    screen.goto("/desk/")
    assert_accessible(screen)
    assert_fits(screen)


def test_the_admin_review_queue_and_a_claim_history(page, desk_with_overlaps):
    _, claim = desk_with_overlaps
    log_in(page, "rev", PASSWORD)
    page.goto("/admin/annotations/reviewqueueclaim/")
    assert_accessible(page)
    page.goto(f"/admin/annotations/claim/{claim.id}/history/")
    assert_accessible(page)
    assert "None" not in page.locator("#change-history").inner_text()


def test_a_claim_history_on_a_phone(phone, desk_with_overlaps):
    _, claim = desk_with_overlaps
    log_in(phone, "rev", PASSWORD)
    phone.goto(f"/admin/annotations/claim/{claim.id}/history/")
    assert_fits(phone)  # the table scrolls in its own box, not the page
