"""Bars, dots and stance symbols, in Unicode or plain ASCII."""

from __future__ import annotations

from backcare.views import STANCE_SYMBOLS, Gauge, Line, Stance

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
