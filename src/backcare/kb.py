"""Find, load, validate and merge knowledge-base files; look treatments up by id, alias or name.

Layers, later wins by id: the bundled file; every *.yaml in the user data directory (name
order); then each --data / BACKCARE_DATA file. `--data-only` uses one file alone. YAML is
parsed with a safe loader (libyaml's C loader when present) only when the file's cache entry
is missing or stale; see cache.py.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from backcare import cache
from backcare.errors import InvalidKnowledgeBase, NotFound
from backcare.model import About, Condition, GlossaryEntry, Treatment, normalise
from backcare.paths import BUNDLED as BUNDLED
from backcare.paths import data_from_env, user_files

if TYPE_CHECKING:  # schema.py is imported only when a file must be parsed (a cache miss)
    from backcare.schema import FileContent, Problem


class Layer(NamedTuple):
    path: Path
    origin: str  # "bundled", "user" or "data"

    @property
    def label(self) -> str:
        return "bundled" if self.origin == "bundled" else f"{self.origin}:{self.path.name}"


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
    """What every command needs about a treatment without parsing its whole record."""

    __slots__ = (
        "_treatment",
        "aliases",
        "category",
        "conditions",
        "id",
        "index",
        "keys",
        "name",
        "origin",
        "store",
        "summary",
    )

    def __init__(self, row: Sequence[Any], origin: str, store: Store, index: int) -> None:
        self.id: str = row[0]
        self.name: str = row[1]
        self.aliases: Sequence[str] = row[2]
        self.category: str = row[3]
        self.summary: str = row[4]
        self.conditions: Sequence[str] = row[5]
        self.keys: Sequence[str] = row[6]  # the name and aliases, normalised for lookups
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


class KnowledgeBase:
    """The merged layers. The index of every name a lookup accepts is built on first use."""

    def __init__(
        self,
        about: About,
        conditions: dict[str, Condition],
        glossary: list[GlossaryEntry],
        entries: list[Entry],
        files: list[LoadedFile],
    ) -> None:
        self.about = about
        self.conditions = conditions
        self.glossary = glossary
        self.entries = entries
        self.files = files
        self.layers = [f.layer for f in files]
        self._names: dict[str, Entry] | None = None
        self._conflicts: list[str] = []

    @property
    def names(self) -> dict[str, Entry]:
        if self._names is None:
            names: dict[str, Entry] = {}
            # Names and aliases first, ids last: an id always wins over another entry's alias.
            for entry in self.entries:
                for key in entry.keys:  # the normalised name and aliases
                    other = names.get(key)
                    if other is not None and other.id != entry.id and key != normalise(other.name):
                        self._conflicts.append(
                            f"alias '{key}' points at both '{other.id}' ({other.origin}) "
                            f"and '{entry.id}' ({entry.origin}); '{entry.id}' wins"
                        )
                    names[key] = entry
            for entry in self.entries:
                names[entry.id] = entry
            self._names = names
        return self._names

    @property
    def conflicts(self) -> list[str]:
        """Names that point at two different entries (the later layer wins)."""
        _ = self.names
        return self._conflicts

    def find(self, name: str) -> Entry | None:
        return self.names.get(normalise(name))

    def resolve(self, name: str) -> Treatment:
        entry = self.find(name)
        if entry is None:
            raise NotFound(_not_found("treatment", name, self.suggest(name)))
        return entry.treatment

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Closest ids to a name that was not found ("did you mean …?")."""
        key = normalise(name)
        if not key:
            return []
        import difflib

        candidates = difflib.get_close_matches(key, self.names.keys(), n=limit * 3, cutoff=0.6)
        # Prefix matches help with partial names ("kypho").
        candidates += [k for k in self.names if k.startswith(key) and len(key) >= 3]
        out: list[str] = []
        for cand in candidates:
            tid = self.names[cand].id
            if tid not in out:
                out.append(tid)
        return out[:limit]

    def json_array(self, entries: Sequence[Entry]) -> bytes:
        """The records of `entries` as a JSON array, copying whole cached blocks where possible.

        When `entries` is every layer's entries in file order (no filter, no override), each
        file's records block is copied as bytes; otherwise the records are joined one by one.
        """
        files = [f for f in self.files if f.entries]
        if [e for f in files for e in f.entries] == list(entries):
            return b"[\n" + b",\n".join(f.store.block() for f in files) + b"\n]\n"
        return b"[\n" + ",\n".join(e.record_json for e in entries).encode("utf-8") + b"\n]\n"

    def treating(self, text: str) -> list[Entry]:
        """Entries used for a condition whose id, name or alias contains `text` (case-insensitive)."""
        needle = text.strip().lower()
        dashed = normalise(text)
        matching = {
            c.id
            for c in self.conditions.values()
            if dashed in c.id or needle in c.name.lower() or any(needle in a.lower() for a in c.aliases)
        }
        return [e for e in self.entries if matching.intersection(e.conditions)]

    def entries_for_condition(self, condition_id: str) -> list[Entry]:
        return [e for e in self.entries if condition_id in e.conditions]


