from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import CommandError, call_command

from annotations import roles
from tests.factories import UserFactory, editor, reviewer, staff, superuser

pytestmark = pytest.mark.django_db


def test_role_groups_exist_with_their_permissions():
    editor_perms = set(
        Group.objects.get(name="editor").permissions.values_list("codename", flat=True)
    )
    reviewer_perms = set(
        Group.objects.get(name="reviewer").permissions.values_list("codename", flat=True)
    )
    assert {"add_claim", "change_claim", "add_source"} <= editor_perms
    assert "delete_article" not in editor_perms
    assert editor_perms < reviewer_perms


def test_who_counts_as_editor_and_reviewer():
    assert roles.is_editor(editor()) and not roles.is_reviewer(editor())
    assert roles.is_editor(reviewer()) and roles.is_reviewer(reviewer())
    assert roles.is_reviewer(superuser())
    assert not roles.is_editor(staff())  # admin access is not a role
    assert not roles.is_reviewer(editor(is_staff=True))  # admin access is not a role
    assert not roles.is_editor(UserFactory())
    assert not roles.is_editor(AnonymousUser())
    assert not roles.is_editor(editor(is_active=False))
    assert not roles.is_editor(None)  # a door that forgot its user gets no rights
    assert roles.is_reviewer(roles.SYSTEM)  # imports and jobs act as SYSTEM, explicitly


def test_migrations_match_the_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def test_grant_role_command_gives_and_takes_roles():
    user = UserFactory(username="newhire")
    call_command("grant_role", "newhire", "reviewer", stdout=StringIO())
    user.refresh_from_db()
    assert roles.is_reviewer(user) and user.is_staff
    call_command("grant_role", "newhire", "reviewer", "--remove", stdout=StringIO())
    user = type(user).objects.get(pk=user.pk)
    assert not roles.is_reviewer(user)


def test_grant_role_names_an_unknown_user():
    with pytest.raises(CommandError, match="no user named 'ghost'"):
        call_command("grant_role", "ghost", "editor", stdout=StringIO())


@pytest.mark.parametrize("door", ["token", "session"])
def test_a_role_granted_or_taken_away_holds_from_the_next_request(door, client):
    """Authentication reads the role groups with the user (one query), never a cached copy
    from an earlier request."""
    from tests.api.conftest import client_for

    user = UserFactory(username="newhire")
    if door == "token":
        client = client_for(user)
    else:
        client.force_login(user)
    assert client.get("/api/v1/verdicts/").status_code == 403
    call_command("grant_role", "newhire", "editor", stdout=StringIO())
    assert client.get("/api/v1/verdicts/").status_code == 200
    call_command("grant_role", "newhire", "editor", "--remove", stdout=StringIO())
    assert client.get("/api/v1/verdicts/").status_code == 403
    call_command("grant_role", "newhire", "reviewer", stdout=StringIO())
    assert client.get("/api/v1/verdicts/").status_code == 200
    assert client.delete("/api/v1/articles/999999/").status_code == 404  # a reviewer's door
