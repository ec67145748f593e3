"""The cold-start heuristic ranks checkable factual sentences above opinions."""

from annotations.suggestions.heuristic import cues_of, heuristic_score


def test_a_numeric_factual_sentence_outranks_an_opinion():
    fact = "Unemployment fell to 6.1 percent last year, down from 7.4 percent in 2020."
    opinion = "I think we should all be proud of this wonderful valley."
    assert heuristic_score(fact) > 0.8
    assert heuristic_score(opinion) < 0.3
    assert heuristic_score(fact) > heuristic_score(opinion)


def test_attributed_comparisons_outrank_questions_and_thanks():
    attributed = "The minister said the region now has the lowest jobless rate in the country."
    for other in ("Is that really what the figures show?", "Thank you very much.", "Good."):
        assert heuristic_score(attributed) > heuristic_score(other)


def test_cues_are_named():
    assert cues_of("Taxes rose by $300 since 2019, the report said.") == [
        "digits",
        "quantity unit",
        "comparison or change",
        "attribution or evidence",
    ]
    assert cues_of("Maybe we could try?") == ["question", "opinion, promise or hedge"]


def test_scores_lie_between_zero_and_one():
    for text in ("", "7", "!" * 50, "more " * 400):
        assert 0 < heuristic_score(text) < 1
