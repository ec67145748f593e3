"""The learned scorer: logistic regression over three blocks of features of a sentence,

- its words: unigrams and bigrams, hashed (scikit-learn's HashingVectorizer: stateless, so
  the model is its coefficients and a few parameters, with no vocabulary to keep), numbers
  folded into one token per shape so "2019" teaches about "2023";
- its meaning: the sentence embedding of the related-coverage embedder (the same packaged
  all-MiniLM-L6-v2; the caller passes the vectors in, so this module never loads a model);
- the cue heuristic's score (heuristic.py).

A trained model is plain numbers: `Model.to_bytes()` is little-endian float32 coefficients
and `Model.params` a JSON-able dict, so the database never holds a pickle. Scoring needs only
numpy and the hashing, and reproduces training's features exactly (FEATURES_VERSION names
their recipe: a model of another version is not used).

Flagging is by rank: an article's top share of sentences, which held up better than a fixed
probability cut-off when editors mark only part of the real claims."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .heuristic import raw_score

FEATURES_VERSION = 1
WORD_FEATURES = 2**18  # hashed word and bigram columns (1 MB of float32 coefficients)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Settings:
    """What a model is trained with. `words`/`meaning` turn a block off (the bench compares);
    the weights scale a block against the others before the shared L2 penalty."""

    words: bool = True
    meaning: bool = True
    word_weight: float = 1.0
    meaning_weight: float = 1.0
    cue_weight: float = 0.5
    C: float = 1.0
    folds: int = 5

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _fold_numbers(text: str) -> str:
    # "6.1" and "2023" become "0.0" and "0000": the shape of a number is what generalises.
    return NUMBER.sub(lambda match: re.sub(r"\d", "0", match.group()), text.lower())


def _hasher():
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        n_features=WORD_FEATURES,
        ngram_range=(1, 2),
        alternate_sign=False,
        norm="l2",
        preprocessor=_fold_numbers,
        token_pattern=r"(?u)\b\w+\b",  # noqa: S106 (a pattern, not a password)
    )


def cue_scores(texts: Sequence[str]) -> np.ndarray:
    return np.array([raw_score(text) for text in texts], dtype=np.float32)


def features(
    texts: Sequence[str],
    vectors: np.ndarray | None,
    settings: Settings,
    cues: np.ndarray | None = None,
):
    """The design matrix (scipy sparse CSR) of these sentences (`cues`: their cue_scores,
    when the caller has them already)."""
    from scipy import sparse

    blocks = []
    if settings.words:
        blocks.append(_hasher().transform(texts) * settings.word_weight)
    if settings.meaning:
        if vectors is None or len(vectors) != len(texts):
            raise ValueError("the meaning block needs one embedding per sentence")
        dense = np.asarray(vectors, dtype=np.float32) * settings.meaning_weight
        blocks.append(sparse.csr_matrix(dense))
    cues = cue_scores(texts) if cues is None else cues
    blocks.append(sparse.csr_matrix(cues.reshape(-1, 1) * settings.cue_weight))
    return sparse.hstack(blocks, format="csr", dtype=np.float32)


@dataclass
class Model:
    settings: Settings
    coefficients: np.ndarray  # float32, one per design-matrix column
    intercept: float
    dimensions: int  # of the embeddings it was trained on (0 without the meaning block)

    def decision(self, texts: Sequence[str], vectors: np.ndarray | None) -> np.ndarray:
        if not len(texts):
            return np.zeros(0, dtype=np.float64)
        matrix = features(texts, vectors, self.settings)
        return np.asarray(matrix @ self.coefficients, dtype=np.float64) + self.intercept

    def score(self, texts: Sequence[str], vectors: np.ndarray | None) -> np.ndarray:
        """The probability that each sentence is one the desk would mark."""
        return 1.0 / (1.0 + np.exp(-self.decision(texts, vectors)))

    @property
    def params(self) -> dict:
        return {
            "features_version": FEATURES_VERSION,
            "word_features": WORD_FEATURES if self.settings.words else 0,
            "dimensions": self.dimensions,
            "intercept": self.intercept,
            "settings": self.settings.as_dict(),
        }

    def to_bytes(self) -> bytes:
        return self.coefficients.astype("<f4").tobytes()

    @classmethod
    def from_stored(cls, params: dict, blob: bytes) -> Model | None:
        """A stored model, or None when it was made by another recipe of features."""
        if params.get("features_version") != FEATURES_VERSION:
            return None
        settings = Settings(**params["settings"])
        coefficients = np.frombuffer(bytes(blob), dtype="<f4").astype(np.float32)
        expected = params["word_features"] + params["dimensions"] + 1
        if len(coefficients) != expected:
            return None
        return cls(settings, coefficients, float(params["intercept"]), params["dimensions"])


def _fit(matrix, labels: np.ndarray, settings: Settings):
    from sklearn.linear_model import LogisticRegression

    # liblinear's dual solver: the same fit as its primal one, 3x faster on 20,000 sentences
    # of a few hundred non-zeros (0.9 s against 2.4 s); balanced classes, since a desk marks a
    # minority of sentences and only the order of scores is used.
    classifier = LogisticRegression(
        C=settings.C, solver="liblinear", dual=True, class_weight="balanced", max_iter=1000
    )
    classifier.fit(matrix, labels)
    return classifier


def train(
    texts: Sequence[str],
    vectors: np.ndarray | None,
    labels: Sequence[int],
    settings: Settings = Settings(),
    *,
    matrix=None,
) -> Model:
    """A model fitted on these sentences (`matrix`: their features, when built already)."""
    labels = np.asarray(labels, dtype=np.int8)
    if len(set(labels.tolist())) < 2:
        raise ValueError("training needs sentences marked and sentences left")
    if matrix is None:
        matrix = features(texts, vectors, settings)
    classifier = _fit(matrix, labels, settings)
    dimensions = int(vectors.shape[1]) if settings.meaning and vectors is not None else 0
    return Model(
        settings,
        classifier.coef_[0].astype(np.float32),
        float(classifier.intercept_[0]),
        dimensions,
    )


# -- measuring --------------------------------------------------------------------------


def flag_top_share(scores: Sequence[float], share: float) -> list[bool]:
    """Which sentences of one article are flagged: the `share` with the highest scores
    (rounded up, so an article of any length gets at least one; ties by position)."""
    count = min(len(scores), math.ceil(share * len(scores) - 1e-9))
    order = sorted(range(len(scores)), key=lambda n: (-scores[n], n))
    flagged = [False] * len(scores)
    for n in order[:count]:
        flagged[n] = True
    return flagged


@dataclass(frozen=True)
class Quality:
    f1: float
    precision: float
    recall: float
    average_precision: float


def quality(
    labels: Sequence[int], scores: Sequence[float], groups: Sequence, share: float
) -> Quality:
    """F1 of the marked class when each group (article) flags its top `share`, and the
    average precision of the scores over all sentences."""
    from sklearn.metrics import average_precision_score

    labels = np.asarray(labels)
    scores = np.asarray(scores, dtype=np.float64)
    flagged = np.zeros(len(labels), dtype=bool)
    by_group: dict = {}
    for index, group in enumerate(groups):
        by_group.setdefault(group, []).append(index)
    for members in by_group.values():
        flags = flag_top_share(scores[members].tolist(), share)
        flagged[members] = flags
    true_positives = int((flagged & (labels == 1)).sum())
    precision = true_positives / max(1, int(flagged.sum()))
    recall = true_positives / max(1, int((labels == 1).sum()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    ap = float(average_precision_score(labels, scores)) if labels.any() else 0.0
    return Quality(f1, precision, recall, ap)


def cross_validated(
    texts: Sequence[str],
    vectors: np.ndarray | None,
    labels: Sequence[int],
    groups: Sequence,
    settings: Settings,
    share: float,
    *,
    matrix=None,
) -> Quality | None:
    """Out-of-fold quality, folds by article (a sentence is never scored by a model that saw
    its neighbours). None when there are too few articles or marks to fold."""
    from sklearn.model_selection import GroupKFold

    labels = np.asarray(labels, dtype=np.int8)
    groups = np.asarray(groups)
    folds = min(settings.folds, len(set(groups.tolist())))
    if folds < 2 or labels.sum() < folds:
        return None
    if matrix is None:
        matrix = features(texts, vectors, settings)
    out_of_fold = np.zeros(len(labels), dtype=np.float64)
    for train_rows, test_rows in GroupKFold(n_splits=folds).split(matrix, labels, groups):
        if len(set(labels[train_rows].tolist())) < 2:
            return None
        classifier = _fit(matrix[train_rows], labels[train_rows], settings)
        out_of_fold[test_rows] = classifier.decision_function(matrix[test_rows])
    return quality(labels, out_of_fold, groups, share)


@dataclass
class Fitted:
    model: Model
    measured: Quality | None  # cross-validated, None when too little to fold
    heuristic: Quality  # the cue heuristic on the same sentences


def fit_and_measure(
    texts: Sequence[str],
    vectors: np.ndarray | None,
    labels: Sequence[int],
    groups: Sequence,
    settings: Settings,
    share: float,
) -> Fitted:
    """What a retraining does: cross-validate, fit on everything, and measure the heuristic
    on the same sentences, building the features once."""
    cues = cue_scores(texts)
    matrix = features(texts, vectors, settings, cues)
    measured = cross_validated(texts, vectors, labels, groups, settings, share, matrix=matrix)
    model = train(texts, vectors, labels, settings, matrix=matrix)
    # The heuristic's score is a rising function of its raw sum: the same ranking.
    return Fitted(model, measured, quality(labels, cues, groups, share))
