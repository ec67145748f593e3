"""Suggested claims: scoring an article's sentences (a job, when an article is created or its
text changes), an editor's dismissals, and training the desk's own model.

The rules, in one place:
- Only articles the desk annotates are scored (never archive articles).
- Scores come from the serving learned model when there is one and it was trained on the
  configured embedder; otherwise from the cue heuristic. A model serves once the desk has
  SUGGESTIONS_MIN_CLAIMS claims, and only while its cross-validated F1 is at least the
  heuristic's on the same sentences.
- The flagged sentences are each article's top SUGGESTIONS_TOP_SHARE by score.
- Labels: a sentence any claim of its article stands on (or is proposed on) is a positive;
  the other sentences of articles with claims, and dismissed sentences, are negatives; a
  claim outweighs a dismissal.
- A dismissal belongs to the sentence's words: it survives a re-scoring, and after an edit
  it holds wherever the same sentence still stands.
- Retraining waits for SUGGESTIONS_RETRAIN_EVERY new labels and for
  SUGGESTIONS_RETRAIN_INTERVAL seconds since the last model.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .. import roles
from ..models import (
    AnchorState,
    Article,
    ArticleSentence,
    Claim,
    SuggestionDismissal,
    SuggestionModel,
)
from ..suggestions import model as learned
from ..suggestions.heuristic import heuristic_score
from ..suggestions.sentences import covered, split_sentences

# Sent by name, as vectors.EMBED_TASK is: services never import tasks.
SCORE_TASK = "annotations.tasks.suggest_sentences"
# After a retrain, the articles touched this recently are scored again by the new model.
RESCORE_DAYS = 30
RESCORE_LIMIT = 1000
BATCH_ARTICLES = 200

NO_SUCH_SENTENCE = "This article's text has no sentence {n} (it has {count}, numbered from 0)."
TOO_FEW_CLAIMS = (
    "The desk has {claims} claim(s) on its articles; a model is trained from {minimum} on "
    "(SUGGESTIONS_MIN_CLAIMS). Until then the cue heuristic suggests."
)
NOTHING_TO_LEARN = "Training needs both marked sentences and sentences left unmarked."

OPEN, DISMISSED, CLAIMED = "open", "dismissed", "claimed"
STATUSES = (OPEN, DISMISSED, CLAIMED)


class SentenceNotFound(Exception):
    """No sentence with that number in the article's current text."""


class CannotTrain(Exception):
    """Too few labels to train a model; nothing was written."""


def sentence_digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def article_suggestions_queue(*, article_id: int) -> None:
    """Score the article's sentences in a worker once the caller's transaction commits."""
    from celery import current_app

    transaction.on_commit(lambda: current_app.send_task(SCORE_TASK, args=(article_id,)))


def _queue_unscored(article: Article) -> None:
    """A text read before it was scored (an imported article queues no job of its own, and a
    lost job leaves its article unscored) is queued once, here, and the reader polls for it:
    at most once per process for ten minutes, whoever reads it."""
    from django.core.cache import cache

    if cache.add(f"suggestions-queued:{article.pk}:{article.revision}", True, timeout=600):
        article_suggestions_queue(article_id=article.pk)


# -- the serving scorer -------------------------------------------------------------------

_loaded: dict[tuple, learned.Model | None] = {}


def serving_model(embedder_name: str) -> tuple[int | None, learned.Model | None]:
    """The id of the model that scores new text and the model, its numbers read and loaded
    once per process (a megabyte), or (None, None) when the heuristic serves."""
    serving = (
        SuggestionModel.objects.filter(serves=True, embedder=embedder_name)
        .values_list("id", "created_at")
        .first()
    )
    if serving is None:
        return None, None
    model_id = serving[0]
    # Keyed by creation time too: SQLite may give a rolled-back row's id to a new one.
    if serving not in _loaded:
        params, weights = SuggestionModel.objects.values_list("params", "weights").get(pk=model_id)
        _loaded.clear()  # one model serves at a time: drop the one it replaced
        _loaded[serving] = learned.Model.from_stored(params, weights)
    model = _loaded[serving]
    return (model_id, model) if model is not None else (None, None)


