"""The Celery app; `shared_task`s in installed apps bind to it. The worker logs through
Django's LOGGING (Celery's own logging setup is replaced, as cookiecutter-django does), and
the filesystem broker's folders are created here, where the broker is used."""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def make_broker_folders(sender, **kwargs) -> None:
    from .env import broker_folders

    for folder in broker_folders(sender.conf.broker_transport_options or {}):
        folder.mkdir(parents=True, exist_ok=True)


@setup_logging.connect
def configure_logging(*args, **kwargs) -> None:
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
