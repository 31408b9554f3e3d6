"""JSON output. Full records come from the cache already serialised (kb.KnowledgeBase.json_array),
with the characters controls.JSON_UNSAFE lists already escaped (store.prepared); everything else
is escaped here, so no format ever prints a raw C1 or bidi control."""

from __future__ import annotations

import json
import re
from typing import Any

from backcare.controls import json_escape

NON_ASCII = re.compile(r"[^\x00-\x7f]")


def dumps(value: Any, ascii_only: bool = False) -> str:
    return json_escape(json.dumps(value, ensure_ascii=ascii_only, indent=2)) + "\n"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # outside the BMP: a UTF-16 surrogate pair, as JSON spells it
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def escape_non_ascii(text: str) -> str:
    """JSON text with every non-ASCII character as \\uXXXX, for a terminal that cannot show them.

    Non-ASCII characters can only occur inside JSON strings, so this keeps the document valid
    and the data exact (never a lossy "?").
    """
    return NON_ASCII.sub(_escape, text)
