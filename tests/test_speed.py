"""Issue 16: the structure behind the speed, asserted as behaviour, never as a time.

The times themselves are measured side by side by benchmarks/run.py (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


# -- which modules each path may import (issue 16: Rich only on table/HTML paths, Jinja2 only on
# HTML, YAML only on a cache miss, nothing of pydantic anywhere) ----------------------------------


def modules_of(tmp_path: Path, args: list[str], **env: str) -> set[str]:
    environ = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "COLUMNS": "100",
        **env,
    }
    environ.pop("BACKCARE_NO_CACHE", None)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "backcare", *args], capture_output=True, text=True, env=environ
    )
    assert result.returncode == 0, result.stderr[-1500:]
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def families(modules: set[str]) -> set[str]:
    """Which of the heavy libraries a run imported (pydantic: its own test below)."""
    tops = {m.split(".")[0] for m in modules}
    return {lib for lib in ("rich", "jinja2", "yaml", "typer") if lib in tops}


READS = [
    ["show", "kyphoplasty"],
    ["compare", "rfa", "epidural"],
    ["search", "nerve"],
    ["list"],
    ["conditions"],
]
COMPLETE = {"_BACKCARE_COMPLETE": "complete_bash", "COMP_WORDS": "backcare show ky", "COMP_CWORD": "2"}


@pytest.mark.parametrize("args", READS, ids=lambda a: a[0])
@pytest.mark.parametrize("fmt", ["plain", "json", "markdown"])
def test_text_formats_import_typer_only(tmp_path: Path, args: list[str], fmt: str) -> None:
    first = modules_of(tmp_path, [*args, "--format", fmt])
    again = modules_of(tmp_path, [*args, "--format", fmt])
    assert families(first) == {"typer", "yaml"}  # the first run parses the knowledge base
    assert families(again) == {"typer"}


@pytest.mark.parametrize("args", READS, ids=lambda a: a[0])
def test_a_table_imports_rich_once_then_reuses_the_page(tmp_path: Path, args: list[str]) -> None:
    modules_of(tmp_path, [*args, "--format", "plain"])  # the knowledge-base cache is warm
    assert families(modules_of(tmp_path, [*args, "--format", "table"])) == {"typer", "rich"}
    assert families(modules_of(tmp_path, [*args, "--format", "table"])) == {"typer"}


def test_a_handout_imports_jinja2_not_rich_then_reuses_the_page(tmp_path: Path) -> None:
    args = ["compare", "spinal-manipulation", "acupuncture", "--format", "html"]
    assert families(modules_of(tmp_path, args)) == {"typer", "yaml", "jinja2"}
    assert families(modules_of(tmp_path, args)) == {"typer"}


def test_completion_and_version_import_the_least(tmp_path: Path) -> None:
    assert families(modules_of(tmp_path, [], **COMPLETE)) == {"typer", "yaml"}  # a cold first TAB
    assert families(modules_of(tmp_path, [], **COMPLETE)) == {"typer"}
    assert families(modules_of(tmp_path, ["--version"])) == set()


def typer_outside_the_pin() -> str:
    """Why the pydantic rule cannot hold here, or "": Typer 0.29 imports pydantic, which is why
    pyproject.toml pins typer below it (decision 001); .ci/run's step 4 runs the newest Typer."""
    import tomllib
    from importlib.metadata import version

    from packaging.requirements import Requirement

    root = Path(__file__).resolve().parent.parent
    dependencies = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pin = next(Requirement(d) for d in dependencies if Requirement(d).name == "typer").specifier
    installed = version("typer")
    return "" if pin.contains(installed) else f"typer {installed} is outside the pin typer{pin} (decision 001)"


def test_nothing_imports_pydantic(tmp_path: Path) -> None:
    if reason := typer_outside_the_pin():
        pytest.skip(reason)
    runs = [
        modules_of(tmp_path, ["show", "kyphoplasty", "--format", "table"]),
        modules_of(tmp_path, ["compare", "rfa", "epidural", "--format", "html"]),
        modules_of(tmp_path, ["search", "nerve", "--format", "json"]),
        modules_of(tmp_path, [], **COMPLETE),
        modules_of(tmp_path, ["site", str(tmp_path / "site")]),
    ]
    assert not {m for modules in runs for m in modules if m.split(".")[0] in ("pydantic", "pydantic_core")}
