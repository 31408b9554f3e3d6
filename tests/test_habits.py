"""Issue 6: own entries layered over the bundled ones, paths, completion, colour, pager, plain
pipes, the bars in compare, and the staleness note."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backcare import output
from conftest import run
from kbfactory import CONDITION, entry, kb, write

BOX = set("─│┌┐└┘├┤┬┴┼╭╮╯╰")


def user_entry(tid: str = "clinic-hydrotherapy", **kw: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "name": "Clinic hydrotherapy",
        "aliases": ["hydro"],
        "conditions": ["chronic-low-back-pain"],
    }
    return entry(tid, **{**fields, **kw})


# -- layering ---------------------------------------------------------------------------------


def test_a_file_in_the_user_data_directory_appears_everywhere(user_dir: Path) -> None:
    write(user_dir / "clinic.yaml", kb(user_entry(), about=False, conditions=[]))
    ids = [d["id"] for d in json.loads(run("list", "-f", "json").stdout)]
    assert "clinic-hydrotherapy" in ids and "kyphoplasty" in ids
    assert json.loads(run("show", "hydro", "-f", "json").stdout)["origin"] == "user:clinic.yaml"
    assert "Clinic hydrotherapy" in run("compare", "hydro", "massage", "-f", "plain").stdout
    hits = json.loads(run("search", "hydrotherapy", "-f", "json").stdout)
    assert hits[0]["id"] == "clinic-hydrotherapy"
    assert "clinic-hydrotherapy" in run("list", "--treats", "chronic", "-f", "plain").stdout


def test_a_user_entry_with_an_existing_id_replaces_the_bundled_one(user_dir: Path) -> None:
    local = entry("acupuncture", name="Acupuncture (clinic notes)", aliases=[], conditions=["chronic-low-back-pain"])
    write(user_dir / "local.yaml", kb(local, about=False, conditions=[]))
    records = json.loads(run("list", "-f", "json").stdout)
    acupuncture = [r for r in records if r["id"] == "acupuncture"]
    assert len(acupuncture) == 1
    assert acupuncture[0]["name"] == "Acupuncture (clinic notes)"
    assert acupuncture[0]["origin"] == "user:local.yaml"
    assert [r["id"] for r in records].index("acupuncture") == 5  # keeps its place in the list


def test_layers_apply_in_order_user_files_by_name_then_data(user_dir: Path, tmp_path: Path) -> None:
    write(user_dir / "b.yaml", kb(user_entry(summary="from b"), about=False, conditions=[]))
    write(user_dir / "a.yaml", kb(user_entry(summary="from a"), about=False, conditions=[]))
    assert json.loads(run("show", "hydro", "-f", "json").stdout)["summary"] == "from b"
    extra = write(tmp_path / "extra.yaml", kb(user_entry(summary="from --data"), about=False, conditions=[]))
    assert json.loads(run("--data", str(extra), "show", "hydro", "-f", "json").stdout)["summary"] == "from --data"
    env = {"BACKCARE_DATA": f"{tmp_path / 'missing-not-used.yaml'}"}
    # an explicit --data wins over the environment variable
    assert run("--data", str(extra), "show", "hydro", "-f", "json", env=env).exit_code == 0


def test_data_may_be_given_more_than_once_and_as_a_colon_list(tmp_path: Path) -> None:
    one = write(tmp_path / "one.yaml", kb(entry("first-local", conditions=["sciatica"]), about=False, conditions=[]))
    two = write(tmp_path / "two.yaml", kb(entry("second-local", conditions=["sciatica"]), about=False, conditions=[]))
    ids = [d["id"] for d in json.loads(run("--data", str(one), "--data", str(two), "list", "-f", "json").stdout)]
    assert {"first-local", "second-local"} <= set(ids)
    env = {"BACKCARE_DATA": f"{one}{os.pathsep}{two}"}
    ids = [d["id"] for d in json.loads(run("list", "-f", "json", env=env).stdout)]
    assert {"first-local", "second-local"} <= set(ids)


def test_conditions_and_glossary_layer_too(user_dir: Path) -> None:
    data = kb(user_entry(conditions=["test-condition"]), about=False)
    data["glossary"] = [{"term": "Hydrotherapy", "definition": "Exercise in warm water."}]
    write(user_dir / "clinic.yaml", data)
    conditions = json.loads(run("conditions", "-f", "json").stdout)
    assert next(c for c in conditions if c["id"] == "test-condition")["treatments"] == ["clinic-hydrotherapy"]
    assert "Exercise in warm water." in run("glossary", "hydrotherapy", "-f", "plain").stdout


def test_list_marks_where_each_entry_came_from(user_dir: Path) -> None:
    write(user_dir / "clinic.yaml", kb(user_entry(), about=False, conditions=[]))
    table = run("list", "-f", "table", env={"COLUMNS": "200"}).stdout
    assert "origin" in table and "user:clinic.yaml" in table and "bundled" in table
    plain = run("list", "-f", "plain").stdout.splitlines()
    assert plain[-1].split("\t")[-1] == "user:clinic.yaml"


def test_without_user_files_the_table_has_no_origin_column() -> None:
    assert "origin" not in run("list", "-f", "table").stdout.splitlines()[0]


def test_data_only_uses_one_file_alone_and_ignores_user_files(user_dir: Path, tmp_path: Path) -> None:
    write(user_dir / "clinic.yaml", kb(user_entry(), about=False, conditions=[]))
    alone = write(tmp_path / "alone.yaml", kb(entry("only-entry")))
    ids = [d["id"] for d in json.loads(run("--data-only", str(alone), "list", "-f", "json").stdout)]
    assert ids == ["only-entry"]


def test_a_broken_user_file_is_skipped_with_one_line(user_dir: Path) -> None:
    (user_dir / "broken.yaml").write_text("treatments: [\n")
    result = run("list", "-f", "plain")
    assert result.exit_code == 0
    assert "kyphoplasty" in result.stdout
    path = user_dir / "broken.yaml"
    assert result.stderr == (
        f"backcare: warning: skipped {path} (2:1: YAML syntax error: did not find expected node content); "
        f"'backcare validate {path}' lists its problems\n"
    )


def test_a_user_entry_referring_to_an_unknown_condition_skips_its_file(user_dir: Path) -> None:
    write(user_dir / "clinic.yaml", kb(user_entry(conditions=["no-such"]), about=False, conditions=[]))
    result = run("list", "-f", "plain")
    assert result.exit_code == 0 and "clinic-hydrotherapy" not in result.stdout
    assert "entry 'clinic-hydrotherapy' conditions: unknown condition 'no-such'" in result.stderr
    assert result.stderr.count("\n") == 1
    assert run("validate").exit_code == 1


def test_validate_checks_every_layer_names_each_file_and_reports_clashes(user_dir: Path) -> None:
    write(
        user_dir / "clinic.yaml",
        kb(entry("local-one", aliases=["esi"], conditions=["sciatica"]), about=False, conditions=[]),
    )
    result = run("validate")
    assert result.exit_code == 1
    assert "treatments.yaml: ok" in result.stdout
    assert f"{user_dir / 'clinic.yaml'}: 1 problem(s)" in result.stdout
    assert (
        "entry 'local-one' aliases: 'esi' is already a name of 'epidural-steroid-injection' (bundled), which keeps it"
        in result.stdout
    )


def test_validate_a_user_file_knows_the_bundled_conditions(tmp_path: Path) -> None:
    path = write(tmp_path / "clinic.yaml", kb(user_entry(), about=False, conditions=[]))
    result = run("validate", str(path))
    assert result.exit_code == 0, result.stdout
    assert f"{path}: ok" in result.stdout


# -- paths ------------------------------------------------------------------------------------


def test_paths_defaults(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.delenv("XDG_CACHE_HOME")
    rows = {r["what"]: r for r in json.loads(run("paths", "-f", "json").stdout)}
    assert rows["bundled knowledge base"]["exists"] == "yes"
    assert rows["user data directory"]["path"] == str(isolated_home / ".local" / "share" / "backcare")
    assert rows["user data directory"]["source"].startswith("default")
    assert rows["cache directory"]["path"] == str(isolated_home / ".cache" / "backcare")
    assert rows["user data directory"]["exists"] == "no"


def test_paths_from_environment_and_options(tmp_path: Path, user_dir: Path) -> None:
    write(user_dir / "clinic.yaml", kb(user_entry(), about=False, conditions=[]))
    extra = tmp_path / "extra.yaml"
    rows = json.loads(run("--data", str(extra), "paths", "-f", "json").stdout)
    by_what = {r["what"]: r for r in rows}
    assert by_what["user data directory"]["source"] == "environment variable XDG_DATA_HOME"
    assert by_what["user data directory"]["exists"] == "yes"
    assert by_what["user file"]["path"] == str(user_dir / "clinic.yaml")
    assert by_what["--data file"] == {
        "what": "--data file",
        "path": str(extra),
        "exists": "no",
        "source": "option --data",
    }
    assert by_what["cache directory"]["source"] == "environment variable XDG_CACHE_HOME"
    env_rows = json.loads(run("paths", "-f", "json", env={"BACKCARE_DATA": str(extra)}).stdout)
    assert {
        "what": "--data file",
        "path": str(extra),
        "exists": "no",
        "source": "environment variable BACKCARE_DATA",
    } in env_rows
    off = json.loads(run("paths", "-f", "json", env={"BACKCARE_NO_CACHE": "1"}).stdout)
    assert off[-1]["source"] == "off: environment variable BACKCARE_NO_CACHE"


# -- completion -------------------------------------------------------------------------------


def complete(shell: str, words: str, env: dict[str, str]) -> str:
    full = {**env, "_BACKCARE_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        parts = words.split(" ")
        full.update({"COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)})
    else:
        full["_TYPER_COMPLETE_ARGS"] = words
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "backcare"], env=full, capture_output=True, text=True, check=False
    )
    assert "rich" not in result.stderr.replace("backcare", ""), "completion imported Rich"
    return result.stdout


@pytest.fixture
def completion_env(tmp_path: Path, user_dir: Path) -> dict[str, str]:
    write(user_dir / "clinic.yaml", kb(user_entry(), about=False, conditions=[]))
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "SYSTEMROOT")}
    return {
        **keep,
        "HOME": os.environ["HOME"],
        "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"],
        "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"],
    }


def test_bash_completion_of_ids_aliases_and_user_entries(completion_env: dict[str, str]) -> None:
    out = complete("bash", "backcare show ky", completion_env).split()
    assert "kyphoplasty" in out
    assert complete("bash", "backcare compare rfa clin", completion_env).split() == ["clinic-hydrotherapy"]
    assert "hydro" in complete("bash", "backcare show hy", completion_env).split()


def test_zsh_completion_has_the_treatment_name_as_help(completion_env: dict[str, str]) -> None:
    out = complete("zsh", "backcare show kyph", completion_env)
    assert '"kyphoplasty":"Balloon kyphoplasty"' in out
    assert '"clinic-hydrotherapy":"Clinic hydrotherapy"' in complete("zsh", "backcare show clinic", completion_env)


def test_completion_of_categories_and_conditions(completion_env: dict[str, str]) -> None:
    assert complete("bash", "backcare list --category al", completion_env).split() == ["alternative"]
    assert "sciatica" in complete("bash", "backcare list --treats sci", completion_env).split()


# -- colour -----------------------------------------------------------------------------------


def test_color_never_always_and_auto() -> None:
    always = run("--color", "always", "show", "rfa").stdout
    assert "\x1b[" in always
    assert "─" not in always or "│" not in always  # show is a document, not a grid
    assert "\x1b[" not in run("--color", "never", "show", "rfa", "-f", "table", env={"FORCE_COLOR": "1"}).stdout
    auto = run("show", "rfa").stdout  # CliRunner is not a terminal: plain, no colour
    assert "\x1b[" not in auto and not BOX & set(auto)


def test_color_always_gives_tables_in_a_pipe_for_less_r() -> None:
    out = run("--color", "always", "compare", "rfa", "epidural").stdout
    assert "╭" in out and "\x1b[" in out


# -- pager ------------------------------------------------------------------------------------


@pytest.fixture
def pager_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    log = tmp_path / "paged.txt"
    script = tmp_path / "pager.py"
    script.write_text(f"import sys\nopen({str(log)!r}, 'w').write(sys.stdin.read())\n")
    monkeypatch.setenv("BACKCARE_PAGER", f"{sys.executable} {script}")
    return log


def test_pager_pages_long_output_on_a_terminal(pager_log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "stdout_is_tty", lambda: True)
    result = run("--pager", "compare", "rfa", "epidural", env={"LINES": "20"})
    assert result.exit_code == 0
    assert pager_log.exists() and "Radiofrequency ablation" in pager_log.read_text()
    assert result.stdout == ""


def test_pager_is_never_used_in_a_pipe(pager_log: Path) -> None:
    result = run("--pager", "compare", "rfa", "epidural")
    assert "Radiofrequency ablation" in result.stdout
    assert not pager_log.exists()


def test_short_output_is_not_paged(pager_log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "stdout_is_tty", lambda: True)
    result = run("--pager", "show", "rfa", env={"LINES": "5000"})
    assert "Radiofrequency ablation" in result.stdout
    assert not pager_log.exists()


# -- plain output in pipes --------------------------------------------------------------------


@pytest.mark.parametrize("args", [["list"], ["search", "nerve"], ["conditions"], ["glossary"], ["paths"]])
def test_rows_are_tab_separated_in_a_pipe(args: list[str]) -> None:
    out = run(*args).stdout
    lines = out.splitlines()
    assert lines and all("\t" in line for line in lines)
    assert len({len(line.split("\t")) for line in lines}) == 1
    assert not BOX & set(out)


@pytest.mark.parametrize("args", [["show", "kyphoplasty"], ["compare", "rfa", "epidural", "acupuncture"]])
def test_documents_are_plain_text_in_a_pipe(args: list[str]) -> None:
    out = run(*args).stdout
    assert not BOX & set(out) and "\x1b" not in out
    assert "RISKS" in out.upper()


# -- compare at a glance ----------------------------------------------------------------------


def test_compare_draws_bars_dots_and_stance_symbols() -> None:
    out = run("compare", "massage", "rfa", "kyphoplasty", "--full", "-f", "plain").stdout
    invasive = out.split("INVASIVENESS")[1].split("POSSIBLE BENEFITS")[0]
    bars = [line.strip() for line in invasive.splitlines() if line.strip().startswith("[")]
    assert bars[0].startswith("[░░░░░░░░░░] none")  # massage
    assert bars[1].startswith("[█████░░░░░] spinal-injection")  # RF ablation
    assert bars[2].startswith("[████████░░] percutaneous")  # kyphoplasty
    recovery = out.split("\nRECOVERY")[1].split("HOW SURE")[0]
    assert "[░░░░░░░░░░] typically no time off" in recovery  # massage: the scale starts at zero
    # one absolute scale (180 days), not rescaled to the longest recovery in the set
    assert "[█░░░░░░░░░] typically 1–3 days" in recovery
    assert "[██████████]" not in recovery
    assert "full bar = 180+ days" in out
    quality = out.split("HOW SURE IS THE EVIDENCE?")[1]
    assert "●" in quality and "○" in quality
    assert "✔ recommend" in out and "✘ against" in out
    assert "Verdicts: ✔ recommend  ± consider  ✘ against  ? only in research  · no position" in out


def test_compare_bars_in_plain_ascii() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "COLUMNS": "100"}
    result = subprocess.run(
        [sys.executable, "-m", "backcare", "compare", "massage", "rfa", "--full", "-f", "plain"],
        env=env,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("ascii")
    assert "[----------] none" in out and "[#####-----] spinal-injection" in out
    assert "Verdicts: + recommend  ~ consider  x against" in out


def test_compare_says_when_time_frames_differ_and_what_if_i_wait() -> None:
    for full in ([], ["--full"]):
        out = run("compare", "vertebroplasty", "kyphoplasty", *full, "-f", "plain").stdout
        wait = out.split("WHAT IF I WAIT?\n")[1]
        assert wait.startswith("  Painful osteoporotic vertebral compression fracture: Some people improve")
        out = run("compare", "vertebroplasty", "acupuncture", *full, "-f", "plain").stdout
        assert "use different time frames" in out
        assert "No condition in common" in out


def test_one_entry_with_two_time_frames_is_not_compared_with_itself() -> None:
    """Laser reports re-operations at 1 and 2 years; epidural has no figures: nothing to warn about."""
    for full in ([], ["--full"]):
        out = run("compare", "epidural", "laser", *full, "-f", "plain").stdout
        assert "different time frames" not in out


# -- freshness --------------------------------------------------------------------------------


def test_stale_entries_are_flagged_with_a_fixed_clock() -> None:
    fresh = run("show", "rfa", "--full", "-f", "plain", env={"BACKCARE_TODAY": "2027-01-01"}).stdout
    assert "more than two years ago" not in fresh
    assert "Overdue" not in run("show", "rfa", "-f", "plain", env={"BACKCARE_TODAY": "2027-01-01"}).stdout
    stale = run("show", "rfa", "--full", "-f", "plain", env={"BACKCARE_TODAY": "2029-01-01"}).stdout
    assert "Note: 'radiofrequency-ablation' was last reviewed on 2026-11-29, more than two years ago" in stale
    brief = run("show", "rfa", "-f", "plain", env={"BACKCARE_TODAY": "2029-01-01"}).stdout.splitlines()
    assert brief[-2] == "Overdue for review: more than two years old; newer evidence may exist."
    grid = run("compare", "rfa", "epidural", "-f", "plain", env={"BACKCARE_TODAY": "2029-01-01"}).stdout
    assert grid.count("more than two years ago") == 2


def test_a_bad_fixed_clock_is_a_usage_error() -> None:
    result = run("show", "rfa", env={"BACKCARE_TODAY": "soon"})
    assert result.exit_code == 2
    assert "BACKCARE_TODAY='soon' is not a date" in result.stderr


def test_the_fixture_knowledge_base_is_valid(tmp_path: Path) -> None:
    """Guards the helpers the tests above rely on: the fixture file passes `validate` for real."""
    path = write(tmp_path / "fixture.yaml", kb(entry("one"), entry("two")))
    result = run("validate", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == f"{path}: ok (2 treatments, 1 conditions)\n"
    assert CONDITION["id"] in run("--data-only", str(path), "conditions", "-f", "json").stdout
