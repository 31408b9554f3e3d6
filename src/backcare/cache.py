"""A cache of parsed, validated knowledge-base files, so YAML is parsed only when a file changes.

Format (decision record 002): JSON Lines, plain data that cannot run code when read. Line 1 is a
header: the key it was built for, the file's metadata, conditions, glossary and a small index row
per treatment. Each further line is one treatment record, already serialised as the JSON that
`show --format json` prints, so most commands never parse the records they do not print.

The key is the file's absolute path, size, mtime, ctime and inode plus the package and schema
versions and the layer role: any change to the file or to backcare means a miss. A corrupt,
truncated, stale or unreadable cache file is ignored and rebuilt; failure to write one costs
speed only. Writes are atomic (a temporary file renamed over the old one).
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

from backcare import __version__
from backcare.model import SCHEMA_VERSION
from backcare.paths import cache_dir

# Counters for tests and benchmarks: how the last load went.
stats = {"hits": 0, "misses": 0, "writes": 0, "write_errors": 0}


def key_for(path: Path, st: os.stat_result, origin: str) -> dict[str, Any]:
    return {
        "path": str(path),
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "ctime_ns": st.st_ctime_ns,
        "inode": st.st_ino,
        "package": __version__,
        "schema": SCHEMA_VERSION,
        "origin": origin,
    }


def location(path: Path) -> Path | None:
    directory = cache_dir().path
    if directory is None:
        return None
    # Only a name: the key inside the file decides whether it is a hit, so a clash costs speed.
    raw = str(path).encode("utf-8", "surrogatepass")
    return directory / f"kb-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.jsonl"


def read(path: Path, key: dict[str, Any]) -> tuple[dict[str, Any], list[str]] | None:
    """The header and the lines cached for `key`, or None on any kind of miss."""
    where = location(path)
    if where is None:
        return None
    try:
        text = where.read_text(encoding="utf-8")
        lines = text.split("\n")
        header = json.loads(lines[0])
        if not isinstance(header, dict) or header.get("key") != key:
            raise ValueError("stale")
        records = lines[1:]
        # A trailing newline ends the file; anything else means it was cut short.
        if not records or records[-1] != "" or len(records) - 1 != header["lines"]:
            raise ValueError("truncated")
        records.pop()
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        stats["misses"] += 1
        return None
    stats["hits"] += 1
    return header, records


def write(path: Path, header: dict[str, Any], records: list[str]) -> None:
    where = location(path)
    if where is None:
        return
    import tempfile

    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".jsonl", dir=where.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                header = {**header, "lines": len(records)}
                out.write(json.dumps(header, ensure_ascii=False, separators=(",", ":")))
                out.write("\n")
                for line in records:
                    out.write(line)
                    out.write("\n")
            os.replace(tmp, where)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        stats["write_errors"] += 1
        return
    stats["writes"] += 1
