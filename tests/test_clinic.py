"""Clinic layers that cannot mislead: no silent takeover, broken layers skipped, provenance and
interests per file, origin names (issue "Clinic layers that cannot mislead", points 1-3 and 7)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from backcare import kb as kbmod
from backcare.store import IndexRow
from backcare.validate import Named
from conftest import run
from kbfactory import entry, kb, write


def hydrotherapy(**kw: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": "Hydrotherapy",
        "aliases": ["epidural", "pool therapy"],
        "conditions": ["chronic-low-back-pain"],
    }
    return entry("hydrotherapy", **{**fields, **kw})


def clinic_file(tmp_path: Path, *entries: dict[str, Any], name: str = "clinic.yaml", **about: str) -> Path:
    data = kb(*(entries or (hydrotherapy(),)), about=False, conditions=[])
    data.update(about)
    return write(tmp_path / name, data)


def complete(shell: str, words: str) -> str:
    """Candidates as the shell's completion script asks Typer for them (its env-var protocol)."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")}
    env["_BACKCARE_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        env.update({"COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)})
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = subprocess.run([sys.executable, "-m", "backcare"], env=env, capture_output=True, text=True, check=False)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == ""
    return result.stdout


# -- 1. no silent takeover ---------------------------------------------------------------------


def test_validate_fails_on_an_undeclared_alias_of_a_bundled_entry(tmp_path: Path) -> None:
    path = clinic_file(tmp_path)
    result = run("validate", str(path))
    assert result.exit_code == 1
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("  aliases:"))
    assert result.stdout.splitlines()[1] == (
        f"  {path}:{line}: entry 'hydrotherapy' aliases: 'epidural' is already a name of "
        "'epidural-steroid-injection' (bundled), which keeps it; rename it, or declare "
        "'overrides: [epidural]' to take it over"
    )
    assert result.stderr == "backcare: error: 1 problem(s) found\n"


