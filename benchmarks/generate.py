"""Write a valid synthetic knowledge base of N treatments, for the scale benchmark.

    python benchmarks/generate.py N OUT.yaml [--seed S]

Deterministic: the same N, seed and bundled file give the same bytes. The words are drawn, with
their real frequencies, from the bundled knowledge base (src/backcare/data/treatments.yaml), so
the text looks like the real thing to the parser and to search; each entry carries about 2 KB of
text. The file has the file-level metadata, a few conditions and glossary terms, and every entry
has procedure, recovery, risks, evidence, two or three guideline positions and three sources, so
`backcare --data-only OUT.yaml validate` passes. The content is nonsense: never ship it.

Known names for benchmarks: ids are `synthetic-00000`, `synthetic-00001`, ...; every entry whose
number ends in 7 (so `synthetic-00007`) has the word "nerve" in its summary, and other entries
contain it as often as the bundled text does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from backcare.model import CATEGORIES, EVIDENCE_LEVELS, INVASIVENESS, STANCES
from backcare.paths import BUNDLED

DEFAULT_SEED = 4  # GitHub issue 4
REVIEWED = dt.date(2026, 11, 25)
KNOWN_WORD = "nerve"
WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")
CONDITIONS = ("alpha", "beta", "gamma", "delta", "epsilon")
GUIDELINE_BODIES = (("NICE", "NG59", 2016), ("ACP", "2017", 2017), ("BMJ", "RR 2025", 2025), ("NASS", "CG", 2020))
FOLD_WIDTH = 100
# Words a plain YAML scalar must not be (they would load as booleans or null).
RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.()'-]*$")
NOT_PROSE = {
    "id",
    "aliases",
    "category",
    "conditions",
    "invasiveness",
    "quality",
    "stance",
    "code",
    "source",
    "sources",
}


# -- words --------------------------------------------------------------------------------------


def _texts(node: Any) -> list[str]:
    """The prose in a parsed record: no ids, codes, keys or source details."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for k, v in node.items() if k not in NOT_PROSE for t in _texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return []


