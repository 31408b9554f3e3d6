"""Plain-language measures for `validate --strict`: sentences, words, syllables, reading grade.

Pure functions, no dependencies. The syllable count is a heuristic (vowel groups, less a silent
final e), close enough to rank texts by difficulty; the grade is the Flesch–Kincaid formula.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable

WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
VOWEL_GROUP = re.compile(r"[aeiouy]+")
SILENT_END = re.compile(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$")
# A sentence ends at . ! or ? followed by space and a capital, digit or quote, or at the end.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "vs.", "approx.", "no.")
# The targets of the knowledge base's short texts (tests/test_release.py, validate --strict).
MAX_SENTENCE_WORDS = 25
TARGET_GRADE = 8.0


def words(text: str) -> list[str]:
    return WORD.findall(text)


def syllables(word: str) -> int:
    """Syllables in one word: vowel groups, less a silent ending; at least 1 (digits count 1)."""
    w = word.lower()
    if not w.isalpha():
        return 1
    if len(w) <= 3:
        return 1
    w = SILENT_END.sub(lambda m: m.group()[0], w)
    w = w.removeprefix("y")
    return max(1, len(VOWEL_GROUP.findall(w)))


def sentences(text: str) -> list[str]:
    masked = text
    for abbr in ABBREVIATIONS:  # "et al. 2018" and "e.g. NSAIDs" do not end a sentence
        masked = re.sub(re.escape(abbr) + r"\s", abbr.replace(".", "\0") + " ", masked, flags=re.IGNORECASE)
    parts = SENTENCE_END.split(" ".join(masked.split()))
    return [p.replace("\0", ".").strip() for p in parts if words(p)]


def grade(text: str) -> float:
    """Flesch–Kincaid grade level: 0.39 × words per sentence + 11.8 × syllables per word − 15.59."""
    found = words(text)
    if not found:
        return 0.0
    count = max(1, len(sentences(text)))
    return 0.39 * len(found) / count + 11.8 * sum(syllables(w) for w in found) / len(found) - 15.59


def median_grade(texts: Iterable[str]) -> float:
    grades = [grade(t) for t in texts if words(t)]
    return statistics.median(grades) if grades else 0.0


def longest_sentence(text: str) -> tuple[int, str]:
    """The number of words in the longest sentence, and that sentence."""
    return max(((len(words(s)), s) for s in sentences(text)), default=(0, ""))


def long_sentences(text: str, limit: int = MAX_SENTENCE_WORDS) -> list[str]:
    """The sentences of `text` longer than `limit` words."""
    return [s for s in sentences(text) if len(words(s)) > limit]
