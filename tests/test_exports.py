"""Exports: every format parses, follows its standard, and the API streams the same bytes the
command writes."""

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotations import exports
from annotations.exports import native
from annotations.models import Article, Claim, Verdict
from tests.api.conftest import client_for
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = (
    'Le ministre 👩‍👧 a dit: "taxes fell by 10 %" — vraiment?\nThe café owners say '
    "costs rose 🚀 by a third.\nOthers disagree."
)
QUOTES = ['"taxes fell by 10 %"', "café owners say costs rose 🚀", "Others disagree"]


@pytest.fixture
def claims():
    article = ArticleFactory(body=BODY, url="https://news.example.org/mixed")
    made = []
    for index, verdict in enumerate(Verdict.objects.all()):
        claim = ClaimFactory(
            article=article,
            quote=QUOTES[index % 3],
            verdict=verdict,
            status="published" if index % 2 else "approved",
            reviewed_at="2026-02-01T10:00:00Z",
            claimant="Ministry of Finance" if index == 0 else "Jane Doe",
            claim_date="2026-01-15",
        )
        SourceFactory(claim=claim)
        made.append(claim)
    made.append(
        ClaimFactory(
            article=article,
            quote=QUOTES[2],
            verdict=None,
            status="approved",
            reviewed_at="2026-02-01T10:00:00Z",
        )
    )
    made.append(ClaimFactory(article=article, quote=QUOTES[0], status="draft"))
    return made


def export(fmt, **filters):
    report = exports.ExportReport()
    text = "".join(exports.write(fmt, exports.claims_for_export(fmt=fmt, **filters), report=report))
    return text, report


def test_native_is_the_contract_shape_and_matches_the_api(claims, editor_client):
    text, report = export("native")
    data = json.loads(text)
    assert data["count"] == len(claims) == report.exported == len(data["claims"])
    first, item = data["claims"][:2]
    # The first claim of an article carries its text, for import_claims; the rest do not.
    assert first["article"]["body"] == BODY
    assert set(first["article"]) == {"id", "title", "url", "published_at"} | {
        "publisher",
        "language",
        "body",
    }
    assert set(item["article"]) == {"id", "title", "url", "published_at"}
    contract = {
        "id",
        "article",
        "selector",
        "claimant",
        "claim_date",
        "verdict",
        "summary",
        "status",
        "anchor_state",
        "sources",
        "created_by",
        "reviewed_by",
        "reviewed_at",
        "created_at",
        "updated_at",
    }
    assert set(item) == contract | {"notes"}  # the thread too: an extension, for import_claims
    api = editor_client.get(f"/api/v1/claims/{item['id']}/").json()
    for key, value in item.items():  # the API's claim is the export item plus more
        if key == "notes":  # the API serves the thread at claims/{id}/notes/
            continue
        if isinstance(value, dict):
            assert {k: api[key][k] for k in value} == value, key
        elif key == "sources":
            assert [{k: s[k] for k in value[0]} for s in api[key]] == value
        else:
            assert api[key] == value, key


def test_native_jsonl_is_one_claim_per_line(claims):
    text, _ = export("native-jsonl")
    lines = text.splitlines()
    assert len(lines) == len(claims)
    assert all(json.loads(line)["id"] for line in lines)


def test_claimreview_has_the_required_and_recommended_properties(claims):
    text, report = export("claimreview")
    reviews = json.loads(text)
    assert report.left_out_without_verdict == 1  # counted, never exported half-filled
    assert len(reviews) == len(Verdict.objects.all())  # drafts are not reviewed
    for review in reviews:
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert isinstance(review["claimReviewed"], str) and review["claimReviewed"]
        assert re.match(r"https://news\.example\.org/mixed#claim-\d+$", review["url"])
        assert review["author"]["@type"] == "Organization" and review["author"]["name"]
        assert re.match(r"\d{4}-\d{2}-\d{2}$", review["datePublished"])
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and isinstance(rating["alternateName"], str)
        assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
        assert isinstance(rating.get("ratingValue", 1), int)
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["author"]["@type"] in ("Person", "Organization")
        assert item["datePublished"] == "2026-01-15"
        assert item["appearance"]["url"] == "https://news.example.org/mixed"
    assert reviews[0]["itemReviewed"]["author"]["@type"] == "Organization"
    by_label = {r["reviewRating"]["alternateName"]: r["reviewRating"] for r in reviews}
    assert "ratingValue" not in by_label["Misleading"] and by_label["True"]["ratingValue"] == 5


