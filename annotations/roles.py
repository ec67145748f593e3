"""Who may do what. Groups `editor` and `reviewer` are created by a migration; superusers
count as reviewers. `is_staff` alone is not a role: it only opens the admin's door (an editor
may be staff to work in the admin, and still may not approve).

Work nobody does by hand (imports, background jobs) acts as SYSTEM, passed explicitly: a door
that forgets its user passes None, which is refused, never given system rights."""

from __future__ import annotations

from functools import cache

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


def user_by_token(key: str):
    """The active or inactive user whose API token is `key`, with its role groups, or None."""
    return _with_role_groups(key, by_token=True)


def user_by_id(user_id):
    """The user with id `user_id` (a session's), with its role groups, or None."""
    return _with_role_groups(user_id, by_token=False)


def _with_role_groups(value, *, by_token: bool):
    """The user a token's key or an id names, with the role groups it is in remembered on it,
    in one query, or None. Every API request and page checks a role, and Django and DRF would
    take two queries (the user, then its groups). Written as SQL run through the user model's
    raw(): the ORM took 0.8 ms to build the query with its group flags on every request, four
    times what the query takes (issue 16)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    sql = _user_sql(connection.vendor, by_token=by_token)
    rows = list(get_user_model()._default_manager.raw(sql, [*ROLE_GROUPS, value]))
    if not rows:
        return None
    user = rows[0]
    user._factcheck_groups = {name for name in ROLE_GROUPS if getattr(user, f"in_{name}_group")}
    return user


@cache
def _user_sql(vendor: str, *, by_token: bool) -> str:
    """The statement of _with_role_groups on the database engine `vendor`: names from the
    models, quoted; group names and the key or id are parameters."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from rest_framework.authtoken.models import Token

    quote = connection.ops.quote_name
    user = get_user_model()._meta
    membership = user.model.groups.through._meta
    user_id = f"u.{quote(user.pk.column)}"
    columns = ", ".join(f"u.{quote(field.column)}" for field in user.concrete_fields)
    flags = ", ".join(
        f"EXISTS (SELECT 1 FROM {quote(membership.db_table)} m "  # noqa: S608
        f"JOIN {quote(Group._meta.db_table)} g "
        f"ON g.{quote(Group._meta.pk.column)} = m.{quote(membership.get_field('group').column)} "
        f"WHERE m.{quote(membership.get_field('user').column)} = {user_id} AND g.name = %s) "
        f"AS in_{name}_group"
        for name in ROLE_GROUPS
    )
    if by_token:
        token = Token._meta
        source = (
            f"{quote(user.db_table)} u JOIN {quote(token.db_table)} t "
            f"ON t.{quote(token.get_field('user').column)} = {user_id} "
            f"WHERE t.{quote(token.pk.column)} = %s"
        )
    else:
        source = f"{quote(user.db_table)} u WHERE {user_id} = %s"
    return f"SELECT {columns}, {flags} FROM {source}"  # noqa: S608


def _group_names(user) -> set[str]:
    # Cached on the user object: permission checks run several times per request. Users
    # read by our authentication come with it (user_by_token, user_by_id).
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
