"""The first screen: brief `show`, the option grid, `conditions NAME`, and what they promise.

Through the real CLI where a user would notice (line counts at a terminal width, the urgent
line's place and weight, verdict words, whole numbers); at the view level for the knowledge
base's `in_short` texts, which the schema does not accept in files yet.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from backcare.brief import brief_view, condition_view, option_grid
from backcare.in_short import STANDARD_RED_FLAGS, first_clause, first_sentence, shorten
from backcare.model import InShort, Treatment
from backcare.render.plain import Plain
from conftest import run
from kbfactory import entry, kb, write

TODAY = {"BACKCARE_TODAY": "2026-11-25"}
STALE = {"BACKCARE_TODAY": "2030-01-01"}
FOUR = ["spinal-manipulation", "acupuncture", "massage", "exercise"]
PAIRS = [
    ["rfa", "epidural"],
    ["spinal-manipulation", "acupuncture"],
    ["kyphoplasty", "vertebroplasty"],
    ["discectomy", "spinal-fusion"],
    ["epidural", "laser"],
    ["nsaids", "cbt"],
]
BRIEF_ORDER = [
    "What it is: ",
    "Does it help? ",
    "Main risks",
    "Recovery: ",
    "How sure are we? ",
    "What guidelines say",
    "What if I wait?",
    "Questions to ask: ",
]
SGR = re.compile("\x1b\\[([0-9;]*)m")
DECIMAL_PER_100 = re.compile(r"\d+\.\d+ in 100")


def ids() -> list[str]:
    return [line.split("\t")[0] for line in run("list", "-f", "plain").stdout.splitlines()]


def condition_ids() -> list[str]:
    return [line.split("\t")[0] for line in run("conditions", "-f", "plain").stdout.splitlines()]


def screen_rows(text: str, width: int) -> int:
    """Rows a text takes on a terminal `width` columns wide (long plain lines wrap)."""
    return sum(max(1, -(-cell_len(line) // width)) for line in text.splitlines())


# -- show: one screen -------------------------------------------------------------------------


@pytest.mark.parametrize("clock", [TODAY, STALE], ids=["fresh", "stale"])
def test_brief_show_fits_one_screen_at_80_columns_for_every_entry(clock: dict[str, str]) -> None:
    for tid in ids():
        for fmt in ("table", "plain"):
            out = run("show", tid, "-f", fmt, env={"COLUMNS": "80", **clock}).stdout
            assert screen_rows(out, 80) <= 40, (tid, fmt, screen_rows(out, 80))


def test_brief_show_answers_in_the_order_asked_for() -> None:
    out = run("show", "acupuncture", "-f", "plain", env=TODAY).stdout
    lines = out.splitlines()
    assert lines[0] == "Acupuncture (acupuncture)"
    assert lines[1].startswith("Back pain needs urgent medical assessment with new weak or numb legs")
    positions = [out.index("\n" + heading) for heading in BRIEF_ORDER]
    assert positions == sorted(positions)
    tail = lines[-3:]
    assert "Verdicts: ✔ recommend" in tail[0]  # the legend, since the page uses verdict symbols
    assert tail[1] == "backcare is a reference, not medical advice."
    assert re.fullmatch(r"Reviewed 2026-11-29; \d+ sources: backcare show acupuncture --full", tail[2]), tail[2]


def test_brief_show_gives_the_natural_frequency_and_guideline_verdicts_in_words() -> None:
    out = run("show", "basivertebral-nerve-ablation", "-f", "plain", env=TODAY).stdout
    helps = out.split("Does it help? ")[1].split("\n")[0]
    assert "76 in 100 scored at least 10 points better on disability at 3 months" in helps  # whole numbers
    assert "against 55 in 100 after sham" in helps
    assert "  - ✔ recommend — NASS 2022: " in out
    acupuncture = run("show", "acupuncture", "-f", "plain", env=TODAY).stdout
    assert "  - ✘ against — NICE 2016: low back pain with or without sciatica" in acupuncture
    assert "  - Chronic non-specific low back pain: Improvement is slower" in acupuncture
    assert "Questions to ask: Will it help? What are the risks? What else? What if I wait?" in acupuncture


def test_brief_show_full_is_everything_with_what_if_i_wait_and_icon_arrays() -> None:
    out = run("show", "vertebroplasty", "--full", "-f", "plain", env={"COLUMNS": "80", **TODAY}).stdout
    for heading in ("ALSO CALLED", "HOW IT IS DONE", "POSSIBLE BENEFITS", "SOURCES", "WHAT IF I WAIT?"):
        assert f"\n{heading}\n" in out
    assert "about 44 in 100 people with this treatment, compared with 21 in 100" in out
    picture = out.split("With it: 44 in 100")[1].splitlines()[1:11]
    assert [row.count("●") for row in picture] == [20, 20, 11, 10, 4, 0, 0, 0, 0, 0]  # 44 and 21, row by row
    assert all(row.count("●") + row.count("○") == 20 for row in picture)
    ascii_out = run("show", "vertebroplasty", "--full", "-f", "table", env={"LC_ALL": "C", **TODAY}).stdout
    ascii_out.encode("ascii")
    assert "* * * * * * * * * *" in ascii_out and ". . . . . . . . . ." in ascii_out


def test_show_json_stays_the_complete_record() -> None:
    record = json.loads(run("show", "acupuncture", "-f", "json").stdout)
    assert record["evidence"]["effects"][0]["events_per_100"] == 48  # whole numbers; 47.6 stays in the text
    assert "47.6" in record["evidence"]["summary"]
    assert record["description"].startswith("Acupuncture comes from traditional Chinese medicine.")


# -- the urgent line: up front and never faint --------------------------------------------------

URGENT_CASES = {
    "show": ["show", "rfa"],
    "show-full": ["show", "rfa", "--full"],
    "compare": ["compare", "rfa", "epidural"],
    "conditions": ["conditions", "sciatica"],
}


@pytest.mark.parametrize("case", list(URGENT_CASES))
def test_urgent_line_is_near_the_top_in_bold_and_never_dim(case: str) -> None:
    out = run("--color", "always", *URGENT_CASES[case], "-f", "table", env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()
    where = next(i for i, line in enumerate(lines) if "urgent medical assessment" in SGR.sub("", line))
    assert where <= 2, where  # the 2nd or 3rd line (the grid has it first)
    urgent = lines[where] + lines[where + 1]
    codes = {p for params in SGR.findall(urgent) for p in params.split(";") if p}
    assert "1" in codes  # bold
    assert "2" not in codes and "\x1b[2m" not in urgent  # never dim
    for line in lines:  # the disclaimer is safety text too
        if "not medical advice" in line:
            assert "\x1b[2m" not in line


def test_urgent_line_falls_back_to_the_standard_red_flags(tmp_path: Path) -> None:
    path = write(tmp_path / "kb.yaml", kb(entry("one"), entry("two")))  # its disclaimer names none
    out = run("--data-only", str(path), "show", "one", "-f", "plain").stdout
    assert out.splitlines()[1] == f"Same-day care: {STANDARD_RED_FLAGS}."
    data = kb(entry("one"), entry("two"))
    data["disclaimer"] = "Not advice. People with back pain and fever need urgent care."
    path = write(tmp_path / "kb2.yaml", data)
    out = run("--data-only", str(path), "compare", "one", "two", "-f", "plain").stdout
    assert out.splitlines()[0] == "Same-day care: back pain and fever."


# -- the option grid ----------------------------------------------------------------------------


def test_four_way_grid_fits_70_lines_at_100_columns() -> None:
    out = run("compare", *FOUR, "-f", "table", env={"COLUMNS": "100", **TODAY}).stdout
    lines = out.splitlines()
    assert len(lines) <= 70, len(lines)
    assert max(cell_len(line) for line in lines) <= 100
    flat = " ".join(out.split())
    for row in ("What it is", "Used for", "Does it help?", "Main risks", "Recovery", "Needle, anaesthesia"):
        assert f"─ {row} ─" in out, row
    assert "─ How sure are we? ─" in out and "─ ACP says ─" in out and "─ NICE says ─" in out
    assert "─ What if I wait? ─" in out
    assert "✘ against (2016)" in flat  # NICE on acupuncture
    plain = run("compare", *FOUR, "-f", "plain").stdout
    # the editors' answer carries the natural frequency (whole numbers) and its source, numbered once
    assert "about 48 in 100 improved with acupuncture, compared with 27 in 100 with usual care" in plain
    assert "about 44 in 100. [1]" in plain


@pytest.mark.parametrize("pair", PAIRS, ids=" ".join)
def test_two_way_grid_fits_60_lines_at_80_columns(pair: list[str]) -> None:
    out = run("compare", *pair, "-f", "table", env={"COLUMNS": "80", **TODAY}).stdout
    assert len(out.splitlines()) <= 60, len(out.splitlines())
    assert max(cell_len(line) for line in out.splitlines()) <= 80


def test_grid_has_one_row_per_guideline_body() -> None:
    """Three or more options: a row per body, so the verdicts line up across narrow columns."""
    out = run("compare", *FOUR, "-f", "plain", env=TODAY).stdout
    for body in ("NICE SAYS", "ACP SAYS"):
        assert f"\n{body}\n" in out
    nice = out.split("NICE SAYS\n")[1].split("\n\n")[0]
    assert nice.count("± consider (2016)") == 3 and nice.count("✘ against (2016)") == 1


def test_two_way_grid_gives_every_body_verdict_in_words_in_one_row() -> None:
    out = run("compare", "rfa", "epidural", "-f", "plain", env=TODAY).stdout
    said = out.split("WHAT GUIDELINES SAY\n")[1].split("\n\n")[0]
    assert said.count("✘ against — BMJ 2025") == 2
    assert "± consider — NICE 2016, 2017" in said and "AoMRC: no position recorded" in said


def test_grid_numbers_each_reference_once() -> None:
    out = run("compare", "kyphoplasty", "vertebroplasty", "-f", "plain", env=TODAY).stdout
    references = [line for line in out.splitlines() if re.match(r"\[\d+\] ", line)]
    assert references and len(references) == len({line.split("] ", 1)[1] for line in references})
    fda = next(line for line in references if "US Food and Drug" in line)
    number = fda.split("]")[0] + "]"
    cited = out.split("Verdicts:")[0]
    assert cited.count(f" {number}") >= 2  # cited in both columns, listed once


def test_recovery_bars_share_one_absolute_scale() -> None:
    two = run("compare", "massage", "kyphoplasty", "-f", "plain").stdout
    three = run("compare", "massage", "kyphoplasty", "spinal-fusion", "-f", "plain").stdout
    assert "[█░░░░░░░░░] 1–3 days" in two and "[█░░░░░░░░░] 1–3 days" in three  # not rescaled by fusion
    assert "[█████░░░░░] 42–90 days" in three
    assert "full bar = 180+ days" in two


def test_harms_are_never_listed_as_help() -> None:
    full = run("compare", "laser", "discectomy", "--full", "-f", "plain").stdout
    helps = full.split("HOW MUCH MIGHT IT HELP?")[1].split("RISKS AND SIDE EFFECTS")[0]
    assert "further operation" not in helps
    risks = full.split("RISKS AND SIDE EFFECTS")[1].split("\nRECOVERY")[0]
    assert "Needed a further operation (re-operation) within 1 year: about 38 in 100" in risks
    brief = run("show", "laser", "-f", "plain").stdout.split("Does it help? ")[1].split("\n")[0]
    assert "further operation" not in brief


def test_show_and_compare_share_one_row_order() -> None:
    show = run("show", "rfa", "--full", "-f", "plain").stdout
    grid = run("compare", "rfa", "epidural", "--full", "-f", "plain").stdout
    heads = [line for line in show.splitlines() if line.isupper() and line != "ALSO CALLED"]
    in_grid = [line for line in grid.splitlines() if line.isupper()]
    assert [h for h in in_grid if h in heads] == [h for h in heads if h in in_grid]
    assert len(set(heads) & set(in_grid)) >= 12
    brief = run("show", "rfa", "-f", "plain").stdout
    short_grid = run("compare", "rfa", "epidural", "-f", "plain").stdout
    shared = ["What it is", "Does it help?", "Main risks", "Recovery", "How sure are we?", "What if I wait?"]
    assert sorted(shared, key=brief.index) == shared
    assert sorted(shared, key=lambda h: short_grid.index(h.upper())) == shared


# -- whole numbers and verdict words in every view and format -----------------------------------

VIEWS = [
    ["show", "acupuncture"],
    ["show", "acupuncture", "--full"],
    ["show", "basivertebral-nerve-ablation", "--full"],
    ["compare", "acupuncture", "basivertebral-nerve-ablation"],
    ["compare", "acupuncture", "basivertebral-nerve-ablation", "--full"],
    ["conditions", "chronic-low-back-pain"],
]
WORDS = {"✔": "recommend", "±": "consider", "✘": "against", "·": "no position"}


@pytest.mark.parametrize("fmt", ["table", "plain", "markdown"])
@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_natural_frequencies_are_whole_numbers_and_verdicts_have_words(args: list[str], fmt: str) -> None:
    out = run(*args, "-f", fmt, env={"COLUMNS": "100"}).stdout
    flat = " ".join(out.replace("\\", "").split())  # Markdown escapes and wrapped lines undone
    assert not DECIMAL_PER_100.search(flat), DECIMAL_PER_100.search(flat)
    for glyph, word in WORDS.items():
        for match in re.finditer(re.escape(glyph), flat):
            assert flat[match.end() : match.end() + 1 + len(word)] == f" {word}", flat[match.start() - 20 :][:60]
    if "acupuncture" in args and args[0] != "conditions":
        assert re.search(r"\b48 in 100", flat)


# -- conditions NAME ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sciatica", "SCIATICA", "trapped nerve", "Sciatica (lumbosacral radicular pain)"])
def test_one_condition_by_id_alias_or_name(name: str) -> None:
    result = run("conditions", name, "-f", "plain")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Sciatica (lumbosacral radicular pain) (sciatica)"
    assert lines[1].startswith("Back pain needs urgent medical assessment")
    out = result.stdout
    assert "What it is: Pain that spreads from the back down one leg" in out
    assert "What usually happens without treatment:\n  In a trial of severe sciatica from a slipped disc" in out
    assert "  - minimally-invasive: epidural-steroid-injection (moderate)," in out
    data = json.loads(run("conditions", name, "-f", "json").stdout)
    assert data["id"] == "sciatica" and "discectomy" in data["treatments"]


def test_each_condition_fits_one_screen() -> None:
    for cid in condition_ids():
        out = run("conditions", cid, "-f", "table", env={"COLUMNS": "80"}).stdout
        assert len(out.splitlines()) <= 40, cid


def test_unknown_condition_suggests_and_exits_1() -> None:
    result = run("conditions", "sciatca")  # one clear close match: shown, with a note (issue 10)
    assert result.exit_code == 0
    assert result.stderr == "backcare: showing sciatica for 'sciatca'\n"
    nothing = run("conditions", "zzzz")
    assert nothing.exit_code == 1
    assert "no condition 'zzzz' (see 'backcare conditions')" in nothing.stderr


def test_conditions_without_a_name_still_lists_all() -> None:
    assert len(run("conditions", "-f", "plain").stdout.splitlines()) == len(condition_ids()) >= 10


# -- the knowledge base's own short texts (in_short) --------------------------------------------


def test_in_short_texts_are_used_when_the_entry_has_them(tmp_path: Path) -> None:
    from backcare import kb as kbmod

    base = kbmod.load([], write(tmp_path / "kb.yaml", kb(entry("one"), entry("two"))))
    record = entry("one")
    record["in_short"] = {"what_it_is": "Short what.", "helps": "Short helps.", "recovery": "Short recovery."}
    record["risks"][0]["in_short"] = "Short risk, 1 in 100."
    record["evidence"]["in_short"] = "short certainty words"
    record["guidelines"][0]["in_short"] = "short scope"
    one = Treatment.from_dict(record)
    assert one.in_short == InShort("Short what.", "Short helps.", "Short recovery.")
    two = base.resolve("two")
    base.about = base.about._replace(urgent_symptoms="Same-day care: short urgent list.")
    cond = base.conditions["test-condition"]
    base.conditions["test-condition"] = cond._replace(in_short="Short wait.")
    today = dt.date(2026, 11, 25)

    brief = Plain("unicode").render(brief_view(base, one, today))
    lines = brief.splitlines()
    assert lines[1] == "Same-day care: short urgent list."
    assert lines[2] == "Summary of one."  # the summary heads the page when "What it is" differs
    for text in (
        "What it is: Short what.",
        "Does it help? Short helps.",
        "  - Short risk, 1 in 100.",
        "Recovery: Short recovery.",
        "How sure are we? [●●○○] low certainty: short certainty words",
        "  - ± consider — NICE 2016: short scope",
        "  - Test condition: Short wait.",
    ):
        assert text in brief, text

    grid = Plain("unicode").render(option_grid(base, [one, two], today))
    assert grid.splitlines()[0] == "Same-day care: short urgent list."
    assert "    Short what." in grid and "    Summary of two." in grid  # in_short, and the fallback
    assert "    Short risk, 1 in 100." in grid
    assert "  Test condition: Short wait." in grid

    condition = Plain("unicode").render(condition_view(base, base.conditions["test-condition"]))
    assert "What usually happens without treatment:\n  Short wait." in condition


def test_fallbacks_cut_at_sentence_and_clause_ends() -> None:
    assert first_sentence("About 1 in 3, e.g. in trials. Then more.") == "About 1 in 3, e.g. in trials."
    assert shorten("One two three. Four.", 100) == "One two three. Four."
    assert shorten("A long clause here, and another long clause there; and a third one.", 45) == "A long clause here…"
    assert first_clause("Consider it (with conditions); not for acute pain.") == "Consider it"
