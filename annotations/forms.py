from django import forms
from django.db.models import Q

from . import limits
from .models import Article, ClaimStatus, Verdict

DESK_ARTICLES = 200  # articles offered in the desk's filter


class ArticlePasteForm(forms.Form):
    title = forms.CharField(max_length=limits.MAX_TITLE)
    url = forms.URLField(
        label="Address (URL)", max_length=limits.MAX_URL, required=False, assume_scheme="https"
    )
    publisher = forms.CharField(max_length=limits.MAX_PUBLISHER, required=False)
    content = forms.CharField(
        label="Text or HTML",
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=limits.MAX_BODY,
        strip=False,
    )
    is_html = forms.BooleanField(
        label="This is HTML (it will be sanitized and reduced to text)", required=False
    )


class ArticleTextForm(forms.Form):
    # The revision the text was read at: a save based on a stale one is refused.
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    body = forms.CharField(
        label="Article text",
        widget=forms.Textarea(attrs={"rows": 24}),
        max_length=limits.MAX_BODY,
        strip=False,
    )


class DeskFilterForm(forms.Form):
    """The desk's filters: status, verdict, article, and words in the quote or claimant."""

    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *ClaimStatus.choices])
    verdict = forms.ModelChoiceField(
        queryset=Verdict.objects.order_by("position", "id"),
        to_field_name="slug",
        required=False,
        empty_label="Any verdict",
    )
    article = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    q = forms.CharField(label="Search", required=False, max_length=limits.MAX_CLAIMANT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The articles the user's claims are on, newest first (a bounded list).
        articles = (
            Article.objects.filter(
                Q(claims__created_by=user) | Q(claims__assignee=user), is_archive=False
            )
            .distinct()
            .order_by("-id")
            .values_list("id", "title")[:DESK_ARTICLES]
        )
        self.fields["article"].choices = [("", "Any article"), *articles]

    def filter(self, claims):
        data = self.cleaned_data
        if data.get("status"):
            claims = claims.filter(status=data["status"])
        if data.get("verdict"):
            claims = claims.filter(verdict=data["verdict"])
        if data.get("article"):
            claims = claims.filter(article_id=data["article"])
        if data.get("q"):
            claims = claims.filter(Q(exact__icontains=data["q"]) | Q(claimant__icontains=data["q"]))
        return claims