def _embedder(embedder=None):
    from ..search.embedding import get_embedder

    return embedder or get_embedder()


def _vector(blob) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype="<f2").astype(np.float32)


# -- scoring an article (the job) ---------------------------------------------------------


def article_suggestions_refresh(*, article_id: int, embedder=None, force: bool = False) -> int:
    """Split the article's current text into sentences, score them and flag its top share,
    replacing the rows of any earlier revision. Idempotent: an article already scored at this
    revision by the serving scorer is left alone (unless `force`). Sentences whose words were
    embedded before keep their vectors. Returns how many sentences were scored."""
    article = (
        Article.objects.filter(pk=article_id)
        .only("id", "body", "revision", "language", "is_archive")
        .first()
    )
    if article is None:
        return 0
    if article.is_archive:
        ArticleSentence.objects.filter(article_id=article_id).delete()
        return 0
    embedder = _embedder(embedder)
    model_id, model = serving_model(embedder.name)
    existing = list(
        ArticleSentence.objects.filter(article_id=article_id).only(
            "revision", "digest", "scored_by_id", "embedder", "vector"
        )
    )
    up_to_date = (
        existing
        and all(sentence.revision == article.revision for sentence in existing)
        and all(sentence.scored_by_id == model_id for sentence in existing)
        and all(sentence.embedder == embedder.name for sentence in existing)
    )
    if up_to_date and not force:
        return 0
    sentences = split_sentences(article.body, article.language)
    texts = [sentence.text for sentence in sentences]
    digests = [sentence_digest(text) for text in texts]
    known = {
        sentence.digest: sentence.vector
        for sentence in existing
        if sentence.embedder == embedder.name and sentence.vector
    }
    vectors = np.zeros((len(texts), embedder.dimensions), dtype=np.float32)
    todo = [index for index, digest in enumerate(digests) if digest not in known]
    if todo:
        from ..search.embedding import embed_in_batches

        vectors[todo] = embed_in_batches(embedder, [texts[index] for index in todo])
    for index, digest in enumerate(digests):
        if digest in known:
            vectors[index] = _vector(known[digest])
    if model is not None:
        scores = model.score(texts, vectors).tolist()
    else:
        scores = [heuristic_score(text) for text in texts]
    flags = learned.flag_top_share(scores, settings.SUGGESTIONS_TOP_SHARE)
    with transaction.atomic():
        current = (
            Article.objects.select_for_update()
            .filter(pk=article_id)
            .values_list("revision", flat=True)
            .first()
        )
        if current != article.revision:
            return 0  # edited meanwhile: the job queued by that edit scores the new text
        ArticleSentence.objects.filter(article_id=article_id).delete()
        ArticleSentence.objects.bulk_create(
            [
                ArticleSentence(
                    article_id=article_id,
                    revision=article.revision,
                    n=sentence.n,
                    start=sentence.start,
                    end=sentence.end,
                    digest=digest,
                    score=float(score),
                    suggested=flag,
                    scored_by_id=model_id,
                    embedder=embedder.name,
                    vector=vector.astype("<f2").tobytes(),
                )
                for sentence, digest, score, flag, vector in zip(
                    sentences, digests, scores, flags, vectors, strict=True
                )
            ],
            batch_size=500,
        )
    return len(sentences)


def suggestions_score_all(
    *, embedder=None, force: bool = False, progress: Callable[[int, int], None] | None = None
) -> int:
    """Score every article the desk annotates (those already scored by the serving scorer at
    their revision are skipped unless `force`: safe to interrupt and run again). Returns how
    many sentences were scored."""
    embedder = _embedder(embedder)
    ids = list(Article.objects.filter(is_archive=False).order_by("id").values_list("id", flat=True))
    scored = 0
    for seen, article_id in enumerate(ids, start=1):
        scored += article_suggestions_refresh(article_id=article_id, embedder=embedder, force=force)
        if progress:
            progress(seen, len(ids))
    return scored


