"""Input limits, documented in the OpenAPI schema through the serializers that use them."""

MAX_QUOTE = 5_000  # characters of a claim's exact text
MAX_CONTEXT = 200  # characters of a selector's prefix or suffix as sent (we keep 32)
MAX_SUMMARY = 20_000
MAX_CLAIMANT = 300
MAX_SOURCES = 50  # sources per claim
MAX_SOURCE_QUOTE = 5_000
MAX_TITLE = 500
MAX_URL = 2_000
MAX_BODY = 2_000_000  # characters of an article's text
MAX_REASON = 2_000
