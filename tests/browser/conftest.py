"""Playwright drives Debian's Chromium against Django's live server.

Every browser test ends with a screenshot of what the person sees, in var/screenshots/
(look at them), and may check the page as a person and a screen reader meet it: no
sideways scrolling or clipping (`assert_fits`), no axe-core violation (`assert_accessible`).
"""

import json
import os
import re
from io import StringIO
from pathlib import Path

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
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # pinned in package-lock.json
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SAMPLE_ARTICLE = ROOT / "tests" / "data" / "valley-jobs.txt"
SAMPLE_TITLE = "Regional council disputes minister’s claim on new jobs"


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


def shot_name(request, suffix="") -> Path:
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{request.module.__name__.rsplit('.', 1)[-1]}.{name}{suffix}.png"


class BrowserErrors:
    """Script errors and Content-Security-Policy violations seen by a page."""

    def __init__(self):
        self.messages: list[str] = []

    def watch(self, page):
        page.on("pageerror", lambda error: self.messages.append(f"script error: {error}"))
        page.on(
            "console",
            lambda message: (
                self.messages.append(f"console: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )


@pytest.fixture
def browser_errors():
    return BrowserErrors()


def new_page(browser, live_server, viewport, errors):
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors.watch(page)
    return context, page


@pytest.fixture
def page(browser, live_server, request, browser_errors):
    """A desktop page (1280 px); its final state is saved as a screenshot."""
    context, page = new_page(browser, live_server, DESKTOP, browser_errors)
    yield page
    try:
        page.screenshot(path=shot_name(request), full_page=True)
    finally:
        context.close()
    assert not browser_errors.messages, browser_errors.messages


@pytest.fixture
def phone(browser, live_server, request, browser_errors):
    """A phone-sized page (390 px), saved as a screenshot too."""
    context, page = new_page(browser, live_server, PHONE, browser_errors)
    yield page
    try:
        page.screenshot(path=shot_name(request, ".390"), full_page=True)
    finally:
        context.close()
    assert not browser_errors.messages, browser_errors.messages


@pytest.fixture
def second_page(browser, live_server, request, browser_errors):
    """Another person's browser (a context of its own), saved as a screenshot too."""
    context, page = new_page(browser, live_server, DESKTOP, browser_errors)
    yield page
    try:
        page.screenshot(path=shot_name(request, ".second"), full_page=True)
    finally:
        context.close()


def log_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def open_editor(page, article):
    page.goto(f"/articles/{article.id}/")
    page.wait_for_selector("body[data-editor-ready]")


def claims_list(page):
    return page.get_by_role("list", name="Claims")


def open_claim(page, index=0):
    claims_list(page).get_by_role("button").nth(index).click()
    page.locator("#claim-panel h2").wait_for()
    page.locator("#claim-panel .details").wait_for()


def text_rects(page, quote, occurrence=0):
    """The screen boxes of the first and last characters of `quote` in the article text."""
    return page.evaluate(
        """([quote, occurrence]) => {
            const root = document.getElementById('article-text');
            const full = root.textContent;
            let from = -1;
            for (let i = 0; i <= occurrence; i++) from = full.indexOf(quote, from + 1);
            if (from < 0) throw new Error('quote not in article: ' + quote);
            const to = from + quote.length;
            const at = (offset) => {
                const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
                let seen = 0, node;
                while ((node = walker.nextNode())) {
                    if (offset < seen + node.length) return [node, offset - seen];
                    seen += node.length;
                }
            };
            const box = (offset) => {
                const range = document.createRange();
                const [node, inner] = at(offset);
                range.setStart(node, inner);
                range.setEnd(node, inner + 1);
                const r = range.getClientRects()[0];
                return {x: r.left, y: r.top, w: r.width, h: r.height};
            };
            return [box(from), box(to - 1)];
        }""",
        [quote, occurrence],
    )


def drag_select(page, quote, *, backwards=False, occurrence=0, alt=False, from_inside=0):
    """Select `quote` with a real mouse drag (from its first letter to its last, or the other
    way round). `from_inside` starts the drag that many pixels into the first letter."""
    first, last = text_rects(page, quote, occurrence)
    start = (first["x"] + 1 + from_inside, first["y"] + first["h"] / 2)
    end = (last["x"] + last["w"] - 1, last["y"] + last["h"] / 2)
    if backwards:
        start, end = end, start
    if alt:
        page.keyboard.down("Alt")
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, steps=4)
    page.mouse.move(*end, steps=4)
    page.mouse.up()
    if alt:
        page.keyboard.up("Alt")


def select_text(page, quote):
    """Select `quote` in the article as a script would (no pointer), for tests about what
    happens after a selection."""
    page.evaluate(
        """(quote) => {
            const root = document.getElementById('article-text');
            const from = root.textContent.indexOf(quote);
            if (from < 0) throw new Error('quote not in article');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let seen = 0, node, start = null, end = null;
            while ((node = walker.nextNode())) {
                if (start === null && from < seen + node.length) start = [node, from - seen];
                if (end === null && from + quote.length <= seen + node.length)
                    end = [node, from + quote.length - seen];
                seen += node.length;
            }
            const range = document.createRange();
            range.setStart(...start); range.setEnd(...end);
            const selection = window.getSelection();
            selection.removeAllRanges(); selection.addRange(range);
        }""",
        quote,
    )


def assert_fits(page):
    """Nothing scrolls or clips sideways: the page, and every sidebar section and card."""
    overflowing = page.evaluate(
        """() => {
            const wide = [];
            const check = (el, label) => {
                if (el && el.scrollWidth > el.clientWidth + 1)
                    wide.push(`${label}: ${el.scrollWidth} > ${el.clientWidth}`);
            };
            check(document.documentElement, 'page');
            document.querySelectorAll(
                'main, .side > *, .card, .panel, .panel > *, .desk-row, .chooser, form'
            ).forEach((el, i) => check(el, `${el.tagName.toLowerCase()}.${el.className}#${i}`));
            const right = document.documentElement.clientWidth;
            document.querySelectorAll('button, a, input, select, textarea').forEach((el) => {
                // In a box made to scroll sideways (a wide admin table), reached by scrolling
                // it: the page around it must still fit, which the checks above see.
                if (el.closest('.scrolls, .history-results')) return;
                const box = el.getBoundingClientRect();
                const name = el.textContent.trim().slice(0, 30);
                if (box.width && box.right > right + 1)
                    wide.push(`${el.tagName} "${name}" ends at ${box.right}`);
            });
            return wide;
        }"""
    )
    assert overflowing == [], overflowing


def assert_accessible(page, *, context=None):
    """No axe-core violation on the page (axe-core from package-lock.json, loaded from disk)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test` (it runs `npm ci`)")
    # Evaluated through the DevTools protocol: a <script> tag would be refused by our own
    # Content-Security-Policy, which the browser tests keep on to catch violations.
    page.evaluate(AXE.read_text() + "\n;void 0")
    result = page.evaluate(
        """async (context) => {
            const results = await axe.run(context || document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                 'wcag22aa', 'best-practice']},
                rules: {'label-content-name-mismatch': {enabled: true}},
            });
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5)
                    .map((n) => n.target.join(' ') + ' :: ' + n.failureSummary),
            }));
        }""",
        context,
    )
    assert result == [], json.dumps(result, indent=2)


@pytest.fixture
def sample_article(db):
    """The article the tests are written against: the project's own, with emoji, CRLF line
    ends, typographic quotes and a combining accent."""
    call_command("import_articles", str(SAMPLE_ARTICLE), stdout=StringIO(), stderr=StringIO())
    return Article.objects.get(title=SAMPLE_TITLE)


@pytest.fixture
def demo(settings, tmp_path, sample_article):
    """The demo data and the sample article, as `make run` has them; returns the demo logins
    and the sample article."""
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("load_demo", stdout=out)
    logins = dict(
        line.split()
        for line in out.getvalue().split("Demo logins")[1].splitlines()[1:]
        if line.strip()
    )
    return logins, sample_article
