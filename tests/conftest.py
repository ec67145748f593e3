import os
from pathlib import Path

import pytest

from tests import factories

SHARED_DIR = Path(
    os.environ.get("FACTCHECK_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared")
)
SEED_ARTICLE = SHARED_DIR / "seed" / "000_a2c1c103720e1212.txt"


@pytest.fixture
def editor_user(db):
    return factories.editor()


@pytest.fixture
def reviewer_user(db):
    return factories.reviewer()


@pytest.fixture
def staff_user(db):
    return factories.staff()


@pytest.fixture
def seed_article_path():
    if not SEED_ARTICLE.exists():
        pytest.fail(f"the shared seed article is missing: {SEED_ARTICLE}")
    return SEED_ARTICLE


def database_url_of(connection) -> str:
    """A DATABASE_URL that points another process at the database this test uses."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(config['NAME']).resolve()}"
    auth = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    return f"postgres://{auth}@{config['HOST']}:{config['PORT'] or 5432}/{config['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real `celery worker` process on the configured broker, reading this test's database.

    It listens on a queue of its own, so a worker left running by `make run` never steals
    the test's messages. Yields the queue name and the Popen handle."""
    import os
    import subprocess
    import sys
    import uuid

    from django.db import connection

    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {**os.environ, "DATABASE_URL": database_url_of(connection)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "factcheck",
            "worker",
            "-Q",
            queue,
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            f"--hostname={queue}@%h",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield queue, worker
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        print(output[-4000:])


def wait_until(predicate, timeout=60.0, interval=0.2):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
