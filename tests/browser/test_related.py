"""Find related coverage from the editor, with a real worker behind it."""

import pytest

from annotations import services
from annotations.anchoring import Selector
from annotations.models import Claim, CoverageMatch
from tests.browser.conftest import log_in
from tests.browser.test_editor import MEDVEDEV, open_seed_article

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_find_related_coverage_shows_a_demo_archive_match_and_a_dismissal_persists(
    page,
    demo,
    celery_worker_process,
):
    logins, article = demo
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="demo-editor")
    services.claim_create(
        article=article, selector=Selector(MEDVEDEV), claimant="Dmitry Medvedev", actor=user
    )
    log_in(page, "demo-editor", logins["demo-editor"])
    open_seed_article(page, article)
    page.get_by_role("list", name="Claims").get_by_role("button").first.click()
    page.get_by_role("button", name="Find related coverage").click()

    results = page.get_by_role("list", name="Related coverage")
    first = results.get_by_role("listitem").first
    first.wait_for(timeout=60_000)
    assert "Medvedev" in first.inner_text()
    assert first.locator(".snippet b").count() > 0  # matched words highlighted
    assert "Misleading" in first.inner_text()  # the earlier fact-check's verdict
    first.get_by_role("button", name="Dismiss").click()
    first.get_by_text("dismissed").wait_for()

    page.reload()
    page.wait_for_selector("body[data-editor-ready]")
    page.get_by_role("list", name="Claims").get_by_role("button").first.click()
    again = page.get_by_role("list", name="Related coverage").get_by_role("listitem").first
    again.get_by_text("dismissed").wait_for()
    claim = Claim.objects.get(article=article)
    assert CoverageMatch.objects.filter(search__claim=claim, decision="dismissed").exists()
