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


def _xdg(var: str, fallback: tuple[str, ...]) -> Located:
    value = os.environ.get(var)
    if value and os.path.isabs(value):
        return Located(Path(value) / "backcare", f"environment variable {var}")
    home = _home()
    if home is None:
        return Located(None, f"none: {var} and HOME are unset")
    return Located(home.joinpath(*fallback, "backcare"), f"default (~/{'/'.join(fallback)}/backcare)")


def user_data_dir() -> Located:
    return _xdg("XDG_DATA_HOME", (".local", "share"))


def cache_dir() -> Located:
    if os.environ.get("BACKCARE_NO_CACHE"):
        return Located(None, "off: environment variable BACKCARE_NO_CACHE")
    return _xdg("XDG_CACHE_HOME", (".cache",))


def user_files() -> list[Path]:
    """Every *.yaml in the user data directory, in name order."""
    located = user_data_dir()
    if located.path is None:
        return []
    try:
        return sorted(p for p in located.path.glob("*.yaml") if p.is_file())
    except OSError:
        return []


def data_from_env() -> list[Path]:
    value = os.environ.get("BACKCARE_DATA", "")
    return [Path(p) for p in value.split(os.pathsep) if p]
