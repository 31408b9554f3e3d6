"""What each command shows, as plain data: documents, tables and comparison grids.

The renderers in render/ turn these into Rich tables, plain text or Markdown; JSON output is
built from the records directly (render/json_out.py). Nothing here formats for a terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from backcare.controls import shown_path
from backcare.in_short import days_text, is_harm, per_100, urgent_symptoms, what_if_i_wait
from backcare.model import (
    EVIDENCE_LEVELS,
    INVASIVENESS,
    INVASIVENESS_LABELS,
    Condition,
    Effect,
    GlossaryEntry,
    Source,
    Treatment,
)

if TYPE_CHECKING:  # types only: views are built from a loaded knowledge base, never load one
    from backcare.kb import Entry, KnowledgeBase
    from backcare.paths import PathRow
    from backcare.search import Hit

STALE_AFTER_DAYS = 730  # two years


def today() -> dt.date:
    """The date staleness is judged on; BACKCARE_TODAY fixes it for tests and reproducible docs."""
    import os

    from backcare.errors import UsageError

    override = os.environ.get("BACKCARE_TODAY")
    if override:
        try:
            return dt.date.fromisoformat(override)
        except ValueError:
            raise UsageError(f"BACKCARE_TODAY={override!r} is not a date YYYY-MM-DD") from None
    return dt.date.today()


# -- the building blocks ----------------------------------------------------------------------


class Gauge(NamedTuple):
    """A value on a shared scale, drawn as a bar or a row of dots, always followed by its words."""

    value: float
    maximum: float
    label: str
    style: str = "bar"  # "bar" or "dots"


class Stance(NamedTuple):
    """A guideline verdict, drawn as a symbol and its word (STANCE_WORDS) before its text."""

    stance: str
    text: str


class IconArray(NamedTuple):
    """Two natural frequencies drawn as 10 x 10 icon arrays: with the treatment and with the comparator."""

    treated: int
    comparator: int
    treated_label: str = "With it"
    comparator_label: str = "Comparison"


Line = str | Gauge | Stance | IconArray


class Section(NamedTuple):
    title: str
    lines: list[Line]
    bullets: bool = False
    inline: bool = False  # the title leads its first line ("What it is: ...") instead of a heading


class Document(NamedTuple):
    title: str
    subtitle: str
    sections: list[Section]
    notes: list[str]  # warnings shown first (e.g. a stale entry)
    footer: list[str]
    urgent: str = ""  # the symptoms that need same-day care, straight after the title, never faint
    legend: tuple[str, ...] = ()  # what the bars and dots mean
    compact: bool = False  # one screen: no blank lines between sections


Highlights = dict[tuple[int, int], tuple[str, ...]]  # (row, column) -> words to highlight


class TableView(NamedTuple):
    columns: list[str]
    rows: list[list[str]]
    highlights: Highlights = {}  # noqa: RUF012 - never mutated
    footer: tuple[str, ...] = ()
    clip: tuple[int, ...] = ()  # columns kept to one line on a terminal (a one-line summary)


class Grid(NamedTuple):
    """Options side by side: one column per treatment, one row per question."""

    columns: list[str]
    rows: list[tuple[str, list[list[Line]]]]
    notes: list[str]
    footer: list[str]
    legend: list[str]
    urgent: str = ""
    shared: tuple[tuple[str, tuple[Line, ...]], ...] = ()  # rows that hold one answer for every option
    references: tuple[str, ...] = ()  # numbered once, under the grid


# The verdict of a guideline in one word or two; every symbol drawn for a stance is followed by it.
STANCE_WORDS = {
    "recommend": "recommend",
    "consider": "consider",
    "against": "against",
    "research-only": "only in research",
    "no-position": "no position",
}
RECOVERY_SCALE_DAYS = 180  # recovery bars share this one scale in every view: a full bar is 180 days or more
RECOVERY_LEGEND = f"Recovery bars: days to normal activity on one fixed scale; full bar = {RECOVERY_SCALE_DAYS}+ days."
CERTAINTY_LEGEND = "Certainty dots (GRADE): 4 = high, 3 = moderate, 2 = low, 1 = very low."
INVASIVENESS_LEGEND = "Invasiveness: " + " < ".join(INVASIVENESS) + "."
# Rows of the complete views, in the one order `show --full` and `compare --full` share.
FULL_ORDER = (
    "What it is",
    "Used for",
    "How it is done",
    "Invasiveness",
    "Possible benefits",
    "How much might it help?",
    "Risks and side effects",
    "Recovery",
    "How sure is the evidence?",
    "What the evidence does not show",
    "What guidelines say",
    "Sources",
    "What if I wait?",  # last, where `compare --full` has one row for the conditions the options share
)


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


def effect_lines(effects: Sequence[Effect], pictures: bool = False) -> list[Line]:
    """Natural frequencies in words ("about 48 in 100"), whole numbers, each with its icon arrays."""
    out: list[Line] = []
    for e in effects:
        outcome = e.outcome[:1].upper() + e.outcome[1:]
        treated, compared = per_100(e.events_per_100), per_100(e.comparator_events_per_100)
        out.append(
            f"{outcome}: about {treated} in 100 people with this treatment, compared with "
            f"{compared} in 100 with {e.comparator}, at {e.time_frame}. "
            f"Studied in: {e.population}. [{e.source}]"
        )
        if pictures:
            out.append(IconArray(treated, compared, f"With it: {treated} in 100", f"Comparison: {compared} in 100"))
    return out


def benefit_lines(t: Treatment, pictures: bool = False) -> list[Line]:
    benefits = [e for e in t.evidence.effects if not is_harm(e)]
    if not benefits:
        return [t.evidence.effects_note or "No figure in natural frequencies is reported in the sources used here."]
    return effect_lines(benefits, pictures)


def risk_lines(t: Treatment, pictures: bool = False) -> list[Line]:
    """The risks, then any harm counted in natural frequencies (never under 'How much might it help?')."""
    out: list[Line] = []
    for r in t.risks:
        line = r.risk
        if r.frequency:
            line += f" — {r.frequency}"
        if r.source:
            line += f" [{r.source}]"
        out.append(line)
    return out + effect_lines([e for e in t.evidence.effects if is_harm(e)], pictures)


def guideline_lines(t: Treatment) -> list[Line]:
    if not t.guidelines:
        return ["No guideline position recorded."]
    return [Stance(g.stance, f"{g.body} {g.code} ({g.year}): {g.summary}") for g in t.guidelines]


def source_lines(t: Treatment) -> list[Line]:
    return [f"[{s.key}] {source_text(s)}" for s in t.sources]


def source_text(s: Source) -> str:
    ident = f"doi:{s.doi}" if s.doi else f"PMID {s.pmid}" if s.pmid else s.url
    return f"{s.by.rstrip('.')}. {s.title.rstrip('.')}. {s.year or 'Undated web page'}. {ident}"


def invasiveness_gauge(t: Treatment) -> Gauge:
    return Gauge(
        t.invasiveness_level,
        len(INVASIVENESS) - 1,
        f"{t.invasiveness} ({INVASIVENESS_LABELS[t.invasiveness]})",
    )


def evidence_gauge(t: Treatment) -> Gauge:
    level = len(EVIDENCE_LEVELS) - EVIDENCE_LEVELS.index(t.evidence.quality)
    return Gauge(level, len(EVIDENCE_LEVELS), f"{t.evidence.quality} certainty (GRADE)", style="dots")


def recovery_gauge(t: Treatment) -> Gauge:
    return Gauge(min(t.recovery.days_max, RECOVERY_SCALE_DAYS), RECOVERY_SCALE_DAYS, days_text(t))


def condition_names(kb: KnowledgeBase, t: Treatment) -> list[Line]:
    return [kb.conditions[c].name if c in kb.conditions else c for c in t.conditions]


def shared_conditions(kb: KnowledgeBase, treatments: Sequence[Treatment]) -> list[Condition]:
    """The conditions every one of `treatments` is used for, in the first treatment's order."""
    shared = set(treatments[0].conditions).intersection(*(t.conditions for t in treatments[1:]))
    return [kb.conditions[c] for c in treatments[0].conditions if c in shared and c in kb.conditions]


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


