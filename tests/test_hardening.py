"""Issue 5, hardening: hostile command-line input and hostile knowledge-base text.

Property tests drive `show`, `compare` and `search` with arbitrary text and check what a user
would see: a documented exit code, no traceback, an error on stderr, JSON that parses. The
terminal-safety tests load a knowledge base whose text is full of Rich markup, ANSI/OSC escape
sequences, bells and bidi overrides and check that none of it reaches the terminal raw, that the
markup is printed as written, and that JSON gives the original strings back exactly.
"""

from __future__ import annotations

import json
import operator
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from conftest import run
from kbfactory import CONDITION, entry, kb, write

# -- hostile command-line input (property tests) ------------------------------------------------

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis/ directory left in the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

FORMATS = ("table", "plain", "markdown", "json")
SPECIAL_ARGS = [
    "",
    " ",
    "-",
    "--",
    "-x",
    "--x",
    "-f",
    "--format",
    "--format=json",
    "-fjson",
    "--limit",
    "-n",
    "--help",
    "-h",
    "--version",
    "--data",
    "--color",
    "json",
    "table",
    "rfa",
    "RFA",
    "epidural",
    "acupuncture",
    "massage",
    "radiofrequency denervation",
    "nerve pain",
    "[bold]x[/bold]",
    "[/]",
    "[link=https://evil]y[/link]",
    "\x1b[2J",
    "\x1b]0;title\x07",
    "\x1b]8;;https://evil\x1b\\text\x1b]8;;\x1b\\",
    "\x07",
    "\u202e",
    "\ufeff",
    "\u200b",
    "\x85\x9b",
    "\udcff",  # what a non-UTF-8 byte in argv becomes (surrogateescape)
    "caf\udce9",
    "é",
    "ß",
    "İ",
    "ﬁ",
    "🦴",
    "𝕏",
    "\t",
    "\n",
    "\r\n",
    "%s",
    "{0}",
    "\\",
    "'",
    '"',
    "*",
    "?",
    "..",
    "~",
    "$HOME",
]
# Any text except NUL (a real argv cannot hold it); control characters included.
ANY_CHAR = st.characters(blacklist_characters="\x00")
SHORT_TEXT = st.text(ANY_CHAR, max_size=40)
LONG_TEXT = st.builds(operator.mul, st.text(ANY_CHAR, min_size=1, max_size=8), st.integers(200, 2000))
ARG = st.one_of(st.sampled_from(SPECIAL_ARGS), SHORT_TEXT, LONG_TEXT)
FORMAT_CHOICE = st.one_of(st.none(), st.sampled_from(FORMATS))

RAW_TERMINAL_CONTROLS = re.compile("[\x07\x1b\x80-\x9f]")


def check_invariants(result: Result, args: list[str], *, expect_json: bool) -> None:
    out, err = result.stdout, result.stderr
    shown = f"args={args!r} exit={result.exit_code} stdout={out[:300]!r} stderr={err[:300]!r}"
    assert result.exit_code in (0, 1, 2), shown
    # CliRunner turns an escaped exception into exit code 1; only SystemExit is a clean exit.
    assert result.exception is None or isinstance(result.exception, SystemExit), (shown, result.exception)
    assert "Traceback" not in out and "Traceback" not in err, shown
    assert "unexpected internal error" not in err, shown
    assert not RAW_TERMINAL_CONTROLS.search(out), shown
    assert not RAW_TERMINAL_CONTROLS.search(err), shown
    if result.exit_code != 0:
        assert err.strip(), shown
        assert out == "", shown  # README: on failure stdout stays empty
        if err.startswith("backcare: error:"):
            assert err.count("\n") == 1, shown  # one line, whatever newlines the input held
    elif expect_json:
        json.loads(out)


def command_line(command: str, fmt: str | None, args: list[str], dashdash: bool) -> tuple[list[str], bool]:
    """The argv and whether its output must be JSON."""
    options = ["--format", fmt] if fmt else []
    if dashdash:
        return [command, *options, "--", *args], fmt == "json"
    # Without "--" an argument may be taken as an option (e.g. "--help"): only then is the
    # format not certain.
    certain = not any(a.startswith("-") for a in args)
    return [command, *args, *options], fmt == "json" and certain


@PROPERTY_SETTINGS
@given(name=ARG, fmt=FORMAT_CHOICE, dashdash=st.booleans())
def test_show_survives_any_argument(name: str, fmt: str | None, dashdash: bool) -> None:
    argv, expect_json = command_line("show", fmt, [name], dashdash)
    result = run(*argv)
    event(f"exit code {result.exit_code}")  # shown by --hypothesis-show-statistics
    check_invariants(result, argv, expect_json=expect_json)
    if result.exit_code == 0 and expect_json:
        assert isinstance(json.loads(result.stdout), dict)


