"""claims/{id}/notes/: the conversation between editor and reviewer, through the API."""

import pytest

from annotations import services
from annotations.models import ClaimNote
from annotations.services import notes as note_rules
from tests.api.conftest import ROLE_RANK, ROLES, client_for, user_for
from tests.factories import ClaimFactory, editor, reviewer

pytestmark = pytest.mark.django_db


def test_notes_are_listed_oldest_first_with_their_author():
    claim = ClaimFactory(status="in_review")
    ed, rev = editor(username="ana"), reviewer(username="rui")
    services.note_create(claim=claim, actor=ed, text="Which table?")
    services.claim_transition(claim=claim, to="draft", actor=rev, reason="Add the baseline.")
    response = client_for(ed).get(f"/api/v1/claims/{claim.id}/notes/")
    assert response.status_code == 200
    assert [(n["author"], n["text"], n["transition"]) for n in response.json()["results"]] == [
        ("ana", "Which table?", None),
        ("rui", "Add the baseline.", "draft"),  # the send-back reason is in the thread
    ]
    assert set(response.json()["results"][0]) == {
        "id",
        "author",
        "text",
        "created_at",
        "transition",
    }


def test_a_note_is_added_and_counted_on_the_claim():
    claim = ClaimFactory()
    client = client_for(editor(username="ana"))
    response = client.post(
        f"/api/v1/claims/{claim.id}/notes/",
        {"text": "  Checking the 2020 figure.  "},
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["author"], response.json()["text"]) == (
        "ana",
        "Checking the 2020 figure.",
    )
    assert client.get(f"/api/v1/claims/{claim.id}/").json()["note_count"] == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"text": "   "}, "text"), ({}, "text"), ({"text": "x", "colour": "red"}, "colour")],
)
def test_a_bad_note_is_a_400_naming_the_field_and_writes_nothing(payload, field):
    claim = ClaimFactory()
    response = client_for(editor()).post(
        f"/api/v1/claims/{claim.id}/notes/", payload, format="json"
    )
    assert response.status_code == 400 and field in response.json()
    assert not ClaimNote.objects.exists()


def test_the_note_rule_refuses_empty_text_whatever_the_door():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.note_create(claim=ClaimFactory(), actor=editor(), text=" \n ")
    assert error.value.message_dict == {"text": [note_rules.NOTE_EMPTY]}


@pytest.mark.parametrize("role", ROLES)
def test_notes_need_the_editor_role(role):
    claim = ClaimFactory()
    client = client_for(user_for(role))
    reading = client.get(f"/api/v1/claims/{claim.id}/notes/")
    writing = client.post(f"/api/v1/claims/{claim.id}/notes/", {"text": "hi"}, format="json")
    if ROLE_RANK[role] >= ROLE_RANK["editor"]:
        assert (reading.status_code, writing.status_code) == (200, 201)
    else:
        expected = 401 if role == "anonymous" else 403
        assert (reading.status_code, writing.status_code) == (expected, expected)
        assert not ClaimNote.objects.exists()


def test_notes_list_runs_a_fixed_number_of_queries(django_assert_num_queries):
    claim = ClaimFactory()
    ed = editor()
    for n in range(30):
        services.note_create(claim=claim, actor=ed, text=f"note {n}")
    client = client_for(ed)
    # token + user + role groups, the claim, count, the notes with their authors and
    # transitions
    with django_assert_num_queries(4):
        response = client.get(f"/api/v1/claims/{claim.id}/notes/?page_size=30")
    assert len(response.json()["results"]) == 30


def test_a_claim_says_what_the_requesting_user_may_do_with_it():
    claim = ClaimFactory(status="in_review")
    as_editor = client_for(editor()).get(f"/api/v1/claims/{claim.id}/").json()
    as_reviewer = client_for(reviewer()).get(f"/api/v1/claims/{claim.id}/").json()
    assert as_editor["allowed_transitions"] == []
    assert [t["to"] for t in as_reviewer["allowed_transitions"]] == ["approved", "draft"]
    assert as_reviewer["allowed_transitions"][1] == {
        "to": "draft",
        "label": "Send back",
        "needs_reason": True,
        "confirm": "",
    }
    assert as_editor["can_edit"] and as_reviewer["can_edit"]
    published = ClaimFactory(status="published", reviewed_at="2026-01-01T00:00:00Z")
    assert not client_for(editor()).get(f"/api/v1/claims/{published.id}/").json()["can_edit"]
