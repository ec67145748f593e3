"""Ranking quality on CLEF CheckThat! 2020 task 2 (verified claim retrieval), dev split.

The 10,373 earlier fact-checks are imported with `import_articles --archive` (title = the
fact-check's title, body = the claim as checked, which is also its prior claim), then every
dev tweet goes through `find_related`, the same code the job uses. Prints import (and
embedding) throughput, MAP@5, MRR, recall@10, MAP@5 as editors see it (near-duplicates folded
under the best-ranked, a match counting when it or one folded under it is relevant), and
MAP@5 with near-duplicate fact-checks collapsed (the archive checked some claims twice: two
fact-checks whose claims' vectors have cosine >= NEAR_DUPLICATE count as one, on both sides of
the measure). --weights sweeps the
hybrid's lexical weight; --split train checks that dev figures were not tuned into luck.
Reference: plain Okapi BM25 over title + claim, MAP@5 ~ 0.68.

    .venv/bin/python bench/checkthat.py                      # PostgreSQL (BENCH_DATABASE_URL)
    .venv/bin/python bench/checkthat.py --database sqlite:///$PWD/var/bench-checkthat.sqlite3
    .venv/bin/python bench/checkthat.py --weights 0 0.1 0.25 0.4 1
"""

import argparse
import csv
import json
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

from _setup import ROOT, django_on_bench_database

DATA = ROOT.parent / "shared" / "bench-data" / "checkthat2020"
URL = "https://checkthat.example/vclaim/{}"


def read_tsv(path):
    csv.field_size_limit(10**7)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[1:]


def write_archive(path):
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for row in read_tsv(DATA / "verified_claims.docs.tsv"):
            vclaim_id, vclaim = row[0], row[1].strip()
            title = row[2].strip() if len(row) > 2 and row[2].strip() else vclaim[:120]
            if not vclaim:
                continue
            record = {
                "title": title,
                "body": vclaim,
                "url": URL.format(vclaim_id),
                "publisher": "Snopes (CheckThat! 2020)",
                "claims": [{"claim": vclaim}],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def average_precision_at(ranked, relevant, k):
    hits, total = 0, 0.0
    for rank, item in enumerate(ranked[:k], start=1):
        if item in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), k)


