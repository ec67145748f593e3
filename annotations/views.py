"""The editor pages. Views stay thin: reads here, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from . import roles, services
from .api.serializers import ArticleSerializer, ClaimSerializer, VerdictSerializer
from .forms import ArticlePasteForm, ArticleTextForm
from .models import Article, ClaimStatus, Source, SourceRelation, Verdict
from .selectors import claims_with_details

ARTICLES_PER_PAGE = 25
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
    counts = {
        f"count_{status}": Count("claims", filter=Q(claims__status=status))
        for status in ClaimStatus.values
    }
    articles = (
        Article.objects.filter(is_archive=False)
        .only("id", "title", "publisher", "published_at", "created_at")
        .annotate(**counts)
        .order_by("-published_at", "-created_at", "-id")
    )
    if query:
        articles = articles.filter(title__icontains=query)
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    for article in page:
        article.status_counts = [
            (label, getattr(article, f"count_{value}"))
            for value, label in ClaimStatus.choices
            if getattr(article, f"count_{value}")
        ]
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


@editor_required
def article_editor(request, article_id: int):
    article = get_object_or_404(Article, pk=article_id)
    claims = claims_with_details().filter(article=article).order_by("start", "id")
    context = {"request": request}
    # Everything the page draws comes with it, as data: the claims with what this user may do
    # with each, the verdict scale, and the labels of statuses and source relations.
    editor_data = {
        "article": ArticleSerializer(article).data,
        "claims": ClaimSerializer(claims, many=True, context=context).data,
        "verdicts": VerdictSerializer(Verdict.objects.order_by("position", "id"), many=True).data,
        "status_labels": dict(ClaimStatus.choices),
        "source_relations": [
            {"value": value, "label": label, "default": value == SOURCE_RELATION_DEFAULT}
            for value, label in SourceRelation.choices
        ],
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
