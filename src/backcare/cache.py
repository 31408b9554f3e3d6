"""A private cache of parsed, validated knowledge-base files, so YAML is parsed only when a file changes.

Format (decision record 002), plain data that cannot run code when read:

    backcare-cache-3 <HMAC-SHA256 hex> <key len> <header len> <records len> <search-text len>\\n
    <key: JSON — the file's path, size, mtime, ctime, inode, versions, layer role, code fingerprint>\\n
    <header: JSON — conditions, glossary, one index row per treatment, each record's offset and
     digest, the digests of the records and search-text blocks>\\n
    <records: each treatment as the compact JSON `show --format json` prints, joined by ",\\n">\\n
    <search texts: one line per treatment, lower-case words>\\n

The HMAC (a per-user secret kept beside the cache, 0600) covers the lengths, the key and the
header; the header holds a BLAKE2b digest of each record and block, checked when it is read. So
a file nobody but this user's backcare wrote is never believed, and each command still reads
only what it prints (`show` one record, `search` the search texts). Any failure while reading
is a miss: the caller parses the YAML and rewrites the cache.

Trust (decision 002): the directory is used only when it is owned by the user and writable by
nobody else; every file is opened without following symlinks and without blocking, and used
only when fstat says a regular file owned by the user; reads are bounded by that size. No file
descriptor is kept: each read opens, checks the file is the same one, reads and closes.
Writes are atomic (a temporary file renamed over the old one); one process at a time rebuilds a
file (a lock file); the directory is tidied when a run wrote to it (stale temporary files,
caches of files that are gone, and all but the 64 most recently used).
"""

from __future__ import annotations

import json
import os
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from backcare import __version__, private
from backcare.controls import json_escape
from backcare.model import SCHEMA_VERSION

MAGIC = b"backcare-cache-3"
SEPARATOR = b",\n"
PREAMBLE_MAX = 160  # magic, 64 hex digits and four lengths
MAX_KEY = 1 << 16
MAX_CACHE_FILES = 64
STALE_TEMPORARY = 300.0  # seconds: a .tmp-* file this old was left by a killed process
TOUCH_AFTER = 3600.0  # seconds: how stale a cache file's mtime may get before a hit refreshes it (LRU)
LOCK_FILE = "lock"
LOCK_WAIT = 60.0  # seconds to wait for another process building the same file, then build anyway


# Counters for tests and benchmarks: how loads went in this process.
stats = {"hits": 0, "misses": 0, "writes": 0, "write_errors": 0, "corrupt": 0}
# Temporary files being written now: __main__'s SIGINT/SIGTERM handler removes them.
TEMPORARIES: set[str] = set()
# Per process: the cache files this run used (never evicted by it), directories to tidy.
_used: set[str] = set()
_tidy_scheduled: set[Path] = set()

# The modules whose code shapes what is cached: the checker that normalises records, the index
# and record builder, the search-text builder and the name normaliser. Their size and mtime are
# part of the key, so editing any of them in place (a git checkout, an editable install) makes
# every cache a miss instead of serving bytes the new code would not produce.
BUILDERS = ("schema.py", "store.py", "search.py", "model.py", "controls.py")


def code_fingerprint() -> list[int]:
    here = Path(__file__).parent
    return private.fingerprint(here / name for name in BUILDERS)


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


def _key_bytes(key: dict[str, Any]) -> bytes:
    return json.dumps(key, sort_keys=True, separators=(",", ":")).encode("ascii")


def _name(key: dict[str, Any]) -> str:
    """The file name for a key: its path and role (so --data and --data-only of one file coexist).
    Only a name: the key inside the file decides whether it is a hit, so a clash costs speed."""
    raw = f"{key['path']}\0{key['origin']}".encode("utf-8", "surrogatepass")
    return f"kb-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}"


# -- reading ------------------------------------------------------------------------------------


def _length(field: bytes) -> int:
    if not field.isdigit() or len(field) > 12:
        raise ValueError("bad length")
    return int(field)


class CachedFile:
    """A cache file whose key and header authenticated; blocks are read (and checked) on demand.

    Nothing is kept open: each read reopens the file and checks it is still the same one (a
    rewrite by another process is a new inode). Each read returns None when its digest fails.
    """

    def __init__(self, path: Path, identity: tuple[int, int, int], header: dict[str, Any], at: list[int]) -> None:
        self.path = path
        self.identity = identity
        self.header = header
        self.records_at, self.records_len, self.hays_at, self.hays_len = at

    def _read(self, offset: int, length: int, expected: str) -> bytes | None:
        try:
            opened = private.open_regular(self.path)
            if opened is None:
                return None
            fd, st = opened
            try:
                if (st.st_dev, st.st_ino, st.st_size) != self.identity:
                    return None
                data = private.pread(fd, length, offset)
            finally:
                os.close(fd)
            return data if private.digest(data) == expected else None
        except Exception:  # any failure reading cached data is a miss: the caller re-parses
            return None

    def record(self, i: int) -> str | None:
        try:
            starts: list[int] = self.header["starts"]
            end = starts[i + 1] - len(SEPARATOR) if i + 1 < len(starts) else self.records_len
            data = self._read(self.records_at + starts[i], end - starts[i], self.header["record_digests"][i])
            return data.decode("utf-8") if data is not None and data[:1] == b"{" else None
        except Exception:
            return None

    def records_block(self) -> bytes | None:
        return self._read(self.records_at, self.records_len, self.header["records_digest"])

    def haystacks(self) -> list[bytes] | None:
        data = self._read(self.hays_at, self.hays_len, self.header["hays_digest"])
        if data is None:
            return None
        hays = data.split(b"\n") if data else []
        return hays if len(hays) == len(self.header["starts"]) else None


