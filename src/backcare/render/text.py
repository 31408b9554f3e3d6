"""Make knowledge-base text safe and readable on any terminal.

Control characters (ANSI escapes, OSC sequences, bells, C1 controls, bidi controls, line and
paragraph separators; the set is controls.CONTROL) are shown as visible escapes such as \\x1b,
never sent to the terminal: `clean` is the one sanitiser every terminal format goes through. On
a terminal that cannot show Unicode (PYTHONIOENCODING=ascii, LC_ALL=C) typographic characters
become ASCII look-alikes.
"""

from __future__ import annotations

import unicodedata

from backcare.controls import CONTROL, visible


def clean(text: str, *, ascii_only: bool = False, tabs: bool = True) -> str:
    """Control characters made visible; tabs to spaces (tabs separate plain columns)."""
    if tabs:
        text = text.replace("\t", " ")
    text = CONTROL.sub(visible, text)
    if ascii_only and not text.isascii():
        from backcare.render.glyphs import ASCII_LOOKALIKES  # glyphs imports views: only when needed

        text = text.translate(ASCII_LOOKALIKES)
        # accented letters lose their accents (ã -> a); anything left becomes "?"
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
        text = text.encode("ascii", "replace").decode("ascii")
    return text


def one_line(text: str) -> str:
    """Fold newlines so one record stays on one line (plain/TSV output)."""
    return " ".join(text.split())
