"""Near-duplicates (the same claim checked twice) fold under the best-ranked of their kind:
the pure rule, then through find_related and the job on the engine's backend."""

import numpy as np
import pytest

from annotations import roles, services
from annotations.anchoring import Selector
from annotations.models import CoverageMatch
from annotations.search import find_related
from annotations.search.grouping import fold_near_duplicates
from annotations.search.testing import write_archive
from tests.api.conftest import client_for
from tests.factories import ArticleFactory, editor


def unit(*values):
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_a_near_duplicate_folds_under_the_better_ranked_and_leaves_room_for_another():
    vectors = {
        "a": unit(1, 0, 0),
        "a-again": unit(1, 0.05, 0),  # cosine 0.999 with a
        "b": unit(0, 1, 0),
        "c": unit(0.7, 0.7, 0),  # 0.71 with a and b: a different claim
        "unembedded": None,
    }
    folded = fold_near_duplicates(["a", "a-again", "b", "unembedded", "c"], vectors.get, limit=3)
    assert folded == [("a", ["a-again"]), ("b", []), ("unembedded", [])]


def test_items_without_vectors_are_never_folded_and_the_limit_holds():
    folded = fold_near_duplicates(["x", "y", "z"], lambda item: None, limit=2)
    assert folded == [("x", []), ("y", [])]


def wind_checked_twice():
    """The contract archive, plus the wind-turbine claim checked again a year later."""
    archive = write_archive()
    again = services.article_create(
        title="Fact check: still no link between wind turbines and cancer",
        body="A year on, posts again say living near wind turbines causes cancer. Studies "
        "still find no link.",
        url="https://archive.example/wind-again",
        is_archive=True,
        actor=roles.SYSTEM,
    )
    services.prior_fact_check_create(
        article=again,
        quote="living near wind turbines causes cancer",
        verdict=services.verdict_lookup("false"),
        note="test archive",
    )
    services.vectors_embed_pending()
    return archive, again


@pytest.mark.django_db
def test_find_related_folds_the_claim_checked_twice_for_editors_and_lists_both_by_contract():
    archive, again = wind_checked_twice()
    query = "Wind turbines near homes cause cancer, says a viral post"
    listed = [m.article_id for m in find_related(query)]
    assert {archive[3].id, again.id} <= set(listed[:2])  # the contract: every item, ranked
    folded = find_related(query, fold_near_duplicates=True)
    best = folded[0]
    assert {best.article_id, *(m.article_id for m in best.also_checked)} == {
        archive[3].id,
        again.id,
    }
    assert [m.article_id for m in folded].count(again.id) + [m.article_id for m in folded].count(
        archive[3].id
    ) == 1
    assert all(not m.also_checked for m in folded[1:])


@pytest.mark.django_db
def test_the_job_stores_what_was_folded_and_the_api_shows_also_checked():
    archive, again = wind_checked_twice()
    user = editor()
    claim = services.claim_create(
        article=ArticleFactory(body="A viral post says wind turbines near homes cause cancer."),
        selector=Selector("wind turbines near homes cause cancer"),
        actor=user,
    )
    search = claim.coverage_searches.get()
    services.coverage_search_run(search_id=search.id)
    first = CoverageMatch.objects.get(search=search, rank=1)
    assert len(first.also_checked) == 1
    shown = client_for(user).get(f"/api/v1/claims/{claim.id}/related/").json()["matches"]
    (other,) = shown[0]["also_checked"]
    assert other["article_id"] in {archive[3].id, again.id} - {shown[0]["article"]["id"]}
    assert other["verdict"] == {"slug": "false", "label": "False"}
    assert other["link"].startswith("https://archive.example/")
    assert all(m["article"]["id"] != other["article_id"] for m in shown)
