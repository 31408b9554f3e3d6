"""docs/schema.md, generated from the specification in schema.py (docs/gen_docs.py writes it)."""

from __future__ import annotations

from collections.abc import Iterator

from backcare.checker import NEVER, V1, V2, VERSIONS, Field, Record
from backcare.model import INVASIVENESS_LABELS
from backcare.schema import FILE

KIND_NAMES = {
    "text": "text",
    "line": "text, one line",
    "note": "text",
    "label": "text",
    "slug": "slug (`a-z0-9-`)",
    "date": "date `YYYY-MM-DD`",
    "int": "whole number",
    "number": "number",
    "choice": "one of",
    "texts": "list of text",
    "key": "source key",
    "keys": "list of source keys",
    "record": "mapping:",
    "records": "list of",
    "registry": "mapping of source key to",
    "doi": "DOI `10.xxxx/...`",
    "pmid": "PubMed id (digits)",
    "url": "address `https://...`",
}

INTRO = """\
# Knowledge-base schema (schema_version 1 and 2)

Generated from `src/backcare/schema.py` by `python docs/gen_docs.py`; `tests/test_docs.py` fails
when it is stale. `backcare validate FILE` checks a file against it and names the file, line,
entry and field of every problem.

A knowledge-base file is one YAML mapping. The bundled file is
`src/backcare/data/treatments.yaml`; a user or clinic file has the same shape, with the
file-level metadata optional. Unknown keys are errors (a typo must not silently drop data);
a close misspelling gets "did you mean ...?". Plain YAML only: no tags (`!!python/...`), no
anchors or aliases (`&x` / `*x`).

Two versions of the format are read. **Version 2** (release 2027.1) defines every source once,
in a top-level `sources` registry that entries refer to by key, and adds the short "in short"
texts of the brief views. **Version 1** files (each entry lists its sources in full) are still
read unchanged, so existing clinic files keep working. A file without `schema_version` is read
as version 1. Both versions give the program the same records.

In the tables, *required* says whether the key must be given ("bundled file": only in the
bundled file; "in v2": required in version 2, optional in version 1) and *versions* in which
versions the key exists at all.
"""

EXAMPLE = """\
schema_version: 2
sources:
  nice-ng59:
    title: "Low back pain and sciatica in over 16s: assessment and management"
    publisher: National Institute for Health and Care Excellence
    year: 2016
    kind: guideline
    url: https://www.nice.org.uk/guidance/ng59
  heat-trial-2006:
    title: A trial of heat wraps for acute low back pain
    authors: Doe J, et al.
    year: 2006
    kind: trial
    doi: 10.1000/heat.2006
conditions:
- id: acute-low-back-pain
  name: Acute low back pain
  description: Low back pain that has lasted less than 12 weeks.
  natural_course: Most people improve over a few weeks whatever treatment they have.
  in_short: Most people feel much better within six weeks.
  sources: [nice-ng59]
treatments:
- id: heat-wrap
  name: Heat wrap
  aliases: [heat pad]
  category: conservative
  summary: A warm wrap worn on the lower back.
  description: A wrap that stays warm for several hours, worn over the painful area.
  conditions: [acute-low-back-pain]
  procedure: {setting: Home, anaesthesia: None, duration: Up to 8 hours, performed_by: The person}
  recovery: {text: None needed., days_to_normal_activity: {min: 0, max: 0}}
  invasiveness: none
  benefits: [A small reduction in pain over the first days.]
  risks:
  - risk: Skin redness or burns if worn too hot or too long
    frequency: rare in trials
    source: heat-trial-2006
    in_short: skin burns, rare
  evidence:
    quality: low
    in_short: We are not very sure; the trials were small.
    summary: One small trial compared heat wraps with a pill or no wrap.
    does_not_show: It does not show lasting benefit after the first week.
    effects: []
    effects_note: The trial reports average pain scores, not how many people improved.
  guidelines:
  - body: NICE
    code: NG59
    year: 2016
    stance: no-position
    summary: Heat is not mentioned in the recommendations.
    in_short: not mentioned
    source: nice-ng59
  sources: [nice-ng59, heat-trial-2006]
  last_reviewed: 2026-11-29
  in_short:
    what_it_is: A warm wrap is worn on the lower back for a few hours.
    helps: It may ease pain a little in the first days; no trial compared it with a sham.
    recovery: No time off.
"""


