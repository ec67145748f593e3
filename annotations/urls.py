from django.urls import path

from . import views
from .api.views import ArticleClaimReviewView

urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("verdicts.css", views.verdicts_css, name="verdicts-css"),
    path("articles/", views.article_list, name="articles"),  # the API has "article-list"
    path("articles/new/", views.article_new, name="article-new"),
    path("articles/<int:article_id>/", views.article_editor, name="article-editor"),
    path("articles/<int:article_id>/edit/", views.article_edit_text, name="article-edit"),
    path(
        "articles/<int:article_id>/claimreview.json",
        ArticleClaimReviewView.as_view(),
        name="article-claimreview",
    ),
]
