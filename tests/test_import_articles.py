import json

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Article, Claim, ClaimStatus, ClaimTransition
from annotations.services.verdicts import UNKNOWN_VERDICT

pytestmark = pytest.mark.django_db


def run(path, *args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_articles", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def jsonl(tmp_path, *records, name="articles.jsonl"):
    path = tmp_path / name
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n")
    return path


GOOD = {
    "title": "Bridge repairs finished early",
    "body": "The city says the bridge repairs finished two weeks early.\nTraffic resumes today.",
    "url": "https://news.example.org/bridge",
    "publisher": "Example News",
    "published_at": "2026-03-01T10:00:00Z",
    "language": "en",
}


def test_a_text_file_imports_as_one_article_with_plain_line_ends(sample_article_path):
    out, _ = run(sample_article_path)
    article = Article.objects.get()
    text = sample_article_path.read_bytes().decode("utf-8")
    assert "\r\n" in text and "\r" not in article.body
    assert article.body == text.replace("\r\n", "\n")
    assert article.title == "Regional council disputes minister’s claim on new jobs"
    assert "Imported 1 article" in out


def test_text_file_import_is_idempotent(sample_article_path):
    run(sample_article_path)
    out, _ = run(sample_article_path)
    assert Article.objects.count() == 1
    assert "1 already present" in out


def test_the_seed_article_imports_as_one_article(seed_article_path):
    out, _ = run(seed_article_path)
    article = Article.objects.get()
    assert article.body == seed_article_path.read_text(encoding="utf-8")
    assert article.title.startswith("Authorities in the occupied territories of Ukraine")
    assert len(article.title) <= 121
    assert "Imported 1 article" in out


def test_jsonl_import_with_prior_fact_checks_into_the_archive(tmp_path):
    record = {
        **GOOD,
        "claims": [
            {
                "claim": "the bridge repairs finished two weeks early",
                "verdict": "False",
                "claimant": "City hall",
                "url": "https://checks.example.org/bridge",
            }
        ],
    }
    run(jsonl(tmp_path, record), "--archive")
    article = Article.objects.get()
    assert article.is_archive
    assert article.published_at.isoformat() == "2026-03-01T10:00:00+00:00"
    claim = Claim.objects.get()
    assert article.body[claim.start : claim.end] == claim.exact
    assert (claim.status, claim.verdict.slug, claim.claimant) == ("published", "false", "City hall")
    assert claim.sources.get().url == "https://checks.example.org/bridge"
    transition = ClaimTransition.objects.get()
    assert transition.to_status == ClaimStatus.PUBLISHED
    assert "Imported prior fact-check" in transition.reason


def test_jsonl_import_is_idempotent_by_url(tmp_path):
    path = jsonl(tmp_path, GOOD)
    run(path)
    out, _ = run(path)
    assert Article.objects.count() == 1
    assert "0 article(s)" in out and "1 already present" in out


def test_bad_lines_are_reported_by_number_and_skipped(tmp_path):
    path = jsonl(
        tmp_path,
        GOOD,
        '{"title": "broken", ',
        {**GOOD, "url": "https://news.example.org/2", "published_at": "last Tuesday"},
        {**GOOD, "url": "https://news.example.org/3", "title": ""},
        "[1, 2]",
        {
            **GOOD,
            "url": "https://news.example.org/4",
            "claims": [{"claim": "words that are not in the body", "verdict": "false"}],
        },
        {
            **GOOD,
            "url": "https://news.example.org/5",
            "claims": [{"claim": "Traffic resumes today", "verdict": "pants-on-fire"}],
        },
        {**GOOD, "url": "not-a-url"},
        {**GOOD, "url": "https://news.example.org/6", "headline": "typo"},
        {**GOOD, "url": "https://news.example.org/7", "title": "Good second article"},
    )
    out, err = run(path)
    assert "articles.jsonl, line 2: invalid JSON" in err
    assert "line 3: published_at: 'last Tuesday' is not an ISO 8601 date" in err
    assert "line 4: title: required" in err
    assert "line 5: expected a JSON object" in err
    assert "line 6: claims[0].claim: The quoted text does not occur" in err
    unknown = UNKNOWN_VERDICT.format(value="pants-on-fire", choices="")[:-2]
    assert f"line 7: claims[0].verdict: {unknown}" in err
    assert "line 8: url:" in err
    assert "line 9: article: unknown field(s): headline" in err
    assert "Imported 2 article(s)" in out and "8 bad line(s) skipped" in out
    # Nothing half-written: the article of the line whose claim failed is not there either.
    assert set(Article.objects.values_list("title", flat=True)) == {
        GOOD["title"],
        "Good second article",
    }
    assert Claim.objects.count() == 0


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "nope.jsonl")


def test_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n")
    with pytest.raises(CommandError, match="the file is empty"):
        run(path)


def test_unknown_file_type_is_a_clear_error(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("title,body\n")
    with pytest.raises(CommandError, match="unsupported file type"):
        run(path)


def test_progress_goes_to_stderr(tmp_path):
    out, err = run(jsonl(tmp_path, GOOD))
    assert "1/1 lines, 1 new" in err
    assert "1/1" not in out


def test_crlf_text_is_stored_with_plain_line_ends(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Title line\r\nSecond line\r\n")
    run(path)
    assert Article.objects.get().body == "Title line\nSecond line\n"


@pytest.mark.django_db
def test_a_record_the_database_refuses_is_reported_by_the_rule_it_broke():
    """Imports leave the CHECK constraints to the database (asking it about each in Python
    first was most of an archive import's time): a refusal still says which rule, in words."""
    from django.db import IntegrityError, transaction

    from annotations.imports.records import refusal_message
    from annotations.models import Article

    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Article.objects.create(title="", body="Some text.")
    assert refusal_message(refused.value) == "An article needs a title."
    assert refusal_message(ValueError("odd")) == "the database refused it: odd"
