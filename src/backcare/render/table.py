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
from backcare.render.glyphs import BULLET, RULE, STANCE_SYMBOLS, gauge_marks, stance_legend
from backcare.render.layout import Cell, Line, Span, boxed_grid, simple_table, wrap
from backcare.render.text import clean
from backcare.views import Document, Gauge, Grid, Stance, TableView
from backcare.views import Line as ViewLine

STANCE_STYLES = {
    "recommend": "bold green",
    "consider": "yellow",
    "against": "bold red",
    "research-only": "magenta",
    "no-position": "dim",
}
COLOR_SYSTEMS = {
    "standard": ColorSystem.STANDARD,
    "256": ColorSystem.EIGHT_BIT,
    "truecolor": ColorSystem.TRUECOLOR,
    "windows": ColorSystem.WINDOWS,
}
MIN_COLUMN = 24  # below this per option, compare stacks instead of squeezing
LABEL_WIDTH = 18


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
        """A view line as a cell: data cleaned, bars and stance symbols styled."""
        if isinstance(line, Gauge):
            marks = gauge_marks(line, self.charset)
            level = line.value / line.maximum if line.maximum else 0
            colour = "green" if level <= 0.34 else "yellow" if level <= 0.67 else "red"
            if line.style == "dots":  # more dots = more certain evidence
                colour = "green" if level >= 0.75 else "yellow" if level >= 0.5 else "red"
            return Cell(f"{marks} {self._clean(line.label)}", style, 0, len(marks), colour)
        if isinstance(line, Stance):
            symbol = STANCE_SYMBOLS[self.charset][line.stance]
            return Cell(f"{symbol} {self._clean(line.text)}", style, 0, len(symbol), STANCE_STYLES[line.stance])
        return Cell(self._clean(line), style)

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

    def document(self, doc: Document) -> None:
        body = self.width - 2
        lines: list[Line] = []
        lines += wrap(Cell(self._clean(doc.title), "bold"), self.width)
        if doc.subtitle:
            lines += wrap(Cell(self._clean(doc.subtitle), "italic"), self.width)
        for note in doc.notes:
            lines += wrap(Cell(self._clean(note), "bold yellow"), self.width)
        for section in doc.sections:
            lines.append([])
            lines += wrap(Cell(self._clean(section.title), "bold cyan"), self.width)
            for item in section.lines:
                cell = self.cell(item).after(self.bullet) if section.bullets else self.cell(item)
                lines += [[Span("  "), *line] for line in wrap(cell, body)]
        if doc.footer:
            lines.append([])
            for text in doc.footer:
                lines += wrap(Cell(self._clean(text), "dim"), self.width)
        self.write(lines)

    def grid(self, grid: Grid) -> None:
        lines: list[Line] = []
        for note in grid.notes:
            lines += wrap(Cell(self._clean(note), "bold yellow"), self.width)
        columns = len(grid.columns)
        option_width = (self.width - LABEL_WIDTH - 3 * (columns + 1) - 1) // columns
        if option_width < MIN_COLUMN:
            lines += self._stacked(grid)
        else:
            rows = [
                (Cell(self._clean(label), "bold"), [self._cell_lines(cell) for cell in cells])
                for label, cells in grid.rows
            ]
            header = [Cell(self._clean(c), "bold") for c in grid.columns]
            lines += boxed_grid(header, rows, LABEL_WIDTH, option_width, self.charset)
        for text in [stance_legend(self.charset), *grid.legend, *grid.footer]:
            lines += wrap(Cell(self._clean(text), "dim"), self.width)
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
        for label, cells in grid.rows:
            title = f"{rule * 2} {self._clean(label)} "
            if len(title) < self.width:
                lines.append([Span(title, "bold cyan"), Span(rule * (self.width - len(title)), "cyan")])
            else:
                lines += wrap(Cell(self._clean(label), "bold cyan"), self.width)
            for name, cell in zip(grid.columns, cells, strict=True):
                lines += wrap(Cell(self._clean(name), "bold"), self.width)
                for item in self._cell_lines(cell):
                    lines += [[Span("  "), *line] for line in wrap(item, self.width - 2)]
        return lines
