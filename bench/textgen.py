"""Realistic news-like text for benchmarks: sentences assembled from the words and sentence
shapes of real copy (the seed article, our demo articles and the 10,373 real fact-checked
claims and titles of CheckThat! 2020, about 20,000 distinct words), not random letters."""

import itertools
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "000_a2c1c103720e1212.txt"
DEMO = [ROOT / "annotations" / "demo" / name for name in ("articles.jsonl", "archive.jsonl")]
CHECKTHAT = ROOT.parent / "shared" / "bench-data" / "checkthat2020" / "verified_claims.docs.tsv"


def corpus() -> str:
    texts = [SEED.read_text(encoding="utf-8")] if SEED.exists() else []
    for path in DEMO:
        texts += [json.loads(line)["body"] for line in path.read_text().splitlines()]
    if CHECKTHAT.exists():
        for row in CHECKTHAT.read_text(encoding="utf-8").splitlines()[1:]:
            texts += [part.strip() for part in row.split("\t")[1:] if part.strip()]
    return "\n".join(texts)


class NewsText:
    """A bigram model over real sentences: each word follows one that it followed in the
    corpus, so sentences read like news copy with its vocabulary and rhythm."""

    def __init__(self, seed: int = 7):
        self.random = random.Random(seed)
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", corpus()) if len(s.split()) > 4]
        self.starts = [s.split()[0] for s in sentences]
        self.follows: dict[str, list[str]] = {}
        for sentence in sentences:
            words = sentence.split()
            for a, b in itertools.pairwise(words):
                self.follows.setdefault(a, []).append(b)

    def sentence(self, max_words: int = 30) -> str:
        word = self.random.choice(self.starts)
        words = [word]
        while len(words) < max_words:
            options = self.follows.get(word)
            if not options:
                break
            word = self.random.choice(options)
            words.append(word)
            if word.endswith((".", "!", "?")) and len(words) > 6:
                break
        text = " ".join(words)
        return text if text.endswith((".", "!", "?", "”", '"')) else text + "."

    def paragraph(self, sentences: int = 4) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def text(self, characters: int) -> str:
        parts, size = [], 0
        while size < characters:
            paragraph = self.paragraph(self.random.randint(2, 6))
            parts.append(paragraph)
            size += len(paragraph) + 1
        return "\n".join(parts)[:characters]
