"""The records of the knowledge base, as plain typed data. No I/O, no Rich.

Records are NamedTuples: immutable, typed, and several times cheaper to define at start-up than
dataclasses (this module is imported on every run; see benchmarks/RESULTS.md).
"""

from __future__ import annotations

from typing import Any, NamedTuple

SCHEMA_VERSION = 2  # the newest format; schema.py reads every version in schema.VERSIONS

CATEGORIES = ("minimally-invasive", "alternative", "conservative", "surgical", "medicine")
STANCES = ("recommend", "consider", "against", "research-only", "no-position")
EVIDENCE_LEVELS = ("high", "moderate", "low", "very-low")  # GRADE, most to least certain
# Ordered least to most invasive; the position is the level drawn by `compare`.
INVASIVENESS = ("none", "needle", "spinal-injection", "percutaneous", "open-surgery")
INVASIVENESS_LABELS = {
    "none": "no needle or incision",
    "needle": "fine needles through the skin",
    "spinal-injection": "needle into or beside the spine",
    "percutaneous": "instrument or implant through the skin into the spine",
    "open-surgery": "surgery through an incision",
}
SOURCE_KINDS = ("guideline", "systematic-review", "trial", "regulator", "review", "cohort", "other")


def normalise(name: str) -> str:
    """The form ids, aliases and names are compared in: lower case, spaces/underscores as hyphens."""
    return "-".join(name.strip().lower().replace("_", " ").split())


