"""Who may do what. Groups `editor` and `reviewer` are created by a migration; superusers
count as reviewers. `is_staff` alone is not a role: it only opens the admin's door (an editor
may be staff to work in the admin, and still may not approve)."""

from __future__ import annotations

EDITOR_GROUP = "editor"
REVIEWER_GROUP = "reviewer"


def _group_names(user) -> set[str]:
    # Cached on the user object: permission checks run several times per request.
    cached = getattr(user, "_factcheck_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) if user.pk else set()
        user._factcheck_groups = cached
    return cached


def is_reviewer(user) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or REVIEWER_GROUP in _group_names(user)


def is_editor(user) -> bool:
    """Editors and everyone above them: reviewers can do all an editor can."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return is_reviewer(user) or EDITOR_GROUP in _group_names(user)
