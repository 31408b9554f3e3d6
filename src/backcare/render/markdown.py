"""Markdown, for pasting into notes. Data is escaped so it cannot become markup or HTML."""

from __future__ import annotations

import re

from backcare.render import Renderer
from backcare.render.glyphs import icon_rows, inline_label, line_text, stance_legend, uses_stances
from backcare.render.links import linked
from backcare.render.text import clean, one_line
from backcare.views import Document, Grid, IconArray, TableView
from backcare.views import Line as ViewLine

SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


def md(text: str, ascii_only: bool = False) -> str:
    return SPECIAL.sub(r"\\\1", clean(one_line(text), ascii_only=ascii_only))


class Markdown(Renderer[str]):
    def __init__(self, charset: str) -> None:
        self.charset = charset
        self.ascii_only = charset == "ascii"

    def _m(self, text: str) -> str:
        return md(text, self.ascii_only)

    def _reference(self, text: str) -> str:
        """A reference with its DOI, PMID or address as a Markdown link (http(s) targets only)."""
        out = []
        for part, href in linked(clean(one_line(text), ascii_only=self.ascii_only)):
            target = href.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
            escaped = SPECIAL.sub(r"\\\1", part)  # already one clean line: keep its spaces
            out.append(f"[{escaped}](<{target}>)" if href and ">" not in href else escaped)
        return "".join(out)

    def _line(self, line: ViewLine) -> str:
        if isinstance(line, IconArray):  # a picture as preformatted text (glyphs only, no data)
            return "\n```text\n" + "\n".join(icon_rows(line, self.charset, 80)) + "\n```\n"
        return self._m(line_text(line, self.charset))

    def table(self, view: TableView) -> str:
        out = []
        out.append("| " + " | ".join(self._m(c) for c in view.columns) + " |")
        out.append("|" + "---|" * len(view.columns))
        for row in view.rows:
            out.append("| " + " | ".join(self._m(cell) for cell in row) + " |")
        out += ["", *(self._m(f) for f in view.footer)]
        return "\n".join(out).rstrip() + "\n"

    def document(self, doc: Document) -> str:
        out = [f"# {self._m(doc.title)}", ""]
        if doc.urgent:
            out += [f"**{self._m(doc.urgent)}**", ""]
        if doc.subtitle:
            out += [f"*{self._m(doc.subtitle)}*", ""]
        out += [f"> {self._m(n)}\n" for n in doc.notes]
        for section in doc.sections:
            lines = section.lines
            if section.inline and lines:
                out += [f"**{self._m(inline_label(section.title).strip())}** {self._line(lines[0])}", ""]
                lines = lines[1:]
                if not lines:
                    continue
            else:
                out += [f"## {self._m(section.title)}", ""]
            for line in lines:
                text = self._line(line)
                out.append(f"- {text}" if section.bullets and not isinstance(line, IconArray) else f"{text}\n")
            out.append("")
        if uses_stances(x for s in doc.sections for x in s.lines):
            out.append(f"{self._m(stance_legend(self.charset))}\n")
        out += [f"{self._m(f)}\n" for f in doc.legend]
        out += [f"*{self._m(f)}*\n" for f in doc.footer]
        return "\n".join(out).rstrip() + "\n"

    def grid(self, grid: Grid) -> str:
        out = [f"**{self._m(grid.urgent)}**\n"] if grid.urgent else []
        out += [f"> {self._m(n)}\n" for n in grid.notes]
        out.append("| question | " + " | ".join(self._m(c) for c in grid.columns) + " |")
        out.append("|" + "---|" * (len(grid.columns) + 1))
        for label, cells in grid.rows:
            rendered = ["<br>".join(self._m(line_text(line, self.charset)) for line in cell) for cell in cells]
            out.append(f"| **{self._m(label)}** | " + " | ".join(rendered) + " |")
        out.append("")
        for label, shared in grid.shared:
            out.append(f"**{self._m(label)}** " + " ".join(self._m(line_text(line, self.charset)) for line in shared))
            out.append("")
        out += [f"{self._m(line)}\n" for line in (stance_legend(self.charset), *grid.legend)]
        if grid.references:
            out += ["References:\n", *(f"{self._reference(r)}\n" for r in grid.references)]
        out += [f"{self._m(line)}\n" for line in grid.footer]
        return "\n".join(out).rstrip() + "\n"
