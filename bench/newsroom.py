"""One data generator for the benches: a newsroom's worth of articles of realistic text (2-10
KB by default, or as long as asked), claims on real words (whole-word spans, some
overlapping), sources, editors, history rows, then VACUUM ANALYZE: the planner and the
search's statistics see the tables as they are, and the visibility map is set, as autovacuum
leaves a production database after a bulk insert (this machine's PostgreSQL runs none; without
it a count cannot be an index-only scan and reads every row).

    from newsroom import newsroom
    article_ids = newsroom(articles=10_000, claims_per_article=10)

Idempotent per `tag`: a second call with the same arguments finds the rows and returns."""

from __future__ import annotations

import random
import re

WORD = re.compile(r"\w[\w'’-]*")


def word_spans(text: str, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """`count` spans of 4-25 whole words, where a fact-checker would mark a claim."""
    words = [(m.start(), m.end()) for m in WORD.finditer(text)]
    spans = []
    for _ in range(count):
        first = rng.randrange(0, max(1, len(words) - 30))
        last = min(len(words) - 1, first + rng.randint(3, 24))
        spans.append((words[first][0], words[last][1]))
    return spans


def newsroom(
    *,
    articles: int,
    claims_per_article: int,
    body_chars: tuple[int, int] = (2_000, 10_000),
    sources_per_claim: int = 1,
    tag: str = "newsroom",
    seed: int = 5,
) -> list[int]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from annotations import anchoring, roles
    from annotations.models import Article, Claim, ClaimStatus, Source, Verdict
    from bench.textgen import NewsText

    prefix = f"https://{tag}.example.org/"
    existing = list(
        Article.objects.filter(url__startswith=prefix).order_by("id").values_list("id", flat=True)
    )
    if len(existing) == articles:
        return existing
    rng = random.Random(seed)
    text = NewsText(seed=seed)
    now = timezone.now()
    with transaction.atomic():
        Article.objects.filter(url__startswith=prefix).delete()
        editors_group, _ = Group.objects.get_or_create(name=roles.EDITOR_GROUP)
        users = []
        for n in range(20):
            user, _ = get_user_model().objects.get_or_create(username=f"{tag}-editor-{n}")
            user.groups.add(editors_group)
            users.append(user)
        verdicts = list(Verdict.objects.all())
        statuses = [ClaimStatus.DRAFT] * 6 + [ClaimStatus.IN_REVIEW] * 3 + [ClaimStatus.APPROVED]
        for batch_start in range(0, articles, 500):
            batch = range(batch_start, min(articles, batch_start + 500))
            made = bulk_create_with_history(
                [
                    Article(
                        title=text.sentence(14).rstrip("."),
                        url=f"{prefix}{n}",
                        publisher="The Bench Courier",
                        body=text.text(rng.randint(*body_chars)),
                    )
                    for n in batch
                ],
                Article,
                batch_size=500,
            )
            claims = []
            for article in made:
                for start, end in word_spans(article.body, rng, claims_per_article):
                    anchor = anchoring.selector_at(article.body, start, end)
                    status = rng.choice(statuses)
                    claims.append(
                        Claim(
                            article=article,
                            exact=anchor.exact,
                            prefix=anchor.prefix,
                            suffix=anchor.suffix,
                            start=start,
                            end=end,
                            claimant=text.sentence(4).rstrip("."),
                            verdict=rng.choice(verdicts),
                            summary=text.sentence(25),
                            status=status,
                            created_by=rng.choice(users),
                            assignee=rng.choice(users + [None] * 20),
                            reviewed_by=users[0] if status == ClaimStatus.APPROVED else None,
                            reviewed_at=now if status == ClaimStatus.APPROVED else None,
                        )
                    )
            claims = bulk_create_with_history(claims, Claim, batch_size=2000)
            Source.objects.bulk_create(
                [
                    Source(
                        claim=claim,
                        url=f"https://stats.example.org/{claim.id}/{k}",
                        title=text.sentence(8).rstrip("."),
                        publisher="Statistics office",
                        relation="refutes",
                    )
                    for claim in claims
                    for k in range(sources_per_claim)
                ],
                batch_size=5000,
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return list(
        Article.objects.filter(url__startswith=prefix).order_by("id").values_list("id", flat=True)
    )
