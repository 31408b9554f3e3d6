"""The answers on the first screen: the brief `show`, the option grid of `compare`, one condition.

Each is a plain-data view (views.py) a renderer draws. The short texts come from the knowledge
base's `in_short` fields, or from the fallbacks in in_short.py while an entry has none yet.
No advice: the questions to ask are the same for every treatment.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from backcare import in_short as short
from backcare.model import (
    EVIDENCE_LEVELS,
    INVASIVENESS_LABELS,
    Condition,
    GuidelinePosition,
    Source,
    Treatment,
    normalise,
)
from backcare.views import (
    INVASIVENESS_LEGEND,
    RECOVERY_LEGEND,
    Document,
    Gauge,
    Grid,
    Line,
    Section,
    Stance,
    about_lines,
    evidence_gauge,
    grouped_waits,
    invasiveness_gauge,
    provenance_lines,
    recovery_gauge,
    stale_note,
    time_frame_notes,
    wait_lines,
)

if TYPE_CHECKING:
    from backcare.kb import KnowledgeBase

# Guideline bodies by the short name a reader knows them by; a series such as BMJ Rapid
# Recommendations is named with its year ("BMJ 2025") because each year is a separate guideline.
BODY_NAMES = {
    "academy of medical royal colleges": "AoMRC",
    "multisociety working group": "ASRA et al.",
    "national institute for health and care excellence": "NICE",
    "american college of physicians": "ACP",
}
SERIES = ("bmj rapid recommendations",)


def body_label(g: GuidelinePosition) -> str:
    """A guideline body in a few characters: "NICE", "ACP", "BMJ 2025", "NASS"."""
    body = " ".join(g.body.split())
    if any(body.lower().startswith(series) for series in SERIES):
        return f"{body.split()[0]} {g.year}"
    return organisation(body)


def organisation(body: str) -> str:
    """An organisation by the short name a reader knows: "NICE", "NCCIH" (from "… (NCCIH)")."""
    lowered = body.lower()
    for prefix, name in BODY_NAMES.items():
        if lowered.startswith(prefix):
            return name
    acronym = re.search(r"\(([A-Z][A-Za-z]{1,9})\)", body)  # "North American Spine Society (NASS)"
    if acronym:
        return acronym.group(1)
    return body if len(body) <= 24 else short.shorten(body, 24)


def shortest_name(kb: KnowledgeBase, t: Treatment) -> str:
    """The shortest one-word alias that finds this treatment ("rfa", "epidural"), or the id."""
    names = [n for n in (*t.aliases, t.id) if n.replace("-", "").isalnum() and n.isascii()]
    found = [n for n in names if (e := kb.names.get(normalise(n))) is not None and e.id == t.id]
    return min(found, key=len, default=t.id)


def dated(g: GuidelinePosition) -> str:
    label = body_label(g)
    return label if label.endswith(str(g.year)) else f"{label} {g.year}"


def review_line(t: Treatment, command: str) -> str:
    sources = f"{len(t.sources)} source{'s' if len(t.sources) != 1 else ''}"
    return f"Reviewed {t.last_reviewed}; {sources}: {command} --full"


# -- show ---------------------------------------------------------------------------------------


def brief_view(kb: KnowledgeBase, t: Treatment, today: dt.date) -> Document:
    """`show`: the answers to a patient's first questions on one screen."""
    what = short.what_it_is(t)
    verdicts: list[Line] = [Stance(g.stance, f"{dated(g)}: {short.guideline_scope(g)}") for g in t.guidelines] or [
        "No guideline position recorded."
    ]
    conditions = [kb.conditions[c] for c in t.conditions if c in kb.conditions]
    sections = [
        Section("What it is", [what], inline=True),
        Section("Does it help?", [short.helps(t)], inline=True),
        Section("Main risks", list(short.main_risks(t, limit=110)), bullets=True),
        Section("Recovery", [short.recovery(t)], inline=True),
        Section("How sure are we?", [certainty_gauge(t, short.certainty(t))], inline=True),
        Section("What guidelines say", verdicts, bullets=True),
        Section(
            "What if I wait?",
            grouped_waits(conditions, most=1) or ["Not described in the sources used."],
            bullets=True,
        ),
        Section("Questions to ask", [" ".join(short.QUESTIONS)], inline=True),
    ]
    marks, statements = provenance_lines(kb, [t])  # an entry not from the bundled file says whose it is
    footer = [*statements, short.disclaimer_line(kb.about)]
    if stale_note(t, today):
        footer.append("Overdue for review: more than two years old; newer evidence may exist.")
    footer.append(review_line(t, f"backcare show {shortest_name(kb, t)}"))
    return Document(
        title=f"{t.name} ({t.id})",
        # the summary heads the page when "What it is" says something else
        subtitle=t.summary if normalise(what) != normalise(t.summary) else "",
        sections=sections,
        notes=marks,
        footer=footer,
        urgent=short.urgent_symptoms(kb.about),
        compact=True,
    )


