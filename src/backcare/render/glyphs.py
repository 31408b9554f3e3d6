"""Every glyph backcare draws, in Unicode and in plain ASCII: bars, dots, stance symbols, box
drawing, and the ASCII look-alikes for typographic characters. The one place for the mapping."""

from __future__ import annotations

from backcare.model import STANCES
from backcare.views import STANCE_WORDS, Gauge, Line, Stance

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


def line_text(line: Line, charset: str) -> str:
    """A line as plain text (symbols included); Rich renders Gauge/Stance with colour instead."""
    if isinstance(line, Gauge):
        return f"[{gauge_marks(line, charset)}] {line.label}"
    if isinstance(line, Stance):
        return f"{STANCE_SYMBOLS[charset][line.stance]} {line.text}"
    return line


def stance_legend(charset: str) -> str:
    symbols = STANCE_SYMBOLS[charset]
    return "Guideline stances: " + ", ".join(f"{symbols[s]} {STANCE_WORDS[s]}" for s in STANCES) + "."
