"""Find related coverage from the editor, with a real worker behind it."""

import pytest
from django.contrib.auth import get_user_model

from annotations import services
from annotations.anchoring import Selector
from annotations.models import Claim, CoverageMatch
from tests.browser.conftest import log_in, open_claim, open_editor, shot_name

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
QUOTE = "unemployment has halved since 2020"


def test_find_related_coverage_shows_a_demo_archive_match_folds_its_repeat_and_a_dismissal_persists(
    page, demo, celery_worker_process, request
):
    logins, article = demo
    user = get_user_model().objects.get(username="demo-editor")
    services.claim_create(article=article, selector=Selector(QUOTE), actor=user)
    log_in(page, "demo-editor", logins["demo-editor"])
    open_editor(page, article)
    open_claim(page)
    page.get_by_role("button", name="Find related coverage").click()

    results = page.get_by_role("list", name="Related coverage")
    check = results.get_by_role("listitem").filter(
        has_text="Has the city's unemployment rate really halved?"
    )
    check.wait_for(timeout=60_000)
    assert "False" in check.inner_text()  # the earlier fact-check's verdict, with its words
    assert "unemployment in the city has halved" in check.inner_text()
    # The same claim checked again in 2026 is folded under the best-ranked check, not listed.
    also = check.locator(".also-checked")
    assert "Also checked:" in also.inner_text()
    other_title = also.get_by_role("link").inner_text()
    assert "halved" in other_title
    assert not results.locator(".match-title").filter(has_text=other_title).count()
    check.scroll_into_view_if_needed()
    page.screenshot(path=shot_name(request, ".match"))
    check.get_by_role("button", name="Dismiss").click()
    check.get_by_text("Dismissed", exact=True).wait_for()

    page.reload()
    page.wait_for_selector("body[data-editor-ready]")
    open_claim(page)
    again = (
        page.get_by_role("list", name="Related coverage")
        .get_by_role("listitem")
        .filter(has_text="Has the city's unemployment rate really halved?")
    )
    again.get_by_text("Dismissed", exact=True).wait_for()
    claim = Claim.objects.get(article=article)
    assert CoverageMatch.objects.filter(search__claim=claim, decision="dismissed").exists()
