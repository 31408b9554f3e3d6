"""Finished pages kept for the next identical request (decision 007).

A table for the terminal costs an import of Rich (~20 ms) and an HTML handout one of Jinja2
(~22 ms) before anything is drawn; the same view drawn with the same settings gives the same
text. So the drawn text is kept in the private cache directory and a repeated lookup, the common
case for a reference, writes it again without importing either library.

The key is everything the page is drawn from, and nothing is decided here that the renderer
decides: the view itself (`repr`: views are tuples of text and numbers); the format and its
settings (charset and --color; for a handout the paper and the citation line, which carries the
date); every input Rich reads to decide colour and width (terminal_inputs: its environment
variables, the terminal's size, whether stdout is a terminal, the platform); backcare's version;
and the size and modification time of the code that draws (output.py, render/, the templates)
and of the installed Rich or Jinja2. A different input is a different page: nothing is ever
invalidated in place.

Trust: pages live where the knowledge-base cache lives (private.py: a directory of the user's
own, writable by nobody else). Each file is `MAGIC MAC\\n` and the text, the MAC an HMAC-SHA256
over key and text under the per-user secret, and its name a MAC of the key alone (so a name
says nothing about what was looked up). A file that is not ours, not regular, too big or fails
its MAC is a miss. At most MAX_PAGES are kept; writing a new one removes the oldest.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any

from backcare import __version__, private

MAGIC = b"backcare-page-1"
MAX_PAGES = 64
MAX_PAGE_BYTES = 4 << 20  # a four-way full comparison in HTML is ~0.1 MB
PREFIX = "page-"

stats = {"hits": 0, "misses": 0, "writes": 0}


def terminal_inputs() -> tuple[Any, ...]:
    """What Rich looks at to decide width and colour, as it would find it now: every variable its
    Console reads (rich/console.py; tests/test_pages.py checks this list against the installed
    Rich), the terminal's size, whether stdout is a terminal, the platform."""
    variables = (
        os.environ.get("TERM"),
        os.environ.get("COLORTERM"),
        os.environ.get("NO_COLOR"),
        os.environ.get("FORCE_COLOR"),
        os.environ.get("TTY_COMPATIBLE"),
        os.environ.get("TTY_INTERACTIVE"),
        os.environ.get("COLUMNS"),
        os.environ.get("LINES"),
        os.environ.get("JUPYTER_COLUMNS"),
        os.environ.get("JUPYTER_LINES"),
    )
    size: Any = None
    for fd in (0, 1, 2):  # Rich asks stdin, stdout, stderr in turn
        try:
            size = tuple(os.get_terminal_size(fd))
            break
        except (AttributeError, ValueError, OSError):
            continue
    try:
        tty = sys.stdout.isatty()
    except (ValueError, AttributeError):
        tty = False
    return (variables, size, tty, sys.platform)


def key(kind: str, library: str, settings: Iterable[Any], view: Any) -> bytes:
    """The key of `view` drawn as `kind` by `library` (rich or jinja2) with `settings`."""
    parts = [kind, __version__, repr(_code(library)), repr(tuple(settings)), repr(view)]
    return "\0".join(parts).encode("utf-8", "surrogatepass")


def _code(library: str) -> list[int]:
    """Size and mtime of every file that draws a page, and of the library's own package."""
    here = Path(__file__).parent
    files = [here / "output.py"]
    for folder in ("render", "templates"):
        with suppress(OSError):
            files += sorted(p for p in (here / folder).iterdir() if p.suffix in (".py", ".html"))
    with suppress(ImportError, ValueError, AttributeError):
        import importlib.util

        spec = importlib.util.find_spec(library)
        if spec is not None and spec.origin:
            files.append(Path(spec.origin))
    return private.fingerprint(files)


def fetch(page_key: bytes) -> str | None:
    """The page kept for this key, if there is an authentic one; else None."""
    found = private.keyed_directory()
    if found is None:
        return None
    where, secret = found
    opened = private.open_regular(where / _name(secret, page_key))
    if opened is None:
        stats["misses"] += 1
        return None
    fd, st = opened
    text = None
    try:
        if st.st_size <= MAX_PAGE_BYTES + len(MAGIC) + 66:
            text = _authentic(private.pread(fd, st.st_size, 0), secret, page_key)
    except (OSError, ValueError):
        text = None
    finally:
        os.close(fd)
    stats["hits" if text is not None else "misses"] += 1
    return text


def keep(page_key: bytes, text: str) -> None:
    """Keep a drawn page for the next identical request (quietly nothing if there is no cache)."""
    data = text.encode("utf-8", "surrogatepass")
    found = private.keyed_directory()
    if found is None or len(data) > MAX_PAGE_BYTES:
        return
    where, secret = found
    from backcare.cache import write_file

    mac = private.hmac_sha256(secret, page_key + b"\0" + data)
    if not write_file(where, _name(secret, page_key), MAGIC + b" " + mac.hex().encode("ascii") + b"\n" + data):
        return
    stats["writes"] += 1
    _prune(where)


def _name(secret: bytes, page_key: bytes) -> str:
    return PREFIX + private.hmac_sha256(secret, b"name\0" + page_key)[:16].hex()


def _authentic(data: bytes, secret: bytes, page_key: bytes) -> str | None:
    end = data.find(b"\n")
    fields = data[:end].split(b" ") if end > 0 else []
    if len(fields) != 2 or fields[0] != MAGIC or len(fields[1]) != 64:
        return None
    body = data[end + 1 :]
    expected = private.hmac_sha256(secret, page_key + b"\0" + body)
    if not private.same(expected, bytes.fromhex(fields[1].decode("ascii"))):
        return None
    return body.decode("utf-8", "surrogatepass")


def _prune(where: Path) -> None:
    """Keep the MAX_PAGES most recently written pages."""
    pages: list[tuple[float, str]] = []
    with suppress(OSError), os.scandir(where) as found:
        for entry in found:
            if entry.name.startswith(PREFIX):
                with suppress(OSError):
                    pages.append((entry.stat(follow_symlinks=False).st_mtime, entry.name))
    pages.sort(reverse=True)
    for _, name in pages[MAX_PAGES:]:
        with suppress(OSError):
            os.unlink(where / name)