def test_w3c_selectors_select_exactly_the_quote_in_code_points(claims):
    text, _ = export("w3c")
    collection = json.loads(text)
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    page = collection["first"]
    assert page["type"] == "AnnotationPage" and collection["total"] == len(page["items"])
    body = claims[0].article.body
    for annotation in page["items"]:
        assert annotation["type"] == "Annotation" and annotation["id"].startswith("http")
        assert "@context" not in annotation  # embedded: the collection's context applies
        quote, position = annotation["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector"
        assert position["type"] == "TextPositionSelector"
        assert body[position["start"] : position["end"]] == quote["exact"]
    with_sources = next(a for a in page["items"] if a["id"].endswith(f"/{claims[0].id}/"))
    assert [b["purpose"] for b in with_sources["body"]] == ["assessing", "commenting", "linking"]


def test_the_api_streams_what_the_command_writes(claims, editor_client):
    for fmt in exports.FORMATS:
        out = StringIO()
        call_command(
            "export_claims", "--format", fmt, "--status", "published", stdout=out, stderr=StringIO()
        )
        response = editor_client.get(f"/api/v1/export/?format={fmt}&status=published")
        assert response.status_code == 200 and response.streaming
        assert f"factcheck-claims-{fmt}" in response["Content-Disposition"]
        streamed = b"".join(response.streaming_content).decode()
        stamp = re.compile(r'"(generated_at|generated)":"[^"]+"')
        assert stamp.sub("", streamed) == stamp.sub("", out.getvalue()), fmt


def test_export_needs_a_role(claims):
    assert client_for(None).get("/api/v1/export/").status_code == 401
    assert client_for(UserFactory()).get("/api/v1/export/").status_code == 403


def test_bad_export_parameters_are_a_400(claims, editor_client):
    response = editor_client.get("/api/v1/export/?format=csv&since=yesterday")
    assert response.status_code == 400
    assert {"format", "since"} <= set(response.json())


def test_export_to_a_file_is_written_whole_or_not_at_all(claims, tmp_path):
    target = tmp_path / "claims.json"
    err = StringIO()
    call_command("export_claims", "--output", str(target), stderr=err)
    assert json.loads(target.read_text())["count"] == len(claims)
    assert f"Exported {len(claims)} claim(s)." in err.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == ["claims.json"]  # no temporary left
    with pytest.raises(CommandError, match="could not write"):
        call_command(
            "export_claims", "--output", str(tmp_path / "missing" / "x.json"), stderr=StringIO()
        )
    assert not (tmp_path / "missing").exists()


def test_since_filters_by_last_change_not_by_creation(claims):
    import datetime as dt

    from django.utils import timezone

    old, recent = claims[0], claims[1]
    long_ago = timezone.now() - dt.timedelta(days=30)
    Claim.objects.update(created_at=long_ago, updated_at=long_ago)
    # An old claim changed yesterday is in; a claim created long ago and untouched is out.
    Claim.objects.filter(pk=recent.pk).update(updated_at=timezone.now() - dt.timedelta(days=1))
    since = (timezone.now() - dt.timedelta(days=7)).date().isoformat()
    out = StringIO()
    call_command("export_claims", "--since", since, stdout=out, stderr=StringIO())
    exported = json.loads(out.getvalue())["claims"]
    assert [item["id"] for item in exported] == [recent.id]
    assert old.id not in {item["id"] for item in exported}


def test_an_articles_claimreview_json_holds_its_published_claims(claims, editor_client):
    article = claims[0].article
    response = editor_client.get(f"/articles/{article.id}/claimreview.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    reviews = json.loads(response.content)
    published = [c for c in claims if c.status == "published" and c.verdict_id]
    assert len(reviews) == len(published)
    assert all(r["@type"] == "ClaimReview" for r in reviews)
    assert client_for(None).get(f"/articles/{article.id}/claimreview.json").status_code == 401
    assert editor_client.get("/articles/999999/claimreview.json").status_code == 404


@pytest.mark.parametrize("microsecond", [0, 1, 120000, 999999])
def test_exported_times_are_the_times_the_api_shows(microsecond, editor_client):
    """Exports read date-times as the database's text; they must read as the API's values,
    fractions of a second included."""
    claim = ClaimFactory(claim_date="2026-01-15")
    moment = dt.datetime(2026, 3, 4, 5, 6, 7, microsecond, tzinfo=dt.UTC)
    Claim.objects.filter(pk=claim.pk).update(created_at=moment, reviewed_at=moment)
    Article.objects.filter(pk=claim.article_id).update(published_at=moment)
    item = json.loads(export("native-jsonl")[0])
    api = editor_client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert item["created_at"] == item["reviewed_at"] == api["created_at"] == native.iso(moment)
    assert item["article"]["published_at"] == native.iso(moment)
    assert item["claim_date"] == "2026-01-15"
