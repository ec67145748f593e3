"""An article's text as sentences, each with its span in Unicode code points (Python `str`
indices, end exclusive), as claims' selectors count.

Sentence boundaries come from sentencex (Wikimedia; rules and abbreviation lists for ~300
languages, no model to download), which reports code-point offsets. A line break always ends
a sentence: headlines, datelines and list items carry no full stop, and sentencex would glue
them to the next line. Each span is trimmed of surrounding spaces; stretches holding no letter
or digit (an emoji alone, a rule of dashes) are not sentences."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sentencex

LINE = re.compile(r"[^\r\n]+")
HAS_WORD = re.compile(r"[^\W_]")  # a letter or a digit


@dataclass(frozen=True)
class Sentence:
    n: int  # 0-based position among the article's sentences
    start: int
    end: int
    text: str


def split_sentences(text: str, language: str = "en") -> list[Sentence]:
    """The sentences of `text` in order; `text[s.start:s.end] == s.text` for each, spans never
    overlap, and every letter or digit of the text lies in one."""
    language = (language or "en").split("-")[0].lower()
    sentences: list[Sentence] = []
    for line in LINE.finditer(text):
        offset = line.start()
        for boundary in sentencex.get_sentence_boundaries(language, line.group()):
            start = offset + boundary["start_index"]
            end = offset + boundary["end_index"]
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            piece = text[start:end]
            if HAS_WORD.search(piece):
                sentences.append(Sentence(len(sentences), start, end, piece))
    return sentences


def covered(sentences: Sequence[tuple[int, int]], spans: Iterable[tuple[int, int]]) -> list[bool]:
    """For each sentence (start, end), in text order and never overlapping, whether any span
    (start, end) shares a character with it: a claim on part of a sentence marks it."""
    ends = [end for _, end in sentences]
    hit = [False] * len(sentences)
    for start, end in spans:
        index = bisect.bisect_right(ends, start)  # the first sentence ending after `start`
        while index < len(sentences) and sentences[index][0] < end:
            hit[index] = True
            index += 1
    return hit
