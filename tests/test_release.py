"""Knowledge base 2027.1: the new entries, the audit's corrections, the source registry and plain
language, checked on the bundled file (the raw YAML and what the program loads from it)."""

from __future__ import annotations

import re
import statistics
from typing import Any

import pytest
import yaml

from backcare import readability
from backcare.paths import BUNDLED
from backcare.validate import check_file

NEW_PROCEDURES = [
    "sacroiliac-joint-fusion",
    "sacroiliac-joint-injection",
    "facet-joint-injection",
    "interspinous-spacer",
    "mild-procedure",
    "endoscopic-discectomy",
    "disc-replacement",
    "intradiscal-radiofrequency",
    "nucleoplasty",
    "intradiscal-steroid-injection",
    "intradiscal-methylene-blue",
    "regenerative-injections",
    "ozone-injection",
    "pulsed-radiofrequency",
    "drg-stimulation",
    "prolotherapy",
    "botulinum-toxin",
]
NEW_MEDICINES = ["paracetamol", "opioids", "gabapentinoids", "muscle-relaxants", "antidepressants", "oral-steroids"]
NEW_OTHER = [
    "tens",
    "traction",
    "lumbar-supports",
    "mckenzie-method",
    "pilates-exercise",
    "back-school",
    "multidisciplinary-rehabilitation",
    "pain-education",
    "cognitive-functional-therapy",
]


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def records() -> dict[str, dict[str, Any]]:
    content, problems = check_file(BUNDLED, require_about=True, known_conditions=())
    assert problems == [], "\n".join(map(str, problems))
    return {r["id"]: r for r in content.treatments}


def text_of(rec: dict[str, Any]) -> str:
    return yaml.safe_dump(rec, allow_unicode=True)


# -- the release ---------------------------------------------------------------------------------


def test_release_metadata(raw: dict[str, Any]) -> None:
    assert raw["schema_version"] == 2
    assert str(raw["version"]) == "2027.1.0"
    assert str(raw["reviewed"]) == "2026-11-29"
    assert "2027.1" in raw["changes"] or "audit" in raw["changes"].lower()
    assert raw["urgent_symptoms"].strip()


def test_at_least_forty_treatments_with_procedures_and_medicines(records: dict[str, Any]) -> None:
    assert len(records) >= 40
    for tid in NEW_PROCEDURES + NEW_MEDICINES + NEW_OTHER:
        assert tid in records, tid
    assert {records[t]["category"] for t in NEW_MEDICINES} == {"medicine"}
    assert records["nsaids"]["category"] == "medicine"


@pytest.mark.parametrize("tid", NEW_PROCEDURES + NEW_MEDICINES + NEW_OTHER)
def test_new_entries_are_complete(records: dict[str, Any], tid: str) -> None:
    rec = records[tid]
    assert rec["last_reviewed"] == "2026-11-29"
    assert all(rec["in_short"][k].strip() for k in ("what_it_is", "helps", "recovery"))
    assert rec["evidence"]["in_short"].strip()
    assert 1 <= sum(1 for r in rec["risks"] if r.get("in_short")) <= 3
    assert all(r.get("source") for r in rec["risks"]), "every risk row has a source"
    assert all(g.get("in_short") for g in rec["guidelines"])
    kinds = {s["kind"] for s in rec["sources"]}
    assert len(rec["sources"]) >= 2 and kinds & {"guideline", "systematic-review"}
    assert rec["aliases"], "lay names people use"


BRANDS = {
    "sacroiliac-joint-fusion": "ifuse",
    "interspinous-spacer": "superion",
    "gabapentinoids": "lyrica",
    "paracetamol": "acetaminophen",
}


@pytest.mark.parametrize(("tid", "brand"), BRANDS.items())
def test_brand_and_lay_names_find_the_entry(records: dict[str, Any], tid: str, brand: str) -> None:
    assert brand in {a.lower() for a in records[tid]["aliases"]}


def test_x_stop_is_an_alias_of_the_spacer(records: dict[str, Any]) -> None:
    aliases = {a.lower().replace("-", " ") for a in records["interspinous-spacer"]["aliases"]}
    assert "x stop" in aliases or "xstop" in aliases


# -- whole numbers, sources, registry -------------------------------------------------------------


def test_natural_frequencies_are_whole_numbers(records: dict[str, Any]) -> None:
    for tid, rec in records.items():
        for e in rec["evidence"]["effects"]:
            assert isinstance(e["events_per_100"], int), tid
            assert isinstance(e["comparator_events_per_100"], int), tid


def test_the_registry_defines_each_source_once_and_uses_every_one(raw: dict[str, Any]) -> None:
    registry = raw["sources"]
    used = {k for t in raw["treatments"] for k in t["sources"]} | {k for c in raw["conditions"] for k in c["sources"]}
    assert set(registry) == used
    for ident in ("doi", "pmid"):
        values = [str(s[ident]).lower() for s in registry.values() if s.get(ident)]
        assert len(values) == len(set(values)), f"two keys share a {ident}"


