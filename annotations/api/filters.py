import django_filters
from django import forms
from django.contrib.auth import get_user_model

from annotations import limits
from annotations.models import Claim, ClaimStatus, Verdict


class ClaimFilter(django_filters.FilterSet):
    """The claims list's filters: their names, the values each takes (a bad one is a 400 that
    names it) and the schema's parameters. The list applies them in its own SQL
    (claim_list.WHERE), held to the ORM's reading of each by tests/api/test_claim_list.py."""

    # Bounded like the id column, so an absurd number is a 400 rather than a database error.
    article = django_filters.NumberFilter(
        field_name="article_id", min_value=1, max_value=limits.MAX_ID, decimal_places=0
    )
    status = django_filters.ChoiceFilter(choices=ClaimStatus.choices)
    verdict = django_filters.ModelChoiceFilter(queryset=Verdict.objects.all(), to_field_name="slug")
    assignee = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.all(), to_field_name="username"
    )
    q = django_filters.CharFilter(label="Words in the quote, claimant or summary")

    class Meta:
        model = Claim
        fields = ["article", "status", "verdict", "assignee", "q"]

    @classmethod
    def query_form(cls) -> type[forms.Form]:
        """The form that checks a list's query, built once: a FilterSet builds it, copying
        each filter with its queryset, on every request (1 ms of a 3 ms list). A form copies
        its fields, querysets included, when it is made, so one class serves every request."""
        form = cls.__dict__.get("_query_form")
        if form is None:
            form = cls._query_form = cls(queryset=Claim.objects.none()).get_form_class()
        return form
