"""JSON output. Records come from the cache already serialised, so listing needs no re-encoding."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def array_of_records(records_json: Iterable[str]) -> str:
    """A JSON array from already-serialised records (one compact object per line)."""
    return "[\n" + ",\n".join(records_json) + "\n]\n"
