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


def _group_names(user) -> set[str]:
    # Cached on the user object: permission checks run several times per request.
    cached = getattr(user, "_factcheck_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) if user.pk else set()
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
