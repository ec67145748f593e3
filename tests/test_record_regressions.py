"""One test per defect the record had, through the door where it was found (issue 11). The
rules they break are proved across all doors at once in test_record_rules.py."""

import json

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry

from annotations import anchoring, exports, services
from annotations.models import Claim, ClaimTransition, CoverageMatch, Source
from annotations.services import articles as article_rules
from annotations.services import claims as claim_rules
from tests.api.conftest import client_for
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory, editor, reviewer

pytestmark = pytest.mark.django_db

KHERSON = (
    "Kyiv said the region has been under Moscow's military control since March 2022. "
    "Prices rose in 2025, the statistics office said."
)
QUOTE = "under Moscow's military control since March 2022"
ADMIN = "/admin/annotations"
INLINES_EMPTY = {
    f"{prefix}-{name}": 0
    for prefix in ("sources", "notes", "transitions")
    for name in ("TOTAL_FORMS", "INITIAL_FORMS")
}


def published(**extra):
    claim = ClaimFactory(
        status="published", reviewed_at="2026-01-01T00:00:00Z", ready=True, **extra
    )
    return claim


def claimreview(article) -> list:
    claims = exports.claims_for_export(fmt="claimreview", article=article.id)
    return json.loads("".join(exports.write("claimreview", claims, report=exports.ExportReport())))


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# -- an edit of the text never rewrites a quote ------------------------------------------


