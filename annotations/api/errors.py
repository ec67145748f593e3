"""Errors from services become 4xx bodies that name the field and the reason."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from annotations.anchoring import SelectorError


def exception_handler(exc, context):
    if isinstance(exc, SelectorError):
        exc = exceptions.ValidationError({"selector": {exc.field: [exc.message]}})
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "message_dict") else {"detail": exc.messages}
        detail = {("detail" if k == "__all__" else k): v for k, v in detail.items()}
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)
