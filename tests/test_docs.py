"""Docs derived from the program stay in step with it."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from conftest import run

ROOT = Path(__file__).resolve().parent.parent


def _script(name: str):  # type: ignore[no-untyped-def]
    """A generator script of docs/ (docs/NAME.py), imported as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _gen_docs():  # type: ignore[no-untyped-def]
    return _script("gen_docs")


def _help_layout_elsewhere() -> str:
    """Why docs/cli.md and backcare.1 cannot match --help here, or "": they record it as the pinned
    Typer lays it out, and Typer 0.29 lays arguments out differently (`{NAME...}...`, a type
    column), so .ci/run's run on the newest Typer cannot compare them (decision 001)."""
    import tomllib
    from importlib.metadata import version

    from packaging.requirements import Requirement

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pin = next(Requirement(d) for d in dependencies if Requirement(d).name == "typer").specifier
    installed = version("typer")
    return (
        ""
        if pin.contains(installed)
        else (f"the file records --help as typer{pin} lays it out; typer {installed} is installed (decision 001)")
    )


def test_cli_reference_is_current() -> None:
    if reason := _help_layout_elsewhere():
        pytest.skip(reason)
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == _gen_docs().cli_reference(), (
        "docs/cli.md is stale: run python docs/gen_docs.py"
    )


def test_readme_examples_and_schema_reference_are_current() -> None:
    gen = _gen_docs()
    assert (ROOT / "README.md").read_text(encoding="utf-8") == gen.readme(), (
        "README.md examples are stale: run python docs/gen_docs.py"
    )
    assert (ROOT / "docs" / "examples.md").read_text(encoding="utf-8") == gen.examples(), (
        "docs/examples.md is stale: run python docs/gen_docs.py"
    )
    assert (ROOT / "docs" / "schema.md").read_text(encoding="utf-8") == gen.schema_reference(), (
        "docs/schema.md is stale: run python docs/gen_docs.py"
    )


def test_gen_docs_check_names_a_stale_schema_reference(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    gen = _gen_docs()
    monkeypatch.setattr(gen, "schema_reference", lambda: "# stale on purpose\n")
    assert gen.main(["--check"]) == 1
    assert "docs/schema.md is stale" in capsys.readouterr().err


def test_the_handout_screenshot_shows_the_handout_backcare_prints_now() -> None:
    """The picture's record names the HTML it was drawn from; the same command, with the same fixed
    date (BACKCARE_TODAY, as for every generated doc), must print those bytes today."""
    gen = _script("gen_screenshot")
    recorded = json.loads(gen.RECORD.read_text(encoding="utf-8"))
    assert recorded["png_sha256"] == gen.sha256(gen.PICTURE.read_bytes()), gen.STALE
    assert recorded["command"] == "backcare " + " ".join(gen.ARGS)
    assert recorded["environment"]["BACKCARE_TODAY"], "a fixed date, or the handout changes every day"
    assert recorded["html_sha256"] == gen.sha256(gen.handout().encode("utf-8")), gen.STALE
    assert gen.main(["--check"]) == 0


def test_gen_screenshot_check_names_a_changed_handout(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    gen = _script("gen_screenshot")
    monkeypatch.setattr(gen, "handout", lambda: "<!DOCTYPE html>changed on purpose")
    assert gen.main(["--check"]) == 1
    assert "run python docs/gen_screenshot.py" in capsys.readouterr().err


def test_every_command_is_documented_with_help_and_an_example() -> None:
    gen = _gen_docs()
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in gen.commands():
        assert f"## backcare {name}" in reference
        assert f"`backcare {name}" in readme
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example: backcare " in result.stdout, f"{name} --help has no example"
        top = run("--help").stdout
        assert f"  {name} " in top


def test_every_option_has_help_text() -> None:
    from typer.main import get_command

    from backcare.cli import app

    group = get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        for param in command.params:
            if param.param_type_name == "option" and param.name not in ("help",):
                assert getattr(param, "help", None), f"{name} {param.name} has no help"


def test_brackets_in_help_are_not_eaten_by_markup() -> None:
    out = run("compare", "--help").stdout
    assert "A B [C ...]" in out
    assert "[PATH]..." in run("validate", "--help").stdout


def test_readme_starts_with_what_it_is_and_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:2500]
    assert "not" in head and "medical advice" in head
    assert "\npip install . && backcare list\n" in head
    assert "\npip install -e '.[test]' && pytest\n" in head


def test_readme_is_a_first_screen_with_three_generated_examples() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = readme.splitlines()
    assert len(lines) <= 300
    head = "\n".join(lines[:60])
    for symptom in ("leg weakness", "bladder or bowel", "genitals or back passage", "fever", "cancer"):
        assert symptom in head
    for line in ("pip install . && backcare list", "pip install -e '.[test]' && pytest"):
        assert line in lines
        at = lines.index(line)
        assert lines[at - 1] == "```sh" and lines[at + 1] == "```"
    runs = [line for line in lines if line.startswith("<!-- run: ")]
    assert runs == [
        "<!-- run: show acupuncture -f table -->",
        "<!-- run: compare spinal-manipulation acupuncture massage exercise -f table -->",
        "<!-- run: conditions sciatica -f table -->",
    ]
    for link in ("docs/examples.md", "docs/cli.md", "docs/usage.md", "docs/schema.md"):
        assert f"]({link}" in readme


def test_long_examples_live_in_docs_examples() -> None:
    examples = (ROOT / "docs" / "examples.md").read_text(encoding="utf-8")
    for args in ("show kyphoplasty --full -f table", "compare rfa epidural --full -f table", "validate"):
        assert f"<!-- run: {args} -->" in examples
    for path in (ROOT / "docs").glob("*.md"):  # relative links between the docs resolve
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8")):
            assert (path.parent / target).exists(), (path.name, target)


def test_completion_scripts_are_current_and_with_the_man_page_packaged() -> None:
    import tomllib

    gen = _gen_docs()
    for shell, path in gen.COMPLETION.items():
        assert path.read_text(encoding="utf-8") == run("--show-completion", shell).stdout, f"{path.name} is stale"
    man = gen.MAN.read_text(encoding="utf-8")
    assert man.startswith(".TH BACKCARE 1 ")
    for name in gen.commands():
        assert f'.SS "backcare {name} ' in man
    assert "\\fB\\-\\-data PATH\\fR" in man
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert {"data/completion/*", "data/man/*"} <= set(package_data["backcare"])


def test_man_page_is_current() -> None:
    if reason := _help_layout_elsewhere():
        pytest.skip(reason)
    gen = _gen_docs()
    assert gen.MAN.read_text(encoding="utf-8") == gen.manpage(), "backcare.1 is stale: run python docs/gen_docs.py"


def test_writing_entries_is_for_someone_who_installed_with_pip() -> None:
    guide = (ROOT / "docs" / "writing-entries.md").read_text(encoding="utf-8")
    assert "src/" not in guide and "brief" not in guide.lower() and "schema.md" not in guide
    for needed in ("backcare new", "show acupuncture --format yaml", "extends:", "overrides:", "validate", "--strict"):
        assert needed in guide, needed
