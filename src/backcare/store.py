"""One knowledge-base file as the program keeps it: from its cache when unchanged, else parsed.

A file is parsed and validated (yamlfile.py, schema.py) only on a cache miss; the result is a
header (file metadata, conditions, glossary and one IndexRow per treatment), each treatment's
record as compact JSON, and each record's search text (search.haystack). cache.py stores exactly
these, so a warm run reads the index and only the records it prints.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from backcare import cache
from backcare.errors import InvalidKnowledgeBase
from backcare.model import Treatment, normalise
from backcare.paths import BUNDLED

if TYPE_CHECKING:  # schema.py is imported only when a file must be parsed (a cache miss)
    from backcare.schema import FileContent

ROLES = ("base", "user", "data")


class Layer(NamedTuple):
    """A file in the stack: its role decides the rules, its label is what people are shown."""

    path: Path
    role: str  # "base" (the bundled file, or the --data-only file), "user" or "data"

    @property
    def is_bundled(self) -> bool:
        return self.role == "base" and self.path == BUNDLED

    @property
    def label(self) -> str:
        if self.is_bundled:
            return "bundled"
        if self.role == "base":  # --data-only: the user's own file, named as such
            return str(self.path)
        return f"{self.role}:{self.path.name}"


class IndexRow(NamedTuple):
    """What every command needs about a treatment without parsing its whole record."""

    id: str
    name: str
    aliases: list[str]
    category: str
    summary: str
    conditions: list[str]
    keys: list[str]  # the name and aliases, normalised for lookups
    overrides: list[str]  # names declared as taken over from an earlier layer
    extends: str  # the id of the earlier entry this one changes field by field, or ""

    @classmethod
    def of(cls, rec: dict[str, Any]) -> IndexRow:
        """The row of a record; an extending record lists only some fields (kb.merge completes it)."""
        name, aliases = rec.get("name", ""), rec.get("aliases", [])
        keys = list(dict.fromkeys(normalise(n) for n in (name, *aliases) if n))
        return cls(
            rec["id"],
            name,
            aliases,
            rec.get("category", ""),
            rec.get("summary", ""),
            rec.get("conditions", []),
            keys,
            rec.get("overrides", []),
            rec.get("extends", ""),
        )


class Store:
    """The records and search texts of one file: from its cache, or in memory after parsing.

    A cached block whose checksum fails is rebuilt from the YAML (`rebuild`) and served from
    memory: corruption costs time, never correctness.
    """

    def __init__(
        self,
        cached: cache.CachedFile | None,
        records: list[str] | None = None,
        hays: list[bytes] | None = None,
        rebuild: Callable[[], tuple[list[str], list[bytes]]] | None = None,
    ) -> None:
        self._cached = cached
        self._records = records
        self._hays = hays
        self._rebuild = rebuild

    def _from_source(self) -> None:
        cache.stats["corrupt"] += 1
        if self._rebuild is None:
            raise InvalidKnowledgeBase("the knowledge-base cache is corrupt; set BACKCARE_NO_CACHE=1 and report it")
        self._records, self._hays = self._rebuild()
        self._cached = None

    def record(self, i: int) -> str:
        if self._records is None:
            assert self._cached is not None
            text = self._cached.record(i)
            if text is not None:
                return text
            self._from_source()
        assert self._records is not None
        return self._records[i]

    def block(self) -> bytes:
        """Every record, as the body of a JSON array (records joined by ",\\n")."""
        if self._records is None:
            assert self._cached is not None
            data = self._cached.records_block()
            if data is not None:
                return data
            self._from_source()
        assert self._records is not None
        return ",\n".join(self._records).encode("utf-8")

    def haystacks(self) -> list[bytes]:
        if self._hays is None:
            assert self._cached is not None
            self._hays = self._cached.haystacks()
            if self._hays is None:
                self._from_source()
        assert self._hays is not None
        return self._hays


class Entry:
    """A treatment in the merged knowledge base: its index row, and its record on demand."""

    __slots__ = (
        "_treatment",
        "aliases",
        "category",
        "conditions",
        "extends",
        "id",
        "index",
        "keys",
        "name",
        "origin",
        "overrides",
        "store",
        "summary",
    )

    def __init__(self, row: IndexRow, origin: str, store: Store, index: int) -> None:
        self.id = row.id
        self.name = row.name
        self.aliases: Sequence[str] = row.aliases
        self.category = row.category
        self.summary = row.summary
        self.conditions: Sequence[str] = row.conditions
        self.keys: Sequence[str] = row.keys
        self.overrides: Sequence[str] = row.overrides
        self.extends = row.extends
        self.origin = origin
        self.store = store
        self.index = index
        self._treatment: Treatment | None = None

    @property
    def record_json(self) -> str:
        return self.store.record(self.index)

    @property
    def haystack(self) -> bytes:
        return self.store.haystacks()[self.index]

    @property
    def treatment(self) -> Treatment:
        if self._treatment is None:
            self._treatment = Treatment.from_dict(json.loads(self.record_json))
        return self._treatment

    @property
    def record(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.record_json)
        return value


class LoadedFile(NamedTuple):
    layer: Layer
    about: dict[str, str]
    conditions: list[dict[str, Any]]
    glossary: list[dict[str, Any]]
    entries: list[Entry]
    store: Store


def _parse(layer: Layer, key: dict[str, Any] | None, resolved: Path) -> tuple[dict[str, Any], list[str], list[bytes]]:
    """Parse and validate one file; cache the result. Raises InvalidKnowledgeBase with every problem."""
    from backcare.validate import check_file

    path = layer.path
    content, problems = check_file(path, require_about=layer.role == "base", known_conditions=None)
    if problems:
        more = f" (and {len(problems) - 1} more; 'backcare validate {path}' lists all)" if len(problems) > 1 else ""
        raise InvalidKnowledgeBase(f"{problems[0]}{more}", [str(p) for p in problems])
    header, records, hays = prepared(layer, key, content)
    if key is not None:
        cache.write(resolved, header, records, hays)
    return header, records, hays


def prepared(
    layer: Layer, key: dict[str, Any] | None, content: FileContent
) -> tuple[dict[str, Any], list[str], list[bytes]]:
    """A validated file as the loader keeps it: header and index, serialised records, search texts."""
    from backcare.search import haystack

    records, hays = [], []
    for rec in content.treatments:
        rec["origin"] = layer.label
        records.append(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
        hays.append(haystack(rec))
    header = {
        "key": key,
        "about": content.about,
        "conditions": content.conditions,
        "glossary": content.glossary,
        "index": [list(IndexRow.of(r)) for r in content.treatments],
    }
    return header, records, hays


def load_file(layer: Layer) -> LoadedFile:
    """One layer, from the cache when the file is unchanged, else parsed and validated."""
    try:
        resolved = layer.path.resolve()
        st = resolved.stat()
    except OSError:
        resolved, st = layer.path, None
    use_cache = st is not None and not os.environ.get("BACKCARE_NO_CACHE")
    key = cache.key_for(resolved, st, layer.label) if use_cache and st is not None else None
    cached = cache.read(resolved, key) if key is not None else None
    if cached is None:
        header, records, hays = _parse(layer, key, resolved)
        store = Store(None, records, hays)
    else:
        header = cached.header

        def rebuild() -> tuple[list[str], list[bytes]]:
            fresh, records, hays = _parse(layer, key, resolved)
            if [row[0] for row in fresh["index"]] != [row[0] for row in header["index"]]:
                raise InvalidKnowledgeBase(f"{layer.path}: the file changed while it was being read; run again")
            return records, hays

        store = Store(cached, rebuild=rebuild)
    label = layer.label
    entries = [Entry(IndexRow(*row), label, store, i) for i, row in enumerate(header["index"])]
    return LoadedFile(layer, header["about"], header["conditions"], header["glossary"], entries, store)


# -- field-level extension (merged after loading, so each file's cache holds only its own text) --


def extended(base: dict[str, Any], partial: dict[str, Any]) -> dict[str, Any]:
    """An extending record over the earlier record of its id: the fields it lists replace those."""
    return {**base, **partial, "extends": partial["extends"]}


def extended_entry(base: Entry, entry: Entry) -> Entry:
    from backcare.search import haystack

    rec = extended(base.record, entry.record)
    store = Store(None, [json.dumps(rec, ensure_ascii=False, separators=(",", ":"))], [haystack(rec)])
    return Entry(IndexRow.of(rec), entry.origin, store, 0)


def extension_problems(rec: dict[str, Any], where: str, known_conditions: Sequence[str]) -> list[str]:
    """The schema's problems with a merged extending record, checked as a whole."""
    from backcare.schema import validate_file

    whole = {k: v for k, v in rec.items() if k not in ("origin", "extends")}
    _, problems = validate_file({"treatments": [whole]}, where, require_about=False, known_conditions=known_conditions)
    return [f"{p} (in the entry as extended)" for p in problems]
