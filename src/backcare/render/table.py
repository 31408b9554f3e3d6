"""Terminal output: tables, sectioned documents and the comparison grid.

Rich decides everything about the terminal (is it one, colour or not, NO_COLOR, FORCE_COLOR,
width) and renders the styles; layout.py wraps and frames the text (decision record 004).
Only style names written here carry styling; knowledge-base text is never parsed as markup,
and control characters in it are made visible (text.clean) before it reaches the terminal.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import IO

from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style

from backcare.render import Renderer
from backcare.render.glyphs import (
    BULLET,
    RULE,
    gauge_marks,
    icon_rows,
    inline_label,
    stance_legend,
    stance_tail,
    uses_stances,
    verdict,
)
from backcare.render.layout import Cell, Line, Span, simple_table, wrap
from backcare.render.optiongrid import MIN_OPTION, option_grid, option_width
from backcare.render.text import clean
from backcare.views import Document, Gauge, Grid, IconArray, Stance, TableView
from backcare.views import Line as ViewLine

STANCE_STYLES = {
    "recommend": "bold green",
    "consider": "yellow",
    "against": "bold red",
    "research-only": "magenta",
    "no-position": "italic",
}
COLOR_SYSTEMS = {
    "standard": ColorSystem.STANDARD,
    "256": ColorSystem.EIGHT_BIT,
    "truecolor": ColorSystem.TRUECOLOR,
    "windows": ColorSystem.WINDOWS,
}
URGENT = "bold red"  # safety text: strong, and never faint (no "dim" anywhere near it)
HEADING = "bold cyan"
LEGEND = "dim"


def make_console(file: IO[str] | None, color: str, width: int | None = None) -> Console:
    """A console for this invocation only, so NO_COLOR/FORCE_COLOR/--color take effect."""
    if color == "always":  # an explicit request wins over NO_COLOR (no-color.org) and TERM=dumb
        dumb = (os.environ.get("TERM") or "").lower() in ("dumb", "unknown")
        return Console(
            file=file,
            force_terminal=True,
            no_color=False,
            color_system="standard" if dumb else "auto",
            width=width,
            highlight=False,
            emoji=False,
        )
    if color == "never":
        return Console(file=file, no_color=True, color_system=None, width=width, highlight=False, emoji=False)
    return Console(file=file, width=width, highlight=False, emoji=False)


class RichRenderer(Renderer[None]):
    def __init__(self, console: Console, charset: str) -> None:
        self.console = console
        self.charset = charset
        self.ascii_only = charset == "ascii"
        self.bullet = BULLET[charset]
        self.rule = RULE[charset]
        self.width = console.width
        self._styles: dict[str, Style] = {}

    # -- output -----------------------------------------------------------------------------

    def _paint(self, span: Span) -> str:
        system = COLOR_SYSTEMS.get(self.console.color_system or "")
        if not span.style or system is None:
            return span.text
        style = self._styles.get(span.style)
        if style is None:
            style = Style.parse(span.style)
            if self.console.no_color:
                style = style.without_color
            self._styles[span.style] = style
        return style.render(span.text, color_system=system)

    def write(self, lines: Iterable[Line]) -> None:
        text = "\n".join("".join(self._paint(s) for s in line).rstrip() for line in lines)
        self.console.file.write(text + "\n")
        self.console.file.flush()

    # -- cells ------------------------------------------------------------------------------

    def cell(self, line: ViewLine, style: str = "") -> Cell:
        """A view line as a cell: data cleaned, bars and verdict symbols (with their words) styled."""
        if isinstance(line, Gauge):
            marks = gauge_marks(line, self.charset)
            level = line.value / line.maximum if line.maximum else 0
            colour = "green" if level <= 0.34 else "yellow" if level <= 0.67 else "red"
            if line.style == "dots":  # more dots = more certain evidence
                colour = "green" if level >= 0.75 else "yellow" if level >= 0.5 else "red"
            return Cell(f"{marks} {self._clean(line.label)}", style, 0, len(marks), colour)
        if isinstance(line, Stance):
            word = verdict(line.stance, self.charset)
            text = self._clean(word + stance_tail(line.text))
            return Cell(text, style, 0, len(word), STANCE_STYLES[line.stance])
        if isinstance(line, IconArray):
            return Cell(" ".join(icon_rows(line, self.charset, 80)), style)
        return Cell(self._clean(line), style)

    def items(self, line: ViewLine, width: int, lead: str = "") -> list[Line]:
        """A view line wrapped to `width`; an icon array is drawn row by row, never wrapped."""
        if isinstance(line, IconArray):
            return [[Span(" " * len(lead) + row)] for row in icon_rows(line, self.charset, width - len(lead))]
        cell = self.cell(line)
        return wrap(cell.after(lead) if lead else cell, width)

    def _clean(self, text: str) -> str:
        return clean(text, ascii_only=self.ascii_only)

    # -- views ------------------------------------------------------------------------------

    def table(self, view: TableView) -> None:
        rows = []
        for r, row in enumerate(view.rows):
            marks = view.highlights
            rows.append(
                [
                    [Cell(self._clean(part), marks=marks.get((r, c), ())) for part in value.split("\n")]
                    for c, value in enumerate(row)
                ]
            )
        ellipsis = "..." if self.ascii_only else "…"
        lines = simple_table(view.columns, rows, self.width, self.rule, clip=view.clip, ellipsis=ellipsis)
        lines += [[Span(self._clean(line), "dim")] for line in view.footer]
        self.write(lines)

    def _text(self, text: str, style: str = "") -> list[Line]:
        return wrap(Cell(self._clean(text), style), self.width)

    def document(self, doc: Document) -> None:
        body = self.width - 2
        lines: list[Line] = self._text(doc.title, "bold")
        if doc.urgent:
            lines += self._text(doc.urgent, URGENT)
        if doc.subtitle:
            lines += self._text(doc.subtitle, "italic")
        for note in doc.notes:
            lines += self._text(note, "bold yellow")
        for section in doc.sections:
            if not doc.compact or section is doc.sections[0]:
                lines.append([])
            if section.inline and section.lines:
                lines += self._inline(section.title, section.lines[0])
                rest = section.lines[1:]
            else:
                lines += self._text(section.title, HEADING)
                rest = section.lines
            for item in rest:
                lines += [
                    [Span("  "), *line] for line in self.items(item, body, self.bullet if section.bullets else "")
                ]
        legend = [stance_legend(self.charset)] if uses_stances(x for s in doc.sections for x in s.lines) else []
        if legend or doc.legend or doc.footer:
            lines.append([])
        for text in [*legend, *doc.legend]:
            lines += self._text(text, LEGEND)
        for text in doc.footer:  # the disclaimer and review notes: normal weight, never faint
            lines += self._text(text)
        self.write(lines)

    def _inline(self, title: str, line: ViewLine) -> list[Line]:
        """ "Title: text" with the title as a heading, continuation lines indented by two."""
        label = inline_label(title)
        cell = self.cell(line)
        cell = cell._replace(text=label + cell.text, lead=cell.lead + len(label))
        wrapped = wrap(cell, self.width, indent="  ")
        return [_restyle_start(wrapped[0], len(label), HEADING), *wrapped[1:]]

    def grid(self, grid: Grid) -> None:
        lines: list[Line] = []
        if grid.urgent:
            lines += self._text(grid.urgent, URGENT)
        for note in grid.notes:
            lines += self._text(note, "bold yellow")
        if option_width(len(grid.columns), self.width) < MIN_OPTION:
            lines += self._stacked(grid)
        else:
            header = [[Cell(self._clean(c), "bold")] for c in grid.columns]
            rows = [
                (Cell(self._clean(label), "bold"), [self._cell_lines(cell) for cell in cells])
                for label, cells in grid.rows
            ]
            shared = [(Cell(self._clean(label), "bold"), self._cell_lines(list(cell))) for label, cell in grid.shared]
            lines += option_grid(header, rows, shared, self.width, self.charset)
        for text in [stance_legend(self.charset), *grid.legend]:
            lines += self._text(text, LEGEND)
        for text in [*grid.references, *grid.footer]:
            lines += self._text(text)
        self.write(lines)

    def _cell_lines(self, cell: list[ViewLine]) -> list[Cell]:
        if len(cell) < 2:
            return [self.cell(line) for line in cell]
        # several items in one cell: mark each so they read as a list
        return [self.cell(line).after(self.bullet) for line in cell]

    def _stacked(self, grid: Grid) -> list[Line]:
        """For terminals too narrow for side-by-side columns: nothing is cut, only re-arranged."""
        rule = self.rule
        lines: list[Line] = []
        named = [(label, list(zip(grid.columns, cells, strict=True))) for label, cells in grid.rows]
        named += [(label, [("", list(cell))]) for label, cell in grid.shared]
        for label, options in named:
            title = f"{rule * 2} {self._clean(label)} "
            if len(title) < self.width:
                lines.append([Span(title, HEADING), Span(rule * (self.width - len(title)), "cyan")])
            else:
                lines += self._text(label, HEADING)
            for name, cell in options:
                if name:
                    lines += self._text(name, "bold")
                for item in self._cell_lines(cell):
                    lines += [[Span("  "), *line] for line in wrap(item, self.width - 2)]
        return lines


def _restyle_start(line: Line, length: int, style: str) -> Line:
    """The line with its first `length` characters in `style` (the rest keeps its own)."""
    out: Line = []
    left = length
    for span in line:
        if left <= 0:
            out.append(span)
        elif len(span.text) <= left:
            out.append(Span(span.text, style))
            left -= len(span.text)
        else:
            out += [Span(span.text[:left], style), Span(span.text[left:], span.style)]
            left = 0
    return out
