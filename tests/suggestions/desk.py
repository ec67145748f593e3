"""Written test articles for suggested claims: news-like sentences of two kinds, the kind a
desk marks (checkable statements of fact) and the kind it leaves (scene, opinion, asides),
with places, figures and years varied so no two articles are alike."""

import random

from annotations import anchoring
from annotations.models import Article, Claim

PLACES = ["Arden", "Belmont", "Castlebar", "Dunmore", "Elmstead", "Fairhaven", "Glenrock"]
CHECKABLE = [
    "{place} council spent {n} million euros on road repairs in {year}, the budget shows.",
    "Unemployment in {place} fell to {p} percent in {year}, according to the statistics office.",
    "The minister said {n} new jobs were created in {place} last year.",
    "Hospital waiting lists in {place} grew by {p} percent since {year}.",
    "{place} recorded {n} burglaries in {year}, the lowest figure in a decade.",
    "Rents in {place} have risen by {p} percent since {year}, the housing agency reported.",
    "The school in {place} has lost {n} teachers since {year}, union figures show.",
]
OTHER = [
    "Residents of {place} gathered in the square on Saturday evening.",
    "The mayor thanked the volunteers for their hard work.",
    "Many people in {place} feel hopeful about what comes next.",
    "The weather was mild and the streets were busy.",
    "What happens next remains to be seen.",
    "Local musicians played until late into the night.",
    "Shops along the river stayed open for the festival.",
    "Children ran between the stalls while their parents talked.",
]


def sentence(template: str, rng: random.Random) -> str:
    return template.format(
        place=rng.choice(PLACES),
        n=rng.randint(2, 900),
        p=f"{rng.randint(1, 30)}.{rng.randint(0, 9)}",
        year=rng.randint(2005, 2024),
    )


def article_text(rng: random.Random, checkable: int = 3, other: int = 6) -> tuple[str, list[str]]:
    """An article's text and its checkable sentences, in a random order."""
    facts = [sentence(template, rng) for template in rng.sample(CHECKABLE, checkable)]
    rest = [sentence(template, rng) for template in rng.sample(OTHER, other)]
    sentences = facts + rest
    rng.shuffle(sentences)
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return "\n".join(paragraphs), facts


def mark(article: Article, quote: str, **fields) -> Claim:
    """A claim on `quote` in the article, as the editor makes one (whole words)."""
    from tests.factories import ClaimFactory

    return ClaimFactory(article=article, quote=quote, **fields)


def write_desk(articles: int, seed: int = 3, held_back: int = 0) -> list[tuple[Article, list[str]]]:
    """Articles whose checkable sentences are marked as claims, except `held_back` of each
    article's (kept unmarked, returned for the test to look at)."""
    from tests.factories import ArticleFactory

    rng = random.Random(seed)
    made = []
    for _ in range(articles):
        body, facts = article_text(rng)
        article = ArticleFactory(body=anchoring.normalize_newlines(body))
        for fact in facts[held_back:]:
            mark(article, fact.rstrip("."))
        made.append((article, facts[:held_back]))
    return made
