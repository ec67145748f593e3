"""Every endpoint and method × every role: the status code, and that a refused write changed
nothing in the database."""

import pytest
from django.forms.models import model_to_dict

from annotations.models import Article, Claim, ClaimTransition, CoverageSearch, Source, Verdict
from tests.api.conftest import ROLE_RANK, ROLES, client_for, user_for
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

NEW_ARTICLE = {"title": "A new article", "body": "Some words worth checking."}


def new_claim(article):
    return {"article": article.id, "selector": {"exact": "taxes fell by 10 percent"}}


# (name, method, url, payload, success status, the least role that gets it)
def matrix():
    return [
        ("list articles", "get", "/api/v1/articles/", None, 200, "editor"),
        ("read article", "get", "/api/v1/articles/{article}/", None, 200, "editor"),
        ("create article", "post", "/api/v1/articles/", NEW_ARTICLE, 201, "editor"),
        (
            "edit article",
            "patch",
            "/api/v1/articles/{article}/",
            {"title": "Renamed"},
            200,
            "editor",
        ),
        ("delete article", "delete", "/api/v1/articles/{article}/", None, 204, "reviewer"),
        ("list claims", "get", "/api/v1/claims/", None, 200, "editor"),
        ("read claim", "get", "/api/v1/claims/{claim}/", None, 200, "editor"),
        ("create claim", "post", "/api/v1/claims/", "new_claim", 201, "editor"),
        (
            "edit claim",
            "patch",
            "/api/v1/claims/{claim}/",
            {"version": 1, "claimant": "X"},
            200,
            "editor",
        ),
        ("delete claim", "delete", "/api/v1/claims/{claim}/", None, 204, "editor"),
        (
            "submit claim",
            "post",
            "/api/v1/claims/{claim}/transition/",
            {"to": "in_review"},
            200,
            "editor",
        ),
        (
            "approve claim",
            "post",
            "/api/v1/claims/{in_review}/transition/",
            {"to": "approved"},
            200,
            "reviewer",
        ),
        (
            "send back claim",
            "post",
            "/api/v1/claims/{in_review}/transition/",
            {"to": "draft", "reason": "Needs a second source"},
            200,
            "reviewer",
        ),
        (
            "edit published claim",
            "patch",
            "/api/v1/claims/{published}/",
            {"version": 1, "summary": "Changed"},
            200,
            "reviewer",
        ),
        ("delete published claim", "delete", "/api/v1/claims/{published}/", None, 204, "reviewer"),
        ("related coverage", "get", "/api/v1/claims/{searched}/related/", None, 200, "editor"),
        ("list verdicts", "get", "/api/v1/verdicts/", None, 200, "editor"),
        ("read verdict", "get", "/api/v1/verdicts/false/", None, 200, "editor"),
        ("create verdict", "post", "/api/v1/verdicts/", {"slug": "x", "label": "X"}, 405, "editor"),
        ("export", "get", "/api/v1/export/?format=native", None, 200, "editor"),
        ("schema", "get", "/api/v1/schema/", None, 200, "editor"),
        ("docs", "get", "/api/v1/docs/", None, 200, "editor"),
    ]


def expected_status(role, success, least_role):
    if ROLE_RANK[role] >= ROLE_RANK[least_role]:
        return success
    if role == "anonymous":
        return 401
    return 403


def database_state():
    """Everything a refused request could have touched."""
    return [
        sorted(tuple(sorted(model_to_dict(row).items(), key=str)) for row in model.objects.all())
        for model in (Article, Claim, Source, ClaimTransition, Verdict)
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "url", "payload", "success", "least_role"),
    matrix(),
    ids=[row[0] for row in matrix()],
)
def test_permission_matrix(role, name, method, url, payload, success, least_role):
    article = ArticleFactory()
    claim = ClaimFactory(article=article)
    SourceFactory(claim=claim)
    in_review = ClaimFactory(article=article, status="in_review")
    SourceFactory(claim=in_review)  # approval needs a source
    published = ClaimFactory(
        article=ArticleFactory(),
        status="published",
        reviewed_at="2026-01-01T00:00:00Z",
        ready=True,
    )
    searched = ClaimFactory(article=article)
    CoverageSearch.objects.create(claim=searched)
    url = url.format(
        article=article.id,
        claim=claim.id,
        in_review=in_review.id,
        published=published.id,
        searched=searched.id,
    )
    if payload == "new_claim":
        payload = new_claim(article)
    client = client_for(user_for(role))
    before = database_state()

    response = getattr(client, method)(url, payload, format="json")

    want = expected_status(role, success, least_role)
    assert response.status_code == want, response.content
    if want >= 400:
        assert database_state() == before, "a refused request changed the database"
        assert b"results" not in response.content, "a refused request returned data"
