"""Suggested claims through the services: the job scores an article's sentences, statuses
follow claims and dismissals, and the desk's own marks train the model."""

from unittest import mock

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied

from annotations import roles, services
from annotations.models import ArticleSentence, SuggestionDismissal, SuggestionModel
from annotations.search.embedding import get_embedder
from annotations.services import suggestions as suggestion_service
from tests.factories import ArticleFactory, ClaimFactory, UserFactory, editor
from tests.suggestions.desk import write_desk

pytestmark = pytest.mark.django_db

BODY = (
    "Unemployment in the valley fell to 6.1 percent in 2023, the statistics office said. "
    "Residents gathered in the square on Saturday. The mood was cheerful.\n"
    "The council spent 12 million euros on roads last year. What comes next is unclear. "
    "Musicians played late into the night. Everyone seemed happy."
)


class CountingEmbedder:
    """The real embedder, counting the sentences it is asked to embed."""

    def __init__(self):
        self.inner = get_embedder()
        self.name, self.dimensions = self.inner.name, self.inner.dimensions
        self.embedded = 0

    def embed(self, texts, **kwargs):
        self.embedded += len(texts)
        return self.inner.embed(texts, **kwargs)


def sent_tasks(callbacks):
    return [call.args for call in callbacks]


def test_creating_an_article_queues_its_scoring_after_commit(django_capture_on_commit_callbacks):
    with (
        mock.patch("celery.current_app.send_task") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        article = services.article_create(title="T", body=BODY, actor=editor())
        services.article_create(title="Old", body=BODY, actor=roles.SYSTEM, is_archive=True)
    scoring = [c for c in send.call_args_list if c.args[0] == suggestion_service.SCORE_TASK]
    assert [c.kwargs["args"] for c in scoring] == [(article.id,)]


def test_a_text_edit_queues_scoring_and_a_retitle_does_not(django_capture_on_commit_callbacks):
    article = ArticleFactory(body=BODY)
    user = editor()
    with (
        mock.patch("celery.current_app.send_task") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.article_update(article=article, actor=user, title="New title")
        services.article_update(article=article, actor=user, body=BODY + " One more.")
    scoring = [c for c in send.call_args_list if c.args[0] == suggestion_service.SCORE_TASK]
    assert len(scoring) == 1


def test_the_job_scores_every_sentence_and_flags_the_top_quarter():
    article = ArticleFactory(body=BODY)
    assert services.article_suggestions_refresh(article_id=article.id) == 7
    rows = list(ArticleSentence.objects.filter(article=article).order_by("n"))
    assert [row.revision for row in rows] == [article.revision] * 7
    assert sum(row.suggested for row in rows) == 2  # 25% of 7, rounded up
    flagged = {row.n for row in rows if row.suggested}
    assert flagged == {0, 3}  # the two sentences with figures
    assert all(row.scored_by_id is None for row in rows)  # no model yet: the heuristic
    assert all(len(bytes(row.vector)) == 2 * 384 for row in rows)
    # Idempotent: scored at this revision by the serving scorer, so nothing to do.
    assert services.article_suggestions_refresh(article_id=article.id) == 0


def test_archive_articles_are_never_scored():
    article = ArticleFactory(body=BODY, is_archive=True)
    assert services.article_suggestions_refresh(article_id=article.id) == 0
    assert not ArticleSentence.objects.filter(article=article).exists()


def test_before_the_job_the_sentences_carry_the_heuristics_scores():
    article = ArticleFactory(body=BODY)
    found = services.article_suggestions(article)
    assert found.pending
    assert all(0 < s.score < 1 for s in found.sentences)
    assert any(s.suggested for s in found.sentences)
    services.article_suggestions_refresh(article_id=article.id)
    scored = services.article_suggestions(article)
    assert not scored.pending
    # No model yet: the job's scores are the heuristic's too.
    assert [s.suggested for s in scored.sentences] == [s.suggested for s in found.sentences]
    assert [s.score for s in scored.sentences] == pytest.approx(
        [s.score for s in found.sentences], abs=1e-3
    )


def test_an_edit_rescores_and_embeds_only_new_sentences():
    article = ArticleFactory(body=BODY)
    embedder = CountingEmbedder()
    services.article_suggestions_refresh(article_id=article.id, embedder=embedder)
    assert embedder.embedded == 7
    article = services.article_update(
        article=article, actor=editor(), body=BODY.replace("Everyone seemed happy.", "Prices rose.")
    )
    services.article_suggestions_refresh(article_id=article.id, embedder=embedder)
    assert embedder.embedded == 8
    assert set(
        ArticleSentence.objects.filter(article=article).values_list("revision", flat=True)
    ) == {2}


def test_a_claim_on_part_of_a_sentence_makes_it_claimed():
    article = ArticleFactory(body=BODY)
    services.article_suggestions_refresh(article_id=article.id)
    ClaimFactory(article=article, quote="12 million euros")
    statuses = [s.status for s in services.article_suggestions(article).sentences]
    assert statuses == ["open", "open", "open", "claimed", "open", "open", "open"]


def test_dismissing_records_who_and_when_and_survives_rescoring_and_edits():
    article = ArticleFactory(body=BODY)
    services.article_suggestions_refresh(article_id=article.id)
    user = editor()
    sentence = services.suggestion_dismiss(article=article, n=3, actor=user)
    assert sentence.status == "dismissed"
    dismissal = SuggestionDismissal.objects.get(article=article)
    assert dismissal.dismissed_by == user and dismissal.dismissed_at is not None
    assert dismissal.text == "The council spent 12 million euros on roads last year."
    services.suggestion_dismiss(article=article, n=3, actor=editor())  # again: nothing new
    assert SuggestionDismissal.objects.get(article=article).dismissed_by == user

    services.article_suggestions_refresh(article_id=article.id, force=True)
    assert services.article_suggestions(article).sentences[3].status == "dismissed"
    # An edit moves the sentence to the top: the dismissal follows its words.
    moved = "The council spent 12 million euros on roads last year. " + BODY.replace(
        "The council spent 12 million euros on roads last year. ", ""
    )
    article = services.article_update(article=article, actor=user, body=moved)
    services.article_suggestions_refresh(article_id=article.id)
    statuses = [s.status for s in services.article_suggestions(article).sentences]
    assert statuses[0] == "dismissed" and statuses.count("dismissed") == 1


def test_dismissing_needs_the_editor_role_and_a_sentence_that_exists():
    article = ArticleFactory(body=BODY)
    with pytest.raises(PermissionDenied):
        services.suggestion_dismiss(article=article, n=0, actor=UserFactory())
    with pytest.raises(services.SentenceNotFound):
        services.suggestion_dismiss(article=article, n=7, actor=editor())
    assert not SuggestionDismissal.objects.exists()


def test_labels_claims_positive_unmarked_and_dismissed_negative():
    marked = ArticleFactory(body=BODY)
    ClaimFactory(article=marked, quote="12 million euros")
    only_dismissed = ArticleFactory(body=BODY.replace("valley", "hills"))
    services.article_suggestions_refresh(article_id=only_dismissed.id)
    services.suggestion_dismiss(article=only_dismissed, n=1, actor=editor())
    services.suggestion_dismiss(article=marked, n=3, actor=editor())  # claimed outweighs it
    data = services.suggestions_training_set()
    by_article = {}
    for text, label, group in zip(data.texts, data.labels, data.groups, strict=True):
        by_article.setdefault(int(group), []).append((text, int(label)))
    assert sum(label for _, label in by_article[marked.id]) == 1
    assert len(by_article[marked.id]) == 7
    assert by_article[marked.id][3] == (
        "The council spent 12 million euros on roads last year.",
        1,
    )
    # An article without claims teaches only what was dismissed in it.
    assert by_article[only_dismissed.id] == [("Residents gathered in the square on Saturday.", 0)]
    assert data.vectors.shape == (8, 384) and data.claims == 1 and data.dismissals == 2


def test_training_on_the_desks_marks_ranks_a_held_back_claim_above_the_median(settings):
    settings.SUGGESTIONS_MIN_CLAIMS = 10
    desk = write_desk(16, held_back=1)
    model = services.suggestions_train(actor=roles.SYSTEM)
    assert model.serves and model.training_size == 16 * 9 and model.positives == 16 * 2
    assert model.cv_f1 is not None and model.cv_average_precision > 0.5
    article, (held_back,) = desk[0]
    services.article_suggestions_refresh(article_id=article.id)
    sentences = services.article_suggestions(article).sentences
    assert {row.scored_by_id for row in ArticleSentence.objects.filter(article=article)} == {
        model.id
    }
    scores = [s.score for s in sentences]
    mine = next(s for s in sentences if s.text == held_back)
    assert mine.score > np.median(scores)


def test_below_the_minimum_claims_nothing_is_trained(settings):
    settings.SUGGESTIONS_MIN_CLAIMS = 30
    write_desk(2)
    with pytest.raises(services.CannotTrain, match="has 6 claim"):
        services.suggestions_train(actor=roles.SYSTEM)
    assert not SuggestionModel.objects.exists()


def test_retraining_waits_for_enough_new_labels_and_the_interval(settings):
    settings.SUGGESTIONS_MIN_CLAIMS = 10
    settings.SUGGESTIONS_RETRAIN_EVERY = 20
    settings.SUGGESTIONS_RETRAIN_INTERVAL = 3600
    write_desk(6)  # 18 claims
    assert services.suggestions_retrain_if_due() is None
    write_desk(1, seed=4)  # 21 claims
    first = services.suggestions_retrain_if_due()
    assert first is not None and first.claims == 21
    write_desk(8, seed=5)  # 24 new labels, but within the hour
    assert services.suggestions_retrain_if_due() is None
    settings.SUGGESTIONS_RETRAIN_INTERVAL = 0
    second = services.suggestions_retrain_if_due()
    assert second is not None and second.claims == 45
    assert list(SuggestionModel.objects.filter(serves=True)) == [second]


def test_an_unscored_text_is_queued_once_when_it_is_first_read(
    django_capture_on_commit_callbacks,
):
    """An imported article queues no job of its own: reading it queues one, once."""
    from django.core.cache import cache

    cache.clear()
    article = ArticleFactory(body=BODY)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert services.article_suggestions(article).pending
        assert services.article_suggestions(article).pending  # a poll: not queued again
    assert len(queued) == 1
    archived = ArticleFactory(body=BODY, is_archive=True)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert not services.article_suggestions(archived).pending  # never scored: no wait
    assert queued == []
