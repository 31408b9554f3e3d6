"""The declarative schema: version 1 and 2 files, the source registry, the messages, and the model."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from backcare import model, schema
from backcare.checker import Record
from backcare.validate import check_file
from kbfactory import entry, kb, v2, with_in_short, write


def check(tmp_path: Path, data: dict[str, Any], name: str = "kb.yaml") -> tuple[schema.FileContent, list[str]]:
    path = write(tmp_path / name, data)
    content, problems = check_file(path, require_about=True, known_conditions=())
    return content, [str(p) for p in problems]


def line_of(path: Path, start: str, after: str = "") -> int:
    """The 1-based line of the first line that starts (after indent) with `start`, after the line `after`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, text in enumerate(lines) if after in text) if after else 0
    return next(i for i, text in enumerate(lines[first:], first + 1) if text.strip().startswith(start))


def minimal_v2(*entries: dict[str, Any]) -> dict[str, Any]:
    """A version 2 file of `entries` as given (default: one complete entry)."""
    return v2(kb(*entries or (with_in_short(entry()),)))


# -- versions -------------------------------------------------------------------------------------


def test_a_version_1_file_is_still_valid(tmp_path: Path) -> None:
    content, problems = check(tmp_path, kb(entry("a"), entry("b")))
    assert problems == []
    assert [t["id"] for t in content.treatments] == ["a", "b"]


def test_a_minimal_version_2_file_is_valid(tmp_path: Path) -> None:
    data = minimal_v2()
    data["urgent_symptoms"] = "New leg weakness or loss of bladder control needs urgent care."
    content, problems = check(tmp_path, data)
    assert problems == []
    assert content.about["urgent_symptoms"].startswith("New leg weakness")
    assert content.treatments[0]["sources"][0]["title"] == "A source"
    assert content.conditions[0]["sources"][0]["key"] == "c1"


def test_a_version_2_entry_normalises_to_the_same_record_as_its_version_1_form(tmp_path: Path) -> None:
    rec = with_in_short(entry("x"))
    rec["sources"].append(
        {"key": "s2", "title": "Another", "publisher": "NICE", "kind": "guideline", "url": "https://e.org/2"}
    )
    rec["guidelines"][0]["source"] = "s2"
    one, problems_one = check(tmp_path, kb(rec), "v1.yaml")
    two, problems_two = check(tmp_path, v2(kb(rec)), "v2.yaml")
    assert problems_one == problems_two == []
    assert json.dumps(two.treatments) == json.dumps(one.treatments)  # same keys, same order
    assert json.dumps(two.conditions) == json.dumps(one.conditions)
    assert [s["key"] for s in two.treatments[0]["sources"]] == ["s1", "s2"]


def test_the_normalised_version_2_record_builds_the_model(tmp_path: Path) -> None:
    content, _ = check(tmp_path, minimal_v2())
    treatment = model.Treatment.from_dict(content.treatments[0])
    assert treatment.in_short.helps == "About as well as usual care."
    assert treatment.evidence.in_short.startswith("We are not sure")
    assert treatment.risks[0].in_short == "a risk, about 1 in 100"
    assert treatment.guidelines[0].in_short == "chronic pain, in tests"
    assert treatment.source("s1") is not None
    v1 = model.Treatment.from_dict(check(tmp_path, kb(), "v1.yaml")[0].treatments[0])
    assert v1.in_short == model.InShort() and v1.overrides == ()


def test_unsupported_version_and_version_2_fields_in_a_version_1_file(tmp_path: Path) -> None:
    _, problems = check(tmp_path, dict(kb(), schema_version=3))
    assert any("schema_version: 3 is not supported (expected 1 or 2)" in p for p in problems)
    _, problems = check(tmp_path, dict(kb(), sources={}))
    assert any("sources: unknown field in schema_version 1 (it is part of schema_version 2)" in p for p in problems)


def test_medicine_is_a_category_in_both_versions(tmp_path: Path) -> None:
    assert check(tmp_path, kb(entry(category="medicine")))[1] == []
    assert check(tmp_path, minimal_v2(with_in_short(entry(category="medicine"))))[1] == []


def test_overrides_is_a_list_of_names(tmp_path: Path) -> None:
    content, problems = check(tmp_path, kb(entry("x", overrides=["acupuncture"])))
    assert problems == [] and content.treatments[0]["overrides"] == ["acupuncture"]
    _, problems = check(tmp_path, kb(entry("x", overrides=["", 3])))
    assert any("entry 'x' overrides[0]: expected non-empty text, found text" in p for p in problems)
    assert any("entry 'x' overrides[1]: expected non-empty text, found a number" in p for p in problems)


# -- the source registry --------------------------------------------------------------------------


