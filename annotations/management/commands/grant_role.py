from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from annotations import roles

ROLES = [roles.EDITOR_GROUP, roles.REVIEWER_GROUP]


class Command(BaseCommand):
    help = (
        "Give a user the editor or reviewer role (reviewers also get admin access), or "
        "take it away with --remove."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=ROLES)
        parser.add_argument("--remove", action="store_true")

    def handle(self, *args, username: str, role: str, remove: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        group = Group.objects.get(name=role)
        if remove:
            user.groups.remove(group)
            self.stdout.write(f"{username} is no longer {role}.")
            return
        user.groups.add(group)
        if role == roles.REVIEWER_GROUP and not user.is_staff:
            user.is_staff = True  # reviewers work in the admin
            user.save(update_fields=["is_staff"])
        self.stdout.write(f"{username} is now {role}.")
