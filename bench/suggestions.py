"""Suggested claims: quality on CheckThat! 2024 Task 1 (English), job time, retraining time.

Quality. A desk's history is simulated as articles of 20 consecutive debate sentences (the
files sorted by sentence id) drawn at random from train, the `Yes` sentences being the claims
its editors marked: 100, 500 and 2,000 labelled sentences, five draws each. Each history
trains the product's learned scorer (annotations.suggestions.model, the same code the job
runs, with the packaged MiniLM embedder), which then scores dev cut into articles of 20
consecutive sentences; each article flags its top 25% and 30%. Printed: F1 of the `Yes`
class (the official measure) and average precision, min / median / max over the draws, for
the cue heuristic, the issue's design (embedding + heuristic) and the shipped one (hashed words
+ embedding + heuristic). Settings were chosen on a hold-out inside train (its last 3,000
sentences, never drawn into a history), also printed, not on dev.

Time. The suggestion job (services.article_suggestions_refresh: split, embed, score, store)
on a 5,000-word generated article (bench/textgen.py), first run and after a one-sentence
edit; and services.suggestions_train on a desk of 1,000 articles holding 20,000 sentences of
train with their claims (scored once by the job beforehand, as in production).

    .venv/bin/python bench/suggestions.py [--data ../shared/bench-data/checkworthiness-ct24]
        [--skip-quality] [--skip-time]     # BENCH_DATABASE_URL for the timings' database

The data is research data with no licence: read here only, never shipped or used by tests.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from _setup import ROOT, django_on_bench_database

BLOCK = 20  # sentences per simulated article
HISTORIES = (100, 500, 2000)
DRAWS = 5
SHARES = (0.25, 0.30)
HOLD_OUT = 3000  # the last sentences of train by id: where settings were compared
DEFAULT_DATA = ROOT.parent / "shared" / "bench-data" / "checkworthiness-ct24"


def read_split(path: Path) -> list[tuple[int, str, int]]:
    """(sentence id, text, 1 for Yes) in sentence-id order. One upstream defect in train: a
    row glued to the one before it (`...\\tNo12345\\t`) is split back into two."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"\t(No|Yes)(\d+)\t", r"\t\1\n\2\t", raw)
    rows = list(csv.reader(io.StringIO(raw), delimiter="\t"))[1:]
    return sorted((int(row[0]), row[1], int(row[2].strip() == "Yes")) for row in rows)


def embeddings(texts: list[str]) -> np.ndarray:
    """The product's embedder on every text, cached in var/ (it takes a few minutes)."""
    from annotations.search.embedding import embed_in_batches, get_embedder

    embedder = get_embedder()
    digest = hashlib.blake2b("\n".join([embedder.name, *texts]).encode(), digest_size=8).hexdigest()
    cache = ROOT / "var" / f"bench-ct24-vectors-{digest}.npy"
    if cache.exists():
        return np.load(cache)
    began = time.perf_counter()
    vectors = embed_in_batches(embedder, texts)
    print(f"(embedded {len(texts)} sentences in {time.perf_counter() - began:.0f} s)")
    cache.parent.mkdir(exist_ok=True)
    np.save(cache, vectors)
    return vectors


def spread(values: list[float]) -> str:
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"