def _not_found(kind: str, name: str, suggestions: Sequence[str]) -> str:
    message = f"no {kind} '{name}'"
    if suggestions:
        message += f"; did you mean {' or '.join(suggestions)}?"
    else:
        message += f" (see 'backcare {'list' if kind == 'treatment' else 'conditions'}')"
    return message


# -- reading and parsing ----------------------------------------------------------------------


def read_text(path: Path) -> str:
    """The file as text, or InvalidKnowledgeBase with one clear line."""
    shown = str(path)
    try:
        if path.is_dir():
            raise InvalidKnowledgeBase(f"{shown}: is a directory, not a knowledge-base file")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InvalidKnowledgeBase(f"{shown}: no such file") from None
    except PermissionError:
        raise InvalidKnowledgeBase(f"{shown}: cannot read the file (permission denied)") from None
    except IsADirectoryError:
        raise InvalidKnowledgeBase(f"{shown}: is a directory, not a knowledge-base file") from None
    except OSError as exc:
        raise InvalidKnowledgeBase(f"{shown}: cannot read the file ({exc.strerror or exc})") from None
    if b"\x00" in raw:
        raise InvalidKnowledgeBase(f"{shown}: looks like a binary file, not YAML text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidKnowledgeBase(
            f"{shown}:{line}: the file is not valid UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


def _loader_class() -> type[Any]:
    import yaml

    from backcare.schema import LineDict

    base: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc]
        """Safe loader that records line numbers and refuses anchors, aliases and duplicate keys."""

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            if node in self.constructed_objects:
                raise yaml.constructor.ConstructorError(
                    None, None, "anchors and aliases (&name / *name) are not allowed", node.start_mark
                )
            return super().construct_object(node, deep=deep)

    def construct_map(loader: Any, node: Any) -> LineDict:
        loader.flatten_mapping(node)
        data = LineDict()
        data.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) or key is None:
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be plain words", key_node.start_mark
                )
            name = str(key)
            if name in data:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{name}' in the same mapping", key_node.start_mark
                )
            data[name] = loader.construct_object(value_node, deep=True)
            data.key_lines[name] = key_node.start_mark.line + 1
        return data

    Loader.add_constructor("tag:yaml.org,2002:map", construct_map)
    return Loader