# -- reading and dismissing ----------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    n: int
    start: int
    end: int
    text: str
    score: float  # the cue heuristic's until the job has scored this revision of the text
    suggested: bool
    status: str
    digest: str


@dataclass(frozen=True)
class ArticleSuggestions:
    sentences: list[Suggestion]
    pending: bool  # the job has not scored the current text yet: the heuristic's scores


def claim_places(article_id: int) -> list[tuple[int, int]]:
    """Where the article's claims stand in its current text: their words, or the words
    proposed when an edit changed them; an orphaned claim stands nowhere."""
    places = []
    for start, end, state, proposed_start, proposed_end in Claim.objects.filter(
        article_id=article_id
    ).values_list("start", "end", "anchor_state", "proposed_start", "proposed_end"):
        if state == AnchorState.ORPHANED:
            continue
        if state == AnchorState.CHANGED:
            start, end = proposed_start, proposed_end
        places.append((start, end))
    return places


def article_suggestions(article: Article) -> ArticleSuggestions:
    """Every sentence of the article's current text with its score, flag and status, in three
    queries whatever the length (sentences, dismissals, claims). Before the job has scored the
    current revision (`pending`), the sentences come from the text itself with the cue
    heuristic's scores (regular expressions: ~17 ms for 5,000 words), so every sentence always
    has a score; the embedding and the desk's model run only in the job, never on a request."""
    rows = list(
        ArticleSentence.objects.filter(article_id=article.pk, revision=article.revision)
        .order_by("n")
        .values_list("n", "start", "end", "digest", "score", "suggested")
    )
    body = article.body
    if rows:
        items = [
            (n, start, end, body[start:end], digest, score, suggested)
            for n, start, end, digest, score, suggested in rows
        ]
        pending = False
    else:
        split = split_sentences(body, article.language)
        scores = [heuristic_score(sentence.text) for sentence in split]
        flags = learned.flag_top_share(scores, settings.SUGGESTIONS_TOP_SHARE)
        items = [
            (s.n, s.start, s.end, s.text, sentence_digest(s.text), score, flag)
            for s, score, flag in zip(split, scores, flags, strict=True)
        ]
        # Archive articles are never scored: their heuristic scores are all there will be.
        pending = bool(items) and not article.is_archive
        if pending:
            _queue_unscored(article)
    dismissed = set(
        SuggestionDismissal.objects.filter(article_id=article.pk).values_list("digest", flat=True)
    )
    claimed = covered([(item[1], item[2]) for item in items], claim_places(article.pk))
    sentences = [
        Suggestion(
            n=n,
            start=start,
            end=end,
            text=text,
            score=score,
            suggested=suggested,
            status=CLAIMED if is_claimed else DISMISSED if digest in dismissed else OPEN,
            digest=digest,
        )
        for (n, start, end, text, digest, score, suggested), is_claimed in zip(
            items, claimed, strict=True
        )
    ]
    return ArticleSuggestions(sentences, pending)


@transaction.atomic
def suggestion_dismiss(*, article: Article, n: int, actor) -> Suggestion:
    """An editor says sentence `n` of the article's current text is not worth checking: it is
    no longer suggested there and counts as a negative label. Dismissing it again changes
    nothing (the first who and when are kept)."""
    roles.require_editor(actor)
    sentences = article_suggestions(article).sentences
    if not 0 <= n < len(sentences):
        raise SentenceNotFound(NO_SUCH_SENTENCE.format(n=n, count=len(sentences)))
    sentence = sentences[n]
    SuggestionDismissal.objects.get_or_create(
        article=article,
        digest=sentence.digest,
        defaults={
            "text": sentence.text,
            "revision": article.revision,
            "start": sentence.start,
            "end": sentence.end,
            "dismissed_by": roles.history_user(actor),
        },
    )
    if sentence.status == CLAIMED:
        return sentence
    return replace(sentence, status=DISMISSED)


