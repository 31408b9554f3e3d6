"""Where backcare reads from, and where each setting came from (for `backcare paths`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

BUNDLED = Path(__file__).parent / "data" / "treatments.yaml"


class Located(NamedTuple):
    path: Path | None
    source: str  # "default", "environment variable X", "option --x", or why there is none


def _home() -> Path | None:
    home = os.environ.get("HOME")
    if home:
        return Path(home)
    try:
        return Path.home()
    except (RuntimeError, KeyError, OSError):
        return None


def _xdg(var: str, value: str | None, fallback: tuple[str, ...]) -> Located:
    if value and os.path.isabs(value):
        return Located(Path(value) / "backcare", f"environment variable {var}")
    home = _home()
    if home is None:
        return Located(None, f"none: {var} and HOME are unset")
    return Located(home.joinpath(*fallback, "backcare"), f"default (~/{'/'.join(fallback)}/backcare)")


def user_data_dir() -> Located:
    return _xdg("XDG_DATA_HOME", os.environ.get("XDG_DATA_HOME"), (".local", "share"))


def cache_dir() -> Located:
    if os.environ.get("BACKCARE_NO_CACHE"):
        return Located(None, "off: environment variable BACKCARE_NO_CACHE")
    return _xdg("XDG_CACHE_HOME", os.environ.get("XDG_CACHE_HOME"), (".cache",))


def user_files() -> list[Path]:
    """Every *.yaml in the user data directory, in name order."""
    located = user_data_dir()
    if located.path is None:
        return []
    try:
        with os.scandir(located.path) as found:  # FIFOs too: named, then skipped by the reader
            names = [e.name for e in found if e.name.endswith(".yaml") and not e.is_dir()]
    except OSError:
        return []
    return [located.path / name for name in sorted(names)]


def data_from_env() -> list[Path]:
    value = os.environ.get("BACKCARE_DATA", "")
    return [Path(p) for p in value.split(os.pathsep) if p]


class PathRow(NamedTuple):
    what: str
    path: Path | None
    source: str

    @property
    def exists(self) -> str:
        if self.path is None:
            return "-"
        if not self.what.endswith("directory") and (self.path.exists() or self.path.is_symlink()):
            from backcare.yamlfile import problem_reading

            problem = problem_reading(self.path)
            return f"unreadable: {problem}" if problem else "yes"
        return "yes" if self.path.exists() else "no"


def rows(data: list[Path], data_only: Path | None) -> list[PathRow]:
    """Every file and directory backcare reads (`backcare paths`), and where each came from."""
    out: list[PathRow] = []
    if data_only is not None:
        out.append(PathRow("knowledge base (alone)", data_only, "option --data-only"))
    else:
        out.append(PathRow("bundled knowledge base", BUNDLED, "installed with backcare"))
        data_dir = user_data_dir()
        out.append(PathRow("user data directory", data_dir.path, data_dir.source))
        out += [PathRow("user file", p, "*.yaml in the user data directory") for p in user_files()]
        if data:
            out += [PathRow("--data file", p, "option --data") for p in data]
        else:
            out += [PathRow("--data file", p, "environment variable BACKCARE_DATA") for p in data_from_env()]
    cache = cache_dir()
    out.append(PathRow("cache directory", cache.path, cache.source))
    return out