def test_show_of_a_clashing_name_gives_the_bundled_entry_and_one_warning(tmp_path: Path) -> None:
    path = clinic_file(tmp_path)
    result = run("--data", str(path), "show", "epidural", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "epidural-steroid-injection"
    assert result.stderr == (
        "backcare: warning: 'epidural' names both 'epidural-steroid-injection' (bundled) and 'hydrotherapy' "
        "(data:clinic.yaml); 'epidural-steroid-injection' keeps it because 'hydrotherapy' does not declare "
        "'overrides: [epidural]'\n"
    )
    # the other names of the clinic entry still work, silently
    quiet = run("--data", str(path), "show", "pool therapy", "-f", "json")
    assert json.loads(quiet.stdout)["id"] == "hydrotherapy" and quiet.stderr == ""
    # compare resolves too: one line, however often the name is given
    both = run("--data", str(path), "compare", "epidural", "hydrotherapy", "-f", "json")
    assert both.exit_code == 0 and both.stderr.count("\n") == 1


def test_completion_does_not_offer_the_clashing_alias_for_the_later_entry(tmp_path: Path) -> None:
    path = clinic_file(tmp_path)
    zsh = complete("zsh", f"backcare --data {path} show ep")
    assert '"epidural":"Epidural steroid injection"' in zsh
    assert "Hydrotherapy" not in zsh
    assert '"hydrotherapy":"Hydrotherapy"' in complete("zsh", f"backcare --data {path} show hy")


def test_a_declared_override_takes_the_name_and_is_listed(tmp_path: Path) -> None:
    path = clinic_file(tmp_path, hydrotherapy(overrides=["epidural"]))
    result = run("--data", str(path), "show", "epidural", "-f", "json")
    assert json.loads(result.stdout)["id"] == "hydrotherapy" and result.stderr == ""
    checked = run("validate", str(path))
    assert checked.exit_code == 0, checked.stdout
    assert (
        f"override: {path}: entry 'hydrotherapy' takes names of the bundled entry 'epidural-steroid-injection'"
        in checked.stdout
    )


def test_an_override_by_the_same_id_is_allowed_and_always_listed(tmp_path: Path) -> None:
    local = entry("acupuncture", name="Acupuncture (clinic)", aliases=[], conditions=["chronic-low-back-pain"])
    path = clinic_file(tmp_path, dict(local, last_reviewed="2027-01-01"))
    result = run("validate", str(path))
    assert result.exit_code == 0
    assert f"override: {path}: entry 'acupuncture' replaces the bundled entry 'acupuncture'" in result.stdout
    assert "shadowed" not in result.stdout


def test_an_override_older_than_the_bundled_review_is_a_shadowed_update(tmp_path: Path) -> None:
    local = entry("acupuncture", name="Acupuncture (clinic)", aliases=[], conditions=["chronic-low-back-pain"])
    path = clinic_file(tmp_path, dict(local, last_reviewed="2025-01-01"))
    result = run("validate", str(path))
    assert result.exit_code == 0
    flagged = [line for line in result.stdout.splitlines() if line.startswith("shadowed update:")]
    assert len(flagged) == 1
    assert "the bundled entry 'acupuncture' was reviewed on 2026-11-29, after this entry (2025-01-01)" in flagged[0]
    strict = run("validate", "--strict", str(path), "-f", "json")
    assert strict.exit_code == 1
    assert any("shadowed update" in p["message"] for p in json.loads(strict.stdout))


def named(tid: str, origin: str, *aliases: str, overrides: tuple[str, ...] = ()) -> Named:
    rec = {"id": tid, "name": tid.title(), "aliases": list(aliases), "overrides": list(overrides)}
    return Named(tid, rec["name"], IndexRow.of(rec).keys, origin, list(overrides))


def test_name_index_the_earlier_layer_keeps_an_undeclared_name() -> None:
    entries = [named("a", "bundled", "x"), named("b", "user:c.yaml", "x", "y")]
    index = kbmod.name_index(entries)
    assert index.names["x"].id == "a" and index.names["y"].id == "b"
    assert [(c.name, c.kept, c.claimant) for c in index.clashes] == [("x", "a", "b")]
    assert index.takeovers == []


def test_name_index_a_declared_name_is_taken_over() -> None:
    entries = [named("a", "bundled", "x"), named("b", "user:c.yaml", "x", overrides=("X",))]
    index = kbmod.name_index(entries)
    assert index.names["x"].id == "b" and index.clashes == []
    assert [(t.name, t.previous, t.by) for t in index.takeovers] == [("x", "a", "b")]


def test_name_index_ids_display_names_and_same_id_replacement() -> None:
    # a later id that is an earlier alias: the earlier entry keeps it
    index = kbmod.name_index([named("a", "bundled", "b"), named("b", "data:d.yaml")])
    assert index.names["b"].id == "a" and [c.claimant for c in index.clashes] == ["b"]
    # a later alias that is an earlier id or display name
    index = kbmod.name_index([named("a", "bundled"), named("c", "data:d.yaml", "a", "A")])
    assert index.names["a"].id == "a" and len(index.clashes) == 1
    # one entry, several layers (a replacement by id): no clash
    assert kbmod.name_index([named("a", "bundled", "x"), named("a", "user:u.yaml", "x")]).clashes == []


def test_the_bundled_knowledge_base_has_no_clash() -> None:
    base = kbmod.load()
    assert base.index.clashes == [] and base.index.takeovers == []


# -- 3. a broken layer never takes the tool down ----------------------------------------------------


def test_a_broken_user_file_under_a_patients_show(user_dir: Path) -> None:
    broken = user_dir / "clinic.yaml"
    write(broken, kb(hydrotherapy(category="aquatic"), about=False, conditions=[]))
    result = run("show", "epidural", "-f", "plain")
    assert result.exit_code == 0
    assert result.stdout.startswith("Epidural steroid injection (epidural-steroid-injection)")
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"backcare: warning: skipped {broken} (")
    assert result.stderr.endswith(f"'backcare validate {broken}' lists its problems\n")
    assert run("validate").exit_code == 1
    assert run("validate", str(broken)).exit_code == 1


def test_a_layer_that_does_not_fit_those_under_it_is_skipped(tmp_path: Path) -> None:
    path = clinic_file(tmp_path, hydrotherapy(aliases=[], extends="no-such-entry"))
    result = run("--data", str(path), "list", "-f", "plain")
    assert result.exit_code == 0 and "hydrotherapy" not in result.stdout
    assert "skipped" in result.stderr and result.stderr.count("\n") == 1


def test_data_only_with_a_broken_file_stays_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "alone.yaml", kb(entry("x", category="aquatic")))
    result = run("--data-only", str(path), "show", "x")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("backcare: error:") and result.stderr.count("\n") == 1


def test_a_broken_bundled_file_stays_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "treatments.yaml"
    broken.write_text("treatments: [\n")
    monkeypatch.setattr("backcare.kb.BUNDLED", broken)
    monkeypatch.setattr("backcare.store.BUNDLED", broken)
    result = run("list")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"backcare: error: {broken}:2:1: YAML syntax error")


# -- 7. origin names that say what they are ---------------------------------------------------------


def test_data_only_reports_its_own_path_everywhere(tmp_path: Path) -> None:
    path = write(tmp_path / "alone.yaml", kb(entry("only-entry")))
    records = json.loads(run("--data-only", str(path), "list", "-f", "json").stdout)
    assert [r["origin"] for r in records] == [str(path)]
    plain = run("--data-only", str(path), "list", "-f", "plain").stdout
    assert plain.rstrip("\n").split("\t")[-1] == str(path)
    table = run("--data-only", str(path), "list", "-f", "table", env={"COLUMNS": "300"}).stdout
    assert "origin" in table and "bundled" not in table
    about = json.loads(run("--data-only", str(path), "about", "-f", "json").stdout)
    assert about["files"] == [{"origin": str(path), "path": str(path)}]
    assert "bundled" not in run("--data-only", str(path), "about", "-f", "plain").stdout
    shown = run("--data-only", str(path), "show", "only-entry", "-f", "json")
    assert json.loads(shown.stdout)["origin"] == str(path)


