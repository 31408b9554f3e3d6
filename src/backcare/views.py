"""What each command shows, as plain data: documents, tables and comparison grids.

The renderers in render/ turn these into Rich tables, plain text or Markdown; JSON output is
built from the records directly (render/json_out.py). Nothing here formats for a terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from backcare.model import EVIDENCE_LEVELS, INVASIVENESS, INVASIVENESS_LABELS, Treatment

if TYPE_CHECKING:  # types only: views are built from a loaded knowledge base, never load one
    from backcare.kb import Entry, KnowledgeBase
    from backcare.paths import PathRow
    from backcare.search import Hit

STALE_AFTER_DAYS = 730  # two years


# -- the building blocks ----------------------------------------------------------------------


class Gauge(NamedTuple):
    """A value on a shared scale, drawn as a bar or a row of dots."""

    value: float
    maximum: float
    label: str
    style: str = "bar"  # "bar" or "dots"


class Stance(NamedTuple):
    """A guideline stance, drawn as a short symbol before its text."""

    stance: str
    text: str


Line = str | Gauge | Stance


class Section(NamedTuple):
    title: str
    lines: list[Line]
    bullets: bool = False


class Document(NamedTuple):
    title: str
    subtitle: str
    sections: list[Section]
    notes: list[str]  # warnings shown first (e.g. a stale entry)
    footer: list[str]


Highlights = dict[tuple[int, int], tuple[str, ...]]  # (row, column) -> words to highlight


class TableView(NamedTuple):
    columns: list[str]
    rows: list[list[str]]
    highlights: Highlights = {}  # noqa: RUF012 - never mutated
    footer: tuple[str, ...] = ()


class Grid(NamedTuple):
    """Options side by side: one column per treatment, one row per question."""

    columns: list[str]
    rows: list[tuple[str, list[list[Line]]]]
    notes: list[str]
    footer: list[str]
    legend: list[str]


STANCE_WORDS = {
    "recommend": "recommended",
    "consider": "may be considered (with conditions)",
    "against": "recommends against",
    "research-only": "only in research or with special arrangements",
    "no-position": "no position / outside its scope",
}


# -- shared pieces ----------------------------------------------------------------------------


def stale_note(t: Treatment, today: dt.date) -> str:
    try:
        reviewed = dt.date.fromisoformat(t.last_reviewed)
    except ValueError:
        return ""
    age = (today - reviewed).days
    if age > STALE_AFTER_DAYS:
        return (
            f"Note: '{t.id}' was last reviewed on {t.last_reviewed}, more than two years ago "
            f"({age // 365} years); newer evidence may exist."
        )
    return ""


def effect_lines(t: Treatment) -> list[Line]:
    if not t.evidence.effects:
        return [t.evidence.effects_note or "No figure in natural frequencies is reported in the sources used here."]
    out: list[Line] = []
    for e in t.evidence.effects:
        outcome = e.outcome[:1].upper() + e.outcome[1:]
        out.append(
            f"{outcome}: about {e.events_per_100:g} in 100 people with this treatment, compared with "
            f"{e.comparator_events_per_100:g} in 100 with {e.comparator}, at {e.time_frame}. "
            f"Studied in: {e.population}. [{e.source}]"
        )
    return out


def risk_lines(t: Treatment) -> list[Line]:
    out: list[Line] = []
    for r in t.risks:
        line = r.risk
        if r.frequency:
            line += f" — {r.frequency}"
        if r.source:
            line += f" [{r.source}]"
        out.append(line)
    return out


def guideline_lines(t: Treatment) -> list[Line]:
    if not t.guidelines:
        return ["No guideline position recorded."]
    return [Stance(g.stance, f"{g.body} {g.code} ({g.year}): {g.summary}") for g in t.guidelines]


def source_lines(t: Treatment) -> list[Line]:
    out: list[Line] = []
    for s in t.sources:
        ident = f"doi:{s.doi}" if s.doi else f"PMID {s.pmid}" if s.pmid else s.url
        out.append(f"[{s.key}] {s.by.rstrip('.')}. {s.title.rstrip('.')}. {s.year or 'Undated web page'}. {ident}")
    return out


def invasiveness_gauge(t: Treatment) -> Gauge:
    return Gauge(
        t.invasiveness_level,
        len(INVASIVENESS) - 1,
        f"{t.invasiveness} ({INVASIVENESS_LABELS[t.invasiveness]})",
    )


def evidence_gauge(t: Treatment) -> Gauge:
    level = len(EVIDENCE_LEVELS) - EVIDENCE_LEVELS.index(t.evidence.quality)
    return Gauge(level, len(EVIDENCE_LEVELS), f"{t.evidence.quality} certainty (GRADE)", style="dots")


def days_text(t: Treatment) -> str:
    lo, hi = t.recovery.days_min, t.recovery.days_max
    if hi == 0:
        return "typically no time off normal activity"
    span = f"{lo}" if lo == hi else f"{lo}–{hi}"
    return f"typically {span} day{'s' if hi != 1 else ''} to normal activity"


def about_lines(kb: KnowledgeBase) -> list[str]:
    a = kb.about
    return [
        f"Knowledge base version {a.version or 'unknown'}, last reviewed {a.reviewed or 'unknown'}.",
        f"Update policy: {a.update_policy or 'not stated'}",
        f"Funding: {a.funding or 'not stated'} Conflicts of interest: {a.conflicts_of_interest or 'not stated'}",
    ]


def provenance_lines(kb: KnowledgeBase, treatments: Sequence[Treatment]) -> tuple[list[str], list[str]]:
    """A note for each entry that is not from the bundled base, naming its file, and that file's
    own funding and conflicts of interest (a layer's statements apply to its entries only)."""
    notes: list[str] = []
    statements: list[str] = []
    for t in treatments:
        p = kb.provenance(t)
        if p.bundled:
            continue
        how = f"changes the earlier entry '{t.extends}'" if t.extends else "is not part of the bundled knowledge base"
        notes.append(f"'{t.id}' comes from {p.path or p.label} and {how}.")
        line = (
            f"Declared by {p.label} for its entries: funding: {p.funding or 'not stated'} "
            f"Conflicts of interest: {p.conflicts_of_interest or 'not stated'}"
        )
        statements.append(line + (f" Licence: {p.licence}" if p.licence else ""))
    return notes, list(dict.fromkeys(statements))


def disclaimer(kb: KnowledgeBase) -> str:
    return kb.about.disclaimer or "This is a reference, not medical advice."


# -- views ------------------------------------------------------------------------------------


def list_view(entries: Sequence[Entry], show_origin: bool) -> TableView:
    columns = ["id", "name", "category", "summary"] + (["origin"] if show_origin else [])
    rows = [[e.id, e.name, e.category, e.summary] + ([e.origin] if show_origin else []) for e in entries]
    return TableView(columns, rows)


def show_view(kb: KnowledgeBase, t: Treatment, today: dt.date) -> Document:
    conditions = [kb.conditions[c].name if c in kb.conditions else c for c in t.conditions]
    sections = [
        Section("Also called", [", ".join(t.aliases) or "(no other names)"]),
        Section("What it is", [t.description]),
        Section("Used for", list(conditions), bullets=True),
        Section(
            "How it is done",
            [
                f"Setting: {t.procedure.setting}",
                f"Anaesthesia: {t.procedure.anaesthesia}",
                f"Duration: {t.procedure.duration}",
                f"Performed by: {t.procedure.performed_by}",
            ],
        ),
        Section("Invasiveness", [invasiveness_gauge(t)]),
        Section("Recovery", [t.recovery.text, f"{days_text(t)}."]),
        Section("Possible benefits", list(t.benefits), bullets=True),
        Section("Risks and side effects", risk_lines(t), bullets=True),
        Section("How much might it help?", effect_lines(t), bullets=True),
        Section("How sure is the evidence?", [evidence_gauge(t), t.evidence.summary]),
        Section("What the evidence does not show", [t.evidence.does_not_show]),
        Section("What guidelines say", guideline_lines(t), bullets=True),
        Section("Sources", source_lines(t), bullets=True),
    ]
    marks, statements = provenance_lines(kb, [t])
    return Document(
        title=f"{t.name} ({t.id})",
        subtitle=f"{t.category} · {t.summary}",
        sections=sections,
        notes=marks + [n for n in (stale_note(t, today),) if n],
        footer=[f"Last reviewed: {t.last_reviewed}. Source file: {t.origin}.", *statements, disclaimer(kb)],
    )


def compare_view(kb: KnowledgeBase, treatments: Sequence[Treatment], today: dt.date) -> Grid:
    max_days = max([t.recovery.days_max for t in treatments] + [1])

    def cells(fn: object) -> list[list[Line]]:
        return [fn(t) for t in treatments]  # type: ignore[operator]

    def used_for(t: Treatment) -> list[Line]:
        return [kb.conditions[c].name if c in kb.conditions else c for c in t.conditions]

    rows: list[tuple[str, list[list[Line]]]] = [
        ("What it is", cells(lambda t: [t.summary])),
        ("Used for", cells(used_for)),
        (
            "How it is done",
            cells(
                lambda t: [
                    t.procedure.setting,
                    f"Anaesthesia: {t.procedure.anaesthesia}",
                    f"Duration: {t.procedure.duration}",
                    f"By: {t.procedure.performed_by}",
                ]
            ),
        ),
        ("Invasiveness", cells(lambda t: [invasiveness_gauge(t)])),
        (
            "Recovery",
            cells(
                lambda t: [
                    Gauge(t.recovery.days_max, max_days, days_text(t)),
                    t.recovery.text,
                ]
            ),
        ),
        ("How much might it help?", cells(effect_lines)),
        ("Benefits", cells(lambda t: list(t.benefits))),
        ("Risks", cells(risk_lines)),
        ("Evidence quality", cells(lambda t: [evidence_gauge(t), t.evidence.summary])),
        ("What the evidence does not show", cells(lambda t: [t.evidence.does_not_show])),
        ("Guideline positions", cells(guideline_lines)),
        ("Sources", cells(source_lines)),
        ("Last reviewed", cells(lambda t: [t.last_reviewed])),
    ]
    marks, statements = provenance_lines(kb, treatments)
    notes = marks + [n for n in (stale_note(t, today) for t in treatments) if n]

    frames = {(t.id, e.time_frame_days, e.time_frame) for t in treatments for e in t.evidence.effects}
    if len({days for _, days, _ in frames}) > 1:
        listed = "; ".join(sorted({f"{tid}: {frame}" for tid, _, frame in frames}))
        notes.append(
            f"The 'How much might it help?' figures use different time frames and comparators ({listed}); "
            "they cannot be compared directly."
        )

    shared = set(treatments[0].conditions).intersection(*(t.conditions for t in treatments[1:]))
    wait = [f"{kb.conditions[c].name}: {kb.conditions[c].natural_course}" for c in sorted(shared) if c in kb.conditions]
    footer = [
        "What if I wait? "
        + (
            " ".join(wait)
            if wait
            else "These treatments are not used for a common condition; see 'backcare conditions'."
        )
    ]
    legend = [
        "Invasiveness scale: " + " < ".join(INVASIVENESS) + ". Evidence: GRADE certainty, 4 dots = high, 1 = very low."
    ]
    footer += about_lines(kb) + statements
    footer.append(disclaimer(kb))
    return Grid([f"{t.name} ({t.id})" for t in treatments], rows, notes, footer, legend)


def search_view(hits: Sequence[Hit]) -> TableView:
    rows = [[h.id, h.name, f"{h.score:g}", h.snippet] for h in hits]
    return TableView(["id", "name", "score", "match"], rows, {(i, 3): h.terms for i, h in enumerate(hits)})


def conditions_view(kb: KnowledgeBase, for_terminal: bool) -> TableView:
    """One row per condition. On a terminal three columns (lines inside a cell split on newlines);
    for scripts one field per column: id, name, description, natural course, treatments."""
    rows = []
    for cond in kb.conditions.values():
        used = [e.id for e in kb.entries_for_condition(cond.id)] or ["(none)"]
        if for_terminal:
            rows.append(
                [
                    f"{cond.name}\n({cond.id})",
                    f"{cond.description}\nWhat if I wait? {cond.natural_course}",
                    "\n".join(used),
                ]
            )
        else:
            rows.append([cond.id, cond.name, cond.description, cond.natural_course, ", ".join(used)])
    if for_terminal:
        return TableView(["condition", "description; what if I wait?", "treatments"], rows)
    return TableView(["id", "condition", "description", "natural course (what if I wait?)", "treatments"], rows)


def glossary_view(kb: KnowledgeBase, term: str | None) -> TableView:
    entries = kb.glossary
    if term is not None:
        from backcare.model import normalise

        key = normalise(term)
        entries = [g for g in entries if key == normalise(g.term) or key in (normalise(a) for a in g.aliases)]
        if not entries:
            entries = [g for g in kb.glossary if key in normalise(g.term)]
    return TableView(["term", "definition"], [[g.term, g.definition] for g in entries])


def about_view(kb: KnowledgeBase) -> Document:
    a = kb.about
    return Document(
        title="About this knowledge base",
        subtitle="",
        notes=[],
        footer=[],
        sections=[
            Section("Version", [a.version or "unknown"]),
            Section("Last reviewed", [a.reviewed or "unknown"]),
            Section("Update policy", [a.update_policy or "not stated"]),
            Section("Funding", [a.funding or "not stated"]),
            Section("Conflicts of interest", [a.conflicts_of_interest or "not stated"]),
            Section("Licence", [a.licence or "not stated"]),
            Section("Files read", [f"{layer.label}: {layer.path}" for layer in kb.layers], bullets=True),
            Section("Disclaimer", [disclaimer(kb)]),
        ],
    )


# -- JSON shapes (beside the views they mirror) -------------------------------------------------


def conditions_data(kb: KnowledgeBase) -> list[dict[str, object]]:
    return [
        {
            "id": c.id,
            "name": c.name,
            "aliases": list(c.aliases),
            "description": c.description,
            "natural_course": c.natural_course,
            "treatments": [e.id for e in kb.entries_for_condition(c.id)],
            "sources": [s.link for s in c.sources],
        }
        for c in kb.conditions.values()
    ]


def search_data(hits: Sequence[Hit]) -> list[dict[str, object]]:
    return [{"id": h.id, "name": h.name, "score": h.score, "snippet": h.snippet} for h in hits]


def table_data(view: TableView) -> list[dict[str, str]]:
    """A table as a list of objects keyed by its column names (glossary, paths)."""
    return [dict(zip(view.columns, row, strict=True)) for row in view.rows]


def about_data(kb: KnowledgeBase) -> dict[str, object]:
    info: dict[str, object] = dict(kb.about._asdict())
    info["files"] = [{"origin": layer.label, "path": str(layer.path)} for layer in kb.layers]
    return info


def paths_view(rows: Sequence[PathRow]) -> TableView:
    return TableView(
        ["what", "path", "exists", "source"],
        [[r.what, str(r.path) if r.path else "(none)", r.exists, r.source] for r in rows],
    )
