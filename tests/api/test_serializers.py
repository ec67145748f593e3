"""The response serializers read rows on a path of their own (FieldsBuiltOnce): what they
return must be what DRF's own Serializer.to_representation returns, for every shape of row."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from annotations.api import serializers as s
from annotations.models import Claim, ClaimNote, CoverageMatch, CoverageSearch
from annotations.selectors import claims_with_details, match_details
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    SourceFactory,
    claim_with_proposed_place,
    editor,
    reviewer,
)

pytestmark = pytest.mark.django_db


def as_drf_and_as_ours(monkeypatch, serializer_class, rows, context=None):
    ours = serializer_class(rows, many=True, context=context or {}).data
    with monkeypatch.context() as drf:
        drf.setattr(
            s.FieldsBuiltOnce, "to_representation", serializers.Serializer.to_representation
        )
        theirs = serializer_class(rows, many=True, context=context or {}).data
    return json.dumps(ours, sort_keys=True), json.dumps(theirs, sort_keys=True)


def request_by(user):
    request = Request(APIRequestFactory().get("/"))
    request.user = user
    return request


@pytest.fixture
def claims_of_every_shape():
    me, boss = editor(), reviewer()
    bare = ClaimFactory(verdict=None, claimant="", summary="")
    full = ClaimFactory(
        created_by=me, assignee=me, status="approved", reviewed_by=boss, reviewed_at=timezone.now()
    )
    SourceFactory(claim=full)
    SourceFactory(claim=full, relation="supports", quote="Receipts rose")
    ClaimNote.objects.create(claim=full, author=boss, text="Check the 2021 table")
    changed = claim_with_proposed_place(created_by=me, status="in_review")
    get_user_model().objects.filter(pk=me.pk).update(username="renamed-editor")
    return (me, boss), [bare.pk, full.pk, changed.pk]


def test_claims_read_as_drf_reads_them_for_each_role(monkeypatch, claims_of_every_shape):
    people, ids = claims_of_every_shape
    rows = list(claims_with_details().filter(pk__in=ids).order_by("id"))
    for user in (*people, None):
        context = {"request": request_by(user)} if user else {}
        ours, theirs = as_drf_and_as_ours(monkeypatch, s.ClaimSerializer, rows, context)
        assert ours == theirs
    assert '"proposed_selector": {' in ours and '"note_count": 1' in ours  # every shape met


def test_a_claim_read_without_its_annotations_falls_back_to_drf_defaults(monkeypatch):
    claim = ClaimFactory()
    claim.source_list = []
    ours, theirs = as_drf_and_as_ours(monkeypatch, s.ClaimSerializer, [claim])
    assert ours == theirs
    assert '"note_count": 0' in ours


def test_articles_and_matches_read_as_drf_reads_them(monkeypatch):
    articles = [ArticleFactory(url=""), ArticleFactory(byline="By A. Writer")]
    ours, theirs = as_drf_and_as_ours(monkeypatch, s.ArticleSerializer, articles)
    assert ours == theirs
    claim = ClaimFactory()
    search = CoverageSearch.objects.create(claim=claim)
    CoverageMatch.objects.create(
        search=search, article=articles[0], rank=1, score=1.5, method="fts+dense"
    )
    CoverageMatch.objects.create(
        search=search, article=articles[1], rank=2, score=-0.4, method="fts", decision="dismissed"
    )
    rows = list(match_details().filter(search=search).order_by("rank"))
    ours, theirs = as_drf_and_as_ours(monkeypatch, s.CoverageMatchSerializer, rows)
    assert ours == theirs


class ClaimStatusLabel(s.FieldsBuiltOnce, serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Claim
        fields = ["id", "status_label"]


def test_a_field_read_from_a_method_is_called_as_drf_calls_it(monkeypatch):
    claim = ClaimFactory(status="in_review")
    ours, theirs = as_drf_and_as_ours(monkeypatch, ClaimStatusLabel, [claim])
    assert ours == theirs == json.dumps([{"id": claim.pk, "status_label": "In review"}])
