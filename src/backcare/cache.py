"""A cache of parsed, validated knowledge-base files, so YAML is parsed only when a file changes.

Format (decision record 002), plain data that cannot run code when read:

    backcare-cache-2 <crc32 of header> <header bytes> <records bytes> <search-text bytes>\\n
    <header: JSON — the key, file metadata, conditions, glossary, one index row per treatment,
     and each record's offset and crc32>\\n
    <records: each treatment as the compact JSON `show --format json` prints, joined by ",\\n">\\n
    <search texts: one line per treatment, lower-case words>\\n

The records block is already the body of a JSON array, so `list --format json` copies bytes;
`show` reads one record at its offset; `search` reads only the search texts. Every block and
record carries a crc32, checked when it is read: a corrupt, truncated, stale or unreadable
cache is never served (the caller rebuilds it from the YAML). The key is the file's absolute
path, size, mtime, ctime and inode plus the package and schema versions, the layer role and a
fingerprint of the modules that build the cached bytes (BUILDERS).
Writes are atomic (a temporary file renamed over the old one); failing to write costs speed only.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import IO, Any

from backcare import __version__
from backcare.model import SCHEMA_VERSION
from backcare.paths import cache_dir

MAGIC = b"backcare-cache-2"
SEPARATOR = b",\n"

# Counters for tests and benchmarks: how loads went in this process.
stats = {"hits": 0, "misses": 0, "writes": 0, "write_errors": 0, "corrupt": 0}


# The modules whose code shapes what is cached: the checker that normalises records, the index
# and record builder, the search-text builder and the name normaliser. Their size and mtime are
# part of the key, so editing any of them in place (a git checkout, an editable install) makes
# every cache a miss instead of serving bytes the new code would not produce.
BUILDERS = ("schema.py", "store.py", "search.py", "model.py")


def code_fingerprint() -> list[int]:
    here = Path(__file__).parent
    out: list[int] = []
    for name in BUILDERS:
        try:
            st = (here / name).stat()
        except OSError:  # run from a zip or a frozen build: the package version still guards
            out += [-1, -1]
            continue
        out += [st.st_size, st.st_mtime_ns]
    return out


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
        "code": code_fingerprint(),
    }


def location(path: Path) -> Path | None:
    directory = cache_dir().path
    if directory is None:
        return None
    # Only a name: the key inside the file decides whether it is a hit, so a clash costs speed.
    raw = str(path).encode("utf-8", "surrogatepass")
    return directory / f"kb-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.jsonl"


class CachedFile:
    """An open cache file whose header matched; blocks are read (and checked) on demand.

    The file stays open, so a cache rewritten by another process meanwhile cannot mix versions.
    Each read returns None when its checksum does not match.
    """

    def __init__(self, handle: IO[bytes], header: dict[str, Any], records_at: int, records_len: int) -> None:
        self.handle = handle
        self.header = header
        self.records_at = records_at
        self.records_len = records_len
        self.hays_at = records_at + records_len + 1

    def _read(self, offset: int, length: int) -> bytes:
        self.handle.seek(offset)
        return self.handle.read(length)

    def record(self, i: int) -> str | None:
        starts: list[int] = self.header["starts"]
        end = starts[i + 1] - len(SEPARATOR) if i + 1 < len(starts) else self.records_len
        data = self._read(self.records_at + starts[i], end - starts[i])
        if zlib.crc32(data) != self.header["record_crcs"][i]:
            return None
        return data.decode("utf-8")

    def records_block(self) -> bytes | None:
        data = self._read(self.records_at, self.records_len)
        return data if zlib.crc32(data) == self.header["records_crc"] else None

    def haystacks(self) -> list[bytes] | None:
        data = self._read(self.hays_at, self.header["hays_len"])
        if zlib.crc32(data) != self.header["hays_crc"]:
            return None
        return data.split(b"\n") if data else []


def read(path: Path, key: dict[str, Any]) -> CachedFile | None:
    """The cache for `key` if its header is intact and it is complete, else None (a miss)."""
    where = location(path)
    if where is None:
        return None
    try:
        handle = where.open("rb")
    except OSError:
        stats["misses"] += 1
        return None
    try:
        magic, head_crc, head_len, records_len, hays_len = handle.readline().split()
        if magic != MAGIC:
            raise ValueError("not a backcare cache")
        head = handle.read(int(head_len))
        if zlib.crc32(head) != int(head_crc):
            raise ValueError("header checksum")
        header = json.loads(head)
        if not isinstance(header, dict) or header.get("key") != key:
            raise ValueError("stale")
        records_at = handle.tell() + 1
        expected = records_at + int(records_len) + 1 + int(hays_len) + 1
        if os.fstat(handle.fileno()).st_size != expected or header["hays_len"] != int(hays_len):
            raise ValueError("truncated")
        if len(header["starts"]) != len(header["index"]) or len(header["record_crcs"]) != len(header["index"]):
            raise ValueError("inconsistent")
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        handle.close()
        stats["misses"] += 1
        return None
    stats["hits"] += 1
    return CachedFile(handle, header, records_at, int(records_len))


def write(path: Path, header: dict[str, Any], records: list[str], hays: list[bytes]) -> None:
    where = location(path)
    if where is None:
        return
    encoded = [r.encode("utf-8") for r in records]
    starts, offset = [], 0
    for data in encoded:
        starts.append(offset)
        offset += len(data) + len(SEPARATOR)
    block = SEPARATOR.join(encoded)
    hays_block = b"\n".join(hays)
    full = {
        **header,
        "starts": starts,
        "record_crcs": [zlib.crc32(data) for data in encoded],
        "records_crc": zlib.crc32(block),
        "hays_crc": zlib.crc32(hays_block),
        "hays_len": len(hays_block),
    }
    head = json.dumps(full, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    first = b"%s %d %d %d %d\n" % (MAGIC, zlib.crc32(head), len(head), len(block), len(hays_block))

    import tempfile

    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".jsonl", dir=where.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(first + head + b"\n" + block + b"\n" + hays_block + b"\n")
            os.replace(tmp, where)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        stats["write_errors"] += 1
        return
    stats["writes"] += 1
