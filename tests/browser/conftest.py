"""Playwright drives Debian's Chromium against Django's live server."""

import os
from io import StringIO

import pytest
from django.core.management import call_command

from annotations.models import Article

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"browser tests need {CHROMIUM}: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls
    # from a thread with a running loop unless told it is deliberate. The loop (and the
    # permission) last only as long as this module's browser.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def demo(settings, tmp_path, seed_article_path):
    """The demo data and the seed article, as `make run` has them; returns the demo logins
    and the seed article."""
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("import_articles", str(seed_article_path), stdout=StringIO(), stderr=StringIO())
    logins = dict(
        line.split()
        for line in out.getvalue().split("Demo logins")[1].splitlines()[1:]
        if line.strip()
    )
    article = Article.objects.get(title__startswith="Authorities in the occupied territories")
    return logins, article
