"""Rich output for terminals: tables, sectioned documents, the comparison grid.

Only literal strings written here carry styles; every string from the knowledge base (or argv)
enters Rich as `Text`, so `[bold]` or a stray `[/]` in an entry prints as written.
"""

from __future__ import annotations

from typing import IO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from backcare.render.glyphs import gauge_marks
from backcare.render.text import clean
from backcare.views import STANCE_SYMBOLS, Document, Gauge, Grid, Line, Stance, TableView

STANCE_STYLES = {
    "recommend": "bold green",
    "consider": "yellow",
    "against": "bold red",
    "research-only": "magenta",
    "no-position": "dim",
}
MIN_COLUMN = 24  # below this per option, compare stacks instead of squeezing


def make_console(file: IO[str] | None, color: str, width: int | None = None) -> Console:
    """A console for this invocation only, so NO_COLOR/FORCE_COLOR/--color take effect."""
    if color == "always":
        return Console(file=file, force_terminal=True, width=width, highlight=False, emoji=False)
    if color == "never":
        return Console(file=file, no_color=True, color_system=None, width=width, highlight=False, emoji=False)
    return Console(file=file, width=width, highlight=False, emoji=False)


class RichRenderer:
    def __init__(self, console: Console, charset: str) -> None:
        self.console = console
        self.charset = charset
        self.ascii_only = charset == "ascii"

    def text(self, value: str, style: str = "") -> Text:
        return Text(clean(value, ascii_only=self.ascii_only), style=style)

    def line(self, line: Line) -> Text:
        if isinstance(line, Gauge):
            level = line.value / line.maximum if line.maximum else 0
            colour = "green" if level <= 0.34 else "yellow" if level <= 0.67 else "red"
            if line.style == "dots":  # more dots = more certain evidence
                colour = "green" if level >= 0.75 else "yellow" if level >= 0.5 else "red"
            out = Text(gauge_marks(line, self.charset), style=colour)
            out.append(" ")
            out.append_text(self.text(line.label))
            return out
        if isinstance(line, Stance):
            out = Text(STANCE_SYMBOLS[self.charset][line.stance], style=STANCE_STYLES[line.stance])
            out.append(" ")
            out.append_text(self.text(line.text))
            return out
        return self.text(line)

    def print(self, renderable: RenderableType) -> None:
        self.console.print(renderable)

    def table(self, view: TableView) -> None:
        table = Table(box=box.SIMPLE_HEAD, show_lines=False, title=view.title or None, expand=False)
        for column in view.columns:
            table.add_column(column, overflow="fold")
        for r, row in enumerate(view.rows):
            cells = []
            for c, value in enumerate(row):
                cell = self.text(value)
                for start, end in view.highlights.get((r, c), ()):
                    cell.stylize("bold reverse", start, end)
                cells.append(cell)
            table.add_row(*cells)
        self.print(table)
        for line in view.footer:
            self.print(self.text(line, "dim"))

    def document(self, doc: Document) -> None:
        parts: list[RenderableType] = [self.text(doc.title, "bold")]
        if doc.subtitle:
            parts.append(self.text(doc.subtitle, "italic"))
        for note in doc.notes:
            parts.append(self.text(note, "bold yellow"))
        for section in doc.sections:
            parts.append(Text(""))
            parts.append(self.text(section.title, "bold cyan"))
            for line in section.lines:
                rendered = self.line(line)
                if section.bullets:
                    rendered = Text("- " if self.ascii_only else "• ").append_text(rendered)
                parts.append(Padding(rendered, (0, 0, 0, 2)))
        if doc.footer:
            parts.append(Text(""))
            parts += [self.text(line, "dim") for line in doc.footer]
        self.print(Group(*parts))

    def grid(self, grid: Grid) -> None:
        for note in grid.notes:
            self.print(self.text(note, "bold yellow"))
        label_width = 18
        if self.console.width - label_width < MIN_COLUMN * len(grid.columns):
            self._stacked(grid)
        else:
            table = Table(box=box.ROUNDED if not self.ascii_only else box.ASCII, show_lines=True, expand=True)
            table.add_column("", style="bold", width=label_width, overflow="fold")
            for column in grid.columns:
                table.add_column(self.text(column), overflow="fold", ratio=1)
            for label, cells in grid.rows:
                table.add_row(
                    self.text(label, "bold"),
                    *(Text("\n").join(self.line(line) for line in cell) for cell in cells),
                )
            self.print(table)
        for line in grid.legend:
            self.print(self.text(line, "dim"))
        for line in grid.footer:
            self.print(self.text(line, "dim"))

    def _stacked(self, grid: Grid) -> None:
        """For terminals too narrow for side-by-side columns: nothing is cut, only re-arranged."""
        names = [self.text(c, "bold") for c in grid.columns]
        for label, cells in grid.rows:
            self.print(Rule(self.text(label), style="cyan", characters="-" if self.ascii_only else "─"))
            for name, cell in zip(names, cells, strict=True):
                self.print(name)
                for line in cell:
                    self.print(Padding(self.line(line), (0, 0, 0, 2)))
