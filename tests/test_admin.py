"""The review desk in the admin: one rule through every door."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from annotations.admin import NOTHING_TO_REVERT
from annotations.models import ClaimTransition
from annotations.services.claims import ILLEGAL_TRANSITION
from tests.factories import ClaimFactory, editor, reviewer, superuser

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/annotations/claim/"
# The claim form's inlines (sources, notes, review trail) with no rows.
INLINES_EMPTY = {
    f"{prefix}-{name}": 0
    for prefix in ("sources", "notes", "transitions")
    for name in ("TOTAL_FORMS", "INITIAL_FORMS")
}
QUEUE = "/admin/annotations/reviewqueueclaim/"


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def act(client, action, *claims, url=CHANGELIST, **extra):
    return client.post(
        url, {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in claims], **extra}, follow=True
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_reviewer_approves_from_the_admin_and_the_approver_is_recorded(as_user):
    user = reviewer(is_staff=True)
    claim = ClaimFactory(status="in_review", ready=True)
    response = act(as_user(user), "approve", claim)
    claim.refresh_from_db()
    assert (claim.status, claim.reviewed_by) == ("approved", user)
    assert ClaimTransition.objects.get(claim=claim).actor == user
    assert "1 claim moved to approved." in messages_of(response)


def test_staff_publishes_an_approved_claim(as_user):
    claim = ClaimFactory(status="approved", reviewed_at="2026-01-01T00:00:00Z", ready=True)
    act(as_user(superuser()), "publish", claim)
    claim.refresh_from_db()
    assert claim.status == "published"


def test_editor_sees_no_approve_button_and_a_forged_post_changes_nothing(as_user):
    client = as_user(editor(is_staff=True))
    claim = ClaimFactory(status="in_review")
    page = client.get(CHANGELIST).content.decode()
    assert 'value="submit"' in page
    assert 'value="approve"' not in page and 'value="publish"' not in page
    response = act(client, "approve", claim)
    claim.refresh_from_db()
    assert claim.status == "in_review" and not ClaimTransition.objects.exists()
    assert response.status_code == 200  # the admin answers "no action selected"


def test_a_bulk_action_reports_successes_and_each_refusal_by_claim(as_user):
    ready = ClaimFactory(status="in_review", ready=True)
    draft = ClaimFactory(status="draft")
    response = act(as_user(reviewer(is_staff=True)), "approve", ready, draft)
    notes = messages_of(response)
    assert "1 claim moved to approved." in notes
    refusal = ILLEGAL_TRANSITION.format(current="draft", to="approved", allowed="in_review")
    assert any(f"(#{draft.pk})" in note and refusal in note for note in notes)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_sending_back_asks_for_a_reason_and_records_it(as_user):
    client = as_user(reviewer(is_staff=True))
    claim = ClaimFactory(status="in_review")
    asked = act(client, "send_back", claim)
    assert "Send back to draft" in asked.content.decode()
    claim.refresh_from_db()
    assert claim.status == "in_review"
    act(client, "send_back", claim, confirm="yes", reason="Needs the primary source.")
    claim.refresh_from_db()
    assert claim.status == "draft"
    assert ClaimTransition.objects.get().reason == "Needs the primary source."


def test_assign_to_a_user(as_user):
    client = as_user(reviewer(is_staff=True))
    claim = ClaimFactory()
    someone = editor()
    act(client, "assign", claim, confirm="yes", assignee=someone.pk)
    claim.refresh_from_db()
    assert claim.assignee == someone and claim.version == 2


@pytest.mark.parametrize("url", [CHANGELIST, QUEUE])
def test_changelists_run_a_fixed_number_of_queries(as_user, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(reviewer(is_staff=True))
    ClaimFactory.create_batch(10, status="in_review")
    with CaptureQueriesContext(connection) as ten:
        assert client.get(url).status_code == 200
    ClaimFactory.create_batch(90, status="in_review")
    with CaptureQueriesContext(connection) as hundred:
        assert client.get(url).status_code == 200
    assert len(hundred) == len(ten), [q["sql"][:120] for q in hundred.captured_queries]
    assert len(ten) <= 10  # the budget of issue 6


def test_a_claim_row_shows_its_words_in_whole_words_of_context(as_user):
    client = as_user(reviewer(is_staff=True))
    ClaimFactory()  # "…finance minister said on Monday that [taxes …] Opposition parties disputed…"
    page = client.get(CHANGELIST).content.decode()
    assert "…said on Monday that <strong>taxes fell by 10 percent last year</strong>." in page
    assert "</strong>.\nOpposition parties…" in page


def test_review_queue_lists_claims_in_review_oldest_first_and_is_on_the_index(as_user):
    client = as_user(reviewer(is_staff=True))
    first = ClaimFactory(status="in_review", claimant="First in")
    ClaimFactory(status="draft", claimant="Still a draft")
    second = ClaimFactory(status="in_review", claimant="Second in")
    page = client.get(QUEUE).content.decode()
    assert "Still a draft" not in page
    assert page.index(f"/{first.pk}/change/") < page.index(f"/{second.pk}/change/")
    assert QUEUE in client.get("/admin/").content.decode()


def test_history_shows_a_verdict_change_with_old_new_and_who(as_user):
    user = reviewer(is_staff=True)
    client = as_user(user)
    claim = ClaimFactory()
    response = client.post(
        f"{CHANGELIST}{claim.pk}/change/",
        {
            "claimant": claim.claimant,
            "claim_date": "",
            "verdict": 2,
            "summary": claim.summary,
            "assignee": "",
            "version": 1,
            **INLINES_EMPTY,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    said = [str(m) for m in client.get(response.url).context["messages"]]
    assert f'“<a href="{CHANGELIST}{claim.pk}/change/">{claim.exact}</a>”' in said[0]  # once
    claim.refresh_from_db()
    assert claim.verdict.slug == "mostly-true" and claim.version == 2
    latest = claim.history.first()
    assert latest.history_user == user
    delta = latest.diff_against(latest.prev_record)
    assert [c.field for c in delta.changes if c.field == "verdict"] == ["verdict"]
    history = client.get(f"{CHANGELIST}{claim.pk}/history/").content.decode()
    assert "verdict" in history and user.username in history
    assert '<th scope="col">status</th>' in history and "<td>Draft</td>" in history  # labels
    assert "{#" not in history and "{%" not in history  # no template text shown


def test_a_stale_admin_save_changes_nothing(as_user):
    client = as_user(reviewer(is_staff=True))
    claim = ClaimFactory(summary="Theirs", version=4)
    client.post(
        f"{CHANGELIST}{claim.pk}/change/",
        {
            "claimant": "",
            "claim_date": "",
            "verdict": "",
            "summary": "Mine",
            "assignee": "",
            "version": 3,
            **INLINES_EMPTY,
        },
    )
    claim.refresh_from_db()
    assert (claim.summary, claim.version) == ("Theirs", 4)


def test_reviewer_reverts_an_earlier_version_and_the_revert_is_recorded(as_user):
    user = reviewer(is_staff=True)
    client = as_user(user)
    claim = ClaimFactory(summary="First text")
    original = claim.history.first()
    from annotations import services

    services.claim_update(claim=claim, version=1, actor=user, summary="Second text")  # later
    response = client.post(
        f"{CHANGELIST}{claim.pk}/history/{original.history_id}/",
        {
            "claimant": claim.claimant,
            "claim_date": "",
            "verdict": claim.verdict_id,
            "summary": "First text",
            "assignee": "",
            "version": 2,
            **INLINES_EMPTY,
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.summary == "First text"
    assert claim.history.count() == 3  # created, edited, reverted


@pytest.fixture
def approved(as_user):
    """A reviewer signed in to the admin, and a claim they approved (a status change only)."""
    from annotations import services

    user = reviewer(is_staff=True)
    claim = ClaimFactory(status="in_review", ready=True)
    services.claim_transition(claim=claim, to="approved", actor=user)
    return user, as_user(user), claim


def test_a_revert_says_what_it_brings_back_and_when_there_is_nothing_to(approved):
    _user, client, claim = approved
    earlier = claim.history.order_by("history_date").first()
    form = client.get(f"{CHANGELIST}{claim.pk}/history/{earlier.history_id}/")
    said = [str(m) for m in form.context["messages"]]
    assert any("review status stay as they are now" in m for m in said)
    crumbs = form.content.decode().split('class="breadcrumbs"')[1].split("</div>")[0]
    assert "Fact-checking" in crumbs and "Claims" in crumbs and "Historical" not in crumbs
    response = client.post(f"{CHANGELIST}{claim.pk}/history/{earlier.history_id}/", {})
    said = [str(m) for m in client.get(response.url).context["messages"]]
    assert said == [NOTHING_TO_REVERT.format(date=f"{earlier.history_date:%Y-%m-%d %H:%M} UTC")]
    claim.refresh_from_db()
    assert (claim.status, claim.history.count()) == ("approved", 2)


def test_history_changes_read_as_labels_dates_and_dashes(approved):
    _user, client, claim = approved
    history = client.get(f"{CHANGELIST}{claim.pk}/history/").content.decode()
    assert "In review &nbsp;&rarr;&nbsp;&nbsp;Approved" in " ".join(history.split())
    assert "pk=None" not in history and "None" not in history.split("<tbody>")[1]
    assert "In review → Approved" in history  # the change reason too


def test_editor_cannot_revert(as_user):
    client = as_user(editor(is_staff=True))
    claim = ClaimFactory()
    record = claim.history.first()
    response = client.post(f"{CHANGELIST}{claim.pk}/history/{record.history_id}/", {})
    assert response.status_code == 403


def test_a_claim_with_searches_and_notes_is_deleted_from_its_page(as_user, client):
    """Deleting a claim takes its notes, searches and matches with it: the page must not ask
    for a permission to delete those (read-only in the admin) and refuse."""
    from annotations import services
    from annotations.models import Claim, CoverageSearch

    user = reviewer(is_staff=True)
    claim = ClaimFactory()
    CoverageSearch.objects.create(claim=claim)
    services.note_create(claim=claim, actor=user, text="Duplicate of another claim.")
    as_user(user)
    page = client.get(f"/admin/annotations/claim/{claim.id}/delete/")
    assert page.status_code == 200 and b"permission to delete" not in page.content
    response = client.post(
        f"/admin/annotations/claim/{claim.id}/delete/", {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert not Claim.objects.filter(pk=claim.id).exists()


def test_a_reviewer_meets_no_dead_end_at_a_user_link(approved):
    """A reviewer may not open users: the history names who changed what without linking
    to a page that refuses them, and a refused page says so inside the app."""
    user, client, claim = approved
    history = client.get(f"{CHANGELIST}{claim.pk}/history/").content.decode()
    assert user.username in history and f"/admin/auth/user/{user.pk}/" not in history
    refused = client.get(f"/admin/auth/user/{user.pk}/change/")
    assert refused.status_code == 403
    assert "Your role does not open this page" in refused.content.decode()
    assert 'href="/articles/"' in refused.content.decode()


def test_history_dates_link_to_their_versions_and_counters_are_not_changes(approved):
    _user, client, claim = approved
    history = client.get(f"{CHANGELIST}{claim.pk}/history/").content.decode()
    latest = claim.history.first()
    assert history.count(f'href="{CHANGELIST}{claim.pk}/history/{latest.history_id}/"') == 2
    assert "<strong>Version:</strong>" not in history
