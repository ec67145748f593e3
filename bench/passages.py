"""Issue 14: embed an archive article by its title and lead (what the product does), or by
passages of its whole text with the best passage winning? Measured on the semantic side
alone (no words, no fact-check vectors), on CheckThat! 2020 dev:

- short: each fact-check as CheckThat! gives it (title + claim): the claim is in the lead;
- long, title + lead: the claim buried at a random place in ~700 words of other news copy
  (bench/textgen.py), embedded as the product embeds an article (services.vectors);
- long, passages: the same long articles cut into overlapping passages of PASSAGE_WORDS words
  (the title with each), an article scored by its best passage.

It prints MAP@5 and recall@10 for each, and how many vectors each needs (the in-memory
index's size grows with them: issue 14 keeps 100,000 items under 400 MB a worker). The
archive is the dev tweets' own fact-checks plus DISTRACTORS others, drawn with a fixed seed.

    .venv/bin/python bench/passages.py [--distractors 2000]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PASSAGE_WORDS = 120
STRIDE = 60
LONG_WORDS = 700


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.gettempdir()}/bench-passages.sqlite3"
    import django

    django.setup()


def passages(title: str, body: str) -> list[str]:
    words = body.split()
    starts = range(0, max(1, len(words) - PASSAGE_WORDS + STRIDE), STRIDE)
    return [f"{title}\n{' '.join(words[s : s + PASSAGE_WORDS])}" for s in starts]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--distractors", type=int, default=2000)
    args = parser.parse_args()
    setup_django()
    from checkthat import DATA, average_precision_at, read_tsv
    from textgen import NewsText

    from annotations.search.embedding import embed_in_batches, get_embedder
    from annotations.search.query import normalise
    from annotations.services.vectors import article_text

    gold: dict[str, set[str]] = {}
    for line in (DATA / "dev" / "tweet-vclaim-pairs.qrels").read_text().splitlines():
        if line.strip():
            tweet_id, _, vclaim_id, _ = line.split()
            gold.setdefault(tweet_id, set()).add(vclaim_id)
    tweets = [(row[0], row[1]) for row in read_tsv(DATA / "dev" / "tweets.queries.tsv")]
    docs = {}
    for row in read_tsv(DATA / "verified_claims.docs.tsv"):
        if row[1].strip():
            title = row[2].strip() if len(row) > 2 and row[2].strip() else row[1][:120]
            docs[row[0]] = (title, row[1].strip())
    needed = set().union(*gold.values()) & set(docs)
    rng = random.Random(11)
    others = sorted(set(docs) - needed)
    chosen = sorted(needed) + rng.sample(others, min(args.distractors, len(others)))

    filler = NewsText(seed=23)
    long_bodies = {}
    for vclaim_id in chosen:
        before = filler.text(rng.randint(0, LONG_WORDS * 6))  # ~6 characters a word
        after = filler.text(max(0, LONG_WORDS * 6 - len(before)))
        long_bodies[vclaim_id] = f"{before}\n{docs[vclaim_id][1]}\n{after}"

    embedder = get_embedder()
    began = time.perf_counter()
    queries = np.stack([embedder.embed_query(normalise(text)) for _, text in tweets])
    variants = {
        "short (title + claim)": {v: [article_text(docs[v][0], docs[v][1])] for v in chosen},
        "long, title + lead": {v: [article_text(docs[v][0], long_bodies[v])] for v in chosen},
        "long, best passage": {v: passages(docs[v][0], long_bodies[v]) for v in chosen},
    }
    print(
        f"dev: {len(tweets)} tweets; archive: {len(chosen)} fact-checks "
        f"({len(needed)} relevant to some tweet); long articles ~{LONG_WORDS} words"
    )
    for name, texts in variants.items():
        owners = [v for v in chosen for _ in texts[v]]
        flat = [text for v in chosen for text in texts[v]]
        vectors = embed_in_batches(embedder, flat)
        scores = queries @ vectors.T
        order = np.array(chosen)
        index = {v: n for n, v in enumerate(chosen)}
        best = np.full((len(tweets), len(chosen)), -np.inf, dtype=np.float32)
        for column, owner in enumerate(owners):
            best[:, index[owner]] = np.maximum(best[:, index[owner]], scores[:, column])
        ap5, r10 = [], []
        for row, (tweet_id, _) in enumerate(tweets):
            ranked = list(order[np.argsort(-best[row], kind="stable")[:10]])
            relevant = gold.get(tweet_id, set())
            ap5.append(average_precision_at(ranked, relevant, 5))
            r10.append(len(relevant & set(ranked)) / len(relevant))
        print(
            f"  {name:24} MAP@5 {np.mean(ap5):.4f}  recall@10 {np.mean(r10):.4f}  "
            f"vectors {len(flat):6} ({len(flat) / len(chosen):.1f} an article)"
        )
    print(f"({time.perf_counter() - began:.0f} s)")


if __name__ == "__main__":
    main()
