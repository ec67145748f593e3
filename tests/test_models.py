"""The database refuses what must never hold, whichever door a write comes through."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from annotations.models import (
    Article,
    Claim,
    ClaimStatus,
    ClaimTransition,
    CoverageSearch,
    Source,
    Verdict,
)
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def assert_refused_by_database(queryset, **changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**changes)


def test_claim_start_must_come_before_end():
    claim = ClaimFactory()
    claim.start, claim.end = claim.end, claim.start
    with pytest.raises(ValidationError, match="start must come before its end"):
        claim.full_clean()
    assert_refused_by_database(Claim.objects.filter(pk=claim.pk), start=50, end=50)


def test_claim_needs_its_quote():
    claim = ClaimFactory()
    claim.exact = ""
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "exact" in error.value.message_dict
    assert_refused_by_database(Claim.objects.filter(pk=claim.pk), exact="")


def test_claim_status_and_anchor_state_are_from_their_lists():
    claim = ClaimFactory()
    assert_refused_by_database(Claim.objects.filter(pk=claim.pk), status="shipped")
    assert_refused_by_database(Claim.objects.filter(pk=claim.pk), anchor_state="floating")


def test_approved_claim_records_when_it_was_reviewed():
    claim = ClaimFactory()
    with pytest.raises(ValidationError, match="records when it was reviewed"):
        Claim(**{**_fields(claim), "status": ClaimStatus.APPROVED}).full_clean()
    assert_refused_by_database(Claim.objects.filter(pk=claim.pk), status=ClaimStatus.APPROVED)


def test_source_url_must_be_a_web_url():
    source = SourceFactory()
    source.url = "javascript:alert(1)"
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "url" in error.value.message_dict
    assert_refused_by_database(Source.objects.filter(pk=source.pk), url="ftp://example.org/x")


def test_article_url_is_unique_when_present_but_many_articles_may_have_none():
    ArticleFactory(url="https://news.example.org/one")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(url="https://news.example.org/one")
    ArticleFactory(url="")
    ArticleFactory(url="")
    assert Article.objects.filter(url="").count() == 2


def test_one_verdict_per_slug():
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.create(slug="false", label="Also false", colour="#000000")


def test_verdict_colour_must_be_hex():
    verdict = Verdict(slug="pants-on-fire", label="Pants on fire", colour="red")
    with pytest.raises(ValidationError, match="#1a2b3c"):
        verdict.full_clean()
    assert_refused_by_database(Verdict.objects.filter(slug="true"), colour="green")


def test_sending_back_to_draft_needs_a_reason():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimTransition.objects.create(claim=claim, from_status="in_review", to_status="draft")


def test_a_transition_must_change_the_status():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimTransition.objects.create(claim=claim, from_status="draft", to_status="draft")


def test_failed_search_records_why():
    search = CoverageSearch.objects.create(claim=ClaimFactory())
    assert_refused_by_database(CoverageSearch.objects.filter(pk=search.pk), status="failed")


def test_history_records_who_changed_a_claim(editor_user):
    claim = ClaimFactory()
    claim.summary = "A new explanation."
    claim._history_user = editor_user
    claim.save()
    latest = claim.history.first()
    assert latest.summary == "A new explanation."
    assert latest.history_user == editor_user
    assert claim.history.count() == 2


def _fields(claim):
    return {
        f.name: getattr(claim, f.name)
        for f in Claim._meta.concrete_fields
        if f.name not in {"id", "created_at", "updated_at"}
    }