@PROPERTY_SETTINGS
@given(
    names=st.lists(st.one_of(ARG, st.sampled_from(["rfa", "epidural", "acupuncture", "massage"])), max_size=5),
    fmt=FORMAT_CHOICE,
    dashdash=st.booleans(),
)
def test_compare_survives_any_arguments(names: list[str], fmt: str | None, dashdash: bool) -> None:
    argv, expect_json = command_line("compare", fmt, names, dashdash)
    result = run(*argv)
    event(f"exit code {result.exit_code}")  # shown by --hypothesis-show-statistics
    check_invariants(result, argv, expect_json=expect_json)
    if result.exit_code == 0 and expect_json:
        assert len(json.loads(result.stdout)) >= 2


@PROPERTY_SETTINGS
@given(words=st.lists(ARG, max_size=6), fmt=FORMAT_CHOICE, dashdash=st.booleans())
def test_search_survives_any_query(words: list[str], fmt: str | None, dashdash: bool) -> None:
    argv, expect_json = command_line("search", fmt, words, dashdash)
    result = run(*argv)
    event(f"exit code {result.exit_code}")  # shown by --hypothesis-show-statistics
    check_invariants(result, argv, expect_json=expect_json)
    if result.exit_code == 0 and expect_json:
        hits = json.loads(result.stdout)
        assert isinstance(hits, list) and hits
        assert all(set(hit) == {"kind", "id", "name", "score", "snippet"} for hit in hits)


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "--", "--format"],
        ["show", "--", "-x"],
        ["show", "--", ""],
        ["compare", "--", "--", "--"],
        ["compare", "--", "-x", "rfa"],
        ["search", "--", "--"],
        ["search", "--", "-x"],
        ["search", ""],
        ["search", "--", "\x1b[2J"],
        ["show", "x" * 10_000],
        ["search", "nerve " * 2_000],
    ],
    ids=lambda argv: repr(" ".join(argv))[:40],
)
def test_known_awkward_arguments(argv: list[str]) -> None:
    check_invariants(run(*argv), argv, expect_json=False)


def test_usage_errors_do_not_echo_bidi_overrides() -> None:
    result = run("list", "--x\u202eabc")
    assert result.exit_code == 2
    assert "\u202e" not in result.stderr


# -- hostile knowledge-base text (terminal safety) ----------------------------------------------

PAYLOAD = (
    "M[bold]x[/bold] L[link=https://evil]y[/link] S[/] "
    "A\x1b[2J B\x1b[31mred O\x1b]8;;https://evil\x1b\\text\x1b]8;;\x1b\\ "
    "T\x1b]0;title\x07 bell\x07 bidi\u202eevil"
)
MARKUP = ("[bold]x[/bold]", "[link=https://evil]y[/link]", "S[/]")
# How text.clean shows the data's control characters: visible, never sent.
VISIBLE = (
    "A\\x1b[2J",
    "B\\x1b[31mred",
    "O\\x1b]8;;https://evil",
    "T\\x1b]0;title\\x07",
    "bell\\x07",
    "bidi\\u202eevil",
)
# Sequences only the data holds: backcare's own styling never produces them.
DATA_ONLY_SEQUENCES = ("\x1b[2J", "\x1b[31mred", "\x1b]", "\x07", "\u202e")
SGR = re.compile("\x1b\\[[0-9;]*m")
COLOUR_PARAMS = {*range(30, 39), *range(40, 49), *range(90, 98), *range(100, 108)}


def hostile_kb(tmp_path: Path) -> Path:
    one = entry(
        "hostile-one",
        name=f"Hostile one {PAYLOAD}",
        aliases=["h1", f"alias {PAYLOAD}"],
        summary=f"Summary {PAYLOAD}",
        description=f"Description {PAYLOAD}",
        benefits=[f"Benefit {PAYLOAD}"],
    )
    one["procedure"]["setting"] = f"Setting {PAYLOAD}"
    one["recovery"]["text"] = f"Recovery {PAYLOAD}"
    one["risks"][0]["risk"] = f"Risk {PAYLOAD}"
    one["evidence"]["summary"] = f"Evidence {PAYLOAD}"
    one["evidence"]["does_not_show"] = f"Does not show {PAYLOAD}"
    one["guidelines"][0]["summary"] = f"Guideline {PAYLOAD}"
    one["sources"][0]["title"] = f"Source {PAYLOAD}"
    two = entry("hostile-two", name="Hostile two", aliases=["h2"], summary=f"Second {PAYLOAD}")
    condition = dict(
        CONDITION,
        name=f"Condition {PAYLOAD}",
        description=f"Condition description {PAYLOAD}",
        natural_course=f"Natural course {PAYLOAD}",
    )
    data = kb(one, two, conditions=[condition])
    data["glossary"] = [{"term": "hostileterm", "definition": f"Definition {PAYLOAD}"}]
    for key in ("disclaimer", "update_policy", "funding", "conflicts_of_interest"):
        data[key] = f"{key} {PAYLOAD}"
    return write(tmp_path / "hostile.yaml", data)


