"""JSON output. Records come from the cache already serialised, so listing needs no re-encoding."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

NON_ASCII = re.compile(r"[^\x00-\x7f]")


def dumps(value: Any, ascii_only: bool = False) -> str:
    return json.dumps(value, ensure_ascii=ascii_only, indent=2) + "\n"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # outside the BMP: a UTF-16 surrogate pair, as JSON spells it
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def array_of_records(records_json: Iterable[str], ascii_only: bool = False) -> str:
    """A JSON array from already-serialised records (one compact object per line).

    Non-ASCII characters can only occur inside JSON strings, so escaping each one as \\uXXXX
    keeps the document valid for a terminal that cannot show them (never a lossy "?").
    """
    text = "[\n" + ",\n".join(records_json) + "\n]\n"
    return NON_ASCII.sub(_escape, text) if ascii_only and not text.isascii() else text
