"""The editor pages as a browser sees them, without JavaScript."""

import pytest

from annotations.models import Article
from tests.factories import ArticleFactory, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_browser(client, editor_user):
    client.force_login(editor_user)
    return client


def test_pages_need_a_login(client):
    article = ArticleFactory()
    for url in (
        "/articles/",
        "/articles/new/",
        f"/articles/{article.id}/",
        f"/articles/{article.id}/edit/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_pages_need_a_role(client):
    client.force_login(UserFactory())
    assert client.get("/articles/").status_code == 403


def test_article_list_searches_counts_and_puts_newest_first(editor_browser):
    old = ArticleFactory(title="Old budget story", published_at="2025-01-01T00:00:00Z")
    new = ArticleFactory(title="New budget story", published_at="2026-01-01T00:00:00Z")
    ArticleFactory(title="Weather", published_at="2026-02-01T00:00:00Z")
    ArticleFactory(title="Archived budget", is_archive=True)
    ClaimFactory(article=new)
    ClaimFactory(article=new, status="in_review")
    html = editor_browser.get("/articles/?q=budget").content.decode()
    assert html.index("New budget story") < html.index("Old budget story")
    assert "Weather" not in html and "Archived budget" not in html
    assert "1 draft" in html and "1 in review" in html
    assert old.title in html


def test_article_list_is_paginated(editor_browser):
    ArticleFactory.create_batch(30)
    html = editor_browser.get("/articles/").content.decode()
    assert "Page 1 of 2" in html


def test_pasted_html_is_sanitized_and_reduced_to_text(editor_browser):
    response = editor_browser.post(
        "/articles/new/",
        {
            "title": "Pasted",
            "is_html": "on",
            "content": "<p>First <b>para</b>.</p><script>alert(1)</script><p>Second.</p>",
        },
    )
    article = Article.objects.get(title="Pasted")
    assert response.status_code == 302 and response.url == f"/articles/{article.id}/"
    assert article.body == "First para.\nSecond."
    assert "script" not in article.body_html


def test_pasted_text_is_kept_with_plain_line_ends(editor_browser):
    editor_browser.post("/articles/new/", {"title": "Plain", "content": "One.\r\nTwo <b>x</b>."})
    assert Article.objects.get(title="Plain").body == "One.\nTwo <b>x</b>."


def test_editor_page_shows_the_text_escaped_in_an_article_element(editor_browser):
    article = ArticleFactory(body="A <script>alert(1)</script> claim.")
    html = editor_browser.get(f"/articles/{article.id}/").content.decode()
    assert '<article class="article">' in html
    assert "A &lt;script&gt;alert(1)&lt;/script&gt; claim.</div>\n  </article>" in html


def test_editing_the_text_reports_what_happened_to_the_claims(editor_browser):
    claim = ClaimFactory()
    response = editor_browser.post(
        f"/articles/{claim.article_id}/edit/",
        {"body": "New intro.\n" + claim.article.body, "revision": 1},
        follow=True,
    )
    assert (
        "Claims: 0 stayed, 1 moved, 0 with changed words, 0 orphaned." in response.content.decode()
    )


def test_a_stale_text_edit_keeps_what_was_typed_and_shows_their_text(editor_browser):
    claim = ClaimFactory()
    article = claim.article
    url = f"/articles/{article.id}/edit/"
    editor_browser.post(url, {"body": "Their version of the text.", "revision": 1})
    response = editor_browser.post(url, {"body": "My version of the text.", "revision": 1})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Their version of the text." in html  # shown beside the form
    assert "My version of the text.</textarea>" in html  # what I typed, kept
    assert 'name="revision" value="2"' in html  # the next save is based on theirs
    article.refresh_from_db()
    assert (article.body, article.revision) == ("Their version of the text.", 2)


def test_a_missing_page_says_so_in_the_app_with_a_way_back(editor_browser):
    response = editor_browser.get("/articles/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "There is nothing at this address" in page and 'href="/articles/"' in page
    assert "My desk" in page  # the app's own header, not a bare page
