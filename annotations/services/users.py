"""Accounts the record needs that nobody signed up for."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError


def user_for_attribution(*, username: str, field: str = "created_by"):
    """The account of that name; attribution is kept by creating an inactive account, without
    a password or a role, when this instance has none. Returns (user, created). The name must
    be one Django accepts for a user name (length, characters); ValidationError names `field`
    otherwise."""
    model = get_user_model()
    user = model.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = model(username=username, is_active=False)
    user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise ValidationError({field: error.message_dict.get("username", error.messages)}) from None
    user.save()
    return user, True
