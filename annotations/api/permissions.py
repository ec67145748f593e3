from rest_framework.permissions import BasePermission

from annotations import roles


class IsEditor(BasePermission):
    """Editors and reviewers (superusers count as reviewers; being staff is not a role):
    everyone else is refused whatever they ask."""

    message = "You need the editor or reviewer role."

    def has_permission(self, request, view) -> bool:
        return roles.is_editor(request.user)


class IsReviewer(BasePermission):
    message = "Only reviewers may do this."

    def has_permission(self, request, view) -> bool:
        return roles.is_reviewer(request.user)
