"""Pages answer in a fixed number of queries, whatever the number of rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.anchoring import Selector
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory, editor, reviewer

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def many(count, **extra):
    author = extra.pop("created_by")
    for index in range(count):
        claim = ClaimFactory(created_by=author, article=ArticleFactory(), **extra)
        SourceFactory(claim=claim)
        services.note_create(claim=claim, actor=author, text=f"note {index}")


def test_the_article_list_runs_a_fixed_number_of_queries(client):
    user = editor()
    client.force_login(user)
    many(3, created_by=user)
    few = queries(client, "/articles/")
    many(20, created_by=user)
    # session, user with its role groups, count, the page of articles with their status
    # counts
    assert queries(client, "/articles/") == few == 4


def test_the_editor_page_runs_a_fixed_number_of_queries(client):
    user = editor()
    client.force_login(user)
    article = ArticleFactory(body="word " * 400)
    ClaimFactory(article=article, quote="word word")
    few = queries(client, f"/articles/{article.id}/")
    for index in range(30):
        services.claim_create(
            article=article,
            selector=Selector("word word", start=index * 5, end=index * 5 + 9),
            actor=user,
        )
    # session, user with its role groups, the article, its claims with verdict/assignee/note
    # counts, the verdict scale
    assert queries(client, f"/articles/{article.id}/") == few == 5


@pytest.mark.parametrize("who", [editor, reviewer])
def test_the_desk_runs_a_fixed_number_of_queries(client, who):
    user = who()
    client.force_login(user)
    many(3, created_by=user)
    few = queries(client, "/desk/")
    many(40, created_by=user, status="in_review")
    # session, user with its role groups, the counts of every view (one query), count, the
    # page of claims, the articles of the filter
    assert queries(client, "/desk/") == few <= 7


def test_the_article_admin_changelist_runs_a_fixed_number_of_queries(client):
    user = reviewer(is_staff=True)
    client.force_login(user)
    many(3, created_by=user)
    few = queries(client, "/admin/annotations/article/")
    many(30, created_by=user)
    assert queries(client, "/admin/annotations/article/") == few <= 10


def test_the_desk_counts_each_view_on_either_database():
    """One aggregate counts every desk view (PostgreSQL once refused it: a FILTER cannot name
    an annotation of the query around it)."""
    from annotations import selectors, services

    ed, rev = editor(), reviewer()
    sent_back = ClaimFactory(created_by=ed, ready=True)
    services.claim_transition(claim=sent_back, to="in_review", actor=ed)
    services.claim_transition(claim=sent_back, to="draft", actor=rev, reason="Source?")
    ClaimFactory(created_by=ed, assignee=ed)
    ClaimFactory(created_by=ed, status="in_review")
    assert selectors.desk_counts(ed) == {
        "assigned": 1,
        "sent_back": 1,
        "in_review": 1,
        "attention": 0,
        "reviewed": 0,
    }
    assert [c.id for c in selectors.desk_claims(ed, view="sent_back")] == [sent_back.id]
    assert selectors.desk_counts(rev)["reviewed"] == 0  # sent back, not approved


def test_a_reviewer_keeps_what_they_published_on_their_desk(client):
    """Once published, a claim someone else wrote is no longer "waiting for review": the
    reviewer who approved it still finds it on the desk, and under "Approved by me"."""
    from annotations import services

    ed, rev = editor(), reviewer()
    claim = ClaimFactory(created_by=ed, ready=True, claimant="Published by the reviewer")
    for step, actor in (("in_review", ed), ("approved", rev), ("published", rev)):
        services.claim_transition(claim=claim, to=step, actor=actor)
    client.force_login(rev)
    assert "Published by the reviewer" in client.get("/desk/").content.decode()
    reviewed = client.get("/desk/?view=reviewed").content.decode()
    assert "Published by the reviewer" in reviewed and "Approved by me" in reviewed
    client.force_login(ed)
    assert "Approved by me" not in client.get("/desk/").content.decode()  # reviewers only


@pytest.mark.parametrize(
    "url", ["/admin/annotations/claim/", "/admin/annotations/reviewqueueclaim/"]
)
def test_admin_claim_lists_never_read_an_article_text(client, url):
    """A list row shows its article's title; reading the text (often 100 KB) for each row
    and for the article filter made the changelist slow on real articles."""
    user = reviewer(is_staff=True)
    client.force_login(user)
    many(5, created_by=user, status="in_review")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    body_columns = ('"annotations_article"."body"', '"annotations_article"."body_html"')
    readers = [q["sql"] for q in captured if any(column in q["sql"] for column in body_columns)]
    assert readers == []
    assert len(captured) <= 10
