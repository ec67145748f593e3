import pytest

from annotations.models import Article, Claim
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def test_create_article_and_read_it_back_in_the_contract_shape(editor_client):
    response = editor_client.post(
        "/api/v1/articles/",
        {
            "title": "Budget",
            "body": "The budget grew.",
            "url": "https://n.example.org/b",
            "publisher": "N",
            "published_at": "2026-02-01T09:00:00Z",
            "language": "en",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert {"id", "title", "url", "publisher", "published_at", "language", "body"} <= set(body)
    assert body["revision"] == 1


def test_duplicate_url_is_a_400_naming_url(editor_client):
    ArticleFactory(url="https://n.example.org/dup")
    response = editor_client.post(
        "/api/v1/articles/",
        {"title": "Again", "body": "Text.", "url": "https://n.example.org/dup"},
        format="json",
    )
    assert response.status_code == 400 and "url" in response.json()
    assert Article.objects.count() == 1


def test_editing_the_body_reanchors_claims_and_reports_it(editor_client):
    article = ArticleFactory()
    kept = ClaimFactory(article=article, quote="taxes fell by 10 percent last year")
    touched = ClaimFactory(article=article, quote="most households paid more")
    lost = ClaimFactory(article=article, quote="The statistics office will publish")
    new_body = "A new first paragraph.\n" + article.body.replace(
        "most households paid more", "most households paid less"
    ).replace("The statistics office will publish its own estimate in March.", "")
    response = editor_client.patch(
        f"/api/v1/articles/{article.id}/",
        {"body": new_body, "revision": 1},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["reanchor_report"] == {
        "stayed": 0,
        "moved": 1,
        "changed": 1,
        "orphaned": 1,
    }
    assert response.json()["revision"] == 2
    for claim in (kept, touched, lost):
        claim.refresh_from_db()
    assert new_body[kept.start : kept.end] == "taxes fell by 10 percent last year"
    assert kept.anchor_state == "reanchored" and kept.version == 1  # moved with its words
    # The edited words are proposed; the quote stays what was said.
    assert touched.anchor_state == "changed" and touched.exact == "most households paid more"
    assert touched.proposed_exact == "most households paid less"
    assert new_body[touched.proposed_start : touched.proposed_end] == "most households paid less"
    assert lost.anchor_state == "orphaned" and lost.exact == "The statistics office will publish"
    assert Claim.objects.count() == 3


def test_a_stale_revision_is_a_409_with_the_current_text_and_changes_nothing(editor_client):
    article = ArticleFactory()
    url = f"/api/v1/articles/{article.id}/"
    saved = editor_client.patch(url, {"body": "Theirs.", "revision": 1}, format="json")
    assert saved.status_code == 200
    response = editor_client.patch(url, {"body": "Mine.", "revision": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "stale_revision"
    assert response.json()["current"]["body"] == "Theirs."
    article.refresh_from_db()
    assert (article.body, article.revision) == ("Theirs.", 2)


def test_editing_only_the_title_leaves_claims_alone(editor_client):
    claim = ClaimFactory()
    response = editor_client.patch(
        f"/api/v1/articles/{claim.article_id}/", {"title": "New"}, format="json"
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.version == 1 and claim.anchor_state == "anchored"


def test_the_api_root_links_to_the_api_not_to_the_pages(editor_client):
    links = editor_client.get("/api/v1/").json()
    assert {name: link.split("/api/v1/")[-1] for name, link in links.items()} == {
        "articles": "articles/",
        "claims": "claims/",
        "verdicts": "verdicts/",
    }