def test_papers_and_guidelines_carry_a_year(raw: dict[str, Any]) -> None:
    for key, s in raw["sources"].items():
        if s["kind"] != "other":
            assert isinstance(s.get("year"), int), key


# -- the audit's corrections (audit-2026-11.md) ---------------------------------------------------


def test_oliveira_2020_counts_2470_people(records: dict[str, Any]) -> None:
    assert "2,470" in records["epidural-steroid-injection"]["evidence"]["summary"]
    assert "2,740" not in text_of(records["epidural-steroid-injection"])


def test_no_frequency_word_the_cited_source_does_not_give(records: dict[str, Any]) -> None:
    for tid in ("kyphoplasty", "vertebroplasty"):
        for r in records[tid]["risks"]:
            if r.get("source") == "fda-bone-cement":
                assert not re.search(r"\brare\b", r.get("frequency", ""), re.I), (tid, r)
    for r in records["epidural-steroid-injection"]["risks"]:
        if r.get("source") == "lakeview-post-procedure":
            assert "uncommon" not in r.get("frequency", "").lower()
            assert "dural puncture" not in r["risk"].lower()


def test_early_discectomy_is_faster_recovery_not_twice_the_share(records: dict[str, Any]) -> None:
    text = text_of(records["discectomy"]).lower()
    assert "twice as likely" not in text
    assert "hazard ratio" in text and "same share" in text


def test_discectomy_risks_are_complete(records: dict[str, Any]) -> None:
    risks = " ".join(r["risk"].lower() for r in records["discectomy"]["risks"])
    assert "dural" in risks or "covering of the nerves" in risks
    assert "infection" in risks
    assert "again" in risks or "repeat" in risks or "further operation" in risks


def test_basivertebral_ablation_reports_the_12_month_sham_period_and_the_second_trial(
    records: dict[str, Any],
) -> None:
    rec = records["basivertebral-nerve-ablation"]
    assert "12 months" in rec["evidence"]["summary"]
    assert "smuck-2021" in {s["key"] for s in rec["sources"]}
    assert "Long-term benefit compared with a sham has not been shown" not in rec["evidence"]["does_not_show"]


def test_nice_rfa_criteria_include_pain_severity(records: dict[str, Any]) -> None:
    nice = [g for g in records["radiofrequency-ablation"]["guidelines"] if g["body"] == "NICE" and g["code"] == "NG59"]
    assert nice and "moderate or severe" in nice[0]["summary"]


def test_no_editorial_text_leaks_to_readers(records: dict[str, Any]) -> None:
    for tid, rec in records.items():
        assert not re.search(r"consumer article|the article (said|also)", text_of(rec), re.I), tid


def test_unconfirmed_pmids_are_gone(raw: dict[str, Any]) -> None:
    assert str(raw["sources"]["peul-2007"].get("pmid", "")) != "17538084"
    assert str(raw["sources"]["cochrane-scs-2023"].get("pmid", "")) != "36878313"


def test_yoga_minor_harms_are_consistent(records: dict[str, Any]) -> None:
    assert "verville-2023" in {r.get("source") for r in records["yoga-tai-chi"]["risks"]}


def test_exercise_figures_are_the_confirmed_cochrane_ones(records: dict[str, Any]) -> None:
    summary = records["exercise-therapy"]["evidence"]["summary"]
    assert "2,746" in summary and "15" in summary


# -- plain language -------------------------------------------------------------------------------


def short_texts(records: dict[str, Any]) -> list[tuple[str, str, str]]:
    out = []
    for tid, rec in records.items():
        out.append((tid, "summary", rec["summary"]))
        out += [(tid, f"in_short.{k}", v) for k, v in rec["in_short"].items()]
        out.append((tid, "evidence.in_short", rec["evidence"]["in_short"]))
        out += [(tid, "risk.in_short", r["in_short"]) for r in rec["risks"] if r.get("in_short")]
    return out


def test_no_sentence_over_25_words_in_summaries_and_short_texts(records: dict[str, Any], raw: dict[str, Any]) -> None:
    texts = short_texts(records) + [(c["id"], "in_short", c["in_short"]) for c in raw["conditions"]]
    long = [(tid, field) for tid, field, text in texts if readability.long_sentences(text)]
    assert long == []


def test_short_texts_read_at_about_grade_8(records: dict[str, Any]) -> None:
    texts = short_texts(records)
    assert readability.median_grade(t for _, _, t in texts) <= 8.0
    summaries = [t for _, field, t in texts if field == "summary"]
    assert readability.median_grade(summaries) <= 9.0