def quality(data: Path) -> None:
    from annotations.suggestions import model as learned
    from annotations.suggestions.heuristic import heuristic_score

    train, dev = read_split(data / "train.tsv"), read_split(data / "dev.tsv")
    vectors = embeddings([row[1] for row in train] + [row[1] for row in dev])
    train_vectors, dev_vectors = vectors[: len(train)], vectors[len(train) :]
    print(
        f"train {len(train)} sentences ({sum(r[2] for r in train)} Yes), "
        f"dev {len(dev)} ({sum(r[2] for r in dev)} Yes); articles of {BLOCK} sentences"
    )
    hold_out = list(range(len(train) - HOLD_OUT, len(train)))
    blocks = [list(range(s, s + BLOCK)) for s in range(0, len(train) - HOLD_OUT - BLOCK + 1, BLOCK)]
    targets = {
        "dev": ([r[1] for r in dev], dev_vectors, [r[2] for r in dev]),
        "train hold-out": (
            [train[i][1] for i in hold_out],
            train_vectors[hold_out],
            [train[i][2] for i in hold_out],
        ),
    }
    variants = {
        "embedding + heuristic": learned.Settings(words=False),
        "words + embedding + heuristic (shipped)": learned.Settings(),
    }
    for target, (texts, target_vectors, labels) in targets.items():
        groups = [n // BLOCK for n in range(len(texts))]
        print(f"\n== scored on {target}: F1 at top 25% | top 30% | average precision")
        print("   (learned: min / median / max over draws)")
        cues = [heuristic_score(text) for text in texts]
        figures = [learned.quality(labels, cues, groups, share) for share in SHARES]
        print(
            f"  cue heuristic (no training)            {figures[0].f1:.3f} | "
            f"{figures[1].f1:.3f} | AP {figures[0].average_precision:.3f}"
        )
        for size in HISTORIES:
            for name, settings in variants.items():
                f1s = {share: [] for share in SHARES}
                aps = []
                for draw in range(DRAWS):
                    history = [
                        i
                        for block in random.Random(draw).sample(blocks, size // BLOCK)
                        for i in block
                    ]
                    model = learned.train(
                        [train[i][1] for i in history],
                        train_vectors[history],
                        [train[i][2] for i in history],
                        settings,
                    )
                    scores = model.decision(texts, target_vectors)
                    for share in SHARES:
                        f1s[share].append(learned.quality(labels, scores, groups, share).f1)
                    aps.append(learned.quality(labels, scores, groups, 0.25).average_precision)
                print(
                    f"  {size:>5} labels, {name}:\n"
                    f"        {spread(f1s[0.25])} | {spread(f1s[0.30])} | AP {spread(aps)}"
                )
        everything = [i for block in blocks for i in block]
        model = learned.train(
            [train[i][1] for i in everything],
            train_vectors[everything],
            [train[i][2] for i in everything],
        )
        scores = model.decision(texts, target_vectors)
        figures = [learned.quality(labels, scores, groups, share) for share in SHARES]
        print(
            f"  all {len(everything)} of train, shipped: {figures[0].f1:.3f} | "
            f"{figures[1].f1:.3f} | AP {figures[0].average_precision:.3f}"
        )


def timings(data: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from django.conf import settings
    from textgen import NewsText

    from annotations import roles, services
    from annotations.models import Article, ArticleSentence
    from annotations.search.embedding import get_embedder

    embedder = get_embedder()
    embedder.embed(["warm-up"])
    print("\n== job time: a 5,000-word article (generated), 5 runs each")
    text = NewsText(seed=17)
    body = ""
    while len(body.split()) < 5000:
        body += text.paragraph(5) + "\n"
    body = " ".join(body.split(" ")[:5000])
    article = Article.objects.filter(url="https://suggest.bench/5000").first()
    if article is None:
        article = services.article_create(
            title="Five thousand words", body=body, url="https://suggest.bench/5000",
            actor=roles.SYSTEM,
        )  # fmt: skip
    firsts, edits = [], []
    for run in range(5):
        ArticleSentence.objects.filter(article=article).delete()
        began = time.perf_counter()
        count = services.article_suggestions_refresh(article_id=article.id, embedder=embedder)
        firsts.append(time.perf_counter() - began)
        edited = article.body + f" The council added {run + 7} new buses in May."
        article = services.article_update(article=article, actor=roles.SYSTEM, body=edited)
        began = time.perf_counter()
        services.article_suggestions_refresh(article_id=article.id, embedder=embedder)
        edits.append(time.perf_counter() - began)
    print(f"  {count} sentences; first scoring {spread(firsts)} s (min / median / max)")
    print(f"  after a one-sentence edit (only it embedded): {spread(edits)} s")

    print("\n== retraining on 20,000 labelled sentences (1,050 articles of train, 20 lines each)")
    desk = desk_from_train(read_split(data / "train.tsv"), articles=1050)
    began = time.perf_counter()
    for n, article_id in enumerate(desk, start=1):
        services.article_suggestions_refresh(article_id=article_id, embedder=embedder)
        if n % 100 == 0:
            print(f"  (desk scored by the job: {n}/{len(desk)} articles)", file=sys.stderr)
    scored = time.perf_counter() - began
    if scored > 5:
        print(f"  (the job scored the desk's articles once: {scored:.0f} s)")
    settings.SUGGESTIONS_MIN_CLAIMS = 30
    times = []
    for _ in range(3):
        began = time.perf_counter()
        model = services.suggestions_train(actor=roles.SYSTEM, embedder=embedder)
        times.append(time.perf_counter() - began)
    print(
        f"  {model.training_size} sentences ({model.positives} marked, {model.claims} claims): "
        f"{spread(times)} s with 5-fold cross-validation; CV F1 {model.cv_f1:.3f}, "
        f"AP {model.cv_average_precision:.3f}; heuristic F1 {model.heuristic_cv_f1:.3f}"
    )


def desk_from_train(train, *, articles: int) -> list[int]:
    """Articles of 20 consecutive train sentences (one a line), each Yes sentence a claim.
    Made once per database (those already there, by url, are kept)."""
    from django.db import transaction

    from annotations import anchoring
    from annotations.models import Article, Claim

    prefix = "https://suggest.bench/desk/"
    existing = dict(Article.objects.filter(url__startswith=prefix).values_list("url", "id"))
    with transaction.atomic():
        made, claims = [], []
        for number in range(articles):
            if f"{prefix}{number}" in existing:
                made.append(existing[f"{prefix}{number}"])
                continue
            rows = train[number * BLOCK : (number + 1) * BLOCK]
            lines = [re.sub(r"\s+", " ", row[1]).strip() for row in rows]
            body = "\n".join(lines)
            article = Article.objects.create(
                title=f"Debate {number}", url=f"{prefix}{number}", body=body
            )
            made.append(article.id)
            offset = 0
            for row, line in zip(rows, lines, strict=True):
                if row[2] and line:
                    prefix_text, suffix_text = anchoring.context_around(
                        body, offset, offset + len(line)
                    )
                    claims.append(
                        Claim(
                            article=article, exact=line, prefix=prefix_text, suffix=suffix_text,
                            start=offset, end=offset + len(line),
                        )
                    )  # fmt: skip
                offset += len(line) + 1
        Claim.objects.bulk_create(claims, batch_size=1000)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-time", action="store_true")
    args = parser.parse_args()
    if not (args.data / "train.tsv").exists():
        sys.exit(f"no CheckThat! 2024 data in {args.data} (train.tsv, dev.tsv)")
    # Jobs the services queue are dropped: the bench runs their bodies itself.
    os.environ["CELERY_BROKER_URL"] = "memory://"
    if args.skip_time:  # quality alone needs Django only for the embedder's settings
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
        import django

        django.setup()
    else:
        django_on_bench_database("postgres://postgres@127.0.0.1:5432/factcheck_bench_suggest")
    if not args.skip_quality:
        quality(args.data)
    if not args.skip_time:
        timings(args.data)


if __name__ == "__main__":
    main()
