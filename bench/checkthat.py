"""Ranking quality on CLEF CheckThat! 2020 task 2 (verified claim retrieval), dev split.

The 10,373 earlier fact-checks are imported with `import_articles --archive` (title = the
fact-check's title, body = the claim as checked, which is also its prior claim), then every
dev tweet goes through `find_related`, the same code the job uses. Prints import throughput,
MAP@5, MRR and recall@10. Reference: plain Okapi BM25 over title + claim, MAP@5 ~ 0.68.

    .venv/bin/python bench/checkthat.py                      # PostgreSQL (BENCH_DATABASE_URL)
    .venv/bin/python bench/checkthat.py --database sqlite:///var/bench-checkthat.sqlite3
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=None, help="default: BENCH_DATABASE_URL")
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    args = parser.parse_args()
    default = "postgres://postgres@127.0.0.1:5432/factcheck_bench_checkthat"
    url = django_on_bench_database(args.database or default)
    sys.path.insert(0, str(ROOT))
    from django.core.management import call_command
    from django.db import connection

    from annotations.models import Article
    from annotations.search import find_related

    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "checkthat.jsonl"
        lines = write_archive(archive)
        began = time.perf_counter()
        out, err = StringIO(), StringIO()
        call_command("import_articles", str(archive), "--archive", stdout=out, stderr=err)
        import_seconds = time.perf_counter() - began
    print(f"database: {url} ({connection.vendor})")
    print(
        f"import: {lines} fact-checks in {import_seconds:.1f} s "
        f"({lines / import_seconds:.0f} lines/s; {out.getvalue().strip()})"
    )

    from annotations.search import refresh_statistics

    refresh_statistics()  # as after any import that created articles
    vclaim_of = {
        a_id: u.rsplit("/", 1)[1]
        for a_id, u in Article.objects.filter(url__startswith=URL.format("")).values_list(
            "id", "url"
        )
    }
    gold = {}
    for tweet_id, _, vclaim_id, _ in (
        line.split()
        for line in (DATA / args.split / "tweet-vclaim-pairs.qrels").read_text().splitlines()
        if line.strip()
    ):
        gold.setdefault(tweet_id, set()).add(vclaim_id)
    tweets = [(row[0], row[1]) for row in read_tsv(DATA / args.split / "tweets.queries.tsv")]

    ap5, rr, r10, times = [], [], [], []
    for tweet_id, text in tweets:
        began = time.perf_counter()
        matches = find_related(text, limit=20)
        times.append(time.perf_counter() - began)
        ranked = [vclaim_of.get(m.article_id) for m in matches]
        relevant = gold.get(tweet_id, set())
        ap5.append(average_precision_at(ranked, relevant, 5))
        first = next((i for i, item in enumerate(ranked, 1) if item in relevant), None)
        rr.append(1 / first if first else 0.0)
        r10.append(len(relevant & set(ranked[:10])) / len(relevant))
    n = len(tweets)
    times.sort()
    print(
        f"{args.split}: {n} tweets; MAP@5 {sum(ap5) / n:.4f}  MRR {sum(rr) / n:.4f}  "
        f"recall@10 {sum(r10) / n:.4f}  (plain BM25 reference: MAP@5 ~ 0.68)"
    )
    print(
        f"search time per tweet: median {times[n // 2] * 1000:.1f} ms, "
        f"p95 {times[int(n * 0.95)] * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
