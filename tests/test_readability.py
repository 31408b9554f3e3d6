"""The readability estimate behaves like the published formula on texts of known difficulty."""

from __future__ import annotations

import pytest

from backcare import readability as r


def test_syllables() -> None:
    assert [r.syllables(w) for w in ("back", "pain", "injection", "needle", "the", "epidural", "2,470")] == [
        1,
        1,
        3,
        2,
        1,
        4,
        1,  # a number counts as one syllable: an estimate, as the module says
    ]


def test_sentences_split_on_full_stops_not_inside_numbers() -> None:
    assert r.sentences("It helps a little. About 48 in 100 improved. Pain fell 1.5 points.") == [
        "It helps a little.",
        "About 48 in 100 improved.",
        "Pain fell 1.5 points.",
    ]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("The cat sat on the mat. It was a good day.", -4, 2),
        ("A needle puts medicine near the nerve. Most people go home the same day.", 1, 6),
        (
            "Intradiscal electrothermal therapy demonstrated statistically insignificant improvements "
            "in disability compared with sham intervention in methodologically heterogeneous trials.",
            18,
            40,
        ),
    ],
)
def test_grade_orders_texts_by_difficulty(text: str, low: float, high: float) -> None:
    assert low <= r.grade(text) <= high


def test_long_sentences_are_found() -> None:
    long = " ".join(["word"] * 26) + "."
    assert r.long_sentences(long + " Short one.") == [long]
    assert r.long_sentences("Short one. Another short one.") == []


def test_median_grade_ignores_empty_texts() -> None:
    assert r.median_grade(["", "The cat sat on the mat."]) == r.grade("The cat sat on the mat.")
