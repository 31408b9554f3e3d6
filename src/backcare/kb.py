"""The merged knowledge base: layers in order, and lookups by id, alias or name.

Layers, later wins by id: the bundled file; every *.yaml in the user data directory (name
order); then each --data / BACKCARE_DATA file. `--data-only` uses one file alone. Each file
comes from store.py (its cache, or parsed and validated on a miss).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from backcare.errors import InvalidKnowledgeBase
from backcare.model import About, Condition, GlossaryEntry, Treatment, normalise
from backcare.paths import BUNDLED, data_from_env, user_files
from backcare.store import Entry, Layer, LoadedFile, load_layers

if TYPE_CHECKING:
    from backcare.lookup import Resolver

__all__ = ["BUNDLED", "Entry", "KnowledgeBase", "Layer", "layers_for", "load", "merge", "name_index"]


class Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def keys(self) -> Sequence[str]: ...
    @property
    def origin(self) -> str: ...


N = TypeVar("N", bound=Named)


def name_index(entries: Sequence[N]) -> tuple[dict[str, N], list[str]]:
    """Every name a lookup accepts, and the names that point at two different entries.

    Names and aliases first, ids last: an id always wins over another entry's alias; among
    aliases the later entry wins, and the clash is reported.
    """
    names: dict[str, N] = {}
    conflicts: list[str] = []
    for entry in entries:
        for key in entry.keys:  # the normalised name and aliases
            other = names.get(key)
            if other is not None and other.id != entry.id and key != normalise(other.name):
                conflicts.append(
                    f"alias '{key}' points at both '{other.id}' ({other.origin}) "
                    f"and '{entry.id}' ({entry.origin}); '{entry.id}' wins"
                )
            names[key] = entry
    for entry in entries:
        names[entry.id] = entry
    return names, conflicts


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
        self._index: tuple[dict[str, Entry], list[str]] | None = None
        self._resolver: Resolver | None = None

    @property
    def names(self) -> dict[str, Entry]:
        if self._index is None:
            self._index = name_index(self.entries)
        return self._index[0]

    @property
    def conflicts(self) -> list[str]:
        """Names that point at two different entries (the later layer wins)."""
        _ = self.names
        assert self._index is not None
        return self._index[1]

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

    def json_array(self, entries: Sequence[Entry]) -> bytes:
        """The records of `entries` as a JSON array, copying whole cached blocks where possible.

        When `entries` is every layer's entries in file order (no filter, no override), each
        file's records block is copied as bytes; otherwise the records are joined one by one.
        """
        files = [f for f in self.files if f.entries]
        if [e for f in files for e in f.entries] == list(entries):
            return b"[\n" + b",\n".join(f.store.block() for f in files) + b"\n]\n"
        return b"[\n" + ",\n".join(e.record_json for e in entries).encode("utf-8") + b"\n]\n"

    def entries_for_condition(self, condition_id: str) -> list[Entry]:
        return [e for e in self.entries if condition_id in e.conditions]


def layers_for(data: Sequence[Path] = (), data_only: Path | None = None) -> list[Layer]:
    if data_only is not None:
        return [Layer(data_only, "base")]
    layers = [Layer(BUNDLED, "base")]
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
        about=About(**{k: about.get(k, "") for k in About._fields}),
        conditions=conditions,
        glossary=list(glossary.values()),
        entries=list(entries.values()),
        files=list(files),
    )


def load(data: Sequence[Path] = (), data_only: Path | None = None) -> KnowledgeBase:
    return merge(load_layers(layers_for(data, data_only)))
