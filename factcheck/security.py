"""What the project adds to Django's own protections: the answer to a locked-out login, a
Permissions-Policy header, and JSON (not an HTML page) when an API request is refused
before it reaches the API."""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

LOCKED_OUT = (
    "Too many failed logins for this account from here: try again after {when} UTC "
    "(in {minutes} minute{s}). An administrator can unlock it sooner "
    "(python manage.py axes_reset_username USERNAME)."
)
BAD_REQUEST = "The request could not be read: {reason}"
TOO_BIG = (
    "The request is larger than {limit} MB. An article's text may hold up to 2,000,000 "
    "characters; send it as UTF-8 JSON."
)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def lockout_message() -> tuple[str, int]:
    """The lockout's message and its length in seconds (for Retry-After)."""
    cool_off = settings.AXES_COOLOFF_TIME
    seconds = int(cool_off.total_seconds())
    until = timezone.now() + dt.timedelta(seconds=seconds)
    minutes = max(1, math.ceil(seconds / 60))
    message = LOCKED_OUT.format(
        when=f"{until:%H:%M}", minutes=minutes, s="" if minutes == 1 else "s"
    )
    return message, seconds


def lockout(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): 429 with when to try
    again, as JSON for the API and as the login page for a person."""
    message, seconds = lockout_message()
    if is_api(request):
        response = JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    else:
        response = render(
            request,
            "registration/login.html",
            {"locked_out": message, "form": None},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """handler400: a request Django refused before any view (too large, too many fields, a
    bad host): the reason, as JSON for the API."""
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent

    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_000_000
        reason = TOO_BIG.format(limit=f"{limit:g}")
        status = 413
    elif isinstance(exception, TooManyFieldsSent):
        reason, status = BAD_REQUEST.format(reason="too many fields"), 400
    else:
        reason, status = BAD_REQUEST.format(reason="it was malformed"), 400
    if is_api(request):
        return JsonResponse({"detail": reason}, status=status)
    return render(request, "400.html", {"reason": reason}, status=status)


NO_SUCH_ADDRESS = "No such address in the API: see /api/v1/docs/ for the paths."


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """handler404: an API client gets JSON, as from every other API error; people get the
    page."""
    if is_api(request) or request.path.endswith(".json"):
        return JsonResponse({"detail": NO_SUCH_ADDRESS, "code": "not_found"}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


class PermissionsPolicyMiddleware:
    """Turns off the browser features no page of ours uses (Django sets no such header)."""

    POLICY = (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=(), interest-cohort=()"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.POLICY)
        return response


NUL_IN_ADDRESS = "The address holds a NUL character (%00), which no page or lookup accepts."


class RejectNulMiddleware:
    """A NUL in a path or query string is never meaningful here, and PostgreSQL refuses it in
    any lookup (a 500 from every filter and detail view): refuse it at the door, with a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in "".join(
            key + "".join(values) for key, values in request.GET.lists()
        ):
            if is_api(request):
                return JsonResponse({"detail": NUL_IN_ADDRESS}, status=400)
            return render(request, "400.html", {"reason": NUL_IN_ADDRESS}, status=400)
        return self.get_response(request)
