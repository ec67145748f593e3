from django import forms

from . import limits


class ArticlePasteForm(forms.Form):
    title = forms.CharField(max_length=limits.MAX_TITLE)
    url = forms.URLField(max_length=limits.MAX_URL, required=False, assume_scheme="https")
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
