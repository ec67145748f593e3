"""import_claims: a newsroom moves its archive to another instance through a `native` export."""

import json
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotations import roles, services
from annotations.models import Article, Claim, ClaimTransition, Verdict
from tests import factories
from tests.conftest import SAMPLE_ARTICLE

pytestmark = pytest.mark.django_db

MIXED_BODY = (
    'Le ministre 👩‍👧 a dit: "taxes fell by 10 %" — vraiment?\r\nThe café owners say '
    "costs rose 🚀 by a third.\r\nOthers disagree, citing the ministry's figures."
)
# Words that change between exports are not the claim: ids are the instance's own, and
# updated_at is when this instance last wrote the claim.
INSTANCE_OWN = {"id", "updated_at"}


@pytest.fixture
def newsroom():
    """Claims in every status and verdict, on the sample article and on one with emoji and
    CRLF line ends, by named editors and reviewers, with sources and notes, one orphaned."""
    seed = factories.ArticleFactory(
        title="Valley jobs",
        body=SAMPLE_ARTICLE.read_text(encoding="utf-8").replace("\r\n", "\n"),
        url="https://news.example.org/valley-jobs",
        publisher="Example News",
    )
    mixed = services.article_create(body=MIXED_BODY, url="", title="Café costs", actor=roles.SYSTEM)
    editor = factories.editor(username="ana")
    reviewer = factories.reviewer(username="rui")
    quotes = [
        (seed, "5,000 new jobs were created in the valley last year"),
        (seed, "most households paid more in local taxes last year"),
        (mixed, '"taxes fell by 10 %"'),
        (mixed, "café owners say costs rose 🚀"),
        (mixed, "Others disagree"),
    ]
    statuses = ["draft", "in_review", "approved", "published"]
    verdicts = [*Verdict.objects.all(), None]
    for index, verdict in enumerate(verdicts):
        article, quote = quotes[index % len(quotes)]
        status = statuses[index % len(statuses)]
        reviewed = status in ("approved", "published")
        claim = factories.ClaimFactory(
            article=article,
            quote=quote,
            verdict=verdict,
            status=status,
            claimant=f"Claimant {index}",
            claim_date="2022-09-20",
            created_by=editor,
            reviewed_by=reviewer if reviewed else None,
            reviewed_at="2022-09-21T08:30:00.250000Z" if reviewed else None,
            summary=f'Summary {index}: "quoted", 🚀',
        )
        factories.SourceFactory(claim=claim, publisher="Statistics office")
        factories.SourceFactory(claim=claim, relation="supports")
        if index % 3 == 0:  # a conversation travels with the claim
            services.note_create(claim=claim, actor=editor, text=f"Which table? ({index})")
            services.note_create(claim=claim, actor=reviewer, text="Table 4, the 2020 one.")
    orphan = factories.ClaimFactory(article=seed, quote="the valley", claimant="Lost")
    Claim.objects.filter(pk=orphan.pk).update(
        anchor_state="orphaned", exact="words since deleted", start=3, end=22
    )
    return seed, mixed


def export_file(tmp_path, fmt="native", name="claims.json"):
    path = tmp_path / name
    call_command("export_claims", "--format", fmt, "--output", str(path), stderr=StringIO())
    return path


