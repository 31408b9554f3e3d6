"""Text layout for terminal output: wrap, pad and frame cells. Pure Python, no Rich.

Decision record 004: Rich's Table measured 13.5 ms to lay out the `compare rfa epidural` grid
and 7.6 ms for `list`, most of the start-up budget; this layout does the same in about 2 ms.
Rich still decides everything about the terminal (colour or not, width, NO_COLOR/FORCE_COLOR)
and renders the styles; see table.py.

A `Span` is a piece of text with a style name; a line is a list of spans. Styles are only ever
on a prefix of a line (a bar, a stance symbol), on whole lines, or on highlighted words, so
lines are wrapped as plain text and the styles laid back on afterwards.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

from backcare.render.glyphs import BOXES


class Span(NamedTuple):
    text: str
    style: str = ""


Line = list[Span]


class Cell(NamedTuple):
    """One logical line of a cell before wrapping."""

    text: str
    style: str = ""  # for the whole line
    lead: int = 0  # characters at the start before the styled part (e.g. a bullet)
    styled: int = 0  # then this many characters carry `styled_style` (a bar, a stance symbol)
    styled_style: str = ""
    marks: tuple[str, ...] = ()  # words to highlight (search)

    def after(self, lead: str) -> Cell:
        """The same cell with plain text (a bullet) put in front."""
        return self._replace(text=lead + self.text, lead=self.lead + len(lead))


HIGHLIGHT = "bold reverse"


def width_of(text: str) -> int:
    """Terminal cells taken by text (East Asian wide characters take two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - width_of(text))


def wrap(cell: Cell, width: int, indent: str = "") -> list[Line]:
    """Wrap one logical line to `width` cells, keeping its styles. Nothing is cut off."""
    width = max(width, 1)
    pieces = _Wrapper(
        width,
        subsequent_indent=indent or " " * cell.lead,  # bulleted items hang under their text
        break_long_words=True,
        break_on_hyphens=False,
        replace_whitespace=True,
    ).wrap(cell.text) or [""]
    pattern = _marks_pattern(cell.marks)
    lines: list[Line] = []
    for number, piece in enumerate(pieces):
        line: Line = []
        rest = piece
        if number == 0 and cell.styled:
            end = cell.lead + cell.styled
            line += [Span(piece[: cell.lead], cell.style), Span(piece[cell.lead : end], cell.styled_style)]
            rest = piece[end:]
        line += _highlight(rest, pattern, cell.style)
        lines.append(line)
    return lines


class _Wrapper(textwrap.TextWrapper):
    """textwrap, linear in the length of a long word: textwrap cuts one line off the word and
    copies the rest, again for every line, so one 4 MiB word took minutes. Here the word is cut
    into line-sized chunks once, and textwrap places them as before."""

    def _handle_long_word(self, reversed_chunks: list[str], cur_line: list[str], cur_len: int, width: int) -> None:
        chunk = reversed_chunks[-1]
        line = max(self.width - len(self.subsequent_indent), 1)  # every later line's width
        first = max(width - cur_len, 1)
        if len(chunk) > first + line:
            rest = range(first, len(chunk), line)
            reversed_chunks[-1:] = [chunk[i : i + line] for i in reversed(rest)] + [chunk[:first]]
        super()._handle_long_word(reversed_chunks, cur_line, cur_len, width)


def _marks_pattern(marks: Sequence[str]) -> re.Pattern[str] | None:
    if not marks:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(m) for m in marks) + r")\w*", re.IGNORECASE)


def _highlight(text: str, pattern: re.Pattern[str] | None, style: str) -> Line:
    if pattern is None:
        return [Span(text, style)]
    out: Line = []
    last = 0
    for match in pattern.finditer(text):
        out.append(Span(text[last : match.start()], style))
        out.append(Span(match.group(), HIGHLIGHT))
        last = match.end()
    out.append(Span(text[last:], style))
    return [s for s in out if s.text]


def line_width(line: Line) -> int:
    return sum(width_of(s.text) for s in line)


def pad_line(line: Line, width: int) -> Line:
    gap = width - line_width(line)
    return [*line, Span(" " * gap)] if gap > 0 else line


