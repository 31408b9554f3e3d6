"""Issue 5, hardening: backcare as a real process in odd environments.

Each test runs `python -m backcare` (what the `backcare` console script calls) with an explicit
environment whose HOME and XDG_* point into tmp_path, and checks what a user sees: the exit code,
stderr and the bytes on stdout. Pipes, closed file descriptors, NO_COLOR/FORCE_COLOR, ASCII-only
locales, narrow terminals and missing or read-only home directories.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from backcare.cli import app as cli_app
from conftest import run
from kbfactory import kb, write

BACKCARE = [sys.executable, "-m", "backcare"]
PIPE_BUFFER = 64 * 1024  # Linux pipe capacity: more output than this must block, then hit EPIPE
FOUR = ["rfa", "epidural", "acupuncture", "massage"]
EIGHT = [*FOUR, "spinal-fusion", "discectomy", "kyphoplasty", "vertebroplasty"]
TWELVE = [*EIGHT, "exercise-therapy", "nsaids", "cbt", "spinal-cord-stimulation"]
SGR = re.compile(rb"\x1b\[([0-9;]*)m")
COLOUR_PARAMS = {*range(30, 39), *range(40, 49), *range(90, 98), *range(100, 108)}

needs_posix_shell = pytest.mark.skipif(sys.platform == "win32", reason="needs bash and POSIX file descriptors")
SHARED: dict[str, Path] = {}


@pytest.fixture(scope="module", autouse=True)
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One cache directory (under pytest's tmp) for the module: most runs are cache hits, as for users."""
    SHARED["cache"] = tmp_path_factory.mktemp("xdg-cache")


