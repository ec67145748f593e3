"""Input limits, in one place: the API's serializers (and so the OpenAPI schema), the forms,
the admin and the importers read them here."""

MAX_QUOTE = 5_000  # characters of a claim's exact text
MAX_CONTEXT = 200  # characters of a selector's prefix or suffix as sent (we keep 32)
MAX_SUMMARY = 20_000
MAX_CLAIMANT = 300
MAX_SOURCES = 50  # sources per claim
MAX_SOURCE_QUOTE = 5_000
MAX_TITLE = 500
MAX_PUBLISHER = 200
MAX_BYLINE = 300
MAX_LANGUAGE = 16
MAX_URL = 2_000
MAX_BODY = 2_000_000  # characters of an article's text
MAX_REASON = 2_000  # a transition's reason
MAX_NOTE = 5_000  # a note on a claim
MAX_ID = 2**63 - 1  # the largest id a database column holds (a bigger one is a 400)