def full_sections(kb: KnowledgeBase, t: Treatment, *, pictures: bool = False) -> list[Section]:
    """Every section of the complete view of one treatment, in FULL_ORDER (show and compare)."""
    p = t.procedure
    sections = [
        Section("What it is", [t.description]),
        Section("Used for", condition_names(kb, t), bullets=True),
        Section(
            "How it is done",
            [
                f"Setting: {p.setting}",
                f"Anaesthesia: {p.anaesthesia}",
                f"Duration: {p.duration}",
                f"Performed by: {p.performed_by}",
            ],
        ),
        Section("Invasiveness", [invasiveness_gauge(t)]),
        Section("Possible benefits", list(t.benefits), bullets=True),
        Section("How much might it help?", benefit_lines(t, pictures), bullets=True),
        Section("Risks and side effects", risk_lines(t, pictures), bullets=True),
        Section("Recovery", [recovery_gauge(t), t.recovery.text]),
        Section("How sure is the evidence?", [evidence_gauge(t), t.evidence.summary]),
        Section("What the evidence does not show", [t.evidence.does_not_show]),
        Section("What guidelines say", guideline_lines(t), bullets=True),
        Section("Sources", source_lines(t), bullets=True),
        Section(
            "What if I wait?",
            [f"{c.name}: {c.natural_course}" for c in (kb.conditions.get(i) for i in t.conditions) if c],
            bullets=True,
        ),
    ]
    assert tuple(s.title for s in sections) == FULL_ORDER
    return sections


