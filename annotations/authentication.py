"""Authentication that reads a user's role groups with the user: one query where Django and
DRF take two (the user, then its groups when a role is first checked). Every API request and
page checks a role, so this is a query less on each."""

from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import roles


class RoleModelBackend(ModelBackend):
    """Django's ModelBackend; the signed-in user of a session comes with its role groups."""

    def get_user(self, user_id):
        user = roles.user_by_id(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        return user


class RoleTokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, with the token's user's role groups in the same query."""

    def authenticate_credentials(self, key):
        user = roles.user_by_token(key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        # The token as `request.auth`, with the user it belongs to; its creation time is
        # read only if asked for (nothing here does).
        model = self.get_model()
        token = model.from_db(connection.alias, ["key", "user_id"], [key, user.pk])
        token.user = user
        return user, token
