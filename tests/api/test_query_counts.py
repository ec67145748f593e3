"""List endpoints run a fixed number of queries, whatever the page size."""

import pytest

from tests.api.conftest import client_for
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory, editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_claims():
    articles = ArticleFactory.create_batch(10)
    for index in range(60):
        claim = ClaimFactory(article=articles[index % 10], assignee=None)
        SourceFactory.create_batch(2, claim=claim)


@pytest.mark.parametrize("page_size", [5, 50])
def test_the_claims_list_runs_five_queries_at_any_page_size(
    many_claims, page_size, django_assert_num_queries
):
    client = client_for(editor())
    # token + user + role groups, count, the claims with article/verdict/users joined, their
    # sources
    with django_assert_num_queries(4):
        response = client.get(f"/api/v1/claims/?page_size={page_size}")
    assert len(response.json()["results"]) == page_size
    assert all(len(claim["sources"]) == 2 for claim in response.json()["results"])


@pytest.mark.parametrize("page_size", [5, 50])
def test_a_filtered_claims_list_adds_only_the_verdict_lookup(
    many_claims, page_size, django_assert_num_queries
):
    client = client_for(editor())
    # as above, plus the verdict the filter names (an unknown one is a 400)
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/claims/?page_size={page_size}&verdict=false&status=draft")
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [5, 50])
def test_the_articles_list_runs_a_fixed_number_of_queries(page_size, django_assert_num_queries):
    ArticleFactory.create_batch(60)
    client = client_for(editor())
    # token + user + role groups, count, articles
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/articles/?page_size={page_size}")
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [2, 7])
def test_the_verdicts_list_runs_a_fixed_number_of_queries(page_size, django_assert_num_queries):
    client = client_for(editor())
    # token + user + role groups, count, verdicts
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/verdicts/?page_size={page_size}")
    assert len(response.json()["results"]) == page_size


def test_a_page_holds_at_most_100_items(many_claims):
    response = client_for(editor()).get("/api/v1/claims/?page_size=10000")
    assert len(response.json()["results"]) == 60  # all there are, at most max_page_size (100)
    assert response.json()["count"] == 60