# -- views ------------------------------------------------------------------------------------


def list_view(entries: Sequence[Entry], show_origin: bool) -> TableView:
    columns = ["id", "name", "category", "summary"] + (["origin"] if show_origin else [])
    rows = [[e.id, e.name, e.category, e.summary] + ([e.origin] if show_origin else []) for e in entries]
    return TableView(columns, rows, clip=(3,))


def show_view(kb: KnowledgeBase, t: Treatment, today: dt.date) -> Document:
    """`show --full`: everything about one treatment, with icon arrays for its natural frequencies."""
    sections = [Section("Also called", [", ".join(t.aliases) or "(no other names)"])]
    sections += full_sections(kb, t, pictures=True)
    marks, statements = provenance_lines(kb, [t])
    return Document(
        title=f"{t.name} ({t.id})",
        subtitle=f"{t.category} — {t.summary}",
        sections=sections,
        notes=marks + [n for n in (stale_note(t, today),) if n],
        footer=[f"Last reviewed: {t.last_reviewed}. Source file: {t.origin}.", *statements, disclaimer(kb)],
        urgent=urgent_symptoms(kb.about),
        legend=(INVASIVENESS_LEGEND, RECOVERY_LEGEND, CERTAINTY_LEGEND),
    )


def compare_view(kb: KnowledgeBase, treatments: Sequence[Treatment], today: dt.date) -> Grid:
    """`compare --full`: every section of every treatment side by side, in the order of `show --full`."""
    columns = [full_sections(kb, t) for t in treatments]
    rows: list[tuple[str, list[list[Line]]]] = [
        (section.title, [col[i].lines for col in columns])
        for i, section in enumerate(columns[0])
        if section.title != "What if I wait?"  # one shared row below instead
    ]
    rows[0] = ("What it is", [[t.summary, t.description] for t in treatments])  # `show` has the summary on top
    rows.append(("Last reviewed", [[t.last_reviewed] for t in treatments]))
    marks, statements = provenance_lines(kb, treatments)
    notes = marks + [n for n in (stale_note(t, today) for t in treatments) if n]
    notes += time_frame_notes(treatments)
    footer = [*about_lines(kb), *statements, disclaimer(kb)]
    legend = [INVASIVENESS_LEGEND, RECOVERY_LEGEND, CERTAINTY_LEGEND]
    return Grid(
        [f"{t.name} ({t.id})" for t in treatments],
        rows,
        notes,
        footer,
        legend,
        urgent=urgent_symptoms(kb.about),
        shared=(("What if I wait?", wait_lines(kb, treatments, full=True)),),
    )


