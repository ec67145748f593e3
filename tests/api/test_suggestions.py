"""GET /api/v1/articles/{id}/suggestions/ and POST .../suggestions/{n}/dismiss/ (contract)."""

import pytest

from annotations import services
from annotations.models import SuggestionDismissal
from tests.api.conftest import ROLES, client_for, user_for
from tests.factories import ArticleFactory, ClaimFactory, editor

pytestmark = pytest.mark.django_db

BODY = (
    "Unemployment fell to 6.1 percent in 2023, the office said. 🚀 It was a sunny day.\n"
    "The council spent 12 million euros on roads. People were happy. What next?"
)


@pytest.fixture
def scored():
    article = ArticleFactory(body=BODY)
    services.article_suggestions_refresh(article_id=article.id)
    return article


def test_every_sentence_comes_with_its_span_score_flag_and_status(scored):
    ClaimFactory(article=scored, quote="12 million euros")
    response = client_for(editor()).get(f"/api/v1/articles/{scored.id}/suggestions/")
    assert response.status_code == 200
    assert "Suggestions-Pending" not in response
    sentences = response.json()
    assert [set(s) for s in sentences] == [
        {"n", "start", "end", "text", "score", "suggested", "status"}
    ] * 5
    for n, sentence in enumerate(sentences):
        assert sentence["n"] == n
        assert scored.body[sentence["start"] : sentence["end"]] == sentence["text"]
    assert sentences[1]["text"] == "🚀 It was a sunny day."
    assert sentences[2]["start"] == BODY.index("The council")  # code points: 🚀 counts once
    assert [s["suggested"] for s in sentences] == [True, False, True, False, False]
    assert [s["status"] for s in sentences] == ["open", "open", "claimed", "open", "open"]
    assert sentences[0]["score"] > sentences[1]["score"]


def test_before_the_job_has_run_the_heuristic_scores_and_the_header_says_so(scored):
    article = ArticleFactory(body=BODY)
    response = client_for(editor()).get(f"/api/v1/articles/{article.id}/suggestions/")
    assert response.status_code == 200
    assert response["Suggestions-Pending"] == "true"
    pending = response.json()
    assert all(isinstance(s["score"], float) and 0 < s["score"] < 1 for s in pending)
    # The same scores and flags the job gives while the heuristic serves.
    done = client_for(editor()).get(f"/api/v1/articles/{scored.id}/suggestions/").json()
    assert [s["suggested"] for s in pending] == [s["suggested"] for s in done]
    assert [s["score"] for s in pending] == pytest.approx([s["score"] for s in done], abs=1e-3)


def test_dismissing_a_sentence_answers_it_dismissed_and_records_who(scored):
    user = editor()
    client = client_for(user)
    response = client.post(f"/api/v1/articles/{scored.id}/suggestions/0/dismiss/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "dismissed"
    assert response.json()["n"] == 0
    assert SuggestionDismissal.objects.get().dismissed_by == user
    statuses = [
        s["status"] for s in client.get(f"/api/v1/articles/{scored.id}/suggestions/").json()
    ]
    assert statuses == ["dismissed", "open", "open", "open", "open"]


def test_an_unknown_article_or_sentence_is_a_404_that_says_which(scored):
    client = client_for(editor())
    assert client.get("/api/v1/articles/999999/suggestions/").status_code == 404
    assert client.post("/api/v1/articles/999999/suggestions/0/dismiss/").status_code == 404
    response = client.post(f"/api/v1/articles/{scored.id}/suggestions/5/dismiss/")
    assert response.status_code == 404
    assert "no sentence 5" in response.json()["detail"]
    assert client.post(f"/api/v1/articles/{scored.id}/suggestions/-1/dismiss/").status_code == 404
    assert not SuggestionDismissal.objects.exists()


def test_dismiss_refuses_fields_by_name(scored):
    response = client_for(editor()).post(
        f"/api/v1/articles/{scored.id}/suggestions/1/dismiss/", {"reason": "dull"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"reason": ["Unknown field."]}
    assert not SuggestionDismissal.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_suggestions_are_for_editors_and_reviewers(scored, role):
    client = client_for(user_for(role))
    read = client.get(f"/api/v1/articles/{scored.id}/suggestions/")
    dismiss = client.post(f"/api/v1/articles/{scored.id}/suggestions/1/dismiss/")
    allowed = role in ("editor", "reviewer", "superuser")
    expected = 200 if allowed else 401 if role == "anonymous" else 403
    assert (read.status_code, dismiss.status_code) == (expected, expected)
    assert SuggestionDismissal.objects.exists() == allowed


@pytest.mark.parametrize("sentences", [5, 200])
def test_reading_suggestions_runs_a_fixed_number_of_queries(sentences, django_assert_num_queries):
    body = " ".join(f"Sentence {n} says prices rose by {n} percent." for n in range(sentences))
    article = ArticleFactory(body=body)
    services.article_suggestions_refresh(article_id=article.id)
    for n in range(0, sentences, 2):
        ClaimFactory(article=article, quote=f"Sentence {n} says")
    services.suggestion_dismiss(article=article, n=1, actor=editor())
    client = client_for(editor())
    # token + user + role groups, the article, its sentences, its dismissals, its claims
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/articles/{article.id}/suggestions/")
    assert len(response.json()) == sentences
    assert response.json()[1]["status"] == "dismissed"


def test_the_schema_documents_both_operations():
    response = client_for(editor()).get("/api/v1/schema/?format=json")
    paths = response.json()["paths"]
    listing = paths["/api/v1/articles/{id}/suggestions/"]["get"]
    item = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert item["type"] == "array"
    dismiss = paths["/api/v1/articles/{id}/suggestions/{n}/dismiss/"]["post"]
    assert {"200", "403", "404"} <= set(dismiss["responses"])
