from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="articles", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("annotations.api.urls")),
    # Log in and out only: with no mail configured, password reset would fail silently; an
    # administrator sets a new password (`manage.py changepassword USER`, or the admin).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("annotations.urls")),
]

handler400 = "factcheck.security.bad_request"
handler404 = "factcheck.security.not_found"
