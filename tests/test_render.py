"""The renderers on their own: colours that carry meaning, highlighting, and widths in cells.

These are the checks that fail when a style is dropped or inverted (the rest of the suite would
still pass, since it mostly reads plain text).
"""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from backcare.render.layout import Cell, line_width, simple_table, width_of, wrap
from backcare.render.table import RichRenderer
from backcare.views import Gauge, Stance
from conftest import run


def renderer() -> RichRenderer:
    console = Console(file=io.StringIO(), force_terminal=True, width=80, color_system="standard")
    return RichRenderer(console, "unicode")


@pytest.mark.parametrize(
    ("gauge", "colour"),
    [
        (Gauge(4, 4, "high certainty", "dots"), "green"),  # more dots = more certain = green
        (Gauge(3, 4, "moderate certainty", "dots"), "green"),
        (Gauge(2, 4, "low certainty", "dots"), "yellow"),
        (Gauge(1, 4, "very low certainty", "dots"), "red"),
        (Gauge(0, 4, "no needle", "bar"), "green"),  # a longer bar = more invasive = red
        (Gauge(2, 4, "needle into the spine", "bar"), "yellow"),
        (Gauge(4, 4, "open surgery", "bar"), "red"),
    ],
)
def test_gauge_colours_carry_the_right_meaning(gauge: Gauge, colour: str) -> None:
    assert renderer().cell(gauge).styled_style == colour


@pytest.mark.parametrize(("stance", "colour"), [("recommend", "green"), ("against", "red"), ("consider", "yellow")])
def test_stance_colours(stance: str, colour: str) -> None:
    assert colour in renderer().cell(Stance(stance, "text")).styled_style


def test_search_highlights_the_matched_word_on_a_terminal() -> None:
    result = run("--color", "always", "search", "acupuncture", "-n", "1")
    assert result.exit_code == 0
    # bold (1) and reverse (7) on the matched word, in the snippet column
    assert re.search(r"\x1b\[1;7m[Aa]cupuncture", result.stdout), result.stdout


def test_search_highlighting_is_absent_without_colour() -> None:
    result = run("--color", "never", "search", "acupuncture", "-n", "1")
    assert "\x1b[" not in result.stdout


WIDE = "腰痛の治療についての説明文です。" * 4  # 64 wide characters = 128 cells


def test_wide_characters_take_two_cells() -> None:
    assert width_of("腰痛") == 4
    assert width_of("abc") == 3


def test_wrapped_wide_text_never_exceeds_the_width() -> None:
    for width in (20, 33, 80):
        lines = wrap(Cell(WIDE), width)
        assert max(line_width(line) for line in lines) <= width
        assert "".join(span.text for line in lines for span in line) == WIDE


def test_a_table_with_wide_text_fits_the_terminal() -> None:
    rows = [[[Cell("wide-entry")], [Cell(WIDE)]], [[Cell("ascii")], [Cell("plain words " * 10)]]]
    for width in (40, 80):
        lines = simple_table(["id", "summary"], rows, width, "─")
        assert max(line_width(line) for line in lines) <= width


def test_records_layout_ends_when_a_short_name_cannot_be_cut_further() -> None:
    """A regression: a multi-word name already under the clip floor ("Back school") at 30 columns
    looped forever instead of wrapping."""
    rows = [[[Cell("back-school")], [Cell("Back school")], [Cell("conservative-and-more-words")], [Cell("x " * 40)]]]
    lines = simple_table(["id", "name", "category", "summary"], rows, 30, "─")
    assert any("back-school" in "".join(s.text for s in line) for line in lines)
