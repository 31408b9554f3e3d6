"""Find, load, validate and merge knowledge-base files; look treatments up by id, alias or name.

Layers, later wins by id: the bundled file; every *.yaml in the user data directory (name
order); then each --data / BACKCARE_DATA file. `--data-only` uses one file alone. YAML is
parsed with a safe loader (libyaml's C loader when present) only when the file's cache entry
is missing or stale; see cache.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
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


class Entry:
    """What every command needs about a treatment without parsing its whole record."""

    __slots__ = (
        "_haystack",
        "_treatment",
        "aliases",
        "category",
        "conditions",
        "id",
        "name",
        "origin",
        "record_json",
        "summary",
    )

    def __init__(
        self,
        id: str,
        name: str,
        aliases: tuple[str, ...],
        category: str,
        summary: str,
        conditions: tuple[str, ...],
        origin: str,
        record_json: str,
        haystack: str | None = None,
    ) -> None:
        self.id = id
        self.name = name
        self.aliases = aliases
        self.category = category
        self.summary = summary
        self.conditions = conditions
        self.origin = origin
        self.record_json = record_json
        self._haystack = haystack
        self._treatment: Treatment | None = None

    @property
    def haystack(self) -> str:
        if self._haystack is None:
            from backcare.search import haystack

            self._haystack = haystack(self.record)
        return self._haystack

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


class KnowledgeBase:
    """The merged layers, with every name a lookup accepts indexed."""

    def __init__(
        self,
        about: About,
        conditions: dict[str, Condition],
        glossary: list[GlossaryEntry],
        entries: list[Entry],
        layers: list[Layer],
    ) -> None:
        self.about = about
        self.conditions = conditions
        self.glossary = glossary
        self.entries = entries
        self.layers = layers
        self.conflicts: list[str] = []
        names: dict[str, Entry] = {}
        # Aliases and names first, ids last: an id always wins over another entry's alias.
        for entry in self.entries:
            for alias in (*entry.aliases, entry.name):
                key = normalise(alias)
                other = names.get(key)
                if other is not None and other.id != entry.id and key != normalise(other.name):
                    self.conflicts.append(
                        f"alias '{alias}' points at both '{other.id}' ({other.origin}) "
                        f"and '{entry.id}' ({entry.origin}); '{entry.id}' wins"
                    )
                names[key] = entry
        for entry in self.entries:
            names[entry.id] = entry
        self._names = names

    def find(self, name: str) -> Entry | None:
        return self._names.get(normalise(name))

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

        candidates = difflib.get_close_matches(key, self._names.keys(), n=limit * 3, cutoff=0.6)
        # Prefix matches help with partial names ("kypho").
        candidates += [k for k in self._names if k.startswith(key) and len(key) >= 3]
        out: list[str] = []
        for cand in candidates:
            tid = self._names[cand].id
            if tid not in out:
                out.append(tid)
        return out[:limit]

    def condition(self, name: str) -> Condition:
        key = normalise(name)
        for cond in self.conditions.values():
            if key == cond.id or key == normalise(cond.name) or key in (normalise(a) for a in cond.aliases):
                return cond
        import difflib

        close = difflib.get_close_matches(key, list(self.conditions), n=3, cutoff=0.6)
        raise NotFound(_not_found("condition", name, close))

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
    return [rec["id"], rec["name"], rec["aliases"], rec["category"], rec["summary"], rec["conditions"]]


def _from_cache(path: Path, key: dict[str, Any]) -> tuple[dict[str, Any], list[str], list[str]] | None:
    cached = cache.read(path, key)
    if cached is None:
        return None
    header, lines = cached
    try:
        count = len(header["index"])
        if len(lines) != 2 * count or not all(len(row) == 6 for row in header["index"]):
            raise ValueError
        for name in ("about", "conditions", "glossary"):
            header[name]
    except (KeyError, TypeError, ValueError):
        return None
    return header, lines[:count], lines[count:]


def load_file(layer: Layer) -> LoadedFile:
    """One layer, from the cache when the file is unchanged, else parsed and validated."""
    path = layer.path
    try:
        resolved = path.resolve()
        st = resolved.stat()
    except OSError:
        resolved, st = path, None
    key = (
        cache.key_for(resolved, st, layer.label) if st is not None and not os.environ.get("BACKCARE_NO_CACHE") else None
    )
    cached = _from_cache(resolved, key) if key is not None else None
    header: dict[str, Any]
    if cached is None:
        content, problems = check_file(path, require_about=layer.origin == "bundled", known_conditions=None)
        if problems:
            more = f" (and {len(problems) - 1} more; 'backcare validate {path}' lists all)" if len(problems) > 1 else ""
            raise InvalidKnowledgeBase(f"{problems[0]}{more}", [str(p) for p in problems])
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
        if key is not None:
            cache.write(resolved, header, records + hays)
    else:
        header, records, hays = cached
    entries = [
        Entry(row[0], row[1], tuple(row[2]), row[3], row[4], tuple(row[5]), layer.label, line, hay)
        for row, line, hay in zip(header["index"], records, hays, strict=True)
    ]
    return LoadedFile(layer, header["about"], header["conditions"], header["glossary"], entries)


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
        layers=[f.layer for f in files],
    )


def load(data: Sequence[Path] = (), data_only: Path | None = None) -> KnowledgeBase:
    return merge([load_file(layer) for layer in layers_for(data, data_only)])
