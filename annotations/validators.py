"""Values every door must refuse the same way."""

__all__ = ["ValidationError", "http_url", "storable_text"]

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

NOT_HTTP = "Enter a URL that starts with http:// or https://."
URL_CHARACTERS = (
    'A URL may not contain spaces or the characters " < > \\ ^ ` {{ | }} (found {found!r}); '
    "percent-encode them."
)
NUL_CHARACTER = "Text may not contain the NUL character (\\u0000)."
LONE_SURROGATE = "Text may not contain an unpaired surrogate ({found})."

# RFC 3986 never allows these in a URL; browsers and JSON-LD readers split or break on them,
# and in ClaimReview's `url` they would leave a page's markup.
_UNSAFE_IN_URL = re.compile(r'[\s"<>\\^`{|}]')
_SURROGATE = re.compile("[\ud800-\udfff]")
_url = URLValidator(schemes=["http", "https"])


def http_url(value: str) -> None:
    if not value.lower().startswith(("http://", "https://")):
        raise ValidationError(NOT_HTTP, code="not_http")
    found = _UNSAFE_IN_URL.search(value)
    if found:
        raise ValidationError(URL_CHARACTERS.format(found=found.group()), code="unsafe_url")
    _url(value)


def storable_text(value: str) -> None:
    """Text a database can store: PostgreSQL refuses NUL, and an unpaired surrogate cannot
    be written as UTF-8 at all."""
    if "\x00" in value:
        raise ValidationError(NUL_CHARACTER, code="nul")
    found = _SURROGATE.search(value)
    if found:
        raise ValidationError(
            LONE_SURROGATE.format(found=f"\\u{ord(found.group()):04x}"), code="surrogate"
        )