def test_the_packaged_file_is_the_only_bundled_one() -> None:
    about = json.loads(run("about", "-f", "json").stdout)
    assert about["files"][0]["origin"] == "bundled"
    assert about["files"][0]["path"] == str(kbmod.BUNDLED)


# -- 2. provenance and interests per file -----------------------------------------------------------

CLINIC_INTERESTS = {
    "funding": "Paid for by Riverside Physio Ltd.",
    "conflicts_of_interest": "The clinic sells hydrotherapy sessions.",
    "licence": "CC BY 4.0",
}


def test_provenance_gives_each_entry_its_own_files_statements(user_dir: Path) -> None:
    path = clinic_file(user_dir, hydrotherapy(aliases=["pool therapy"]), **CLINIC_INTERESTS)
    base = kbmod.load()
    clinic = base.provenance(base.names["hydrotherapy"])
    assert clinic == (
        "user:clinic.yaml",
        CLINIC_INTERESTS["funding"],
        CLINIC_INTERESTS["conflicts_of_interest"],
        str(path),
        "CC BY 4.0",
    )
    assert not clinic.bundled
    bundled = base.provenance(base.resolve("epidural"))
    assert bundled.bundled and bundled.label == "bundled"
    assert bundled.funding.startswith("None. backcare is written by its maintainers")
    # a layer's statements never replace the bundled ones
    assert base.about.funding == bundled.funding
    assert "CC BY 4.0 (Creative Commons Attribution 4.0 International)" in base.about.licence


@pytest.mark.parametrize("fmt", ["plain", "markdown"])
def test_show_marks_a_clinic_entry_with_its_file_and_interests(user_dir: Path, fmt: str) -> None:
    path = clinic_file(user_dir, hydrotherapy(aliases=["pool therapy"]), **CLINIC_INTERESTS)
    out = run("show", "hydrotherapy", "-f", fmt).stdout
    shown = str(path) if fmt == "plain" else str(path).replace("_", "\\_")  # Markdown escapes underscores
    assert f"'hydrotherapy' comes from {shown} and is not part of the bundled knowledge base." in out
    assert "Paid for by Riverside Physio Ltd." in out and "The clinic sells hydrotherapy sessions." in out
    bundled = run("show", "epidural", "-f", fmt).stdout
    assert "Riverside" not in bundled and "comes from" not in bundled


def test_compare_marks_each_entry_and_keeps_statements_apart(user_dir: Path) -> None:
    clinic_file(user_dir, hydrotherapy(aliases=["pool therapy"]), **CLINIC_INTERESTS)
    out = run("compare", "hydrotherapy", "epidural", "-f", "plain").stdout
    assert out.count("comes from") == 1
    assert "Declared by user:clinic.yaml for its entries: funding: Paid for by Riverside Physio Ltd." in out
    assert "Funding: None. backcare is written by its maintainers" in out  # the bundled statement, as before
    assert "Riverside" not in run("compare", "rfa", "epidural", "-f", "plain").stdout


def test_an_entry_without_statements_says_so(tmp_path: Path) -> None:
    path = clinic_file(tmp_path, hydrotherapy(aliases=[]))
    out = run("--data", str(path), "show", "hydrotherapy", "-f", "plain").stdout
    assert "funding: not stated Conflicts of interest: not stated" in out


def test_about_has_a_licence_line_in_text_and_json() -> None:
    assert "LICENCE\n  CC BY 4.0" in run("about", "-f", "plain").stdout
    assert json.loads(run("about", "-f", "json").stdout)["licence"].startswith("CC BY 4.0")


# -- 6. licences --------------------------------------------------------------------------------


def test_code_and_knowledge_base_licences_are_stated_and_packaged() -> None:
    import tomllib

    root = Path(__file__).resolve().parent.parent
    mit = (root / "LICENSE").read_text(encoding="utf-8")
    assert mit.startswith("MIT License\n\nCopyright (c) ")
    assert "Permission is hereby granted, free of charge, to any person obtaining a copy" in mit
    assert mit.rstrip().endswith("OTHER DEALINGS IN THE\nSOFTWARE.")
    data = (root / "LICENSE-DATA").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International License" in data
    assert "https://creativecommons.org/licenses/by/4.0/legalcode" in data
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT AND CC-BY-4.0"
    assert project["project"]["license-files"] == ["LICENSE", "LICENSE-DATA"]
    assert any(r.startswith("setuptools>=77") for r in project["build-system"]["requires"])
