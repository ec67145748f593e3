import pytest

from annotations.models import Verdict

pytestmark = pytest.mark.django_db


def test_default_scale_is_ordered_best_to_worst():
    slugs = list(Verdict.objects.values_list("slug", flat=True))
    assert slugs == [
        "true",
        "mostly-true",
        "half-true",
        "mostly-false",
        "false",
        "misleading",
        "unverifiable",
    ]


def test_ordinal_values_run_from_worst_one_to_best_five():
    values = dict(Verdict.objects.values_list("slug", "rating_value"))
    assert [values[s] for s in ("true", "mostly-true", "half-true", "mostly-false", "false")] == [
        5,
        4,
        3,
        2,
        1,
    ]


def test_misleading_and_unverifiable_are_outside_the_ordinal_range():
    assert set(
        Verdict.objects.filter(rating_value__isnull=True).values_list("slug", flat=True)
    ) == {"misleading", "unverifiable"}
