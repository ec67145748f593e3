"""The query from a claim or a tweet: pure functions, no Django.

`normalise` is the one cleaning both sides of the search read: the lexical backends take
their terms from it and the embedder encodes it. URLs go; @handles and #hashtags become the
words they are made of (#WindTurbines -> "Wind Turbines"); a tweet's signature line
"— Jane Doe (@jane) March 3, 2020" keeps the author's name and loses the handle and date
(CheckThat! 2020 dev: dropping the name cost MAP@5). Lexical backends then OR the distinct
significant words, so punctuation (`"`, `&`, `:`) can never break a query.
"""

import re

# More terms cost time and, past ~20, no quality (CheckThat! 2020 dev: 12 terms MAP@5 0.66,
# 20 terms 0.73, 48 terms 0.73 at 1.6x the p95 time).
MAX_TERMS = 20

URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+", re.IGNORECASE)
TAG = re.compile(r"[@#](\w+)")
# The signature Twitter appends to embedded tweets: "— Jane Doe (@jane) March 3, 2020".
TWEET_TAIL = re.compile(
    r"[—–-]+\s*(?P<name>[^—–(]{0,80}?)\s*\(@\w+\)\s*[A-Z][a-z]+\s+\d{1,2},\s*\d{4}\s*$"
)
# Word starts inside a handle or hashtag: "realDonaldTrump" -> real Donald Trump,
# "COVID19Vaccine" -> COVID19 Vaccine.
CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|_+")
SPACES = re.compile(r"\s+")
TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)

STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves rt via amp says said say just like get got also one new""".split()
)


def _tag_words(match: re.Match) -> str:
    return CAMEL.sub(" ", match.group(1)).strip()


def normalise(text: str) -> str:
    """The text both sides of the search read: no URLs, tags as words, the tweet signature's
    name without its handle and date, whitespace collapsed."""
    text = TWEET_TAIL.sub(lambda m: f" — {m.group('name')}", text.strip())
    text = URL.sub(" ", text)
    text = TAG.sub(_tag_words, text)
    return SPACES.sub(" ", text).strip()


def query_terms(text: str) -> list[str]:
    """The distinct significant lower-case words of `text` (normalised), in order, at most
    MAX_TERMS."""
    seen: dict[str, None] = {}
    for match in TOKEN.finditer(normalise(text).lower()):
        word = match.group().replace("’", "'").split("'")[0]
        if len(word) > 1 and word not in STOP_WORDS:
            seen.setdefault(word, None)
    return list(seen)[:MAX_TERMS]


# A query keeps its rarest words (query order while no statistics exist yet): at most
# RAREST_TERMS, none found in more than COMMON_SHARE of the archive unless that would leave
# fewer than MIN_TERMS. On a 100,000-article archive, ORing common words ranks most of it.
RAREST_TERMS = 8
MIN_TERMS = 3
COMMON_SHARE = 0.02


def rarest_terms(
    terms: list[tuple[str, int, int | None]],
    archive_size: int,
    keep: int = RAREST_TERMS,
    most_documents: int | None = None,
) -> list[str]:
    """(indexed term, position in the query, documents holding it or None) -> at most `keep`
    terms to search, rarest first; with `most_documents`, the commonest chosen terms are
    dropped (never the rarest) while together they are in more documents than that."""
    ordered = sorted(terms, key=lambda row: (row[2] is None, row[2] or 0, row[1]))
    known = [row for row in ordered if row[2] is not None]
    if not known:  # no statistics yet: the query's first words
        return [row[0] for row in sorted(terms, key=lambda row: row[1])][:keep]
    cap = max(50, COMMON_SHARE * archive_size)
    rare = [row for row in known if row[2] <= cap]
    chosen = (rare if len(rare) >= MIN_TERMS else known[:MIN_TERMS])[:keep]
    if most_documents is not None:
        while len(chosen) > 1 and sum(row[2] for row in chosen) > most_documents:
            chosen = chosen[:-1]
    return [row[0] for row in chosen]


def required_terms(
    terms: list[tuple[str, int, int | None]], archive_size: int, most_documents: int
) -> list[str]:
    """A query of common words only: when even its rarest known word is in more than
    `most_documents` articles, the fewest of its rarest words (at least two) that together,
    were words independent of each other, would be in at most that many; the search then asks
    for articles holding all of them, and ranks a few hundred articles rather than thousands
    (generated 10,000-article archive: the slowest searches' lexical query 40 -> 5 ms). Empty
    when the rarest word alone is within `most_documents`, or nothing is known."""
    known = sorted(
        {row[0]: row for row in terms if row[2] is not None}.values(),
        key=lambda row: (row[2], row[1]),
    )
    if not known or known[0][2] <= most_documents or archive_size <= 0:
        return []
    required, expected = [], float(archive_size)
    for term, _, documents in known:
        required.append(term)
        expected *= min(1.0, documents / archive_size)
        if len(required) >= 2 and expected <= most_documents:
            break
    return required


def claim_query_text(exact: str, summary: str = "") -> str:
    """The text a claim is searched by: its quote, then its rating explanation."""
    return f"{exact}\n{summary}".strip()


SNIPPET_CHARS = 20_000  # the part of a long article a snippet is looked for in
WORD = re.compile(r"[^\W_]+", re.UNICODE)


def query_words(terms: list[str]) -> re.Pattern | None:
    """What `snippet` marks: a word that starts with a query word's first five letters or
    more, so "vaccines" marks "vaccination". Compiled once per search, used for each match."""
    stems = sorted({term[: max(5, len(term) - 2)] for term in terms if len(term) > 1})
    if not stems:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, stems)) + ")", re.IGNORECASE)


def snippet(text: str, marked: re.Pattern | None, *, words: int = 24) -> str:
    """The `words`-word window of `text` holding the most query words (`query_words`), each
    marked [[...]]; the text's first words when none is there."""
    text = text[:SNIPPET_CHARS]
    found = [hit.start() for hit in marked.finditer(text)] if marked else []
    # Only the stretch around the densest cluster of hits is cut into words: a long article
    # is never tokenised whole (~1 ms apiece, ten matches a search).
    span = words * 8
    lo = 0
    if found:
        left, best, most = 0, 0, 0
        for right, at in enumerate(found):
            while at - found[left] > span:
                left += 1
            if right - left + 1 > most:
                best, most = found[left], right - left + 1
        lo = max(0, best - span // 2)
    hi = min(len(text), lo + 2 * span)
    tokens = [
        token
        for token in WORD.finditer(text, lo, hi)
        # a word cut by the stretch's edges is not shown
        if not (token.start() == lo and lo > 0 and text[lo - 1].isalnum())
        and not (token.end() == hi and hi < len(text) and text[hi].isalnum())
    ]
    if not tokens:
        return ""
    starts = set(found)
    hits = [token.start() in starts for token in tokens]
    first, best_count, count = 0, -1, 0
    for end in range(len(tokens)):
        count += hits[end]
        if end >= words:
            count -= hits[end - words]
        if count > best_count:
            first, best_count = max(0, end - words + 1), count
    window = range(first, min(first + words, len(tokens)))
    out, at = [], tokens[window[0]].start()
    for n in window:
        token = tokens[n]
        out.append(text[at : token.start()])
        out.append(f"[[{token.group()}]]" if hits[n] else token.group())
        at = token.end()
    before = WORD.search(text, 0, tokens[window[0]].start())
    after = WORD.search(text, tokens[window[-1]].end())
    return ("… " if before else "") + "".join(out).strip() + (" …" if after else "")
