"""The cold-start scorer: cues of a checkable factual sentence, no training.

A sentence worth checking states something that records can confirm or refute: a number, a
comparison or a change, a quantity, an attribution to a source, a record of what someone did.
Opinions, promises, questions, greetings and very short sentences rarely are. Each cue below
adds its weight once when it is present; the sum goes through a logistic curve so the score
lies in (0, 1). Only the order matters for the editor, which flags an article's top share,
so the weights are round numbers chosen by reasoning, not fitted (README, "Suggested claims",
writes them down; CheckThat! figures in bench/suggestions.py)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass


def _words(*words: str) -> str:
    return r"\b(?:" + "|".join(words) + r")\b"


@dataclass(frozen=True)
class Cue:
    name: str
    weight: float
    pattern: re.Pattern[str]


CUES: tuple[Cue, ...] = tuple(
    Cue(name, weight, re.compile(pattern, re.IGNORECASE))
    for name, weight, pattern in (
        # What records can check.
        ("digits", 1.5, r"\d"),
        (
            "number word",
            1.0,
            _words(
                "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "twelve", "twenty", "thirty", "forty", "fifty", "hundreds?", "thousands?",
                "millions?", "billions?", "trillions?", "dozens?", "half", "third", "quarter",
                "twice", "double", "doubled", "triple", "tripled", "halved",
            ),
        ),
        (
            "quantity unit",
            1.0,
            r"%|[$€£¥]|"
            + _words("percent", "per cent", "dollars?", "euros?", "pounds?", "tax(?:es)?"),
        ),
        (
            "comparison or change",
            0.8,
            _words(
                "more", "less", "fewer", "higher", "lower", "than", "increas\\w*", "decreas\\w*",
                "r[io]se", "risen", "rising", "f[ae]ll", "fallen", "falling", "drop\\w*", "grew",
                "grown", "growth", "cut", "cuts", "largest", "biggest", "smallest", "highest",
                "lowest", "most", "least", "record", "ever", "since",
            ),
        ),
        (
            "attribution or evidence",
            0.6,
            _words(
                "said", "says", "according to", "claimed", "reported", "announced", "stated",
                "told", "figures", "data", "statistics", "survey", "study", "report", "estimates?",
            ),
        ),
        (
            "record of an act",
            0.6,
            _words(
                "voted", "passed", "signed", "vetoed", "created", "lost", "spent", "costs?",
                "paid", "funded", "invested", "built", "closed", "raised", "banned", "approved",
            ),
        ),
        (
            "absolute",
            0.3,
            _words("all", "every", "never", "none", "always", "only", "first", "nobody"),
        ),
        # What is rarely checkable.
        ("question", -1.5, r"\?"),
        ("exclamation", -0.5, r"!"),
        (
            "opinion, promise or hedge",
            -0.8,
            _words(
                "I think", "I believe", "I feel", "I hope", "I want", "we need", "we should",
                "we must", "we will", "we're going to", "I will", "I'm going to", "should",
                "must", "would", "could", "might", "maybe", "perhaps",
            ),
        ),
        (
            "greeting or thanks",
            -2.0,
            _words("thank you", "thanks", "welcome", "hello", "good evening", "good night",
                   "applause", "laughter"),
        ),
    )
)  # fmt: skip
SHORT_WORDS = 6  # a sentence with fewer words rarely states a checkable fact...
SHORT_WEIGHT = -1.0
LENGTH_WEIGHT = 0.02  # ...and longer ones state more: a little per word, up to
LENGTH_CAP = 30
BIAS = -1.0  # a sentence with no cue at all scores below one half
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def cues_of(text: str) -> list[str]:
    """The names of the cues present in `text` (for tests and for explaining a score)."""
    return [cue.name for cue in CUES if cue.pattern.search(text)]


def raw_score(text: str) -> float:
    """The sum of the weights of the cues present, before the logistic curve."""
    total = BIAS + sum(cue.weight for cue in CUES if cue.pattern.search(text))
    words = len(WORD.findall(text))
    if words < SHORT_WORDS:
        total += SHORT_WEIGHT
    return total + LENGTH_WEIGHT * min(words, LENGTH_CAP)


def heuristic_score(text: str) -> float:
    """How likely `text` is a claim worth checking, by its cues alone: in (0, 1)."""
    return 1.0 / (1.0 + math.exp(-raw_score(text)))
