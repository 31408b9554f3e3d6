"""The merged knowledge base: layers in order, and lookups by id, alias or name.

Layers, later wins by id: the bundled file; every *.yaml in the user data directory (name
order); then each --data / BACKCARE_DATA file. `--data-only` uses one file alone. Each file
comes from store.py (its cache, or parsed and validated on a miss).

A layer never takes a name (id, alias or display name) that an earlier layer uses unless the
entry declares it in `overrides`; an undeclared clash leaves the name with the earlier entry
and is reported (name_index). A user or --data layer that does not load is skipped with one
warning; the bundled (or --data-only) file must load. An entry with `extends: ID` lists only
the fields it changes; it is merged over the earlier entry after loading, so each file's cache
holds only what that file says.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from backcare.errors import InvalidKnowledgeBase, Unreadable, notice
from backcare.model import About, Clash, Condition, GlossaryEntry, Provenance, Takeover, Treatment, normalise
from backcare.paths import BUNDLED, data_from_env, user_files
from backcare.store import Entry, Layer, LoadedFile, extended_entry, extension_problems, load_file

if TYPE_CHECKING:
    from backcare.lookup import Resolver

__all__ = ["BUNDLED", "Clash", "Entry", "KnowledgeBase", "Layer", "Provenance", "Takeover", "load", "name_index"]

Warn = Callable[[str], None]


class Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def keys(self) -> Sequence[str]: ...
    @property
    def origin(self) -> str: ...
    @property
    def overrides(self) -> Sequence[str]: ...


N = TypeVar("N", bound=Named)


class NameIndex(NamedTuple):
    names: dict[str, Any]
    clashes: list[Clash]
    takeovers: list[Takeover]


def name_index(entries: Sequence[N]) -> NameIndex:
    """Every name a lookup accepts, the undeclared clashes and the declared takeovers.

    `entries` are in layer order (entries of one layer next to each other, by `origin`). Within
    a layer ids come first, then display names and aliases (a file's own clashes are the schema's
    business: the first keeps the name). Across layers the earlier entry keeps a name unless the
    later one lists it in `overrides`. The same id in a later layer is a replacement, not a clash.
    """
    names: dict[str, N] = {}
    clashes: list[Clash] = []
    takeovers: list[Takeover] = []
    layers: list[list[N]] = []
    for entry in entries:
        if layers and layers[-1][0].origin == entry.origin:
            layers[-1].append(entry)
        else:
            layers.append([entry])
    for layer in layers:
        for pass_ids in (True, False):
            for entry in layer:
                declared = {normalise(n) for n in entry.overrides}
                for key in [entry.id] if pass_ids else entry.keys:
                    other = names.get(key)
                    if other is None or other.id == entry.id:
                        names[key] = entry
                    elif other.origin == entry.origin:
                        continue
                    elif key in declared:
                        takeovers.append(Takeover(key, other.id, other.origin, entry.id, entry.origin))
                        names[key] = entry
                    elif (clash := Clash(key, other.id, other.origin, entry.id, entry.origin)) not in clashes:
                        clashes.append(clash)
    return NameIndex(names, clashes, takeovers)


class KnowledgeBase:
    """The merged layers. The index of every name a lookup accepts is built on first use."""

    def __init__(
        self,
        about: About,
        conditions: dict[str, Condition],
        glossary: list[GlossaryEntry],
        entries: list[Entry],
        files: list[LoadedFile],
        warn: Warn | None = None,
    ) -> None:
        self.about = about
        self.conditions = conditions
        self.glossary = glossary
        self.entries = entries
        self.files = files
        self.layers = [f.layer for f in files]
        self.notices: list[str] = []  # warnings already given, each once
        self._warn = warn
        self._index: NameIndex | None = None
        self._resolver: Resolver | None = None

    def warn(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)
            if self._warn is not None:
                self._warn(message)

    @property
    def index(self) -> NameIndex:
        if self._index is None:
            rank = {f.layer.label: i for i, f in enumerate(self.files)}
            in_layer_order = sorted(self.entries, key=lambda e: rank.get(e.origin, len(rank)))
            self._index = name_index(in_layer_order)
        return self._index

    @property
    def names(self) -> dict[str, Entry]:
        return self.index.names

    @property
    def conflicts(self) -> list[str]:
        """Names two entries use without a declaration (the earlier layer keeps them)."""
        return [str(c) for c in self.index.clashes]

    def note_clash(self, name: str) -> None:
        """A name two layers' entries claim: one stderr line, once, when it is looked up."""
        key = normalise(name)
        for clash in self.index.clashes:
            if clash.name == key:
                self.warn(str(clash))

    def find(self, name: str) -> Entry | None:
        self.note_clash(name)
        return self.names.get(normalise(name))

    @property
    def resolver(self) -> Resolver:
        """Lookups by id, alias, name, variant or close match (lookup.py), made on first use."""
        if self._resolver is None:
            from backcare.lookup import Resolver

            self._resolver = Resolver(self)
        return self._resolver

    def resolve(self, name: str) -> Treatment:
        """The treatment `name` names exactly (id, alias or name, in any case, or a plural)."""
        return self.names[self.resolver.treatment(name, close=False).key].treatment

    def provenance(self, entry: Entry | Treatment) -> Provenance:
        """The file an entry comes from and that file's own funding and conflicts of interest."""
        for f in self.files:
            if f.layer.label == entry.origin:
                about = f.about
                funding, interests = about.get("funding", ""), about.get("conflicts_of_interest", "")
                return Provenance(entry.origin, funding, interests, str(f.layer.path), about.get("licence", ""))
        return Provenance(entry.origin, "", "", "")

    def json_array(self, entries: Sequence[Entry]) -> list[bytes]:
        """The records of `entries` as a JSON array, in pieces to write one after another: whole
        cached blocks where possible (never copied into one string: 30 MB at 10,000 entries).

        When `entries` is every layer's entries in file order (no filter, no override), each
        file's records block is written as it is; otherwise the records are joined one by one.
        """
        files = [f for f in self.files if f.entries]
        every = [e for f in files for e in f.entries]
        if len(every) == len(entries) and all(map(operator.is_, every, entries)):  # the same objects
            pieces = [b"[\n"]
            for i, f in enumerate(files):
                pieces += [b",\n"] if i else []
                pieces.append(f.store.block())
            return [*pieces, b"\n]\n"]
        return [b"[\n" + ",\n".join(e.record_json for e in entries).encode("utf-8") + b"\n]\n"]

    def entries_for_condition(self, condition_id: str) -> list[Entry]:
        return [e for e in self.entries if condition_id in e.conditions]


