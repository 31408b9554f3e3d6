"""Plain text for pipes and scripts: tab-separated rows, sections without box drawing."""

from __future__ import annotations

from backcare.render import Renderer
from backcare.render.glyphs import icon_rows, inline_label, line_text, stance_legend, uses_stances
from backcare.render.text import clean, one_line
from backcare.views import Document, Grid, IconArray, TableView
from backcare.views import Line as ViewLine


class Plain(Renderer[str]):
    def __init__(self, charset: str) -> None:
        self.charset = charset
        self.ascii_only = charset == "ascii"

    def _c(self, text: str) -> str:
        return clean(text, ascii_only=self.ascii_only)

    def _lines(self, line: ViewLine, indent: str, bullet: str = "") -> list[str]:
        if isinstance(line, IconArray):  # a picture keeps its rows; its text equivalent is the line before
            return [indent + " " * len(bullet) + row for row in icon_rows(line, self.charset, 80)]
        return [indent + bullet + self._c(line_text(line, self.charset))]

    def table(self, view: TableView) -> str:
        """One tab-separated line per row, no header: ready for cut, grep and awk."""
        rows = ["\t".join(self._c(one_line(cell)) for cell in row) for row in view.rows]
        return "\n".join(rows + [self._c(f) for f in view.footer]) + "\n"

    def document(self, doc: Document) -> str:
        out = [self._c(doc.title)]
        out += [self._c(text) for text in (doc.urgent, doc.subtitle) if text]
        out += [self._c(n) for n in doc.notes]
        for section in doc.sections:
            if not doc.compact or section is doc.sections[0]:
                out.append("")
            lines = section.lines
            if section.inline and lines:
                out.append(self._c(inline_label(section.title) + line_text(lines[0], self.charset)))
                lines = lines[1:]
            else:
                out.append(self._c(section.title + ":" if doc.compact else section.title.upper()))
            for line in lines:
                out += self._lines(line, "  ", "- " if section.bullets else "")
        legend = [stance_legend(self.charset)] if uses_stances(x for s in doc.sections for x in s.lines) else []
        tail = [*legend, *doc.legend, *doc.footer]
        if tail:
            out.append("")
            out += [self._c(f) for f in tail]
        return "\n".join(out) + "\n"

    def grid(self, grid: Grid) -> str:
        """Stacked: one block per question, one labelled line per option."""
        out: list[str] = [self._c(text) for text in (grid.urgent, *grid.notes) if text]
        names = [self._c(c) for c in grid.columns]
        out.append("Comparing: " + " | ".join(names))
        for label, cells in grid.rows:
            out.append("")
            out.append(self._c(label.upper()))
            for name, cell in zip(names, cells, strict=True):
                out.append(f"  {name}:")
                for line in cell:
                    out += self._lines(line, "    ")
        for label, shared in grid.shared:
            out += ["", self._c(label.upper())]
            for line in shared:
                out += self._lines(line, "  ")
        out.append("")
        out += [self._c(line) for line in [stance_legend(self.charset), *grid.legend, *grid.references, *grid.footer]]
        return "\n".join(out) + "\n"
