"""The knowledge-base file format, stated once as data: every record's fields and rules.

Each field says its kind, whether it is required, its allowed values or range, what it means
(docs/schema.md is generated from it by schema_doc.py) and the schema versions it exists in.
Rules that involve more than one field are small named functions attached to a record. The
generic checker in checker.py walks the specification; `validate_file` returns every problem
and the file normalised to the JSON record shape the rest of the program uses, the same for
version 1 and version 2 files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from backcare.checker import (
    DOI,
    IDENTIFIERS,
    NEVER,
    PMID,
    URL,
    V1,
    V2,
    VERSIONS,
    Field,
    LineDict,
    Problem,
    Record,
    Walk,
    type_name,
)
from backcare.model import CATEGORIES, EVIDENCE_LEVELS, INVASIVENESS, SOURCE_KINDS, STANCES, normalise

__all__ = ["DOI", "FILE", "PMID", "URL", "VERSIONS", "FileContent", "LineDict", "Problem", "validate_file"]


def _listed_keys(node: dict[str, Any]) -> list[str]:
    """The source keys an entry lists: keys (version 2) or each record's `key` (version 1)."""
    items = node.get("sources")
    keys = [s.get("key") if isinstance(s, dict) else s for s in items] if isinstance(items, list) else []
    return [k for k in keys if isinstance(k, str)]


def recovery_days_in_order(w: Walk, node: dict[str, Any], rec: dict[str, Any], entry: str, path: str) -> None:
    """`min` is not greater than `max`."""
    if isinstance(rec.get("min"), int) and isinstance(rec.get("max"), int) and rec["min"] > rec["max"]:
        w.add(node, None, entry, path, "min is greater than max")


def source_has_author_and_identifier(w: Walk, node: dict[str, Any], rec: dict[str, Any], entry: str, path: str) -> None:
    """A source has `authors` or `publisher`, and at least one of `doi`, `pmid`, `url`."""
    if "authors" not in node and "publisher" not in node:
        w.add(node, None, entry, path, "needs 'authors' or 'publisher'")
    if not any(k in node for k in IDENTIFIERS):
        w.add(node, None, entry, path, "needs an identifier: doi, pmid or url")


def effects_or_a_note(w: Walk, node: dict[str, Any], rec: dict[str, Any], entry: str, path: str) -> None:
    """An empty `effects` list comes with an `effects_note` that says why."""
    if "effects" in node and not rec.get("effects") and not str(rec.get("effects_note", "")).strip():
        w.add(node, "effects", entry, f"{path}.effects_note", "needed when there are no effects (say why)")


def sources_listed_once(w: Walk, node: dict[str, Any], rec: dict[str, Any], entry: str, path: str) -> None:
    """An entry lists each source key once."""
    seen: set[str] = set()
    for i, item in enumerate(node.get("sources") or ()):
        key = item.get("key") if isinstance(item, dict) else item
        if not isinstance(key, str) or not key:
            continue
        if key in seen and isinstance(item, dict):
            w.add(item, "key", entry, f"sources[{i}].key", f"duplicate source key '{key}'")
        elif key in seen:
            w.add(node, "sources", entry, f"sources[{i}]", f"source '{key}' is listed twice")
        seen.add(key)


def cited_sources_are_listed(w: Walk, node: dict[str, Any], rec: dict[str, Any], entry: str, path: str) -> None:
    """Every `source` of a risk, effect or guideline position is one of the entry's `sources`."""
    if "extends" in node and "sources" not in node:
        return  # checked once merged over the entry it extends
    listed = set(_listed_keys(node))
    evidence = node.get("evidence")
    for section, items in (
        ("risks", node.get("risks")),
        ("evidence.effects", evidence.get("effects") if isinstance(evidence, dict) else None),
        ("guidelines", node.get("guidelines")),
    ):
        for i, item in enumerate(items if isinstance(items, list) else ()):
            ref = item.get("source") if isinstance(item, dict) else None
            if isinstance(ref, str) and ref.strip() and ref not in listed:
                w.add(item, "source", entry, f"{section}[{i}].source", f"'{ref}' is not a key in this entry's sources")


