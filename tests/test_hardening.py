"""Issue 15, each finding through the door where it was found: no 500 from any input, imports
that keep good lines, a ClaimReview safe to embed, login throttling, security headers."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from annotations import validators
from annotations.api import parsers
from annotations.models import Article, Claim
from factcheck import security
from tests.api.conftest import client_for
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory, editor, reviewer

pytestmark = pytest.mark.django_db


# -- no 500 from any input -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/verdicts/a%00/",
        "/api/v1/claims/?q=a%00b",
        "/api/v1/claims/?verdict=%00",
        "/articles/?q=a%00b",
        "/admin/annotations/claim/?status__exact=%00",
    ],
)
def test_a_nul_in_an_address_is_a_400(client, url):
    client.force_login(reviewer(is_staff=True))
    response = client.get(url)
    assert response.status_code == 400
    assert security.NUL_IN_ADDRESS.split(" (")[0] in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/export/", "/api/v1/claims/"])
def test_an_article_id_past_what_the_database_holds_is_a_400_that_names_it(client, path):
    # Found by the schema fuzz: 2**63 reached SQLite as an OverflowError (a 500).
    client.force_login(reviewer())
    response = client.get(f"{path}?article={2**63}")
    assert response.status_code == 400
    assert list(response.json()) == ["article"]


@pytest.mark.parametrize("field", ["verdict", "assignee", "claimant"])
def test_a_nul_in_a_json_value_is_a_400_naming_it(field):
    article = ArticleFactory()
    response = client_for(editor()).post(
        "/api/v1/claims/",
        {"article": article.id, "selector": {"exact": "taxes fell"}, field: "a\x00b"},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()["detail"] and "NUL" in response.json()["detail"]
    assert not Claim.objects.exists()


@pytest.mark.parametrize("depth", [50, 1000, 100_000])
def test_json_nested_absurdly_deep_is_a_clean_400(depth):
    body = "[" * depth + "]" * depth
    response = client_for(editor()).generic(
        "POST", "/api/v1/claims/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == parsers.TOO_DEEP


def test_an_unpaired_surrogate_is_a_400():
    article = ArticleFactory()
    body = json.dumps({"article": article.id, "selector": {"exact": "taxes"}, "summary": "\ud800"})
    response = client_for(editor()).generic(
        "POST", "/api/v1/claims/", body, content_type="application/json"
    )
    assert response.status_code == 400 and "surrogate" in response.json()["detail"]


# -- size limits agree -------------------------------------------------------------------


def test_the_longest_article_text_fits_in_a_request_whatever_the_encoding():
    client = client_for(editor())
    cyrillic = "Текст " * 300_000  # 1.8 M characters, 3.3 MB of UTF-8
    response = client.post("/api/v1/articles/", {"title": "Long", "body": cyrillic}, format="json")
    assert response.status_code == 201
    escaped = json.dumps({"title": "Escaped", "body": "é" * 990_000}, ensure_ascii=True)
    response = client.generic("POST", "/api/v1/articles/", escaped, content_type="application/json")
    assert response.status_code == 201


def test_a_pasted_article_over_the_limit_keeps_the_text_and_says_why(client):
    client.force_login(editor())
    text = "x" * 2_000_001
    response = client.post("/articles/new/", {"title": "Too long", "content": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 2000000 characters" in html
    assert text[:1000] in html  # what was pasted is still in the form
    assert not Article.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_request_larger_than_any_article_is_a_413_with_the_reason_in_json():
    response = client_for(editor()).post(
        "/api/v1/articles/", {"title": "Big", "body": "x" * 5000}, format="json"
    )
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


# -- the ClaimReview embed -------------------------------------------------------------------


def test_claimreview_json_can_be_pasted_into_a_script_element(editor_client):
    article = ArticleFactory(body="He said </script><script>alert(1)</script> & more words.")
    claim = ClaimFactory(
        article=article,
        quote="</script><script>alert(1)</script> & more",
        status="published",
        reviewed_at="2026-01-01T00:00:00Z",
        ready=True,
    )
    for response in (
        editor_client.get(f"/articles/{article.id}/claimreview.json"),
        editor_client.get("/api/v1/export/?format=claimreview"),
    ):
        body = response.streaming_content if response.streaming else [response.content]
        text = b"".join(body).decode()
        assert "<" not in text and ">" not in text and "&" not in text
        assert json.loads(text)[0]["claimReviewed"] == claim.exact  # the same words, escaped


# -- login throttling --------------------------------------------------------------------


def test_wrong_passwords_lock_the_login_and_say_until_when(client, settings):
    editor(username="ana", password="the right passphrase")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "ana", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "ana", "password": "wrong"})
    assert response.status_code == 429
    assert "try again after" in response.content.decode()
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    # Locked: even the right password waits.
    right = client.post("/accounts/login/", {"username": "ana", "password": "the right passphrase"})
    assert right.status_code == 429
    call_command("axes_reset_username", "ana", stdout=StringIO())  # an administrator unlocks
    again = client.post("/accounts/login/", {"username": "ana", "password": "the right passphrase"})
    assert again.status_code == 302


def test_the_token_endpoint_is_throttled_too(settings):
    from rest_framework.test import APIClient

    editor(username="bot", password="the right passphrase")
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/v1/auth/token/", {"username": "bot", "password": "wrong"})
    response = client.post(
        "/api/v1/auth/token/", {"username": "bot", "password": "the right passphrase"}
    )
    assert response.status_code == 429
    assert (
        response.json()["code"] == "locked_out" and "try again after" in response.json()["detail"]
    )


# -- headers, URLs, accounts -----------------------------------------------------------------


def test_pages_carry_a_strict_content_security_policy_and_a_permissions_policy(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy and "frame-ancestors 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]


def test_password_reset_is_not_offered(client):
    assert client.get("/accounts/password_reset/").status_code == 404


@pytest.mark.parametrize("url", ['https://a.example/"onmouseover=x', "https://a.example/<b>"])
def test_urls_with_characters_that_break_markup_are_refused(url):
    claim = ClaimFactory()
    response = client_for(editor()).patch(
        f"/api/v1/claims/{claim.id}/",
        {"version": 1, "sources": [{"url": url}]},
        format="json",
    )
    assert response.status_code == 400
    response = client_for(editor()).post(
        "/api/v1/articles/", {"title": "T", "body": "B", "url": url}, format="json"
    )
    assert response.status_code == 400 and "url" in response.json()
    assert validators.URL_CHARACTERS.split(" (")[0][:30] in json.dumps(response.json())


# -- imports keep their good lines -----------------------------------------------------------


def write_lines(tmp_path, lines, name="articles.jsonl"):
    path = tmp_path / name
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def run(command, path):
    out, err = StringIO(), StringIO()
    call_command(command, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def article_line(n, **extra):
    record = {"title": f"Good {n}", "body": f"Body {n}.", "url": f"https://x.example/{n}"}
    return json.dumps({**record, **extra}).encode()


def test_bad_records_spoil_only_their_own_line(tmp_path):
    path = write_lines(
        tmp_path,
        [
            article_line(1),
            article_line(2, body="NUL \u0000 here"),
            article_line(3, title="\ud800 lone"),
            b"[" * 5000 + b"]" * 5000,
            b'{"title": "Latin \xe9", "body": "x"}',
            article_line(4, url='https://x.example/"quoted"'),
            article_line(5),
        ],
    )
    out, err = run("import_articles", path)
    assert "Imported 2 article(s)" in out
    assert "line 2: body: Text may not contain the NUL character" in err
    assert "line 3: title: Text may not contain an unpaired surrogate (\\ud800)" in err
    assert "line 4: invalid JSON: nested more than" in err
    assert "line 5: not UTF-8 text: byte 0xe9" in err
    assert "line 6: url: A URL may not contain" in err
    assert set(Article.objects.values_list("title", flat=True)) == {"Good 1", "Good 5"}


def exported_claims(tmp_path):
    claim = ClaimFactory(created_by=editor(username="ana"))
    SourceFactory(claim=claim)
    path = tmp_path / "claims.jsonl"
    call_command(
        "export_claims", "--format", "native-jsonl", "--output", str(path), stderr=StringIO()
    )
    item = json.loads(path.read_text())
    Article.objects.all().delete()
    return path, item


def test_an_import_of_claims_names_the_bad_field_and_keeps_the_others(tmp_path):
    path, item = exported_claims(tmp_path)
    bad_user = {**item, "created_by": "<script>alert(1)</script>"}
    long_user = {**item, "created_by": "u" * 151}
    bad_source = {**item, "sources": [{"url": "not a url"}]}
    nul = {**item, "summary": "x\u0000y"}
    good = {**item, "selector": {**item["selector"]}}
    lines = [json.dumps(x).encode() for x in (bad_user, long_user, bad_source, nul, good)]
    path.write_bytes(b"\n".join(lines) + b"\n")
    out, err = run("import_claims", path)
    assert "line 1: created_by:" in err and "line 2: created_by:" in err
    assert "line 3: sources[0].url:" in err
    assert "line 4: summary: Text may not contain the NUL character" in err
    assert "Imported 1 claim(s)" in out


def test_a_latin1_export_says_which_byte_on_which_line(tmp_path):
    path = tmp_path / "claims.json"
    path.write_bytes('{"claims": [\n{"summary": "caf\u00e9"}\n]}'.encode("latin-1"))
    with pytest.raises(Exception) as error:
        run("import_claims", path)
    assert "line 2" in str(error.value) and "byte 0xe9" in str(error.value)
