import pytest

from annotations import anchoring, services
from annotations.models import Claim, ClaimTransition, Source
from tests.api.conftest import client_for
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory, editor

pytestmark = pytest.mark.django_db


def create(client, article, selector, **extra):
    return client.post(
        "/api/v1/claims/", {"article": article.id, "selector": selector, **extra}, format="json"
    )


# -- creating through the anchoring rules ------------------------------------------------


def test_claim_created_with_exact_positions_and_sources(editor_client, editor_user):
    article = ArticleFactory()
    start = article.body.index("taxes fell")
    response = create(
        editor_client,
        article,
        {"exact": "taxes fell by 10 percent", "start": start, "end": start + 24},
        claimant="Finance minister",
        claim_date="2026-03-02",
        verdict="false",
        summary="Receipts rose.",
        sources=[{"url": "https://stats.example.org/t1", "title": "Tables", "relation": "refutes"}],
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["selector"]["start"] == start and body["selector"]["end"] == start + 24
    assert body["selector"]["prefix"] == article.body[start - 32 : start]
    assert body["verdict"] == {
        "slug": "false",
        "label": "False",
        "rating_value": 1,
        "colour": "#c62828",
    }
    assert body["sources"][0]["relation"] == "refutes"
    assert body["created_by"] == editor_user.username
    assert body["version"] == 1 and body["status"] == "draft"
    assert Claim.objects.get().created_by == editor_user


def test_shifted_positions_are_corrected_to_the_quote(editor_client):
    article = ArticleFactory()
    right = article.body.index("taxes fell")
    response = create(
        editor_client, article, {"exact": "taxes fell", "start": right + 3, "end": right + 13}
    )
    assert response.status_code == 201
    assert (response.json()["selector"]["start"], response.json()["selector"]["end"]) == (
        right,
        right + 10,
    )


def test_nearest_occurrence_wins_and_context_breaks_ties(editor_client):
    article = ArticleFactory(body="He said yes. Then she said yes. Later they said yes.")
    second = article.body.index("she said yes") + 4
    response = create(
        editor_client, article, {"exact": "said yes", "start": second + 2, "end": second + 10}
    )
    assert response.json()["selector"]["start"] == second
    response = create(
        editor_client, article, {"exact": "said yes", "prefix": "Later they ", "suffix": "."}
    )
    assert response.json()["selector"]["start"] == article.body.index("they said yes") + 5


def test_quote_absent_is_a_400_naming_the_selector(editor_client):
    response = create(
        editor_client, ArticleFactory(), {"exact": "taxes rose", "start": 0, "end": 10}
    )
    assert response.status_code == 400
    assert response.json() == {"selector": {"exact": [anchoring.QUOTE_NOT_FOUND]}}
    assert Claim.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "quote"),
    [
        ("Prices 📈 rose 🚀 by 40% says the 👩‍👩‍👧 family minister.", "rose 🚀 by 40%"),
        ("Le ministre a dit que l’économie a cru de 3 %.", "l’économie a cru"),
        ("Cafe\u0301 owners say the cafe\u0301 tax doubled.", "cafe\u0301 tax doubled"),
    ],
)
def test_positions_are_code_points_with_emoji_and_combining_marks(editor_client, body, quote):
    article = ArticleFactory(body=body)
    start = body.index(quote)
    response = create(
        editor_client, article, {"exact": quote, "start": start, "end": start + len(quote)}
    )
    assert response.status_code == 201
    selector = response.json()["selector"]
    assert body[selector["start"] : selector["end"]] == quote


def test_utf16_offsets_from_a_browser_that_forgot_to_convert_are_corrected(editor_client):
    body = "🚀🚀🚀 The minister said taxes fell."
    article = ArticleFactory(body=body)
    utf16_start = len("🚀🚀🚀 The minister said ".encode("utf-16-le")) // 2
    response = create(
        editor_client,
        article,
        {"exact": "taxes fell", "start": utf16_start, "end": utf16_start + 10},
    )
    assert response.json()["selector"]["start"] == body.index("taxes fell")


