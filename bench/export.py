"""Budget of issue 7: export 100,000 claims (with sources) on PostgreSQL in each format:
claims per second against PostgreSQL's own `COPY (SELECT row_to_json(...)) TO STDOUT` of the
same rows (at most 3x), and peak RSS of the export command at 10,000 and 100,000 claims (the
same within 20 MB, under 200 MB).

    .venv/bin/python bench/export.py     # BENCH_DATABASE_URL, default factcheck_bench_export
"""

import os
import subprocess
import sys
import tempfile
import time

from _setup import ROOT, django_on_bench_database, median

SIZES = [10_000, 100_000]
COPY_SQL = """COPY (SELECT row_to_json(t) FROM (
    SELECT c.*, (SELECT json_agg(s) FROM annotations_source s WHERE s.claim_id = c.id) AS sources,
           a.title, a.url, a.published_at
    FROM annotations_claim c JOIN annotations_article a ON a.id = c.article_id
    WHERE c.article_id IN (SELECT id FROM annotations_article WHERE url LIKE %s)
    ORDER BY c.id) t) TO STDOUT"""


def fill(count: int, tag: str) -> int:
    from django.db import transaction

    from annotations.models import Article, Claim, Source, Verdict
    from tests.factories import ARTICLE_BODY

    prefix = f"https://export.bench/{tag}/"
    article = Article.objects.filter(url=prefix + "0").first()
    if article is None:
        with transaction.atomic():
            article = Article.objects.create(
                title=f"Export bench {tag}", body=ARTICLE_BODY, url=prefix + "0"
            )
            quote = "taxes fell by 10 percent last year"
            start = ARTICLE_BODY.index(quote)
            verdicts = list(Verdict.objects.all())
            for offset in range(0, count, 5000):
                claims = Claim.objects.bulk_create(
                    Claim(
                        article=article,
                        exact=quote,
                        start=start,
                        end=start + len(quote),
                        prefix=ARTICLE_BODY[start - 32 : start],
                        claimant=f"C {n}",
                        verdict=verdicts[n % len(verdicts)],
                        status="published",
                        reviewed_at="2026-01-01T00:00:00Z",
                        summary="Receipts rose. " * 5,
                    )
                    for n in range(offset, min(count, offset + 5000))
                )
                Source.objects.bulk_create(
                    Source(
                        claim=claim,
                        url=f"https://stats.example.org/{claim.id}/{k}",
                        title="Tax receipts",
                        relation="refutes",
                    )
                    for claim in claims
                    for k in range(2)
                )
    return article.id


def run_command(fmt: str, article: int, *filters: str) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of one export_claims process, read from its own rusage."""
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "export_claims",
                "--format",
                fmt,
                "--article",
                str(article),
                "--output",
                f"{folder}/out.json",
                *filters,
            ],
            cwd=ROOT,
            env=os.environ,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"export_claims --format {fmt} failed ({process.returncode})")
    return seconds, usage.ru_maxrss


def copy_rows(connection, count: int) -> float:
    with connection.cursor() as cursor, tempfile.TemporaryFile() as sink:
        began = time.perf_counter()
        with cursor.copy(COPY_SQL, [f"https://export.bench/{count}/%"]) as copy:
            for data in copy:
                sink.write(data)
        return time.perf_counter() - began


def main():
    django_on_bench_database("postgres://postgres@127.0.0.1:5432/factcheck_bench_export")
    sys.path.insert(0, str(ROOT))
    from django.db import connection

    for count in SIZES:
        article = fill(count, str(count))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        copy_seconds = median([copy_rows(connection, count) for _ in range(3)])
        print(
            f"{count:,} claims: COPY row_to_json {count / copy_seconds:,.0f} claims/s (median of 3)"
        )
        # The same command exporting nothing: Django's start-up, paid once per export.
        startup = median(
            [run_command("native", article, "--since", "2999-01-01")[0] for _ in range(3)]
        )
        print(f"  export_claims start-up (no rows): {startup:.2f} s")
        for fmt in ("native", "native-jsonl", "claimreview", "w3c"):
            seconds, peak_kb = run_command(fmt, article)
            print(
                f"  {fmt:12} {count / seconds:8,.0f} claims/s; {seconds / copy_seconds:.1f}x COPY "
                f"({(seconds - startup) / copy_seconds:.1f}x without start-up); "
                f"peak RSS {peak_kb / 1024:.0f} MB"
            )


if __name__ == "__main__":
    main()