def near_duplicate_groups(vclaim_of):
    """vclaim id -> the smallest vclaim id of its group of near-identical fact-checks (by the
    stored vectors of their claims; union-find over pairs at cosine >= NEAR_DUPLICATE)."""
    import numpy as np

    from annotations.models import SearchVector
    from annotations.search.grouping import NEAR_DUPLICATE

    rows = list(
        SearchVector.objects.filter(claim__isnull=False, article_id__in=list(vclaim_of))
        .order_by("article_id")
        .values_list("article_id", "vector")
    )
    names = [vclaim_of[article_id] for article_id, _ in rows]
    matrix = np.stack([np.frombuffer(bytes(blob), dtype="<f2") for _, blob in rows]).astype(
        np.float32
    )
    parent = list(range(len(names)))

    def root(n):
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for start in range(0, len(names), 1000):
        block = matrix[start : start + 1000] @ matrix.T
        for i, j in zip(*np.nonzero(block >= NEAR_DUPLICATE), strict=True):
            a, b = root(start + i), root(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups = {}
    for n, name in enumerate(names):
        groups.setdefault(root(n), []).append(name)
    return {name: min(members) for members in groups.values() for name in members}


def collapse(ranked, group):
    seen, out = set(), []
    for item in ranked:
        key = group.get(item, item)
        if key not in seen:
            seen.add(key)
            out.append(key)
    return out


def evaluate(tweets, gold, vclaim_of, group, weight=None):
    from annotations.search import base, find_related

    if weight is not None:
        base.LEXICAL_WEIGHT = weight
    ap5, ap5_collapsed, ap5_folded, rr, r10, times = [], [], [], [], [], []
    for tweet_id, text in tweets:
        began = time.perf_counter()
        matches = find_related(text, limit=20)
        times.append(time.perf_counter() - began)
        ranked = [vclaim_of.get(m.article_id) for m in matches]
        relevant = gold.get(tweet_id, set())
        ap5.append(average_precision_at(ranked, relevant, 5))
        # As editors see it: a match counts when it or one folded under it is relevant.
        folded = [
            next(
                (
                    vclaim_of.get(item.article_id)
                    for item in (m, *m.also_checked)
                    if vclaim_of.get(item.article_id) in relevant
                ),
                vclaim_of.get(m.article_id),
            )
            for m in find_related(text, limit=20, fold_near_duplicates=True)
        ]
        ap5_folded.append(average_precision_at(folded, relevant, 5))
        ap5_collapsed.append(
            average_precision_at(collapse(ranked, group), {group.get(r, r) for r in relevant}, 5)
        )
        first = next((i for i, item in enumerate(ranked, 1) if item in relevant), None)
        rr.append(1 / first if first else 0.0)
        r10.append(len(relevant & set(ranked[:10])) / len(relevant))
    n = len(tweets)
    times.sort()
    return {
        "MAP@5": sum(ap5) / n,
        "MRR": sum(rr) / n,
        "recall@10": sum(r10) / n,
        "MAP@5 collapsed": sum(ap5_collapsed) / n,
        "MAP@5 folded": sum(ap5_folded) / n,
        "median ms": times[n // 2] * 1000,
        "p95 ms": times[int(n * 0.95)] * 1000,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=None, help="default: BENCH_DATABASE_URL")
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    parser.add_argument("--weights", type=float, nargs="*", help="lexical weights to compare")
    parser.add_argument(
        "--pg-rank",
        nargs="*",
        help="PostgreSQL lexical scores to compare (SQL over a.search_vector and q.query), "
        "e.g. 'ts_rank(a.search_vector, q.query, 1)' 'ts_rank_cd(a.search_vector, q.query)'",
    )
    args = parser.parse_args()
    default = "postgres://postgres@127.0.0.1:5432/factcheck_bench_checkthat"
    url = django_on_bench_database(args.database or default)
    sys.path.insert(0, str(ROOT))
    from django.core.management import call_command
    from django.db import connection

    from annotations.models import Article

    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "checkthat.jsonl"
        lines = write_archive(archive)
        began = time.perf_counter()
        out, err = StringIO(), StringIO()
        call_command("import_articles", str(archive), "--archive", stdout=out, stderr=err)
        import_seconds = time.perf_counter() - began
    print(f"database: {url} ({connection.vendor})")
    print(
        f"import + embedding: {lines} fact-checks in {import_seconds:.1f} s "
        f"({lines / import_seconds:.0f} lines/s; {out.getvalue().strip()})"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # this PostgreSQL runs no autovacuum
            cursor.execute("ANALYZE")

    vclaim_of = {
        a_id: u.rsplit("/", 1)[1]
        for a_id, u in Article.objects.filter(url__startswith=URL.format("")).values_list(
            "id", "url"
        )
    }
    group = near_duplicate_groups(vclaim_of)
    from annotations.search.grouping import NEAR_DUPLICATE

    print(
        f"near-duplicate groups (cosine >= {NEAR_DUPLICATE}): "
        f"{sum(1 for v in set(group.values()) if list(group.values()).count(v) > 1)} groups "
        f"holding {sum(1 for k, v in group.items() if list(group.values()).count(v) > 1)} "
        "fact-checks"
    )
    gold = {}
    for tweet_id, _, vclaim_id, _ in (
        line.split()
        for line in (DATA / args.split / "tweet-vclaim-pairs.qrels").read_text().splitlines()
        if line.strip()
    ):
        gold.setdefault(tweet_id, set()).add(vclaim_id)
    tweets = [(row[0], row[1]) for row in read_tsv(DATA / args.split / "tweets.queries.tsv")]
    for text in (t for _, t in tweets[:5]):  # load the model and the vectors
        evaluate([("warm", text)], {"warm": {"none"}}, vclaim_of, group)
    runs = [(weight, None) for weight in args.weights or [None]]
    if args.pg_rank:
        runs = [(weight, rank) for rank in args.pg_rank for weight, _ in runs]
    for weight, rank in runs:
        if rank:
            from annotations.search import postgres

            postgres.RANK = rank
        figures = evaluate(tweets, gold, vclaim_of, group, weight)
        label = f"lexical weight {weight}: " if weight is not None else ""
        label += f"rank {rank}: " if rank else ""
        print(
            f"{args.split}: {len(tweets)} tweets; {label}"
            + "  ".join(
                f"{name} {value:.4f}" for name, value in figures.items() if "ms" not in name
            )
            + f"  (search incl. query encoding: median {figures['median ms']:.1f} ms, "
            f"p95 {figures['p95 ms']:.1f} ms)"
        )


if __name__ == "__main__":
    main()
