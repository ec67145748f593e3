"""GET /api/v1/claims/ reads its page in SQL of its own (annotations/api/claim_list.py): what
it returns must be what ClaimSerializer writes for the same claims, and each filter must
select what the ORM's reading of it selects."""

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q

from annotations.api import serializers as s
from annotations.api.claim_list import WHERE
from annotations.api.filters import ClaimFilter
from annotations.models import Claim, ClaimNote, Verdict
from annotations.selectors import claims_with_details
from tests.api.conftest import client_for
from tests.api.test_serializers import request_by
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    SourceFactory,
    UserFactory,
    claim_with_proposed_place,
    editor,
    reviewer,
    superuser,
)

pytestmark = pytest.mark.django_db

NEWEST_FIRST = ("-created_at", "-id")


def listed(client, query: str = "") -> dict:
    response = client.get(f"/api/v1/claims/?page_size=100&{query}")
    assert response.status_code == 200, response.content
    return response.json()


def as_serialized(user) -> list[dict]:
    claims = claims_with_details().order_by(*NEWEST_FIRST)
    data = s.ClaimSerializer(claims, many=True, context={"request": request_by(user)}).data
    return json.loads(json.dumps(data))


@pytest.fixture
def claims_of_every_shape():
    """Claims in every state the JSON shows differently: no verdict, claimant or date; dates
    with and without microseconds; sources with and without an access date; a proposed new
    place; notes; renamed users; an article with no address or publication date."""
    me, boss = editor(), reviewer()
    bare_article = ArticleFactory(url="", published_at=None)
    dated_article = ArticleFactory(published_at=dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC))
    ClaimFactory(article=bare_article, verdict=None, claimant="", summary="")
    full = ClaimFactory(
        article=dated_article,
        created_by=me,
        assignee=me,
        status="approved",
        reviewed_by=boss,
        reviewed_at=dt.datetime(2026, 3, 2, 9, 0, 0, 123400, tzinfo=dt.UTC),
        claim_date=dt.date(2026, 2, 28),
        summary="Receipts rose — “not fell” 📈",
    )
    SourceFactory(claim=full)
    SourceFactory(
        claim=full,
        relation="supports",
        quote="Receipts rose",
        accessed_at=dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC),
    )
    ClaimNote.objects.create(claim=full, author=boss, text="Check the 2021 table")
    ClaimNote.objects.create(claim=full, author=me, text="Done")
    changed = claim_with_proposed_place(created_by=me, status="in_review")
    Claim.objects.filter(pk=changed.pk).update(
        updated_at=dt.datetime(2026, 3, 3, 10, 0, 0, tzinfo=dt.UTC)  # no microseconds
    )
    ClaimFactory(status="published", reviewed_by=boss, reviewed_at=dt.datetime.now(dt.UTC))
    get_user_model().objects.filter(pk=me.pk).update(username="renamed-editor")
    return me, boss


def test_the_list_writes_each_claim_as_the_serializer_does_for_every_role(
    claims_of_every_shape,
):
    me, boss = claims_of_every_shape
    admin = superuser()
    for user in (me, boss, admin):
        got = listed(client_for(user))
        assert got["count"] == 4
        assert got["results"] == as_serialized(user)
    results = got["results"]
    assert any(item["proposed_selector"] for item in results)  # every shape was met
    assert any(item["note_count"] == 2 for item in results)
    assert any(source["accessed_at"] for item in results for source in item["sources"])
    assert any(item["verdict"] is None for item in results)


def test_a_signed_in_reviewer_gets_the_same_list_as_by_token(client, claims_of_every_shape):
    _, boss = claims_of_every_shape
    client.force_login(boss)
    by_session = client.get("/api/v1/claims/?page_size=100").json()
    assert by_session == listed(client_for(boss))
    assert any(
        move["to"] == "published"
        for c in by_session["results"]
        for move in c["allowed_transitions"]
    )


@pytest.fixture
def desk():
    """Claims that each filter tells apart, created oldest first. No claimant or summary
    unless a claim names one, so that each words filter matches only what it should."""
    ana, rui = editor(username="ana"), editor(username="rui")
    first, second = ArticleFactory(), ArticleFactory()
    true = Verdict.objects.get(slug="true")
    reviewed = {"reviewed_by": rui, "reviewed_at": dt.datetime.now(dt.UTC)}
    specs = [
        dict(article=first, status="draft", assignee=ana, claimant="Finance MINISTER"),
        dict(article=first, status="in_review", assignee=rui, verdict=true,
             quote="most households paid more"),
        dict(article=second, status="in_review", assignee=ana, summary="Rose 10% in 2021"),
        dict(article=second, status="approved", summary="Rose 10 percent", verdict=true,
             **reviewed),
        dict(article=first, status="draft", claimant="a_b desk", verdict=None),
        dict(article=second, status="draft", claimant="axb desk", assignee=rui),
        dict(article=second, status="draft", summary=r"C:\tables\2021"),
    ]  # fmt: skip
    for spec in specs:
        ClaimFactory(**{"claimant": "", "summary": "", **spec})
    return {"ana": ana, "first": first, "second": second}


def words(text: str) -> Q:
    return Q(exact__icontains=text) | Q(claimant__icontains=text) | Q(summary__icontains=text)


