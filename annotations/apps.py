from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_defaults(sender, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    from .defaults import ensure_default_verdicts, ensure_role_groups
    from .models import Verdict

    ensure_default_verdicts(Verdict)
    ensure_role_groups(Group, Permission)


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Fact-checking"

    def ready(self) -> None:
        # After every migrate and every test flush; auth's own handler (permissions) runs
        # first because auth comes before us in INSTALLED_APPS.
        post_migrate.connect(_ensure_defaults, sender=self)
