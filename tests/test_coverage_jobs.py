"""Related-coverage jobs: queued with the claim, sent on commit, idempotent, visible in the
API, decided by editors."""

import datetime as dt

import pytest
from django.utils import timezone

from annotations import roles, services
from annotations.anchoring import Selector
from annotations.models import CoverageMatch, CoverageSearch
from annotations.tasks import CoverageSearchTask, run_coverage_search
from tests.api.conftest import client_for
from tests.factories import ArticleFactory, UserFactory, editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim_with_archive(editor_user):
    services.article_create(
        title="Fact check: taxes did not fall last year",
        body="The minister said taxes fell by 10 percent last year. Receipts rose.",
        url="https://archive.example/taxes",
        is_archive=True,
        actor=roles.SYSTEM,
    )
    article = ArticleFactory()
    return services.claim_create(
        article=article, selector=Selector("taxes fell by 10 percent last year"), actor=editor_user
    )


def test_creating_a_claim_queues_a_search_sent_only_on_commit(
    editor_user, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        claim = services.claim_create(
            article=article, selector=Selector("taxes fell"), actor=editor_user
        )
        assert CoverageSearch.objects.get(claim=claim).status == "queued"
    assert len(callbacks) == 1  # the task is sent after the transaction, not inside it


def test_running_a_search_stores_ranked_matches(claim_with_archive):
    search = claim_with_archive.coverage_searches.get()
    run_coverage_search(search.id)  # the task body, called directly
    search.refresh_from_db()
    assert (search.status, search.attempts) == ("succeeded", 1)
    assert search.started_at <= search.finished_at
    matches = list(search.matches.all())
    assert matches[0].article.url == "https://archive.example/taxes"
    assert claim_with_archive.article_id not in [m.article_id for m in matches]


def test_running_again_replaces_the_matches_never_duplicates(claim_with_archive):
    search = claim_with_archive.coverage_searches.get()
    run_coverage_search(search.id)
    first = list(search.matches.values_list("article_id", "rank"))
    # A second delivery while the first run's outcome is unknown (its worker died mid-run).
    CoverageSearch.objects.filter(pk=search.pk).update(status="running")
    run_coverage_search(search.id)
    search.refresh_from_db()
    assert (search.status, search.attempts) == ("succeeded", 2)
    assert list(search.matches.values_list("article_id", "rank")) == first


def test_a_second_delivery_of_a_search_that_succeeded_changes_nothing(claim_with_archive):
    search = claim_with_archive.coverage_searches.get()
    run_coverage_search(search.id)
    search.refresh_from_db()
    matches = list(search.matches.values_list("id", flat=True))
    run_coverage_search(search.id)  # redelivered, or sent again by the sweep
    again = CoverageSearch.objects.get(pk=search.pk)
    assert (again.status, again.attempts, again.finished_at) == (
        "succeeded",
        1,
        search.finished_at,
    )
    assert list(again.matches.values_list("id", flat=True)) == matches


def sweep(**limits):
    return services.coverage_searches_sweep_stale(
        **{
            "time_limit_seconds": 150,
            "queue_limit_seconds": 3600,
            "resend_after_seconds": 310,
            **limits,
        }
    )


def test_the_sweep_sends_again_a_search_whose_message_was_lost(
    claim_with_archive, django_capture_on_commit_callbacks
):
    lost = claim_with_archive.coverage_searches.get()
    CoverageSearch.objects.filter(pk=lost.pk).update(
        sent_at=timezone.now() - dt.timedelta(minutes=6)
    )
    waiting = services.coverage_search_queue(claim=claim_with_archive)  # sent just now
    with django_capture_on_commit_callbacks() as callbacks:
        report = sweep()
    assert report == services.SweepReport(sent_again=1)
    assert len(callbacks) == 1  # sent once the sweep's transaction commits
    lost.refresh_from_db()
    assert (lost.status, lost.sends) == ("queued", 2)
    assert lost.sent_at > timezone.now() - dt.timedelta(minutes=1)
    assert CoverageSearch.objects.get(pk=waiting.pk).sends == 1
    with django_capture_on_commit_callbacks() as callbacks:
        assert sweep() == services.SweepReport()  # not again until it is overdue again
    assert callbacks == []


def test_the_sweep_fails_a_search_waiting_past_the_queue_limit_and_one_running_too_long(
    claim_with_archive,
):
    never = claim_with_archive.coverage_searches.get()
    hours_ago = timezone.now() - dt.timedelta(hours=2)
    CoverageSearch.objects.filter(pk=never.pk).update(queued_at=hours_ago, sent_at=hours_ago)
    stuck = services.coverage_search_queue(claim=claim_with_archive)
    CoverageSearch.objects.filter(pk=stuck.pk).update(
        status="running", started_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert sweep() == services.SweepReport(failed_running=1, failed_queued=1)
    never.refresh_from_db()
    stuck.refresh_from_db()
    assert never.status == "failed" and "No worker started this search" in never.error
    assert stuck.status == "failed" and "time limit" in stuck.error


def test_a_failed_task_marks_the_search_failed_with_the_reason(claim_with_archive):
    search = claim_with_archive.coverage_searches.get()
    CoverageSearchTask().on_failure(RuntimeError("index offline"), "id", (search.id,), {}, None)
    search.refresh_from_db()
    assert search.status == "failed" and "RuntimeError: index offline" in search.error


def test_a_search_of_a_deleted_claim_is_a_no_op(claim_with_archive):
    search_id = claim_with_archive.coverage_searches.get().id
    claim_with_archive.delete()
    run_coverage_search(search_id)
    assert not CoverageSearch.objects.filter(pk=search_id).exists()


def test_post_related_queues_a_new_search_and_get_shows_its_matches(
    claim_with_archive, editor_client
):
    url = f"/api/v1/claims/{claim_with_archive.id}/related/"
    response = editor_client.post(url)
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    run_coverage_search(response.json()["id"])
    body = editor_client.get(url).json()
    assert body["id"] == response.json()["id"] and body["status"] == "succeeded"
    assert body["matches"][0]["article"]["url"] == "https://archive.example/taxes"


def test_related_needs_a_role(claim_with_archive):
    url = f"/api/v1/claims/{claim_with_archive.id}/related/"
    assert client_for(None).post(url).status_code == 401
    assert client_for(UserFactory()).get(url).status_code == 403
    assert CoverageSearch.objects.count() == 1


def test_an_editor_confirms_or_dismisses_a_match_and_others_see_it(claim_with_archive):
    search = claim_with_archive.coverage_searches.get()
    run_coverage_search(search.id)
    match = search.matches.first()
    first, second = editor(), editor()
    response = client_for(first).post(
        f"/api/v1/matches/{match.id}/decision/", {"decision": "dismissed"}, format="json"
    )
    assert response.status_code == 200 and response.json()["decided_by"] == first.username
    seen = client_for(second).get(f"/api/v1/claims/{claim_with_archive.id}/related/").json()
    assert seen["matches"][0]["decision"] == "dismissed"
    bad = client_for(first).post(
        f"/api/v1/matches/{match.id}/decision/", {"decision": "maybe"}, format="json"
    )
    assert bad.status_code == 400 and "decision" in bad.json()
    assert CoverageMatch.objects.get(pk=match.pk).decision == "dismissed"


def test_find_related_command_prints_the_contract_json(claim_with_archive):
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "find_related", "--text", 'Taxes "fell" & 10%: true?', "--limit", "2", "--json", stdout=out
    )
    rows = json.loads(out.getvalue())
    assert rows[0]["url"] == "https://archive.example/taxes"
    assert set(rows[0]) == {"article_id", "claim_id", "title", "url", "score", "method", "snippet"}


def test_related_list_query_count_does_not_grow_with_matches(
    claim_with_archive, editor_client, django_assert_num_queries
):
    search = claim_with_archive.coverage_searches.get()
    for n in range(12):
        ArticleFactory(title=f"Taxes fell report {n}", body="taxes fell by 10 percent last year")
    run_coverage_search(search.id)
    assert search.matches.count() == 10
    # token + user + role groups, the claim, the latest search, its matches with articles,
    # prior claims and verdicts (and, were any a prior fact-check, one more for their sources)
    with django_assert_num_queries(4):
        editor_client.get(f"/api/v1/claims/{claim_with_archive.id}/related/")


def test_a_match_no_closer_than_the_average_candidate_is_shown_as_weak(
    claim_with_archive, editor_client
):
    search = claim_with_archive.coverage_searches.get()
    run_coverage_search(search.id)
    weak = ArticleFactory(title="Parking fees", body="Parking fees rise in March.")
    CoverageMatch.objects.create(search=search, article=weak, rank=9, score=-0.4, method="fts")
    shown = editor_client.get(f"/api/v1/claims/{claim_with_archive.id}/related/").json()
    by_article = {match["article"]["id"]: match["weak"] for match in shown["matches"]}
    assert by_article[weak.id] is True
    assert by_article[search.matches.get(rank=1).article_id] is False


def test_a_claim_says_when_a_change_would_send_it_back_to_draft(editor_client):
    from tests.factories import ClaimFactory

    draft = ClaimFactory(status="draft")
    in_review = ClaimFactory(status="in_review")
    assert editor_client.get(f"/api/v1/claims/{draft.id}/").json()["changes_send_back"] is False
    assert editor_client.get(f"/api/v1/claims/{in_review.id}/").json()["changes_send_back"]