def test_march_to_april_keeps_the_quote_flags_the_claim_and_keeps_what_is_published():
    article = ArticleFactory(body=KHERSON)
    claim = published(article=article, quote=QUOTE)
    before = claimreview(article)
    response = client_for(editor()).patch(
        f"/api/v1/articles/{article.id}/",
        {"body": KHERSON.replace("March", "April")},
        format="json",
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.exact == QUOTE  # never "…since Apr"
    assert claim.anchor_state == "changed"
    assert claim.proposed_exact == "under Moscow's military control since April 2022"
    assert claimreview(article) == before  # the published ClaimReview is what was approved
    shown = client_for(editor()).get(f"/api/v1/claims/{claim.id}/").json()
    assert shown["proposed_selector"]["exact"] == claim.proposed_exact


def test_a_year_edited_inside_a_quote_is_proposed_as_whole_words():
    article = ArticleFactory(body=KHERSON)
    claim = ClaimFactory(article=article, quote="Prices rose in 2025")
    services.article_update(article=article, actor=editor(), body=KHERSON.replace("2025", "2024"))
    claim.refresh_from_db()
    assert (claim.exact, claim.proposed_exact) == ("Prices rose in 2025", "Prices rose in 2024")


def test_accepting_the_proposed_words_is_a_recorded_claim_edit():
    article = ArticleFactory(body=KHERSON)
    claim = ClaimFactory(article=article, quote=QUOTE)
    services.article_update(article=article, actor=editor(), body=KHERSON.replace("March", "April"))
    claim.refresh_from_db()
    proposal = claim.proposal
    response = client_for(editor()).patch(
        f"/api/v1/claims/{claim.id}/",
        {
            "version": claim.version,
            "selector": {"exact": proposal.exact, "start": proposal.start, "end": proposal.end},
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    claim.refresh_from_db()
    assert claim.exact.endswith("since April 2022") and claim.anchor_state == "anchored"
    assert claim.history.first().history_user is not None


# -- the admin's doors -------------------------------------------------------------------


def test_admin_revert_of_an_article_reanchors_its_claims_and_moves_the_revision_on(client):
    article = ArticleFactory(body=KHERSON)
    claim = ClaimFactory(article=article, quote=QUOTE)
    first = article.history.earliest()
    services.article_update(
        article=article, actor=editor(), body="Breaking news.\n" + KHERSON.replace("March", "May")
    )
    client.force_login(reviewer(is_staff=True))
    response = client.post(f"{ADMIN}/article/{article.id}/history/{first.history_id}/", {})
    assert response.status_code == 302
    article.refresh_from_db()
    claim.refresh_from_db()
    assert article.body == KHERSON and article.revision == 3
    assert article.body[claim.start : claim.end] == QUOTE == claim.exact
    assert claim.anchor_state == "reanchored"  # its words came back


def test_staff_who_is_not_a_reviewer_cannot_revert_an_article(client):
    article = ArticleFactory(body=KHERSON)
    first = article.history.earliest()
    services.article_update(article=article, actor=editor(), body=KHERSON + " More.")
    client.force_login(editor(is_staff=True))
    response = client.post(f"{ADMIN}/article/{article.id}/history/{first.history_id}/", {})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.revision == 2


def test_admin_revert_of_a_claim_works_and_is_logged_once(client):
    user = reviewer(is_staff=True)
    claim = ClaimFactory(summary="First")
    first = claim.history.earliest()
    services.claim_update(claim=claim, version=1, actor=user, summary="Second")
    client.force_login(user)
    response = client.post(f"{ADMIN}/claim/{claim.id}/history/{first.history_id}/", {}, follow=True)
    claim.refresh_from_db()
    assert claim.summary == "First" and claim.version == 3
    assert LogEntry.objects.count() == 1
    assert not any("Not" in note for note in messages_of(response))


def test_a_refused_claim_revert_logs_nothing_and_says_why(client):
    user = reviewer(is_staff=True)
    claim = ClaimFactory(quote="taxes fell by 10 percent last year")
    first = claim.history.earliest()
    services.article_update(article=claim.article, actor=user, body="Entirely different words now.")
    services.claim_update(
        claim=claim,
        version=Claim.objects.get(pk=claim.pk).version,
        actor=user,
        selector=anchoring.Selector("Entirely different words"),
    )
    client.force_login(user)
    response = client.post(f"{ADMIN}/claim/{claim.id}/history/{first.history_id}/", {}, follow=True)
    notes = messages_of(response)
    assert any(note.startswith("Not reverted:") for note in notes)
    assert not any("success" in note for note in notes)
    assert LogEntry.objects.count() == 0


def test_a_stale_admin_form_saves_neither_the_claim_nor_its_inline_sources(client):
    claim = ClaimFactory(summary="Theirs", version=4)
    client.force_login(reviewer(is_staff=True))
    form = {
        "claimant": claim.claimant,
        "claim_date": "",
        "verdict": claim.verdict_id,
        "summary": "Mine",
        "assignee": "",
        "version": 3,
        **INLINES_EMPTY,
        "sources-TOTAL_FORMS": 1,
        "sources-0-url": "https://mine.example.org/",
        "sources-0-relation": "context",
    }
    response = client.post(f"{ADMIN}/claim/{claim.id}/change/", form, follow=True)
    notes = messages_of(response)
    assert notes == [
        "Not saved: " + claim_rules.STALE_VERSION.format(current=4, sent=3)
    ]  # and no "changed successfully" beside it
    claim.refresh_from_db()
    assert (claim.summary, claim.version) == ("Theirs", 4)
    assert not Source.objects.exists()
    assert LogEntry.objects.count() == 0


def test_inline_source_edits_keep_the_fields_not_changed(client):
    claim = ClaimFactory()
    source = SourceFactory(claim=claim, publisher="Stats office", quote="Table 4")
    client.force_login(reviewer(is_staff=True))
    form = {
        "claimant": claim.claimant,
        "claim_date": "",
        "verdict": claim.verdict_id,
        "summary": claim.summary,
        "assignee": "",
        "version": 1,
        **INLINES_EMPTY,
        "sources-TOTAL_FORMS": 1,
        "sources-INITIAL_FORMS": 1,
        "sources-0-id": source.id,
        "sources-0-claim": claim.id,
        "sources-0-url": source.url,
        "sources-0-title": "A better title",
        "sources-0-publisher": "Stats office",
        "sources-0-relation": source.relation,
        "sources-0-quote": "Table 4",
    }
    response = client.post(f"{ADMIN}/claim/{claim.id}/change/", form)
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.title, source.publisher, source.quote) == (
        "A better title",
        "Stats office",
        "Table 4",
    )


@pytest.mark.parametrize("door", ["page", "bulk"])
def test_a_staff_editor_cannot_delete_a_published_claim_in_the_admin(client, door):
    claim = published()
    client.force_login(editor(is_staff=True))
    if door == "page":
        response = client.post(f"{ADMIN}/claim/{claim.id}/delete/", {"post": "yes"})
        assert response.status_code == 403
    else:
        response = client.post(
            f"{ADMIN}/claim/",
            {"action": "delete_claims", ACTION_CHECKBOX_NAME: [claim.id], "confirm": "yes"},
            follow=True,
        )
        assert any(claim_rules.CANNOT_DELETE_PUBLISHED in n for n in messages_of(response))
    assert Claim.objects.filter(pk=claim.id).exists()


def test_django_s_own_delete_selected_is_not_offered(client):
    client.force_login(reviewer(is_staff=True))
    ClaimFactory()
    page = client.get(f"{ADMIN}/claim/").content.decode()
    assert 'value="delete_selected"' not in page and 'value="delete_claims"' in page


# -- review is enforced ------------------------------------------------------------------


def test_an_editor_changing_an_approved_claim_sends_it_back_to_draft_recorded():
    user = editor()
    claim = ClaimFactory(status="approved", reviewed_at="2026-01-01T00:00:00Z", ready=True)
    response = client_for(user).patch(
        f"/api/v1/claims/{claim.id}/",
        {"version": 1, "verdict": "true", "summary": "Now rated true."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    step = ClaimTransition.objects.get(claim=claim)
    assert (step.from_status, step.to_status, step.actor) == ("approved", "draft", user)
    assert step.reason == claim_rules.BACK_TO_DRAFT.format(fields="verdict, summary")


def test_assigning_a_claim_in_review_does_not_take_it_out_of_review():
    claim = ClaimFactory(status="in_review")
    response = client_for(editor()).patch(
        f"/api/v1/claims/{claim.id}/", {"version": 1, "assignee": None}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "in_review"


@pytest.mark.parametrize(
    ("missing", "fields"),
    [
        ("a verdict", {"verdict": None}),
        ("a summary", {"summary": ""}),
        ("a source", {}),
        ("a verdict and a summary", {"verdict": None, "summary": ""}),
    ],
)
def test_approval_needs_a_verdict_a_summary_and_a_source(missing, fields):
    claim = ClaimFactory(status="in_review", ready=bool(fields), **fields)
    response = client_for(reviewer()).post(
        f"/api/v1/claims/{claim.id}/transition/", {"to": "approved"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["to"] == [claim_rules.APPROVAL_NEEDS.format(missing=missing)]


def test_a_desk_can_approve_without_a_source(settings):
    settings.FACTCHECK_APPROVAL_REQUIRES = ["verdict", "summary"]
    claim = ClaimFactory(status="in_review")
    response = client_for(reviewer()).post(
        f"/api/v1/claims/{claim.id}/transition/", {"to": "approved"}, format="json"
    )
    assert response.status_code == 200


def test_a_claim_whose_words_changed_is_not_approved_until_placed():
    article = ArticleFactory(body=KHERSON)
    claim = ClaimFactory(article=article, quote=QUOTE, status="in_review", ready=True)
    services.article_update(article=article, actor=editor(), body=KHERSON.replace("March", "May"))
    response = client_for(reviewer()).post(
        f"/api/v1/claims/{claim.id}/transition/", {"to": "approved"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["to"] == [claim_rules.WORDS_NEED_PLACING.format(state="changed")]


def test_an_editor_cannot_retitle_an_article_whose_claims_are_published():
    claim = published()
    before = claimreview(claim.article)
    response = client_for(editor()).patch(
        f"/api/v1/articles/{claim.article_id}/", {"title": "A new headline"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == article_rules.ONLY_REVIEWERS_RETITLE.format(fields="title")
    assert claimreview(claim.article) == before
    response = client_for(reviewer()).patch(
        f"/api/v1/articles/{claim.article_id}/", {"title": "A new headline"}, format="json"
    )
    assert response.status_code == 200


def test_an_editor_s_text_edit_never_changes_what_a_published_claim_exports():
    claim = published(quote="taxes fell by 10 percent last year")
    before = claimreview(claim.article)
    response = client_for(editor()).patch(
        f"/api/v1/articles/{claim.article_id}/",
        {"body": claim.article.body.replace("taxes fell by 10 percent", "taxes rose")},
        format="json",
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.anchor_state in ("changed", "orphaned") and claim.status == "published"
    assert claimreview(claim.article) == before


# -- versions, decisions, duplicates, reasons --------------------------------------------


def test_two_editors_saving_the_text_the_second_gets_a_409_with_the_first_s_text():
    article = ArticleFactory()
    first, second = client_for(editor()), client_for(editor())
    url = f"/api/v1/articles/{article.id}/"
    assert first.patch(url, {"body": "First.", "revision": 1}, format="json").status_code == 200
    response = second.patch(url, {"body": "Second.", "revision": 1}, format="json")
    assert response.status_code == 409 and response.json()["current"]["body"] == "First."


def test_finding_related_coverage_again_keeps_the_editors_decisions():
    ArticleFactory(
        title="Earlier check",
        body="The minister said taxes fell by 10 percent last year. Receipts rose.",
        is_archive=True,
    )
    claim = ClaimFactory()
    client = client_for(editor())
    first = services.coverage_search_queue(claim=claim)
    services.coverage_search_run(search_id=first.id)
    match = CoverageMatch.objects.get(search=first)
    decided = client.post(
        f"/api/v1/matches/{match.id}/decision/", {"decision": "confirmed"}, format="json"
    )
    assert decided.status_code == 200
    response = client.post(f"/api/v1/claims/{claim.id}/related/")
    assert response.status_code == 202
    services.coverage_search_run(search_id=response.json()["id"])
    again = client.get(f"/api/v1/claims/{claim.id}/related/").json()
    assert again["id"] == response.json()["id"]
    assert [m["decision"] for m in again["matches"]] == ["confirmed"]


def test_the_same_words_and_claimant_twice_is_a_409_pointing_at_the_first():
    article = ArticleFactory()
    client = client_for(editor())
    payload = {
        "article": article.id,
        "selector": {"exact": "taxes fell by 10 percent"},
        "claimant": "Finance minister",
    }
    first = client.post("/api/v1/claims/", payload, format="json").json()
    response = client.post("/api/v1/claims/", payload, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_claim"
    assert response.json()["existing"]["id"] == first["id"]
    other = client.post("/api/v1/claims/", {**payload, "claimant": "Someone else"}, format="json")
    assert other.status_code == 201  # the same words, another claimant: another claim
    assert Claim.objects.count() == 2


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        ({"exact": "."}, anchoring.QUOTE_HAS_NO_WORDS),
        (
            {"exact": "axes fell"},
            anchoring.QUOTE_CUTS_A_WORD.format(word="taxes fell"),
        ),
    ],
)
def test_junk_and_half_words_are_refused_naming_selector_exact(selector, message):
    article = ArticleFactory()
    response = client_for(editor()).post(
        "/api/v1/claims/", {"article": article.id, "selector": selector}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"selector": {"exact": [message]}}
    assert not Claim.objects.exists()


def test_exact_characters_keeps_a_cut_word_when_asked():
    article = ArticleFactory()
    response = client_for(editor()).post(
        "/api/v1/claims/",
        {"article": article.id, "selector": {"exact": "axes fell"}, "exact_characters": True},
        format="json",
    )
    assert response.status_code == 201 and response.json()["selector"]["exact"] == "axes fell"


def test_a_long_transition_reason_is_stored_in_full():
    claim = ClaimFactory(status="in_review")
    reason = "The figures need the primary source. " * 50  # 1,850 characters
    response = client_for(reviewer()).post(
        f"/api/v1/claims/{claim.id}/transition/",
        {"to": "draft", "reason": reason},
        format="json",
    )
    assert response.status_code == 200
    assert ClaimTransition.objects.get(claim=claim).reason == reason.strip()
    assert claim.history.first().history_change_reason == reason.strip()
