"""The option grid in text: one column per option, each row's question written into the rule
above it, and rows that hold one answer for every option spanning the whole width. Pure Python.

Putting the question in the rule, rather than in a label column, gives each option the whole
width: a four-way grid keeps about 21 characters per column at 100 columns instead of 16.
"""

from __future__ import annotations

from collections.abc import Sequence

from backcare.render.glyphs import BOXES
from backcare.render.layout import Cell, Line, Span, pad_line, width_of, wrap

MIN_OPTION = 16  # narrower than this per option, the renderer stacks the options instead


def option_width(columns: int, width: int) -> int:
    """Characters per option: each column is framed as "│ text " and the line ends with "│"."""
    return (width - 1) // max(columns, 1) - 3


def option_grid(
    header: Sequence[list[Cell]],
    rows: Sequence[tuple[Cell, Sequence[list[Cell]]]],
    shared: Sequence[tuple[Cell, list[Cell]]],
    width: int,
    box: str,
) -> list[Line]:
    b = BOXES[box]
    column = option_width(len(header), width)
    widths = [column] * len(header)
    inner = sum(w + 3 for w in widths) - 3  # the text width of a row spanning every column

    def rule(left: str, mid: str, right: str, label: Cell | None = None) -> Line:
        text = left + mid.join(b["h"] * (w + 2) for w in widths) + right
        if label is None:
            return [Span(text)]
        title = f" {label.text} "
        if width_of(title) + 3 > width_of(text):
            return [Span(text)]
        return [Span(text[:2]), Span(title, label.style), Span(text[2 + width_of(title) :])]

    def framed(cells: Sequence[list[Cell]]) -> list[Line]:
        wrapped = [[line for cell in cs for line in wrap(cell, w)] for cs, w in zip(cells, widths, strict=True)]
        out: list[Line] = []
        for i in range(max(len(w) for w in wrapped)):
            line: Line = [Span(b["v"] + " ")]
            for col, (lines, w) in enumerate(zip(wrapped, widths, strict=True)):
                if col:
                    line.append(Span(" " + b["v"] + " "))
                line += pad_line(lines[i] if i < len(lines) else [], w)
            line.append(Span(" " + b["v"]))
            out.append(line)
        return out

    def spanning(cells: list[Cell]) -> list[Line]:
        return [
            [Span(b["v"] + " "), *pad_line(line, inner), Span(" " + b["v"])] for c in cells for line in wrap(c, inner)
        ]

    out = [rule(b["tl"], b["tm"], b["tr"])]
    out += framed(header)
    for label, cells in rows:
        out.append(rule(b["ml"], b["mm"], b["mr"], label))
        out += framed(cells)
    for number, (title, answer) in enumerate(shared):
        joint = b["bm"] if number == 0 else b["h"]  # the columns end above the first spanning row
        out.append(rule(b["ml"], joint, b["mr"], title))
        out += spanning(answer)
    out.append(rule(b["bl"], b["bm"] if not shared else b["h"], b["br"]))
    return out
