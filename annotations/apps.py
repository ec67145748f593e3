from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _ensure_defaults(sender, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    from .defaults import ensure_default_verdicts, ensure_role_groups
    from .models import Verdict

    ensure_default_verdicts(Verdict)
    ensure_role_groups(Group, Permission)


def iso_dates(sender, connection, **kwargs) -> None:
    """PostgreSQL prints dates in ISO 8601 on our connections whatever the server's DateStyle:
    the exports and the claims list read dates as the database's text (records.py)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET DateStyle = 'ISO, MDY'")


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Fact-checking"

    def ready(self) -> None:
        # After every migrate and every test flush; auth's own handler (permissions) runs
        # first because auth comes before us in INSTALLED_APPS.
        post_migrate.connect(_ensure_defaults, sender=self)
        connection_created.connect(iso_dates)
