"""Make knowledge-base text safe and readable on any terminal.

Control characters (ANSI escapes, OSC sequences, bells, bidi overrides) are shown as visible
escapes such as \\x1b, never sent to the terminal. On a terminal that cannot show Unicode
(PYTHONIOENCODING=ascii, LC_ALL=C) typographic characters become ASCII look-alikes.
"""

from __future__ import annotations

import re
import unicodedata

from backcare.render.glyphs import ASCII_LOOKALIKES

# C0 controls except tab and newline, DEL, C1 controls, and Unicode bidi controls.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str, *, ascii_only: bool = False, tabs: bool = True) -> str:
    """Control characters made visible; tabs to spaces (tabs separate plain columns)."""
    if tabs:
        text = text.replace("\t", " ")
    text = CONTROL.sub(_visible, text)
    if ascii_only and not text.isascii():
        text = text.translate(ASCII_LOOKALIKES)
        # accented letters lose their accents (ã -> a); anything left becomes "?"
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
        text = text.encode("ascii", "replace").decode("ascii")
    return text


def one_line(text: str) -> str:
    """Fold newlines so one record stays on one line (plain/TSV output)."""
    return " ".join(text.split())
