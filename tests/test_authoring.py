"""Writing a clinic's own layer: show --format yaml, new, extends, and validate for authors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from backcare import readability
from conftest import run
from kbfactory import entry, kb, v2, with_in_short, write


def records_equal_but_origin(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return {k: v for k, v in a.items() if k != "origin"} == {k: v for k, v in b.items() if k != "origin"}


# -- show --format yaml -----------------------------------------------------------------------------


def test_a_bundled_entry_as_yaml_validates_and_loads(tmp_path: Path) -> None:
    text = run("show", "acupuncture", "-f", "yaml").stdout
    assert text.startswith("# A backcare layer file with one entry, 'acupuncture'")
    assert "licensed CC BY 4.0" in text
    path = tmp_path / "acupuncture.yaml"
    path.write_text(text, encoding="utf-8")
    checked = run("validate", str(path))
    assert checked.exit_code == 0, checked.stdout
    loaded = json.loads(run("--data", str(path), "show", "acupuncture", "-f", "json").stdout)
    assert loaded["origin"] == "data:acupuncture.yaml"
    assert records_equal_but_origin(loaded, json.loads(run("show", "acupuncture", "-f", "json").stdout))


def test_a_version_2_entry_as_yaml_has_a_sources_registry(tmp_path: Path) -> None:
    source = write(tmp_path / "source.yaml", v2(kb(with_in_short(entry("pool-walking", aliases=[])), about=False)))
    text = run("--data", str(source), "show", "pool-walking", "-f", "yaml").stdout
    data = yaml.safe_load(text)
    assert data["schema_version"] == 2
    assert list(data["sources"]) == ["s1"] and data["treatments"][0]["sources"] == ["s1"]
    assert "origin" not in data["treatments"][0]
    copy = tmp_path / "copy.yaml"
    copy.write_text(text, encoding="utf-8")
    assert run("--data", str(source), "validate", str(copy)).exit_code == 0
    shown = run("--data", str(source), "--data", str(copy), "show", "pool-walking", "-f", "json")
    original = run("--data", str(source), "show", "pool-walking", "-f", "json")
    assert records_equal_but_origin(json.loads(shown.stdout), json.loads(original.stdout))


# -- new ----------------------------------------------------------------------------------------------


def fill(node: Any, key: str = "") -> Any:
    """The skeleton with every placeholder replaced by plausible text."""
    if isinstance(node, dict):
        return {k: fill(v, str(k)) for k, v in node.items()}
    if isinstance(node, list):
        return [fill(v, key) for v in node]
    if isinstance(node, str) and node.startswith("TODO:"):
        return "https://example.org/source" if key == "url" else "Plain words."
    return node


def test_the_skeleton_is_refused_until_filled_and_then_validates(tmp_path: Path) -> None:
    result = run("new", "pool-therapy", env={"BACKCARE_TODAY": "2026-12-01"})
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("# A new backcare entry, 'pool-therapy'") and "last_reviewed: 2026-12-01" in text
    skeleton = tmp_path / "skeleton.yaml"
    skeleton.write_text(text, encoding="utf-8")
    refused = run("validate", str(skeleton), "-f", "json")
    assert refused.exit_code == 1
    assert all("placeholder" in p["message"] for p in json.loads(refused.stdout))
    filled = write(tmp_path / "filled.yaml", fill(yaml.safe_load(text)))
    checked = run("validate", str(filled))
    assert checked.exit_code == 0, checked.stdout
    assert json.loads(run("--data", str(filled), "show", "pool-therapy", "-f", "json").stdout)["name"] == "Plain words."


def test_new_writes_a_file_but_never_over_one_without_force(tmp_path: Path) -> None:
    target = tmp_path / "clinic.yaml"
    assert run("new", "pool-therapy", "--output", str(target)).exit_code == 0
    assert target.read_text().startswith("# A new backcare entry")
    target.write_text("mine\n")
    again = run("new", "pool-therapy", "--output", str(target))
    assert again.exit_code == 2 and target.read_text() == "mine\n"
    assert again.stderr == f"backcare: error: {target} already exists; use --force to overwrite it\n"
    assert run("new", "pool-therapy", "--output", str(target), "--force").exit_code == 0
    assert target.read_text().startswith("# A new backcare entry")
    assert run("new", "Not An Id").exit_code == 2


# -- extends ------------------------------------------------------------------------------------------


def extending(tid: str, **fields: Any) -> dict[str, Any]:
    return {"treatments": [{"extends": tid, **fields}]}


def test_an_extending_entry_changes_only_the_fields_it_lists(tmp_path: Path) -> None:
    path = write(tmp_path / "clinic.yaml", extending("acupuncture", summary="Offered here on Tuesdays."))
    assert run("validate", str(path)).exit_code == 0
    bundled = json.loads(run("show", "acupuncture", "-f", "json").stdout)
    changed = json.loads(run("--data", str(path), "show", "acupuncture", "-f", "json").stdout)
    assert changed["summary"] == "Offered here on Tuesdays."
    assert changed["origin"] == "data:clinic.yaml" and changed["extends"] == "acupuncture"
    assert {k: v for k, v in changed.items() if k not in ("summary", "origin", "extends")} == {
        k: v for k, v in bundled.items() if k not in ("summary", "origin")
    }
    hits = json.loads(run("--data", str(path), "search", "tuesdays", "-f", "json").stdout)
    assert hits[0]["id"] == "acupuncture"


def test_an_extension_is_checked_as_the_merged_entry(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", extending("acupuncture", risks=[{"risk": "Bruising", "source": "nowhere"}]))
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert "risks[0].source: 'nowhere' is not a key in this entry's sources (in the entry as extended)" in result.stdout
    missing = write(tmp_path / "missing.yaml", extending("no-such-entry", summary="x"))
    assert "extends: no earlier layer has an entry 'no-such-entry' to extend" in run("validate", str(missing)).stdout
    base = write(tmp_path / "base.yaml", {**kb(entry("x")), "treatments": [entry("x", extends="x")]})
    assert "only a user or --data file can extend an entry" in run("--data-only", str(base), "validate").stdout
    other_id = write(tmp_path / "other.yaml", extending("acupuncture", id="needles"))
    assert "an extending entry keeps the id it extends ('acupuncture')" in run("validate", str(other_id)).stdout


def test_an_extension_follows_the_layer_under_it_through_the_cache(tmp_path: Path) -> None:
    under = write(tmp_path / "under.yaml", kb(entry("local", summary="First summary."), about=False))
    over = write(tmp_path / "over.yaml", extending("local", name="Local (clinic)"))
    args = ["--data", str(under), "--data", str(over), "show", "local", "-f", "json"]
    first = json.loads(run(*args).stdout)
    assert (first["name"], first["summary"]) == ("Local (clinic)", "First summary.")
    write(under, kb(entry("local", summary="Second summary, longer."), about=False))
    second = json.loads(run(*args).stdout)
    assert (second["name"], second["summary"]) == ("Local (clinic)", "Second summary, longer.")


# -- validate for authors -----------------------------------------------------------------------------


def test_validate_takes_folders_and_reports_each_problem_once_in_line_order(tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    bad = entry("b-one", category="magic", sumary="typo", conditions=["sciatica"])
    write(folder / "b.yaml", kb(bad, about=False, conditions=[]))
    write(folder / "a.yaml", kb(entry("a-one", conditions=["sciatica"]), about=False, conditions=[]))
    (folder / "notes.txt").write_text("not yaml")
    result = run("validate", str(folder), "-f", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert {p["file"] for p in problems} == {str(folder / "b.yaml")}
    assert [p["line"] for p in problems] == sorted(p["line"] for p in problems)
    assert len({json.dumps(p) for p in problems}) == len(problems)
    assert set(problems[0]) == {"file", "line", "entry", "field", "message"}
    assert any(p["field"] == "sumary" and "did you mean summary?" in p["message"] for p in problems)
    text = run("validate", str(folder)).stdout
    assert text.index(str(folder / "a.yaml")) < text.index(str(folder / "b.yaml"))


def test_strict_adds_the_editorial_rules(tmp_path: Path) -> None:
    weak = entry("weak", aliases=[], conditions=["sciatica"], summary=" ".join(["word"] * 30) + ".")
    weak["risks"] = [{"risk": "Bleeding in about 1 in 50 people"}]
    path = write(tmp_path / "weak.yaml", kb(weak, about=False, conditions=[]))
    assert run("validate", str(path)).exit_code == 0
    result = run("validate", "--strict", str(path), "-f", "json")
    assert result.exit_code == 1
    messages = {(p["field"], p["message"].removesuffix(" (--strict)")) for p in json.loads(result.stdout)}
    assert ("sources", "1 source(s): give at least two") in messages
    assert ("sources", "none of the sources is a guideline or a systematic review") in messages
    assert ("risks[0].source", "a risk with a number needs the source it comes from") in messages
    assert ("summary", "a sentence of 30 words (at most 25): 'word word word word word word …'") in messages


def test_strict_readability_uses_the_median_grade() -> None:
    from backcare.editorial import problems

    hard = "Percutaneous vertebroplasty necessitates fluoroscopically guided polymethylmethacrylate injection."
    rec = {
        "summary": hard,
        "in_short": {"what_it_is": "A warm pad.", "helps": "It may help a bit.", "recovery": "None."},
    }
    assert not any("reading grade" in m for _, m in problems(rec))  # one hard text of four: the median is easy
    rec["in_short"].update(helps=hard, recovery=hard)
    assert any(f == "summary" and m.startswith("reading grade") for f, m in problems(rec))


def test_readability_counts() -> None:
    assert [readability.syllables(w) for w in ("cat", "table", "recovery", "hopes", "anaesthesia", "44")] == [
        1,
        2,
        4,
        1,
        4,
        1,
    ]
    assert readability.sentences("One. Two, e.g. three. Doe et al. 2018 found it! Why?") == [
        "One.",
        "Two, e.g. three.",
        "Doe et al. 2018 found it!",
        "Why?",
    ]
    assert readability.grade("The cat sat on the mat.") < 2
    assert readability.grade("Interventional procedures necessitate comprehensive multidisciplinary evaluation.") > 15
    assert readability.longest_sentence("Short one. A much longer second sentence here.")[0] == 6
    assert readability.median_grade([]) == 0.0


# -- completion ---------------------------------------------------------------------------------------


def complete(shell: str, words: str, **env: str) -> str:
    full = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")}
    full.update(env, _BACKCARE_COMPLETE=f"complete_{shell}")
    if shell == "bash":
        full.update({"COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)})
    else:
        full["_TYPER_COMPLETE_ARGS"] = words
        if shell == "fish":
            full["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = subprocess.run([sys.executable, "-m", "backcare"], env=full, capture_output=True, text=True, check=False)
    assert "Traceback" not in result.stdout + result.stderr and "╭" not in result.stdout + result.stderr
    assert result.stderr == ""
    return result.stdout


@pytest.fixture
def layer(tmp_path: Path) -> Path:
    return write(tmp_path / "clinic.yaml", kb(entry("pool-walking", aliases=["aqua"])))


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_reads_data_and_data_only(shell: str, layer: Path) -> None:
    out = complete(shell, f"backcare --data {layer} show pool")
    assert "pool-walking" in out
    alone = complete(shell, f"backcare --data-only {layer} show ")
    assert "pool-walking" in alone and "kyphoplasty" not in alone
    assert "pool-walking" in complete(shell, "backcare show pool", BACKCARE_DATA=str(layer))


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_reads_user_layers_and_survives_broken_or_missing_files(
    shell: str, user_dir: Path, tmp_path: Path
) -> None:
    write(user_dir / "clinic.yaml", kb(entry("pool-walking", conditions=["sciatica"]), about=False, conditions=[]))
    assert "pool-walking" in complete(shell, "backcare show pool")
    (user_dir / "broken.yaml").write_text("treatments: [\n")
    assert "pool-walking" in complete(shell, "backcare show pool")
    assert complete(shell, f"backcare --data-only {tmp_path / 'missing.yaml'} show ky").strip() in ("", "_files")
    assert "kyphoplasty" in complete(shell, f"backcare --data {tmp_path / 'missing.yaml'} show ky")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_honours_the_shell_named(shell: str) -> None:
    script = run("--show-completion", shell).stdout
    marker = {"bash": "complete -o default -F", "zsh": "#compdef backcare", "fish": "complete --command backcare"}
    assert marker[shell] in script and "_BACKCARE_COMPLETE" in script


def test_show_completion_from_sh_names_the_way_out(tmp_path: Path) -> None:
    env = {**os.environ, "SHELL": "/bin/sh"}
    script = subprocess.run(
        ["sh", "-c", f"{sys.executable} -m backcare --show-completion zsh"], env=env, capture_output=True, text=True
    )
    assert script.returncode == 0 and "#compdef backcare" in script.stdout
    unknown = run("--show-completion", "tcsh")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("backcare: error: no completion for shell 'tcsh'")


def test_install_completion_is_idempotent(isolated_home: Path) -> None:
    for shell in ("bash", "zsh", "fish"):
        first = run("--install-completion", shell)
        assert first.exit_code == 0 and first.stdout.startswith(f"{shell} completion installed in ")
    before = {p: p.read_text() for p in isolated_home.rglob("*") if p.is_file()}
    for shell in ("bash", "zsh", "fish"):
        assert run("--install-completion", shell).exit_code == 0
    after = {p: p.read_text() for p in isolated_home.rglob("*") if p.is_file()}
    assert after == before
    assert (isolated_home / ".bashrc").read_text().count("source ") == 1
    assert (isolated_home / ".config" / "fish" / "completions" / "backcare.fish").exists()