# -- training -----------------------------------------------------------------------------


@dataclass
class TrainingSet:
    texts: list[str]
    vectors: np.ndarray
    labels: np.ndarray
    groups: np.ndarray  # the article of each sentence
    claims: int
    dismissals: int

    @property
    def articles(self) -> int:
        return len(set(self.groups.tolist()))


def _labelled_articles() -> tuple[dict[int, list[tuple[int, int]]], dict[int, set[str]], int]:
    """Claim places and dismissed digests by article (articles the desk annotates), and the
    number of claims."""
    places: dict[int, list[tuple[int, int]]] = {}
    claims = 0
    rows = Claim.objects.filter(article__is_archive=False).values_list(
        "article_id", "start", "end", "anchor_state", "proposed_start", "proposed_end"
    )
    for article_id, start, end, state, proposed_start, proposed_end in rows.iterator(
        chunk_size=5000
    ):
        claims += 1
        places.setdefault(article_id, [])
        if state == AnchorState.ORPHANED:
            continue
        if state == AnchorState.CHANGED:
            start, end = proposed_start, proposed_end
        places[article_id].append((start, end))
    dismissed: dict[int, set[str]] = {}
    for article_id, digest in SuggestionDismissal.objects.filter(
        article__is_archive=False
    ).values_list("article_id", "digest"):
        dismissed.setdefault(article_id, set()).add(digest)
    return places, dismissed, claims


def suggestions_training_set(*, embedder=None) -> TrainingSet:
    """The desk's labelled sentences with their embeddings. Articles not scored at their
    current revision yet are scored first (which embeds their sentences once)."""
    embedder = _embedder(embedder)
    places, dismissed, claims = _labelled_articles()
    article_ids = sorted(set(places) | set(dismissed))
    texts: list[str] = []
    vectors: list[np.ndarray] = []
    labels: list[int] = []
    groups: list[int] = []
    for offset in range(0, len(article_ids), BATCH_ARTICLES):
        batch = article_ids[offset : offset + BATCH_ARTICLES]
        for article_id in _unembedded(batch, embedder.name):
            article_suggestions_refresh(article_id=article_id, embedder=embedder)
        bodies = dict(Article.objects.filter(pk__in=batch).values_list("id", "body"))
        rows: dict[int, list] = {}
        for row in (
            ArticleSentence.objects.filter(article_id__in=batch, embedder=embedder.name)
            .order_by("article_id", "n")
            .values_list("article_id", "start", "end", "digest", "vector")
        ):
            rows.setdefault(row[0], []).append(row[1:])
        for article_id in batch:
            sentences = rows.get(article_id, [])
            marked = covered([(s[0], s[1]) for s in sentences], places.get(article_id, []))
            has_claims = article_id in places
            refused = dismissed.get(article_id, set())
            for (start, end, digest, vector), is_marked in zip(sentences, marked, strict=True):
                if not (is_marked or has_claims or digest in refused):
                    continue  # an article without claims says nothing of its other sentences
                texts.append(bodies[article_id][start:end])
                vectors.append(_vector(vector))
                labels.append(1 if is_marked else 0)
                groups.append(article_id)
    matrix = np.vstack(vectors) if vectors else np.zeros((0, embedder.dimensions), np.float32)
    return TrainingSet(
        texts,
        matrix,
        np.asarray(labels, dtype=np.int8),
        np.asarray(groups),
        claims,
        sum(len(digests) for digests in dismissed.values()),
    )


def _unembedded(article_ids: list[int], embedder_name: str) -> list[int]:
    """Those of these articles whose sentences at their current revision have no vectors of
    this embedder yet (whichever scorer scored them: training needs only the vectors)."""
    done = set(
        ArticleSentence.objects.filter(
            article_id__in=article_ids,
            embedder=embedder_name,
            revision=Subquery(Article.objects.filter(pk=OuterRef("article_id")).values("revision")),
        )
        .values_list("article_id", flat=True)
        .distinct()
    )
    return [article_id for article_id in article_ids if article_id not in done]


