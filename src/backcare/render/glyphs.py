"""Every glyph backcare draws, in Unicode and in plain ASCII: bars, dots, stance symbols, box
drawing, and the ASCII look-alikes for typographic characters. The one place for the mapping."""

from __future__ import annotations

from collections.abc import Iterable

from backcare.model import STANCES
from backcare.views import STANCE_WORDS, Gauge, IconArray, Line, Stance

STANCE_SYMBOLS = {
    "unicode": {"recommend": "✔", "consider": "±", "against": "✘", "research-only": "?", "no-position": "·"},
    "ascii": {"recommend": "+", "consider": "~", "against": "x", "research-only": "?", "no-position": "-"},
}
BOXES = {
    "unicode": {
        "h": "─",
        "v": "│",
        "tl": "╭",
        "tm": "┬",
        "tr": "╮",
        "ml": "├",
        "mm": "┼",
        "mr": "┤",
        "bl": "╰",
        "bm": "┴",
        "br": "╯",
    },
    "ascii": {"h": "-", "v": "|", **dict.fromkeys(("tl", "tm", "tr", "ml", "mm", "mr", "bl", "bm", "br"), "+")},
}
RULE = {"unicode": "─", "ascii": "-"}
BULLET = {"unicode": "• ", "ascii": "- "}
# Typographic characters a plain-ASCII terminal cannot show, as their closest ASCII look-alikes.
ASCII_LOOKALIKES = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‑": "-",
        "−": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "≥": ">=",
        "≤": "<=",
        "×": "x",
        "·": "-",
        "•": "*",
        "→": "->",
        "±": "+/-",
        "°": " degrees",
        "µ": "u",
        "\u00a0": " ",
        "✔": "+",
        "✘": "x",
        "█": "#",
        "░": "-",
        "●": "*",
        "○": ".",
    }
)

BAR_WIDTH = 10
GLYPHS = {
    "unicode": {"full": "█", "empty": "░", "dot": "●", "nodot": "○"},
    "ascii": {"full": "#", "empty": "-", "dot": "*", "nodot": "."},
}


def gauge_marks(g: Gauge, charset: str) -> str:
    glyph = GLYPHS[charset]
    if g.style == "dots":
        filled = round(g.value)
        return glyph["dot"] * filled + glyph["nodot"] * (round(g.maximum) - filled)
    filled = round(BAR_WIDTH * g.value / g.maximum) if g.maximum else 0
    if g.value > 0 and filled == 0:
        filled = 1  # anything above zero is visible
    return glyph["full"] * filled + glyph["empty"] * (BAR_WIDTH - filled)


ICON_GAP = 3  # between the two arrays when they stand side by side


def verdict(stance: str, charset: str) -> str:
    """A stance's symbol and its word, never one without the other: "✔ recommend"."""
    return f"{STANCE_SYMBOLS[charset][stance]} {STANCE_WORDS[stance]}"


def stance_text(line: Stance, charset: str) -> str:
    return verdict(line.stance, charset) + stance_tail(line.text)


def stance_tail(text: str) -> str:
    """What follows the verdict: " — the scope", or " (2016)" for a year or a reference alone."""
    if not text:
        return ""
    return f" {text}" if text[0] in "([" else f" — {text}"


def icon_rows(icons: IconArray, charset: str, width: int) -> list[str]:
    """Two 10 x 10 icon arrays (filled = people with the outcome), side by side when they fit."""
    glyph = GLYPHS[charset]

    def array(count: int) -> list[str]:
        marks = [glyph["dot"]] * count + [glyph["nodot"]] * (100 - count)
        return [" ".join(marks[row * 10 : row * 10 + 10]) for row in range(10)]

    treated = [icons.treated_label, *array(max(0, min(100, icons.treated)))]
    compared = [icons.comparator_label, *array(max(0, min(100, icons.comparator)))]
    column = max(19, *(len(s) for s in (icons.treated_label, icons.comparator_label)))
    if 2 * column + ICON_GAP <= width:
        return [a.ljust(column + ICON_GAP) + b for a, b in zip(treated, compared, strict=True)]
    return [*treated, "", *compared]


def line_text(line: Line, charset: str) -> str:
    """A line as plain text (symbols and their words included); Rich adds colour instead."""
    if isinstance(line, Gauge):
        return f"[{gauge_marks(line, charset)}] {line.label}"
    if isinstance(line, Stance):
        return stance_text(line, charset)
    if isinstance(line, IconArray):
        return "\n".join(icon_rows(line, charset, 80))
    return line


def stance_legend(charset: str) -> str:
    symbols = STANCE_SYMBOLS[charset]
    return "Verdicts: " + "  ".join(f"{symbols[s]} {STANCE_WORDS[s]}" for s in STANCES)


def uses_stances(lines: Iterable[Line]) -> bool:
    return any(isinstance(line, Stance) for line in lines)


def inline_label(title: str) -> str:
    """The title that leads its section's first line: "What it is: ", "Does it help? "."""
    return f"{title} " if title.endswith("?") else f"{title}: "
