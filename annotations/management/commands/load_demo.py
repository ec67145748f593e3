"""Demo users, demo articles to annotate and a small archive of prior coverage.

Safe to run again: it creates only what is missing and prints the same logins.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from annotations import roles, services
from annotations.anchoring import Selector
from annotations.imports import import_articles
from annotations.models import Article, ClaimStatus

DEMO_DIR = Path(__file__).resolve().parent.parent.parent / "demo"
DEMO_USERS = [
    # username, group, is_staff/superuser
    ("demo-editor", roles.EDITOR_GROUP, False),
    ("demo-reviewer", roles.REVIEWER_GROUP, False),
    ("demo-admin", None, True),
]


def logins_file() -> Path:
    return settings.VAR_DIR / "demo-logins.txt"


def read_logins() -> dict[str, str]:
    path = logins_file()
    if not path.exists():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    return {name: password for name, password in pairs}


def write_logins(logins: dict[str, str]) -> None:
    path = logins_file()
    path.write_text("".join(f"{name} {password}\n" for name, password in logins.items()))
    path.chmod(0o600)


class Command(BaseCommand):
    help = "Load demo users, demo articles and a small archive of prior coverage."

    def handle(self, *args, **options):
        logins = self.users()
        for path, archive in (
            (DEMO_DIR / "articles.jsonl", False),
            (DEMO_DIR / "archive.jsonl", True),
        ):
            report = import_articles(path, archive=archive)
            for where, message in report.errors:
                self.stderr.write(self.style.ERROR(f"{where}: {message}"))
            self.stdout.write(
                f"{path.name}: {report.created} new article(s), {report.existing} already there"
            )
        self.demo_claims()
        self.stdout.write("Demo logins (also in var/demo-logins.txt):")
        for name, password in logins.items():
            self.stdout.write(f"  {name:15} {password}")

    def users(self) -> dict[str, str]:
        User = get_user_model()
        logins = read_logins()
        for username, group, is_admin in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "is_staff": is_admin,
                    "is_superuser": is_admin,
                    "email": f"{username}@demo.factcheck.example",
                },
            )
            if created or username not in logins:
                logins[username] = secrets.token_urlsafe(9)
                user.set_password(logins[username])
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            if group == roles.REVIEWER_GROUP:
                # Reviewers work in the admin.
                User.objects.filter(pk=user.pk).update(is_staff=True)
        write_logins(logins)
        return logins

    @transaction.atomic
    def demo_claims(self) -> None:
        """A claim waiting for review and a draft, so every role has something to do."""
        User = get_user_model()
        editor = User.objects.get(username="demo-editor")
        reviewer = User.objects.get(username="demo-reviewer")
        wanted = [
            (
                "https://demo.factcheck.example/news/mayor-unemployment-claim",
                "Today unemployment has halved",
                "Helena Varga",
                "false",
                ClaimStatus.IN_REVIEW,
            ),
            (
                "https://demo.factcheck.example/news/riverside-flood-barrier",
                "the river has flooded the old market district every single winter for the past "
                "ten years",
                "Maria Okafor",
                "mostly-false",
                ClaimStatus.DRAFT,
            ),
        ]
        for url, quote, claimant, verdict, status in wanted:
            article = Article.objects.get(url=url)
            if article.claims.exists():
                continue
            claim = services.claim_create(
                article=article,
                selector=Selector(quote),
                claimant=claimant,
                verdict=services.verdict_lookup(verdict),
                actor=editor,
                summary="Demo claim: compare with the official figures.",
                sources=[
                    services.SourceData(
                        url="https://demo.factcheck.example/statistics/official-figures",
                        title="Official figures (demo)",
                        publisher="Demo statistics office",
                        relation="refutes",
                    )
                ],
            )
            if status == ClaimStatus.IN_REVIEW:
                services.claim_transition(claim=claim, to=status, actor=editor)
        del reviewer
