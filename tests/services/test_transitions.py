"""The review workflow, straight through services.claim_transition: every status × every
target × every role. The doors (API, admin, editor page) are tested for reaching it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations import roles, services
from annotations.models import ClaimStatus, ClaimTransition
from annotations.services import claims as rules
from tests.factories import ClaimFactory, UserFactory, editor, reviewer, staff

pytestmark = pytest.mark.django_db

ACTORS = {
    "nobody": UserFactory,
    "staff": staff,
    "editor": editor,
    "reviewer": reviewer,
    "system": lambda: roles.SYSTEM,
}
# (from, to) → who may make the move; any other pair is not a move at all.
MOVES = {
    ("draft", "in_review"): {"editor", "reviewer", "system"},
    ("in_review", "approved"): {"reviewer", "system"},
    ("in_review", "draft"): {"reviewer", "system"},
    ("approved", "published"): {"reviewer", "system"},
    ("approved", "draft"): {"reviewer", "system"},
    ("published", "draft"): {"reviewer", "system"},
}


def test_the_table_is_the_one_the_service_holds():
    held = {(status, move.to) for status, moves in services.TRANSITIONS.items() for move in moves}
    assert held == set(MOVES)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("to", ClaimStatus.values)
@pytest.mark.parametrize("current", ClaimStatus.values)
def test_every_move_by_every_role(current, to, actor):
    reviewed = (
        {"reviewed_at": "2026-01-01T00:00:00Z"} if current in ("approved", "published") else {}
    )
    claim = ClaimFactory(status=current, ready=True, **reviewed)
    who = ACTORS[actor]()
    allowed = MOVES.get((current, to))
    reason = "Needs a second source." if to == "draft" else ""
    if allowed is None:
        with pytest.raises(ValidationError) as error:
            services.claim_transition(claim=claim, to=to, actor=who, reason=reason)
        assert "to" in error.value.message_dict
    elif actor not in allowed:
        with pytest.raises(PermissionDenied):
            services.claim_transition(claim=claim, to=to, actor=who, reason=reason)
    else:
        moved = services.claim_transition(claim=claim, to=to, actor=who, reason=reason)
        assert moved.status == to
        step = ClaimTransition.objects.get(claim=claim)
        assert (step.from_status, step.to_status) == (current, to)
        return
    claim.refresh_from_db()
    assert claim.status == current and not ClaimTransition.objects.exists()


def test_sending_back_without_a_reason_is_refused_and_names_the_reason():
    claim = ClaimFactory(status="in_review")
    with pytest.raises(ValidationError) as error:
        services.claim_transition(claim=claim, to="draft", actor=reviewer())
    assert error.value.message_dict == {"reason": [rules.REASON_REQUIRED]}


@pytest.mark.parametrize(
    ("user", "status", "expected"),
    [
        (editor, "draft", ["in_review"]),
        (editor, "in_review", []),
        (reviewer, "in_review", ["approved", "draft"]),
        (reviewer, "published", ["draft"]),
        (UserFactory, "draft", []),
    ],
)
def test_what_the_editor_page_offers_is_the_table_for_that_user(user, status, expected):
    claim = ClaimFactory.build(status=status)
    offered = [move.to for move in services.claim_transitions_for(claim=claim, user=user())]
    assert offered == expected


def test_published_claims_are_editable_by_reviewers_only():
    claim = ClaimFactory.build(status="published")
    assert services.claim_can_edit(claim=claim, user=reviewer())
    assert not services.claim_can_edit(claim=claim, user=editor())
    assert services.claim_can_edit(claim=ClaimFactory.build(status="draft"), user=editor())
