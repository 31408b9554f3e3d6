"""The cache's trust boundary: a private directory, a per-user secret, files opened safely.

The directory is used only when it is owned by the user and writable by nobody else (created
0700); otherwise the run goes uncached with one note on stderr. Files in it are opened without
following symlinks and without blocking, and used only when fstat says a regular file owned by
the user. The secret (32 random bytes, 0600, linked into place so no reader sees half of it)
keys an HMAC-SHA256 over each cache file's key and header, so a planted file fails even where
ownership means nothing (a shared or foreign file system). Decision record 002 has the threat
model and the measured costs.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any

from backcare.controls import shown_path
from backcare.errors import notice
from backcare.paths import cache_dir

KEY_FILE = "secret"
SECRET_SIZE = 32
MAX_CACHE_BYTES = 1 << 32

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)
READ = os.O_RDONLY | NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | CLOEXEC
CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC

# Per process: the checked directory and its secret, and the hash constructors.
_state: dict[str, Any] = {}


# -- hashing: the interpreter's built-in SHA-256 and BLAKE2b (hashlib would load OpenSSL, ~2-4 ms)


def _constructors() -> tuple[Callable[..., Any], Callable[..., Any]]:
    if "hash" not in _state:
        sha256: Callable[..., Any] | None = None
        for module in ("_sha2", "_sha256"):  # 3.12+, 3.11
            try:
                sha256 = getattr(__import__(module), "sha256", None)
            except ImportError:
                continue
            if sha256 is not None:
                break
        try:
            from _blake2 import blake2b
        except ImportError:  # pragma: no cover - an interpreter built without it
            from hashlib import blake2b
        if sha256 is None:  # pragma: no cover
            from hashlib import sha256
        _state["hash"] = (sha256, blake2b)
    value: tuple[Callable[..., Any], Callable[..., Any]] = _state["hash"]
    return value


def hmac_sha256(key: bytes, message: bytes) -> bytes:
    """HMAC-SHA256 (RFC 2104), as hmac.digest(key, message, "sha256") computes it."""
    sha256 = _constructors()[0]
    if len(key) > 64:  # longer than SHA-256's block: hashed first, as the RFC says
        key = sha256(key).digest()
    padded = key.ljust(64, b"\0")
    inner = sha256(bytes(b ^ 0x36 for b in padded))
    inner.update(message)
    outer = sha256(bytes(b ^ 0x5C for b in padded))
    outer.update(inner.digest())
    digest: bytes = outer.digest()
    return digest


def same(a: bytes, b: bytes) -> bool:
    """Whether two MACs are equal, in time that does not depend on where they differ."""
    try:
        from _operator import _compare_digest
    except ImportError:  # pragma: no cover
        return a == b
    return _compare_digest(a, b)


def digest(data: bytes) -> str:
    value: str = _constructors()[1](data, digest_size=16).hexdigest()
    return value


# -- the directory, its secret, and safe opening ----------------------------------------------


def fingerprint(paths: Iterable[Path]) -> list[int]:
    """Size and mtime (ns) of each file, [-1, -1] for one that cannot be read: a key part that
    changes when code is edited in place (an editable install, a git checkout)."""
    out: list[int] = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:  # run from a zip or a frozen build: the package version still guards
            out += [-1, -1]
            continue
        out += [st.st_size, st.st_mtime_ns]
    return out


def owned(st: os.stat_result) -> bool:
    geteuid = getattr(os, "geteuid", None)
    return geteuid is None or st.st_uid == geteuid()


def directory() -> Path | None:
    """The cache directory if it is private (created 0700), else None: the run goes uncached."""
    located = cache_dir().path
    if located is None:
        return None
    if _state.get("dir_for") != located:
        _state.update(dir_for=located, dir=_private(located), secret_for=None)
    where: Path | None = _state["dir"]
    return where


def keyed_directory() -> tuple[Path, bytes] | None:
    """The private cache directory and the secret its files are authenticated with, or None
    (no private directory, or no secret): then nothing is read from or written to the cache."""
    where = directory()
    key = secret(where) if where is not None else None
    if where is None or key is None:
        return None
    return where, key


def _private(path: Path) -> Path | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with suppress(FileExistsError):
            os.mkdir(path, 0o700)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | NOFOLLOW | CLOEXEC)
    except OSError as exc:
        if os.path.islink(path):
            notice(f"not using the cache directory {shown_path(path)}: it is a symbolic link; running without a cache")
        elif not isinstance(exc, FileNotFoundError | PermissionError | NotADirectoryError | FileExistsError):
            notice(f"not using the cache directory {shown_path(path)} ({exc.strerror}); running without a cache")
        return None  # cannot be created (a read-only home): no cache, as documented, no noise
    try:
        st = os.fstat(fd)
    finally:
        os.close(fd)
    problem = ""
    if not owned(st):
        problem = f"it belongs to another user (uid {st.st_uid})"
    elif st.st_mode & 0o022:
        problem = f"others can write to it (mode {stat.S_IMODE(st.st_mode):04o})"
    if problem:
        notice(f"not using the cache directory {shown_path(path)}: {problem}; running without a cache")
        return None
    return path


def open_regular(path: Path, mode: int = READ) -> tuple[int, os.stat_result] | None:
    """A descriptor for a regular file of ours (never through a symlink, never a FIFO)."""
    try:
        fd = os.open(path, mode, 0o600)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
    except OSError:
        os.close(fd)
        return None
    if not stat.S_ISREG(st.st_mode) or not owned(st) or st.st_size > MAX_CACHE_BYTES:
        os.close(fd)
        return None
    return fd, st


def pread(fd: int, length: int, offset: int) -> bytes:
    data = os.pread(fd, length, offset)
    while len(data) < length:  # a regular file returns everything at once; be sure anyway
        more = os.pread(fd, length - len(data), offset + len(data))
        if not more:
            raise ValueError("short read")
        data += more
    return data


def secret(where: Path) -> bytes | None:
    """The per-user key the cache is authenticated with, created on first use."""
    if _state.get("secret_for") != where:
        value = _read_secret(where / KEY_FILE)
        if value is None:
            value = _make_secret(where)
        _state.update(secret_for=where, secret=value)
    key: bytes | None = _state["secret"]
    return key


def _read_secret(path: Path) -> bytes | None:
    opened = open_regular(path)
    if opened is None:
        return None
    fd, st = opened
    try:
        if st.st_mode & 0o077 or st.st_size != SECRET_SIZE:
            return None
        return pread(fd, SECRET_SIZE, 0)
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)


def _make_secret(where: Path) -> bytes | None:
    """Written to a new file then linked into place: no reader sees half a secret, and when two
    processes race, both end up using the one that was linked first."""
    path = where / KEY_FILE
    if os.path.lexists(path):  # there, but not a private regular file of 32 bytes: replace it
        try:
            os.unlink(path)
        except OSError:
            return None
    tmp = where / f".tmp-secret-{os.getpid()}-{os.urandom(4).hex()}"
    try:
        fd = os.open(tmp, CREATE, 0o600)
        try:
            os.write(fd, os.urandom(SECRET_SIZE))
        finally:
            os.close(fd)
        with suppress(FileExistsError):
            os.link(tmp, path)
    except OSError:
        return None
    finally:
        with suppress(OSError):
            os.unlink(tmp)
    return _read_secret(path)