class Source(NamedTuple):
    key: str
    title: str
    kind: str
    year: int | None = None
    authors: str = ""
    publisher: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""

    @property
    def by(self) -> str:
        return self.authors or self.publisher

    @property
    def link(self) -> str:
        """The best identifier as a resolvable address."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Source:
        return cls(
            key=d["key"],
            title=d["title"],
            year=d.get("year"),
            kind=d["kind"],
            authors=d.get("authors", ""),
            publisher=d.get("publisher", ""),
            doi=d.get("doi", ""),
            pmid=str(d.get("pmid", "")),
            url=d.get("url", ""),
        )


class Procedure(NamedTuple):
    setting: str
    anaesthesia: str
    duration: str
    performed_by: str


class Recovery(NamedTuple):
    text: str
    days_min: int
    days_max: int


class Risk(NamedTuple):
    risk: str
    frequency: str = ""
    source: str = ""
    in_short: str = ""


class Effect(NamedTuple):
    """A natural frequency: about `events_per_100` in 100 vs `comparator_events_per_100` in 100."""

    outcome: str
    events_per_100: float
    comparator_events_per_100: float
    comparator: str
    time_frame: str
    time_frame_days: int
    population: str
    source: str


class Evidence(NamedTuple):
    quality: str
    summary: str
    does_not_show: str
    effects: tuple[Effect, ...] = ()
    effects_note: str = ""
    in_short: str = ""


class GuidelinePosition(NamedTuple):
    body: str
    code: str
    year: int
    stance: str
    summary: str
    source: str = ""
    in_short: str = ""


class InShort(NamedTuple):
    """The short texts of the brief views (schema_version 2); empty = derived (in_short.py)."""

    what_it_is: str = ""
    helps: str = ""
    recovery: str = ""


class Treatment(NamedTuple):
    id: str
    name: str
    aliases: tuple[str, ...]
    category: str
    summary: str
    description: str
    conditions: tuple[str, ...]
    procedure: Procedure
    recovery: Recovery
    invasiveness: str
    benefits: tuple[str, ...]
    risks: tuple[Risk, ...]
    evidence: Evidence
    guidelines: tuple[GuidelinePosition, ...]
    sources: tuple[Source, ...]
    last_reviewed: str  # ISO date
    origin: str = "bundled"
    in_short: InShort = InShort()
    overrides: tuple[str, ...] = ()  # names this entry deliberately takes over from another layer
    extends: str = ""  # the id of the earlier entry this one was merged over, field by field

    @property
    def invasiveness_level(self) -> int:
        return INVASIVENESS.index(self.invasiveness)

    def source(self, key: str) -> Source | None:
        return next((s for s in self.sources if s.key == key), None)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Treatment:
        """Build from a record that has already passed `schema.validate_file`."""
        ev = d["evidence"]
        rec = d["recovery"]
        days = rec["days_to_normal_activity"]
        return cls(
            id=d["id"],
            name=d["name"],
            aliases=tuple(d.get("aliases", ())),
            category=d["category"],
            summary=d["summary"],
            description=d["description"],
            conditions=tuple(d["conditions"]),
            procedure=Procedure(**d["procedure"]),
            recovery=Recovery(text=rec["text"], days_min=days["min"], days_max=days["max"]),
            invasiveness=d["invasiveness"],
            benefits=tuple(d["benefits"]),
            risks=tuple(Risk(**r) for r in d["risks"]),
            evidence=Evidence(
                quality=ev["quality"],
                summary=ev["summary"],
                does_not_show=ev["does_not_show"],
                effects=tuple(Effect(**e) for e in ev.get("effects", ())),
                effects_note=ev.get("effects_note", ""),
                in_short=ev.get("in_short", ""),
            ),
            guidelines=tuple(GuidelinePosition(**g) for g in d.get("guidelines", ())),
            sources=tuple(Source.from_dict(s) for s in d["sources"]),
            last_reviewed=d["last_reviewed"],
            origin=d.get("origin", "bundled"),
            in_short=InShort(**d["in_short"]) if "in_short" in d else InShort(),
            overrides=tuple(d.get("overrides", ())),
            extends=d.get("extends", ""),
        )


class Condition(NamedTuple):
    id: str
    name: str
    description: str
    natural_course: str
    aliases: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    in_short: str = ""

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Condition:
        return cls(
            id=d["id"],
            name=d["name"],
            description=d["description"],
            natural_course=d["natural_course"],
            aliases=tuple(d.get("aliases", ())),
            sources=tuple(Source.from_dict(s) for s in d.get("sources", ())),
            in_short=d.get("in_short", ""),
        )


class GlossaryEntry(NamedTuple):
    term: str
    definition: str
    aliases: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GlossaryEntry:
        return cls(term=d["term"], definition=d["definition"], aliases=tuple(d.get("aliases", ())))


class About(NamedTuple):
    """File-level metadata of the bundled knowledge base (IPDAS: date, update policy, funding)."""

    version: str = ""
    reviewed: str = ""
    disclaimer: str = ""
    update_policy: str = ""
    funding: str = ""
    conflicts_of_interest: str = ""
    urgent_symptoms: str = ""
    changes: str = ""
    licence: str = ""


# -- where entries come from (kb.name_index, kb.KnowledgeBase.provenance) ----------------------


class Clash(NamedTuple):
    """A name a later entry uses without declaring it; the earlier entry keeps it."""

    name: str  # normalised
    kept: str  # id of the entry that keeps the name
    kept_origin: str
    claimant: str  # id of the entry that did not declare it
    claimant_origin: str

    def __str__(self) -> str:
        return (
            f"'{self.name}' names both '{self.kept}' ({self.kept_origin}) and '{self.claimant}' "
            f"({self.claimant_origin}); '{self.kept}' keeps it because '{self.claimant}' does not "
            f"declare 'overrides: [{self.name}]'"
        )


class Takeover(NamedTuple):
    """A name a later entry takes over from an earlier one, as declared in its `overrides`."""

    name: str
    previous: str  # id of the entry that had the name
    previous_origin: str
    by: str
    by_origin: str


class Provenance(NamedTuple):
    """Where an entry comes from, and the interests declared by that file (not by another)."""

    label: str  # the origin: "bundled", "user:clinic.yaml", "data:extra.yaml" or a --data-only path
    funding: str
    conflicts_of_interest: str
    path: str
    licence: str = ""

    @property
    def bundled(self) -> bool:
        return self.label == "bundled"
