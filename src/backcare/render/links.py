"""Which text in a reference becomes a link, for the HTML and Markdown renderers: a DOI, a PMID or
an http(s) address, and nothing else (javascript:, data: and file: addresses stay text)."""

from __future__ import annotations

import re
from urllib.parse import quote

# What becomes a link in a reference: a DOI, a PMID or an http(s) address; nothing else.
LINK = re.compile(
    r"(?P<doi>doi:\s?(?P<doi_id>10\.[^\s\"<>]+))"
    r"|(?P<pmid>PMID:?\s?(?P<pmid_id>\d{1,9}))"
    r"|(?P<url>https?://[^\s\"<>\\]+)",
    re.IGNORECASE,
)
TRAILING = ".,;:)]"

Part = tuple[str, str]  # (text, href); href "" for text


def safe_href(address: str) -> str:
    """An address as a link target, or "" when it is not http(s) (javascript:, data:, file: stay text)."""
    address = address.strip()
    if not re.match(r"https?://[^\s\"<>\\]+$", address, re.IGNORECASE):
        return ""
    return address


def _trim(found: str) -> tuple[str, str]:
    """A link found in running text without the punctuation that ends the sentence."""
    kept = found.rstrip(TRAILING)
    if found[len(kept) :].startswith(")") and kept.count("(") > kept.count(")"):  # doi:10.1016/S0140-6736(18)30480-X
        kept += ")"
    return kept, found[len(kept) :]


def linked(text: str) -> list[Part]:
    """A reference's text with its DOI, PMID and web address as links."""
    parts: list[Part] = []
    at = 0
    for m in LINK.finditer(text):
        found, rest = _trim(m.group())
        if m.group("doi"):
            doi = found[found.index("10.") :]
            href = "https://doi.org/" + quote(doi, safe="/().;:-_")
        elif m.group("pmid"):
            href = f"https://pubmed.ncbi.nlm.nih.gov/{m.group('pmid_id')}/"
        else:
            href = safe_href(found)
        parts += [(text[at : m.start()], ""), (found, href)]
        at = m.end() - len(rest)
    parts.append((text[at:], ""))
    return [p for p in parts if p[0]]
