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
        model = get_user_model()
        users = model._default_manager.annotate(**roles.role_group_flags(model, "id"))
        try:
            user = users.get(pk=user_id)
        except model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        roles.remember_role_groups(user, user)
        return user


class RoleTokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, with the token's user's role groups in the same query."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        tokens = model.objects.select_related("user").annotate(
            **roles.role_group_flags(model, "user")
        )
        try:
            token = tokens.get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        roles.remember_role_groups(token.user, token)
        return token.user, token
