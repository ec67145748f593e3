# ruff: noqa: E402 (gevent must patch the standard library before the other imports)
"""The desk under load: simulated editors against the production stack on this machine.

gunicorn (gunicorn.conf.py) + PostgreSQL + Redis + a real Celery worker with its beat. Each
editor logs in, opens the article list, their desk and an article, marks claims (each queues a
related-coverage job), edits them, sends them to review and polls their related coverage; an
integrator exports. Half-way through, the worker is killed with SIGKILL (main process and
pool, as when a machine goes) and started again. At the end: requests/s, errors and
p50/p95/p99 per kind of request, then the jobs left `running` or `queued` once the broker's
visibility timeout and the sweep's resend have passed, and duplicate matches (all must be 0).

    python bench/load.py [--users 50] [--seconds 120] [--kill-at 60]

Budget (issue 15): 0 errors; p99 < 500 ms for page and API reads, < 1 s for writes.
Needs PostgreSQL and Redis on loopback: BENCH_DATABASE_URL (default factcheck_load, wiped),
BENCH_BROKER_URL (default redis://127.0.0.1:6379/3)."""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()  # locust runs on gevent: patch before anything opens a socket

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck_load"
)
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/3")
PORT = int(os.environ.get("BENCH_PORT", "8931"))
PASSWORD = "load test passphrase"
# A short time limit so the visibility timeout (2 x limit + 10 s) passes soon after the run,
# and a short wait before the sweep (run by the worker's beat every minute) sends a lost
# message again.
TIME_LIMIT = 20
RESEND_AFTER = 60
SWEEP_EVERY = 60
WRITES = {"create claim", "edit claim", "send to review", "log in"}
# Editors arrive SPAWN_RATE a second and log in: a login checks a password hash on purpose
# slowly (PBKDF2, ~0.24 s of a core here), so 10 a second on two cores queued every request
# behind the hashing (log in p50 5.9 s); 2 a second, 50 editors in 25 s, is a busy morning.
SPAWN_RATE = 2


def stack_env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": "factcheck-load",
        "COVERAGE_SEARCH_TIME_LIMIT": str(TIME_LIMIT),
        "COVERAGE_SEARCH_RESEND_AFTER": str(RESEND_AFTER),
        "FACTCHECK_VAR_DIR": str(Path(tempfile.gettempdir()) / "factcheck-load"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "AXES_FAILURE_LIMIT": "1000",
        "PORT": str(PORT),
        "LOG_LEVEL": "WARNING",
    }


def manage(*args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=stack_env(),
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


SETUP = """
import json, random
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from annotations import roles, services
from annotations.models import Article
from bench.textgen import NewsText

text = NewsText(seed=11)
editors, _ = Group.objects.get_or_create(name=roles.EDITOR_GROUP)

def make_editor(user):
    user.groups.add(editors)
    return user

accounts = []
for n in range({users}):
    user = make_editor(get_user_model().objects.create_user(f"load-{{n}}", password={password!r}))
    sentences = []
    while len(sentences) < 120:
        s = text.sentence()
        if len(s.split()) >= 6 and s not in sentences:
            sentences.append(s)
    article = services.article_create(
        title=f"Load article {{n}}", body=" ".join(sentences), actor=roles.SYSTEM
    )
    accounts.append({{"username": user.username, "article": article.id,
                      "body": article.body, "sentences": sentences}})
for n in range(200):
    services.article_create(title=text.sentence(12), body=text.text(3000), is_archive=True,
                            url=f"https://archive.example/{{n}}", actor=roles.SYSTEM)
integrator = make_editor(get_user_model().objects.create_user("load-integrator"))
from rest_framework.authtoken.models import Token
print(json.dumps({{"accounts": accounts,
                   "token": Token.objects.create(user=integrator).key}}))
"""

RESULTS = """
import json
from django.db.models import Count
from annotations.models import CoverageMatch, CoverageSearch
by_status = dict(CoverageSearch.objects.values_list("status").annotate(n=Count("id")))
duplicates = (CoverageMatch.objects.values("search_id", "article_id", "prior_claim_id")
              .annotate(n=Count("id")).filter(n__gt=1).count())
retried = CoverageSearch.objects.filter(attempts__gt=1).count()
sent_again = CoverageSearch.objects.filter(sends__gt=1).count()
print(json.dumps({"searches": by_status, "duplicate_matches": duplicates, "retried": retried,
                  "sent_again": sent_again}))
"""


def fresh_database() -> None:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()


def start_web() -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "factcheck.wsgi", "--config", "gunicorn.conf.py",
         "--access-logfile", "/dev/null"],
        cwd=ROOT, env=stack_env(),
    )  # fmt: skip


