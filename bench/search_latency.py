"""Budgets of issues 5 and 14 on a large archive.

1. Archive: ARTICLES generated news-like articles (bench/textgen.py: sentences built from the
   words and sentence shapes of real news copy). With --import they go through
   `import_articles --archive` (articles per second, and a check that the index is current
   when it returns); by default they are bulk-inserted, which keeps the database's own index
   maintenance (generated tsvector / FTS5 triggers) but skips the per-line validation.
   Bulk-inserted articles get unit vectors drawn at random (seeded) in place of embeddings:
   the time of a scan and a fusion does not depend on the values, and embedding 100,000
   generated articles would take 15-30 minutes on this machine (quality is measured by
   bench/checkthat.py on real embeddings; --import embeds for real).
2. Search: `find_related` for 200 claim texts (new sentences from the same generator),
   including query encoding: median and p95; beside it, like for like, its parts alone: the
   query encoding, the backend's lexical query (the same SQL find_related sends), and the
   numpy scan of the same in-memory vectors. Then the process's resident size with the index
   loaded (what a worker holds).
3. Jobs (--jobs, needs CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0): one real worker;
   claims created through the service; claim created -> matches stored, median and p95.

    .venv/bin/python bench/search_latency.py [--articles 100000] [--jobs]
    .venv/bin/python bench/search_latency.py --database sqlite:///$PWD/var/bench-archive.sqlite3
Budgets (issue 14, both engines, incl. query encoding): 10k articles median < 15 ms, p95
< 40 ms; 100k median < 30 ms, p95 < 80 ms; resident size with the 100k index < 400 MB; job
latency median < 1 s. Run ANALYZE after loading (done here): this PostgreSQL has no
autovacuum, and unanalysed tables read as empty to the query pruning.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

from _setup import ROOT, django_on_bench_database, median


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def bulk_archive(count):
    from annotations.models import Article
    from bench.textgen import NewsText

    have = Article.objects.filter(url__startswith="https://archive.bench/").count()
    words = NewsText(seed=5)
    began = time.perf_counter()
    for start in range(have, count, 2000):
        Article.objects.bulk_create(
            Article(
                title=words.sentence(12),
                body=words.text(words.random.randint(600, 1400)),
                url=f"https://archive.bench/{n}",
                is_archive=True,
            )
            for n in range(start, min(count, start + 2000))
        )
    if count > have:
        print(f"bulk-inserted {count - have} articles in {time.perf_counter() - began:.0f} s")
    random_vectors()
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE annotations_article")
    from annotations.search import refresh_statistics

    began = time.perf_counter()
    refresh_statistics()  # what import_articles does after an import
    print(f"search statistics refreshed in {time.perf_counter() - began:.1f} s")


def random_vectors():
    """A seeded random unit vector for each article that has none (see the module's note)."""
    import numpy as np

    from annotations.models import Article, SearchVector
    from annotations.search.embedding import get_embedder

    embedder = get_embedder()
    missing = list(
        Article.objects.exclude(
            pk__in=SearchVector.objects.filter(model=embedder.name).values("article_id")
        ).values_list("id", flat=True)
    )
    generator = np.random.default_rng(7)
    for start in range(0, len(missing), 5000):
        chunk = missing[start : start + 5000]
        vectors = generator.standard_normal((len(chunk), embedder.dimensions))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        SearchVector.objects.bulk_create(
            SearchVector(
                article_id=article_id,
                model=embedder.name,
                digest="random",
                vector=vector.astype("<f2").tobytes(),
            )
            for article_id, vector in zip(chunk, vectors, strict=True)
        )
    if missing:
        print(f"random unit vectors for {len(missing)} articles")


WORKER_PROBE = """
import django, sys
django.setup()
from annotations.search import find_related
find_related("a claim about taxes, vaccines and the harbour bridge")
sys.stdout.write(open("/proc/self/status").read())
"""


def worker_resident_mb(url) -> float:
    """The resident size of a fresh process that has done what a worker does before its
    first search (Django, the model, the whole index), without this bench's own data."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "factcheck.settings"}
    done = subprocess.run(
        [sys.executable, "-c", WORKER_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def import_archive(count):
    from django.core.management import call_command

    from annotations.models import Article
    from bench.textgen import NewsText

    have = Article.objects.filter(url__startswith="https://archive.bench/").count()
    if have >= count:
        print(f"import: {have} archive articles already there (drop the database to re-time)")
        return
    words = NewsText(seed=5)
    marker = f"zebracrossing{count}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "archive.jsonl"
        began = time.perf_counter()
        with path.open("w") as out:
            for n in range(count):
                body = words.text(words.random.randint(600, 1400))
                if n == count - 1:
                    body += f" The last one mentions {marker}."
                out.write(
                    json.dumps(
                        {
                            "title": words.sentence(12),
                            "body": body,
                            "url": f"https://archive.bench/{n}",
                            "published_at": "2024-01-01",
                        }
                    )
                    + "\n"
                )
        print(f"generated {count} articles in {time.perf_counter() - began:.0f} s")
        began = time.perf_counter()
        call_command(
            "import_articles", str(path), "--archive", stdout=StringIO(), stderr=StringIO()
        )
        seconds = time.perf_counter() - began
    from annotations.search import find_related

    current = find_related(marker, limit=1)
    print(
        f"import: {count} articles in {seconds:.0f} s = {count / seconds:.0f} articles/s; "
        f"index current at the end: {bool(current) and current[0].url.endswith(str(count - 1))}"
    )


def search_latency(url):
    from django.db import connection

    from annotations.search import find_related, get_backend
    from annotations.search.dense import index_for
    from annotations.search.embedding import get_embedder
    from annotations.search.query import normalise, query_terms
    from bench.textgen import NewsText

    words = NewsText(seed=99)
    texts = []
    while len(texts) < 200:
        text = words.sentence(28)
        if query_terms(text):  # a sentence of stop words only asks nothing
            texts.append(text)
    began = time.perf_counter()
    find_related(texts[0])
    print(f"first search (loads the model and the vectors): {time.perf_counter() - began:.1f} s")
    for text in texts[:10]:
        find_related(text)  # warm the caches
    embedder, backend = get_embedder(), get_backend()
    index = index_for(embedder.name, embedder.dimensions)
    ours, encode, lexical, scan = [], [], [], []
    for text in texts:
        began = time.perf_counter()
        find_related(text)
        ours.append(time.perf_counter() - began)
        query = normalise(text)
        began = time.perf_counter()
        vector = embedder.embed_query(query)
        encode.append(time.perf_counter() - began)
        began = time.perf_counter()
        backend.lexical(query_terms(query), limit=200, exclude_article_id=None)
        lexical.append(time.perf_counter() - began)
        began = time.perf_counter()
        index.scores(vector).top(200)
        scan.append(time.perf_counter() - began)

    def figures(values):
        return (
            f"median {median(values) * 1000:.1f} ms, p95 {percentile(values, 0.95) * 1000:.1f} ms"
        )

    print(
        f"search ({connection.vendor}, {index.size} vectors), 200 claim texts: find_related "
        f"{figures(ours)}\n  its parts alone: query encoding {figures(encode)}; lexical top-200 "
        f"{figures(lexical)}; dense scan top-200 {figures(scan)}\n"
        f"  resident size of a fresh process after one search (a worker's): "
        f"{worker_resident_mb(url):.0f} MB (index matrix {index.matrix.nbytes / 2**20:.0f} MB)"
    )


def job_latency(url):
    from annotations import services
    from annotations.anchoring import Selector
    from annotations.models import CoverageSearch
    from bench.textgen import NewsText
    from tests.factories import ArticleFactory, editor

    env = {**os.environ, "DATABASE_URL": url}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "factcheck",
            "worker",
            "-Q",
            "bench-jobs",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(5)
        words = NewsText(seed=123)
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username="bench-jobs-editor").first() or editor(
            username="bench-jobs-editor"
        )
        article = ArticleFactory(body=words.text(2000), url=f"https://jobs.bench/{time.time()}")
        latencies = []
        for _ in range(20):
            sentence = article.body.split(". ")[1][:120]
            claim = services.claim_create(article=article, selector=Selector(sentence), actor=user)
            search = CoverageSearch.objects.get(claim=claim)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                search.refresh_from_db()
                if search.status in ("succeeded", "failed"):
                    break
                time.sleep(0.01)
            latencies.append((search.finished_at - search.queued_at).total_seconds())
        print(
            f"jobs: claim created -> matches stored, 20 claims, one worker: median "
            f"{median(latencies) * 1000:.0f} ms, worst {max(latencies) * 1000:.0f} ms"
        )
    finally:
        worker.terminate()
        worker.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=None)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--jobs", action="store_true")
    parser.add_argument("--import", dest="use_import", action="store_true")
    args = parser.parse_args()
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = "bench-jobs"  # not a running app's queue
    url = django_on_bench_database(
        args.database or "postgres://postgres@127.0.0.1:5432/factcheck_bench_archive"
    )
    sys.path.insert(0, str(ROOT))
    (import_archive if args.use_import else bulk_archive)(args.articles)
    search_latency(url)
    if args.jobs:
        job_latency(url)


if __name__ == "__main__":
    main()
