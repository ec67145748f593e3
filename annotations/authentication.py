"""Authentication that reads a user's role groups with the user: one query where Django and
DRF take two (the user, then its groups when a role is first checked). Every API request and
page checks a role, so this is a query less on each."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import roles


class RoleModelBackend(ModelBackend):
    """Django's ModelBackend; the signed-in user of a session comes with its role groups."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(**roles.role_group_flags("pk"))
        user = users.filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        roles.remember_role_groups(user, user)
        return user


class RoleTokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, with the token's user's role groups in the same query."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        token = (
            model.objects.select_related("user")
            .annotate(**roles.role_group_flags("user_id"))
            .filter(key=key)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        roles.remember_role_groups(token.user, token)
        return token.user, token
