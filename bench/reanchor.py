"""Budget of issue 4: re-anchor 1,000 claims on a 100 KB article after 50 random edits of
1-200 characters: under 0.5 s in total, 0 claims on wrong words, >= 99% of the claims whose
words survived still anchored.

Ground truth: every claim's span is carried through each edit by arithmetic; a claim whose
span an edit touched is "edited" (its words changed), the others must be found exactly.

    .venv/bin/python bench/reanchor.py [--seed N] [--rounds R]
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textgen import NewsText

from annotations import anchoring

ARTICLE_SIZE, CLAIMS, EDITS = 100_000, 1_000, 50


def make_claims(rng, text):
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    claims = []
    while len(claims) < CLAIMS:
        start = rng.choice(spaces) + 1
        end = start + rng.randint(20, 150)
        while end < len(text) and text[end] not in " .,\n":
            end += 1
        if end <= len(text):
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


def run(seed):
    words = NewsText(seed)
    import random

    rng = random.Random(seed)
    old = words.text(ARTICLE_SIZE)
    claims = make_claims(rng, old)
    new, truth = apply_edits(rng, words, old, claims)

    began = time.perf_counter()
    placements = anchoring.reanchor_all(old, new, claims)
    elapsed = time.perf_counter() - began

    counts = {"stayed": 0, "moved": 0, "orphaned": 0, "wrong": 0}
    survived = found = 0
    for claim, placement, (t_start, t_end, touched) in zip(claims, placements, truth, strict=True):
        counts[placement.outcome] += 1
        if not touched:
            survived += 1
        if placement.anchor is None:
            continue
        a = placement.anchor
        if not touched:
            if (a.start, a.end) == (t_start, t_end) and new[a.start : a.end] == claim.exact:
                found += 1
            else:
                counts["wrong"] += 1
        elif not (a.start < t_end and a.end > t_start):
            counts["wrong"] += 1  # an edited claim placed outside its own (edited) words
    return elapsed, counts, survived, found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(
        f"{CLAIMS} claims on a {ARTICLE_SIZE // 1000} KB article, {EDITS} random edits of "
        "1-200 characters (insert/delete/replace), one save"
    )
    worst = 0.0
    for seed in range(args.seed, args.seed + args.rounds):
        elapsed, counts, survived, found = run(seed)
        worst = max(worst, elapsed)
        recall = found / survived if survived else 1.0
        print(
            f"seed {seed}: {elapsed * 1000:7.1f} ms | stayed {counts['stayed']} moved "
            f"{counts['moved']} orphaned {counts['orphaned']} wrong {counts['wrong']} | "
            f"words survived for {survived}, found {found}: recall {recall:.4f}"
        )
    print(
        f"worst time: {worst * 1000:.1f} ms (budget < 500 ms); wrong must be 0; "
        "recall must be >= 0.99"
    )


if __name__ == "__main__":
    main()
