"""Plain text for pipes and scripts: tab-separated rows, sections without box drawing."""

from __future__ import annotations

from backcare.render import Renderer
from backcare.render.glyphs import line_text, stance_legend
from backcare.render.text import clean, one_line
from backcare.views import Document, Grid, TableView


class Plain(Renderer[str]):
    def __init__(self, charset: str) -> None:
        self.charset = charset
        self.ascii_only = charset == "ascii"

    def _c(self, text: str) -> str:
        return clean(text, ascii_only=self.ascii_only)

    def table(self, view: TableView) -> str:
        """One tab-separated line per row, no header: ready for cut, grep and awk."""
        rows = ["\t".join(self._c(one_line(cell)) for cell in row) for row in view.rows]
        return "\n".join(rows + [self._c(f) for f in view.footer]) + "\n"

    def document(self, doc: Document) -> str:
        out = [self._c(doc.title)]
        if doc.subtitle:
            out.append(self._c(doc.subtitle))
        out += [self._c(n) for n in doc.notes]
        for section in doc.sections:
            out.append("")
            out.append(self._c(section.title.upper()))
            for line in section.lines:
                text = self._c(line_text(line, self.charset))
                out.append(("  - " if section.bullets else "  ") + text)
        if doc.footer:
            out.append("")
            out += [self._c(f) for f in doc.footer]
        return "\n".join(out) + "\n"

    def grid(self, grid: Grid) -> str:
        """Stacked: one block per question, one labelled line per option."""
        out: list[str] = [self._c(n) for n in grid.notes]
        names = [self._c(c) for c in grid.columns]
        out.append("Comparing: " + " | ".join(names))
        for label, cells in grid.rows:
            out.append("")
            out.append(self._c(label.upper()))
            for name, cell in zip(names, cells, strict=True):
                out.append(f"  {name}:")
                out += ["    " + self._c(line_text(line, self.charset)) for line in cell]
        out.append("")
        out += [self._c(line) for line in [stance_legend(self.charset), *grid.legend, *grid.footer]]
        return "\n".join(out) + "\n"
