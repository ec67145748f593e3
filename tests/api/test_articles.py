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
    lost = ClaimFactory(article=article, quote="most households paid more")
    new_body = "A new first paragraph.\n" + article.body.replace(
        "most households paid more", "households paid about the same"
    )
    response = editor_client.patch(
        f"/api/v1/articles/{article.id}/", {"body": new_body}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["reanchor_report"] == {"stayed": 0, "moved": 1, "orphaned": 1}
    assert response.json()["revision"] == 2
    kept.refresh_from_db()
    lost.refresh_from_db()
    assert new_body[kept.start : kept.end] == "taxes fell by 10 percent last year"
    assert kept.anchor_state == "reanchored" and kept.version == 2
    assert lost.anchor_state == "orphaned" and lost.exact == "most households paid more"
    assert Claim.objects.count() == 2


def test_editing_only_the_title_leaves_claims_alone(editor_client):
    claim = ClaimFactory()
    response = editor_client.patch(
        f"/api/v1/articles/{claim.article_id}/", {"title": "New"}, format="json"
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.version == 1 and claim.anchor_state == "anchored"
