"""Reading knowledge-base files: bytes to text, text to data with a safe, line-numbering loader.

Every failure is one InvalidKnowledgeBase line naming the file (and line:column where YAML can
say). Only the safe loader is used (libyaml's C loader when present); tags, anchors, aliases and
duplicate keys are refused, so reading a file can never run code or blow up memory. Only a
regular file is read (a FIFO or /dev/zero is refused before a byte is read), and only up to a
size cap (16 MB unless BACKCARE_MAX_FILE_MB says otherwise); integers longer than Python will
build are refused with their line.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

from backcare.controls import shown_path
from backcare.errors import InvalidKnowledgeBase, Unreadable, UsageError

MAX_FILE_MB = 16  # default size cap for one knowledge-base file; BACKCARE_MAX_FILE_MB raises it
MAX_INT_DIGITS = 4300  # Python's own limit for turning text into an int (sys.int_info)
_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def max_file_bytes() -> int:
    value = os.environ.get("BACKCARE_MAX_FILE_MB", "").strip()
    if not value:
        return MAX_FILE_MB << 20
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = -1.0
    if not 0 < megabytes < 1 << 20:
        raise UsageError(f"BACKCARE_MAX_FILE_MB={value!r} is not a size in megabytes (default {MAX_FILE_MB})")
    return int(megabytes * (1 << 20))


def open_regular(path: Path) -> tuple[int, int]:
    """An open descriptor and the size of a regular file within the size cap, or Unreadable.

    O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then says what it is.
    """
    shown = shown_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise Unreadable(f"{shown}: no such file") from None
    except PermissionError:
        raise Unreadable(f"{shown}: cannot read the file (permission denied)") from None
    except IsADirectoryError:
        raise Unreadable(f"{shown}: is a directory, not a knowledge-base file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Unreadable(f"{shown}: is a symbolic link loop") from None
        raise Unreadable(f"{shown}: cannot read the file ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise Unreadable(f"{shown}: is a directory, not a knowledge-base file")
        if not stat.S_ISREG(st.st_mode):
            kind = _KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")
            raise Unreadable(f"{shown}: is {kind}, not a knowledge-base file")
        _check_size(shown, st.st_size)
    except BaseException:
        os.close(fd)
        raise
    return fd, st.st_size


def _check_size(shown: str, size: int) -> None:
    limit = max_file_bytes()
    if size > limit:
        raise Unreadable(
            f"{shown}: is {size / (1 << 20):.1f} MB, over the {limit / (1 << 20):g} MB limit for a "
            "knowledge-base file (set BACKCARE_MAX_FILE_MB to raise it)"
        )


def problem_reading(path: Path) -> str | None:
    """Why the file could not be loaded (the Unreadable message), or None if it can be read."""
    try:
        fd, _ = open_regular(path)
    except Unreadable as exc:
        return str(exc).removeprefix(f"{shown_path(path)}: ")
    os.close(fd)
    return None


def read_bytes(path: Path) -> bytes:
    """The whole file, reading no more than the size cap allows even if it grows meanwhile."""
    fd, size = open_regular(path)
    limit = max_file_bytes()
    chunks: list[bytes] = []
    total = 0
    try:
        while total <= limit:
            chunk = os.read(fd, max(size - total, 0) + 65536)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise Unreadable(f"{shown_path(path)}: cannot read the file ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    _check_size(shown_path(path), total)
    return b"".join(chunks)


def read_text(path: Path) -> str:
    """The file as text, or InvalidKnowledgeBase with one clear line."""
    shown = shown_path(path)
    raw = read_bytes(path)
    if b"\x00" in raw:
        raise InvalidKnowledgeBase(f"{shown}: looks like a binary file, not YAML text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidKnowledgeBase(
            f"{shown}:{line}: the file is not valid UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


def _loader_class() -> type[Any]:
    import yaml

    from backcare.schema import LineDict

    base: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc]
        """Safe loader that records line numbers and refuses anchors, aliases and duplicate keys."""

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            if node in self.constructed_objects:
                raise yaml.constructor.ConstructorError(
                    None, None, "anchors and aliases (&name / *name) are not allowed", node.start_mark
                )
            return super().construct_object(node, deep=deep)

    def construct_map(loader: Any, node: Any) -> LineDict:
        loader.flatten_mapping(node)
        data = LineDict()
        data.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) or key is None:
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be plain words", key_node.start_mark
                )
            name = str(key)
            if name in data:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{name}' in the same mapping", key_node.start_mark
                )
            data[name] = loader.construct_object(value_node, deep=True)
            data.key_lines[name] = key_node.start_mark.line + 1
        return data

    def construct_int(loader: Any, node: Any) -> int:
        if len(str(node.value)) > MAX_INT_DIGITS:  # Python would raise ValueError deep inside
            raise yaml.constructor.ConstructorError(
                None, None, f"a number longer than {MAX_INT_DIGITS:,} digits is not allowed", node.start_mark
            )
        value: int = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
        return value

    Loader.add_constructor("tag:yaml.org,2002:map", construct_map)
    Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    return Loader


def parse_yaml(text: str, path: Path) -> Any:
    import yaml

    shown = shown_path(path)
    try:
        return yaml.load(text, Loader=_loader_class())  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else shown
        problem = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, yaml.constructor.ConstructorError):
            if "could not determine a constructor" in problem:
                tag = problem.split("tag", 1)[-1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
                problem = f"the tag {tag} is not allowed (plain YAML only; nothing was run)"
            raise InvalidKnowledgeBase(f"{where}: {problem}") from None
        if "tab" in problem:
            problem = "a tab character is used for indentation (indent with spaces)"
        raise InvalidKnowledgeBase(f"{where}: YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise InvalidKnowledgeBase(f"{shown}: YAML error: {exc}") from None
    except RecursionError:
        raise InvalidKnowledgeBase(f"{shown}: the YAML is nested too deeply") from None
    except ValueError as exc:  # a value Python refuses to build (e.g. an integer too long)
        raise InvalidKnowledgeBase(f"{shown}: {exc}") from None
