from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from annotations import roles
from annotations.models import Article, Claim

pytestmark = pytest.mark.django_db


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def printed_logins(output):
    lines = output.split("Demo logins", 1)[1].splitlines()[1:]
    return dict(line.split() for line in lines if line.strip())


def test_demo_users_have_their_roles_and_printed_passwords_work(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    logins = printed_logins(load_demo())
    assert set(logins) == {"demo-editor", "demo-reviewer", "demo-admin"}
    login = RequestFactory().post("/accounts/login/")  # django-axes checks the request too
    users = {name: authenticate(login, username=name, password=pw) for name, pw in logins.items()}
    assert all(users.values())
    assert roles.is_editor(users["demo-editor"]) and not roles.is_reviewer(users["demo-editor"])
    assert roles.is_reviewer(users["demo-reviewer"])
    assert users["demo-admin"].is_superuser


def test_demo_has_articles_to_annotate_and_an_archive_with_prior_fact_checks(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    load_demo()
    assert Article.objects.filter(is_archive=False).count() >= 3
    assert Article.objects.filter(is_archive=True).count() >= 5
    assert Claim.objects.filter(article__is_archive=True, status="published").count() >= 3
    assert Claim.objects.filter(status="in_review").exists()


def test_load_demo_twice_creates_nothing_twice_and_keeps_the_logins(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first = printed_logins(load_demo())
    counts = (Article.objects.count(), Claim.objects.count(), get_user_model().objects.count())
    second = printed_logins(load_demo())
    assert (
        Article.objects.count(),
        Claim.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    assert first == second