def records(spec: Record = FILE, seen: list[Record] | None = None) -> list[Record]:
    """Every record reachable from `spec`, each once, in the order a reader meets them."""
    seen = [] if seen is None else seen
    if spec not in seen:
        seen.append(spec)
        for f in spec.fields:
            if f.record is not None:
                records(f.record, seen)
    return seen


def _anchor(spec: Record) -> str:
    return f"[{spec.name}](#{_heading(spec).lower().replace(' ', '-')})"


def _heading(spec: Record) -> str:
    return "File level" if spec is FILE else spec.name.capitalize()


def _type(f: Field) -> str:
    text = KIND_NAMES[f.kind]
    if f.record is not None:
        text += " " + _anchor(f.record)
    if f.choices:
        text += " " + " \\| ".join(f"`{c}`" for c in f.choices)
    if f.hi > f.lo:
        text += f" {f.lo:g}–{f.hi:g}"
    if f.whole:
        text += ", whole in v2"
    if f.max_words:
        text += f", at most {f.max_words} words"
    return text


def _required(f: Field) -> str:
    if f.required == NEVER:
        return "no"
    text = "bundled file" if f.bundled else "yes" if set(f.versions) <= set(f.required) else "in v2"
    if f.min_items:
        text += f" (≥{f.min_items})"
    elif f.kind in ("texts", "records", "keys"):
        text += " (may be empty)"
    return text


def _versions(f: Field) -> str:
    return "both" if f.versions == VERSIONS else ", ".join(str(v) for v in f.versions) + " only"


def _section(spec: Record) -> Iterator[str]:
    yield f"## {_heading(spec)}"
    yield ""
    if spec.about:
        yield spec.about
        yield ""
    yield "| key | type | required | versions | meaning |"
    yield "| --- | --- | --- | --- | --- |"
    for f in spec.fields:
        yield f"| `{f.name}` | {_type(f)} | {_required(f)} | {_versions(f)} | {f.meaning} |"
    yield ""
    if spec.rules:
        yield "Rules:"
        yield ""
        yield from (f"- {(rule.__doc__ or rule.__name__).strip()}" for rule in spec.rules)
        yield ""


def _differences() -> Iterator[str]:
    for spec in records():
        for f in spec.fields:
            where = f"{spec.name}: `{f.name}`"
            if f.versions == V2:
                yield f"- {where} ({_type(f)}) is new in version 2."
            elif f.versions == V1:
                yield f"- {where} ({_type(f)}) is version 1 only."
            elif f.required == V2:
                yield f"- {where} is required in version 2 (optional in version 1)."
            if f.whole == V2:
                yield f"- {where} must be a whole number in version 2."
        for rule in spec.rules:
            doc = (rule.__doc__ or "").strip()
            if doc.startswith("Version 2:"):
                yield f"- {spec.name}: {doc.removeprefix('Version 2:').strip()}"


def markdown() -> str:
    out = [INTRO]
    for spec in records():
        out += _section(spec)
        if spec.name == "source":
            out += [
                "In version 1 each entry and condition lists its sources in full, each with a `key` that",
                "its risks, effects and guideline positions refer to. In version 2 the file defines each",
                "source once under the top-level `sources`, keyed by its key, and entries and conditions",
                "list the keys; the program gives every entry its sources in full, in the listed order.",
                "",
            ]
    out += ["## Allowed values", ""]
    choices = {f"{spec.name} `{f.name}`": f.choices for spec in records() for f in spec.fields if f.choices}
    out += [f"- {where}: " + ", ".join(f"`{c}`" for c in values) for where, values in choices.items()]
    out += ["", "`invasiveness` is ordered, least to most invasive (`compare` draws the position):", ""]
    out += [f"- `{level}`: {label}" for level, label in INVASIVENESS_LABELS.items()]
    out += ["", "## Version 1 and version 2", ""]
    out += list(dict.fromkeys(_differences()))
    out += ["", "## A short version 2 file", "", "```yaml", EXAMPLE.rstrip(), "```", ""]
    return "\n".join(out)