def layers_for(data: Sequence[Path] = (), data_only: Path | None = None) -> list[Layer]:
    if data_only is not None:
        return [Layer(Path(data_only), "base")]
    layers = [Layer(BUNDLED, "base")]
    layers += [Layer(p, "user") for p in user_files()]
    layers += [Layer(Path(p), "data") for p in (list(data) or data_from_env())]
    return layers


def _merge_once(files: Sequence[LoadedFile]) -> tuple[KnowledgeBase, dict[str, list[str]]]:
    conditions: dict[str, Condition] = {}
    glossary: dict[str, GlossaryEntry] = {}
    entries: dict[str, Entry] = {}
    problems: dict[str, list[str]] = {}
    for f in files:
        for c in f.conditions:
            conditions[c["id"]] = Condition.from_dict(c)
        for g in f.glossary:
            glossary[normalise(g["term"])] = GlossaryEntry.from_dict(g)
    for f in files:
        for e in f.entries:
            if e.extends:
                earlier = entries.get(e.extends)
                if earlier is None:
                    message = f"{e.origin}: entry '{e.id}' extends: no earlier layer has an entry '{e.extends}'"
                    problems.setdefault(e.origin, []).append(message)
                    continue
                e = extended_entry(earlier, e)
                problems.setdefault(e.origin, []).extend(extension_problems(e.record, e.origin, list(conditions)))
            entries[e.id] = e  # replaces in place, keeping the first position; new ids append
    for e in entries.values():
        for cid in e.conditions:
            if cid not in conditions:
                problems.setdefault(e.origin, []).append(
                    f"{e.origin}: entry '{e.id}' conditions: unknown condition '{cid}'"
                )
    base = files[0].about if files and files[0].layer.role == "base" else {}
    about = About(**{k: base.get(k, "") for k in About._fields})
    merged = KnowledgeBase(about, conditions, list(glossary.values()), list(entries.values()), list(files))
    return merged, {k: v for k, v in problems.items() if v}


def merge(files: Sequence[LoadedFile], warn: Warn | None = None) -> KnowledgeBase:
    """The layers as one knowledge base. A user or --data layer whose entries do not fit the
    layers under it (an unknown condition, nothing to extend) is left out with a warning."""
    files = list(files)
    skipped: list[str] = []
    while True:
        merged, problems = _merge_once(files)
        if not problems:
            break
        broken = [f for f in files if f.layer.label in problems]
        base = [f for f in broken if f.layer.role == "base"]
        if base or not broken:
            first = next(iter(problems.values()))
            raise InvalidKnowledgeBase(
                f"invalid knowledge base: {first[0]}", [p for ps in problems.values() for p in ps]
            )
        skipped += [skip_message(f.layer, problems[f.layer.label][0]) for f in broken]
        files = [f for f in files if f not in broken]
    merged._warn = warn
    for message in skipped:
        merged.warn(message)
    return merged


def skip_message(layer: Layer, problem: str) -> str:
    """One line: the file left out, its first problem and how to see them all."""
    for prefix in (f"{layer.path}:", f"{layer.label}:"):
        problem = problem.removeprefix(prefix)
    reason = problem.split(" (and ", 1)[0].strip()
    return f"skipped {layer.path} ({reason}); 'backcare validate {layer.path}' lists its problems"


def load(data: Sequence[Path] = (), data_only: Path | None = None, warn: Warn | None = None) -> KnowledgeBase:
    """The merged layers. The bundled or --data-only file must load; another layer that does not
    is skipped, with one warning naming it."""
    files: list[LoadedFile] = []
    skipped: list[str] = []
    for layer in layers_for(data, data_only):
        try:
            files.append(load_file(layer))
        except Unreadable as exc:  # not a readable regular file at all (issue "trust boundaries")
            if layer.role == "user":
                notice(f"skipping a user file: {exc}")
            elif layer.role == "data" and not os.path.lexists(layer.path):  # gone: like a broken layer
                skipped.append(skip_message(layer, str(exc)))
            else:
                raise  # a FIFO, a device or a link loop named on the command line, or the base
        except InvalidKnowledgeBase as exc:  # readable but broken: the rest still answers
            if layer.role == "base":
                raise
            skipped.append(skip_message(layer, str(exc)))
    merged = merge(files, warn)
    for message in skipped:
        merged.warn(message)
    return merged