COMMANDS = {
    "list": ["list"],
    "show": ["show", "h1"],  # the brief view
    "show-full": ["show", "h1", "--full"],
    "compare": ["compare", "h1", "h2"],  # the option grid
    "compare-full": ["compare", "h1", "h2", "--full"],
    "condition": ["conditions", "test-condition"],
    "search": ["search", "hostile"],
    "conditions": ["conditions"],
    "glossary": ["glossary"],
    "about": ["about"],
}
# (format, extra global options, extra environment); a very wide terminal keeps each field on one line.
RENDERINGS = {
    "table": ("table", [], {}),
    "table-force-color": ("table", [], {"FORCE_COLOR": "1"}),
    "table-color-always": ("table", ["--color", "always"], {}),
    "plain": ("plain", [], {}),
    "markdown": ("markdown", [], {}),
}


def visible_text(out: str, fmt: str) -> str:
    """What a reader sees: backcare's own SGR styling removed, Markdown escapes undone."""
    text = SGR.sub("", out)
    if fmt == "markdown":
        text = re.sub(r"\\(.)", r"\1", text)
    return text


@pytest.mark.parametrize("rendering", list(RENDERINGS))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_hostile_text_never_reaches_the_terminal_raw(tmp_path: Path, command: str, rendering: str) -> None:
    path = hostile_kb(tmp_path)
    fmt, options, env = RENDERINGS[rendering]
    result = run(
        "--data-only", str(path), *options, *COMMANDS[command], "--format", fmt, env={"COLUMNS": "1000", **env}
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    for sequence in DATA_ONLY_SEQUENCES:
        assert sequence not in out, (sequence, out[:2000])
    coloured = bool(env) or bool(options)
    if not coloured:
        assert "\x1b" not in out
    else:
        assert "\x1b" not in SGR.sub("", out)  # every escape left is backcare's own styling
    text = visible_text(out, fmt)
    for markup in MARKUP:
        assert markup in text, (markup, text[:2000])
    for shown in VISIBLE:
        assert shown in text, (shown, text[:2000])


def test_force_color_styles_hostile_text_with_backcare_colours_only(tmp_path: Path) -> None:
    """The distinction the test above relies on: FORCE_COLOR really does add SGR colour codes."""
    path = hostile_kb(tmp_path)
    result = run("--data-only", str(path), "compare", "h1", "h2", "-f", "table", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    params = {int(p) for code in SGR.findall(result.stdout) for p in code[2:-1].split(";") if p}
    assert params & COLOUR_PARAMS


def find(records: list[dict[str, Any]], key: str, value: str) -> dict[str, Any]:
    return next(r for r in records if r[key] == value)


def test_json_round_trips_hostile_text_exactly(tmp_path: Path) -> None:
    path = hostile_kb(tmp_path)

    def data(*argv: str) -> Any:
        result = run("--data-only", str(path), *argv, "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout  # escaped as \u001b, \u0007
        return json.loads(result.stdout)

    record = data("show", "h1")
    assert record["name"] == f"Hostile one {PAYLOAD}"
    assert record["aliases"] == ["h1", f"alias {PAYLOAD}"]
    assert record["summary"] == f"Summary {PAYLOAD}"
    assert record["description"] == f"Description {PAYLOAD}"
    assert record["benefits"] == [f"Benefit {PAYLOAD}"]
    assert record["procedure"]["setting"] == f"Setting {PAYLOAD}"
    assert record["recovery"]["text"] == f"Recovery {PAYLOAD}"
    assert record["risks"][0]["risk"] == f"Risk {PAYLOAD}"
    assert record["evidence"]["summary"] == f"Evidence {PAYLOAD}"
    assert record["evidence"]["does_not_show"] == f"Does not show {PAYLOAD}"
    assert record["guidelines"][0]["summary"] == f"Guideline {PAYLOAD}"
    assert record["sources"][0]["title"] == f"Source {PAYLOAD}"

    for listing in (data("list"), data("compare", "h1", "h2")):
        assert find(listing, "id", "hostile-one") == record
        assert find(listing, "id", "hostile-two")["summary"] == f"Second {PAYLOAD}"

    hits = data("search", "hostile")
    assert find(hits, "id", "hostile-one")["name"] == f"Hostile one {PAYLOAD}"

    condition = find(data("conditions"), "id", "test-condition")
    assert condition["name"] == f"Condition {PAYLOAD}"
    assert condition["description"] == f"Condition description {PAYLOAD}"
    assert condition["natural_course"] == f"Natural course {PAYLOAD}"

    assert data("glossary") == [{"term": "hostileterm", "definition": f"Definition {PAYLOAD}"}]
    about = data("about")
    assert about["disclaimer"] == f"disclaimer {PAYLOAD}"
    assert about["funding"] == f"funding {PAYLOAD}"


def test_hostile_text_in_error_messages_is_made_visible(tmp_path: Path) -> None:
    path = hostile_kb(tmp_path)
    result = run("--data-only", str(path), "glossary", f"nothing {PAYLOAD}")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    for sequence in DATA_ONLY_SEQUENCES:
        assert sequence not in result.stderr
    assert "[bold]x[/bold]" in result.stderr
    # a name taken as its closest treatment is said in one line, made safe the same way
    note = run("--data-only", str(path), "show", f"nothing {PAYLOAD}", "-f", "json").stderr
    assert note.startswith("backcare: showing hostile-") and note.count("\n") == 1
    assert not any(sequence in note for sequence in DATA_ONLY_SEQUENCES)
