"""Content integrity of the bundled knowledge base, and spot checks of the facts that matter most."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from backcare.model import CATEGORIES, EVIDENCE_LEVELS, INVASIVENESS, STANCES, normalise
from backcare.paths import BUNDLED
from backcare.schema import DOI, PMID, URL
from backcare.validate import check_file
from conftest import ARTICLE_TREATMENTS as ARTICLE

COMPARATORS = [
    "vertebroplasty",
    "exercise-therapy",
    "nsaids",
    "discectomy",
    "spinal-fusion",
    "yoga-tai-chi",
    "cbt",
    "spinal-cord-stimulation",
    "superficial-heat",
]
REQUIRED_ALIASES = {
    "kyphoplasty": ["balloon kyphoplasty"],
    "radiofrequency-ablation": ["rfa", "radiofrequency denervation"],
    "epidural-steroid-injection": ["epidural", "esi"],
    "laser-spine-surgery": ["laser"],
    "spinal-manipulation": ["manual-manipulation", "manipulation"],
    "massage-therapy": ["massage"],
    "mindfulness-meditation": ["meditation", "mindfulness"],
}
ADVICE = re.compile(r"\byou should\b|\byou must\b|\bask your (doctor|gp)\b|\btalk to your\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def content() -> Any:
    data, problems = check_file(BUNDLED, require_about=True, known_conditions=())
    assert problems == [], "\n".join(map(str, problems))
    return data


@pytest.fixture(scope="module")
def records(content: Any) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in content.treatments}


def test_the_article_treatments_and_the_comparators_are_present(records: dict[str, Any]) -> None:
    for tid in ARTICLE + COMPARATORS:
        assert tid in records, tid
    assert list(records)[:8] == ARTICLE


def test_required_aliases(records: dict[str, Any]) -> None:
    for tid, aliases in REQUIRED_ALIASES.items():
        have = {normalise(a) for a in records[tid]["aliases"]}
        for alias in aliases:
            assert normalise(alias) in have, (tid, alias)


def test_ids_and_aliases_are_unique_across_entries(records: dict[str, Any]) -> None:
    owner: dict[str, str] = {}
    for tid, rec in records.items():
        for name in {tid, *(normalise(a) for a in rec["aliases"])}:
            assert owner.setdefault(name, tid) == tid, f"'{name}' used by {owner[name]} and {tid}"


def test_low_level_laser_therapy_is_kept_apart_from_laser_surgery(records: dict[str, Any]) -> None:
    surgery = {normalise(a) for a in records["laser-spine-surgery"]["aliases"]}
    if "low-level-laser-therapy" in records:
        light = {normalise(a) for a in records["low-level-laser-therapy"]["aliases"]}
        assert not surgery & light
        assert "laser" not in light
        assert "not" in records["low-level-laser-therapy"]["description"].lower()


def test_every_field_is_filled(records: dict[str, Any]) -> None:
    for tid, rec in records.items():
        assert rec["category"] in CATEGORIES
        assert rec["invasiveness"] in INVASIVENESS
        assert rec["evidence"]["quality"] in EVIDENCE_LEVELS
        for key in ("summary", "description"):
            assert rec[key].strip(), (tid, key)
        assert all(v.strip() for v in rec["procedure"].values()), tid
        assert rec["recovery"]["text"].strip(), tid
        assert rec["benefits"] and rec["risks"], tid
        assert rec["evidence"]["summary"].strip() and rec["evidence"]["does_not_show"].strip(), tid
        # never a blank "how much might it help?" cell
        assert rec["evidence"]["effects"] or rec["evidence"]["effects_note"].strip(), tid
        assert all(g["stance"] in STANCES for g in rec["guidelines"]), tid


def test_condition_references_are_known_and_every_condition_is_complete(content: Any, records: dict[str, Any]) -> None:
    conditions = {c["id"]: c for c in content.conditions}
    for tid, rec in records.items():
        for cond in rec["conditions"]:
            assert cond in conditions, (tid, cond)
    for cid, cond in conditions.items():
        assert cond["description"].strip() and cond["natural_course"].strip(), cid
        assert cond["sources"], cid
    used = {c for rec in records.values() for c in rec["conditions"]}
    assert used == set(conditions), f"conditions no treatment uses: {set(conditions) - used}"


def test_sources_have_valid_identifiers_and_enough_weight(records: dict[str, Any]) -> None:
    for tid, rec in records.items():
        sources = rec["sources"]
        assert len(sources) >= 2, tid
        assert any(s["kind"] in ("guideline", "systematic-review") for s in sources), tid
        for s in sources:
            assert "doi" in s or "pmid" in s or "url" in s, (tid, s["key"])
            assert "doi" not in s or DOI.match(s["doi"]), (tid, s["doi"])
            assert "pmid" not in s or PMID.match(s["pmid"]), (tid, s["pmid"])
            assert "url" not in s or URL.match(s["url"]), (tid, s["url"])
            if s["kind"] in ("guideline", "systematic-review", "trial"):
                assert "year" in s, (tid, s["key"], "papers and guidelines carry their year")


def test_every_figure_has_its_source_in_the_entry(records: dict[str, Any]) -> None:
    for tid, rec in records.items():
        keys = {s["key"] for s in rec["sources"]}
        for risk in rec["risks"]:
            if re.search(r"\d", risk.get("frequency", "")):
                assert risk.get("source") in keys, (tid, risk["risk"])
        for effect in rec["evidence"]["effects"]:
            assert effect["source"] in keys, (tid, effect["outcome"])


def test_review_dates_are_real_and_not_in_the_future(content: Any, records: dict[str, Any]) -> None:
    today = dt.date.today()
    for tid, rec in records.items():
        assert dt.date.fromisoformat(rec["last_reviewed"]) <= today, tid
    assert dt.date.fromisoformat(content.about["reviewed"]) <= today


def test_no_advice_to_the_reader(records: dict[str, Any]) -> None:
    for tid, rec in records.items():
        text = " ".join(
            [rec["summary"], rec["description"], rec["recovery"]["text"], *rec["benefits"]]
            + [r["risk"] for r in rec["risks"]]
            + [rec["evidence"]["summary"], rec["evidence"]["does_not_show"]]
        )
        assert not ADVICE.search(text), (tid, ADVICE.search(text))


def test_file_metadata_for_a_decision_aid(content: Any) -> None:
    about = content.about
    for key in ("version", "reviewed", "disclaimer", "update_policy", "funding", "conflicts_of_interest"):
        assert about.get(key), key
    assert "not medical advice" in about["disclaimer"]


# -- spot checks: the facts that matter most --------------------------------------------------


def positions(rec: dict[str, Any], body: str) -> list[dict[str, Any]]:
    return [g for g in rec["guidelines"] if g["body"].upper().startswith(body.upper())]


def test_acupuncture_carries_both_the_acp_and_the_nice_position(records: dict[str, Any]) -> None:
    acupuncture = records["acupuncture"]
    acp = positions(acupuncture, "ACP") or positions(acupuncture, "American College")
    nice = [g for g in positions(acupuncture, "NICE") if g["code"] == "NG59"]
    assert acp and acp[0]["stance"] == "recommend"
    assert nice and nice[0]["stance"] == "against"


def test_rfa_nice_position_names_the_diagnostic_block(records: dict[str, Any]) -> None:
    nice = [g for g in positions(records["radiofrequency-ablation"], "NICE") if g["code"] == "NG59"]
    assert nice and nice[0]["stance"] == "consider"
    assert "medial branch block" in nice[0]["summary"].lower()


def test_bmj_2025_positions_say_they_are_disputed(records: dict[str, Any]) -> None:
    found = 0
    for rec in records.values():
        for g in rec["guidelines"]:
            if g["body"].startswith("BMJ") and g["year"] == 2025:
                found += 1
                assert g["stance"] == "against"
                assert "disput" in g["summary"].lower(), rec["id"]
    assert found >= 2  # radiofrequency ablation and epidural injections at least


def test_epidural_injection_is_not_called_non_invasive(records: dict[str, Any]) -> None:
    esi = records["epidural-steroid-injection"]
    assert esi["invasiveness"] == "spinal-injection"
    assert "non-invasive" in esi["evidence"]["does_not_show"].lower()
    assert any("FDA" in r["risk"] or "fda" in r.get("source", "") for r in esi["risks"])


def test_kyphoplasty_is_for_fractures_and_alignment_claim_is_qualified(records: dict[str, Any]) -> None:
    kypho = records["kyphoplasty"]
    assert kypho["conditions"] == ["osteoporotic-vertebral-fracture"]
    assert "alignment" in kypho["evidence"]["does_not_show"].lower()
    assert [g for g in positions(kypho, "NICE") if g["code"] == "TA279"]


def test_vertebroplasty_natural_frequency_from_vapour(records: dict[str, Any]) -> None:
    effects = records["vertebroplasty"]["evidence"]["effects"]
    vapour = [e for e in effects if e["events_per_100"] == 44 and e["comparator_events_per_100"] == 21]
    assert vapour and vapour[0]["time_frame_days"] == 14
    assert "sham" in vapour[0]["comparator"].lower()


def test_laser_surgery_has_ipg357_and_reoperation_figures(records: dict[str, Any]) -> None:
    laser = records["laser-spine-surgery"]
    assert [g for g in positions(laser, "NICE") if g["code"] == "IPG357"]
    text = " ".join([*laser["benefits"], *(r["risk"] + r.get("frequency", "") for r in laser["risks"])])
    text += " ".join(e["outcome"] for e in laser["evidence"]["effects"])
    assert "38" in text or any(e["events_per_100"] == 38 for e in laser["evidence"]["effects"])


def test_spinal_cord_stimulation_has_nice_ta159(records: dict[str, Any]) -> None:
    assert [g for g in positions(records["spinal-cord-stimulation"], "NICE") if g["code"] == "TA159"]


def test_acp_marks_invasive_procedures_out_of_scope(records: dict[str, Any]) -> None:
    for tid in ("kyphoplasty", "radiofrequency-ablation", "epidural-steroid-injection", "laser-spine-surgery"):
        acp = positions(records[tid], "ACP") or positions(records[tid], "American College")
        assert acp and all(g["stance"] == "no-position" for g in acp), tid


def test_acupuncture_misattribution_is_corrected(records: dict[str, Any]) -> None:
    text = (
        records["acupuncture"]["evidence"]["does_not_show"] + records["acupuncture"]["procedure"]["performed_by"]
    ).lower()
    assert "chiropract" in text
