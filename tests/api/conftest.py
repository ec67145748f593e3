from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory, editor, reviewer, staff, superuser

ROLES = ["anonymous", "nobody", "staff", "editor", "reviewer", "superuser"]
# Staff without a group has no role: the admin's door, nothing more.
ROLE_RANK = {"anonymous": 0, "nobody": 1, "staff": 1, "editor": 2, "reviewer": 3, "superuser": 4}


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
        "superuser": superuser,
    }[role]()
