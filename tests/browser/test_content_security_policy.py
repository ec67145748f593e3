"""The pages that run the most script work under the strict Content-Security-Policy: the
`page` fixture fails a test on any violation Chromium reports, so each test here only has to
make the page do its work."""

import pytest

from tests.browser.conftest import assert_fits, log_in
from tests.factories import ClaimFactory, SourceFactory, editor, reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough passphrase"


def test_swagger_ui_renders_the_schema_for_an_editor(page):
    editor(username="ed", password=PASSWORD)
    log_in(page, "ed", PASSWORD)
    page.goto("/api/v1/docs/")
    page.get_by_role("heading", name="factcheck API").wait_for()
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 10  # the operations were drawn from the schema


def test_the_admin_change_form_and_its_inline_sources_work(page):
    reviewer(username="rev", password=PASSWORD, is_staff=True)
    claim = ClaimFactory()
    SourceFactory(claim=claim)
    log_in(page, "rev", PASSWORD)
    page.goto(f"/admin/annotations/claim/{claim.id}/change/")
    # The admin's own script adds an inline row: it runs under the policy.
    page.get_by_text("Add another Source").click()
    assert page.locator("tr.dynamic-sources").count() == 2
    assert_fits(page)  # the inline rows stay inside the page at 1280 px
