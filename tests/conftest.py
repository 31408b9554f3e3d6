from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backcare.cli import app

# The eight treatments of the source article, in the order the bundled knowledge base lists them.
ARTICLE_TREATMENTS = [
    "kyphoplasty",
    "radiofrequency-ablation",
    "epidural-steroid-injection",
    "laser-spine-surgery",
    "spinal-manipulation",
    "acupuncture",
    "massage-therapy",
    "mindfulness-meditation",
]
ENV_VARS = (
    "BACKCARE_DATA",
    "BACKCARE_NO_CACHE",
    "BACKCARE_DEBUG",
    "BACKCARE_PAGER",
    "BACKCARE_TODAY",
    "PAGER",
    "NO_COLOR",
    "FORCE_COLOR",
    "COLUMNS",
    "TTY_COMPATIBLE",
)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No test reads or writes the real home, cache or data directories."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    yield home


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    path = tmp_path / "xdg-data" / "backcare"
    path.mkdir(parents=True)
    return path


def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env=env, input=input)