def suggestions_train(
    *, actor, embedder=None, model_settings: learned.Settings | None = None
) -> SuggestionModel:
    """Train a model on the desk's labels now, measure it by cross-validation (folds by
    article) against the heuristic on the same sentences, and store it; it serves unless the
    heuristic measured better. Raises CannotTrain below SUGGESTIONS_MIN_CLAIMS claims."""
    roles.require_editor(actor)
    embedder = _embedder(embedder)
    model_settings = model_settings or learned.Settings()
    share = settings.SUGGESTIONS_TOP_SHARE
    began = time.perf_counter()
    data = suggestions_training_set(embedder=embedder)
    if data.claims < settings.SUGGESTIONS_MIN_CLAIMS:
        raise CannotTrain(
            TOO_FEW_CLAIMS.format(claims=data.claims, minimum=settings.SUGGESTIONS_MIN_CLAIMS)
        )
    if len(set(data.labels.tolist())) < 2:
        raise CannotTrain(NOTHING_TO_LEARN)
    fitted = learned.fit_and_measure(
        data.texts, data.vectors, data.labels, data.groups, model_settings, share
    )
    model, measured, baseline = fitted.model, fitted.measured, fitted.heuristic
    serves = measured is None or measured.f1 >= baseline.f1
    with transaction.atomic():
        if serves:
            SuggestionModel.objects.filter(serves=True).update(serves=False)
        row = SuggestionModel.objects.create(
            embedder=embedder.name,
            params=model.params,
            weights=model.to_bytes(),
            training_size=len(data.labels),
            positives=int(data.labels.sum()),
            articles=data.articles,
            claims=data.claims,
            dismissals=data.dismissals,
            cv_f1=measured.f1 if measured else None,
            cv_average_precision=measured.average_precision if measured else None,
            heuristic_cv_f1=baseline.f1,
            top_share=share,
            training_seconds=time.perf_counter() - began,
            serves=serves,
        )
        if serves:
            _rescore_recent()
    return row


def _rescore_recent() -> None:
    """Queue a new scoring of the articles touched lately, for the model that now serves."""
    since = timezone.now() - dt.timedelta(days=RESCORE_DAYS)
    recent = (
        Article.objects.filter(is_archive=False, updated_at__gte=since)
        .order_by("-updated_at")
        .values_list("id", flat=True)[:RESCORE_LIMIT]
    )
    for article_id in recent:
        article_suggestions_queue(article_id=article_id)


def suggestions_new_labels(since: dt.datetime | None) -> int:
    """Claims made and suggestions dismissed (on articles the desk annotates) since then."""
    claims = Claim.objects.filter(article__is_archive=False)
    dismissals = SuggestionDismissal.objects.filter(article__is_archive=False)
    if since is not None:
        claims = claims.filter(created_at__gt=since)
        dismissals = dismissals.filter(dismissed_at__gt=since)
    return claims.count() + dismissals.count()


def suggestions_retrain_if_due(*, embedder=None) -> SuggestionModel | None:
    """What the beat runs every few minutes: train when SUGGESTIONS_RETRAIN_EVERY new labels
    came in since the last model, at most once per SUGGESTIONS_RETRAIN_INTERVAL seconds, and
    only from SUGGESTIONS_MIN_CLAIMS claims on."""
    latest = SuggestionModel.objects.order_by("-created_at", "-id").only("created_at").first()
    if latest is not None:
        age = (timezone.now() - latest.created_at).total_seconds()
        if age < settings.SUGGESTIONS_RETRAIN_INTERVAL:
            return None
    if suggestions_new_labels(latest.created_at if latest else None) < (
        settings.SUGGESTIONS_RETRAIN_EVERY
    ):
        return None
    if Claim.objects.filter(article__is_archive=False).count() < settings.SUGGESTIONS_MIN_CLAIMS:
        return None
    try:
        return suggestions_train(actor=roles.SYSTEM, embedder=embedder)
    except CannotTrain:
        return None
