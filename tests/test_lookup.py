"""Issue 11, "Find the answer with the words people use": lookups, search across kinds, tables
that never split words, paging and global options, all through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from backcare import output
from backcare.render.layout import clip_text, wrap_text
from conftest import run
from kbfactory import CONDITION, entry, kb, write

# -- one resolver: show, `backcare NAME`, compare ---------------------------------------------


def shown(*args: str) -> str:
    result = run(*args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    record: dict[str, str] = json.loads(result.stdout)
    return record["id"]


@pytest.mark.parametrize(
    ("words", "tid"),
    [
        (["epidural", "steroid", "injection"], "epidural-steroid-injection"),  # several words, unquoted
        (["epidurals"], "epidural-steroid-injection"),  # a plural
        (["spinal-manipulation"], "spinal-manipulation"),  # hyphen or space
        (["spinal", "manipulation"], "spinal-manipulation"),
        (["Spinal_Manipulation"], "spinal-manipulation"),
        (["anti", "inflammatories"], "nsaids"),  # alias "anti-inflammatories", hyphen as a space
        (["exercise"], "exercise-therapy"),
    ],
)
def test_show_takes_names_as_people_type_them(words: list[str], tid: str) -> None:
    assert shown("show", *words) == tid
    assert run("show", *words, "-f", "json").stderr == ""  # exact or a variant: nothing to say


def test_a_name_alone_is_show() -> None:
    assert shown("epidural") == "epidural-steroid-injection"
    assert shown("epidural", "steroid", "injection") == "epidural-steroid-injection"
    assert run("kyphoplasty", "-f", "plain").stdout == run("show", "kyphoplasty", "-f", "plain").stdout


def test_help_and_real_commands_are_unaffected() -> None:
    top = run("--help")
    assert top.exit_code == 0 and "Commands" in top.stdout and "'backcare NAME' is short for" in top.stdout
    assert run("list", "--help").stdout.startswith("Usage: backcare list")
    assert run("about", "-f", "json").exit_code == 0


@pytest.mark.parametrize(("typed", "command"), [("lst", "list"), ("serch", "search"), ("shw", "show")])
def test_a_typo_of_a_command_is_a_one_line_usage_error(typed: str, command: str) -> None:
    result = run(typed, "nerve")
    assert result.exit_code == 2
    assert result.stderr == f"backcare: error: no such command '{typed}'; did you mean '{command}'?\n"


def test_a_name_that_is_no_command_and_no_treatment() -> None:
    result = run("qqqzz")
    assert result.exit_code == 1
    assert result.stderr == (
        "backcare: error: no command or treatment 'qqqzz' (see 'backcare list'); try 'backcare search qqqzz'\n"
    )


def test_a_clear_close_match_is_shown_with_one_line_on_stderr() -> None:
    result = run("show", "manip", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "spinal-manipulation"
    assert result.stderr == "backcare: showing spinal-manipulation for 'manip'\n"
    assert run("manip", "-f", "json").stderr == "backcare: showing spinal-manipulation for 'manip'\n"


def test_several_candidates_exit_1_with_the_list() -> None:
    result = run("show", "spinal")
    assert result.exit_code == 1 and result.stdout == ""
    assert "did you mean spinal-manipulation, spinal-cord-stimulation or spinal-fusion?" in result.stderr


@pytest.mark.parametrize(
    ("name", "pointer"),
    [
        ("sciatica", "see 'backcare conditions sciatica' or 'backcare list --treats sciatica'"),
        ("siatica", "see 'backcare conditions sciatica' or 'backcare list --treats sciatica'"),
        ("trapped nerve", "see 'backcare conditions sciatica'"),
        ("sham", "see 'backcare glossary sham'"),
        ("medial branch block", "see 'backcare glossary \"medial branch block\"'"),
    ],
)
def test_a_condition_or_glossary_term_given_to_show_names_the_right_command(name: str, pointer: str) -> None:
    for argv in (["show", *name.split()], name.split()):
        result = run(*argv)
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr.startswith(f"backcare: error: '{name}' is not a treatment: it is a ")
        assert pointer in result.stderr and result.stderr.count("\n") == 1


def compared(*names: str) -> list[str]:
    result = run("compare", *names, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return [d["id"] for d in json.loads(result.stdout)]


def test_compare_splits_words_by_the_longest_name() -> None:
    assert compared("spinal", "manipulation", "acupuncture") == ["spinal-manipulation", "acupuncture"]
    assert compared("epidural", "steroid", "injection", "spinal", "cord", "stimulation") == [
        "epidural-steroid-injection",
        "spinal-cord-stimulation",
    ]
    assert compared("rfa", "vs", "epidurals", "and", "massage") == [
        "radiofrequency-ablation",
        "epidural-steroid-injection",
        "massage-therapy",
    ]
    assert compared("spinal manipulation", "acupuncture") == ["spinal-manipulation", "acupuncture"]


def test_compare_takes_a_typo_without_swallowing_the_next_name() -> None:
    result = run("compare", "spinal", "manipulaton", "acupuncture", "-f", "json")
    assert [d["id"] for d in json.loads(result.stdout)] == ["spinal-manipulation", "acupuncture"]
    assert result.stderr == "backcare: comparing spinal-manipulation for 'spinal manipulaton'\n"


def test_compare_says_what_it_could_not_place() -> None:
    result = run("compare", "rfa", "acupuncture", "purple", "zebras")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == ("backcare: error: could not place 'purple zebras' as a treatment (see 'backcare list')\n")
    result = run("compare", "rfa", "spinal")
    assert "could not place 'spinal' (did you mean spinal-manipulation, spinal-cord-stimulation" in result.stderr


# -- conditions and list --treats ---------------------------------------------------------------


def test_conditions_takes_a_name() -> None:
    data = json.loads(run("conditions", "sciatica", "-f", "json").stdout)
    assert data["id"] == "sciatica"
    result = run("conditions", "trapped", "nerve", "-f", "json")  # an alias, unquoted
    assert json.loads(result.stdout)["id"] == "sciatica"
    typo = run("conditions", "siatica", "-f", "json")
    assert json.loads(typo.stdout)["id"] == "sciatica"
    assert typo.stderr == "backcare: showing sciatica for 'siatica'\n"
    treatment = run("conditions", "rfa")
    assert treatment.exit_code == 1
    assert "it is a treatment; see 'backcare show radiofrequency-ablation'" in treatment.stderr


def treated(*args: str) -> list[str]:
    result = run("list", "--treats", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return [d["id"] for d in json.loads(result.stdout)]


def test_list_treats_forgives_typos() -> None:
    assert treated("siatica") == treated("sciatica")
    assert "epidural-steroid-injection" in treated("sciatic")
    result = run("list", "--treats", "siatica", "-f", "json")
    assert result.stderr == "backcare: listing treatments for sciatica ('siatica')\n"


LAY_CONDITION = dict(
    CONDITION,
    id="disc-herniation",
    name="Lumbar disc herniation",
    aliases=["slipped disc", "herniated disc", "prolapsed disc", "lumbago", "wear and tear"],
)


@pytest.fixture
def lay_kb(tmp_path: Path) -> Path:
    """A knowledge base whose condition has the lay aliases the next bundled file will carry."""
    data = kb(entry("disc-care", name="Disc care", conditions=["disc-herniation"]), conditions=[LAY_CONDITION])
    return write(tmp_path / "lay.yaml", data)


@pytest.mark.parametrize("words", ["slipped disc", "herniated discs", "Prolapsed-Disc", "lumbago", "wear and tear"])
def test_condition_aliases_work_everywhere(lay_kb: Path, words: str) -> None:
    base = ["--data-only", str(lay_kb)]
    assert treated(words, *base) == ["disc-care"]
    conditions = json.loads(run(*base, "conditions", *words.split(), "-f", "json").stdout)
    assert conditions["id"] == "disc-herniation"  # one condition: one object, as `show` gives one record
    hits = json.loads(run(*base, "search", words, "-f", "json").stdout)
    assert (hits[0]["kind"], hits[0]["id"]) == ("condition", "disc-herniation")
    result = run(*base, "show", *words.split())
    assert result.exit_code == 1
    assert "see 'backcare conditions disc-herniation'" in result.stderr


# -- one search over everything -----------------------------------------------------------------


def hits(*query: str) -> list[dict[str, object]]:
    result = run("search", *query, "-f", "json")
    assert result.exit_code == 0, result.stderr
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


def test_every_hit_says_what_kind_it_is() -> None:
    found = hits("sciatica")
    assert {h["kind"] for h in found} == {"treatment", "condition", "glossary"}
    assert (found[0]["kind"], found[0]["id"]) == ("condition", "sciatica")
    table = run("search", "sciatica", "-f", "table", env={"COLUMNS": "100"}).stdout
    assert "kind" in table and "condition" in table and "glossary" in table
    plain = run("search", "sciatica").stdout.splitlines()
    assert plain[0].split("\t")[:3] == ["sciatica", "condition", "Sciatica (lumbosacral radicular pain)"]


def test_no_raw_scores_outside_json() -> None:
    for fmt in ("table", "plain"):
        out = run("search", "nerve", "-f", fmt, env={"COLUMNS": "200"}).stdout
        assert "score" not in out
        scores = {f"{h['score']:g}" for h in hits("nerve")}
        assert not any(f"\t{s}\t" in out or f"  {s}  " in out for s in scores)


def test_a_query_of_only_common_words_is_exit_1() -> None:
    result = run("search", "the")
    assert result.exit_code == 1 and result.stdout == ""
    assert "'the' has only common words, which search leaves out" in result.stderr
    assert run("search", "is", "it", "what").exit_code == 1


def test_common_words_are_not_searched() -> None:
    found = hits("is", "it", "safe")
    assert found and all("safe" in str(h["snippet"]).lower() for h in found)  # never matched on "it"


def test_fuzzy_matching_never_outranks_an_exact_word() -> None:
    found = [h["id"] for h in hits("lazer")]
    assert found[:2] == ["laser-spine-surgery", "low-level-laser-therapy"]  # not discectomy via "later"
    # a word under four letters is never guessed at
    assert run("search", "sni").exit_code == 1
    # exact words first: "acupuncture" typed right beats a guess at the misspelt word
    assert hits("acupuncture", "stimulaton")[0]["id"] == "acupuncture"


def test_what_if_i_do_nothing_answers_with_the_natural_course() -> None:
    found = hits("what", "if", "I", "do", "nothing")
    assert found[0]["kind"] == "condition"
    assert str(found[0]["snippet"]).startswith("What if I wait or do nothing?")
    assert "spinal-cord-stimulation" not in [h["id"] for h in found[:5]]


# What patients type, and the first hit the bundled knowledge base should give. Checked by hand
# against the data: each expected entry really answers the question.
LAY_QUERIES: list[tuple[str, str, str | tuple[str, ...]]] = [
    ("siatica", "condition", "sciatica"),
    ("sciatic", "condition", "sciatica"),
    ("trapped nerve", "condition", "sciatica"),
    ("leg pain", "condition", "sciatica"),
    ("what if I wait", "condition", "acute-low-back-pain"),
    ("what if I do nothing", "condition", "acute-low-back-pain"),
    ("new back pain", "condition", "acute-low-back-pain"),
    ("bulging disc", "condition", "contained-disc-herniation"),
    ("spinal stenosis", "condition", "lumbar-spinal-stenosis"),
    ("osteoporosis fracture", "condition", "osteoporotic-vertebral-fracture"),
    ("epidurals", "treatment", "epidural-steroid-injection"),
    ("back injection", "treatment", ("epidural-steroid-injection", "facet-joint-injection", "regenerative-injections")),
    ("nerve burning", "treatment", "radiofrequency-ablation"),
    ("is acupuncture safe", "treatment", "acupuncture"),
    ("acupunture", "treatment", "acupuncture"),
    ("needles", "treatment", "acupuncture"),
    ("lazer", "treatment", "laser-spine-surgery"),
    ("chiropractor", "treatment", "spinal-manipulation"),
    ("physio", "treatment", "exercise-therapy"),
    ("ibuprofen", "treatment", "nsaids"),
    ("pain killers", "treatment", ("nsaids", "opioids", "paracetamol")),
    ("anti inflammatories", "treatment", "nsaids"),
    ("heat pad", "treatment", "superficial-heat"),
    ("bone cement", "treatment", "vertebroplasty"),
    ("talking therapy", "treatment", "cbt"),
    ("stimulator", "treatment", ("spinal-cord-stimulation", "drg-stimulation")),
    ("back cracking", "treatment", "spinal-manipulation"),
    ("placebo", "glossary", "placebo"),
]


@pytest.mark.parametrize(("query", "kind", "first"), LAY_QUERIES, ids=[str(q) for q, _, _ in LAY_QUERIES])
def test_lay_phrasings_find_the_answer_first(query: str, kind: str, first: str | tuple[str, ...]) -> None:
    """`first` is the entry that answers, or the entries that answer equally well (two stimulators)."""
    found = hits(*query.split())
    wanted = first if isinstance(first, tuple) else (first,)
    assert found[0]["kind"] == kind and found[0]["id"] in wanted, [h["id"] for h in found[:3]]


# -- tables that never split words --------------------------------------------------------------


def table(*args: str, width: int) -> list[str]:
    result = run(*args, "-f", "table", env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def test_list_at_80_columns_takes_at_most_two_lines_a_treatment() -> None:
    count = len(json.loads(run("list", "-f", "json").stdout))
    lines = table("list", width=80)
    assert len(lines) <= 3 + 2 * count, "\n".join(lines)
    assert max(cell_len(line) for line in lines) <= 80


@pytest.mark.parametrize("width", [50, 60, 80, 100, 120, 160])
@pytest.mark.parametrize("args", [["list"], ["search", "nerve"], ["conditions"], ["paths"], ["glossary"]])
def test_ids_and_paths_are_never_broken(args: list[str], width: int) -> None:
    lines = table(*args, width=width)
    words = {w for line in lines for w in line.split()}
    for row in json.loads(run(*args, "-f", "json").stdout):
        for key in ("id", "path"):
            value = str(row.get(key, ""))
            if value and " " not in value and cell_len(value) < width - 6:
                assert any(value in w for w in words), f"{value} broken at {width} columns"
    assert max(cell_len(line) for line in lines) <= width


def test_words_break_only_when_wider_than_the_line() -> None:
    url = "https://example.org/a/very/long/address"
    assert wrap_text(f"see {url} for more", 42) == ["see", url, "for more"]  # the URL moves, whole
    assert wrap_text(f"see {url}", 20) == ["see", url[:20], url[20:]]  # wider than the line: cut
    assert wrap_text("腰痛 の 治療", 7) == ["腰痛 の", "治療"]  # two cells a character
    assert wrap_text("e\u0301e\u0301e\u0301 abc", 7) == ["e\u0301e\u0301e\u0301 abc"]  # combining marks: none
    assert clip_text("one two three four", 12) == "one two…"


def test_narrow_tables_become_records_not_squeezed_columns() -> None:
    lines = table("list", width=80)
    assert lines[0].split() == ["id", "name", "category"] and lines[1].strip() == "summary"
    assert lines[3].split()[0] == "kyphoplasty" and lines[4].startswith("     A small balloon")
    wide = table("list", width=200)
    assert wide[0].split() == ["id", "name", "category", "summary"]


# -- paging, global options, colour -------------------------------------------------------------


@pytest.fixture
def pager_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pager that records what it was given and the LESS it saw; stdout is a tall terminal."""
    log = tmp_path / "paged.json"
    script = tmp_path / "pager.py"
    script.write_text(
        "import json, os, sys\n"
        f"json.dump({{'text': sys.stdin.read(), 'less': os.environ.get('LESS')}}, open({str(log)!r}, 'w'))\n"
    )
    monkeypatch.setenv("BACKCARE_PAGER", f"{sys.executable} {script}")
    monkeypatch.setattr(output, "stdout_is_tty", lambda: True)
    return log


