"""The editor pages. Views stay thin: reads here, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from . import roles, services
from .api.serializers import ArticleSerializer, ClaimSerializer
from .forms import ArticlePasteForm, ArticleTextForm
from .models import Article, ClaimStatus
from .selectors import claims_with_details

ARTICLES_PER_PAGE = 25


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
            article = services.article_create_from_paste(
                **form.cleaned_data, created_by=request.user
            )
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
    context = {
        "article": article,
        "editor_data": {
            "article": ArticleSerializer(article).data,
            "claims": ClaimSerializer(claims, many=True).data,
            "user": {
                "username": request.user.get_username(),
                "is_reviewer": roles.is_reviewer(request.user),
            },
            "admin_claim_url": reverse("admin:annotations_claim_change", args=[0]),
        },
        "is_reviewer": roles.is_reviewer(request.user),
    }
    return render(request, "annotations/editor.html", context)


@editor_required
def article_edit_text(request, article_id: int):
    article = get_object_or_404(Article, pk=article_id)
    form = ArticleTextForm(request.POST or None, initial={"body": article.body})
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_update(
                article=article, actor=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error("body", error.messages)
        else:
            report = article.reanchor_report or {}
            messages.success(
                request,
                f"Saved. Claims: {report.get('stayed', 0)} stayed, {report.get('moved', 0)} "
                f"moved, {report.get('orphaned', 0)} orphaned.",
            )
            return redirect("article-editor", article.id)
    return render(request, "annotations/article_edit.html", {"form": form, "article": article})
