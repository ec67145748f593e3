"""Pasted article HTML: sanitized with nh3 for storage, reduced to the canonical plain text
that claim selectors point into (paragraphs and line breaks survive as newlines)."""

import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "a", "em",
    "strong", "b", "i", "q", "cite", "figure", "figcaption", "table", "thead", "tbody", "tr",
    "th", "td", "pre", "code", "span", "div", "section",
}  # fmt: skip
BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "figure",
    "figcaption", "table", "tr", "pre", "div", "section",
}  # fmt: skip


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag in BLOCK_TAGS:
            self._newline()

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._newline()

    def handle_data(self, data):
        # Inside a paragraph, source line breaks and runs of spaces are one space, as a
        # browser shows them.
        self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Plain text of sanitized HTML: one line per paragraph, inline whitespace collapsed."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = ("".join(collector.parts)).split("\n")
    return "\n".join(line.strip() for line in lines if line.strip())
