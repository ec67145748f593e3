from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory, editor, reviewer, staff

ROLES = ["anonymous", "nobody", "editor", "reviewer", "staff"]


def client_for(user) -> APIClient:
    """An API client authenticated the way scripts are: `Authorization: Token ...`."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def user_for(role):
    return {
        "anonymous": lambda: None,
        "nobody": UserFactory,
        "editor": editor,
        "reviewer": reviewer,
        "staff": staff,
    }[role]()