def test_crlf_text_and_quotes_are_stored_with_plain_line_ends(editor_client):
    response = editor_client.post(
        "/api/v1/articles/",
        {"title": "CRLF", "body": "First line.\r\nThe minister said taxes fell.\r\nEnd."},
        format="json",
    )
    article_id = response.json()["id"]
    assert response.json()["body"] == "First line.\nThe minister said taxes fell.\nEnd."
    response = editor_client.post(
        "/api/v1/claims/",
        {
            "article": article_id,
            "selector": {"exact": "line.\r\nThe minister", "start": 6, "end": 25},
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["selector"]["exact"] == "line.\nThe minister"
    assert response.json()["selector"]["start"] == 6


# -- bad input is a 400 that names the field ----------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"selector": {"exact": "taxes fell"}, "bogus": 1}, "bogus"),
        ({"selector": {"exact": "taxes fell", "colour": "red"}}, "selector"),
        ({"selector": {"exact": "taxes fell", "start": "ten"}}, "selector"),
        ({"selector": {"exact": "taxes fell", "start": 5, "end": 2}}, "selector"),
        ({"selector": "taxes fell"}, "selector"),
        ({"selector": {"exact": "taxes fell"}, "verdict": "pants-on-fire"}, "verdict"),
        ({"selector": {"exact": "taxes fell"}, "claim_date": "yesterday"}, "claim_date"),
        ({"selector": {"exact": "taxes fell"}, "summary": "x" * 20_001}, "summary"),
        ({"selector": {"exact": "x" * 5_001}}, "selector"),
        (
            {"selector": {"exact": "taxes fell"}, "sources": [{"url": "javascript:alert(1)"}]},
            "sources",
        ),
        (
            {"selector": {"exact": "taxes fell"}, "sources": [{"url": "https://a.example"}] * 51},
            "sources",
        ),
        (
            {
                "selector": {"exact": "taxes fell"},
                "sources": [{"url": "https://a.example", "relation": "likes"}],
            },
            "sources",
        ),
        ({"selector": {"exact": "taxes fell"}, "article": 999_999}, "article"),
    ],
)
def test_bad_claim_input_is_a_400_naming_the_field(editor_client, payload, field):
    article = ArticleFactory()
    response = editor_client.post(
        "/api/v1/claims/", {"article": article.id, **payload}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert Claim.objects.count() == 0 and Source.objects.count() == 0


def test_malformed_json_is_a_400(editor_client):
    response = editor_client.generic(
        "POST", "/api/v1/claims/", '{"article": 1, "selector": {', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_json_list_instead_of_an_object_is_a_400(editor_client):
    response = editor_client.post("/api/v1/claims/", [1, 2], format="json")
    assert response.status_code == 400


# -- optimistic locking --------------------------------------------------------------------


def test_update_with_current_version_changes_the_claim(editor_client):
    claim = ClaimFactory()
    SourceFactory(claim=claim)
    response = editor_client.patch(
        f"/api/v1/claims/{claim.id}/",
        {
            "version": 1,
            "summary": "New",
            "verdict": "mostly-false",
            "sources": [{"url": "https://b.example.org/x", "relation": "supports"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    claim.refresh_from_db()
    assert (claim.summary, claim.verdict.slug) == ("New", "mostly-false")
    assert list(claim.sources.values_list("url", flat=True)) == ["https://b.example.org/x"]


def test_stale_version_is_a_409_with_the_current_state_and_changes_nothing(editor_client):
    claim = ClaimFactory(summary="Original", version=3)
    response = editor_client.patch(
        f"/api/v1/claims/{claim.id}/", {"version": 2, "summary": "Mine"}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_version"
    assert body["current"]["summary"] == "Original" and body["current"]["version"] == 3
    claim.refresh_from_db()
    assert (claim.summary, claim.version) == ("Original", 3)


def test_update_without_a_version_is_a_400(editor_client):
    claim = ClaimFactory()
    response = editor_client.patch(f"/api/v1/claims/{claim.id}/", {"summary": "x"}, format="json")
    assert response.status_code == 400 and "version" in response.json()


def test_moving_the_selector_through_an_update_checks_it_again(editor_client):
    claim = ClaimFactory()
    response = editor_client.patch(
        f"/api/v1/claims/{claim.id}/",
        {"version": 1, "selector": {"exact": "not in the text"}},
        format="json",
    )
    assert response.status_code == 400
    response = editor_client.patch(
        f"/api/v1/claims/{claim.id}/",
        {"version": 1, "selector": {"exact": "most households paid more"}},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["selector"]["exact"] == "most households paid more"


# -- the review workflow -------------------------------------------------------------------


def transition(client, claim, to, reason=""):
    return client.post(
        f"/api/v1/claims/{claim.id}/transition/", {"to": to, "reason": reason}, format="json"
    )


def test_full_review_records_every_step_and_the_approver(
    editor_client, reviewer_client, reviewer_user
):
    claim = ClaimFactory(ready=True)
    assert transition(editor_client, claim, "in_review").status_code == 200
    response = transition(reviewer_client, claim, "approved")
    assert response.json()["reviewed_by"] == reviewer_user.username
    assert response.json()["reviewed_at"]
    assert transition(reviewer_client, claim, "published").json()["status"] == "published"
    steps = list(
        ClaimTransition.objects.filter(claim=claim).values_list(
            "from_status", "to_status", "actor__username"
        )
    )
    assert [(a, b) for a, b, _ in steps] == [
        ("draft", "in_review"),
        ("in_review", "approved"),
        ("approved", "published"),
    ]
    assert steps[1][2] == reviewer_user.username


def test_editor_cannot_approve_or_publish(editor_client):
    claim = ClaimFactory(status="in_review")
    response = transition(editor_client, claim, "approved")
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == "in_review" and not ClaimTransition.objects.exists()


def test_illegal_transition_is_a_400_naming_the_allowed_ones(reviewer_client):
    claim = ClaimFactory()
    response = transition(reviewer_client, claim, "published")
    assert response.status_code == 400
    assert response.json()["to"] == [
        services.claims.ILLEGAL_TRANSITION.format(
            current="draft", to="published", allowed="in_review"
        )
    ]


def test_sending_back_needs_a_reason(reviewer_client):
    claim = ClaimFactory(status="in_review")
    response = transition(reviewer_client, claim, "draft")
    assert response.status_code == 400 and "reason" in response.json()
    response = transition(reviewer_client, claim, "draft", "Find the primary source.")
    assert response.status_code == 200
    assert ClaimTransition.objects.get().reason == "Find the primary source."


def test_editor_cannot_change_or_delete_a_published_claim(editor_client):
    claim = ClaimFactory(status="published", reviewed_at="2026-01-01T00:00:00Z")
    assert (
        editor_client.patch(
            f"/api/v1/claims/{claim.id}/", {"version": 1, "summary": "x"}, format="json"
        ).status_code
        == 403
    )
    assert editor_client.delete(f"/api/v1/claims/{claim.id}/").status_code == 403
    assert Claim.objects.get().summary == claim.summary


# -- session auth needs CSRF ---------------------------------------------------------------


def test_session_writes_need_the_csrf_token():
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor())
    article = ArticleFactory()
    response = client.post(
        "/api/v1/claims/",
        {"article": article.id, "selector": {"exact": "taxes fell"}},
        format="json",
    )
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert Claim.objects.count() == 0
    assert client.get("/api/v1/claims/").status_code == 200


def test_a_user_gets_a_token_with_their_password():
    from rest_framework.test import APIClient

    editor(username="scripted", password="a long enough passphrase")
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "scripted", "password": "a long enough passphrase"}
    )
    token = response.json()["token"]
    assert (
        client_for(None).get("/api/v1/claims/", HTTP_AUTHORIZATION=f"Token {token}").status_code
        == 200
    )
