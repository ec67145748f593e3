"""The learned scorer, pure: trained on written articles it ranks what the desk marks first,
and what is stored is plain numbers that rebuild the same scorer."""

import random

import numpy as np
import pytest

from annotations.search.embedding import get_embedder
from annotations.suggestions import model as learned
from annotations.suggestions.sentences import split_sentences
from tests.suggestions.desk import article_text


@pytest.fixture(scope="module")
def desk():
    rng = random.Random(11)
    texts, labels, groups = [], [], []
    for article in range(24):
        body, facts = article_text(rng)
        for sentence in split_sentences(body):
            texts.append(sentence.text)
            labels.append(int(sentence.text in facts))
            groups.append(article)
    vectors = get_embedder().embed(texts)
    return texts, vectors, np.array(labels), np.array(groups)


def test_a_trained_model_ranks_marked_sentences_first(desk):
    texts, vectors, labels, _ = desk
    model = learned.train(texts[:150], vectors[:150], labels[:150])
    scores = model.score(texts[150:], vectors[150:])
    held = labels[150:]
    assert scores[held == 1].min() > np.median(scores)
    assert learned.quality(held, scores, [0] * len(held), 0.34).f1 > 0.9


def test_a_stored_model_scores_exactly_as_the_trained_one(desk):
    texts, vectors, labels, _ = desk
    model = learned.train(texts, vectors, labels)
    again = learned.Model.from_stored(model.params, model.to_bytes())
    assert np.allclose(again.score(texts, vectors), model.score(texts, vectors), atol=1e-6)
    assert len(model.to_bytes()) == 4 * (learned.WORD_FEATURES + 384 + 1)


def test_a_model_of_another_recipe_is_not_used(desk):
    texts, vectors, labels, _ = desk
    model = learned.train(texts, vectors, labels)
    params = {**model.params, "features_version": learned.FEATURES_VERSION + 1}
    assert learned.Model.from_stored(params, model.to_bytes()) is None
    assert learned.Model.from_stored(model.params, model.to_bytes()[:-4]) is None


def test_cross_validation_folds_by_article(desk):
    texts, vectors, labels, groups = desk
    measured = learned.cross_validated(texts, vectors, labels, groups, learned.Settings(), 0.34)
    assert measured is not None and measured.f1 > 0.8 and measured.average_precision > 0.8
    one_article = np.zeros(len(labels), dtype=int)
    assert (
        learned.cross_validated(texts, vectors, labels, one_article, learned.Settings(), 0.3)
        is None
    )


def test_training_needs_both_kinds_of_label():
    with pytest.raises(ValueError):
        learned.train(["a", "b"], np.zeros((2, 384), np.float32), [1, 1])


@pytest.mark.parametrize(
    ("count", "share", "flagged"),
    [(0, 0.25, 0), (1, 0.25, 1), (4, 0.25, 1), (5, 0.25, 2), (8, 0.25, 2), (10, 0.3, 3)],
)
def test_the_top_share_is_rounded_up(count, share, flagged):
    scores = [random.random() for _ in range(count)]
    flags = learned.flag_top_share(scores, share)
    assert sum(flags) == flagged
    if flagged:
        assert min(s for s, f in zip(scores, flags, strict=True) if f) == sorted(scores)[-flagged]
