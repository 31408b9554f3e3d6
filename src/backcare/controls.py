"""The characters that must never reach a terminal raw, defined once for every output path.

C0 controls (but tab and newline, which text.clean handles), DEL, C1 controls (U+0080-U+009F:
U+009B is a one-character CSI on some terminals), the bidi controls that reorder what a line
appears to say (U+061C, U+200E/F, U+202A-E, U+2066-9), the line and paragraph separators
(U+2028/9, a line break to some viewers) and lone surrogates (what an undecodable byte in a file
name becomes; no encoder accepts them).

render/text.py shows them as visible escapes on a terminal; `json_escape` writes them as
\\uXXXX inside JSON strings; `shown_path` makes a file name printable on one line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_UNSAFE = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_PATTERNS = {
    # For terminal text: every C0 control but tab and newline, and the rest.
    "CONTROL": f"[\x00-\x08\x0b-\x1f{_UNSAFE}]",
    # For a whole line (a file name): newline and tab too.
    "CONTROL_OR_BREAK": f"[\x00-\x1f{_UNSAFE}]",
    # In JSON text json.dumps already escapes C0; these are left raw with ensure_ascii=False.
    "JSON_UNSAFE": f"[{_UNSAFE}]",
}
# Compiled when first used (module __getattr__, PEP 562): ~0.5 ms each, and most runs need one
# of them or none (issue 16).
CONTROL: re.Pattern[str]
CONTROL_OR_BREAK: re.Pattern[str]
JSON_UNSAFE: re.Pattern[str]


def __getattr__(name: str) -> re.Pattern[str]:
    if name not in _PATTERNS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    pattern = re.compile(_PATTERNS[name])
    globals()[name] = pattern
    return pattern


def _pattern(name: str) -> re.Pattern[str]:
    found: re.Pattern[str] = globals().get(name) or __getattr__(name)
    return found


def visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_escape(text: str) -> str:
    """JSON text with every unsafe character inside its strings written as \\uXXXX.

    They can only occur inside strings, so the document stays valid and the data exact.
    """
    return _pattern("JSON_UNSAFE").sub(_json_escape, text)


def shown_path(path: Path | str) -> str:
    """A file name as printable text on one line: undecodable bytes as \\xNN, controls escaped."""
    raw = os.fsencode(path)
    return _pattern("CONTROL_OR_BREAK").sub(visible, raw.decode("utf-8", "backslashreplace"))
