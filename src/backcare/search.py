"""Ranked full-text search: tokenise, score, rank, find match spans. Pure functions, no Rich.

Scoring, per query word (prefix match on word starts, case-insensitive):
  name, id or alias  +12 (the whole query equal to a name: +100 more)
  summary             +4
  conditions          +3
  body text           +1 per occurrence, at most 5
Entries matching more of the query words rank first. A word found nowhere is replaced by its
closest words in the knowledge base (a typo such as "acupunture"), at a lower weight.

Each entry's searchable text is flattened once into a "haystack": lower-case UTF-8 words each
after a space, in four sections (names | summary | conditions | body), so a word-start match is
a plain byte count (C speed). The cache stores haystacks, so a search parses only the records it
prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, Protocol

WORD = re.compile(r"\w+")
SNIPPET_WIDTH = 90
MAX_QUERY_CHARS = 1000  # a query is a few words; these bound the work one command line can ask for
MAX_QUERY_WORDS = 32


class Searchable(Protocol):
    id: str
    name: str
    aliases: Sequence[str]
    summary: str
    conditions: Sequence[str]

    @property
    def haystack(self) -> bytes: ...

    @property
    def record(self) -> dict[str, Any]: ...


class Hit(NamedTuple):
    id: str
    name: str
    score: float
    snippet: str
    terms: tuple[str, ...]  # the words that matched (after typo correction), to highlight


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def query_problem(text: str) -> str | None:
    """Why a query is too long to search for, or None."""
    if len(text) > MAX_QUERY_CHARS:
        return f"the search query is {len(text):,} characters long; at most {MAX_QUERY_CHARS:,} are allowed"
    count = len(words(text))
    if count > MAX_QUERY_WORDS:
        return f"the search query has {count:,} words; at most {MAX_QUERY_WORDS} are allowed"
    return None


def flatten(text: str) -> str:
    return " " + " ".join(words(text)) + " "


def body_texts(rec: dict[str, Any]) -> list[str]:
    """The text snippets are taken from, in order of preference."""
    out = [rec.get("summary", ""), rec.get("description", "")]
    out += rec.get("benefits", [])
    out += [f"{r.get('risk', '')} {r.get('frequency', '')}" for r in rec.get("risks", [])]
    out += list(rec.get("procedure", {}).values())
    recovery = rec.get("recovery", {})
    out.append(recovery.get("text", ""))
    evidence = rec.get("evidence", {})
    out += [evidence.get("summary", ""), evidence.get("does_not_show", "")]
    return [t for t in out if t]


def haystack(rec: dict[str, Any]) -> bytes:
    """The record's searchable words in four sections: names | summary | conditions | body.

    Lower-case UTF-8 words, each preceded by a space, so a word-start match is a plain byte
    count (C speed, no decoding); the sections say where a match was for scoring.
    """
    names = " ".join([rec.get("id", ""), rec.get("name", ""), *rec.get("aliases", [])])
    sections = [names, rec.get("summary", ""), " ".join(rec.get("conditions", [])), " ".join(body_texts(rec))]
    return SECTION.join(flatten(text).encode("utf-8") for text in sections)


SECTION = b"|"  # never inside a word


def _expand(term: bytes, entries: Sequence[Searchable], vocabulary: Iterable[str]) -> list[bytes]:
    """The term itself if it occurs anywhere, else its closest known words (typo tolerance)."""
    needle = b" " + term
    if any(needle in e.haystack for e in entries):
        return [term]
    import difflib

    close = difflib.get_close_matches(term.decode("utf-8"), list(vocabulary), n=2, cutoff=0.75)
    return [w.encode("utf-8") for w in close]


def _vocabulary(entries: Sequence[Searchable]) -> set[str]:
    """Every name word, and every longer body word: what a typo is matched against."""
    vocabulary: set[str] = set()
    for e in entries:
        names, _, body = e.haystack.partition(SECTION)
        vocabulary.update(w.decode("utf-8") for w in names.split())
        vocabulary.update(w.decode("utf-8") for w in body.split() if len(w) > 3 and w != SECTION)
    return vocabulary


def search(query: str, entries: Sequence[Searchable], limit: int = 10) -> list[Hit]:
    terms = list(dict.fromkeys(words(query)))
    if not terms:
        return []
    whole = " ".join(terms)
    vocabulary: set[str] | None = None

    expanded: list[tuple[bytes, float]] = []
    for term in terms:
        found = _expand(term.encode("utf-8"), entries, ())
        if found:
            expanded.append((found[0], 1.0))
            continue
        if vocabulary is None:
            vocabulary = _vocabulary(entries)
        expanded += [(w, 0.8) for w in _expand(term.encode("utf-8"), (), vocabulary)]
    if not expanded:
        return []
    needles = [(b" " + term, weight) for term, weight in expanded]

    scored: list[tuple[float, int, Searchable, tuple[str, ...]]] = []
    for position, entry in enumerate(entries):
        hay = entry.haystack
        score = 0.0
        matched: list[str] = []
        sections: list[bytes] | None = None
        for needle, weight in needles:
            body = hay.count(needle)
            if not body:
                continue
            if sections is None:
                sections = hay.split(SECTION, 3)
            matched.append(needle[1:].decode("utf-8"))
            points = float(min(body, 5))
            if needle in sections[0]:
                points += 12
            if needle in sections[1]:
                points += 4
            if needle in sections[2]:
                points += 3
            score += points * weight
        if not matched:
            continue
        if whole in (entry.id.replace("-", " "), " ".join(words(entry.name))) or any(
            whole == " ".join(words(a)) for a in entry.aliases
        ):
            score += 100
        score += 20 * len(matched)
        scored.append((score, position, entry, tuple(matched)))

    scored.sort(key=lambda s: (-s[0], s[1]))
    return [_hit(entry, score, matched) for score, _, entry, matched in scored[:limit]]


def _hit(entry: Searchable, score: float, matched: tuple[str, ...]) -> Hit:
    return Hit(entry.id, entry.name, round(score, 1), make_snippet(body_texts(entry.record), matched), matched)


def make_snippet(texts: Sequence[str], terms: Sequence[str]) -> str:
    """A short extract of the first text that contains a matched word, around that word."""
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\w*", re.IGNORECASE)
    for text in texts:
        flat = " ".join(text.split())
        m = pattern.search(flat)
        if m is None:
            continue
        start = max(0, m.start() - SNIPPET_WIDTH // 3)
        if start:
            space = flat.find(" ", start)
            start = space + 1 if 0 <= space < m.start() else start
        end = min(len(flat), start + SNIPPET_WIDTH)
        if end < len(flat):
            space = flat.rfind(" ", m.end(), end)
            end = space if space > m.end() else end
        return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")
    first = " ".join(texts[0].split()) if texts else ""
    return first[:SNIPPET_WIDTH] + ("…" if len(first) > SNIPPET_WIDTH else "")