def time_frame_notes(treatments: Sequence[Treatment]) -> list[str]:
    """A warning when two treatments' benefit figures are measured at different times.

    Only between treatments: one entry reporting figures at two time points is not a mismatch.
    """
    frames = {
        t.id: {(e.time_frame_days, e.time_frame) for e in t.evidence.effects if not is_harm(e)} for t in treatments
    }
    with_figures = {tid: f for tid, f in frames.items() if f}
    if len(with_figures) < 2 or len({frozenset(d for d, _ in f) for f in with_figures.values()}) == 1:
        return []
    listed = "; ".join(f"{tid}: {', '.join(sorted({text for _, text in f}))}" for tid, f in with_figures.items())
    return [
        f"The 'How much might it help?' figures use different time frames and comparators ({listed}); "
        "they cannot be compared directly."
    ]


def wait_lines(kb: KnowledgeBase, treatments: Sequence[Treatment], *, full: bool) -> tuple[Line, ...]:
    shared = shared_conditions(kb, treatments)
    if not shared:
        return ("No condition in common; for each: backcare conditions NAME",)
    if full:
        return tuple(f"{c.name}: {c.natural_course}" for c in shared)
    return tuple(grouped_waits(shared))


def grouped_waits(conditions: Sequence[Condition], most: int = 2) -> list[Line]:
    """Short "what if I wait?" lines, one per distinct text (conditions that share one are named
    together), at most `most` of them and a pointer to the rest: the brief views fit one screen."""
    groups: dict[str, list[Condition]] = {}
    for c in conditions:
        groups.setdefault(what_if_i_wait(c), []).append(c)
    lines: list[Line] = [f"{'; '.join(c.name for c in group)}: {text}" for text, group in list(groups.items())[:most]]
    rest = [c for group in list(groups.values())[most:] for c in group]
    if rest:
        lines.append("Also used for: " + ", ".join(c.id for c in rest) + " (backcare conditions NAME)")
    return lines


def search_view(hits: Sequence[Hit]) -> TableView:
    """One row per hit: what it is (treatment, condition, glossary) says which command shows it."""
    rows = [[h.id, h.kind, h.name, h.snippet] for h in hits]
    return TableView(["id", "kind", "name", "match"], rows, {(i, 3): h.terms for i, h in enumerate(hits)})


def conditions_view(kb: KnowledgeBase, for_terminal: bool) -> TableView:
    """One row per condition (`conditions NAME` is brief.condition_view). On a terminal three
    columns (lines inside a cell split on newlines); for scripts one field per column: id, name,
    description, natural course, treatments."""
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


def glossary_view(entries: Sequence[GlossaryEntry]) -> TableView:
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
            *([Section("What changed in this version", [a.changes])] if a.changes else []),
            Section("Update policy", [a.update_policy or "not stated"]),
            Section("Funding", [a.funding or "not stated"]),
            Section("Conflicts of interest", [a.conflicts_of_interest or "not stated"]),
            Section("Licence", [a.licence or "not stated"]),
            Section("Files read", [f"{layer.label}: {shown_path(layer.path)}" for layer in kb.layers], bullets=True),
            Section("Disclaimer", [disclaimer(kb)]),
        ],
    )


# -- JSON shapes (beside the views they mirror) -------------------------------------------------


def conditions_data(kb: KnowledgeBase, only: str | None = None) -> list[dict[str, object]]:
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
        if only is None or c.id == only
    ]


def search_data(hits: Sequence[Hit]) -> list[dict[str, object]]:
    return [{"kind": h.kind, "id": h.id, "name": h.name, "score": h.score, "snippet": h.snippet} for h in hits]


def table_data(view: TableView) -> list[dict[str, str]]:
    """A table as a list of objects keyed by its column names (glossary, paths)."""
    return [dict(zip(view.columns, row, strict=True)) for row in view.rows]


def about_data(kb: KnowledgeBase) -> dict[str, object]:
    info: dict[str, object] = dict(kb.about._asdict())
    info["files"] = [{"origin": layer.label, "path": shown_path(layer.path)} for layer in kb.layers]
    return info


def paths_view(rows: Sequence[PathRow]) -> TableView:
    return TableView(
        ["what", "path", "exists", "source"],
        [[r.what, shown_path(r.path) if r.path else "(none)", r.exists, r.source] for r in rows],
    )