def vocabulary(path: Path = BUNDLED) -> list[str]:
    """Every word of the bundled treatments, in order, repeats kept (so sampling keeps frequencies)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [w for text in _texts(data["treatments"]) for w in WORD.findall(text)]


class Writer:
    """Sentences of sampled words, from a seeded generator."""

    def __init__(self, words: Sequence[str], rng: random.Random) -> None:
        self.words = words
        self.rng = rng

    def phrase(self, n: int) -> str:
        return " ".join(self.rng.choices(self.words, k=n))

    def sentence(self, n: int, *, must: str = "") -> str:
        picked = self.rng.choices(self.words, k=n)
        if must:
            picked[self.rng.randrange(1, n)] = must
        text = " ".join(picked)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, words: int, per_sentence: int = 16) -> str:
        sentences = max(1, words // per_sentence)
        return " ".join(self.sentence(per_sentence) for _ in range(sentences))


# -- records ------------------------------------------------------------------------------------


def _sources(i: int) -> list[dict[str, Any]]:
    return [
        {
            "key": "trial",
            "title": f"A randomised trial of synthetic treatment {i}",
            "authors": "Doe J, Roe R",
            "year": 2020,
            "kind": "trial",
            "doi": f"10.5555/synthetic.{i}.1",
        },
        {
            "key": "guideline",
            "title": f"Synthetic guideline {i}",
            "publisher": "Synthetic Guidelines Body",
            "year": 2021,
            "kind": "guideline",
            "url": f"https://example.org/guidelines/{i}",
        },
        {
            "key": "review",
            "title": f"A systematic review of synthetic treatment {i}",
            "authors": "Poe P",
            "year": 2022,
            "kind": "systematic-review",
            "pmid": str(30000000 + i),
        },
    ]


def _evidence(w: Writer, i: int) -> dict[str, Any]:
    effects: list[dict[str, Any]] = []
    if i % 3 == 0:
        treated = w.rng.randint(20, 70)
        effects.append(
            {
                "outcome": w.phrase(5),
                "events_per_100": treated,
                "comparator_events_per_100": w.rng.randint(5, treated),
                "comparator": "sham procedure",
                "time_frame": "6 months",
                "time_frame_days": 182,
                "population": w.phrase(6),
                "source": "trial",
            }
        )
    evidence: dict[str, Any] = {
        "quality": w.rng.choice(EVIDENCE_LEVELS),
        "summary": w.paragraph(36, per_sentence=18),
        "does_not_show": w.sentence(18),
        "effects": effects,
    }
    if not effects:
        evidence["effects_note"] = "Trials report average score differences, not the share of people who improved."
    return evidence


def _guidelines(w: Writer) -> list[dict[str, Any]]:
    picked = w.rng.sample(GUIDELINE_BODIES, k=w.rng.randint(2, 3))
    return [
        {"body": body, "code": code, "year": year, "stance": w.rng.choice(STANCES), "summary": w.sentence(12)}
        | ({"source": "guideline"} if body == "NICE" else {})
        for body, code, year in picked
    ]


def treatment(w: Writer, i: int) -> dict[str, Any]:
    first, second = w.rng.choices(w.words, k=2)
    low = w.rng.randint(0, 30)
    return {
        "id": f"synthetic-{i:05d}",
        "name": f"Synthetic {first.lower()} {second.lower()} {i}",
        "aliases": [f"syn {i}", f"{first.lower()} {second.lower()} {i}"],
        "category": w.rng.choice(CATEGORIES),
        "summary": w.sentence(18, must=KNOWN_WORD if i % 10 == 7 else ""),
        "description": w.paragraph(80),
        "conditions": sorted(w.rng.sample([f"synthetic-{c}" for c in CONDITIONS], k=w.rng.randint(1, 2))),
        "procedure": {k: w.sentence(6) for k in ("setting", "anaesthesia", "duration", "performed_by")},
        "recovery": {
            "text": w.sentence(20),
            "days_to_normal_activity": {"min": low, "max": low + w.rng.randint(0, 60)},
        },
        "invasiveness": w.rng.choice(INVASIVENESS),
        "benefits": [w.sentence(15) for _ in range(2)],
        "risks": [
            {"risk": w.phrase(10), "frequency": f"about 1 in {w.rng.choice((10, 100, 1000))}", "source": "trial"}
            for _ in range(2)
        ],
        "evidence": _evidence(w, i),
        "guidelines": _guidelines(w),
        "sources": _sources(i),
        "last_reviewed": REVIEWED,
    }


def condition(w: Writer, name: str) -> dict[str, Any]:
    return {
        "id": f"synthetic-{name}",
        "name": f"Synthetic condition {name}",
        "aliases": [f"condition {name}"],
        "description": w.sentence(14),
        "natural_course": w.paragraph(40),
        "sources": [_sources(0)[2]],
    }


def knowledge_base(n: int, seed: int = DEFAULT_SEED, words: Sequence[str] | None = None) -> dict[str, Any]:
    w = Writer(words if words is not None else vocabulary(), random.Random(seed))
    return {
        "schema_version": 1,  # the synthetic entries are in the version 1 layout (inline sources)
        "version": f"synthetic-{n}-seed-{seed}",
        "reviewed": REVIEWED,
        "disclaimer": "Synthetic benchmark data: nonsense text, not medical advice, never to be shipped.",
        "update_policy": "Generated by benchmarks/generate.py; never reviewed.",
        "funding": "None.",
        "conflicts_of_interest": "None.",
        "conditions": [condition(w, name) for name in CONDITIONS],
        "glossary": [{"term": f"synthetic term {k}", "definition": w.sentence(20)} for k in range(3)],
        "treatments": [treatment(w, i) for i in range(n)],
    }


# -- YAML (block style, like the bundled file; yaml.safe_dump is too slow for 10,000 entries) ----


def _quoted(text: str) -> str:
    if PLAIN.match(text) and text.lower() not in RESERVED and not text.endswith(("-", ":")):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def _scalar(prefix: str, value: Any, indent: int) -> list[str]:
    if isinstance(value, bool) or value is None:
        raise TypeError(f"unexpected value {value!r}")
    if isinstance(value, int | dt.date):
        return [f"{prefix} {value}"]
    if isinstance(value, list | dict):  # only empty ones get here
        return [f"{prefix} {'[]' if isinstance(value, list) else '{}'}"]
    text = str(value)
    if len(text) <= 80:
        return [f"{prefix} {_quoted(text)}"]
    pad = " " * indent
    return [f"{prefix} >-", *textwrap.wrap(text, FOLD_WIDTH, initial_indent=pad, subsequent_indent=pad)]


def _mapping(data: dict[str, Any], indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for key, value in data.items():
        if isinstance(value, dict) and value:
            out += [f"{pad}{key}:", *_mapping(value, indent + 2)]
        elif isinstance(value, list) and value:
            out += [f"{pad}{key}:", *_sequence(value, indent)]
        else:
            out += _scalar(f"{pad}{key}:", value, indent + 2)
    return out


def _sequence(items: list[Any], indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for item in items:
        if isinstance(item, dict):
            inner = _mapping(item, indent + 2)
            out += [f"{pad}- {inner[0].lstrip()}", *inner[1:]]
        else:
            out += _scalar(f"{pad}-", item, indent + 2)
    return out


def to_yaml(data: dict[str, Any]) -> str:
    header = "# Synthetic backcare knowledge base for benchmarks (benchmarks/generate.py). Not medical content.\n"
    return header + "\n".join(_mapping(data, 0)) + "\n"


def write(n: int, out: Path, seed: int = DEFAULT_SEED, words: Sequence[str] | None = None) -> Path:
    out.write_text(to_yaml(knowledge_base(n, seed, words)), encoding="utf-8")
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Write a valid synthetic knowledge base of N treatments.")
    parser.add_argument("n", type=int, help="number of treatments")
    parser.add_argument("out", type=Path, help="the YAML file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    write(args.n, args.out, args.seed)
    size = args.out.stat().st_size
    print(f"{args.out}: {args.n} treatments, {size / 1e6:.2f} MB ({size / args.n:.0f} bytes per entry)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