FILTERS = {
    "": Q(),
    "status=in_review": Q(status="in_review"),
    "verdict=true": Q(verdict__slug="true"),
    "verdict=false": Q(verdict__slug="false"),
    "assignee=ana": Q(assignee__username="ana"),
    "q=minister": words("minister"),  # the claimant only, in another case
    "q=HOUSEHOLDS%20PAID": words("households paid"),  # the quote only
    "q=10%25": words("10%"),  # a literal percent sign, not a wildcard
    "q=a_b": words("a_b"),  # a literal underscore
    "q=C:%5Ctables": words("C:\\tables"),  # a literal backslash
    "q=nothing-like-this": Q(pk__in=[]),
    "status=draft&verdict=true": Q(status="draft", verdict__slug="true"),
    "status=in_review&assignee=ana": Q(status="in_review", assignee__username="ana"),
}


def test_each_words_filter_tells_the_desk_apart(desk):
    # The expectations above are not all "everything" or "nothing".
    for query, matches in FILTERS.items():
        if query.startswith("q=") and query != "q=nothing-like-this":
            assert Claim.objects.filter(matches).count() == 1, query


@pytest.mark.parametrize("query", FILTERS)
def test_each_filter_selects_what_the_orm_reads_it_as(desk, query):
    expected = list(
        Claim.objects.filter(FILTERS[query]).order_by(*NEWEST_FIRST).values_list("id", flat=True)
    )
    got = listed(client_for(desk["ana"]), query)
    assert [item["id"] for item in got["results"]] == expected
    assert got["count"] == len(expected)


def test_the_article_filter_combines_with_the_others(desk):
    first = desk["first"]
    got = listed(client_for(desk["ana"]), f"article={first.id}&status=draft")
    expected = Claim.objects.filter(article=first, status="draft").order_by(*NEWEST_FIRST)
    assert [item["id"] for item in got["results"]] == list(expected.values_list("id", flat=True))
    assert {item["article"]["id"] for item in got["results"]} == {first.id}


def test_pages_follow_each_other_newest_first(desk):
    client = client_for(desk["ana"])
    ids = list(Claim.objects.order_by(*NEWEST_FIRST).values_list("id", flat=True))
    first = client.get("/api/v1/claims/?page_size=4").json()
    second = client.get(first["next"]).json()
    assert [item["id"] for item in first["results"] + second["results"]] == ids
    assert first["count"] == second["count"] == 7 and second["next"] is None
    assert client.get("/api/v1/claims/?page_size=4&page=3").status_code == 404


def test_an_empty_list_is_one_empty_page(django_assert_num_queries):
    client = client_for(editor())
    with django_assert_num_queries(2):  # who asks, and the count: no page, no sources
        got = client.get("/api/v1/claims/").json()
    assert got == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    "query, field",
    [("verdict=nope", "verdict"), ("assignee=nobody-here", "assignee"),
     ("article=abc", "article"), ("status=finished", "status"), ("article=0", "article")],
)  # fmt: skip
def test_a_bad_filter_is_a_400_that_names_it(desk, query, field):
    response = client_for(desk["ana"]).get(f"/api/v1/claims/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_token_of_an_inactive_or_unknown_user_is_refused():
    gone = editor()
    client = client_for(gone)
    gone.is_active = False
    gone.save()
    response = client.get("/api/v1/claims/")
    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."
    unknown = client_for(None)
    unknown.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = unknown.get("/api/v1/claims/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_a_token_user_has_the_roles_of_their_groups():
    nobody = UserFactory()
    client = client_for(nobody)
    assert client.get("/api/v1/claims/").status_code == 403  # no role
    nobody.groups.add(*editor().groups.all())
    assert client.get("/api/v1/claims/").status_code == 200


def test_a_session_ends_when_its_user_is_deactivated_or_changes_password(client):
    boss = reviewer()
    client.force_login(boss)
    assert client.get("/api/v1/claims/").status_code == 200
    boss.set_password("a new long passphrase")
    boss.save()
    assert client.get("/api/v1/claims/").status_code in (401, 403)
    client.force_login(boss)
    get_user_model().objects.filter(pk=boss.pk).update(is_active=False)
    assert client.get("/api/v1/claims/").status_code in (401, 403)


def test_the_lists_filters_are_the_ones_it_writes_as_sql():
    assert set(ClaimFilter.base_filters) == {*WHERE, "q"}


def test_the_lists_filters_do_not_narrow_a_claims_own_urls(desk):
    client = client_for(desk["ana"])
    draft = Claim.objects.filter(status="draft").first()
    assert client.get(f"/api/v1/claims/{draft.id}/?status=published").status_code == 200
    assert client.get(f"/api/v1/claims/{draft.id}/notes/?q=nothing-like-this").status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's DateStyle")
def test_dates_stay_iso_on_a_server_that_prints_them_otherwise():
    # The list and the exports read dates as the database's text.
    database = connection.ops.quote_name(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER DATABASE {database} SET DateStyle = 'SQL, DMY'")
    try:
        connection.close()  # the next query connects afresh, with the server's DateStyle
        ClaimFactory(claim_date=dt.date(2026, 2, 28))
        got = listed(client_for(editor()))["results"][0]
        assert got["claim_date"] == "2026-02-28"
        assert got["created_at"].endswith("Z") and got["created_at"][:4].isdigit()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {database} RESET DateStyle")
        connection.close()


def test_a_user_added_after_the_first_request_can_be_filtered_on_at_once(desk):
    # The query's form is built once per process; the users it accepts are read each time.
    client = client_for(desk["ana"])
    assert client.get("/api/v1/claims/?assignee=newcomer").status_code == 400
    newcomer = editor(username="newcomer")
    ClaimFactory(assignee=newcomer)
    got = listed(client, "assignee=newcomer")
    assert [item["assignee"] for item in got["results"]] == ["newcomer"]
