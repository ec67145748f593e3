"""The editor pages. Views stay thin: reads through selectors, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from . import roles, selectors, services
from .api.serializers import VerdictSerializer
from .forms import ArticlePasteForm, ArticleTextForm, DeskFilterForm
from .models import (
    AnchorState,
    Article,
    ClaimStatus,
    MatchDecision,
    Source,
    SourceRelation,
    Verdict,
)

ARTICLES_PER_PAGE = 25
DESK_PER_PAGE = 50
SOURCE_RELATION_DEFAULT = Source._meta.get_field("relation").default


def editor_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not roles.is_editor(request.user):
            raise PermissionDenied("You need the editor or reviewer role.")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@editor_required
def article_list(request):
    query = request.GET.get("q", "").strip()
    articles = (
        Article.objects.filter(is_archive=False)
        .only("id", "title", "publisher", "published_at", "created_at")
        .order_by("-published_at", "-created_at", "-id")
    )
    if query:
        articles = articles.filter(title__icontains=query)
    articles = selectors.articles_with_status_counts(articles)
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    for article in page:
        article.status_counts = selectors.status_counts(article)
    return render(request, "annotations/article_list.html", {"page": page, "query": query})


@editor_required
def article_new(request):
    form = ArticlePasteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create_from_paste(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("article-editor", article.id)
    return render(request, "annotations/article_new.html", {"form": form})


def editor_claim(claim) -> dict:
    """A claim as the editor page draws it: its place (or proposed place) and its card. The
    full record is read from the API when the claim is opened."""
    proposal = None
    if claim.anchor_state == AnchorState.CHANGED:
        proposal = {
            "exact": claim.proposed_exact,
            "start": claim.proposed_start,
            "end": claim.proposed_end,
        }
    return {
        "id": claim.id,
        "exact": claim.exact,
        "start": claim.start,
        "end": claim.end,
        "proposal": proposal,
        "claimant": claim.claimant,
        "verdict": claim.verdict.slug if claim.verdict_id else None,
        "status": claim.status,
        "anchor_state": claim.anchor_state,
        "assignee": claim.assignee.username if claim.assignee_id else None,
        "note_count": claim.note_count,
        "version": claim.version,
    }


@editor_required
def article_editor(request, article_id: int):
    article = get_object_or_404(Article, pk=article_id)
    # Everything the page draws comes with it, once, as data: the claims' places and cards,
    # the verdict scale, the labels, and the rules for this user. The text itself is in the
    # page's HTML (read back from it), not a second time in the data.
    editor_data = {
        "article": {
            "id": article.id,
            "title": article.title,
            "revision": article.revision,
            "length": len(article.body),
        },
        "claims": [editor_claim(claim) for claim in selectors.claims_for_editor(article)],
        "verdicts": VerdictSerializer(Verdict.objects.order_by("position", "id"), many=True).data,
        "status_labels": dict(ClaimStatus.choices),
        "anchor_labels": dict(AnchorState.choices),
        "decision_labels": {"": "Undecided", **dict(MatchDecision.choices)},
        "source_relations": [
            {"value": value, "label": label, "default": value == SOURCE_RELATION_DEFAULT}
            for value, label in SourceRelation.choices
        ],
        "needs_attention": AnchorState.needs_attention(),
        "user": {
            "username": request.user.get_username(),
            "is_reviewer": roles.is_reviewer(request.user),
        },
        "admin_claim_url": reverse("admin:annotations_claim_change", args=[0]),
    }
    context = {
        "article": article,
        "editor_data": editor_data,
        "is_reviewer": roles.is_reviewer(request.user),
    }
    return render(request, "annotations/editor.html", context)


@login_required
def verdicts_css(request):
    """The verdict scale's colours as CSS classes (`verdict-<slug>`), so pages colour verdicts
    without inline styles (the Content-Security-Policy allows none)."""
    rules = [
        f".verdict-{slug}{{--verdict-colour:{colour}}}"
        for slug, colour in Verdict.objects.values_list("slug", "colour")
    ]
    response = HttpResponse("\n".join(rules) + "\n", content_type="text/css")
    response["Cache-Control"] = "private, max-age=60"
    return response


@editor_required
def article_edit_text(request, article_id: int):
    """Edit an article's text. The form carries the revision it was read at: when someone
    else saved in between, nothing is written and their text is shown beside what was typed,
    which stays in the form."""
    article = get_object_or_404(Article, pk=article_id)
    form = ArticleTextForm(
        request.POST or None, initial={"body": article.body, "revision": article.revision}
    )
    theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_update(
                article=article,
                actor=request.user,
                body=form.cleaned_data["body"],
                revision=form.cleaned_data["revision"],
            )
        except services.ArticleConflict as stale:
            theirs = stale.current
            form = ArticleTextForm(
                data={"body": form.cleaned_data["body"], "revision": theirs.revision}
            )
            form.add_error(None, str(stale))
        except ValidationError as error:
            form.add_error("body", error.messages)
        else:
            report = article.reanchor_report or {}
            messages.success(
                request,
                f"Saved. Claims: {report.get('stayed', 0)} stayed, {report.get('moved', 0)} "
                f"moved, {report.get('changed', 0)} with changed words, "
                f"{report.get('orphaned', 0)} orphaned.",
            )
            return redirect("article-editor", article.id)
    return render(
        request,
        "annotations/article_edit.html",
        {"form": form, "article": article, "theirs": theirs},
    )


@editor_required
def desk(request):
    """My claims across articles: assigned to me, sent back to me, in review (for a
    reviewer: everything waiting for review), needing attention, approved by me (reviewers);
    filtered and searched."""
    form = DeskFilterForm(request.GET or None, user=request.user)
    labels = selectors.desk_view_labels(request.user)
    view = request.GET.get("view", "")
    if view not in labels:
        view = ""
    claims = selectors.desk_claims(request.user, view=view)
    if form.is_valid():
        claims = form.filter(claims)
    page = Paginator(claims, DESK_PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.desk_counts(request.user)
    views = [
        {"name": name, "label": label, "count": counts[name], "current": name == view}
        for name, label in labels.items()
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("view", None)
    return render(
        request,
        "annotations/desk.html",
        {
            "page": page,
            "views": views,
            "view": view,
            "form": form,
            "filters": query.urlencode(),
            "status_labels": dict(ClaimStatus.choices),
            "needs_attention": AnchorState.needs_attention(),
        },
    )
