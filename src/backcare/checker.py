"""The generic checker: walks a record specification (schema.py states the format) over parsed YAML.

Each field is checked by its kind; each record's rules run after its fields. Every problem is
collected, none raised, each with the file, line, entry and field it concerns. The result is
plain JSON data (dates become ISO strings).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from backcare.fuzzy import close_matches

VERSIONS = (1, 2)
V1, V2, NEVER = (1,), (2,), ()
PLACEHOLDER = "TODO:"  # how `backcare new` marks text still to be written; never valid content
PLACEHOLDER_LEFT = "still the placeholder from 'backcare new': replace it with the real text"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^[0-9]{1,9}$")
URL = re.compile(r"^https://[^\s/$.?#][^\s]*$")
IDENTIFIERS = {
    "doi": (DOI, "a DOI like 10.1000/xyz"),
    "pmid": (PMID, "digits only"),
    "url": (URL, "an https:// address"),
}


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


Rule = Callable[["Walk", dict[str, Any], dict[str, Any], str, str], None]
"""A cross-field check: (walk, the mapping as read, its normalised record, entry name, field path)."""


class Field(NamedTuple):
    """One key of a record. `kind` is one of the keys of schema_doc.KIND_NAMES."""

    name: str
    kind: str
    meaning: str
    required: tuple[int, ...] = VERSIONS  # the schema versions in which it must be given
    versions: tuple[int, ...] = VERSIONS  # the schema versions in which it exists
    choices: tuple[str, ...] = ()
    lo: float = 0
    hi: float = 0  # a range is checked when hi > lo
    min_items: int = 0
    record: Record | None = None  # for the kinds record, records and registry
    default: Any = None  # written to the normalised record when an optional field is absent
    whole: tuple[int, ...] = ()  # the schema versions in which a number must be whole
    bundled: bool = False  # required only in the bundled file
    max_words: int = 0


class Record(NamedTuple):
    name: str  # as the docs call it
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()
    label: str = ""  # the field that names an entry in messages
    fallback: str = ""  # the entry's name when that field is missing, e.g. "#{n}"
    about: str = ""
    partial_key: str = ""  # a mapping with this key lists only the fields it changes: none is required


# -- the walk ----------------------------------------------------------------------------------------


def _line(node: Any, key: str | None = None) -> int:
    if isinstance(node, LineDict):
        if key is not None and key in node.key_lines:
            return node.key_lines[key]
        return node.line
    return 0


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    names = {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list", dt.date: "a date"}
    return "a mapping" if isinstance(value, dict) else names.get(type(value), type(value).__name__)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


EMPTY: dict[str, Any] = {"int": 0, "number": 0.0, "texts": [], "keys": [], "records": []}
TEXT_KINDS = ("text", "line", "note", "slug", "choice", "key")


class Walk:
    def __init__(self, path: str, version: int, require_about: bool, known: set[str] | None) -> None:
        self.path = path
        self.version = version
        self.require_about = require_about
        self.known_conditions = known
        self.problems: list[Problem] = []
        self.defined: list[str] = []  # registry keys, valid or not
        self.registry: dict[str, dict[str, Any]] = {}
        self.uses: list[tuple[str, Any, str, str]] = []  # key, node, entry, field

    def add(self, node: Any, key: str | None, entry: str, field: str, message: str) -> None:
        self.problems.append(Problem(self.path, _line(node, key), entry, field, message))

    def required(self, f: Field) -> bool:
        return self.version in f.required and (self.require_about or not f.bundled)

    def unknown(self, name: str, spec: Record, fields: dict[str, Field]) -> str:
        elsewhere = [v for f in spec.fields if f.name == name for v in f.versions]
        if elsewhere:
            return f"unknown field in schema_version {self.version} (it is part of schema_version {elsewhere[0]})"
        close = close_matches(name, fields, n=1, cutoff=0.7)
        if close:
            return f"unknown field; did you mean {close[0]}?"
        return f"unknown field (allowed: {', '.join(fields)})"

    def record(self, node: Any, spec: Record, entry: str, path: str, parent: Any, key: str | None) -> Any:
        """The normalised record of one mapping, or None when it is not a mapping."""
        if not isinstance(node, dict):
            self.add(parent, key, entry, path, f"expected a mapping, found {type_name(node)}")
            return None
        fields = {f.name: f for f in spec.fields if self.version in f.versions}
        for name in node:
            if str(name) not in fields:
                self.add(node, name, entry, _join(path, str(name)), self.unknown(str(name), spec, fields))
        rec: dict[str, Any] = {}
        partial = bool(spec.partial_key) and spec.partial_key in node
        for f in fields.values():
            fpath = _join(path, f.name)
            if f.name not in node:
                if self.required(f) and not partial:
                    self.add(node, None, entry, fpath, "missing required field")
                if f.default is not None:
                    rec[f.name] = type(f.default)(f.default)  # a fresh copy
                continue
            value = self.value(node, f, entry, fpath)
            if value is not None:
                rec[f.name] = value
            elif f.kind in TEXT_KINDS or f.kind in EMPTY:
                empty = EMPTY.get(f.kind, "")
                rec[f.name] = type(empty)(empty)
        for rule in spec.rules:
            rule(self, node, rec, entry, path)
        return rec

    def value(self, node: dict[str, Any], f: Field, entry: str, path: str) -> Any:
        """The normalised value of field `f` (present in `node`), or None when it is unusable."""
        raw, kind = node[f.name], f.kind

        def bad(message: str) -> Any:
            self.add(node, f.name, entry, path, message)
            return None

        if kind in ("label", "pmid") and isinstance(raw, int | float) and not isinstance(raw, bool):
            raw = str(raw)
        if kind in (*TEXT_KINDS, "label"):
            if not isinstance(raw, str):
                return bad(f"expected text, found {type_name(raw)}")
            if kind != "note" and not raw.strip():
                bad("must not be empty")
            elif raw.lstrip().startswith(PLACEHOLDER):
                bad(PLACEHOLDER_LEFT)
            elif kind == "line" and "\n" in raw.strip():
                bad("must be one line")
            elif kind == "slug" and not SLUG.match(raw):
                bad(f"'{raw}' must be lower-case letters, digits and single hyphens")
            elif kind == "choice" and raw not in f.choices:
                bad(f"'{raw}' is not one of: {', '.join(f.choices)}")
            elif f.max_words and len(raw.split()) > f.max_words:
                bad(f"{len(raw.split())} words is too long (at most {f.max_words})")
            return raw
        if kind in IDENTIFIERS:
            pattern, hint = IDENTIFIERS[kind]
            if isinstance(raw, str) and raw.lstrip().startswith(PLACEHOLDER):
                return bad(PLACEHOLDER_LEFT)
            return raw if isinstance(raw, str) and pattern.match(raw) else bad(f"{raw!r} is not {hint}")
        if kind == "date":
            if isinstance(raw, dt.date):
                return (raw.date() if isinstance(raw, dt.datetime) else raw).isoformat()
            try:
                return dt.date.fromisoformat(raw).isoformat()
            except (TypeError, ValueError):
                return bad(f"expected a date YYYY-MM-DD, found {raw!r}")
        if kind in ("int", "number"):
            whole = kind == "int" or self.version in f.whole
            if isinstance(raw, bool) or not isinstance(raw, int | float) or (kind == "int" and isinstance(raw, float)):
                return bad(f"expected {'a whole number' if kind == 'int' else 'a number'}, found {type_name(raw)}")
            if whole and isinstance(raw, float) and not raw.is_integer():
                bad(f"{raw:g} must be a whole number in schema_version {self.version} (round it)")
            elif f.hi > f.lo and not f.lo <= raw <= f.hi:
                bad(f"{raw} is outside {f.lo:g}..{f.hi:g}")
            return raw
        if kind == "record":
            assert f.record is not None
            return self.record(raw, f.record, entry, path, node, f.name)
        if kind == "registry":
            return self.registry_of(raw, f, node)
        return self.items(raw, f, node, entry, path)

    def items(self, raw: Any, f: Field, node: dict[str, Any], entry: str, path: str) -> Any:
        """A list field: texts, source keys or records."""
        if raw is None and f.min_items == 0:
            return []
        if not isinstance(raw, list):
            self.add(node, f.name, entry, path, f"expected a list, found {type_name(raw)}")
            return None
        if len(raw) < f.min_items:
            self.add(node, f.name, entry, path, f"needs at least {f.min_items} item(s)")
        out: list[Any] = []
        for i, item in enumerate(raw):
            ipath = f"{path}[{i}]"
            if f.kind == "records":
                assert f.record is not None
                spec = f.record
                who = entry
                if spec.label:
                    name = item.get(spec.label) or item.get(spec.partial_key) if isinstance(item, dict) else None
                    who = name if isinstance(name, str) and name else spec.fallback.format(n=i + 1)
                rec = self.record(item, spec, who, "" if spec.label else ipath, node, f.name)
                if rec is not None:
                    out.append(rec)
            elif not isinstance(item, str) or not item.strip():
                self.add(node, f.name, entry, ipath, f"expected non-empty text, found {type_name(item)}")
            elif f.kind == "keys":
                self.uses.append((item, node, entry, ipath))
                if item in self.registry and item not in (s["key"] for s in out):
                    out.append({"key": item, **self.registry[item]})
            else:
                out.append(item)
        return out

    def registry_of(self, raw: Any, f: Field, node: dict[str, Any]) -> Any:
        if not isinstance(raw, dict):
            self.add(node, f.name, "", f.name, f"expected a mapping of source keys, found {type_name(raw)}")
            return None
        assert f.record is not None
        for key, src in raw.items():
            path = f"{f.name}.{key}"
            self.defined.append(str(key))
            if not SLUG.match(str(key)):
                self.add(raw, key, "", path, f"'{key}' must be lower-case letters, digits and single hyphens")
            rec = self.record(src, f.record, "", path, raw, key)
            if rec is not None:
                self.registry[str(key)] = rec
        return None  # the registry is resolved into each entry's sources, not kept
