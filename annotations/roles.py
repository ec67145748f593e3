"""Who may do what. Groups `editor` and `reviewer` are created by a migration; superusers
count as reviewers. `is_staff` alone is not a role: it only opens the admin's door (an editor
may be staff to work in the admin, and still may not approve).

Work nobody does by hand (imports, background jobs) acts as SYSTEM, passed explicitly: a door
that forgets its user passes None, which is refused, never given system rights."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

EDITOR_GROUP = "editor"
REVIEWER_GROUP = "reviewer"

NOT_AN_EDITOR = "Only editors and reviewers may change claims and articles."


class SystemActor:
    """The actor of imports and background jobs: passes the role checks, and is recorded in
    history as nobody."""

    is_authenticated = False
    is_active = True
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


ROLE_GROUPS = (EDITOR_GROUP, REVIEWER_GROUP)


def role_group_flags(model, user_field: str) -> dict:
    """Annotations that read whether a user is in each role group in the query that reads
    the user (authentication.py), so a request's role checks need no query of their own.
    `model` is the table of that query and `user_field` its field holding the user's id
    ("id" on users, "user" on tokens). Written as SQL: the ORM's Exists took 0.8 ms to
    build on every request, more than the query it is part of."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.models import BooleanField
    from django.db.models.expressions import RawSQL

    quote = connection.ops.quote_name
    membership = get_user_model().groups.through._meta
    user_id = f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(user_field).column)}"
    # Table and column names from the models, quoted; the group name is a parameter.
    sql = (
        f"EXISTS (SELECT 1 FROM {quote(membership.db_table)} m "  # noqa: S608
        f"JOIN {quote(Group._meta.db_table)} g "
        f"ON g.{quote(Group._meta.pk.column)} = m.{quote(membership.get_field('group').column)} "
        f"WHERE m.{quote(membership.get_field('user').column)} = {user_id} AND g.name = %s)"
    )
    return {
        f"in_{name}_group": RawSQL(sql, (name,), output_field=BooleanField())  # noqa: S611
        for name in ROLE_GROUPS
    }


def remember_role_groups(user, row) -> None:
    """Keep on `user` the role groups a row annotated with role_group_flags says it is in."""
    user._factcheck_groups = {name for name in ROLE_GROUPS if getattr(row, f"in_{name}_group")}


def _group_names(user) -> set[str]:
    # Cached on the user object: permission checks run several times per request. Users
    # read by our authentication come with it (role_group_flags).
    cached = getattr(user, "_factcheck_groups", None)
    if cached is None:
        cached = (
            set(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))
            if user.pk
            else set()
        )
        user._factcheck_groups = cached
    return cached


def is_reviewer(user) -> bool:
    if user is SYSTEM:
        return True
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or REVIEWER_GROUP in _group_names(user)


def is_editor(user) -> bool:
    """Editors and everyone above them: reviewers can do all an editor can."""
    if user is SYSTEM:
        return True
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return is_reviewer(user) or EDITOR_GROUP in _group_names(user)


def require_editor(actor, message: str = NOT_AN_EDITOR) -> None:
    if not is_editor(actor):
        raise PermissionDenied(message)


def require_reviewer(actor, message: str) -> None:
    if not is_reviewer(actor):
        raise PermissionDenied(message)


def history_user(actor):
    """Who history records as having made a change (SYSTEM is nobody)."""
    return None if actor is SYSTEM else actor
