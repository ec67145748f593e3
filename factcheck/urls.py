from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="article-list", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("annotations.api.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("annotations.urls")),
]
