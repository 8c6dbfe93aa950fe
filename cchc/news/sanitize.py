"""Article bodies are cleaned on the server by nh3 (the binding of the Ammonia sanitiser) whatever the
editor sent: only the markup below is kept; scripts, iframes, styles, event attributes and links
other than http, https and mailto go."""

from __future__ import annotations

import html
import re
import unicodedata

import nh3
from django.conf import settings

TAGS = {
    "p", "h2", "h3", "h4", "strong", "em", "u", "s", "a", "ul", "ol", "li", "blockquote", "img", "figure",
    "figcaption", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "br", "hr",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
# removed with everything inside them (not only their tags)
DROP_WITH_CONTENT = {"script", "style", "iframe", "noscript", "object", "embed", "template", "svg", "math",
                     "frame", "frameset", "noembed", "xmp", "select", "textarea"}
LINK_SCHEMES = ("http://", "https://", "mailto:")


def _media_prefix() -> str:
    url = settings.MEDIA_URL or "/media/"
    return url if url.startswith("/") else "/" + url


def _attribute(tag: str, name: str, value: str) -> str | None:
    value = value.strip()
    if tag == "a" and name == "href":
        return value if value.lower().startswith(LINK_SCHEMES) else None
    if tag == "img" and name == "src":
        # this platform's uploads, or an image served over https
        if value.lower().startswith("https://") or (value.startswith(_media_prefix()) and ".." not in value):
            return value
        return None
    if name in ("width", "height", "colspan", "rowspan", "start"):
        return value if value.isdigit() and len(value) <= 4 else None
    return value


# An editor keeps the spaces a user typed as no-break spaces ("Từ&nbsp;tháng&nbsp;3"): between words
# they would keep a whole paragraph on one line of a phone's screen.
_JOINED = re.compile(r"(?<=[^\s>])(?:&nbsp;|\xa0)(?=[^\s<])")


def clean_html(value: str) -> str:
    """The body as it may be shown on a public page: sanitised, in NFC, with ordinary spaces between words."""
    return _JOINED.sub(" ", unicodedata.normalize("NFC", _sanitise(value)))


def _sanitise(value: str) -> str:
    return nh3.clean(
        value or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        clean_content_tags=DROP_WITH_CONTENT,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_attribute,
        strip_comments=True,
    ).strip()


def plain_text(value: str) -> str:
    """The words of a body, without markup (search, feeds, descriptions)."""
    text = nh3.clean((value or "").replace("<", " <"), tags=set(), clean_content_tags=DROP_WITH_CONTENT)
    return " ".join(html.unescape(text).split())