def conditions_are_known(w: Walk, node: dict[str, Any], rec: dict[str, Any], entry: str, path: str) -> None:
    """Every condition id is defined in this file or another layer."""
    for cond in rec.get("conditions", ()):
        if w.known_conditions is not None and cond not in w.known_conditions:
            w.add(node, "conditions", entry, "conditions", f"unknown condition '{cond}'")


def key_risks_in_short(w: Walk, node: dict[str, Any], rec: dict[str, Any], entry: str, path: str) -> None:
    """Version 2: one to three risks (the ones that matter most) carry `in_short`."""
    risks = node.get("risks")
    if w.version < 2 or not isinstance(risks, list) or not risks:
        return
    count = sum(1 for r in risks if isinstance(r, dict) and "in_short" in r)
    if not 1 <= count <= 3:
        w.add(
            node, "risks", entry, "risks", f"give in_short on 1 to 3 risks (the ones that matter most); found {count}"
        )


def extends_an_earlier_entry(w: Walk, node: dict[str, Any], rec: dict[str, Any], entry: str, path: str) -> None:
    """An entry with `extends` (user and --data files only) keeps the id it extends and lists only
    the fields it changes; the merged entry must then pass every rule."""
    target = rec.get("extends")
    if "extends" not in node or not target:
        return
    if w.require_about:
        w.add(
            node,
            "extends",
            entry,
            "extends",
            "only a user or --data file can extend an entry (nothing is under this one)",
        )
    if rec.setdefault("id", target) != target:
        w.add(
            node, "id", entry, "id", f"an extending entry keeps the id it extends ('{target}'); drop 'id' or 'extends'"
        )


def supported_version(w: Walk, node: dict[str, Any], rec: dict[str, Any], entry: str, path: str) -> None:
    """`schema_version` is one this program reads."""
    value = node.get("schema_version")
    if "schema_version" in node and (isinstance(value, bool) or value not in VERSIONS):
        expected = " or ".join(str(v) for v in VERSIONS)
        w.add(node, "schema_version", "", "schema_version", f"{value!r} is not supported (expected {expected})")


def names_are_unique(w: Walk, node: dict[str, Any], rec: dict[str, Any], entry: str, path: str) -> None:
    """Treatment and condition ids are unique; every name a lookup accepts (id, alias) points at one entry."""
    items = node.get("treatments")
    nodes = [n for n in items if isinstance(n, dict)] if isinstance(items, list) else []
    pairs = list(zip(nodes, rec.get("treatments", ()), strict=False))
    owner: dict[str, str] = {}
    for item, t in pairs:
        tid = t.get("id")
        if not tid:
            continue
        if tid in owner:
            w.add(item, "id", tid, "id", f"duplicate id (also used by entry '{owner[tid]}')")
            continue
        owner[tid] = tid
    for item, t in pairs:
        tid = t.get("id", "")
        for alias in t.get("aliases", ()):
            key = normalise(alias)
            other = owner.get(key)
            if key != tid and other is not None and other != tid:
                w.add(item, "aliases", tid, "aliases", f"alias '{alias}' is already the id or an alias of '{other}'")
            elif key != tid:
                owner[key] = tid
    items = node.get("conditions")
    nodes = [n for n in items if isinstance(n, dict)] if isinstance(items, list) else []
    seen: set[str] = set()
    for item, c in zip(nodes, rec.get("conditions", ()), strict=False):
        if c.get("id") in seen:
            w.add(item, "id", c["id"], "id", "duplicate condition id")
        seen.add(c.get("id", ""))


def registry_keys_defined(w: Walk, node: dict[str, Any], rec: dict[str, Any], entry: str, path: str) -> None:
    """Version 2: every source key an entry or condition lists is defined in `sources`."""
    for key, where, who, field in w.uses:
        if key not in w.defined:
            w.add(where, "sources", who, field, f"source '{key}' is not defined in the file's sources")


