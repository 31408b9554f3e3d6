"""Issue 16: the structure behind the speed, asserted as behaviour, never as a time.

The times themselves are measured side by side by benchmarks/run.py (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import typer.main

from backcare.cli import app
from backcare.typer_compat import LazyCommands

COMMANDS = ["list", "show", "compare", "search", "conditions", "glossary", "about", "paths", "site", "validate", "new"]


def test_only_the_command_run_is_built(capsys: pytest.CaptureFixture[str]) -> None:
    group = typer.main.get_command(app)
    assert isinstance(group.commands, LazyCommands)  # type: ignore[attr-defined]
    assert group.commands.built == {}  # type: ignore[attr-defined]
    with pytest.raises(SystemExit) as stop:
        group.main(["show", "kyphoplasty", "-f", "plain"], prog_name="backcare")
    assert stop.value.code == 0
    assert capsys.readouterr().out.startswith("Balloon kyphoplasty")
    assert set(group.commands.built) == {"show"}  # type: ignore[attr-defined]
    assert list(group.commands) == COMMANDS  # help, completion and docs still see every command


def test_help_builds_and_lists_every_command() -> None:
    result = subprocess.run([sys.executable, "-m", "backcare", "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    rows = result.stdout.split("Commands:")[1].splitlines()
    listed = [row.split()[0] for row in rows if row.startswith("  ") and not row.startswith("   ")]
    assert listed == COMMANDS


def run_main(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run backcare's entry point in a fresh interpreter after `code` (e.g. an atexit handler)."""
    script = f"import sys\n{code}\nsys.argv = ['backcare', *{list(args)!r}]\n"
    script += "from backcare.__main__ import main\nmain()\n"
    env = {**os.environ, "COLUMNS": "100"}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False)


def test_a_run_ends_without_tearing_the_interpreter_down() -> None:
    """`backcare` flushes and ends with os._exit: interpreter finalisation (and so atexit) is skipped,
    and every line written still arrives, with the run's status."""
    hook = "import atexit\natexit.register(print, 'FINALISED')"
    ok = run_main(hook, "list", "-f", "plain")
    assert ok.returncode == 0
    assert len(ok.stdout.splitlines()) == 51 and "FINALISED" not in ok.stdout
    missing = run_main(hook, "show", "no-such-thing")
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.startswith("backcare: error: no treatment") and missing.stderr.count("\n") == 1
    usage = run_main(hook, "list", "--no-such-option")
    assert usage.returncode == 2 and "FINALISED" not in usage.stdout


def test_the_garbage_collector_is_off_for_a_run() -> None:
    check = subprocess.run(
        [sys.executable, "-c", "import gc, backcare.__main__; print(gc.isenabled())"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.stdout.strip() == "False"
