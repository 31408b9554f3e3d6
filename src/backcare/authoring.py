"""Starting points for a clinic's own layer file: an existing entry as a complete file
(`show ID --format yaml`) and a commented skeleton (`new ID`). Pure text in, text out, but for
writing the chosen file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backcare.checker import PLACEHOLDER, SLUG
from backcare.errors import UsageError
from backcare.model import CATEGORIES, EVIDENCE_LEVELS, INVASIVENESS, SOURCE_KINDS, STANCES

if TYPE_CHECKING:
    from backcare.kb import Entry, KnowledgeBase

CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def _dump(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def layer_file(base: KnowledgeBase, entry: Entry) -> str:
    """One entry as a layer file that validates and loads with --data: schema_version 2 with a
    `sources` registry when the entry has the version 2 texts, else version 1 (said in a comment)."""
    from backcare.schema import validate_file

    rec = {k: v for k, v in entry.record.items() if k not in ("origin", "extends")}
    registry = {s["key"]: {k: v for k, v in s.items() if k != "key"} for s in rec["sources"]}
    data: dict[str, Any] = {"schema_version": 2, "sources": registry, "treatments": [rec | {"sources": list(registry)}]}
    _, problems = validate_file(data, "<show>", require_about=False)
    note = ""
    if problems:  # a version 1 entry lacks the short texts version 2 requires: keep it version 1
        data = {"schema_version": 1, "treatments": [rec]}
        note = (
            "# schema_version 1: this entry has no in_short texts yet. To move it to version 2, add them\n"
            "# (see 'backcare new') and define its sources once under a top-level 'sources:'.\n"
        )
    p = base.provenance(entry)
    credit = (
        f"# Adapted from the backcare knowledge base {base.about.version}, licensed CC BY 4.0 ({CC_BY}):\n"
        "# keep this credit when you share the file, and say what you changed.\n"
        if p.bundled
        else f"# From {p.path or p.label}" + (f" ({p.licence})" if p.licence else "") + ".\n"
    )
    head = (
        f"# A backcare layer file with one entry, '{entry.id}', as {p.label} has it.\n"
        + credit
        + note
        + f"# Keeping the id '{entry.id}' replaces that entry ('backcare validate' lists the override);\n"
        f"# to change only some fields, keep just those, with 'extends: {entry.id}' instead of 'id'.\n"
        "# Say who pays for this file and what interests its authors have (shown with its entries):\n"
        "# funding: ...\n# conflicts_of_interest: ...\n"
        "# Check it with 'backcare validate FILE --strict'; use it with 'backcare --data FILE show ...'.\n"
    )
    return head + _dump(data)


def skeleton(tid: str, today: dt.date) -> str:
    """A commented version 2 file with one entry to fill in; every text is a placeholder that
    `validate` refuses until it is replaced."""
    if not SLUG.match(tid):
        raise UsageError(f"'{tid}' is not an id: use lower-case letters, digits and single hyphens")

    def todo(what: str) -> str:
        return '"' + f"{PLACEHOLDER} {what}".replace('"', "'") + '"'

    def one_of(values: tuple[str, ...]) -> str:
        return " | ".join(values)

    return f"""\
# A new backcare entry, '{tid}'. Replace every "{PLACEHOLDER} ..." (validate refuses them) and check
# the file with: backcare validate FILE --strict   Then use it: backcare --data FILE show {tid}
# (or copy it into the user data directory shown by 'backcare paths').
# Write for a patient: plain words, no advice ("you should"), uncertainty said plainly, numbers
# as "about X in 100" with the comparator named, and every figure from a source you have read.
schema_version: 2
# This file's statements, shown with its entries (not with the bundled ones).
funding: {todo("who pays for this content, or None.")}
conflicts_of_interest: {todo("the authors' interests in this treatment, or None declared.")}
# licence: CC BY 4.0
sources:  # every source once; entries list their keys
  guideline-key:  # rename the keys; lower-case letters, digits and hyphens
    title: {todo("the title as published")}
    publisher: {todo("e.g. National Institute for Health and Care Excellence")}
    year: 2020  # omit for an undated web page
    kind: guideline  # {one_of(SOURCE_KINDS)}
    url: {todo("https://... (or doi: 10.xxxx/... or pmid: digits)")}
  review-key:
    title: {todo("the title as published")}
    authors: {todo("e.g. Doe J, et al.")}
    year: 2020
    kind: systematic-review
    url: {todo("https://... (or doi: 10.xxxx/... or pmid: digits)")}
treatments:
- id: {tid}
  name: {todo("display name")}
  aliases: []  # other names people use; a name another layer uses needs 'overrides: [name]'
  category: conservative  # {one_of(CATEGORIES)}
  summary: {todo("one plain line: what it is and what it is for")}
  description: {todo("two to four plain sentences: what it is")}
  conditions: [chronic-low-back-pain]  # ids from 'backcare conditions'
  procedure:
    setting: {todo("where it is done, e.g. clinic, home")}
    anaesthesia: {todo("none, local, sedation or general")}
    duration: {todo("how long a session takes")}
    performed_by: {todo("who does it")}
  recovery:
    text: {todo("what recovery is like")}
    days_to_normal_activity: {{min: 0, max: 0}}
  invasiveness: none  # {one_of(INVASIVENESS)}
  benefits:
  - {todo("what it may do, with the size of the effect where known")}
  risks:  # never empty: "none reported in trials ..." is a risk line too
  - risk: {todo("the harm, in plain words")}
    frequency: {todo("how often, in words: about 1 in 100")}
    source: review-key
    in_short: {todo("a short phrase with the rate")}
  evidence:
    quality: very-low  # GRADE: {one_of(EVIDENCE_LEVELS)}
    in_short: {todo("how sure are we? one or two plain sentences")}
    summary: {todo("the key trials and reviews, and what they compared it with")}
    does_not_show: {todo("where the popular claim and the evidence differ")}
    effects: []  # natural frequencies, when a trial or review gives proportions
    effects_note: {todo("why there is no 'about X in 100' figure")}
  guidelines:
  - body: {todo("e.g. NICE")}
    code: {todo("e.g. NG59")}
    year: 2020
    stance: no-position  # {one_of(STANCES)}
    summary: {todo("one line that carries the conditions")}
    in_short: {todo("the scope in a few words")}
    source: guideline-key
  sources: [guideline-key, review-key]
  last_reviewed: {today.isoformat()}
  in_short:  # read first, on one screen; no sentence over 25 words
    what_it_is: {todo("one or two short sentences: what happens to the person")}
    helps: {todo("does it help? name the comparator")}
    recovery: {todo("one short line: time off, days to normal activity")}
"""


def write_new(text: str, output: Path | None, force: bool) -> bool:
    """Write to `output` (never over an existing file without `force`); False: print it instead."""
    if output is None:
        return False
    if output.exists() and not force:
        raise UsageError(f"{output} already exists; use --force to overwrite it")
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output} ({exc.strerror or exc})") from None
    return True
