"""Self-contained HTML handouts (decision 005): Jinja2 templates with autoescaping, inline CSS,
no scripts, nothing fetched. jinja2 is imported here alone, so only `--format html` and
`backcare site` pay for it.

Views become plain dictionaries the templates draw; every string from the knowledge base reaches
the page escaped. Links are built here, never taken from markup: only in a list of references, only
DOIs, PMIDs and http(s) addresses, and citations ("[1]") point to their entry in that list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from backcare.render import Renderer
from backcare.render.glyphs import STANCE_SYMBOLS, gauge_marks, inline_label, stance_legend, stance_tail, uses_stances
from backcare.render.links import Part, linked
from backcare.render.text import clean
from backcare.views import STANCE_WORDS, Document, Gauge, Grid, IconArray, Line, Stance, TableView

PAPER = {"a4": "A4", "letter": "letter"}
CITATION = re.compile(r"\[([^\[\]\s]{1,60})\]")


@cache
def environment() -> jinja2.Environment:
    """The templates as compiled ahead of time (render/compiled_templates/, decision 005), so no
    template is parsed or compiled at run time. Compiled code belongs to the Jinja2 release that
    wrote it: under any other release the sources are compiled instead, the same pages but slower."""
    from backcare.render import compiled_templates  # here, so the compiler runs without it

    if jinja2.__version__ != compiled_templates.JINJA2_VERSION:
        return source_environment()
    return _environment(jinja2.ModuleLoader(compiled_templates.__path__))


def source_environment() -> jinja2.Environment:
    """The templates read and compiled from their source (templates/*.html)."""
    return _environment(jinja2.PackageLoader("backcare", "templates"))


def _environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    """The one set of options: code compiled ahead of time is only valid with the options it was compiled with."""
    return jinja2.Environment(
        loader=loader,
        autoescape=True,  # every template, whatever its name (decision 005)
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def cited(text: str, numbers: dict[str, int]) -> list[Part]:
    """Text whose citations ("[key]" or "[2]") of known references link to them, by number."""
    parts: list[Part] = []
    at = 0
    for m in CITATION.finditer(text):
        number = numbers.get(m.group(1))
        if number is None:
            continue
        parts += [(text[at : m.start()], ""), (f"[{number}]", f"#ref-{number}")]
        at = m.end()
    parts.append((text[at:], ""))
    return [p for p in parts if p[0]]


def icon_dots(count: int) -> Markup:
    """The circles of one 10 x 10 icon array, drawn from an integer alone (the one `|safe`)."""
    count = max(0, min(100, count))
    circles = []
    for i in range(100):
        x, y = 5 + 10 * (i % 10), 5 + 10 * (i // 10)
        fill = "#000" if i < count else "#fff"
        circles.append(f'<circle cx="{x}" cy="{y}" r="3.6" fill="{fill}" stroke="#000" stroke-width="1"/>')
    return Markup("".join(circles))  # noqa: S704 - integers and constants only, no data


def numbered(texts: Iterable[str]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """References numbered once, in order, and the number of each citation key ("[key] …")."""
    references: list[dict[str, Any]] = []
    numbers: dict[str, int] = {}
    for text in texts:
        key = CITATION.match(text)
        number = len(references) + 1
        if key:
            numbers[key.group(1)] = number
            text = text[key.end() :].strip()
        references.append({"number": number, "parts": linked(clean(text))})
    return references, numbers


class Html(Renderer[str]):
    def __init__(self, paper: str = "a4", cite: str = "", notice: str = "", title: str = "") -> None:
        self.paper = PAPER.get(paper, "A4")
        self.cite = cite
        self.notice = clean(notice or "backcare is a reference, not medical advice.")  # on pages without a footer
        self.title = title

    # -- lines ------------------------------------------------------------------------------

    def line(self, line: Line, numbers: dict[str, int]) -> dict[str, Any]:
        if isinstance(line, Gauge):
            return {"kind": "gauge", "marks": gauge_marks(line, "unicode"), "label": clean(line.label)}
        if isinstance(line, Stance):
            return {
                "kind": "stance",
                "symbol": STANCE_SYMBOLS["unicode"][line.stance],
                "word": STANCE_WORDS[line.stance],
                "parts": cited(clean(stance_tail(line.text)), numbers),
            }
        if isinstance(line, IconArray):
            arrays = [(line.treated_label, line.treated), (line.comparator_label, line.comparator)]
            return {
                "kind": "icons",
                "arrays": [
                    {"label": clean(label), "dots": icon_dots(count), "count": max(0, min(100, count))}
                    for label, count in arrays
                ],
            }
        return {"kind": "text", "parts": cited(clean(line), numbers)}

    def lines(self, lines: Iterable[Line], numbers: dict[str, int]) -> list[dict[str, Any]]:
        return [self.line(x, numbers) for x in lines]

    def page(self, template: str, **context: Any) -> str:
        context.setdefault("paper", self.paper)
        context.setdefault("cite", self.cite)
        context.setdefault("notice", self.notice)
        return environment().get_template(template).render(**context)

    # -- the three views --------------------------------------------------------------------

    def document_context(self, doc: Document) -> dict[str, Any]:
        """A document's parts; its "Sources" section becomes the numbered references under it."""
        sources = [t for s in doc.sections if s.title == "Sources" for t in s.lines if isinstance(t, str)]
        references, numbers = numbered(sources)
        sections = []
        for section in doc.sections:
            if section.title == "Sources":
                continue
            lines = list(section.lines)
            label = ""
            if section.inline and lines:
                label = inline_label(section.title).strip()
            sections.append(
                {
                    "title": clean(section.title),
                    "label": clean(label),
                    "bullets": section.bullets,
                    "lines": self.lines(lines, numbers),
                }
            )
        stances = uses_stances(x for s in doc.sections for x in s.lines)
        return {
            "title": clean(doc.title),
            "subtitle": clean(doc.subtitle),
            "urgent": clean(doc.urgent),
            "notes": [clean(n) for n in doc.notes],
            "sections": sections,
            "legend": [clean(x) for x in (*((stance_legend("unicode"),) if stances else ()), *doc.legend)],
            "references": references,
            "footer": [clean(f) for f in doc.footer],
            "compact": doc.compact,
        }

    def document(self, doc: Document) -> str:
        context = self.document_context(doc)
        return self.page("document.html", doc=context, page_title=context["title"])

    def grid_context(self, grid: Grid) -> dict[str, Any]:
        references, numbers = numbered(grid.references)
        return {
            "columns": [clean(c) for c in grid.columns],
            "rows": [
                {"label": clean(label), "cells": [self.lines(cell, numbers) for cell in cells]}
                for label, cells in grid.rows
            ],
            "shared": [{"label": clean(label), "lines": self.lines(lines, numbers)} for label, lines in grid.shared],
            "urgent": clean(grid.urgent),
            "notes": [clean(n) for n in grid.notes],
            "legend": [clean(x) for x in (stance_legend("unicode"), *grid.legend)],
            "references": references,
            "footer": [clean(f) for f in grid.footer],
            "wide": len(grid.columns) > 2,
        }

    def grid(self, grid: Grid) -> str:
        context = self.grid_context(grid)
        title = "Your options side by side: " + ", ".join(_short_names(grid.columns))
        return self.page("grid.html", grid=context, page_title=clean(title))

    def table(self, view: TableView) -> str:
        columns = [clean(c) for c in view.columns]
        context = {
            "columns": columns,
            "rows": [[clean(cell) for cell in row] for row in view.rows],
            "footer": [clean(f) for f in view.footer],
        }
        title = self.title or "backcare: " + ", ".join(columns)
        return self.page("table.html", table=context, page_title=title)


def _short_names(columns: Sequence[str]) -> list[str]:
    """ "Acupuncture (acupuncture)" -> "Acupuncture": the page title names the options."""
    return [re.sub(r"\s*\([^()]*\)$", "", c) or c for c in columns]
