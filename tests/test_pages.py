"""Issue 16: finished pages (tables, HTML handouts) kept for the next identical request (pages.py).

What a user must see: the same bytes as a fresh drawing, every time; a change of terminal width,
colour choice, knowledge base or date drawing a new page; a planted or damaged page never shown.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from backcare import pages
from conftest import run
from kbfactory import entry, kb, write

FOUR = ["spinal-manipulation", "acupuncture", "massage-therapy", "exercise-therapy"]


def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "xdg-cache" / "backcare"


def page_files(tmp_path: Path) -> list[Path]:
    return sorted(cache_dir(tmp_path).glob(pages.PREFIX + "*"))


def backcare(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A real process (`python -X importtime -m backcare`), so imports can be seen on stderr."""
    environ = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "COLUMNS": "100",
        "BACKCARE_TODAY": "2026-11-29",
        **env,
    }
    environ.pop("BACKCARE_NO_CACHE", None)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "backcare", *args], capture_output=True, text=True, env=environ
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def imported(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def test_a_repeated_table_is_the_same_page_drawn_without_rich(tmp_path: Path) -> None:
    first = backcare(tmp_path, "show", "kyphoplasty", "--format", "table", "--color", "always")
    again = backcare(tmp_path, "show", "kyphoplasty", "--format", "table", "--color", "always")
    assert "rich.console" in imported(first)
    assert not {m for m in imported(again) if m.startswith("rich")}
    assert again.stdout == first.stdout and "\x1b[" in again.stdout
    assert len(page_files(tmp_path)) == 1


def test_a_repeated_handout_is_the_same_page_drawn_without_jinja2(tmp_path: Path) -> None:
    first = backcare(tmp_path, "compare", *FOUR, "--format", "html")
    again = backcare(tmp_path, "compare", *FOUR, "--format", "html")
    assert "jinja2" in imported(first)
    assert not {m for m in imported(again) if m.startswith(("jinja2", "markupsafe", "rich"))}
    assert again.stdout == first.stdout and again.stdout.startswith("<!DOCTYPE html>")
    letter = backcare(tmp_path, "compare", *FOUR, "--format", "html", "--paper", "letter")
    assert "jinja2" in imported(letter) and letter.stdout != first.stdout  # another paper: drawn anew


def test_a_new_date_draws_the_handout_anew(tmp_path: Path) -> None:
    first = backcare(tmp_path, "show", "acupuncture", "--format", "html")
    later = backcare(tmp_path, "show", "acupuncture", "--format", "html", BACKCARE_TODAY="2026-12-01")
    assert "Printed 2026-11-29." in first.stdout and "Printed 2026-12-01." in later.stdout
    assert "jinja2" in imported(later)


@pytest.mark.parametrize(
    ("change", "expect"),
    [
        ({"COLUMNS": "60"}, "narrower"),
        ({"NO_COLOR": "1"}, "no colour"),
        ({"TERM": "dumb"}, "dumb"),
    ],
)
def test_each_terminal_input_rich_reads_draws_its_own_page(tmp_path: Path, change: dict[str, str], expect: str) -> None:
    base = backcare(tmp_path, "show", "kyphoplasty", "--format", "table", TERM="xterm-256color")
    fresh_dir = tmp_path / "fresh"
    fresh_dir.mkdir()
    changed = backcare(tmp_path, "show", "kyphoplasty", "--format", "table", **{"TERM": "xterm-256color", **change})
    reference = backcare(fresh_dir, "show", "kyphoplasty", "--format", "table", **{"TERM": "xterm-256color", **change})
    assert "rich.console" in imported(changed), expect  # a miss: drawn by Rich
    assert changed.stdout == reference.stdout  # exactly what a first drawing gives
    if expect == "narrower":
        assert max(len(line) for line in changed.stdout.splitlines()) <= 60 < max(map(len, base.stdout.splitlines()))


def test_an_edited_knowledge_base_draws_the_new_text(tmp_path: Path) -> None:
    data = write(tmp_path / "kb.yaml", kb(entry("one", name="First wording")))
    first = run("--data-only", str(data), "show", "one", "-f", "table")
    assert "First wording" in first.stdout
    write(data, kb(entry("one", name="Second wording")))
    again = run("--data-only", str(data), "show", "one", "-f", "table")
    assert "Second wording" in again.stdout and "First wording" not in again.stdout


def test_a_damaged_or_planted_page_is_never_shown(tmp_path: Path) -> None:
    first = run("show", "kyphoplasty", "-f", "table")
    (page,) = page_files(tmp_path)
    data = page.read_bytes()
    page.write_bytes(data.replace(b"kyphoplasty", b"KYPHOPLASTY"))  # same length, MAC no longer matches
    before = dict(pages.stats)
    again = run("show", "kyphoplasty", "-f", "table")
    assert again.stdout == first.stdout and "KYPHOPLASTY" not in again.stdout
    assert pages.stats["misses"] == before["misses"] + 1 and pages.stats["writes"] == before["writes"] + 1
    assert page.read_bytes() == data  # replaced by a good page


def test_a_page_that_is_a_symlink_is_not_followed(tmp_path: Path) -> None:
    first = run("show", "kyphoplasty", "-f", "table")
    (page,) = page_files(tmp_path)
    target = tmp_path / "elsewhere"
    target.write_bytes(page.read_bytes())
    page.unlink()
    page.symlink_to(target)
    before = dict(pages.stats)
    again = run("show", "kyphoplasty", "-f", "table")
    assert again.stdout == first.stdout
    assert pages.stats["hits"] == before["hits"] and pages.stats["misses"] == before["misses"] + 1


def test_no_pages_are_kept_when_the_cache_is_off(tmp_path: Path) -> None:
    assert run("show", "kyphoplasty", "-f", "table", env={"BACKCARE_NO_CACHE": "1"}).exit_code == 0
    assert page_files(tmp_path) == []


def test_at_most_max_pages_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "MAX_PAGES", 3)
    for name in ["kyphoplasty", "acupuncture", "massage-therapy", "exercise-therapy", "yoga"]:
        assert run("show", name, "-f", "table").exit_code == 0
    assert len(page_files(tmp_path)) == 3


def test_plain_markdown_and_json_keep_no_pages(tmp_path: Path) -> None:
    for fmt in ("plain", "markdown", "json"):
        assert run("show", "kyphoplasty", "-f", fmt).exit_code == 0
    assert page_files(tmp_path) == []


def test_the_key_covers_every_variable_rich_reads() -> None:
    """pages.terminal_inputs must name every environment variable the installed Rich's Console
    reads, or a page drawn under one setting could be shown under another."""
    import rich.console

    source = Path(rich.console.__file__).read_text(encoding="utf-8")
    rich_reads = set(re.findall(r"environ\.get\(\s*\"([A-Z_]+)\"", source))
    ours = set(re.findall(r"os\.environ\.get\(\"([A-Z_]+)\"\)", Path(pages.__file__).read_text(encoding="utf-8")))
    assert rich_reads and rich_reads <= ours
