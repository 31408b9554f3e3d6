"""Close matches for words that were not found ("did you mean …?"): the one place that decides."""

from __future__ import annotations

from collections.abc import Iterable

# How alike two words must be (difflib's ratio) to be offered as a suggestion.
SUGGEST_CUTOFF = 0.6
# Stricter for silently searching with the corrected word instead of the typed one.
CORRECT_CUTOFF = 0.75


def close_matches(word: str, candidates: Iterable[str], *, n: int = 3, cutoff: float = SUGGEST_CUTOFF) -> list[str]:
    """Up to `n` candidates most like `word`, best first (difflib's ratio, at least `cutoff`)."""
    import difflib  # only on a miss: nothing found is the rare path

    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=cutoff)


def similarity(word: str, candidate: str, floor: float = SUGGEST_CUTOFF) -> float:
    """How alike two words are (difflib's ratio, 0..1); 0 when cheap upper bounds show it is below `floor`."""
    import difflib

    matcher = difflib.SequenceMatcher(None, word, candidate)
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()