def make_env(tmp_path: Path, **changes: str | None) -> dict[str, str]:
    """A minimal environment: nothing inherited that could change the output, home in tmp_path."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env: dict[str, str | None] = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(SHARED["cache"]),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "LANG": "C.UTF-8",
        "COLUMNS": "100",
    }
    for var in ("PYTHONPATH", "SYSTEMROOT"):  # an uninstalled checkout stays importable
        if var in os.environ:
            env[var] = os.environ[var]
    env.update(changes)
    return {k: v for k, v in env.items() if v is not None}


def backcare(
    env: dict[str, str], *args: str, stdin: Any = subprocess.DEVNULL, stdout: Any = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*BACKCARE, *args], env=env, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, timeout=60, check=False
    )


def cmdline(args: Sequence[str]) -> str:
    """The backcare command line, quoted for bash."""
    return shlex.join([*BACKCARE, *args])


def shell(env: dict[str, str], script: str) -> subprocess.CompletedProcess[bytes]:
    """Run a bash script (pipefail deliberately not set, as in a user's shell)."""
    return subprocess.run(
        ["bash", "-c", script],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )


def colour_params(out: bytes) -> set[int]:
    return {int(p) for params in SGR.findall(out) for p in params.split(b";") if p}


def with_site(tmp_path: Path, env: dict[str, str], code: str) -> dict[str, str]:
    """Run `code` at start-up of the backcare process (a sitecustomize on PYTHONPATH)."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(textwrap.dedent(code), encoding="utf-8")
    paths = [str(site), *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])]
    return {**env, "PYTHONPATH": os.pathsep.join(paths)}


# -- pipes --------------------------------------------------------------------------------------

HEAD_CASES = {
    "list-plain": (["list"], False),
    "list-json": (["list", "-f", "json"], True),
    "list-table": (["list", "-f", "table"], False),
    "show-table": (["show", "rfa", "-f", "table"], False),
    "compare-four-table": (["compare", *FOUR, "--full", "-f", "table"], True),
    "compare-twelve-plain": (["compare", *TWELVE, "--full", "-f", "plain"], True),
    "compare-eight-json": (["compare", *EIGHT, "-f", "json"], True),
    "search-markdown": (["search", "pain", "-f", "markdown"], False),
}


@needs_posix_shell
@pytest.mark.parametrize("case", list(HEAD_CASES))
def test_head_closing_the_pipe_early_is_silent(tmp_path: Path, case: str) -> None:
    args, large = HEAD_CASES[case]
    env = make_env(tmp_path, COLUMNS="200")
    full = backcare(env, *args)
    assert full.returncode == 0, full.stderr
    if large:  # more than the pipe holds: backcare really writes into a closed pipe
        assert len(full.stdout) > PIPE_BUFFER
    result = shell(env, f"{cmdline(args)} | head -1")
    assert result.returncode == 0
    assert result.stderr == b"", result.stderr.decode(errors="replace")
    assert result.stdout == full.stdout.split(b"\n")[0] + b"\n"


READER_GONE = [
    ["list"],
    ["list", "-f", "json"],
    ["show", "rfa", "-f", "table"],
    ["compare", *FOUR, "-f", "table"],
    ["search", "nerve"],
    ["conditions", "-f", "markdown"],
    ["glossary"],
    ["about"],
    ["paths"],
    ["validate"],
    ["--help"],
    ["list", "--help"],
    pytest.param(
        ["--version"],
    ),
]


@pytest.mark.parametrize("args", READER_GONE, ids=lambda a: " ".join(a))
def test_reader_already_gone_is_silent(tmp_path: Path, args: list[str]) -> None:
    """Deterministic EPIPE: stdout is a pipe whose read end is closed before backcare starts."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = backcare(make_env(tmp_path), *args, stdout=write_end)
    finally:
        os.close(write_end)
    assert result.stderr == b"", result.stderr.decode(errors="replace")
    assert result.returncode in (0, 1)  # not 120 (flush failed at exit) nor a signal


PIPED = {
    "list": ["list"],
    "show": ["show", "rfa"],
    "compare": ["compare", "rfa", "epidural"],
    "search": ["search", "nerve"],
}


@needs_posix_shell
@pytest.mark.parametrize("fmt", [None, "table"])
@pytest.mark.parametrize("command", list(PIPED))
def test_piped_output_has_no_escape_codes(tmp_path: Path, command: str, fmt: str | None) -> None:
    args = [*PIPED[command], *(["-f", fmt] if fmt else [])]
    env = make_env(tmp_path, TERM="xterm-256color", COLORTERM="truecolor")
    result = shell(env, f"{cmdline(args)} | cat")
    assert result.returncode == 0
    assert result.stderr == b""
    assert b"Radiofrequency ablation" in result.stdout or b"nerve" in result.stdout.lower()
    assert b"\x1b[" not in result.stdout


# -- colour -------------------------------------------------------------------------------------

COLOURED = [["compare", "rfa", "epidural", "-f", "table"], ["show", "rfa", "-f", "table"]]


@pytest.mark.parametrize("args", COLOURED, ids=lambda a: a[0])
def test_force_color_adds_colour_even_in_a_pipe(tmp_path: Path, args: list[str]) -> None:
    result = backcare(make_env(tmp_path, FORCE_COLOR="1"), *args)
    assert result.returncode == 0, result.stderr
    assert colour_params(result.stdout) & COLOUR_PARAMS


@pytest.mark.parametrize("args", COLOURED, ids=lambda a: a[0])
def test_color_always_adds_colour_in_a_pipe(tmp_path: Path, args: list[str]) -> None:
    result = backcare(make_env(tmp_path), "--color", "always", *args)
    assert result.returncode == 0, result.stderr
    assert colour_params(result.stdout) & COLOUR_PARAMS


@pytest.mark.parametrize("args", COLOURED, ids=lambda a: a[0])
def test_no_color_beats_force_color(tmp_path: Path, args: list[str]) -> None:
    result = backcare(make_env(tmp_path, FORCE_COLOR="1", NO_COLOR="1"), *args)
    assert result.returncode == 0, result.stderr
    assert not colour_params(result.stdout) & COLOUR_PARAMS  # bold, dim, italic may remain
    assert b"Radiofrequency ablation" in result.stdout


@pytest.mark.parametrize("args", COLOURED, ids=lambda a: a[0])
def test_color_never_beats_force_color(tmp_path: Path, args: list[str]) -> None:
    result = backcare(make_env(tmp_path, FORCE_COLOR="1"), "--color", "never", *args)
    assert result.returncode == 0, result.stderr
    assert not colour_params(result.stdout) & COLOUR_PARAMS


@pytest.mark.parametrize("args", COLOURED, ids=lambda a: a[0])
def test_color_always_beats_no_color(tmp_path: Path, args: list[str]) -> None:
    result = backcare(make_env(tmp_path, NO_COLOR="1"), "--color", "always", *args)
    assert result.returncode == 0, result.stderr
    assert colour_params(result.stdout) & COLOUR_PARAMS


# -- terminals that cannot show Unicode ---------------------------------------------------------

ASCII_ENVIRONMENTS = {
    "PYTHONIOENCODING=ascii": {"PYTHONIOENCODING": "ascii"},
    "LC_ALL=C PYTHONUTF8=0": {"LC_ALL": "C", "LANG": None, "PYTHONUTF8": "0"},
    "LC_ALL=C PYTHONUTF8=0 no coercion": {
        "LC_ALL": "C",
        "LANG": None,
        "PYTHONUTF8": "0",
        "PYTHONCOERCECLOCALE": "0",
    },
}
ASCII_COMMANDS = {
    "show": (["show", "rfa"], ["Radiofrequency ablation"]),
    "show-table": (["show", "rfa", "-f", "table"], ["Radiofrequency ablation"]),
    "compare-table": (["compare", "rfa", "epidural", "-f", "table"], ["Radiofrequency", "Epidural steroid"]),
    "compare-plain": (
        ["compare", "rfa", "epidural", "-f", "plain"],
        ["Radiofrequency ablation", "Epidural steroid injection"],
    ),
    "compare-four-table": (["compare", *FOUR, "-f", "table"], ["Acupuncture", "Verdicts: + recommend"]),
    "show-full-table": (["show", "acupuncture", "--full", "-f", "table"], ["With it: 48 in 100", "* * * *"]),
    "condition-table": (["conditions", "sciatica", "-f", "table"], ["urgent medical assessment", "discectomy"]),
    "list": (["list"], ["Balloon kyphoplasty", "Acupuncture"]),
    "list-table": (["list", "-f", "table"], ["kyphoplasty", "acupuncture"]),  # ids: never wrapped
    "search": (["search", "nerve"], ["Epidural steroid injection"]),
    "search-table": (["search", "nerve", "-f", "table"], ["Epidural steroid"]),
}


@pytest.mark.parametrize("command", list(ASCII_COMMANDS))
@pytest.mark.parametrize("environment", list(ASCII_ENVIRONMENTS))
def test_ascii_only_terminal_gets_readable_ascii(tmp_path: Path, environment: str, command: str) -> None:
    args, names = ASCII_COMMANDS[command]
    utf8 = backcare(make_env(tmp_path), *args)
    result = backcare(make_env(tmp_path, **ASCII_ENVIRONMENTS[environment]), *args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    text = result.stdout.decode("ascii")  # pure ASCII, or this raises
    for name in names:
        assert name in text
    # Readable: every non-ASCII character had an ASCII look-alike, none became "?".
    assert text.count("?") == utf8.stdout.decode("utf-8").count("?")


@pytest.mark.parametrize("args", [["show", "rfa"], ["list", "-f", "table"]], ids=lambda a: " ".join(a))
def test_c_locale_alone_gets_ascii(tmp_path: Path, args: list[str]) -> None:
    result = backcare(make_env(tmp_path, LC_ALL="C", LANG=None), *args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    result.stdout.decode("ascii")


def all_treatment_ids(tmp_path: Path) -> list[str]:
    return [r["id"] for r in json.loads(backcare(make_env(tmp_path), "list", "-f", "json").stdout)]


@pytest.mark.parametrize("fmt", ["plain", "table"])
def test_ascii_only_terminal_whole_knowledge_base_has_no_question_marks(tmp_path: Path, fmt: str) -> None:
    args = ["compare", *all_treatment_ids(tmp_path), "-f", fmt]
    utf8 = backcare(make_env(tmp_path), *args)
    result = backcare(make_env(tmp_path, PYTHONIOENCODING="ascii"), *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("ascii").count("?") == utf8.stdout.decode("utf-8").count("?")


@pytest.mark.parametrize("args", [["list", "-f", "json"], ["search", "nerve", "-f", "json"]], ids=lambda a: a[0])
@pytest.mark.parametrize("environment", ["PYTHONIOENCODING=ascii", "LC_ALL=C PYTHONUTF8=0 no coercion"])
def test_ascii_only_terminal_json_is_the_same_data(tmp_path: Path, environment: str, args: list[str]) -> None:
    utf8 = backcare(make_env(tmp_path), *args)
    result = backcare(make_env(tmp_path, **ASCII_ENVIRONMENTS[environment]), *args)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.decode("ascii")) == json.loads(utf8.stdout.decode("utf-8"))


# -- narrow terminals ---------------------------------------------------------------------------


def squash(text: str) -> str:
    return " ".join(text.split())


def test_compare_on_a_40_column_terminal_fits_and_loses_nothing(tmp_path: Path) -> None:
    env = make_env(tmp_path, COLUMNS="40")
    result = backcare(env, "compare", "rfa", "epidural", "acupuncture", "massage", "--full", "--format", "table")
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    out = result.stdout.decode("utf-8")
    too_long = [line for line in out.splitlines() if cell_len(line) > 40]
    assert not too_long, too_long[:5]

    flat = squash(out)
    records = json.loads(backcare(env, "compare", *FOUR, "-f", "json").stdout)
    plain = backcare(env, "compare", *FOUR, "--full", "-f", "plain").stdout.decode("utf-8")
    labels = [line for line in plain.splitlines() if line and line == line.upper() and line[0].isalpha()]
    assert "RISKS AND SIDE EFFECTS" in labels and "WHAT GUIDELINES SAY" in labels
    assert "Risks and side effects" in flat and "What guidelines say" in flat
    for label in labels:
        assert label.lower() in flat.lower(), label
    for record in records:
        assert squash(record["name"]) in flat
        assert record["id"] in flat
        long_fields = [
            record["summary"],
            record["evidence"]["summary"],  # the longest field, over 1000 characters for rfa
            record["evidence"]["does_not_show"],
            *record["benefits"],
            *(risk["risk"] for risk in record["risks"]),
            *(g["summary"] for g in record["guidelines"]),
        ]
        for text in long_fields:
            assert squash(text) in flat, text[:80]


NARROW = {
    "list": ["list"],
    "show": ["show", "rfa"],
    "show-full": ["show", "vertebroplasty", "--full"],
    "compare-four": ["compare", *FOUR],
    "condition": ["conditions", "sciatica"],
    "search": ["search", "nerve"],
    "conditions": ["conditions"],
    "glossary": ["glossary"],
    "about": ["about"],
    "compare": ["compare", "rfa", "epidural"],
}


@pytest.mark.parametrize(
    ("command", "width"),
    [(command, width) for command in NARROW for width in (40, 30)],
)
def test_no_line_is_wider_than_the_terminal(tmp_path: Path, command: str, width: int) -> None:
    result = backcare(make_env(tmp_path, COLUMNS=str(width)), *NARROW[command], "-f", "table")
    assert result.returncode == 0, result.stderr
    too_long = [line for line in result.stdout.decode("utf-8").splitlines() if cell_len(line) > width]
    assert not too_long, too_long[:5]


# -- closed file descriptors --------------------------------------------------------------------


@pytest.mark.parametrize("args", [["list"], ["show", "rfa"], ["search", "nerve"]], ids=lambda a: a[0])
def test_stdin_from_devnull(tmp_path: Path, args: list[str]) -> None:
    result = backcare(make_env(tmp_path), *args, stdin=subprocess.DEVNULL)
    assert result.returncode == 0
    assert result.stderr == b""
    assert result.stdout


@needs_posix_shell
@pytest.mark.parametrize(
    "args", [["list"], ["show", "rfa", "-f", "table"], ["search", "nerve"], ["validate"]], ids=lambda a: a[0]
)
def test_stdin_closed(tmp_path: Path, args: list[str]) -> None:
    result = shell(make_env(tmp_path), f"{cmdline(args)} <&-")
    assert result.returncode == 0
    assert result.stderr == b""
    assert result.stdout


@needs_posix_shell
@pytest.mark.parametrize("args", [["list"], ["show", "rfa", "-f", "json"], ["--version"]], ids=lambda a: a[0])
def test_stdout_closed_is_one_clear_line(tmp_path: Path, args: list[str]) -> None:
    result = shell(make_env(tmp_path), f"{cmdline(args)} >&-")
    assert result.returncode == 1
    err = result.stderr.decode("utf-8", errors="replace")
    assert err.startswith("backcare: error:") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert "unexpected internal error" not in err


# -- home and cache directories -----------------------------------------------------------------

NO_HOME = {"HOME": None, "XDG_CACHE_HOME": None, "XDG_DATA_HOME": None, "XDG_CONFIG_HOME": None}


def check_list_and_show(env: dict[str, str]) -> None:
    for args, expected in ((["list"], b"kyphoplasty\tBalloon kyphoplasty"), (["show", "rfa"], b"Radiofrequency")):
        result = backcare(env, *args)
        assert result.returncode == 0, result.stderr
        assert result.stderr == b""
        assert expected in result.stdout


def expanduser_in(env: dict[str, str]) -> str:
    probe = subprocess.run(
        [sys.executable, "-c", "import os.path; print(os.path.expanduser('~'))"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return probe.stdout.strip()


def test_home_unset_falls_back_to_the_password_database(tmp_path: Path) -> None:
    """HOME and XDG_* unset: backcare uses the account's home (redirected here to tmp_path)."""
    account_home = tmp_path / "account-home"
    account_home.mkdir()
    env = with_site(
        tmp_path,
        make_env(tmp_path, **NO_HOME),
        f"""
        import pwd

        _real_getpwuid = pwd.getpwuid

        def _getpwuid(uid):
            e = _real_getpwuid(uid)
            return pwd.struct_passwd(
                (e.pw_name, e.pw_passwd, e.pw_uid, e.pw_gid, e.pw_gecos, {str(account_home)!r}, e.pw_shell)
            )

        pwd.getpwuid = _getpwuid
        """,
    )
    assert expanduser_in(env) == str(account_home)  # the real home is never used
    check_list_and_show(env)


def test_no_home_at_all(tmp_path: Path) -> None:
    """HOME and XDG_* unset and no account home: the cache and user layer are skipped quietly."""
    env = with_site(
        tmp_path,
        make_env(tmp_path, **NO_HOME),
        """
        import pwd

        def _getpwuid(uid):
            raise KeyError(uid)

        pwd.getpwuid = _getpwuid
        """,
    )
    assert expanduser_in(env) == "~"
    check_list_and_show(env)
    paths = backcare(env, "paths", "-f", "json")
    assert paths.returncode == 0, paths.stderr
    cache = next(row for row in json.loads(paths.stdout) if row["what"] == "cache directory")
    assert cache["path"] == "(none)"


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root writes into read-only directories")
def test_read_only_home(tmp_path: Path) -> None:
    home = tmp_path / "read-only-home"
    home.mkdir()
    home.chmod(0o555)
    try:
        check_list_and_show(make_env(tmp_path, **{**NO_HOME, "HOME": str(home)}))
        assert list(home.iterdir()) == []
    finally:
        home.chmod(0o755)


def test_home_that_cannot_hold_a_cache(tmp_path: Path) -> None:
    """Also as root: HOME is a regular file, so ~/.cache/backcare cannot be created."""
    home = tmp_path / "home-is-a-file"
    home.write_text("not a directory\n")
    check_list_and_show(make_env(tmp_path, **{**NO_HOME, "HOME": str(home)}))
    assert home.read_text() == "not a directory\n"


def test_cache_directory_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("")
    env = make_env(tmp_path, XDG_CACHE_HOME=str(blocker))
    check_list_and_show(env)
    check_list_and_show(env)  # and again: no half-written cache is left behind to trip on


# -- unexpected internal errors -----------------------------------------------------------------

PRIVATE_NOTE = "private-note-4f1c9a"  # stands for a user's own notes in a local variable


def test_show_locals_is_off() -> None:
    assert cli_app.pretty_exceptions_show_locals is False


def raise_boom(*args: object, **kwargs: object) -> None:
    private_note = PRIVATE_NOTE  # noqa: F841 - a local variable that must never be shown
    raise RuntimeError("boom")


def test_internal_error_is_one_line_asking_for_a_report(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("backcare.views.list_view", raise_boom)
    result = run("list", "-f", "table")
    assert result.exit_code == 1
    assert result.stdout == ""
    err = result.stderr
    assert err.count("\n") == 1, err
    assert err.startswith("backcare: error:")
    assert "unexpected internal error" in err
    assert "report" in err
    assert "Traceback" not in err
    assert PRIVATE_NOTE not in err


def test_internal_error_with_debug_propagates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("backcare.views.list_view", raise_boom)
    result = run("list", "-f", "table", env={"BACKCARE_DEBUG": "1"})
    assert isinstance(result.exception, RuntimeError)
    assert str(result.exception) == "boom"


BOOM_SITE = """
import os

import backcare.views


def _boom(*args, **kwargs):
    private_note = os.environ["BACKCARE_TEST_SECRET"]  # the value is not in the source
    raise RuntimeError("boom")


backcare.views.list_view = _boom
"""


@pytest.mark.parametrize("debug", [False, True], ids=["normal", "BACKCARE_DEBUG=1"])
def test_internal_error_in_a_real_process_never_shows_locals(tmp_path: Path, debug: bool) -> None:
    env = with_site(tmp_path, make_env(tmp_path, BACKCARE_TEST_SECRET=PRIVATE_NOTE), BOOM_SITE)
    if debug:
        env["BACKCARE_DEBUG"] = "1"
    result = backcare(env, "list", "-f", "table")
    assert result.returncode == 1
    assert result.stdout == b""
    err = result.stderr.decode("utf-8", errors="replace")
    assert PRIVATE_NOTE not in err
    if debug:
        assert "RuntimeError" in err and "boom" in err  # the full traceback, for the bug report
    else:
        assert err.count("\n") == 1, err
        assert "unexpected internal error" in err and "report" in err
        assert "Traceback" not in err


# -- exit codes ---------------------------------------------------------------------------------


def broken_kb(tmp_path: Path) -> Path:
    data = kb()
    data["treatments"][0]["category"] = "magic"
    return write(tmp_path / "broken.yaml", data)


EXIT_CODES = [
    (0, ["list"]),
    (0, ["show", "rfa"]),
    (0, ["compare", "rfa", "epidural", "-f", "json"]),
    (0, ["search", "nerve"]),
    (0, ["glossary", "sham-controlled"]),
    (1, ["show", "no-such-treatment"]),
    (1, ["compare", "rfa", "no-such-treatment"]),
    (1, ["search", "zzxqvwk"]),
    (1, ["list", "--treats", "no-such-condition"]),
    (1, ["glossary", "no-such-term"]),
    (1, ["--data-only", "{broken}", "list"]),
    (1, ["--data-only", "{missing}", "show", "rfa"]),
    (1, ["validate", "{broken}"]),
    (2, ["list", "--no-such-option"]),
    (2, ["list", "--format", "xml"]),
    (2, ["show", "rfa", "-f", ""]),
    (2, ["list", "--category", "magic"]),
    (2, ["--color", "sometimes", "list"]),
    (2, ["compare", "rfa"]),
    (2, ["compare", "rfa", "RFA", "radiofrequency-ablation"]),
    (2, ["search", ""]),
    (2, ["search", "--", "--", "!!"]),
    (2, ["search", "nerve", "--limit", "0"]),
    (2, ["show"]),
    (1, ["no-such-command"]),  # `backcare NAME` is `backcare show NAME`
    (2, ["lst"]),  # the near-miss of a command name
]


@pytest.mark.parametrize(("code", "args"), EXIT_CODES, ids=[" ".join(a) or "''" for _, a in EXIT_CODES])
def test_exit_codes(tmp_path: Path, code: int, args: list[str]) -> None:
    places = {"broken": str(broken_kb(tmp_path)), "missing": str(tmp_path / "missing.yaml")}
    argv = [a.format(**places) if a.startswith("{") else a for a in args]
    result = backcare(make_env(tmp_path), *argv)
    err = result.stderr.decode("utf-8", errors="replace")
    assert result.returncode == code, err
    assert "Traceback" not in err
    if code == 0:
        assert result.stdout and err == ""
    else:
        assert err.strip()
        if args[0] != "validate":  # validate lists the problems on stdout by design
            assert result.stdout == b""


USAGE_ERRORS = [
    ["list", "--no-such-option"],
    ["list", "--format", "xml"],
    ["lst"],
    ["show"],
]


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=" ".join)
def test_usage_errors_are_one_documented_line(tmp_path: Path, args: Sequence[str]) -> None:
    result = backcare(make_env(tmp_path), *args)
    assert result.returncode == 2
    err = result.stderr.decode("utf-8")
    assert err.startswith("backcare: error:") and err.count("\n") == 1, err