def test_every_guideline_position_has_a_plain_scope_line(records: dict[str, Any]) -> None:
    lines = [g["in_short"] for rec in records.values() for g in rec["guidelines"]]
    assert all(len(line.split()) <= 12 for line in lines)
    assert statistics.median(readability.grade(line) for line in lines) <= 10.0


# -- one spot check per new entry: the key finding, its figure and the source it comes from ----------

SPOT_CHECKS = [
    ("paracetamol", "evidence.summary", "1,652 people", "williams-2014"),
    ("opioids", "evidence.summary", "347 people", "jones-2023"),
    ("gabapentinoids", "in_short.helps", "About 40 in 100 felt dizzy", "pathway-precise"),
    ("muscle-relaxants", "evidence.summary", "6,505 people", "cashin-2021"),
    ("antidepressants", "evidence.summary", "5,318 people", "ferreira-2021"),
    ("oral-steroids", "evidence.summary", "269 adults", "goldberg-2015"),
    ("tens", "evidence.summary", "585 people", "khadilkar-2008"),
    ("traction", "evidence.summary", "2,762 people", "wegner-2013"),
    ("lumbar-supports", "evidence.summary", "14,437 people", "van-duijvenbode-2008"),
    ("mckenzie-method", "evidence.summary", "328 people", "cochrane-mckenzie-2023"),
    ("pilates-exercise", "evidence.summary", "14.05 points", "yamato-2015"),
    ("back-school", "evidence.summary", "could not be confirmed", "parreira-2017"),
    ("multidisciplinary-rehabilitation", "evidence.summary", "6,858 people", "kamper-2015"),
    ("pain-education", "evidence.summary", "202 adults", "traeger-2019"),
    ("cognitive-functional-therapy", "evidence.summary", "−4.1 (95% CI −5.6 to −2.6)", "hancock-2025"),
    ("sacroiliac-joint-fusion", "evidence.summary", "63 people", "randers-2024"),
    ("sacroiliac-joint-injection", "evidence.summary", "0.83 cm", "wang-2025"),
    ("facet-joint-injection", "evidence.summary", "101 people", "carette-1991"),
    ("interspinous-spacer", "evidence.summary", "159 people", "moojen-2013"),
    ("mild-procedure", "evidence.summary", "22.7 points", "staats-2018"),
    ("endoscopic-discectomy", "evidence.summary", "613 people", "gadjradj-2022"),
    ("disc-replacement", "evidence.summary", "173 people", "hellum-2011"),
    ("intradiscal-radiofrequency", "evidence.summary", "38 IDET, 19 sham", "freeman-2005"),
    ("nucleoplasty", "evidence.summary", "67 people with chronic disc-related pain", "coblation-series-2002"),
    ("intradiscal-steroid-injection", "evidence.summary", "(55.4%)", "nguyen-2017"),
    ("intradiscal-methylene-blue", "evidence.summary", "14 (35%)", "kallewaard-2019"),
    ("regenerative-injections", "evidence.summary", "double-blind and small (16 people)", "prpr-rct-2022"),
    ("ozone-injection", "evidence.summary", "1.87 to 2.60; 717 people", "andrade-2019"),
    (
        "pulsed-radiofrequency",
        "evidence.summary",
        "6 of 16 people with treatment and 3 of 15 with sham",
        "shanthanna-2014",
    ),
    ("drg-stimulation", "evidence.summary", "81.2% with DRG stimulation", "deer-2017"),
    ("prolotherapy", "evidence.summary", "3 trials (206 people)", "dagenais-2007"),
    ("botulinum-toxin", "evidence.summary", "Only one, with 31 people", "waseem-2011"),
]


@pytest.mark.parametrize(("tid", "field", "text", "source"), SPOT_CHECKS, ids=[row[0] for row in SPOT_CHECKS])
def test_spot_check_of_each_new_entry(records: dict[str, Any], tid: str, field: str, text: str, source: str) -> None:
    node: Any = records[tid]
    for part in field.split("."):
        node = node[part]
    assert text in node
    assert source in {s["key"] for s in records[tid]["sources"]}


def test_one_spot_check_for_every_new_entry() -> None:
    assert sorted(row[0] for row in SPOT_CHECKS) == sorted(NEW_PROCEDURES + NEW_MEDICINES + NEW_OTHER)


def test_si_joint_fusion_reports_the_sham_trial_and_pregabalin_its_placebo_comparator(
    records: dict[str, Any],
) -> None:
    assert "sham" in records["sacroiliac-joint-fusion"]["evidence"]["summary"].lower()
    helps = records["gabapentinoids"]["in_short"]["helps"]
    assert "About 40 in 100 felt dizzy" in helps and "13 in 100" in helps and "placebo" in helps


def test_the_bundled_file_passes_the_editorial_rules() -> None:
    """`validate --strict`: sources, numbers sourced, readability of the short texts."""
    from conftest import run

    result = run("validate", "--strict", str(BUNDLED))
    assert result.exit_code == 0, result.stdout + result.stderr
