"""Small golden files per renderer: a layout change fails here, where it happens, not as a stale
README. A fixture knowledge base (two entries, fixed clock and width) is drawn by every renderer;
the expected text lives in tests/golden/. After an intended change, regenerate with
BACKCARE_UPDATE_GOLDEN=1 pytest tests/test_golden.py and read the diff before committing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run
from kbfactory import entry, kb, write

GOLDEN = Path(__file__).resolve().parent / "golden"
ENV = {"COLUMNS": "80", "BACKCARE_TODAY": "2026-11-29", "NO_COLOR": "1", "TERM": "xterm"}
CASES = {
    "show": ["show", "one"],
    "show-full": ["show", "one", "--full"],
    "compare": ["compare", "one", "two"],
    "list": ["list"],
}
FORMATS = ("table", "plain", "markdown", "html")


@pytest.fixture
def fixture_kb(tmp_path: Path) -> Path:
    one = entry(
        "one",
        name="Treatment one",
        summary="A made-up treatment for tests, with a summary long enough to wrap at eighty columns.",
        evidence={
            "quality": "moderate",
            "summary": "One trial against usual care.",
            "does_not_show": "It does not show a cure.",
            "effects": [
                {
                    "outcome": "pain at least halved",
                    "events_per_100": 48,
                    "comparator_events_per_100": 27,
                    "comparator": "usual care",
                    "time_frame": "6 months",
                    "time_frame_days": 182,
                    "population": "adults with long-lasting back pain",
                    "source": "s1",
                }
            ],
        },
        guidelines=[{"body": "NICE", "code": "NG59", "year": 2016, "stance": "against", "summary": "Do not offer it."}],
    )
    two = entry("two", name="Treatment two", category="surgical", invasiveness="open-surgery")
    return write(tmp_path / "golden.yaml", kb(one, two))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", list(CASES))
def test_renderer_output_matches_its_golden_file(
    fixture_kb: Path, case: str, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if fmt == "html" and case == "list":
        pytest.skip("list has no HTML handout")  # documented: handouts are show, compare, conditions
    monkeypatch.chdir(fixture_kb.parent)  # a relative name: the same text (and wrapping) on every machine
    result = run("--data-only", fixture_kb.name, *CASES[case], "-f", fmt, env=ENV)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    path = GOLDEN / f"{case}.{fmt}.txt"
    if os.environ.get("BACKCARE_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with BACKCARE_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs: a layout change? see the module docstring"
