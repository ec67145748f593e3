"""Budget of issue 11: re-anchoring 1,000 claims on a 100 KB article after 50 random edits of
1-200 characters, timed two ways:

- pure: `anchoring.reanchor_all` alone (what it always measured);
- the save a person waits for: `services.article_update` through the service on PostgreSQL
  (the claims read, placed, written back in bulk with their history rows), with its query
  count at 100 and at 1,000 claims (it must not grow with the number of claims).

Both must stay under 0.5 s, with 0 claims on wrong words, 0 quotes rewritten and 0 proposed
places cut inside a word. Ground truth: every claim's span is carried through each edit by
arithmetic; a claim whose span an edit touched is "edited" (its words changed), the others
must be found exactly.

    .venv/bin/python bench/reanchor.py [--seed N] [--rounds R] [--pure-only]
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textgen import NewsText

from annotations import anchoring

ARTICLE_SIZE, CLAIMS, EDITS = 100_000, 1_000, 50


def make_claims(rng, text, count=CLAIMS):
    """Quotes a person would mark: 20-150 characters, starting and ending on whole words."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    claims = []
    while len(claims) < count:
        start = rng.choice(spaces) + 1
        end = start + rng.randint(20, 150)
        while end < len(text) and text[end] not in " .,\n":
            end += 1
        if end <= len(text) and anchoring.has_words(text[start:end]):
            claims.append(anchoring.selector_at(text, start, end))
    return claims


def apply_edits(rng, words, text, claims):
    """Apply EDITS random edits; return the new text and, per claim, (start, end, touched)."""
    truth = [[c.start, c.end, False] for c in claims]
    for _ in range(EDITS):
        at = rng.randint(0, len(text))
        kind = rng.choice(["insert", "delete", "replace"])
        removed = 0 if kind == "insert" else min(rng.randint(1, 200), len(text) - at)
        inserted = "" if kind == "delete" else words.sentence()[: rng.randint(1, 200)]
        text = text[:at] + inserted + text[at + removed :]
        delta = len(inserted) - removed
        for span in truth:
            start, end, _ = span
            if at + removed <= start and at <= start:  # wholly before (inserting at start too)
                span[0] += delta
                span[1] += delta
            elif at >= end:  # wholly after
                continue
            else:  # overlaps the span, or inserts strictly inside it
                span[2] = True
                span[0] = min(start, at)
                span[1] = max(at + len(inserted), end + delta)
    return text, truth


def judge(new, claims, placements, truth):
    """Counts of outcomes, wrong placements and cut proposals against the ground truth."""
    counts = {"stayed": 0, "moved": 0, "changed": 0, "orphaned": 0, "wrong": 0, "cut": 0}
    survived = found = 0
    for claim, placement, (t_start, t_end, touched) in zip(claims, placements, truth, strict=True):
        counts[placement.outcome] += 1
        if not touched:
            survived += 1
        placed, proposal = placement.selector, placement.proposal
        if placed is not None:
            right = (placed.start, placed.end) == (t_start, t_end)
            if new[placed.start : placed.end] != claim.exact:
                counts["wrong"] += 1  # placed on other words: never
            elif not touched and right:
                found += 1
            elif not touched:
                counts["wrong"] += 1
        if proposal is not None:
            if anchoring.whole_words(new, proposal.start, proposal.end) != (
                proposal.start,
                proposal.end,
            ):
                counts["cut"] += 1
            if not (proposal.start < t_end + 200 and proposal.end > t_start - 200):
                counts["wrong"] += 1  # proposed words far from its own (edited) words
    return counts, survived, found


def run(seed):
    words = NewsText(seed)
    rng = random.Random(seed)
    old = words.text(ARTICLE_SIZE)
    claims = make_claims(rng, old)
    new, truth = apply_edits(rng, words, old, claims)
    began = time.perf_counter()
    placements = anchoring.reanchor_all(old, new, [anchoring.Tracked(c) for c in claims])
    elapsed = time.perf_counter() - began
    counts, survived, found = judge(new, claims, placements, truth)
    return elapsed, counts, survived, found


def through_the_service(seed, count):
    """One article save through services.article_update on the bench database: seconds,
    queries, and the checks that matter after the write."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from annotations import roles, services
    from annotations.models import Article, Claim

    words = NewsText(seed)
    rng = random.Random(seed)
    old = words.text(ARTICLE_SIZE)
    claims = make_claims(rng, old, count)
    new, _ = apply_edits(rng, words, old, claims)
    with transaction.atomic():
        article = Article.objects.create(
            title=f"Re-anchoring bench {seed}/{count}", body=old, url=""
        )
        Claim.objects.bulk_create(
            Claim(article=article, claimant=f"C{n}", **claim.as_fields())
            for n, claim in enumerate(claims)
        )
    quotes = dict(Claim.objects.filter(article=article).values_list("id", "exact"))
    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        services.article_update(article=article, actor=roles.SYSTEM, body=new)
        elapsed = time.perf_counter() - began
    rewritten = cut = misplaced = 0
    for claim in Claim.objects.filter(article=article):
        rewritten += claim.exact != quotes[claim.id]
        if claim.anchor_state in ("anchored", "reanchored"):
            misplaced += new[claim.start : claim.end] != claim.exact
        if claim.anchor_state == "changed":
            span = (claim.proposed_start, claim.proposed_end)
            cut += anchoring.whole_words(new, *span) != span
    article.delete()
    return elapsed, len(captured), rewritten, misplaced, cut


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pure-only", action="store_true")
    args = parser.parse_args()
    print(
        f"{CLAIMS} claims on a {ARTICLE_SIZE // 1000} KB article, {EDITS} random edits of "
        "1-200 characters (insert/delete/replace), one save"
    )
    times = []
    for seed in range(args.seed, args.seed + args.rounds):
        elapsed, counts, survived, found = run(seed)
        times.append(elapsed)
        recall = found / survived if survived else 1.0
        print(
            f"pure, seed {seed}: {elapsed * 1000:6.1f} ms | stayed {counts['stayed']} moved "
            f"{counts['moved']} changed {counts['changed']} orphaned {counts['orphaned']} | "
            f"wrong {counts['wrong']} cut {counts['cut']} | words survived for {survived}, "
            f"found {found}: recall {recall:.4f}"
        )
    middle = sorted(times)[len(times) // 2]
    print(f"pure: median {middle * 1000:.1f} ms, worst {max(times) * 1000:.1f} ms")
    if args.pure_only:
        return
    from _setup import django_on_bench_database, median

    django_on_bench_database()
    for count in (100, CLAIMS):
        runs = [
            through_the_service(seed, count) for seed in range(args.seed, args.seed + args.rounds)
        ]
        seconds = [r[0] for r in runs]
        print(
            f"service (PostgreSQL), {count} claims: median {median(seconds) * 1000:.0f} ms "
            f"(min {min(seconds) * 1000:.0f}, max {max(seconds) * 1000:.0f}); queries "
            f"{sorted({r[1] for r in runs})}; quotes rewritten {sum(r[2] for r in runs)}, "
            f"misplaced {sum(r[3] for r in runs)}, "
            f"proposals cut in a word {sum(r[4] for r in runs)}"
        )
    print("budget: < 500 ms for the save, queries the same at 100 and 1,000 claims, 0 wrong")


if __name__ == "__main__":
    main()