def test_a_source_key_used_but_not_defined(tmp_path: Path) -> None:
    data = minimal_v2()
    data["treatments"][0]["sources"].append("nowhere-2020")
    _, problems = check(tmp_path, data)
    line = line_of(tmp_path / "kb.yaml", "sources:", after="- id: test-treatment")
    expected = f"{tmp_path / 'kb.yaml'}:{line}: entry 'test-treatment' sources[1]: source 'nowhere-2020' is not defined"
    assert [p for p in problems if "nowhere" in p] == [expected + " in the file's sources"]


def test_a_source_key_defined_but_never_used(tmp_path: Path) -> None:
    data = minimal_v2()
    data["sources"]["spare"] = {"title": "Spare", "publisher": "X", "kind": "other", "url": "https://e.org/s"}
    _, problems = check(tmp_path, data)
    line = line_of(tmp_path / "kb.yaml", "spare:")
    assert problems == [f"{tmp_path / 'kb.yaml'}:{line}: sources.spare: defined but never used (cite it or remove it)"]


@pytest.mark.parametrize(("ident", "value"), [("doi", "10.1000/TEST"), ("pmid", 12345)])
def test_two_source_keys_with_the_same_doi_or_pmid(tmp_path: Path, ident: str, value: object) -> None:
    data = minimal_v2()
    data["sources"]["s1"]["pmid"] = "12345"
    data["sources"]["twin"] = {"title": "Twin", "authors": "Doe J", "kind": "trial", ident: value}
    data["treatments"][0]["sources"].append("twin")
    _, problems = check(tmp_path, data)
    line = line_of(tmp_path / "kb.yaml", f"{ident}:", after="twin:")
    name = ident.upper()
    assert problems == [f"{tmp_path / 'kb.yaml'}:{line}: sources.twin.{ident}: same {name} as source 's1'"]


def test_a_registry_source_is_checked_like_an_inline_one(tmp_path: Path) -> None:
    data = minimal_v2()
    data["sources"]["s1"] = {"title": "No author, no identifier", "kind": "trial", "key": "s1"}
    _, problems = check(tmp_path, data)
    assert any(p.endswith("sources.s1: needs 'authors' or 'publisher'") for p in problems)
    assert any(p.endswith("sources.s1: needs an identifier: doi, pmid or url") for p in problems)
    assert any("sources.s1.key: unknown field in schema_version 2" in p for p in problems)


def test_risks_effects_and_guidelines_cite_the_entrys_own_sources(tmp_path: Path) -> None:
    rec = with_in_short(entry("x"))
    rec["guidelines"][0]["source"] = "c1"  # defined in the registry (by the condition), not listed by the entry
    _, problems = check(tmp_path, minimal_v2(rec))
    assert any("entry 'x' guidelines[0].source: 'c1' is not a key in this entry's sources" in p for p in problems)


# -- the version 2 requirements -------------------------------------------------------------------


def _without(rec: dict[str, Any], *path: str | int) -> dict[str, Any]:
    rec = copy.deepcopy(rec)
    node: Any = rec
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return rec


@pytest.mark.parametrize(
    ("path", "field", "line_start", "after"),
    [
        (("in_short",), "in_short", "- id: x", ""),
        (("in_short", "helps"), "in_short.helps", "what_it_is:", "- id: x"),
        (("in_short", "what_it_is"), "in_short.what_it_is", "helps:", "- id: x"),
        (("in_short", "recovery"), "in_short.recovery", "what_it_is:", "- id: x"),
        (("evidence", "in_short"), "evidence.in_short", "quality:", "- id: x"),
        (("guidelines", 0, "in_short"), "guidelines[0].in_short", "- body:", "- id: x"),
        (("risks", 0, "source"), "risks[0].source", "- risk:", "- id: x"),
    ],
)
def test_each_required_version_2_field_missing_is_named_with_its_line(
    tmp_path: Path, path: tuple[str | int, ...], field: str, line_start: str, after: str
) -> None:
    data = minimal_v2(_without(with_in_short(entry("x")), *path))
    _, problems = check(tmp_path, data)
    line = line_of(tmp_path / "kb.yaml", line_start, after=after)
    assert f"{tmp_path / 'kb.yaml'}:{line}: entry 'x' {field}: missing required field" in problems, problems


@pytest.mark.parametrize("count", [0, 4])
def test_one_to_three_risks_carry_in_short(tmp_path: Path, count: int) -> None:
    rec = with_in_short(entry("x"))
    rec["risks"] = [{"risk": f"Risk {i}.", "source": "s1", "in_short": f"risk {i}"} for i in range(4)]
    for risk in rec["risks"][count:]:
        del risk["in_short"]
    _, problems = check(tmp_path, minimal_v2(rec))
    line = line_of(tmp_path / "kb.yaml", "risks:", after="- id: x")
    assert problems == [
        f"{tmp_path / 'kb.yaml'}:{line}: entry 'x' risks: give in_short on 1 to 3 risks"
        f" (the ones that matter most); found {count}"
    ]