def parse_yaml(text: str, path: Path) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=_loader_class())  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, yaml.constructor.ConstructorError):
            if "could not determine a constructor" in problem:
                tag = problem.split("tag", 1)[-1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
                problem = f"the tag {tag} is not allowed (plain YAML only; nothing was run)"
            raise InvalidKnowledgeBase(f"{where}: {problem}") from None
        if "tab" in problem:
            problem = "a tab character is used for indentation (indent with spaces)"
        raise InvalidKnowledgeBase(f"{where}: YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise InvalidKnowledgeBase(f"{path}: YAML error: {exc}") from None
    except RecursionError:
        raise InvalidKnowledgeBase(f"{path}: the YAML is nested too deeply") from None


def check_file(
    path: Path, *, require_about: bool, known_conditions: Iterable[str] | None = None
) -> tuple[FileContent, list[Problem]]:
    """Read, parse and validate one file; every problem is returned, none raised (but I/O and syntax)."""
    from backcare.schema import FileContent, Problem, validate_file

    text = read_text(path)
    data = parse_yaml(text, path)
    if data is None and text.strip():
        problem = Problem(
            str(path), 0, "", "", "the file holds only comments (expected a mapping with a 'treatments' list)"
        )
        return FileContent({}, [], [], []), [problem]
    return validate_file(data, str(path), require_about=require_about, known_conditions=known_conditions)


# -- loading with the cache -------------------------------------------------------------------


def _index_row(rec: dict[str, Any]) -> list[Any]:
    keys = list(dict.fromkeys(normalise(n) for n in (rec["name"], *rec["aliases"])))
    return [rec["id"], rec["name"], rec["aliases"], rec["category"], rec["summary"], rec["conditions"], keys]


def _parse(layer: Layer, key: dict[str, Any] | None, resolved: Path) -> tuple[dict[str, Any], list[str], list[bytes]]:
    """Parse and validate one file; cache the result. Raises InvalidKnowledgeBase with every problem."""
    path = layer.path
    content, problems = check_file(path, require_about=layer.origin == "bundled", known_conditions=None)
    if problems:
        more = f" (and {len(problems) - 1} more; 'backcare validate {path}' lists all)" if len(problems) > 1 else ""
        raise InvalidKnowledgeBase(f"{problems[0]}{more}", [str(p) for p in problems])
    header, records, hays = _prepared(layer, key, content)
    if key is not None:
        cache.write(resolved, header, records, hays)
    return header, records, hays


def _prepared(
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
        "index": [_index_row(r) for r in content.treatments],
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
    entries = [Entry(row, label, store, i) for i, row in enumerate(header["index"])]
    return LoadedFile(layer, header["about"], header["conditions"], header["glossary"], entries, store)


class FileReport(NamedTuple):
    path: Path
    problems: list[str]
    treatments: int
    conditions: int


def check_layers(layers: Sequence[Layer]) -> tuple[list[FileReport], list[str]]:
    """Validate files as `backcare validate` does: every problem of every file, each file parsed
    once, condition references checked against the bundled file and all the files given; then
    the names that point at two entries once the layers are merged."""
    from backcare.schema import validate_file

    parsed: list[tuple[Layer, Any, str]] = []
    for layer in layers:
        try:
            parsed.append((layer, parse_yaml(read_text(layer.path), layer.path), ""))
        except InvalidKnowledgeBase as exc:
            parsed.append((layer, None, str(exc)))
    known: set[str] = set()
    if all(layer.path != BUNDLED for layer in layers):
        with contextlib.suppress(InvalidKnowledgeBase):
            known |= {c["id"] for c in load_file(Layer(BUNDLED, "bundled")).conditions}
    for _, data, _ in parsed:
        conditions = data.get("conditions") if isinstance(data, dict) else None
        if isinstance(conditions, list):
            known |= {c["id"] for c in conditions if isinstance(c, dict) and isinstance(c.get("id"), str)}

    reports: list[FileReport] = []
    loaded: list[LoadedFile] = []
    for layer, data, error in parsed:
        if error:
            reports.append(FileReport(layer.path, [error], 0, 0))
            continue
        if data is None:
            _, problems = check_file(layer.path, require_about=False)  # the same words as at run time
            reports.append(FileReport(layer.path, [str(p) for p in problems], 0, 0))
            continue
        content, problems = validate_file(
            data, str(layer.path), require_about=layer.origin == "bundled", known_conditions=known
        )
        reports.append(
            FileReport(layer.path, [str(p) for p in problems], len(content.treatments), len(content.conditions))
        )
        if not problems:  # the conflict check needs names only: no records or search texts
            store = Store(None, [], [])
            entries = [Entry(_index_row(rec), layer.label, store, i) for i, rec in enumerate(content.treatments)]
            loaded.append(LoadedFile(layer, content.about, content.conditions, content.glossary, entries, store))
    conflicts = merge(loaded).conflicts if len(loaded) == len(layers) > 1 else []
    return reports, conflicts


def layers_for(data: Sequence[Path] = (), data_only: Path | None = None) -> list[Layer]:
    if data_only is not None:
        return [Layer(data_only, "bundled")]
    layers = [Layer(BUNDLED, "bundled")]
    layers += [Layer(p, "user") for p in user_files()]
    layers += [Layer(p, "data") for p in (list(data) or data_from_env())]
    return layers


def merge(files: Sequence[LoadedFile]) -> KnowledgeBase:
    about: dict[str, str] = {}
    conditions: dict[str, Condition] = {}
    glossary: dict[str, GlossaryEntry] = {}
    entries: dict[str, Entry] = {}
    for f in files:
        about.update(f.about)
        for c in f.conditions:
            conditions[c["id"]] = Condition.from_dict(c)
        for g in f.glossary:
            glossary[normalise(g["term"])] = GlossaryEntry.from_dict(g)
        for e in f.entries:
            entries[e.id] = e  # replaces in place, keeping the first position; new ids append
    problems = [
        f"{e.origin}: entry '{e.id}' conditions: unknown condition '{c}'"
        for e in entries.values()
        for c in e.conditions
        if c not in conditions
    ]
    if problems:
        raise InvalidKnowledgeBase(f"invalid knowledge base: {problems[0]}", problems)
    return KnowledgeBase(
        about=About(
            version=about.get("version", ""),
            reviewed=about.get("reviewed", ""),
            disclaimer=about.get("disclaimer", ""),
            update_policy=about.get("update_policy", ""),
            funding=about.get("funding", ""),
            conflicts_of_interest=about.get("conflicts_of_interest", ""),
        ),
        conditions=conditions,
        glossary=list(glossary.values()),
        entries=list(entries.values()),
        files=list(files),
    )


def load(data: Sequence[Path] = (), data_only: Path | None = None) -> KnowledgeBase:
    return merge([load_file(layer) for layer in layers_for(data, data_only)])
