"""Budget of issue 16: export claims on PostgreSQL in each format, on newsroom-sized data
(bench/newsroom.py: articles of 2-10 KB of realistic text, 10 claims each, a source each):
seconds against PostgreSQL's own `COPY (SELECT row_to_json(...)) TO STDOUT` of the same rows
(the claim, its sources, its article's title and address, and the article's text with the
first claim of each article, as `native` carries it): at most 3x; and the export process's
peak RSS, read from outside (GNU time), at 10,000 and 100,000 claims: under 150 MB, the same
within 20 MB.

Each size lives in a database of its own (factcheck_bench_export_<claims>), filled once.

    .venv/bin/python bench/export.py [--sizes 10000,100000]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import ROOT, django_on_bench_database, median

COPY_SQL = """COPY (SELECT row_to_json(t) FROM (
    SELECT c.*, (SELECT json_agg(s) FROM annotations_source s WHERE s.claim_id = c.id) AS sources,
           a.title, a.url, a.published_at,
           CASE WHEN c.id = (SELECT min(f.id) FROM annotations_claim f
                             WHERE f.article_id = c.article_id)
                THEN json_build_object('publisher', a.publisher, 'language', a.language,
                                       'body', a.body) END AS article
    FROM annotations_claim c JOIN annotations_article a ON a.id = c.article_id
    ORDER BY c.id) t) TO STDOUT"""
URL = "postgres://postgres@127.0.0.1:5432/factcheck_bench_export_{count}"


# Peak RSS is read by GNU time (Debian's `time`), not from this process's wait4: a child's
# ru_maxrss includes the memory of the process it was forked from (this bench, which holds
# the generated data), so it read this bench's size, not the export's.
GNU_TIME = "/usr/bin/time"


def run_command(fmt: str, *filters: str) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of one export_claims process."""
    if not os.path.exists(GNU_TIME):
        raise SystemExit(f"{GNU_TIME} is needed to read the peak RSS: apt-get install time")
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        done = subprocess.run(
            [
                GNU_TIME,
                "--format",
                "%M",
                "--output",
                f"{folder}/rss",
                sys.executable,
                "manage.py",
                "export_claims",
                "--format",
                fmt,
                "--output",
                f"{folder}/out.json",
                *filters,
            ],
            cwd=ROOT,
            env=os.environ,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        seconds = time.perf_counter() - began
        if done.returncode:
            raise SystemExit(f"export_claims --format {fmt} failed ({done.returncode})")
        peak = int(Path(folder, "rss").read_text().split()[-1])
    return seconds, peak


def copy_rows(connection) -> float:
    with connection.cursor() as cursor, tempfile.TemporaryFile() as sink:
        began = time.perf_counter()
        with cursor.copy(COPY_SQL) as copy:
            for data in copy:
                sink.write(data)
        return time.perf_counter() - began


def one_size(count: int) -> None:
    """Runs in a process of its own, on the size's own database."""
    django_on_bench_database(URL.format(count=count))
    sys.path.insert(0, str(ROOT))
    from django.db import connection
    from newsroom import newsroom

    newsroom(articles=count // 10, claims_per_article=10, tag=f"export{count}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    copy_seconds = [copy_rows(connection) for _ in range(3)]
    copy_median = median(copy_seconds)
    print(
        f"{count:,} claims on {count // 10:,} articles: COPY row_to_json median "
        f"{copy_median:.2f} s (min {min(copy_seconds):.2f}, max {max(copy_seconds):.2f})"
    )
    # The same command exporting nothing: Django's start-up, paid once per export.
    empty = [run_command("native", "--since", "2999-01-01") for _ in range(3)]
    startup = median([r[0] for r in empty])
    print(
        f"  export_claims start-up (no rows): {startup:.2f} s, peak RSS "
        f"{max(r[1] for r in empty) / 1024:.0f} MB"
    )
    for fmt in ("native", "native-jsonl", "claimreview", "w3c"):
        runs = [run_command(fmt) for _ in range(3)]
        seconds = median([r[0] for r in runs])
        peak_mb = max(r[1] for r in runs) / 1024
        print(
            f"  {fmt:12} median {seconds:.2f} s (min {min(r[0] for r in runs):.2f}, max "
            f"{max(r[0] for r in runs):.2f}); {seconds / copy_median:.1f}x COPY "
            f"(budget 3x), {(seconds - startup) / copy_median:.1f}x without the start-up; "
            f"peak RSS {peak_mb:.0f} MB (budget < 150)"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_size(args.one)
        return
    for count in (int(size) for size in args.sizes.split(",")):
        subprocess.run([sys.executable, __file__, "--one", str(count)], check=True)


if __name__ == "__main__":
    main()