def certainty_gauge(t: Treatment, words: str) -> Gauge:
    gauge = evidence_gauge(t)
    label = f"{t.evidence.quality.replace('-', ' ')} certainty" + (f": {words}" if words else "")
    return gauge._replace(label=label)


# -- compare ------------------------------------------------------------------------------------


class References:
    """Sources numbered in the order they are first cited; one source cited twice keeps its number."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.texts: list[str] = []

    def cite(self, source: Source | None) -> str:
        if source is None:
            return ""
        key = source.link or f"{source.by}|{source.title}"
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
            self.texts.append(f"[{self.numbers[key]}] {short_source(source)}")
        return f" [{self.numbers[key]}]"


def short_source(s: Source) -> str:
    """A short citation (IPDAS): who, year, kind of source, and where to find it."""
    by = " ".join(s.by.split()).rstrip(".")
    if s.authors and ("," in by or ";" in by):
        by = re.split(r"[,;]", by)[0] + " et al."
    elif not s.authors:
        by = organisation(by)
    ident = f"doi:{s.doi}" if s.doi else f"PMID {s.pmid}" if s.pmid else s.url
    return f"{short.shorten(by, 60)} {s.year or '(undated)'}, {s.kind.replace('-', ' ')}. {ident}"


def option_grid(kb: KnowledgeBase, treatments: Sequence[Treatment], today: dt.date) -> Grid:
    """`compare`: one column per treatment, one row per question a patient asks (Option Grid)."""
    refs = References()

    def helps(t: Treatment) -> list[Line]:
        effect = next((e for e in t.evidence.effects if not short.is_harm(e)), None)
        cite = refs.cite(t.source(effect.source)) if effect is not None else ""
        if t.in_short.helps:  # the editors' answer already carries the natural frequency, if any
            return [t.in_short.helps + cite]
        if effect is None:
            return [short.helps(t, limit=100)]
        # fallback: the natural frequency answers "does it help?" best
        figure = short.frequency_compact(effect) + cite
        return [figure[:1].upper() + figure[1:]]

    def risks(t: Treatment) -> list[Line]:
        # the editors' main risks first; in a three- or four-way grid only the first, so it fits a page
        most = 2 if len(treatments) < 3 else 1
        chosen = [r for r in t.risks if r.in_short][:most] or list(t.risks[:most])
        return [short.risk_line(r, limit=70) + refs.cite(t.source(r.source) if r.source else None) for r in chosen] or [
            "No risks are described in the sources used."
        ]

    def procedure(t: Treatment) -> list[Line]:
        anaesthesia = short.first_clause(t.procedure.anaesthesia, 40).rstrip(".").lower()
        if anaesthesia in ("none", "no", "not needed"):
            anaesthesia = "no anaesthesia"
        elif "anaesthe" not in anaesthesia and "sedation" not in anaesthesia:
            anaesthesia = f"anaesthesia: {anaesthesia}"
        label = f"{INVASIVENESS_LABELS[t.invasiveness]}; {anaesthesia}"
        return [invasiveness_gauge(t)._replace(label=label)]

    def recovery(t: Treatment) -> list[Line]:
        lo, hi = t.recovery.days_min, t.recovery.days_max
        span = "no time off" if hi == 0 else f"{lo}–{hi} days" if lo != hi else f"{hi} day{'s' if hi != 1 else ''}"
        return [recovery_gauge(t)._replace(label=span)]

    def verdicts(t: Treatment, body: str) -> list[Line]:
        # the verdict in words and the year; the scope is in `show`, the guideline in `--full`
        years: dict[str, list[str]] = {}  # one line per verdict: "± consider (2016, 2017)"
        for g in t.guidelines:
            if body_label(g) == body:
                years.setdefault(g.stance, []).append(str(g.year))
        return [Stance(stance, f"({', '.join(dict.fromkeys(ys))})") for stance, ys in years.items()] or [
            "no position recorded"
        ]

    rows: list[tuple[str, list[list[Line]]]] = [
        ("What it is", [[short.what_it_is(t, limit=80)] for t in treatments]),
        ("Used for", [[used_for(kb, t)] for t in treatments]),
        ("Does it help?", [helps(t) for t in treatments]),
        ("Main risks", [risks(t) for t in treatments]),
        ("Recovery", [recovery(t) for t in treatments]),
        ("Needle, anaesthesia", [procedure(t) for t in treatments]),
        (
            "How sure are we?",
            [[evidence_gauge(t)._replace(label=t.evidence.quality.replace("-", " "))] for t in treatments],
        ),
    ]
    bodies = list(dict.fromkeys(body_label(g) for t in treatments for g in t.guidelines))
    if len(treatments) < 3:  # wide columns: every body's verdict in one row, one line each

        def said(t: Treatment, body: str) -> list[Line]:
            return [
                line._replace(text=body if body.endswith(line.text.strip("()")) else f"{body} {line.text.strip('()')}")
                if isinstance(line, Stance)
                else f"{body}: {line}"
                for line in verdicts(t, body)
            ]

        rows.append(("What guidelines say", [[line for body in bodies for line in said(t, body)] for t in treatments]))
    else:  # narrow columns: a row per body, so the verdicts line up across the options
        rows += [(f"{body} says", [verdicts(t, body) for t in treatments]) for body in bodies]
    marks, statements = provenance_lines(kb, treatments)
    notes = marks + [n for n in (stale_note(t, today) for t in treatments) if n] + time_frame_notes(treatments)
    names = " ".join(shortest_name(kb, t) for t in treatments)
    dates = sorted({t.last_reviewed for t in treatments})
    if marks:  # a clinic's entry beside bundled ones: each file's own interests, side by side
        statements.append(f"Bundled entries: {about_lines(kb)[2]}")
    footer = [
        *statements,
        short.disclaimer_line(kb.about) + " Funding, conflicts: backcare about.",
        f"Reviewed {', '.join(dates)}; all of it: backcare compare {names} --full",
    ]
    return Grid(
        [f"{t.name} ({t.id})" for t in treatments],
        rows,
        notes,
        footer,
        legend=[RECOVERY_LEGEND, INVASIVENESS_LEGEND],
        urgent=short.urgent_symptoms(kb.about),
        shared=(("What if I wait?", wait_lines(kb, treatments, full=False)),),
        references=tuple(refs.texts),
    )


def used_for(kb: KnowledgeBase, t: Treatment) -> str:
    names = [short.without_remarks(kb.conditions[c].name) if c in kb.conditions else c for c in t.conditions]
    return "; ".join(n[:1].lower() + n[1:] if i else n for i, n in enumerate(names))


# -- conditions ---------------------------------------------------------------------------------


def condition_view(kb: KnowledgeBase, c: Condition) -> Document:
    """`conditions NAME`: what it is, what usually happens without treatment, urgent symptoms, treatments.

    Treatments are grouped by category, each with the certainty of its evidence, so even a
    condition with thirty treatments fits one screen. Certainty is about the evidence, not about
    whether a treatment helps (paracetamol's "high" is high certainty that it does not), and the
    heading says so.
    """
    treatments = sorted((e.treatment for e in kb.entries_for_condition(c.id)), key=_certainty)
    by_category: dict[str, list[Treatment]] = {}
    for t in treatments:
        by_category.setdefault(t.category, []).append(t)
    rows: list[Line] = [
        f"{category}: " + ", ".join(f"{t.id} ({t.evidence.quality})" for t in group)
        for category, group in sorted(by_category.items())
    ] or ["No treatments in this knowledge base."]
    sections = [
        Section("What it is", [c.description], inline=True),
        Section("What usually happens without treatment", [c.in_short or short.opening(c.natural_course, 600)]),
        Section("Treatments, by kind, with how certain the evidence about each is", rows, bullets=True),
    ]
    ids = " ".join(t.id for t in treatments[:3])
    footer = [short.disclaimer_line(kb.about)]
    if ids:
        footer.append(f"Does it help? backcare show ID. Side by side: backcare compare {ids}")
    return Document(
        title=f"{c.name} ({c.id})",
        subtitle=_also_called(c.aliases),
        sections=sections,
        notes=[],
        footer=footer,
        urgent=short.urgent_symptoms(kb.about),
        compact=True,
    )


def _also_called(aliases: Sequence[str], room: int = 70) -> str:
    """Other names, as many as fit about one line; the rest are counted, not listed."""
    shown: list[str] = []
    for alias in aliases:
        if shown and len(", ".join([*shown, alias])) > room:
            break
        shown.append(alias)
    more = len(aliases) - len(shown)
    return ("Also called: " + ", ".join(shown) + (f" and {more} more" if more else "")) if aliases else ""


def _certainty(t: Treatment) -> tuple[int, str]:
    return EVIDENCE_LEVELS.index(t.evidence.quality), t.name.lower()
