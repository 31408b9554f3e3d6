"""Ranked full-text search over treatments, conditions and glossary terms. Pure functions, no Rich.

Scoring, per query word (prefix match on word starts, case-insensitive):
  name, id or alias  +12 (the whole query a name: +100 more; once corrected, or the start of
                      a name: +50)
  summary             +4  (a condition's description; a glossary definition)
  conditions          +3
  body text           +1 per occurrence, at most 5
and +20 for each query word a record matches. Common words ("is", "it", "the", "what", "if") are
left out of the query. A word found nowhere is tried as a singular ("epidurals"), then, if it has
at least four letters, replaced by its closest name word, else its closest body word (a typo such
as "acupunture"), at half weight. Records matching more of the words as typed always rank before
records matched only through a corrected word.

Each record's searchable text is flattened once into a "haystack": lower-case UTF-8 words each
after a space, in four sections (names | summary | conditions | body), so a word-start match is
a plain byte count (C speed). The cache stores the treatments' haystacks, so a search parses only
the records it prints; conditions and glossary terms are few and flattened on each search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, Protocol

from backcare.fuzzy import CORRECT_CUTOFF, close_matches, similarity

WORD = re.compile(r"\w+")
SNIPPET_WIDTH = 90
# Words too common to say what someone is looking for ("is it safe", "what if I do nothing").
STOP_WORDS = frozenset(
    """
    a about after am an and any are as at be been but by can could did do does doing for from get
    got had has have he her his how i if in into is it its just me might more most much my no not of
    on or our really she should so some than that the their them then there these they this those to
    too was we were what when where which while who why will with would you your
    """.split()  # noqa: SIM905 - a word list reads better as words
)
WAIT_LABEL = "What if I wait or do nothing?"  # the question a condition's natural course answers
MAX_QUERY_CHARS = 1000  # a query is a few words; these bound the work one command line can ask for
MAX_QUERY_WORDS = 32


class Searchable(Protocol):
    @property
    def kind(self) -> str: ...  # "treatment", "condition" or "glossary"
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> Sequence[str]: ...
    @property
    def haystack(self) -> bytes: ...
    @property
    def texts(self) -> Sequence[str]: ...  # where a snippet is taken from, in order


class Hit(NamedTuple):
    kind: str
    id: str
    name: str
    score: float
    snippet: str
    terms: tuple[str, ...]  # the words that matched (after typo correction), to highlight


class Record(NamedTuple):
    """A condition or glossary term as search sees it."""

    kind: str
    id: str
    name: str
    aliases: Sequence[str]
    haystack: bytes
    texts: Sequence[str]


class TreatmentRecord:
    """A treatment entry (store.Entry) as search sees it: its cached haystack, its record on demand."""

    kind = "treatment"

    def __init__(self, entry: Any) -> None:
        self.entry = entry
        self.id: str = entry.id
        self.name: str = entry.name
        self.aliases: Sequence[str] = entry.aliases
        self.haystack: bytes = entry.haystack  # read once: search passes over every record twice

    @property
    def texts(self) -> Sequence[str]:
        return body_texts(self.entry.record)


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def query_words(text: str) -> list[str]:
    """The words a query is searched by: each once, common words left out."""
    return [w for w in dict.fromkeys(words(text)) if w not in STOP_WORDS]


def query_problem(
    text: str, what: str = "the search query", most_chars: int = MAX_QUERY_CHARS, most_words: int = MAX_QUERY_WORDS
) -> str | None:
    """Why a query (or the names given to compare) is too long to look for, or None."""
    if len(text) > most_chars:
        return f"{what} is {len(text):,} characters long; at most {most_chars:,} are allowed"
    count = len(words(text))
    if count > most_words:
        return f"{what} has {count:,} words; at most {most_words} are allowed"
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


def condition_record(cond: Any) -> Record:
    """A condition (model.Condition): its names, description and natural course ("what if I wait?")."""
    # The question its natural course answers is as good as a name for that part of a condition:
    # "what if I do nothing" must find it before a treatment whose text says "nothing is cut".
    names = " ".join([cond.id, cond.name, *cond.aliases, WAIT_LABEL])
    wait = f"{WAIT_LABEL} {cond.natural_course}"
    sections = [names, cond.description, "", f"{cond.in_short} {cond.natural_course}"]
    hay = SECTION.join(flatten(text).encode("utf-8") for text in sections)
    return Record("condition", cond.id, cond.name, cond.aliases, hay, [cond.description, wait])


def glossary_record(term: Any) -> Record:
    """A glossary term (model.GlossaryEntry): its term and aliases, and its definition."""
    from backcare.model import normalise

    sections = [" ".join([term.term, *term.aliases]), term.definition, "", ""]
    hay = SECTION.join(flatten(text).encode("utf-8") for text in sections)
    return Record("glossary", normalise(term.term), term.term, term.aliases, hay, [term.definition])


def corpus(entries: Iterable[Any], conditions: Iterable[Any], glossary: Iterable[Any]) -> list[Searchable]:
    """Everything search looks through, in the order ties are broken: treatments, conditions, terms."""
    out: list[Searchable] = [TreatmentRecord(e) for e in entries]
    out += [condition_record(c) for c in conditions]
    out += [glossary_record(g) for g in glossary]
    return out


def _found(needle: bytes, records: Sequence[Searchable]) -> bool:
    return any(needle in r.haystack for r in records)


def _vocabulary(records: Sequence[Searchable]) -> tuple[list[str], list[str]]:
    """Name words, and the longer body words: what a typo is matched against, names first."""
    names: set[str] = set()
    body: set[str] = set()
    for r in records:
        head, _, rest = r.haystack.partition(SECTION)
        names.update(w.decode("utf-8") for w in head.split())
        body.update(w.decode("utf-8") for w in rest.split() if len(w) > 3 and w != SECTION)
    return sorted(names), sorted(body - names)


def _corrected(term: str, vocabulary: tuple[list[str], list[str]]) -> list[str]:
    """The closest known words to a typo: the best name words, else the one best body word."""
    for words_, n in ((vocabulary[0], 2), (vocabulary[1], 1)):
        close = close_matches(term, words_, n=n, cutoff=CORRECT_CUTOFF)
        if close:
            best = similarity(term, close[0], 0)
            return [w for w in close if similarity(term, w, 0) >= best - 1e-9]
    return []


def expand(terms: Sequence[str], records: Sequence[Searchable]) -> list[tuple[bytes, bool]]:
    """Each query word as searched: itself, its singular, or its closest known words (not exact)."""
    from backcare.lookup import singular

    vocabulary: tuple[list[str], list[str]] | None = None
    out: list[tuple[bytes, bool]] = []
    for term in terms:
        for form in dict.fromkeys((term, singular(term))):
            if _found(b" " + form.encode("utf-8"), records):
                out.append((form.encode("utf-8"), True))
                break
        else:
            if len(term) < 4:  # too short to guess at: "si" is not a typo of "sit"
                continue
            if vocabulary is None:
                vocabulary = _vocabulary(records)
            out += [(w.encode("utf-8"), False) for w in _corrected(term, vocabulary)]
    return out


def search(query: str, records: Sequence[Searchable], limit: int = 10) -> list[Hit]:
    terms = query_words(query)
    if not terms:
        return []
    whole = " ".join(terms)
    expanded = expand(terms, records)
    if not expanded:
        return []
    needles = [(b" " + term, exact) for term, exact in expanded]
    searched = " ".join(t.decode("utf-8") for t, _ in expanded)  # the query as searched (typos corrected)
    # A name, or the start of one, is in the record's name words as one run: a cheap test first.
    typed_b, searched_b = (b" " + q.encode("utf-8") for q in (whole, searched))

    scored: list[tuple[int, float, int, Searchable, tuple[str, ...]]] = []
    for position, record in enumerate(records):
        hay = record.haystack
        score = 0.0
        exact_words = 0
        matched: list[str] = []
        sections: list[bytes] | None = None
        for needle, exact in needles:
            body = hay.count(needle)
            if not body:
                continue
            if sections is None:
                sections = hay.split(SECTION, 3)
            matched.append(needle[1:].decode("utf-8"))
            points = float(min(body, 5)) + 20
            if needle in sections[0]:
                points += 12
            if needle in sections[1]:
                points += 4
            if needle in sections[2]:
                points += 3
            score += points if exact else points / 2
            exact_words += exact
        if not matched:
            continue
        if sections is not None and (typed_b in sections[0] or searched_b in sections[0]):
            score += _name_bonus(record, whole, searched)  # only where the query could be a name
        scored.append((exact_words, score, position, record, tuple(matched)))

    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    return [_hit(record, score, matched) for _, score, _, record, matched in scored[:limit]]


def _name_bonus(record: Searchable, typed: str, searched: str) -> float:
    """The whole query is a name: +100 (+50 once corrected, or when it is the start of a name)."""
    names = [record.id.replace("-", " "), " ".join(words(record.name)), *(" ".join(words(a)) for a in record.aliases)]
    if typed in names:
        return 100
    if searched in names or (len(typed) >= 5 and any(n.startswith(typed) for n in names)):
        return 50
    return 0


def _hit(record: Searchable, score: float, matched: tuple[str, ...]) -> Hit:
    snippet = make_snippet(record.texts, matched)
    return Hit(record.kind, record.id, record.name, round(score, 1), snippet, matched)


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