def read(path: Path, key: dict[str, Any], *, again: bool = False) -> CachedFile | None:
    """The cache for `key` if it is ours, authentic, current and complete, else None (a miss).

    `again`: a second look under the build lock (another process may have just written it); a
    miss then is not counted twice.
    """
    located = private.keyed_directory()
    if located is None:
        return None
    where, mac_key = located
    name = _name(key)
    opened = private.open_regular(where / f"{name}.jsonl")
    if opened is None:
        stats["misses"] += 0 if again else 1
        return None
    fd, st = opened
    try:
        found = _authentic(fd, st.st_size, key, mac_key)
        if found is not None and time.time() - st.st_mtime > TOUCH_AFTER:
            os.utime(fd)  # least recently used goes first when the directory is tidied
    except Exception:  # a crafted or damaged file must never be more than a miss
        found = None
    finally:
        os.close(fd)
    if found is None:
        stats["misses"] += 0 if again else 1
        return None
    stats["hits"] += 1
    _used.add(name)
    header, at = found
    return CachedFile(where / f"{name}.jsonl", (st.st_dev, st.st_ino, st.st_size), header, at)


def _authentic(fd: int, size: int, key: dict[str, Any], mac_key: bytes) -> tuple[dict[str, Any], list[int]] | None:
    first = private.pread(fd, min(size, PREAMBLE_MAX), 0)
    end = first.find(b"\n")
    fields = first[:end].split(b" ") if end > 0 else []
    if len(fields) != 6 or fields[0] != MAGIC or len(fields[1]) != 64:
        return None
    mac = bytes.fromhex(fields[1].decode("ascii"))
    key_len, head_len, records_len, hays_len = (_length(f) for f in fields[2:])
    key_at = end + 1
    head_at = key_at + key_len + 1
    records_at = head_at + head_len + 1
    hays_at = records_at + records_len + 1
    if hays_at + hays_len + 1 != size or key_len > MAX_KEY:
        return None
    expected = _key_bytes(key)
    if key_len != len(expected) or private.pread(fd, key_len, key_at) != expected:
        return None  # another version of the file, or of backcare: stale
    head_line = private.pread(fd, head_len + 1, head_at)
    signed = b" ".join([MAGIC, *fields[2:]]) + b"\n" + expected + b"\n" + head_line[:-1]
    if not private.same(private.hmac_sha256(mac_key, signed), mac) or head_line[-1:] != b"\n":
        return None
    header = json.loads(head_line[:-1])
    if not _layout_ok(header, records_len):
        return None
    header["key"] = key
    return header, [records_at, records_len, hays_at, hays_len]


def _layout_ok(header: Any, records_len: int) -> bool:
    """The fields this module reads, each of the right type and in range."""
    if not isinstance(header, dict):
        return False
    starts, digests = header.get("starts"), header.get("record_digests")
    if not isinstance(starts, list) or not isinstance(digests, list) or len(starts) != len(digests):
        return False
    previous = -len(SEPARATOR)
    for start in starts:
        if type(start) is not int or start < previous + len(SEPARATOR) or start > records_len:
            return False
        previous = start
    strings = [*digests, header.get("records_digest"), header.get("hays_digest")]
    return all(isinstance(d, str) and len(d) == 32 for d in strings)


# -- writing, locking, tidying ------------------------------------------------------------------


def write(path: Path, header: dict[str, Any], records: list[str], hays: list[bytes]) -> None:
    located = private.keyed_directory()
    if located is None:
        return
    where, mac_key = located
    key = header["key"]
    name = _name(key)
    encoded = [r.encode("utf-8") for r in records]
    starts, offset = [], 0
    for data in encoded:
        starts.append(offset)
        offset += len(data) + len(SEPARATOR)
    block = SEPARATOR.join(encoded)
    hays_block = b"\n".join(hays)
    full = {k: v for k, v in header.items() if k != "key"}
    full.update(
        starts=starts,
        record_digests=[private.digest(data) for data in encoded],
        records_digest=private.digest(block),
        hays_digest=private.digest(hays_block),
    )
    head = json_escape(json.dumps(full, ensure_ascii=False, separators=(",", ":"))).encode("utf-8")
    key_bytes = _key_bytes(key)
    lengths = b"%d %d %d %d" % (len(key_bytes), len(head), len(block), len(hays_block))
    mac = private.hmac_sha256(mac_key, MAGIC + b" " + lengths + b"\n" + key_bytes + b"\n" + head)
    first = b"%s %s %s\n" % (MAGIC, mac.hex().encode("ascii"), lengths)
    content = first + key_bytes + b"\n" + head + b"\n" + block + b"\n" + hays_block + b"\n"

    if not write_file(where, f"{name}.jsonl", content):
        stats["write_errors"] += 1
        return
    stats["writes"] += 1
    _used.add(name)
    if not _tidy_scheduled:  # once per run that wrote, after everything is loaded
        import atexit

        atexit.register(finish_run)  # a host program's exit; `backcare` itself calls finish_run
    _tidy_scheduled.add(where)


