"""A real worker on the real broker scores a new article's sentences and retrains the
suggestion model once enough new labels came in."""

import pytest

from annotations.models import ArticleSentence, SuggestionModel
from annotations.tasks import retrain_suggestions
from tests.api.conftest import client_for
from tests.conftest import wait_until
from tests.factories import editor
from tests.suggestions.desk import write_desk

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_env():
    return {
        "SUGGESTIONS_MIN_CLAIMS": "10",
        "SUGGESTIONS_RETRAIN_EVERY": "20",
        "SUGGESTIONS_RETRAIN_INTERVAL": "0",
    }


def test_the_worker_scores_a_new_article_and_retrains_after_enough_labels(
    celery_worker_process, settings
):
    queue, worker = celery_worker_process
    client = client_for(editor())
    response = client.post(
        "/api/v1/articles/",
        {"title": "Valley jobs", "body": "Jobs rose by 5,000 in 2023. It rained. People sang."},
        format="json",
    )
    assert response.status_code == 201
    article_id = response.json()["id"]

    def scored():
        assert worker.poll() is None, "the worker died"
        return ArticleSentence.objects.filter(article_id=article_id).count() == 3

    assert wait_until(scored, timeout=90), "the worker did not score the new article"
    sentences = client.get(f"/api/v1/articles/{article_id}/suggestions/").json()
    assert [s["suggested"] for s in sentences] == [True, False, False]

    write_desk(6)  # 18 labels: not enough yet
    retrain_suggestions.apply_async(queue=queue)
    write_desk(1, seed=9)  # 21
    retrain_suggestions.apply_async(queue=queue)

    def trained():
        assert worker.poll() is None, "the worker died"
        return SuggestionModel.objects.exists()

    assert wait_until(trained, timeout=120), "the worker did not retrain"
    model = SuggestionModel.objects.get()
    assert model.claims == 21 and model.serves
