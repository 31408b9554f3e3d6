"""Plain-language checks: sentence length and the Flesch–Kincaid grade, in pure Python.

Used by the content tests and `validate --strict`. The grade is an estimate (syllables are
counted by a vowel-group heuristic), good for spotting text that is far too hard, not for
splitting hairs: the targets are a median of about US grade 8 and no sentence over 25 words.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable

MAX_SENTENCE_WORDS = 25
TARGET_GRADE = 8.0

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*|\d+(?:[.,]\d+)*")
_VOWELS = re.compile(r"[aeiouy]+")


def sentences(text: str) -> list[str]:
    """Sentences of plain prose (abbreviations such as "e.g." may split one; that only shortens)."""
    flat = " ".join(text.split())
    return [s for s in _SENTENCE_END.split(flat) if _WORD.search(s)]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def syllables(word: str) -> int:
    """Vowel groups, less a silent final e; numbers count as one syllable per digit group."""
    if word[0].isdigit():
        return max(1, len(re.findall(r"\d+", word)))
    w = word.lower()
    count = len(_VOWELS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(1, count)


def grade(text: str) -> float:
    """Flesch–Kincaid grade level of a text (0 for a text without words)."""
    found = words(text)
    if not found:
        return 0.0
    count = max(1, len(sentences(text)))
    syl = sum(syllables(w) for w in found)
    return 0.39 * len(found) / count + 11.8 * syl / len(found) - 15.59


def long_sentences(text: str, limit: int = MAX_SENTENCE_WORDS) -> list[str]:
    return [s for s in sentences(text) if len(words(s)) > limit]


def median_grade(texts: Iterable[str]) -> float:
    grades = [grade(t) for t in texts if words(t)]
    return statistics.median(grades) if grades else 0.0
