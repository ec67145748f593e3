"""Budget of issue 4: an article of 100 KB with 500 claims opens in the editor with every
highlight drawn in under 300 ms of script time, in Chromium.

Prints, over several page loads, the median of the editor's own Performance API measure
(`editor-draw`: from the first line of editor.js to every mark drawn, which covers parsing the
claims, the UTF-16 index of the text, building the marks and the claims list).

    .venv/bin/python bench/editor_page.py    # BENCH_DATABASE_URL, default factcheck_bench
"""

import os
import random
import socket
import subprocess
import sys
import time

from _setup import ROOT, django_on_bench_database, median

LOADS = 7
PASSWORD = "bench editor passphrase"


def fill():
    from django.contrib.auth import get_user_model

    from annotations import anchoring
    from annotations.models import Article, Claim, Verdict
    from bench.textgen import NewsText
    from tests.factories import editor

    user = get_user_model().objects.filter(username="bench-page-editor").first()
    if user is None:
        user = editor(username="bench-page-editor", password=PASSWORD)
    article = Article.objects.filter(url="https://bench.example.org/editor-page").first()
    if article is None:
        text = NewsText(seed=11).text(100_000)
        article = Article.objects.create(
            title="Editor page bench", body=text, url="https://bench.example.org/editor-page"
        )
        rng = random.Random(3)
        verdicts = list(Verdict.objects.all())
        claims = []
        for n in range(500):
            start = rng.randrange(0, len(text) - 300)
            end = start + rng.randint(20, 250)  # overlaps and nesting happen at this density
            anchor = anchoring.selector_at(text, start, end)
            claims.append(
                Claim(
                    article=article,
                    exact=anchor.exact,
                    prefix=anchor.prefix,
                    suffix=anchor.suffix,
                    start=start,
                    end=end,
                    claimant=f"C{n}",
                    verdict=verdicts[n % len(verdicts)],
                )
            )
        Claim.objects.bulk_create(claims)
    return article


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    url = django_on_bench_database()
    sys.path.insert(0, str(ROOT))
    article = fill()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "factcheck.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(2)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            page = browser.new_page()
            base = f"http://127.0.0.1:{port}"
            page.goto(f"{base}/accounts/login/")
            page.get_by_label("Username").fill("bench-page-editor")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            draws, marks = [], 0
            for _ in range(LOADS):
                page.goto(f"{base}/articles/{article.id}/")
                page.wait_for_selector("body[data-editor-ready]")
                draws.append(
                    page.evaluate("performance.getEntriesByName('editor-draw')[0].duration")
                )
                marks = page.evaluate(
                    "new Set([...document.querySelectorAll('mark[data-claim-id]')]"
                    ".map(m => m.dataset.claimId)).size"
                )
            browser.close()
    finally:
        server.terminate()
        server.wait()
    print(f"article: {len(article.body):,} characters, 500 claims; claims drawn: {marks}")
    print(
        f"editor-draw, median of {LOADS} loads: {median(draws):.1f} ms, worst "
        f"{max(draws):.1f} ms (budget < 300 ms)"
    )


if __name__ == "__main__":
    main()