def column_widths(
    natural: Sequence[int], available: int, wrappable: Sequence[bool] | None = None, minimum: int = 24
) -> list[int] | None:
    """Short columns keep their natural width (at most 32); the widest column takes the rest.

    While the widest column would get fewer than `minimum` cells, other columns give up one cell
    at a time: first those holding several words (they wrap well), down to 12; then the widest
    may go down to 16; then any column down to 8. None when even that does not fit (the caller
    then stacks the records).
    """
    wrappable = wrappable or [True] * len(natural)
    widest = max(range(len(natural)), key=lambda i: natural[i])
    widths = [min(w, 32) for w in natural]
    others = [i for i in range(len(widths)) if i != widest]

    def shrink(candidates: list[int], floor: int, need: int) -> bool:
        while available - sum(widths[i] for i in others) < need:
            largest = max((i for i in candidates if widths[i] > floor), key=lambda i: widths[i], default=None)
            if largest is None:
                return False
            widths[largest] -= 1
        return True

    for candidates, floor, need in (
        ([i for i in others if wrappable[i]], 12, min(minimum, natural[widest])),
        ([i for i in others if wrappable[i]], 12, min(16, natural[widest])),
        (others, 8, min(16, natural[widest])),
    ):
        if shrink(candidates, floor, need):
            widths[widest] = min(natural[widest], available - sum(widths[i] for i in others))
            return widths
    return None


def simple_table(header: Sequence[str], rows: Sequence[Sequence[list[Cell]]], width: int, rule: str) -> list[Line]:
    """Columns separated by two spaces, a rule under the header (like Rich's SIMPLE_HEAD)."""
    natural = [
        max([width_of(h)] + [max((width_of(c.text) for c in row[i]), default=0) for row in rows])
        for i, h in enumerate(header)
    ]
    wrappable = [any(" " in c.text for row in rows for c in row[i]) for i in range(len(header))]
    widths = column_widths(natural, width - 2 * len(header) - 1, wrappable)
    if widths is None:  # too narrow for columns: one record after another
        return stacked_records(header, rows, width)
    out = _row([[Cell(h, "bold")] for h in header], widths)
    out.append([Span(" " + rule * (sum(widths) + 2 * len(widths) - 1))])
    for row in rows:
        out += _row(row, widths)
    return out


def _row(cells: Sequence[list[Cell]], widths: Sequence[int]) -> list[Line]:
    wrapped = [[line for cell in cells_i for line in wrap(cell, w)] for cells_i, w in zip(cells, widths, strict=True)]
    height = max(len(w) for w in wrapped)
    out: list[Line] = []
    for i in range(height):
        line: Line = [Span(" ")]
        for col, (lines, w) in enumerate(zip(wrapped, widths, strict=True)):
            if col:
                line.append(Span("  "))
            line += pad_line(lines[i] if i < len(lines) else [], w)
        out.append(line)
    return out


def stacked_records(header: Sequence[str], rows: Sequence[Sequence[list[Cell]]], width: int) -> list[Line]:
    """One record after another, each field labelled; for terminals too narrow for columns."""
    out: list[Line] = []
    label = max(width_of(h) for h in header) + 2
    beside = label <= width // 3  # labels beside the values, or on a line of their own
    for row in rows:
        for name, cells in zip(header, row, strict=True):
            if not beside:
                out += wrap(Cell(name + ":", "bold"), width)
            for n, cell in enumerate(cells):
                for k, line in enumerate(wrap(cell, width - label if beside else width - 2)):
                    if not beside:
                        out.append([Span("  "), *line])
                        continue
                    head = pad(name + ":", label) if n == 0 and k == 0 else " " * label
                    out.append([Span(head, "bold" if n == 0 and k == 0 else ""), *line])
        out.append([])
    return out


def boxed_grid(
    header: Sequence[Cell],
    rows: Sequence[tuple[Cell, Sequence[list[Cell]]]],
    label_width: int,
    option_width: int,
    box: str,
) -> list[Line]:
    """A framed grid: a label column, then one column per option, a rule between rows."""
    b = BOXES[box]
    widths = [label_width] + [option_width] * (len(header))

    def rule(left: str, mid: str, right: str) -> Line:
        return [Span(left + mid.join(b["h"] * (w + 2) for w in widths) + right)]

    def framed(cells: Sequence[list[Cell]]) -> list[Line]:
        wrapped = [[line for cell in cs for line in wrap(cell, w)] for cs, w in zip(cells, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        out: list[Line] = []
        for i in range(height):
            line: Line = [Span(b["v"] + " ")]
            for col, (lines, w) in enumerate(zip(wrapped, widths, strict=True)):
                if col:
                    line.append(Span(" " + b["v"] + " "))
                line += pad_line(lines[i] if i < len(lines) else [], w)
            line.append(Span(" " + b["v"]))
            out.append(line)
        return out

    out = [rule(b["tl"], b["tm"], b["tr"])]
    out += framed([[Cell("")], *([h] for h in header)])
    for label, cells in rows:
        out.append(rule(b["ml"], b["mm"], b["mr"]))
        out += framed([[label], *cells])
    out.append(rule(b["bl"], b["bm"], b["br"]))
    return out
