"""The editor pages. Views stay thin: reads here, writes through services."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .models import Article

ARTICLES_PER_PAGE = 25


@login_required
def article_list(request):
    query = request.GET.get("q", "").strip()
    articles = Article.objects.filter(is_archive=False).only(
        "id", "title", "publisher", "published_at"
    )
    if query:
        articles = articles.filter(title__icontains=query)
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "annotations/article_list.html", {"page": page, "query": query})
