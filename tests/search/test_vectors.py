"""Search vectors: imported archives are embedded, the command is resumable, edits and
publication keep vectors current, and the embedding job is sent on commit."""

import datetime as dt
import json
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from annotations import roles, services
from annotations.models import SearchVector
from annotations.search.embedding import get_embedder
from annotations.services.vectors import EMBED_TASK
from annotations.tasks import embed_article

pytestmark = pytest.mark.django_db

ARCHIVE = [
    {
        "title": "Fact check: 5G masts do not spread viruses",
        "body": "Posts claim that 5G masts spread the coronavirus. Radio waves cannot carry "
        "viruses.",
        "url": "https://archive.example/5g",
        "claims": [{"claim": "5G masts spread the coronavirus", "verdict": "false"}],
    },
    {
        "title": "Bridge repairs finished early",
        "body": "The city says the bridge repairs finished two weeks early.",
        "url": "https://archive.example/bridge",
    },
]


def command(name, *args):
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_an_archive_import_embeds_each_article_and_prior_fact_check(tmp_path):
    path = tmp_path / "archive.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in ARCHIVE))
    out, err = command("import_articles", str(path), "--archive")
    assert "3 item(s) embedded" in out and "embedding: 2/2 articles" in err
    rows = SearchVector.objects.filter(model=get_embedder().name)
    assert rows.count() == 3 and rows.filter(claim__isnull=False).count() == 1
    assert len(bytes(rows.first().vector)) == 2 * get_embedder().dimensions


def test_embed_articles_does_only_what_is_missing_and_all_again_with_all():
    for record in ARCHIVE:
        services.article_create(
            title=record["title"], body=record["body"], url=record["url"], actor=roles.SYSTEM
        )
    assert command("embed_articles")[0] == "Embedded 2 item(s).\n"
    assert command("embed_articles")[0] == "Embedded 0 item(s).\n"  # resumable: nothing left
    assert command("embed_articles", "--all")[0] == "Embedded 2 item(s).\n"


def sent(send, name) -> list[tuple]:
    return [call.kwargs["args"] for call in send.call_args_list if call.args[0] == name]


def test_a_text_edit_queues_the_job_on_commit_and_the_job_re_embeds(
    editor_user, django_capture_on_commit_callbacks
):
    with (
        mock.patch("celery.current_app.send_task") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        article = services.article_create(title="Bridge", body="Bridge works.", actor=editor_user)
        # the embedding job, sent by name once the article is committed (and its suggestions')
        assert not send.called
    assert sent(send, EMBED_TASK) == [(article.id,)]
    embed_article(article.id)
    before = SearchVector.objects.get(article=article).digest
    with (
        mock.patch("celery.current_app.send_task") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.article_update(article=article, actor=editor_user, body="Tunnel works.")
    assert sent(send, EMBED_TASK) == [(article.id,)]
    assert embed_article(article.id) == 1
    assert SearchVector.objects.get(article=article).digest != before
    assert embed_article(article.id) == 0  # a redelivered job costs nothing


def test_the_job_is_sent_by_name():
    from annotations.tasks import embed_article as task

    assert task.name == EMBED_TASK


def test_publishing_a_claim_gives_it_a_vector_and_unpublishing_takes_it_away(
    django_capture_on_commit_callbacks,
):
    from tests.factories import ClaimFactory, reviewer

    claim = ClaimFactory(status="approved", reviewed_at="2026-01-01T00:00:00Z", ready=True)
    embed_article(claim.article_id)
    assert not SearchVector.objects.filter(claim=claim).exists()
    with django_capture_on_commit_callbacks() as queued:
        services.claim_transition(claim=claim, to="published", actor=reviewer())
    assert len(queued) == 1
    embed_article(claim.article_id)
    assert SearchVector.objects.filter(claim=claim).exists()
    services.claim_transition(claim=claim, to="draft", actor=reviewer(), reason="a mistake")
    embed_article(claim.article_id)
    assert not SearchVector.objects.filter(claim=claim).exists()


def wind_archive():
    """An archive article whose own text is about a bridge, holding a published fact-check
    about wind turbines: its meaning as a match comes from the fact-check alone."""
    from tests.factories import reviewer

    article = services.article_create(
        title="Bridge repairs finished early",
        body="The city says the bridge repairs finished two weeks early. A post said "
        "living near wind turbines causes cancer.",
        is_archive=True,
        actor=roles.SYSTEM,
    )
    fact_check = services.prior_fact_check_create(
        article=article,
        quote="living near wind turbines causes cancer",
        verdict=services.verdict_lookup("false"),
        note="test",
    )
    embed_article(article.id)
    # Embedded an hour ago, as an archive is: only what changes now may tell the index.
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    SearchVector.objects.filter(article=article).update(updated_at=an_hour_ago)
    return article, fact_check, reviewer()


def similarity(article, query="Do windmills give people tumours?"):
    from annotations.search.base import dense_scores

    return dense_scores(query).lookup([article.id])[article.id]


@pytest.mark.parametrize("how", ["unpublished", "deleted"])
def test_a_running_search_stops_counting_a_fact_check_once_it_is_unpublished_or_deleted(how):
    """The process's in-memory index is not reloaded between these searches: it must notice
    the fact-check's vector is gone, not keep scoring the article by it until a restart."""
    article, fact_check, reviewer = wind_archive()
    with_fact_check = similarity(article)  # loads the index in this process
    if how == "unpublished":
        services.claim_transition(claim=fact_check, to="draft", actor=reviewer, reason="wrong")
        embed_article(article.id)  # the job the transition queues
    else:
        services.claim_delete(claim=fact_check, actor=reviewer)
    without = similarity(article)
    assert without < with_fact_check - 0.2
    if how == "unpublished":  # ...and it counts again once it is published again
        type(fact_check).objects.filter(pk=fact_check.pk).update(status="published")
        embed_article(article.id)
        assert similarity(article) == pytest.approx(with_fact_check, abs=1e-3)
