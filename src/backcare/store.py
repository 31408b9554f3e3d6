"""One knowledge-base file as the program keeps it: from its cache when unchanged, else parsed.

A file is parsed and validated (yamlfile.py, schema.py) only on a cache miss; the result is a
header (file metadata, conditions, glossary and one IndexRow per treatment), each treatment's
record as compact JSON, and each record's search text (search.haystack). cache.py stores exactly
these, so a warm run reads the index and only the records it prints.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from backcare import cache
from backcare.controls import json_escape, shown_path
from backcare.errors import InvalidKnowledgeBase, notice
from backcare.model import Condition, GlossaryEntry, Source, Treatment, normalise
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
            return shown_path(self.path)
        return f"{self.role}:{shown_path(self.path.name)}"


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

    A cached block whose digest fails, or a cached record that does not parse, is rebuilt from
    the YAML (`rebuild`) and served from memory: corruption costs time, never correctness.
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

    def parsed(self, i: int) -> dict[str, Any]:
        """Record i as data; a cached record that is not a JSON object is a miss like any other."""
        if self._records is None:
            try:
                value = json.loads(self.record(i))
                if isinstance(value, dict):
                    return value
            except ValueError:
                pass
            if self._records is None:
                self._from_source()
        assert self._records is not None
        data: dict[str, Any] = json.loads(self._records[i])
        return data

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

    def __init__(self, row: IndexRow | Sequence[Any], origin: str, store: Store, index: int) -> None:
        """`row`: an IndexRow, or a cached index row (the same fields as a list, checked by header_ok)."""
        self.id: str
        self.name: str
        self.category: str
        self.summary: str
        self.extends: str
        self.aliases: Sequence[str]
        self.conditions: Sequence[str]
        self.keys: Sequence[str]
        self.overrides: Sequence[str]
        (
            self.id,
            self.name,
            self.aliases,
            self.category,
            self.summary,
            self.conditions,
            self.keys,
            self.overrides,
            self.extends,
        ) = row
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
            self._treatment = Treatment.from_dict(self.store.parsed(self.index))
        return self._treatment

    @property
    def record(self) -> dict[str, Any]:
        return self.store.parsed(self.index)


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
    with _announced(path):
        content, problems = check_file(path, require_about=layer.role == "base", known_conditions=None)
    if problems:
        shown = shown_path(path)
        more = f" (and {len(problems) - 1} more; 'backcare validate {shown}' lists all)" if len(problems) > 1 else ""
        raise InvalidKnowledgeBase(f"{problems[0]}{more}", [str(p) for p in problems])
    header, records, hays = prepared(layer, key, content)
    if key is not None:
        cache.write(resolved, header, records, hays)
    return header, records, hays


ANNOUNCE_AFTER = 2.0  # seconds: a cold parse longer than this says what it is doing (on a terminal)


@contextmanager
def _announced(path: Path) -> Iterator[None]:
    """On a terminal, a parse still running after ANNOUNCE_AFTER seconds says so on stderr, once.

    A one-shot SIGALRM timer: no thread to import, nothing at all when stderr is not a terminal.
    """
    import signal
    import sys

    try:
        on_terminal = sys.stderr is not None and sys.stderr.isatty()
    except (ValueError, OSError):
        on_terminal = False
    if not on_terminal or not hasattr(signal, "setitimer"):
        yield
        return

    def say(signum: int, frame: Any) -> None:
        size = path.stat().st_size / (1 << 20) if path.exists() else 0.0
        notice(
            f"reading {shown_path(path)} ({size:.1f} MB) for the first time since it changed; later runs use the cache"
        )

    try:
        previous = signal.signal(signal.SIGALRM, say)
        signal.setitimer(signal.ITIMER_REAL, ANNOUNCE_AFTER)
    except ValueError:  # not the main thread: no timer
        yield
        return
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def prepared(
    layer: Layer, key: dict[str, Any] | None, content: FileContent
) -> tuple[dict[str, Any], list[str], list[bytes]]:
    """A validated file as the loader keeps it: header and index, serialised records, search texts."""
    from backcare.search import haystack

    records, hays = [], []
    for rec in content.treatments:
        rec["origin"] = layer.label
        records.append(json_escape(json.dumps(rec, ensure_ascii=False, separators=(",", ":"))))
        hays.append(haystack(rec))
    header = {
        "key": key,
        "about": content.about,
        "conditions": content.conditions,
        "glossary": content.glossary,
        "index": [list(IndexRow.of(r)) for r in content.treatments],
    }
    return header, records, hays


def header_ok(header: Any) -> bool:
    """Every field store.py and kb.merge read from a cached header, of the right type.

    The header is authenticated (cache.py), so this guards against our own bugs and older
    formats as much as anything; a failure is a miss like any other.
    """
    try:
        index, about = header["index"], header["about"]
        if not isinstance(index, list) or len(index) != len(header["starts"]) or not _strings(about.values()):
            return False
        if index and not _index_ok(index):
            return False
        for c in header["conditions"]:
            condition = Condition.from_dict(c)
            if not _strings([*condition[:4], condition.in_short, *condition.aliases]) or not _sources_ok(
                condition.sources
            ):
                return False
        for g in header["glossary"]:
            entry = GlossaryEntry.from_dict(g)
            if not _strings([entry.term, entry.definition, *entry.aliases]):
                return False
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    return isinstance(about, dict)


def _index_ok(index: list[Any]) -> bool:
    """Every row a list of IndexRow's fields, text where text belongs and lists of text where
    lists belong. Checked a column at a time with built-ins (map, set, str.join) rather than a
    Python test per value: ~10x faster on 10,000 rows, and this runs on every warm read."""
    if set(map(type, index)) != {list} or set(map(len, index)) != {len(IndexRow._fields)}:
        return False
    columns = list(zip(*index, strict=True))
    texts = [columns[i] for i in (0, 1, 3, 4, 8)]
    lists = [columns[i] for i in (2, 5, 6, 7)]
    if any(set(map(type, column)) != {list} for column in lists):
        return False
    return all(_joinable(column) for column in texts) and all(_joinable(chain.from_iterable(c)) for c in lists)


def _joinable(values: Iterable[Any]) -> bool:
    """Whether every value is text (str.join refuses anything else, at C speed)."""
    try:
        "".join(values)
    except TypeError:
        return False
    return True


def _strings(values: Iterable[Any]) -> bool:
    return all(isinstance(v, str) for v in values)


def _sources_ok(sources: Iterable[Source]) -> bool:
    return all(_strings([s.key, s.title, s.kind]) and (s.year is None or type(s.year) is int) for s in sources)


def load_file(layer: Layer) -> LoadedFile:
    """One layer, from the cache when the file is unchanged, else parsed and validated.

    Only one process parses a changed file at a time (cache.building); the others then read
    what it cached. A cache that fails any check is a miss: the YAML is parsed and the cache
    rewritten.
    """
    try:
        resolved = layer.path.resolve()
        st = resolved.stat()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11's resolve)
        resolved, st = layer.path, None
    use_cache = st is not None and not os.environ.get("BACKCARE_NO_CACHE")
    key = cache.key_for(resolved, st, layer.label) if use_cache and st is not None else None
    cached = _usable(cache.read(resolved, key)) if key is not None else None
    if cached is None and key is not None:
        with cache.building(key):  # then look again: another process may have built it meanwhile
            cached = _usable(cache.read(resolved, key, again=True))
            if cached is None:
                header, records, hays = _parse(layer, key, resolved)
    elif key is None:
        header, records, hays = _parse(layer, key, resolved)
    if cached is None:
        store = Store(None, records, hays)
    else:
        header = cached.header

        def rebuild() -> tuple[list[str], list[bytes]]:
            fresh, records, hays = _parse(layer, key, resolved)
            if [row[0] for row in fresh["index"]] != [row[0] for row in header["index"]]:
                raise InvalidKnowledgeBase(
                    f"{shown_path(layer.path)}: the file changed while it was being read; run again"
                )
            return records, hays

        store = Store(cached, rebuild=rebuild)
    label = layer.label
    entries = [Entry(row, label, store, i) for i, row in enumerate(header["index"])]
    return LoadedFile(layer, header["about"], header["conditions"], header["glossary"], entries, store)


def _usable(cached: cache.CachedFile | None) -> cache.CachedFile | None:
    if cached is not None and not header_ok(cached.header):
        cache.stats["corrupt"] += 1
        return None
    return cached


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
