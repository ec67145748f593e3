"""A reviewer works the review queue in the admin, in Chromium."""

import pytest

from annotations.models import Claim
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_reviewer_approves_from_the_queue_then_publishes(page, demo):
    logins, _ = demo
    waiting = Claim.objects.get(status="in_review")  # the demo's claim waiting for review
    log_in(page, "demo-reviewer", logins["demo-reviewer"])
    page.goto("/admin/")
    page.get_by_role("link", name="Review queue").click()
    row = page.get_by_role("row").filter(has_text=waiting.exact[:20])
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Approve the selected claims")
    page.get_by_role("button", name="Go").click()
    page.get_by_text("1 claim moved to approved.").wait_for()
    assert page.get_by_role("row").filter(has_text=waiting.exact[:20]).count() == 0

    page.goto("/admin/annotations/claim/?status__exact=approved")
    row = page.get_by_role("row").filter(has_text=waiting.exact[:20])
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Publish the selected claims")
    page.get_by_role("button", name="Go").click()
    page.get_by_text("1 claim moved to published.").wait_for()

    page.get_by_role("link", name="Published").click()
    page.wait_for_url("**status__exact=published**")
    published = page.get_by_role("row").filter(has_text=waiting.exact[:20])
    published.wait_for()
    assert published.count() == 1
    waiting.refresh_from_db()
    assert waiting.status == "published" and waiting.reviewed_by.username == "demo-reviewer"
    assert_results_fit(page)
    page.goto("/admin/annotations/article/")
    assert_results_fit(page)
    page.goto(f"/admin/annotations/claim/{waiting.pk}/history/")  # the screenshot's page


def assert_results_fit(page):
    """Every column shows at 1280 px, beside the filters: no sideways scroll in the results."""
    widths = page.locator("#changelist .results").evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] <= widths[1] + 1, f"{page.url}: the table is {widths[0]} px in {widths[1]} px"
