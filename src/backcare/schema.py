"""Check a parsed knowledge-base file against the schema (docs/schema.md) and normalise it.

Every problem is collected, not just the first, each with the file, line, entry and field it
concerns. Normalised records are plain JSON data (dates become ISO strings) in the shape the
JSON output uses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from backcare.model import (
    CATEGORIES,
    EVIDENCE_LEVELS,
    INVASIVENESS,
    SCHEMA_VERSION,
    SOURCE_KINDS,
    STANCES,
    normalise,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^[0-9]{1,9}$")
URL = re.compile(r"^https://[^\s/$.?#][^\s]*$")


class LineDict(dict[str, Any]):
    """A mapping that remembers the line of each key (1-based), filled by the YAML loader."""

    line: int = 0
    key_lines: dict[str, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines = {}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        who = f" entry '{self.entry}'" if self.entry else ""
        what = f" {self.field}:" if self.field else ""
        return f"{where}:{who}{what} {self.message}"


FILE_KEYS = {
    "schema_version",
    "version",
    "reviewed",
    "disclaimer",
    "update_policy",
    "funding",
    "conflicts_of_interest",
    "conditions",
    "glossary",
    "treatments",
}
ABOUT_KEYS = ("version", "reviewed", "disclaimer", "update_policy", "funding", "conflicts_of_interest")
TREATMENT_KEYS = {
    "id": True,
    "name": True,
    "aliases": True,
    "category": True,
    "summary": True,
    "description": True,
    "conditions": True,
    "procedure": True,
    "recovery": True,
    "invasiveness": True,
    "benefits": True,
    "risks": True,
    "evidence": True,
    "guidelines": True,
    "sources": True,
    "last_reviewed": True,
}
PROCEDURE_KEYS = {"setting": True, "anaesthesia": True, "duration": True, "performed_by": True}
RECOVERY_KEYS = {"text": True, "days_to_normal_activity": True}
RISK_KEYS = {"risk": True, "frequency": False, "source": False}
EVIDENCE_KEYS = {"quality": True, "summary": True, "does_not_show": True, "effects": True, "effects_note": False}
EFFECT_KEYS = {
    "outcome": True,
    "events_per_100": True,
    "comparator_events_per_100": True,
    "comparator": True,
    "time_frame": True,
    "time_frame_days": True,
    "population": True,
    "source": True,
}
GUIDELINE_KEYS = {"body": True, "code": True, "year": True, "stance": True, "summary": True, "source": False}
SOURCE_KEYS = {
    "key": True,
    "title": True,
    "authors": False,
    "publisher": False,
    "year": False,  # optional: undated web pages have none (content tests require it for papers)
    "kind": True,
    "doi": False,
    "pmid": False,
    "url": False,
}
CONDITION_KEYS = {
    "id": True,
    "name": True,
    "aliases": False,
    "description": True,
    "natural_course": True,
    "sources": True,
}
GLOSSARY_KEYS = {"term": True, "aliases": False, "definition": True}


def _entry_name(node: Any, key: str, fallback: str) -> str:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, str) and value else fallback


def _line(node: Any, key: str | None = None) -> int:
    if isinstance(node, LineDict):
        if key is not None and key in node.key_lines:
            return node.key_lines[key]
        return node.line
    return 0


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    return {
        str: "text",
        int: "a number",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a mapping",
        LineDict: "a mapping",
        dt.date: "a date",
    }.get(type(value), type(value).__name__)


class _Checker:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.known_conditions: set[str] | None = None

    def add(self, node: Any, key: str | None, entry: str, field: str, message: str) -> None:
        self.problems.append(Problem(self.path, _line(node, key), entry, field, message))

    # -- primitives ---------------------------------------------------------------------------

    def mapping(
        self, node: Any, spec: dict[str, bool], entry: str, field: str, parent: Any = None, key: str | None = None
    ) -> dict[str, Any] | None:
        if not isinstance(node, dict):
            self.add(parent, key, entry, field, f"expected a mapping, found {_type_name(node)}")
            return None
        for name in node:
            if name not in spec:
                allowed = ", ".join(spec)
                self.add(
                    node, name, entry, f"{field}.{name}" if field else str(name), f"unknown field (allowed: {allowed})"
                )
        for name, required in spec.items():
            if required and name not in node:
                self.add(node, None, entry, f"{field}.{name}" if field else name, "missing required field")
        return node

    def text(self, node: dict[str, Any], key: str, entry: str, field: str, *, required: bool = True) -> str:
        if key not in node:
            return ""
        value = node[key]
        if not isinstance(value, str):
            self.add(node, key, entry, field, f"expected text, found {_type_name(value)}")
            return ""
        if required and not value.strip():
            self.add(node, key, entry, field, "must not be empty")
        return value

    def integer(self, node: dict[str, Any], key: str, entry: str, field: str, lo: int, hi: int) -> int:
        value = node.get(key)
        if key not in node:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(node, key, entry, field, f"expected a whole number, found {_type_name(value)}")
            return 0
        if not lo <= value <= hi:
            self.add(node, key, entry, field, f"{value} is outside {lo}..{hi}")
        return value

    def number(self, node: dict[str, Any], key: str, entry: str, field: str, lo: float, hi: float) -> float:
        value = node.get(key)
        if key not in node:
            return 0.0
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(node, key, entry, field, f"expected a number, found {_type_name(value)}")
            return 0.0
        if not lo <= value <= hi:
            self.add(node, key, entry, field, f"{value} is outside {lo:g}..{hi:g}")
        return value

    def choice(self, node: dict[str, Any], key: str, entry: str, field: str, allowed: tuple[str, ...]) -> str:
        value = self.text(node, key, entry, field)
        if value and value not in allowed:
            self.add(node, key, entry, field, f"'{value}' is not one of: {', '.join(allowed)}")
        return value

    def date(self, node: dict[str, Any], key: str, entry: str, field: str) -> str:
        if key not in node:
            return ""
        value = node[key]
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        self.add(node, key, entry, field, f"expected a date YYYY-MM-DD, found {value!r}")
        return ""

    def text_list(self, node: dict[str, Any], key: str, entry: str, field: str, *, min_items: int = 0) -> list[str]:
        out: list[str] = []
        for i, item in enumerate(self.mapping_list(node, key, entry, field, min_items=min_items)):
            if not isinstance(item, str) or not item.strip():
                self.add(node, key, entry, f"{field}[{i}]", f"expected non-empty text, found {_type_name(item)}")
            else:
                out.append(item)
        return out

    def mapping_list(self, node: dict[str, Any], key: str, entry: str, field: str, *, min_items: int = 0) -> list[Any]:
        """The list under `key` (its items unchecked); a missing or empty optional list is []."""
        if key not in node:
            return []
        value = node[key]
        if value is None and min_items == 0:
            return []
        if not isinstance(value, list):
            self.add(node, key, entry, field, f"expected a list, found {_type_name(value)}")
            return []
        if len(value) < min_items:
            self.add(node, key, entry, field, f"needs at least {min_items} item(s)")
        return value

    def slug(self, node: dict[str, Any], key: str, entry: str, field: str) -> str:
        if key in node and not isinstance(node[key], str):
            self.add(node, key, entry, field, f"expected text, found {_type_name(node[key])}")
            return ""
        value = self.text(node, key, entry, field)
        if value and not SLUG.match(value):
            self.add(node, key, entry, field, f"'{value}' must be lower-case letters, digits and single hyphens")
        return value

    # -- records ------------------------------------------------------------------------------

    def sources(self, node: dict[str, Any], entry: str, field: str, *, min_items: int) -> list[dict[str, Any]]:
        out = []
        seen: set[str] = set()
        for i, src in enumerate(self.mapping_list(node, "sources", entry, field, min_items=min_items)):
            f = f"{field}[{i}]"
            if self.mapping(src, SOURCE_KEYS, entry, f, node, "sources") is None:
                continue
            rec: dict[str, Any] = {
                "key": self.slug(src, "key", entry, f"{f}.key"),
                "title": self.text(src, "title", entry, f"{f}.title"),
            }
            for opt in ("authors", "publisher"):
                if opt in src:
                    rec[opt] = self.text(src, opt, entry, f"{f}.{opt}")
            if "authors" not in src and "publisher" not in src:
                self.add(src, None, entry, f, "needs 'authors' or 'publisher'")
            if "year" in src:
                rec["year"] = self.integer(src, "year", entry, f"{f}.year", 1900, 2100)
            rec["kind"] = self.choice(src, "kind", entry, f"{f}.kind", SOURCE_KINDS)
            ids = 0
            for ident, pattern, hint in (
                ("doi", DOI, "a DOI like 10.1000/xyz"),
                ("pmid", PMID, "digits only"),
                ("url", URL, "an https:// address"),
            ):
                if ident not in src:
                    continue
                raw = src[ident]
                value = str(raw) if ident == "pmid" and isinstance(raw, int) and not isinstance(raw, bool) else raw
                if not isinstance(value, str) or not pattern.match(value):
                    self.add(src, ident, entry, f"{f}.{ident}", f"{value!r} is not {hint}")
                else:
                    rec[ident] = value
                    ids += 1
            if ids == 0 and not any(k in src for k in ("doi", "pmid", "url")):
                self.add(src, None, entry, f, "needs an identifier: doi, pmid or url")
            if rec["key"] in seen:
                self.add(src, "key", entry, f"{f}.key", f"duplicate source key '{rec['key']}'")
            seen.add(rec["key"])
            out.append(rec)
        return out

    def source_ref(self, node: dict[str, Any], entry: str, field: str, keys: set[str], *, required: bool) -> str:
        if "source" not in node:
            return ""
        ref = self.text(node, "source", entry, field, required=required)
        if ref and ref not in keys:
            self.add(node, "source", entry, field, f"'{ref}' is not a key in this entry's sources")
        return ref

    def treatment(self, node: Any, index: int, parent: Any) -> dict[str, Any] | None:
        entry = _entry_name(node, "id", f"#{index + 1}")
        if self.mapping(node, TREATMENT_KEYS, entry, "", parent, "treatments") is None:
            return None
        rec: dict[str, Any] = {"id": self.slug(node, "id", entry, "id")}
        rec["name"] = self.text(node, "name", entry, "name")
        rec["aliases"] = self.text_list(node, "aliases", entry, "aliases")
        rec["category"] = self.choice(node, "category", entry, "category", CATEGORIES)
        rec["summary"] = self.text(node, "summary", entry, "summary")
        if "\n" in rec["summary"].strip():
            self.add(node, "summary", entry, "summary", "must be one line")
        rec["description"] = self.text(node, "description", entry, "description")
        rec["conditions"] = self.text_list(node, "conditions", entry, "conditions", min_items=1)
        for cond in rec["conditions"]:
            if self.known_conditions is not None and cond not in self.known_conditions:
                self.add(node, "conditions", entry, "conditions", f"unknown condition '{cond}'")

        proc = self.mapping(node.get("procedure"), PROCEDURE_KEYS, entry, "procedure", node, "procedure")
        if proc is not None:
            rec["procedure"] = {k: self.text(proc, k, entry, f"procedure.{k}") for k in PROCEDURE_KEYS}

        recov = self.mapping(node.get("recovery"), RECOVERY_KEYS, entry, "recovery", node, "recovery")
        if recov is not None:
            days = {"min": 0, "max": 0}
            field = "recovery.days_to_normal_activity"
            days_node = (
                self.mapping(
                    recov["days_to_normal_activity"],
                    {"min": True, "max": True},
                    entry,
                    field,
                    recov,
                    "days_to_normal_activity",
                )
                if "days_to_normal_activity" in recov
                else None
            )
            if days_node is not None:
                days = {
                    "min": self.integer(days_node, "min", entry, f"{field}.min", 0, 3650),
                    "max": self.integer(days_node, "max", entry, f"{field}.max", 0, 3650),
                }
                if days["min"] > days["max"]:
                    self.add(days_node, None, entry, field, "min is greater than max")
            rec["recovery"] = {
                "text": self.text(recov, "text", entry, "recovery.text"),
                "days_to_normal_activity": days,
            }

        rec["invasiveness"] = self.choice(node, "invasiveness", entry, "invasiveness", INVASIVENESS)
        rec["benefits"] = self.text_list(node, "benefits", entry, "benefits", min_items=1)
        rec["sources"] = self.sources(node, entry, "sources", min_items=1)
        keys = {s["key"] for s in rec["sources"]}

        risks = []
        for i, risk in enumerate(self.mapping_list(node, "risks", entry, "risks", min_items=1)):
            f = f"risks[{i}]"
            if self.mapping(risk, RISK_KEYS, entry, f, node, "risks") is None:
                continue
            r = {"risk": self.text(risk, "risk", entry, f"{f}.risk")}
            if "frequency" in risk:
                r["frequency"] = self.text(risk, "frequency", entry, f"{f}.frequency")
            if "source" in risk:
                r["source"] = self.source_ref(risk, entry, f"{f}.source", keys, required=True)
            risks.append(r)
        rec["risks"] = risks

        ev = self.mapping(node.get("evidence"), EVIDENCE_KEYS, entry, "evidence", node, "evidence")
        if ev is not None:
            evidence: dict[str, Any] = {
                "quality": self.choice(ev, "quality", entry, "evidence.quality", EVIDENCE_LEVELS),
                "summary": self.text(ev, "summary", entry, "evidence.summary"),
                "does_not_show": self.text(ev, "does_not_show", entry, "evidence.does_not_show"),
            }
            effects = []
            for i, eff in enumerate(self.mapping_list(ev, "effects", entry, "evidence.effects")):
                f = f"evidence.effects[{i}]"
                if self.mapping(eff, EFFECT_KEYS, entry, f, ev, "effects") is None:
                    continue
                effects.append(
                    {
                        "outcome": self.text(eff, "outcome", entry, f"{f}.outcome"),
                        "events_per_100": self.number(eff, "events_per_100", entry, f"{f}.events_per_100", 0, 100),
                        "comparator_events_per_100": self.number(
                            eff, "comparator_events_per_100", entry, f"{f}.comparator_events_per_100", 0, 100
                        ),
                        "comparator": self.text(eff, "comparator", entry, f"{f}.comparator"),
                        "time_frame": self.text(eff, "time_frame", entry, f"{f}.time_frame"),
                        "time_frame_days": self.integer(
                            eff, "time_frame_days", entry, f"{f}.time_frame_days", 1, 36500
                        ),
                        "population": self.text(eff, "population", entry, f"{f}.population"),
                        "source": self.source_ref(eff, entry, f"{f}.source", keys, required=True),
                    }
                )
            evidence["effects"] = effects
            note = self.text(ev, "effects_note", entry, "evidence.effects_note", required=False)
            if not effects and not note.strip() and "effects" in ev:
                self.add(ev, "effects", entry, "evidence.effects_note", "needed when there are no effects (say why)")
            evidence["effects_note"] = note
            rec["evidence"] = evidence

        guidelines = []
        for i, g in enumerate(self.mapping_list(node, "guidelines", entry, "guidelines")):
            f = f"guidelines[{i}]"
            if self.mapping(g, GUIDELINE_KEYS, entry, f, node, "guidelines") is None:
                continue
            pos = {
                "body": self.text(g, "body", entry, f"{f}.body"),
                "code": self.text(g, "code", entry, f"{f}.code")
                if isinstance(g.get("code"), str)
                else str(g.get("code", "")),
                "year": self.integer(g, "year", entry, f"{f}.year", 1900, 2100),
                "stance": self.choice(g, "stance", entry, f"{f}.stance", STANCES),
                "summary": self.text(g, "summary", entry, f"{f}.summary"),
            }
            if "source" in g:
                pos["source"] = self.source_ref(g, entry, f"{f}.source", keys, required=True)
            guidelines.append(pos)
        rec["guidelines"] = guidelines
        rec["last_reviewed"] = self.date(node, "last_reviewed", entry, "last_reviewed")
        return rec

    def condition(self, node: Any, index: int, parent: Any) -> dict[str, Any] | None:
        entry = _entry_name(node, "id", f"condition #{index + 1}")
        if self.mapping(node, CONDITION_KEYS, entry, "", parent, "conditions") is None:
            return None
        return {
            "id": self.slug(node, "id", entry, "id"),
            "name": self.text(node, "name", entry, "name"),
            "aliases": self.text_list(node, "aliases", entry, "aliases"),
            "description": self.text(node, "description", entry, "description"),
            "natural_course": self.text(node, "natural_course", entry, "natural_course"),
            "sources": self.sources(node, entry, "sources", min_items=1),
        }

    def glossary(self, node: Any, index: int, parent: Any) -> dict[str, Any] | None:
        entry = _entry_name(node, "term", f"term #{index + 1}")
        if self.mapping(node, GLOSSARY_KEYS, entry, "", parent, "glossary") is None:
            return None
        return {
            "term": self.text(node, "term", entry, "term"),
            "aliases": self.text_list(node, "aliases", entry, "aliases"),
            "definition": self.text(node, "definition", entry, "definition"),
        }


@dataclass
class FileContent:
    """One knowledge-base file, checked and normalised."""

    about: dict[str, str]
    conditions: list[dict[str, Any]]
    glossary: list[dict[str, Any]]
    treatments: list[dict[str, Any]]


def validate_file(
    data: Any, path: str, *, require_about: bool, known_conditions: Iterable[str] | None = None
) -> tuple[FileContent, list[Problem]]:
    """Check one parsed file.

    `known_conditions` are condition ids from other layers that entries may refer to; None skips
    the reference check (the loader checks references once the layers are merged).
    """
    check = _Checker(path)
    content = FileContent(about={}, conditions=[], glossary=[], treatments=[])
    if data is None:
        check.add(None, None, "", "", "the file is empty (expected a mapping with a 'treatments' list)")
        return content, check.problems
    if not isinstance(data, dict):
        check.add(None, None, "", "", f"the top level must be a mapping, found {_type_name(data)}")
        return content, check.problems

    spec = {k: require_about and k in ("schema_version", *ABOUT_KEYS) for k in FILE_KEYS}
    check.mapping(data, spec, "", "")
    if "schema_version" in data:
        version = data["schema_version"]
        if version != SCHEMA_VERSION:
            check.add(
                data,
                "schema_version",
                "",
                "schema_version",
                f"{version!r} is not supported (expected {SCHEMA_VERSION})",
            )
    for key in ABOUT_KEYS:
        if key == "reviewed":
            value = check.date(data, key, "", key)
        elif key == "version" and isinstance(data.get(key), int | float) and not isinstance(data.get(key), bool):
            value = str(data[key])
        else:
            value = check.text(data, key, "", key)
        if value:
            content.about[key] = value

    for i, node in enumerate(check.mapping_list(data, "conditions", "", "conditions")):
        cond = check.condition(node, i, data)
        if cond is not None:
            content.conditions.append(cond)
    for i, node in enumerate(check.mapping_list(data, "glossary", "", "glossary")):
        term = check.glossary(node, i, data)
        if term is not None:
            content.glossary.append(term)

    if known_conditions is not None:
        check.known_conditions = set(known_conditions) | {c["id"] for c in content.conditions}
    for i, node in enumerate(check.mapping_list(data, "treatments", "", "treatments")):
        rec = check.treatment(node, i, data)
        if rec is not None:
            content.treatments.append(rec)

    _check_unique(check, data, content)
    return content, check.problems


def _node_of(data: dict[str, Any], section: str, index: int) -> Any:
    items = data.get(section)
    return items[index] if isinstance(items, list) and index < len(items) else None


def _check_unique(check: _Checker, data: dict[str, Any], content: FileContent) -> None:
    """Ids unique; every name a lookup accepts (id, alias) points at exactly one entry."""
    owner: dict[str, str] = {}
    for i, rec in enumerate(content.treatments):
        node = _node_of(data, "treatments", i)
        tid = rec["id"]
        if not tid:
            continue
        if tid in owner:
            check.add(node, "id", tid, "id", f"duplicate id (also used by entry '{owner[tid]}')")
            continue
        owner[tid] = tid
    for i, rec in enumerate(content.treatments):
        node = _node_of(data, "treatments", i)
        tid = rec["id"]
        for alias in rec["aliases"]:
            key = normalise(alias)
            if key == tid:
                continue
            other = owner.get(key)
            if other is not None and other != tid:
                check.add(
                    node, "aliases", tid, "aliases", f"alias '{alias}' is already the id or an alias of '{other}'"
                )
                continue
            owner[key] = tid
    seen: set[str] = set()
    for i, cond in enumerate(content.conditions):
        if cond["id"] in seen:
            check.add(_node_of(data, "conditions", i), "id", cond["id"], "id", "duplicate condition id")
        seen.add(cond["id"])