def test_guideline_in_short_is_a_few_words(tmp_path: Path) -> None:
    rec = with_in_short(entry("x"))
    rec["guidelines"][0]["in_short"] = "one two three four five six seven eight nine ten eleven twelve thirteen"
    _, problems = check(tmp_path, minimal_v2(rec))
    assert any("guidelines[0].in_short: 13 words is too long (at most 12)" in p for p in problems)


def test_natural_frequencies_are_whole_numbers_in_version_2(tmp_path: Path) -> None:
    rec = entry("x")
    rec["evidence"]["effects"] = [
        {
            "outcome": "Pain halved",
            "events_per_100": 47.6,
            "comparator_events_per_100": 44.0,
            "comparator": "sham",
            "time_frame": "6 months",
            "time_frame_days": 182,
            "population": "adults",
            "source": "s1",
        }
    ]
    assert check(tmp_path, kb(rec), "v1.yaml")[1] == []
    _, problems = check(tmp_path, minimal_v2(with_in_short(rec)))
    line = line_of(tmp_path / "kb.yaml", "events_per_100:", after="- id: x")
    assert problems == [
        f"{tmp_path / 'kb.yaml'}:{line}: entry 'x' evidence.effects[0].events_per_100:"
        " 47.6 must be a whole number in schema_version 2 (round it)"
    ]


# -- messages -------------------------------------------------------------------------------------


def test_a_misspelt_field_gets_did_you_mean(tmp_path: Path) -> None:
    _, problems = check(tmp_path, kb(entry("x", sumary="typo")))
    line = line_of(tmp_path / "kb.yaml", "sumary:")
    assert f"{tmp_path / 'kb.yaml'}:{line}: entry 'x' sumary: unknown field; did you mean summary?" in problems
    _, problems = check(tmp_path, kb(entry("x", zzz="far from anything")))
    assert any("entry 'x' zzz: unknown field (allowed: id, name, aliases," in p for p in problems)


def test_every_problem_is_collected(tmp_path: Path) -> None:
    rec = entry("x", category="magic", sumary="typo")
    rec["recovery"]["days_to_normal_activity"] = {"min": 5, "max": 2}
    _, problems = check(tmp_path, kb(rec, entry("x")))
    assert len(problems) == 4
    assert any("recovery.days_to_normal_activity: min is greater than max" in p for p in problems)
    assert any("entry 'x' id: duplicate id" in p for p in problems)


# -- the model and the spec agree -----------------------------------------------------------------


def _spec_names(spec: Record, version: int = 2) -> set[str]:
    return {f.name for f in spec.fields if version in f.versions}


@pytest.mark.parametrize(
    ("record", "spec", "model_only"),
    [
        (model.Treatment, schema.TREATMENT, {"origin"}),
        (model.InShort, schema.TREATMENT_IN_SHORT, set()),
        (model.Procedure, schema.PROCEDURE, set()),
        (model.Risk, schema.RISK, set()),
        (model.Effect, schema.EFFECT, set()),
        (model.Evidence, schema.EVIDENCE, set()),
        (model.GuidelinePosition, schema.GUIDELINE, set()),
        (model.Condition, schema.CONDITION, set()),
        (model.GlossaryEntry, schema.GLOSSARY, set()),
    ],
)
def test_model_fields_and_spec_fields_agree(record: type[NamedTuple], spec: Record, model_only: set[str]) -> None:
    assert set(record._fields) - model_only == _spec_names(spec)


def test_model_fields_and_spec_fields_agree_where_the_shapes_differ() -> None:
    assert set(model.Source._fields) == _spec_names(schema.SOURCE, 1)  # version 2 keys the registry instead
    assert set(model.Recovery._fields) == {"text", "days_min", "days_max"}
    assert _spec_names(schema.RECOVERY) == {"text", "days_to_normal_activity"}
    assert _spec_names(schema.DAYS) == {"min", "max"}
    assert set(model.About._fields) == set(schema.ABOUT_KEYS)
    assert schema.VERSIONS[-1] == model.SCHEMA_VERSION
    choices = {f.name: f.choices for spec in (schema.TREATMENT, schema.SOURCE) for f in spec.fields if f.choices}
    assert choices["category"] == model.CATEGORIES and choices["kind"] == model.SOURCE_KINDS


# -- the generated reference ----------------------------------------------------------------------


def test_the_reference_documents_every_record_and_its_example_is_valid(tmp_path: Path) -> None:
    from backcare import schema_doc

    text = schema_doc.markdown()
    for spec in schema_doc.records():
        assert f"## {'File level' if spec is schema.FILE else spec.name.capitalize()}\n" in text
        assert all(f"| `{f.name}` |" in text for f in spec.fields)
    path = tmp_path / "example.yaml"
    path.write_text(schema_doc.EXAMPLE, encoding="utf-8")
    content, problems = check_file(path, require_about=False, known_conditions=())
    assert [str(p) for p in problems] == []
    assert content.treatments[0]["sources"][1]["key"] == "heat-trial-2006"
