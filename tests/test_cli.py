"""The CLI end to end through Typer's CliRunner: every command, every format, every error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backcare import __version__
from conftest import ARTICLE_TREATMENTS, run
from kbfactory import entry, kb, write

SHOW_KEYS = {
    "id",
    "name",
    "aliases",
    "category",
    "summary",
    "conditions",
    "recovery",
    "invasiveness",
    "benefits",
    "risks",
    "evidence",
    "guidelines",
    "sources",
    "last_reviewed",
}


# -- list -------------------------------------------------------------------------------------


def test_list_table_shows_every_article_treatment_with_summary() -> None:
    result = run("list", "--format", "table")
    assert result.exit_code == 0, result.stderr
    for tid in ARTICLE_TREATMENTS:
        assert tid in result.stdout
    assert "id" in result.stdout and "summary" in result.stdout


def test_list_plain_is_one_tab_separated_row_per_treatment() -> None:
    result = run("list", "--format", "plain")
    rows = result.stdout.splitlines()
    assert rows[0].split("\t")[:3] == ["kyphoplasty", "Balloon kyphoplasty", "minimally-invasive"]
    assert all(len(r.split("\t")) == 5 for r in rows)
    assert not any(ch in result.stdout for ch in "─│┌╭")


def test_list_json_is_an_array_of_full_records() -> None:
    data = json.loads(run("list", "--format", "json").stdout)
    assert [d["id"] for d in data][:8] == ARTICLE_TREATMENTS
    assert set(data[0]) >= SHOW_KEYS


def test_list_markdown_table() -> None:
    out = run("list", "--format", "markdown").stdout
    assert out.startswith("| id | name | category | summary |")
    assert "| acupuncture | Acupuncture | alternative |" in out


def test_list_category_filter() -> None:
    data = json.loads(run("list", "--category", "alternative", "-f", "json").stdout)
    assert {d["category"] for d in data} == {"alternative"}
    assert "acupuncture" in [d["id"] for d in data]


def test_list_unknown_category_is_a_usage_error() -> None:
    result = run("list", "--category", "magic")
    assert result.exit_code == 2
    assert "magic" in result.stderr


@pytest.mark.parametrize("text", ["sciatica", "SCIATICA", "radicular", "Sciatica (lumbosacral"])
def test_list_treats_matches_condition_ids_and_names(text: str) -> None:
    ids = [d["id"] for d in json.loads(run("list", "--treats", text, "-f", "json").stdout)]
    assert "epidural-steroid-injection" in ids
    assert "kyphoplasty" not in ids


def test_list_treats_with_no_match_exits_1() -> None:
    result = run("list", "--treats", "toothache")
    assert result.exit_code == 1
    assert "no treatments match condition 'toothache'" in result.stderr
    assert result.stdout == ""


# -- show -------------------------------------------------------------------------------------


def test_show_full_table_has_sections_sources_review_date_and_disclaimer() -> None:
    result = run("show", "kyphoplasty", "--full", "--format", "table")
    assert result.exit_code == 0
    out = result.stdout
    for heading in ("Used for", "How it is done", "Recovery", "Risks", "How sure is the evidence?", "Sources"):
        assert heading in out
    assert "What guidelines say" in out and "TA279" in out
    assert "Last reviewed: 20" in out
    assert "not medical advice" in out


@pytest.mark.parametrize("name", ["rfa", "RFA", "radiofrequency denervation", "Radiofrequency Denervation"])
def test_show_accepts_aliases_in_any_case(name: str) -> None:
    data = json.loads(run("show", name, "-f", "json").stdout)
    assert data["id"] == "radiofrequency-ablation"


def test_show_accepts_the_exact_display_name() -> None:
    data = json.loads(run("show", "Balloon kyphoplasty", "-f", "json").stdout)
    assert data["id"] == "kyphoplasty"


def test_show_json_has_the_documented_fields() -> None:
    result = run("show", "epidural", "--format", "json")
    data = json.loads(result.stdout)
    assert set(data) >= SHOW_KEYS
    assert set(data["evidence"]) >= {"quality", "summary"}
    assert set(data["guidelines"][0]) >= {"body", "code", "year", "stance", "summary"}
    assert data["recovery"]["days_to_normal_activity"]["min"] <= data["recovery"]["days_to_normal_activity"]["max"]


def test_show_plain_and_markdown() -> None:
    plain = run("show", "acupuncture", "--full", "-f", "plain").stdout
    assert plain.startswith("Acupuncture (acupuncture)")
    assert "WHAT GUIDELINES SAY" in plain
    markdown = run("show", "acupuncture", "--full", "-f", "markdown").stdout
    assert markdown.startswith("# Acupuncture (acupuncture)")
    assert "## What guidelines say" in markdown
    brief = run("show", "acupuncture", "-f", "plain").stdout
    assert brief.startswith("Acupuncture (acupuncture)\nBack pain needs urgent medical assessment")
    assert "\nWhat guidelines say:\n  - ✔ recommend — ACP 2017: " in brief
    brief_md = run("show", "acupuncture", "-f", "markdown").stdout
    assert brief_md.startswith("# Acupuncture (acupuncture)\n\n**Back pain needs urgent medical assessment")
    assert "## What guidelines say" in brief_md and "**Does it help?** " in brief_md


def test_show_a_clear_typo_shows_the_treatment_and_says_so() -> None:
    result = run("show", "kyphoplsty", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "kyphoplasty"
    assert result.stderr == "backcare: showing kyphoplasty for 'kyphoplsty'\n"


def test_show_unknown_with_several_close_names_lists_them() -> None:
    result = run("show", "spinal")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "backcare: error: no treatment 'spinal'; did you mean spinal-manipulation, spinal-cord-stimulation "
        "or spinal-fusion?"
    )


def test_show_unknown_without_a_close_match_points_at_list() -> None:
    result = run("show", "zzzzzz")
    assert result.exit_code == 1
    assert "no treatment 'zzzzzz' (see 'backcare list')" in result.stderr


# -- compare ----------------------------------------------------------------------------------


def test_compare_full_users_example_side_by_side() -> None:
    result = run("compare", "rfa", "epidural", "--full", "--format", "table")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Radiofrequency ablation" in out and "Epidural steroid injection" in out
    for row in (
        "Used for",
        "How it is done",
        "Recovery",
        "Invasiveness",
        "Possible benefits",
        "Risks",
        "How sure is the evidence?",
        "What guidelines say",
        "Sources",
    ):
        assert row in out
    assert "not medical advice" in out


def test_compare_json_keeps_the_order_asked_for() -> None:
    data = json.loads(run("compare", "epidural", "rfa", "acupuncture", "-f", "json").stdout)
    assert [d["id"] for d in data] == ["epidural-steroid-injection", "radiofrequency-ablation", "acupuncture"]


def test_compare_plain_and_markdown() -> None:
    plain = run("compare", "rfa", "epidural", "-f", "plain").stdout
    assert "Comparing: Radiofrequency ablation" in plain
    assert "MAIN RISKS" in plain
    markdown = run("compare", "rfa", "epidural", "-f", "markdown").stdout
    assert markdown.splitlines()[0].startswith("**Back pain needs urgent medical assessment")
    assert "\n| question | Radiofrequency ablation" in markdown


def test_compare_needs_two_distinct_treatments() -> None:
    result = run("compare", "rfa", "radiofrequency-ablation")
    assert result.exit_code == 2
    assert "at least two different treatments" in result.stderr
    assert run("compare", "rfa").exit_code == 2


def test_compare_unknown_treatment_exits_1() -> None:
    result = run("compare", "rfa", "qqqqzz")
    assert result.exit_code == 1
    assert result.stderr == "backcare: error: could not place 'qqqqzz' as a treatment (see 'backcare list')\n"


def test_compare_takes_a_clear_typo_and_says_so() -> None:
    result = run("compare", "rfa", "acupunture", "-f", "json")
    assert [d["id"] for d in json.loads(result.stdout)] == ["radiofrequency-ablation", "acupuncture"]
    assert result.stderr == "backcare: comparing acupuncture for 'acupunture'\n"


# -- search -----------------------------------------------------------------------------------


def test_search_finds_by_name_and_ranks_name_hits_first() -> None:
    data = json.loads(run("search", "acupuncture", "-f", "json").stdout)
    assert data[0]["id"] == "acupuncture"
    assert set(data[0]) == {"kind", "id", "name", "score", "snippet"}
    assert data[0]["score"] > data[-1]["score"] or len(data) == 1


def test_search_tolerates_a_small_typo() -> None:
    data = json.loads(run("search", "acupunture", "-f", "json").stdout)
    assert data[0]["id"] == "acupuncture"


def test_search_limit() -> None:
    data = json.loads(run("search", "pain", "--limit", "2", "-f", "json").stdout)
    assert len(data) == 2


def test_search_table_highlights_matched_words(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("search", "cement", "-f", "table", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout  # styled (highlighted) spans
    assert "kyphoplasty" in result.stdout


def test_search_empty_query_is_a_usage_error() -> None:
    result = run("search", "  ")
    assert result.exit_code == 2
    assert "empty" in result.stderr


def test_search_with_no_hits_exits_1() -> None:
    result = run("search", "qqqqzzzz")
    assert result.exit_code == 1
    assert "no treatment, condition or glossary term matches 'qqqqzzzz'" in result.stderr


# -- validate ---------------------------------------------------------------------------------


def test_validate_bundled_is_clean() -> None:
    result = run("validate")
    assert result.exit_code == 0, result.stdout
    assert "treatments.yaml: ok" in result.stdout


def test_validate_reports_every_problem_with_line_entry_and_field(tmp_path: Path) -> None:
    bad = entry("bad-one", category="magic", invasiveness="huge")
    del bad["summary"]
    path = write(tmp_path / "kb.yaml", kb(bad))
    result = run("validate", str(path))
    assert result.exit_code == 1
    out = result.stdout
    assert "3 problem(s)" in out
    assert f"{path}:" in out
    assert "entry 'bad-one' category: 'magic' is not one of" in out
    assert "entry 'bad-one' invasiveness: 'huge' is not one of" in out
    assert "entry 'bad-one' summary: missing required field" in out


# -- global options ---------------------------------------------------------------------------


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"backcare {__version__}\n"


def test_data_only_uses_one_file_alone(tmp_path: Path) -> None:
    path = write(tmp_path / "kb.yaml", kb(entry("only-one")))
    data = json.loads(run("--data-only", str(path), "list", "-f", "json").stdout)
    assert [d["id"] for d in data] == ["only-one"]


def test_data_env_var_adds_a_layer(tmp_path: Path) -> None:
    path = write(tmp_path / "extra.yaml", kb(entry("clinic-service"), about=False))
    result = run("list", "-f", "json", env={"BACKCARE_DATA": str(path)})
    ids = [d["id"] for d in json.loads(result.stdout)]
    assert "clinic-service" in ids and "kyphoplasty" in ids


def test_missing_data_file_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    result = run("--data", str(path), "list")
    assert result.exit_code == 0 and "kyphoplasty" in result.stdout
    assert result.stderr == (
        f"backcare: warning: skipped {path} (no such file); 'backcare validate {path}' lists its problems\n"
    )


def test_no_arguments_shows_help() -> None:
    result = run()
    assert result.exit_code in (0, 2)
    assert "Usage" in result.stdout + result.stderr


def test_unknown_command_is_a_usage_error() -> None:
    result = run("shw", "kyphoplasty")
    assert result.exit_code == 2
    assert result.stderr == "backcare: error: no such command 'shw'; did you mean 'show'?\n"


# -- markup and colour ------------------------------------------------------------------------


def test_markup_in_data_prints_as_written(tmp_path: Path) -> None:
    rec = entry("markup-test", summary="Heat [bold]therapy[/bold] and [red]ice[/] [/] [link=https://x.org]x[/link]")
    path = write(tmp_path / "kb.yaml", kb(rec))
    for fmt in ("table", "plain"):
        result = run("--data-only", str(path), "list", "-f", fmt, env={"COLUMNS": "300"})
        assert result.exit_code == 0, result.stderr
        assert "Heat [bold]therapy[/bold] and [red]ice[/] [/] [link=https://x.org]x[/link]" in result.stdout


def test_piped_output_has_no_colour_codes() -> None:
    for args in (["list"], ["show", "rfa"], ["compare", "rfa", "epidural"], ["search", "nerve"]):
        result = run(*args, "-f", "table")
        assert "\x1b[" not in result.stdout


def test_force_color_and_no_color() -> None:
    coloured = run("compare", "rfa", "epidural", "-f", "table", env={"FORCE_COLOR": "1"})
    assert "\x1b[3" in coloured.stdout  # a foreground colour
    plain = run("compare", "rfa", "epidural", "-f", "table", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[3" not in plain.stdout.replace("\x1b[3m", "")  # italics allowed, colours not


def test_glossary_term_alias_and_suggestion() -> None:
    assert "pretend version of the procedure" in run("glossary", "sham-controlled", "-f", "plain").stdout
    result = run("glossary", "shame")
    assert result.exit_code == 1
    assert "no glossary term 'shame'; did you mean Sham-controlled?" in result.stderr
    terms = json.loads(run("glossary", "-f", "json").stdout)
    assert {"GRADE", "MCID", "Medial branch block"} <= {t["term"] for t in terms}
