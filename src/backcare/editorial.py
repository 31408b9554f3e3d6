"""The editorial rules `validate --strict` adds to the schema (docs/writing-entries.md).

Pure checks over one normalised treatment record; each problem is (field, message). The schema
says what a file must hold to be read; these say what an entry must hold to be published.
"""

from __future__ import annotations

import re
from typing import Any

from backcare.readability import longest_sentence, median_grade

MAX_GRADE = 9.0  # median Flesch–Kincaid grade of the summary and in_short texts
MAX_SENTENCE_WORDS = 25
STRONG_KINDS = ("guideline", "systematic-review")
NUMBER = re.compile(r"\d")


def plain_texts(rec: dict[str, Any]) -> list[tuple[str, str]]:
    """The texts a person reads first: the summary and every in_short sentence."""
    texts = [("summary", rec.get("summary", ""))]
    short = rec.get("in_short") or {}
    texts += [(f"in_short.{k}", v) for k, v in short.items() if isinstance(v, str)]
    evidence = rec.get("evidence") or {}
    if evidence.get("in_short"):
        texts.append(("evidence.in_short", evidence["in_short"]))
    return [(field, text) for field, text in texts if text]


def problems(rec: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    sources = rec.get("sources") or []
    if len(sources) < 2:
        out.append(("sources", f"{len(sources)} source(s): give at least two"))
    if sources and not any(s.get("kind") in STRONG_KINDS for s in sources):
        out.append(("sources", "none of the sources is a guideline or a systematic review"))
    for i, risk in enumerate(rec.get("risks") or ()):
        text = f"{risk.get('risk', '')} {risk.get('frequency', '')}"
        if NUMBER.search(text) and not risk.get("source"):
            out.append((f"risks[{i}].source", "a risk with a number needs the source it comes from"))
    for i, effect in enumerate((rec.get("evidence") or {}).get("effects") or ()):
        if not effect.get("source"):
            out.append((f"evidence.effects[{i}].source", "an effect needs the source of its figures"))
    texts = plain_texts(rec)
    for field, text in texts:
        count, sentence = longest_sentence(text)
        if count > MAX_SENTENCE_WORDS:
            start = " ".join(sentence.split()[:6])
            out.append((field, f"a sentence of {count} words (at most {MAX_SENTENCE_WORDS}): '{start} …'"))
    grade = median_grade([text for _, text in texts])
    if grade > MAX_GRADE:
        fields = ", ".join(field for field, _ in texts)
        out.append(("summary", f"reading grade {grade:.1f} is above {MAX_GRADE:g} (median Flesch–Kincaid of {fields})"))
    return out
