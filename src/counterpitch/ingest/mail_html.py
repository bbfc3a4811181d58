"""HTML bodies to plain text, and the links of a message with what their visible text claims.

The HTML is read by a small linear tokenizer, not the stdlib `html.parser`: on Python 3.11.7 that parser is
quadratic on unclosed tags (60 KB of "<a " took 33 s) and raises AssertionError on some markup
(docs/decisions/0013-email-input.md). Scripts, styles and titles are dropped, entities unescaped with
`html.unescape`, link text kept in place.

A link is judged only from its own text and address: does the text show another site than the address goes to,
is the host a raw IP address or an internationalised (punycode or non-ASCII) name. Registrable domains are
approximated without a public-suffix list (see `site_of`).
"""

from __future__ import annotations

import html
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

#: HTML beyond this many characters is not converted: ten times the longest text an Approach may carry.
MAX_HTML_CHARS = 2_000_000
#: At most this many links are kept per message.
MAX_LINKS = 500
MAX_LINK_TEXT = 500
MAX_HREF = 2_000

_DROP = frozenset({"script", "style", "template", "title"})
#: A tag: its name and up to 2,000 characters of attributes, with no "<" or ">" inside.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]{0,30})(?![a-zA-Z0-9])([^<>]{0,2000})>")
_HREF = re.compile(r"""(?<![\w-])href\s*=\s*(?:"([^"<>]{0,2000})"|'([^'<>]{0,2000})'|([^\s"'<>]{1,2000}))""", re.I)
_BLOCK = frozenset(
    "p div br li ul ol tr table h1 h2 h3 h4 h5 h6 blockquote pre hr section article header footer".split()
)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'()\[\]{}]{1,2000}", re.IGNORECASE)
#: A domain name shown in visible text, not part of an e-mail address. Applied only to short link texts.
_SHOWN_DOMAIN = re.compile(
    r"(?<![@\w.-])(?:https?://)?((?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63})(?![\w@-])", re.IGNORECASE
)
#: Top-level domains common enough that "see airbus.com" in link text is read as naming a site. Other endings
#: count only with a scheme or "www." ("Jane.Doe" is a name, not a site).
_COMMON_TLDS = frozenset("com net org gov edu mil int info biz io co uk de fr cn ru eu us ca au jp in ch nl".split())
#: Second-level labels under which registries sell names (example.co.uk): the site is the third label.
_SECOND_LEVEL = frozenset("co com net org gov ac edu mil ne or go gob nic ltd plc sch".split())


@dataclass(frozen=True)
class Link:
    """One link: where it goes (`href`, `host`), what it shows (`text`, `shown_host`) and what is odd about it."""

    href: str
    text: str
    host: str | None
    shown_host: str | None
    #: The visible text names one site and the address goes to another.
    mismatched: bool
    #: The host is an IP address (dotted, decimal or hex forms), not a name.
    raw_ip: bool
    #: The host is an internationalised name (punycode `xn--` label or non-ASCII characters): a look-alike risk.
    lookalike: bool


def site_of(host: str) -> str:
    """The registrable part of a host, approximately: 'careers.airbus.com' -> 'airbus.com'."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def is_raw_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        # Browsers also accept 3232235777, 0xC0A80101 and 0300.0250.1.1 as addresses.
        return bool(re.fullmatch(r"(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}", host, re.IGNORECASE))


def is_lookalike(host: str) -> bool:
    return not host.isascii() or any(label.startswith("xn--") for label in host.lower().split("."))


def host_of(href: str) -> str | None:
    if href.lower().startswith("www."):
        href = "http://" + href
    try:
        parts = urlsplit(href)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not host:
        return None
    return host


def make_link(href: str, text: str) -> Link:
    href = href.strip()[:MAX_HREF]
    text = " ".join(text.split())[:MAX_LINK_TEXT]
    host = host_of(href)
    shown: str | None = None
    if host is not None and text:
        shown = shown_host(text)
    mismatched = host is not None and shown is not None and site_of(shown) != site_of(host)
    return Link(
        href=href,
        text=text,
        host=host,
        shown_host=shown,
        mismatched=mismatched,
        raw_ip=host is not None and is_raw_ip(host),
        lookalike=host is not None and is_lookalike(host),
    )


def shown_host(text: str) -> str | None:
    """The site a link's visible text names, if it names one."""
    for m in _SHOWN_DOMAIN.finditer(text):
        domain = m.group(1).lower()
        if m.group(0).lower().startswith(("http", "www.")) or domain.rsplit(".", 1)[-1] in _COMMON_TLDS:
            return domain
    return None


def links_in_text(text: str) -> list[Link]:
    """Bare addresses in a plain-text body; their text is the address itself, so they never mismatch."""
    return [make_link(m.group(0).rstrip(".,;:!?"), "") for m in _URL.finditer(text)]


def _href(attrs: str) -> str | None:
    m = _HREF.search(attrs)
    if m is None:
        return None
    value = next(g for g in m.groups() if g is not None)
    return html.unescape(value).strip() or None


def html_to_text(markup: str) -> tuple[str, list[Link], list[str]]:
    """Visible text, the links, and warnings. Whitespace is collapsed within lines, blank runs to one.

    One pass, left to right, never looking back: every step consumes what it scanned, so the work is linear
    in the input however the markup is broken (see the module docstring for why not `html.parser`).
    """
    notes: list[str] = []
    if len(markup) > MAX_HTML_CHARS:
        notes.append(f"HTML body longer than {MAX_HTML_CHARS:,} characters; the rest was not read")
        markup = markup[:MAX_HTML_CHARS]
    out: list[str] = []
    links: list[Link] = []
    href: str | None = None
    anchor: list[str] = []

    def close_anchor() -> None:
        nonlocal href, anchor
        if href is not None and len(links) < MAX_LINKS:
            links.append(make_link(href, "".join(anchor)))
        href, anchor = None, []

    def data(raw: str) -> None:
        text = html.unescape(raw)
        out.append(text)
        if href is not None:
            anchor.append(text)

    i, n = 0, len(markup)
    while i < n:
        j = markup.find("<", i)
        if j < 0:
            data(markup[i:])
            break
        data(markup[i:j])
        if markup.startswith("<!--", j):
            k = markup.find("-->", j + 4)
            i = n if k < 0 else k + 3
            continue
        tag = _TAG.match(markup, j)
        if tag is None:
            if markup.startswith(("<!", "<?"), j):  # doctype, CDATA, processing instruction
                k = markup.find(">", j)
                i = n if k < 0 else k + 1
            else:
                data("<")  # a bare "<" in text
                i = j + 1
            continue
        i = tag.end()
        closing, name, attrs = tag.group(1) == "/", tag.group(2).lower(), tag.group(3)
        if name in _DROP and not closing:
            end = re.compile(rf"</{name}[^<>]{{0,100}}>", re.IGNORECASE).search(markup, i)
            i = n if end is None else end.end()
        elif name == "a":
            close_anchor()
            if not closing:
                href = _href(attrs)
        elif name in _BLOCK:
            out.append("\n")
    close_anchor()
    lines = (" ".join(line.split()) for line in "".join(out).splitlines())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text, links, notes
