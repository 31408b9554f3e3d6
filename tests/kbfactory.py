"""Small, valid knowledge-base files for tests, and helpers to break them on purpose."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

CONDITION = {
    "id": "test-condition",
    "name": "Test condition",
    "description": "A condition used only in tests.",
    "natural_course": "It usually settles by itself in tests.",
    "sources": [
        {
            "key": "c1",
            "title": "A test source",
            "publisher": "Test",
            "year": 2020,
            "kind": "other",
            "url": "https://example.org/s1",
        }
    ],
}


def entry(tid: str = "test-treatment", **overrides: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": tid,
        "name": tid.replace("-", " ").capitalize(),
        "aliases": [f"{tid}-alias"],
        "category": "conservative",
        "summary": f"Summary of {tid}.",
        "description": f"Description of {tid}.",
        "conditions": ["test-condition"],
        "procedure": {"setting": "Home", "anaesthesia": "None", "duration": "Minutes", "performed_by": "Anyone"},
        "recovery": {"text": "None needed.", "days_to_normal_activity": {"min": 0, "max": 0}},
        "invasiveness": "none",
        "benefits": ["A benefit."],
        "risks": [{"risk": "A risk.", "frequency": "about 1 in 100", "source": "s1"}],
        "evidence": {
            "quality": "low",
            "summary": "One small trial against usual care.",
            "does_not_show": "It does not show a cure.",
            "effects": [],
            "effects_note": "No natural-frequency figure is reported.",
        },
        "guidelines": [{"body": "NICE", "code": "NG59", "year": 2016, "stance": "consider", "summary": "Consider it."}],
        "sources": [
            {"key": "s1", "title": "A source", "authors": "Doe J", "year": 2020, "kind": "trial", "doi": "10.1000/test"}
        ],
        "last_reviewed": "2026-01-01",
    }
    rec.update(copy.deepcopy(overrides))
    return rec


def kb(*entries: dict[str, Any], about: bool = True, conditions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if about:
        data.update(
            {
                "schema_version": 1,
                "version": "test-1",
                "reviewed": "2026-01-01",
                "disclaimer": "Test disclaimer: not medical advice.",
                "update_policy": "Reviewed in tests.",
                "funding": "None.",
                "conflicts_of_interest": "None.",
            }
        )
    data["conditions"] = [copy.deepcopy(CONDITION)] if conditions is None else conditions
    data["glossary"] = [{"term": "sham", "definition": "A fake procedure used for comparison."}]
    data["treatments"] = list(entries) if entries else [entry()]
    return data


def write(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


# -- schema_version 2 -------------------------------------------------------------------------

IN_SHORT = {"what_it_is": "A short test procedure.", "helps": "About as well as usual care.", "recovery": "None."}


def with_in_short(rec: dict[str, Any]) -> dict[str, Any]:
    """An entry with the short texts version 2 requires (version 1 accepts them too)."""
    rec = copy.deepcopy(rec)
    rec.setdefault("in_short", dict(IN_SHORT))
    rec["evidence"].setdefault("in_short", "We are not sure: one small trial.")
    for g in rec["guidelines"]:
        g.setdefault("in_short", "chronic pain, in tests")
    if not any("in_short" in r for r in rec["risks"]):
        rec["risks"][0]["in_short"] = "a risk, about 1 in 100"
    return rec


def v2(data: dict[str, Any]) -> dict[str, Any]:
    """A version 1 file in the version 2 layout: one source registry, entries and conditions list keys."""
    data = copy.deepcopy(data)
    registry: dict[str, Any] = {}
    for rec in [*data.get("conditions", ()), *data.get("treatments", ())]:
        keys = []
        for src in rec.get("sources", ()):
            src = dict(src)
            key = src.pop("key")
            assert registry.setdefault(key, src) == src, f"source key {key!r} names two different records"
            keys.append(key)
        rec["sources"] = keys
    out = {k: v for k, v in data.items() if k not in ("conditions", "glossary", "treatments")}
    if "schema_version" in out or data.get("treatments"):
        out["schema_version"] = 2
    out["sources"] = registry
    out.update({k: data[k] for k in ("conditions", "glossary", "treatments") if k in data})
    return out