def paged(log: Path) -> dict[str, str] | None:
    return json.loads(log.read_text()) if log.exists() else None


def test_tall_output_on_a_terminal_is_paged_by_default(pager_log: Path) -> None:
    result = run("list", "-f", "plain", env={"LINES": "10"})
    assert result.stdout == ""
    record = paged(pager_log)
    assert record is not None and "kyphoplasty" in record["text"]
    assert record["less"] == "FRX"


def test_less_settings_of_the_user_are_kept(pager_log: Path) -> None:
    run("show", "rfa", env={"LINES": "10", "LESS": "-R"})
    record = paged(pager_log)
    assert record is not None and record["less"] == "-R"


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--no-pager", "list"], {}),
        (["list", "--no-pager"], {}),
        (["list"], {"BACKCARE_PAGER": "cat"}),
        (["list"], {"LINES": "500"}),  # fits on the screen
    ],
)
def test_paging_is_turned_off(pager_log: Path, args: list[str], env: dict[str, str]) -> None:
    result = run(*args, env={"LINES": "10", **env})
    assert "kyphoplasty" in result.stdout
    assert paged(pager_log) is None


def test_pager_falls_back_to_pager_then_less(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BACKCARE_PAGER", raising=False)
    monkeypatch.setenv("PAGER", "my-pager -x")
    assert output.pager_command() == "my-pager -x"
    monkeypatch.delenv("PAGER")
    assert output.pager_command() == "less"
    monkeypatch.setenv("PAGER", "")
    assert output.pager_command() is None


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "rfa", "--color", "never"],
        ["show", "rfa", "--color=never"],
        ["rfa", "--color", "never"],
        ["--color", "never", "show", "rfa"],
    ],
)
def test_global_options_before_or_after_the_command(argv: list[str]) -> None:
    result = run(*argv, "-f", "table", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    assert "\x1b[" not in result.stdout and "Radiofrequency" in result.stdout


def test_global_options_after_the_command(tmp_path: Path) -> None:
    clinic = write(
        tmp_path / "clinic.yaml", kb(entry("clinic-only", conditions=["sciatica"]), about=False, conditions=[])
    )
    ids = [d["id"] for d in json.loads(run("list", "--data", str(clinic), "-f", "json").stdout)]
    assert "clinic-only" in ids and "kyphoplasty" in ids
    alone = write(tmp_path / "alone.yaml", kb(entry("only-entry")))
    assert shown("show", "only-entry", "--data-only", str(alone)) == "only-entry"
    # after "--" nothing is an option
    assert "acupuncture" in run("search", "-n", "1", "--", "--color", "acupuncture").stdout
    missing = run("list", "--data")
    assert missing.exit_code == 2 and "requires an argument" in missing.stderr


def test_color_always_colours_even_a_dumb_terminal() -> None:
    result = run("--color", "always", "show", "rfa", env={"TERM": "dumb"})
    assert "\x1b[" in result.stdout
    assert "\x1b[" not in run("show", "rfa", "-f", "table", env={"TERM": "dumb"}).stdout


# -- speed: lookups and search stay off Rich and YAML -------------------------------------------


def imported(args: list[str], tmp_path: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "SYSTEMROOT", "HOME", "XDG_DATA_HOME")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    command = [sys.executable, "-X", "importtime", "-m", "backcare", *args]
    subprocess.run(command, env=env, capture_output=True, check=False)  # warms the cache
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    return "\n".join(line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line)


@pytest.mark.parametrize(
    "args",
    [
        ["show", "manip", "-f", "json"],
        ["sciatica"],
        ["compare", "spinal", "manipulation", "acupunture", "-f", "json"],
        ["list", "--treats", "siatica", "-f", "plain"],
        ["search", "what", "if", "I", "wait", "-f", "plain"],
    ],
    ids=" ".join,
)
def test_lookups_and_search_import_neither_rich_nor_yaml(args: list[str], tmp_path: Path) -> None:
    modules = imported(args, tmp_path).split()
    assert not [m for m in modules if m.split(".")[0] in ("rich", "yaml")]


def test_compare_names_are_bounded_like_a_search_query() -> None:
    """Each name is looked for against every name in the knowledge base: the work is capped."""
    result = run("compare", *(["word"] * 401))
    assert result.exit_code == 2
    assert result.stderr == "backcare: error: the list of names has 401 words; at most 400 are allowed\n"
