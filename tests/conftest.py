import os
from pathlib import Path

import pytest

from tests import factories

SHARED_DIR = Path(
    os.environ.get("FACTCHECK_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared")
)
SEED_ARTICLE = SHARED_DIR / "seed" / "000_a2c1c103720e1212.txt"
# The project's own sample article (emoji, CRLF line ends, typographic quotes, a combining
# accent): what tests that need a real article use, on any clone.
SAMPLE_ARTICLE = Path(__file__).resolve().parent / "data" / "valley-jobs.txt"


def pytest_configure(config):
    """The suite's SQLite file and broker folders live in var/, which settings never create."""
    from django.conf import settings

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def fresh_dense_index():
    """Each test's rolled-back database may reuse ids: the in-memory vector index of one test
    must not answer in the next."""
    from annotations.search import dense

    dense.forget_indexes()
    yield
    dense.forget_indexes()


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
def editor_client(editor_user):
    from tests.api.conftest import client_for

    return client_for(editor_user)


@pytest.fixture
def reviewer_client(reviewer_user):
    from tests.api.conftest import client_for

    return client_for(reviewer_user)


@pytest.fixture
def sample_article_path():
    return SAMPLE_ARTICLE


@pytest.fixture
def seed_article_path():
    """The article the product was specified with, beside the repository in ../shared/ (CI
    has it). Tests of it add cases; a clone without it skips them, saying so."""
    if not SEED_ARTICLE.exists():
        pytest.skip(f"the shared seed article is not beside this clone: {SEED_ARTICLE}")
    return SEED_ARTICLE


def database_url_of(connection) -> str:
    """A DATABASE_URL that points another process at the database this test uses."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(config['NAME']).resolve()}"
    auth = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    return f"postgres://{auth}@{config['HOST']}:{config['PORT'] or 5432}/{config['NAME']}"


@pytest.fixture
def worker_env():
    """Extra environment for the worker process a test starts."""
    return {}


def start_worker(queue: str, extra_env: dict):
    """A real `celery worker` process on the queue, reading this test's database."""
    import subprocess
    import sys

    from django.db import connection

    env = {**os.environ, "DATABASE_URL": database_url_of(connection), **extra_env}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
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


def stop_worker(worker) -> None:
    import subprocess

    worker.terminate()
    try:
        output, _ = worker.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    print(output[-4000:])


@pytest.fixture
def celery_worker_process(transactional_db, worker_env):
    """A real worker on the configured broker, consuming the queue the app sends to (`make
    test` makes it one of the run's own). Yields the queue name and the Popen handle."""
    from django.conf import settings

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    # Jobs queued by earlier tests that ran no worker name rows long gone: a worker started
    # behind them spent the test's time on hundreds of no-ops (each new article queues two).
    purge_queue(queue)
    worker = start_worker(queue, worker_env)
    try:
        yield queue, worker
    finally:
        stop_worker(worker)


def wait_until(predicate, timeout=60.0, interval=0.2):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def purge_queue(queue: str) -> None:
    """Drop the jobs waiting in this run's own queue (never the real one)."""
    from factcheck.celery import app

    if queue == "factcheck":
        return  # not a run of its own (pytest called directly): leave the real queue alone
    try:
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(queue)
    except Exception as error:  # the broker may never have seen the queue
        print(f"could not purge {queue}: {error}")


@pytest.fixture(scope="session", autouse=True)
def purge_test_queue(django_db_blocker):
    """Jobs queued by tests that ran no worker are dropped at the end, not left behind."""
    yield
    from django.conf import settings

    purge_queue(settings.CELERY_TASK_DEFAULT_QUEUE)