def write_file(where: Path, name: str, content: bytes) -> bool:
    """`content` as where/name, whole or not at all: written to a private temporary (O_EXCL, 0600,
    never through a link; removed on SIGINT/SIGTERM), then renamed into place. False on failure."""
    tmp = where / f".tmp-{os.getpid()}-{os.urandom(4).hex()}"
    TEMPORARIES.add(str(tmp))
    try:
        fd = os.open(tmp, private.CREATE, 0o600)
        try:
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, where / name)
    except OSError:
        with suppress(OSError):
            os.unlink(tmp)
        return False
    finally:
        TEMPORARIES.discard(str(tmp))
    return True


def finish_run() -> None:
    """Tidy each cache directory this run wrote to (once). The `backcare` command calls this
    before it ends with os._exit, which runs no atexit handlers (__main__.finish)."""
    while _tidy_scheduled:
        tidy(_tidy_scheduled.pop())


def remove_temporaries() -> None:
    """Called on SIGINT/SIGTERM: no half-written file is left behind."""
    for name in list(TEMPORARIES):
        with suppress(OSError):
            os.unlink(name)


@contextmanager
def building(key: dict[str, Any]) -> Iterator[bool]:
    """Single flight: one process at a time parses a changed file; the others wait for its cache.

    Yields whether another process held the lock while we waited. One
    lock for the directory, never removed (removing a lock file races with its next user): cold
    builds of different files wait for each other too, which is rare and bounded. The lock file
    is private like the rest, and the wait is bounded: a process that hangs while building costs
    the others at most LOCK_WAIT seconds, then they build for themselves.
    """
    where = private.directory()
    fd: int | None = None
    waited = False
    if where is not None:
        try:
            import fcntl

            opened = private.open_regular(
                where / LOCK_FILE, os.O_RDWR | os.O_CREAT | private.NOFOLLOW | private.CLOEXEC
            )
            if opened is not None:
                fd = opened[0]
                deadline = time.monotonic() + LOCK_WAIT
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        waited = True
                        if time.monotonic() > deadline:
                            os.close(fd)
                            fd = None
                            break
                        time.sleep(0.05)
        except (ImportError, OSError):
            if fd is not None:
                os.close(fd)
                fd = None
    try:
        yield waited
    finally:
        if fd is not None:
            os.close(fd)  # releases the lock


def _source_exists(path: Path) -> bool:
    """Whether the knowledge-base file a cache file was built from is still there (unreadable
    or foreign cache files count as gone: they can only be junk)."""
    opened = private.open_regular(path)
    if opened is None:
        return False
    fd, st = opened
    try:
        first = private.pread(fd, min(st.st_size, PREAMBLE_MAX), 0)
        fields = first[: first.find(b"\n")].split(b" ")
        if len(fields) != 6 or fields[0] != MAGIC:
            return False
        key_len = min(_length(fields[2]), MAX_KEY)
        key = json.loads(private.pread(fd, key_len, first.find(b"\n") + 1))
        source = key["path"]
        if not isinstance(source, str):
            return False
        os.stat(source)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # there, but not ours to read: keep
    except Exception:
        return False
    finally:
        os.close(fd)
    return True


def tidy(where: Path) -> None:
    """Remove stale temporary files, caches of files that no longer exist, and all but the
    MAX_CACHE_FILES most recently used caches (never one this run used)."""
    now = time.time()
    caches: list[tuple[bool, float, str]] = []
    try:
        with os.scandir(where) as found:
            for entry in found:
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                name = entry.name
                if name.startswith(".tmp-"):
                    if now - st.st_mtime > STALE_TEMPORARY:
                        _unlink(where, name)
                elif name.startswith("kb-") and name.endswith(".jsonl"):
                    stem = name[: -len(".jsonl")]
                    if stem not in _used and not _source_exists(where / name):
                        _unlink(where, name)
                        continue
                    caches.append((stem in _used, st.st_mtime, stem))
    except OSError:
        return
    caches.sort(reverse=True)  # used by this run first, then the most recently used
    kept = {stem for _, _, stem in caches[:MAX_CACHE_FILES]} | _used
    for _, _, stem in caches:
        if stem not in kept:
            _unlink(where, f"{stem}.jsonl")


def _unlink(where: Path, name: str) -> None:
    with suppress(OSError):
        os.unlink(where / name)
