"""Sentences and their spans: each span selects exactly its sentence, in code points."""

from hypothesis import given
from hypothesis import strategies as st

from annotations.suggestions.sentences import covered, split_sentences
from tests.conftest import SAMPLE_ARTICLE


def texts(body):
    return [sentence.text for sentence in split_sentences(body)]


def test_abbreviations_do_not_end_a_sentence():
    body = "The U.S. economy grew 3% in 2023, said Dr. Smith. Prices rose, e.g. rents. Fine."
    assert texts(body) == [
        "The U.S. economy grew 3% in 2023, said Dr. Smith.",
        "Prices rose, e.g. rents.",
        "Fine.",
    ]


def test_spans_select_their_sentence_past_emoji_and_crlf():
    body = "Jobs rose 🚀 by 5,000. 👩‍👧 Families paid 4 percent more.\r\nA headline\r\nLast one."
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == [
        "Jobs rose 🚀 by 5,000.",
        "👩‍👧 Families paid 4 percent more.",
        "A headline",
        "Last one.",
    ]
    for sentence in sentences:
        assert body[sentence.start : sentence.end] == sentence.text
    # Code points, not UTF-16 units: the family emoji is three code points, the rocket one.
    assert sentences[1].start == body.index("👩")


def test_quotes_stay_with_their_sentence():
    body = (
        "Duarte said “unemployment has halved since 2020.” The council disagreed. "
        "“Is it?” he asked."
    )
    assert texts(body) == [
        "Duarte said “unemployment has halved since 2020.”",
        "The council disagreed.",
        "“Is it?” he asked.",
    ]


def test_a_line_break_ends_a_sentence_and_symbols_alone_are_none():
    body = "Regional council disputes the claim\n\n🚀\n---\nThe rate is 6.1 percent."
    assert texts(body) == ["Regional council disputes the claim", "The rate is 6.1 percent."]


def test_the_sample_article_splits_into_its_sentences():
    body = SAMPLE_ARTICLE.read_text(encoding="utf-8")
    sentences = split_sentences(body)
    assert len(sentences) == 9
    assert sentences[4].text.startswith("The statistics office’s latest release puts the rate")
    assert sentences[4].text.endswith("not a half.")
    assert [s.n for s in sentences] == list(range(9))


ALPHABET = st.sampled_from(
    [*"ab Z9.,!?;:“”\"'’\n\r\t-—()", "é", "e\u0301", "🚀", "👩‍👧", "U.S.", "Dr."]
)


@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_spans_cover_the_text_in_order_and_never_overlap(body):
    sentences = split_sentences(body)
    previous_end = 0
    for n, sentence in enumerate(sentences):
        assert sentence.n == n
        assert previous_end <= sentence.start < sentence.end <= len(body)
        assert body[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
        previous_end = sentence.end
    # Every letter or digit lies in a sentence.
    inside = set()
    for sentence in sentences:
        inside.update(range(sentence.start, sentence.end))
    assert all(i in inside for i, ch in enumerate(body) if ch.isalnum())


def test_covered_marks_each_sentence_a_span_touches():
    sentences = [(0, 10), (11, 20), (21, 30)]
    assert covered(sentences, [(5, 12)]) == [True, True, False]
    assert covered(sentences, [(10, 11)]) == [False, False, False]  # the space between
    assert covered(sentences, [(29, 40), (0, 1)]) == [True, False, True]
    assert covered(sentences, []) == [False, False, False]