def import_file(path):
    out, err = StringIO(), StringIO()
    call_command("import_claims", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def claims_in(path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    items = (
        json.loads(text)["claims"]
        if path.suffix == ".json"
        else [json.loads(line) for line in text.splitlines()]
    )
    for item in items:
        for name in INSTANCE_OWN:
            item.pop(name)
        item["article"].pop("id")
    return items


def empty_the_instance():
    Article.objects.all().delete()  # and their claims, sources and transitions
    get_user_model().objects.filter(username__in=["ana", "rui"]).delete()


@pytest.mark.parametrize(
    ("fmt", "name"), [("native", "claims.json"), ("native-jsonl", "claims.jsonl")]
)
def test_export_import_export_gives_the_same_claims(newsroom, tmp_path, fmt, name):
    first = export_file(tmp_path, fmt, name)
    count = Claim.objects.count()
    empty_the_instance()

    out, err = import_file(first)

    assert f"Imported {count} claim(s) (2 new article(s)); 0 already present" in out
    assert "ana, rui" in err  # attribution kept, as inactive accounts
    again = export_file(tmp_path, fmt, "again" + first.suffix)
    assert claims_in(again) == claims_in(first)
    assert not get_user_model().objects.get(username="rui").is_active
    assert not get_user_model().objects.get(username="rui").has_usable_password()
    published = Claim.objects.filter(status="published").first()
    trail = ClaimTransition.objects.get(claim=published)
    assert (trail.from_status, trail.to_status) == ("draft", "published")
    assert trail.reason == f"Imported from {first.name}"


def test_importing_twice_creates_nothing_twice(newsroom, tmp_path):
    path = export_file(tmp_path)
    claims, articles = Claim.objects.count(), Article.objects.count()

    out, _ = import_file(path)  # into the instance it came from: everything is here
    out_again, _ = import_file(path)

    assert f"Imported 0 claim(s) (0 new article(s)); {claims} already present" in out
    assert out_again == out
    assert (Claim.objects.count(), Article.objects.count()) == (claims, articles)


def test_articles_are_matched_by_url_and_claims_placed_in_this_instances_text(newsroom, tmp_path):
    seed, _ = newsroom
    path = export_file(tmp_path)
    empty_the_instance()
    # This instance has the article already, with a paragraph more at the top.
    here = factories.ArticleFactory(
        url=seed.url, body="Editor's note: updated.\n" + seed.body, title=seed.title
    )

    import_file(path)

    assert Article.objects.filter(url=seed.url).count() == 1
    for claim in here.claims.exclude(anchor_state="orphaned"):
        assert here.body[claim.start : claim.end] == claim.exact
        assert claim.anchor_state == "reanchored"  # its positions moved with the text


def test_a_bad_claim_is_reported_by_line_and_leaves_nothing_behind(newsroom, tmp_path):
    seed, _ = newsroom
    path = export_file(tmp_path, "native-jsonl", "claims.jsonl")
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    empty_the_instance()
    assert items[0]["article"]["url"] == seed.url and "body" in items[0]["article"]
    items[0]["selector"].update(exact="words that are not in the article", start=None, end=None)
    mixed_lines = [n for n, item in enumerate(items, 1) if item["article"]["url"] == ""]
    later_mixed = next(n for n in mixed_lines if "body" not in items[n - 1]["article"])
    items[later_mixed - 1]["verdict"] = {"slug": "pants-on-fire"}
    lines = [json.dumps(item) for item in items] + ['{"selector": ']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    out, err = import_file(path)

    assert "claims.jsonl, line 1: selector.exact:" in err
    assert f"claims.jsonl, line {later_mixed}: verdict.slug: unknown verdict" in err
    assert f"claims.jsonl, line {len(lines)}: invalid JSON" in err
    # The seed article came with line 1, which failed whole: it is not left behind, and its
    # other claims say the article is not here.
    assert not Article.objects.filter(url=seed.url).exists()
    seed_lines = len(items) - len(mixed_lines)
    assert err.count("is not in this instance") == seed_lines - 1
    assert f"{seed_lines + 2} bad claim(s) skipped" in out
    assert Claim.objects.count() == len(mixed_lines) - 1


def test_a_broken_document_keeps_the_claims_before_the_break(newsroom, tmp_path):
    path = export_file(tmp_path)
    text = path.read_text(encoding="utf-8")
    second = text.index('{"id":', text.index('{"id":') + 1)
    third = text.index('{"id":', second + 1)
    path.write_text(text[: third + 20], encoding="utf-8")
    empty_the_instance()

    with pytest.raises(CommandError, match=r"breaks off after claim \d+") as failure:
        import_file(path)

    # What was read before the break is imported, and the message says how much that is.
    read = int(re.search(r"after claim (\d+)", str(failure.value)).group(1))
    assert Claim.objects.count() == read < 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.json", None, "no such file"),
        ("empty.json", "  \n", "the file is empty"),
        ("claims.csv", "id\n1\n", "unsupported file type"),
        ("other.json", '{"articles": []}', 'no "claims" list'),
    ],
)
def test_a_file_that_is_not_an_export_is_refused(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        import_file(path)