def registry_keys_used(w: Walk, node: dict[str, Any], rec: dict[str, Any], entry: str, path: str) -> None:
    """Version 2: every source defined in `sources` is listed by some entry or condition."""
    used = {use[0] for use in w.uses}
    for key in w.defined:
        if key not in used:
            w.add(node.get("sources"), key, "", f"sources.{key}", "defined but never used (cite it or remove it)")


def registry_identifiers_unique(w: Walk, node: dict[str, Any], rec: dict[str, Any], entry: str, path: str) -> None:
    """Version 2: no two source keys share a DOI or a PMID."""
    registry = node.get("sources")
    for ident in ("doi", "pmid"):
        first: dict[str, str] = {}
        for key, src in w.registry.items():
            value = str(src.get(ident, "")).lower()
            if value and value in first:
                where = registry.get(key) if isinstance(registry, dict) else None
                w.add(where, ident, "", f"sources.{key}.{ident}", f"same {ident.upper()} as source '{first[value]}'")
            elif value:
                first[value] = key


SOURCE = Record(
    "source",
    (
        Field("key", "slug", "unique within the entry; risks, effects and guidelines refer to it", versions=V1),
        Field("title", "text", "the title as published"),
        Field("authors", "text", "e.g. `Doe J, et al.`; give `authors` or `publisher`", required=NEVER),
        Field("publisher", "text", "for a document without named authors", required=NEVER),
        Field("year", "int", "omit for an undated web page; never guess it", required=NEVER, lo=1900, hi=2100),
        Field("kind", "choice", "what sort of document it is", choices=SOURCE_KINDS),
        Field("doi", "doi", "give at least one of doi, pmid, url (only identifiers you have seen)", required=NEVER),
        Field("pmid", "pmid", "PubMed id", required=NEVER),
        Field("url", "url", "the address of the page", required=NEVER),
    ),
    (source_has_author_and_identifier,),
)
SOURCES = (
    Field("sources", "records", "the sources, in full", record=SOURCE, min_items=1, versions=V1),
    Field("sources", "keys", "keys of the file's `sources`", min_items=1, versions=V2),
)
CONDITION = Record(
    "condition",
    (
        Field("id", "slug", "e.g. `sciatica`"),
        Field("name", "text", "display name"),
        Field("aliases", "texts", "other names, matched by `list --treats`", required=NEVER, default=[]),
        Field("description", "text", "one plain line"),
        Field("natural_course", "text", 'what usually happens without treatment ("what if I wait?")'),
        *SOURCES,
        Field("in_short", "text", 'short "What if I wait?": the natural course in 2 short sentences', NEVER),
    ),
    (sources_listed_once,),
    label="id",
    fallback="condition #{n}",
    about="A condition that treatments are used for.",
)
GLOSSARY = Record(
    "glossary entry",
    (
        Field("term", "text", "e.g. `sham-controlled`"),
        Field("aliases", "texts", "other spellings", required=NEVER, default=[]),
        Field("definition", "text", "plain language, 1 to 3 sentences"),
    ),
    label="term",
    fallback="term #{n}",
    about="A plain-language definition, shown by `glossary`.",
)
PROCEDURE = Record(
    "procedure",
    tuple(
        Field(name, "text", meaning)
        for name, meaning in (
            ("setting", "where it is done, e.g. hospital, clinic, home"),
            ("anaesthesia", "none, local, sedation or general"),
            ("duration", "how long a session takes"),
            ("performed_by", "who does it"),
        )
    ),
)
DAYS = Record(
    "days to normal activity",
    (Field("min", "int", "fewest days", lo=0, hi=3650), Field("max", "int", "most days", lo=0, hi=3650)),
    (recovery_days_in_order,),
)
RECOVERY = Record(
    "recovery",
    (
        Field("text", "text", "what recovery is like"),
        Field("days_to_normal_activity", "record", "`{min: 0, max: 0}` for none", record=DAYS),
    ),
)
RISK = Record(
    "risk",
    (
        Field("risk", "text", "the harm, in plain words"),
        Field("frequency", "text", 'how often, in words, wherever a source gives it: "about 1 in 100"', NEVER),
        Field("source", "key", "the source the risk comes from", required=V2),
        Field("in_short", "text", "short phrase with the rate where known; on the 1 to 3 key risks", NEVER),
    ),
)
EFFECT = Record(
    "effect",
    (
        Field("outcome", "text", 'what was counted, e.g. "pain score below 4 out of 10"'),
        Field("events_per_100", "number", "with the treatment", lo=0, hi=100, whole=V2),
        Field("comparator_events_per_100", "number", "with the comparator", lo=0, hi=100, whole=V2),
        Field("comparator", "text", 'e.g. "sham procedure", "usual care"'),
        Field("time_frame", "text", 'e.g. "14 days", "6 months"'),
        Field("time_frame_days", "int", "the same in days, so `compare` can tell when they differ", lo=1, hi=36500),
        Field("population", "text", "who was studied"),
        Field("source", "key", "the source of the figures"),
    ),
    about='A natural frequency: "about X in 100 ... compared with Y in 100 ...".',
)
EVIDENCE = Record(
    "evidence",
    (
        Field("quality", "choice", "GRADE certainty of the main evidence", choices=EVIDENCE_LEVELS),
        Field("summary", "text", "names the key trials and reviews and what they were compared with"),
        Field("does_not_show", "text", "where the popular claim and the evidence differ"),
        Field("effects", "records", "natural frequencies", record=EFFECT, default=[]),
        Field("effects_note", "note", "says why, when `effects` is empty", required=NEVER, default=""),
        Field("in_short", "text", '"How sure are we?" in one or two plain sentences', required=V2),
    ),
    (effects_or_a_note,),
)
GUIDELINE = Record(
    "guideline position",
    (
        Field("body", "text", "e.g. `NICE`, `ACP`, `BMJ Rapid Recommendations`"),
        Field("code", "label", "document code, e.g. `NG59`, or a short title"),
        Field("year", "int", "year of the guideline", lo=1900, hi=2100),
        Field("stance", "choice", "what the guideline says to do", choices=STANCES),
        Field("summary", "text", "one-line gist that carries the conditions"),
        Field("source", "key", "the guideline as a source", required=NEVER),
        Field("in_short", "text", 'the scope in a few words: "chronic pain, by trained surgeons"', V2, max_words=12),
    ),
)
TREATMENT_IN_SHORT = Record(
    "in short",
    (
        Field("what_it_is", "text", "1 or 2 short sentences: what happens to the person"),
        Field("helps", "text", '"Does it help?", naming the comparator, with a natural frequency if any'),
        Field("recovery", "text", "one short line: time off, days to normal activity"),
    ),
    about="A person reads these first, on one screen: plain words, no sentence over 25 words, no advice"
    ' to the reader ("you should"), uncertainty stated plainly, the comparator named where a result is quoted.',
)
TREATMENT = Record(
    "treatment",
    (
        Field("id", "slug", "unique across all entries and aliases"),
        Field("name", "text", "display name; lookups accept it too"),
        Field("aliases", "texts", "other names people use, unique across entries"),
        Field("category", "choice", "the kind of treatment", choices=CATEGORIES),
        Field("summary", "line", "one line"),
        Field("description", "text", "what it is, in plain words"),
        Field("conditions", "texts", "condition ids it is used for; each must exist", min_items=1),
        Field("procedure", "record", "how it is done", record=PROCEDURE),
        Field("recovery", "record", "what recovery is like", record=RECOVERY),
        Field("invasiveness", "choice", "ordered, least to most invasive", choices=INVASIVENESS),
        Field("benefits", "texts", "what it may do, with the size of the effect where known", min_items=1),
        *SOURCES,
        Field("risks", "records", 'harms; never empty ("none reported in trials ...")', record=RISK, min_items=1),
        Field("evidence", "record", "what the evidence shows and how sure it is", record=EVIDENCE),
        Field("guidelines", "records", "what guidelines say about it", record=GUIDELINE),
        Field("last_reviewed", "date", "when this entry was last checked against its sources"),
        Field("in_short", "record", "the short texts of the brief views", required=V2, record=TREATMENT_IN_SHORT),
        Field(
            "overrides",
            "texts",
            "names (ids, aliases, display names) this entry takes over from an earlier layer",
            NEVER,
        ),
        Field("extends", "slug", "id of an earlier layer's entry; list only the fields that change", NEVER),
    ),
    (sources_listed_once, cited_sources_are_listed, conditions_are_known, key_risks_in_short, extends_an_earlier_entry),
    label="id",
    fallback="#{n}",
    about="One treatment entry. In a user or --data file, an entry with `extends` lists only the fields it"
    " changes (every field is then optional) and is merged over the earlier entry of that id.",
    partial_key="extends",
)
ABOUT_FIELDS = ("version", "reviewed", "disclaimer", "update_policy", "funding", "conflicts_of_interest")
FILE = Record(
    "file",
    (
        Field("schema_version", "int", "`1` or `2`; a file without it is read as version 1", bundled=True),
        Field("version", "label", 'version of the content, e.g. `"2026.11.0"`', bundled=True),
        Field("reviewed", "date", "date the whole file was last reviewed", bundled=True),
        Field("disclaimer", "text", "shown by `show`, `compare`, `about`", bundled=True),
        Field("update_policy", "text", "how and when the content is reviewed", bundled=True),
        Field("funding", "text", "who pays for the content", bundled=True),
        Field("conflicts_of_interest", "text", "declared interests of the authors", bundled=True),
        Field("urgent_symptoms", "text", "the symptoms that need urgent medical assessment", required=NEVER),
        Field("changes", "text", "what changed in this version, in a few plain lines (shown by `about`)", NEVER),
        Field("licence", "text", "the licence of the content, e.g. `CC BY 4.0`; shown by `about`", required=NEVER),
        Field("sources", "registry", "every source the file cites, each defined once", NEVER, V2, record=SOURCE),
        Field("conditions", "records", "conditions that treatments refer to", NEVER, record=CONDITION, default=[]),
        Field("glossary", "records", "plain-language definitions", NEVER, record=GLOSSARY, default=[]),
        Field("treatments", "records", "the entries", NEVER, record=TREATMENT, default=[]),
    ),
    (
        supported_version,
        names_are_unique,
        registry_keys_defined,
        registry_keys_used,
        registry_identifiers_unique,
    ),
)
ABOUT_KEYS = (
    *ABOUT_FIELDS,
    "urgent_symptoms",
    "changes",
    "licence",
)  # the file-level texts carried in FileContent.about


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
    content = FileContent(about={}, conditions=[], glossary=[], treatments=[])
    if data is None or not isinstance(data, dict):
        problem = (
            "the file is empty (expected a mapping with a 'treatments' list)"
            if data is None
            else f"the top level must be a mapping, found {type_name(data)}"
        )
        return content, [Problem(path, 0, "", "", problem)]
    version = data.get("schema_version", 1)
    if isinstance(version, bool) or version not in VERSIONS:
        version = VERSIONS[-1]
    known = None
    if known_conditions is not None:
        own = data.get("conditions")
        ids = {c.get("id") for c in own if isinstance(c, dict)} if isinstance(own, list) else set()
        known = set(known_conditions) | {i for i in ids if isinstance(i, str)}
    walk = Walk(path, version, require_about, known)
    rec = walk.record(data, FILE, "", "", None, None)
    content.about = {k: rec[k] for k in ABOUT_KEYS if rec.get(k)}
    content.conditions = rec["conditions"] or []
    content.glossary = rec["glossary"] or []
    content.treatments = rec["treatments"] or []
    return content, walk.problems
