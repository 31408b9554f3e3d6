"""Text layout for terminal output: wrap, pad and frame cells, measured in terminal cells.

Decision record 004: Rich's Table measured 13.5 ms to lay out the `compare rfa epidural` grid
and 7.6 ms for `list`, most of the start-up budget; this layout does the same in about 2 ms.
Rich still decides everything about the terminal (colour or not, width, NO_COLOR/FORCE_COLOR),
renders the styles and measures text (rich.cells.cell_len: wide characters take two cells,
combining marks none); this module is only used on that path (table.py).

A `Span` is a piece of text with a style name; a line is a list of spans. Styles are only ever
on a prefix of a line (a bar, a stance symbol), on whole lines, or on highlighted words, so
lines are wrapped as plain text and the styles laid back on afterwards.

Words are never split, except a word wider than the whole line: ids, paths and URLs stay whole.
A table whose columns would get too narrow for that is drawn as records instead: its short
columns on one line, its long text indented below (`records`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len


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
MIN_TEXT = 24  # cells: a column of running text narrower than this reads badly
MIN_CLIPPED = 40  # cells: a one-line column cut shorter than this says too little
MAX_SIDE = 32  # cells: the most a column beside the main text column takes before wrapping
INDENT = "    "  # the long text of a record, under its first line
CHUNKS = re.compile(r"(\s+)")


# -- measuring, wrapping, cutting ---------------------------------------------------------------


def width_of(text: str) -> int:
    """Terminal cells taken by text (wide characters two, combining marks none)."""
    return len(text) if text.isascii() else cell_len(text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - width_of(text))


def _split_word(word: str, width: int) -> list[str]:
    """A word wider than the line, cut into pieces of at most `width` cells."""
    pieces: list[str] = []
    piece, used = "", 0
    for ch in word:
        size = width_of(ch)
        if used + size > width and piece:
            pieces.append(piece)
            piece, used = "", 0
        piece += ch
        used += size
    return [*pieces, piece]


def wrap_text(text: str, width: int, indent: str = "") -> list[str]:
    """`text` in lines of at most `width` cells, broken between words; `indent` starts later lines.

    Spaces inside a line are kept, those at a break dropped; a word is cut only when it is wider
    than a whole line.
    """
    width = max(width, 1)
    if width_of(indent) >= width:
        indent = ""
    lines: list[str] = []
    line, used, gap = "", 0, ""
    for chunk in CHUNKS.split(text):
        if not chunk:
            continue
        if chunk.isspace():
            gap = " " * len(chunk) if line.strip() or not lines else ""
            continue
        size = width_of(chunk)
        if used + len(gap) + size <= width:
            line += gap + chunk
            used += len(gap) + size
            gap = ""
            continue
        gap = ""
        if line.strip():
            lines.append(line)
            line, used = indent, width_of(indent)
        room = width - used
        if size <= room:
            line += chunk
            used += size
            continue
        # A word wider than the line: the first piece fills this line, the rest are cut to the
        # width left after the indent of later lines (two passes over the word: linear).
        head = _split_word(chunk, room)[0]
        lines.append(line + head)
        line, used = indent, width_of(indent)
        *full, last = _split_word(chunk[len(head) :], width - used)
        for piece in full:
            lines.append(line + piece)
        line += last
        used += width_of(last)
    if line.strip() or not lines:
        lines.append(line)
    return lines


def clip_text(text: str, width: int, ellipsis: str = "…") -> str:
    """`text` on one line of at most `width` cells, cut after a whole word and marked with `ellipsis`."""
    text = " ".join(text.split())
    if width_of(text) <= width:
        return text
    room = max(width - width_of(ellipsis), 1)
    kept = ""
    for word in text.split(" "):
        candidate = f"{kept} {word}" if kept else word
        if width_of(candidate) > room:
            break
        kept = candidate
    if not kept:  # a first word wider than the line: cut it after all
        kept = _split_word(text, room)[0]
    return kept.rstrip(" ,;:") + ellipsis


def wrap(cell: Cell, width: int, indent: str = "") -> list[Line]:
    """Wrap one logical line to `width` cells, keeping its styles. Nothing is cut off."""
    pieces = wrap_text(cell.text, width, indent or " " * width_of(cell.text[: cell.lead]))
    return [_styled(cell, piece, first=number == 0) for number, piece in enumerate(pieces)]


def _styled(cell: Cell, piece: str, *, first: bool) -> Line:
    line: Line = []
    rest = piece
    if first and cell.styled:
        end = cell.lead + cell.styled
        line += [Span(piece[: cell.lead], cell.style), Span(piece[cell.lead : end], cell.styled_style)]
        rest = piece[end:]
    return line + _highlight(rest, _marks_pattern(cell.marks), cell.style)


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


# -- tables -------------------------------------------------------------------------------------


class Measure(NamedTuple):
    natural: int  # the widest line
    word: int  # the widest word: the column never gets narrower
    prose: bool  # holds several words a line (wraps well)


def measure(title: str, cells: Sequence[list[Cell]]) -> Measure:
    texts = [c.text for cell in cells for c in cell]
    natural = max([width_of(title), *(width_of(t) for t in texts)])
    word = max([width_of(w) for t in [title, *texts] for w in t.split()] or [1])
    return Measure(natural, word, any(" " in t.strip() for t in texts))


def column_widths(measures: Sequence[Measure], available: int, main: int, clipped: bool) -> list[int] | None:
    """Widths for side-by-side columns, or None when the main (widest) column would get too narrow.

    The other columns take their natural width up to MAX_SIDE, never less than their widest
    word; those holding running text give up cells (down to 12) while the main column is short
    of its minimum (MIN_TEXT, or MIN_CLIPPED for a one-line column). No column is ever narrower
    than its widest word.
    """
    floors = [max(m.word, min(m.natural, 12)) if m.prose else m.natural for m in measures]
    widths = [max(floors[i], min(m.natural, MAX_SIDE)) for i, m in enumerate(measures)]
    widths[main] = 0
    need = min(measures[main].natural, MIN_CLIPPED if clipped else MIN_TEXT)
    if not clipped:
        need = max(need, measures[main].word)
    while available - sum(widths) < need:
        shrinkable = [i for i in range(len(widths)) if i != main and widths[i] > floors[i]]
        if not shrinkable:
            return None
        widths[max(shrinkable, key=lambda i: widths[i])] -= 1
    widths[main] = min(measures[main].natural, available - sum(widths))
    return widths


def simple_table(
    header: Sequence[str],
    rows: Sequence[Sequence[list[Cell]]],
    width: int,
    rule: str,
    *,
    clip: Sequence[int] = (),
    ellipsis: str = "…",
) -> list[Line]:
    """Columns separated by two spaces, a rule under the header (like Rich's SIMPLE_HEAD).

    Columns in `clip` keep one line per cell, cut after a whole word (a one-line summary). When
    the widest column would get too narrow, or the columns would be a tall thin ribbon (half as
    long again as the records), the rows become records instead (`records`).
    """
    measures = [measure(h, [row[i] for row in rows]) for i, h in enumerate(header)]
    main = max(range(len(header)), key=lambda i: measures[i].natural)
    widths = column_widths(measures, width - 1 - 2 * (len(header) - 1), main, main in clip)
    if widths is None:
        return records(header, rows, width, rule, main=main, clip=clip, ellipsis=ellipsis)
    out = _row([[Cell(h, "bold")] for h in header], widths)
    out.append([Span(" " + rule * (sum(widths) + 2 * (len(widths) - 1)))])
    for row in rows:
        cells = [
            [c._replace(text=clip_text(c.text, w, ellipsis)) for c in cell] if i in clip else cell
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        out += _row(cells, widths)
    if len(out) > 1.5 * (len(header) + len(rows) * 2):  # columns squeezed into a tall ribbon
        stacked = records(header, rows, width, rule, main=main, clip=clip, ellipsis=ellipsis)
        if 1.5 * len(stacked) < len(out):
            return stacked
    return out


def _joined(cell: list[Cell]) -> str:
    """A cell's lines on one line: a list of single words (ids) with commas, text with spaces."""
    texts = [c.text.strip() for c in cell if c.text.strip()]
    return (", " if len(texts) > 1 and all(" " not in t for t in texts) else " ").join(texts)


def records(
    header: Sequence[str],
    rows: Sequence[Sequence[list[Cell]]],
    width: int,
    rule: str,
    *,
    main: int,
    clip: Sequence[int] = (),
    ellipsis: str = "…",
) -> list[Line]:
    """Rows as records, for terminals too narrow for the columns: nothing is split, only re-arranged.

    The first line holds the short columns (`id  name  category`), the long text follows indented
    (`    summary`); a column of several lines after the first long one is labelled
    (`    treatments: a, b`). A legend of the same shape heads the records.
    """
    short = [i for i in range(len(header)) if i == 0 or (i != main and all(len(row[i]) <= 1 for row in rows))]
    long = [i for i in range(len(header)) if i not in short]
    body = width - 1 - len(INDENT)
    out = [[Span(" "), *line] for line in wrap(Cell("  ".join(header[i] for i in short), "bold"), width - 1)]
    out += [[Span(" " + INDENT), *line] for i in long for line in wrap(Cell(header[i], "bold"), body)]
    out.append([Span(" " + rule * max(width - 1, 1))])
    blocks: list[list[Line]] = []
    for row in rows:
        block = _first_line([_joined(row[i]) for i in short], width - 1, ellipsis)
        for n, i in enumerate(long):
            label = f"{header[i]}: " if n and len(row[i]) > 1 else ""
            for cell in [Cell(label + _joined(row[i]))] if label else row[i]:
                if i in clip:
                    lines = [_styled(cell, clip_text(cell.text, body, ellipsis), first=True)]
                else:
                    lines = wrap(cell, body, " " * width_of(label))
                block += [[Span(" " + INDENT), *line] for line in lines]
        blocks.append(block)
    spaced = any(len(block) > 2 for block in blocks)  # records of several lines: a blank between
    for n, block in enumerate(blocks):
        if spaced and n:
            out.append([])
        out += block
    return out


def _first_line(texts: list[str], width: int, ellipsis: str) -> list[Line]:
    """The short columns on one line, the first in bold; running text is cut to fit, ids never."""
    texts = list(texts)
    while width_of("  ".join(texts)) > width:
        prose = [i for i, t in enumerate(texts) if i and " " in t and not t.endswith(ellipsis)]
        if not prose:
            break
        longest = max(prose, key=lambda i: width_of(texts[i]))
        room = width - width_of("  ".join(t for i, t in enumerate(texts) if i != longest)) - 2
        clipped = clip_text(texts[longest], max(room, 12), ellipsis)
        if clipped == texts[longest]:  # already as short as it gets: wrap instead (below)
            break
        texts[longest] = clipped
    line = "  ".join(texts)
    if width_of(line) > width:
        return [[Span(" "), *piece] for piece in wrap(Cell(line), width)]
    return [[Span(" "), Span(texts[0], "bold"), Span(line[len(texts[0]) :])]]


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
