"""Search vectors: what each article and published prior fact-check is embedded as, and
keeping the stored vectors current. A vector is recomputed only when its text (or the model)
changed, so every pass is resumable: an interrupted run picks up where it stopped."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

import numpy as np
from django.db import transaction
from django.utils import timezone

from ..models import Article, Claim, ClaimStatus, SearchVector

# Sent by name, as coverage.RUN_TASK is: services never import tasks.
EMBED_TASK = "annotations.tasks.embed_article"
BATCH_ARTICLES = 256
# An article is embedded by its title and lead; the embedder cuts it at its token limit, so
# only the first characters need reading.
LEAD_CHARS = 2000

Key = tuple[int, int | None]  # (article id, prior fact-check id or None)


def article_vectors_queue(*, article_id: int) -> None:
    """Re-embed an article (and its published fact-checks) once the caller's transaction
    commits, in a worker."""
    from celery import current_app

    transaction.on_commit(lambda: current_app.send_task(EMBED_TASK, args=(article_id,)))


def article_text(title: str, body: str) -> str:
    return f"{title.strip()}\n{body[:LEAD_CHARS]}"


def digest_of(text: str, model: str) -> str:
    return hashlib.blake2b(f"{model}\n{text}".encode(), digest_size=16).hexdigest()


def _texts_of(article_ids: list[int]) -> dict[Key, str]:
    """The text each searchable item of these articles should be embedded as."""
    texts: dict[Key, str] = {}
    for article_id, title, body in Article.objects.filter(pk__in=article_ids).values_list(
        "id", "title", "body"
    ):
        texts[(article_id, None)] = article_text(title, body)
    published = Claim.objects.filter(article_id__in=article_ids, status=ClaimStatus.PUBLISHED)
    for claim_id, article_id, exact in published.values_list("id", "article_id", "exact"):
        texts[(article_id, claim_id)] = exact
    return texts


def article_vectors_refresh(*, article_ids: Iterable[int], embedder=None, force=False) -> int:
    """Bring the vectors of these articles up to date: embed what is missing or whose text
    changed (everything, with `force`), drop those of fact-checks no longer published.
    Returns how many items were embedded."""
    from ..search.embedding import embed_in_batches, get_embedder

    embedder = embedder or get_embedder()
    article_ids = list(article_ids)
    wanted = _texts_of(article_ids)
    stored = {
        (row.article_id, row.claim_id): row
        for row in SearchVector.objects.filter(
            article_id__in=article_ids, model=embedder.name
        ).only("id", "article_id", "claim_id", "digest")
    }
    digests = {key: digest_of(text, embedder.name) for key, text in wanted.items()}
    todo = [
        key for key in wanted if force or key not in stored or stored[key].digest != digests[key]
    ]
    vectors = embed_in_batches(embedder, [wanted[key] for key in todo])
    with transaction.atomic():
        gone = [row.id for key, row in stored.items() if key not in wanted]
        if gone:
            SearchVector.objects.filter(pk__in=gone).delete()
            article_vectors_touch(
                article_ids={key[0] for key, row in stored.items() if row.id in gone}
            )
        changed, new = [], []
        for key, vector in zip(todo, vectors, strict=True):
            blob = vector.astype("<f2").tobytes()
            if key in stored:
                row = stored[key]
                row.digest, row.vector = digests[key], blob
                changed.append(row)
            else:
                new.append(
                    SearchVector(
                        article_id=key[0],
                        claim_id=key[1],
                        model=embedder.name,
                        digest=digests[key],
                        vector=blob,
                    )
                )
        now = timezone.now()  # bulk_update skips auto_now: the in-memory index reads this
        for row in changed:
            row.updated_at = now
        SearchVector.objects.bulk_update(
            changed, ["digest", "vector", "updated_at"], batch_size=500
        )
        SearchVector.objects.bulk_create(new, batch_size=500)
    return len(todo)


def article_vectors_touch(*, article_ids: Iterable[int]) -> None:
    """Stamp these articles' own vectors as changed, so every process's in-memory index reads
    their rows again and drops the deleted ones (search.dense). Whoever deletes a vector row
    (a fact-check unpublished or deleted) calls this in the same transaction."""
    SearchVector.objects.filter(article_id__in=list(article_ids), claim__isnull=True).update(
        updated_at=timezone.now()
    )


def vectors_embed_pending(
    *,
    force: bool = False,
    embedder=None,
    progress: Callable[[int, int, int], None] | None = None,
) -> int:
    """Embed every article and published fact-check whose vector is missing or stale (all of
    them, with `force`), BATCH_ARTICLES articles at a time, each batch committed on its own.
    `progress(articles seen, articles in all, items embedded)`. Returns items embedded."""
    from ..search.embedding import get_embedder

    embedder = embedder or get_embedder()
    ids = list(Article.objects.order_by("id").values_list("id", flat=True))
    embedded = 0
    for start in range(0, len(ids), BATCH_ARTICLES):
        chunk = ids[start : start + BATCH_ARTICLES]
        embedded += article_vectors_refresh(article_ids=chunk, embedder=embedder, force=force)
        if progress:
            progress(start + len(chunk), len(ids), embedded)
    return embedded


def vector_from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f2").astype(np.float32)