def start_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "celery"), "-A", "factcheck", "worker", "--concurrency=2", "--beat",
         "--loglevel=WARNING", "-Q", "factcheck-load", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=stack_env(), start_new_session=True,
    )  # fmt: skip


def kill_whole(process: subprocess.Popen) -> None:
    """SIGKILL the worker's main process and its pool, as a machine that goes does."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def wait_for_web() -> None:
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/accounts/login/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_load(
    setup: dict, users: int, seconds: int, kill_at: int, worker_box: list, spawn_rate: float
):
    warm_up = users / spawn_rate + 5  # every editor has arrived and logged in
    import gevent
    from locust import HttpUser, between, task
    from locust.env import Environment

    accounts = iter(setup["accounts"])
    timings: dict[str, list[float]] = {}
    errors: dict[str, list[str]] = {}

    began = time.monotonic()
    every = {"requests": 0}

    def record(request_type, name, response_time, response_length, exception, **kwargs):
        every["requests"] += 1
        # Times count once every editor has logged in (the ramp-up's password hashing
        # queues everything behind it); logins and errors count from the start.
        if time.monotonic() - began >= warm_up or name in ("log in", "login page"):
            timings.setdefault(name, []).append(response_time)
        if exception is not None:
            errors.setdefault(name, []).append(str(exception)[:200])

    class Editor(HttpUser):
        weight = 10
        wait_time = between(0.5, 2.0)  # a person reads between clicks

        def on_start(self):
            self.me = next(accounts)
            self.unused = list(self.me["sentences"])
            self.claims: dict[int, int] = {}  # id -> version, while editable
            self.client.get("/accounts/login/", name="login page")
            self.client.post(
                "/accounts/login/",
                {
                    "username": self.me["username"],
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": self.client.cookies.get("csrftoken"),
                },
                name="log in",
            )
            self.client.headers["X-CSRFToken"] = self.client.cookies.get("csrftoken")

        @task(2)
        def article_list(self):
            self.client.get("/articles/", name="article list page")

        @task(2)
        def desk(self):
            self.client.get("/desk/", name="desk page")

        @task(3)
        def editor_page(self):
            self.client.get(f"/articles/{self.me['article']}/", name="editor page")

        @task(3)
        def list_claims(self):
            self.client.get(f"/api/v1/claims/?article={self.me['article']}", name="list claims")

        @task(4)
        def create_claim(self):
            if not self.unused:
                return
            sentence = self.unused.pop()
            start = self.me["body"].index(sentence)
            selector = {"exact": sentence, "start": start, "end": start + len(sentence)}
            with self.client.post(
                "/api/v1/claims/",
                json={"article": self.me["article"], "selector": selector, "claimant": "Mayor"},
                name="create claim",
                catch_response=True,
            ) as response:
                if response.status_code == 201:
                    claim = response.json()
                    self.claims[claim["id"]] = claim["version"]
                else:
                    response.failure(f"{response.status_code}: {response.text[:200]}")

        @task(3)
        def edit_claim(self):
            if not self.claims:
                return
            claim_id = next(iter(self.claims))
            with self.client.patch(
                f"/api/v1/claims/{claim_id}/",
                json={
                    "summary": f"Checked at {time.time():.0f}.",
                    "version": self.claims[claim_id],
                },
                name="edit claim",
                catch_response=True,
            ) as response:
                if response.status_code == 200:
                    self.claims[claim_id] = response.json()["version"]
                else:
                    response.failure(f"{response.status_code}: {response.text[:200]}")

        @task(1)
        def send_to_review(self):
            if len(self.claims) < 3:
                return
            claim_id, _ = self.claims.popitem()
            self.client.post(
                f"/api/v1/claims/{claim_id}/transition/",
                json={"to": "in_review"},
                name="send to review",
            )

        @task(4)
        def poll_related(self):
            if not self.claims:
                return
            claim_id = next(reversed(self.claims))
            with self.client.get(
                f"/api/v1/claims/{claim_id}/related/", name="poll related", catch_response=True
            ) as response:
                if response.status_code in (200, 404):  # 404: no search yet
                    response.success()

    class Integrator(HttpUser):
        weight = 1
        wait_time = between(2, 5)

        def on_start(self):
            self.client.headers["Authorization"] = f"Token {setup['token']}"

        @task
        def export(self):
            self.client.get("/api/v1/export/?format=claimreview", name="export claimreview")

    environment = Environment(user_classes=[Editor, Integrator], host=f"http://127.0.0.1:{PORT}")
    environment.events.request.add_listener(record)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=spawn_rate)

    def kill_and_restart():
        gevent.sleep(kill_at)
        print(f"[{kill_at} s] SIGKILL the worker (main process and pool), start another")
        kill_whole(worker_box[0])
        worker_box[0] = start_worker()

    gevent.spawn(kill_and_restart)
    started = time.monotonic()
    gevent.sleep(seconds)
    runner.quit()
    elapsed = time.monotonic() - started
    return timings, errors, elapsed, every["requests"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--kill-at", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=SPAWN_RATE, help="editors a second")
    args = parser.parse_args()

    print(f"database {DATABASE_URL} (wiped), broker {BROKER_URL} (flushed)")
    fresh_database()
    manage("migrate", "--verbosity", "0")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    program = SETUP.format(users=args.users + 1, password=PASSWORD)
    setup = json.loads(manage("shell", "-c", program, capture=True).strip().splitlines()[-1])
    web, worker_box = start_web(), [start_worker()]
    try:
        wait_for_web()
        timings, errors, elapsed, requests = run_load(
            setup, args.users, args.seconds, args.kill_at, worker_box, args.spawn_rate
        )
        settle = max(2 * TIME_LIMIT + 10, RESEND_AFTER) + SWEEP_EVERY + 15
        print(f"load over; waiting {settle} s for the broker and the sweep to give back lost jobs")
        time.sleep(settle)
        results = json.loads(manage("shell", "-c", RESULTS, capture=True).strip().splitlines()[-1])
    finally:
        kill_whole(worker_box[0])
        web.terminate()
        web.wait()

    total = sum(len(v) for v in timings.values())
    print(
        f"\n{args.users} editors + integrators arriving {args.spawn_rate:g} a second, "
        f"{elapsed:.0f} s ({args.users / args.spawn_rate + 5:.0f} s warm-up not timed, logins "
        f"always): {total} requests timed, "
        f"{requests / elapsed:.1f} req/s overall, {sum(len(v) for v in errors.values())} errors"
    )
    print(f"{'request':24} {'count':>6} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for name in sorted(timings):
        values = timings[name]
        budget = 1000 if name in WRITES else 500
        p99 = percentile(values, 0.99)
        print(
            f"{name:24} {len(values):6} {len(errors.get(name, [])):6} "
            f"{percentile(values, 0.5):7.0f} {percentile(values, 0.95):7.0f} {p99:7.0f}"
            + ("" if p99 < budget else f"  over the {budget} ms budget")
        )
    for name, messages in errors.items():
        print(f"errors in {name}: {sorted(set(messages))[:3]}")
    searches = results["searches"]
    print(
        f"\nrelated-coverage jobs: {searches}; retried after the kill: {results['retried']}; "
        f"sent again by the sweep: {results['sent_again']}; "
        f"left running: {searches.get('running', 0)}, left queued: {searches.get('queued', 0)}, "
        f"duplicate matches: {results['duplicate_matches']}"
    )


if __name__ == "__main__":
    main()
