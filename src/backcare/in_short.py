"""The short texts of the brief views: written in the knowledge base, or derived until they are.

Every function here answers one question of the brief `show`, the option grid or a condition,
in the same way: the entry's own `in_short` text when the content team has written one; if not,
a fallback cut from the longer fields (a first sentence, a first clause), never invented. The
fallbacks are marked `# fallback:` so they are easy to find and to drop once every entry has
its short texts. Pure text in, text out: no Rich, no terminal.
"""

from __future__ import annotations

import re

from backcare.model import About, Condition, Effect, GuidelinePosition, Risk, Treatment

# The standard red flags for back pain (NICE NG59, ACP 2017), used only when the knowledge base
# names none itself: neither About.urgent_symptoms nor a sentence of the disclaimer.
STANDARD_RED_FLAGS = (
    "new leg weakness or numbness, loss of bladder or bowel control, numbness around the genitals "
    "or back passage, fever, or a history of cancer"
)
URGENT_LEAD = "Same-day care: "
GRADE_IN_WORDS = {  # the GRADE working group's plain-language meaning of each level, shortened
    "high": "very confident in the studies' estimate",
    "moderate": "moderately confident in the estimate",
    "low": "limited confidence; the truth may differ a lot",
    "very-low": "very little confidence in the estimate",
}
QUESTIONS = (  # the same for every treatment: questions for the clinician, never advice
    "Will it help?",
    "What are the risks?",
    "What else?",
    "What if I wait?",
)
# Outcomes that count a harm, not a benefit: they belong under risks, never under "does it help?".
HARM_WORDS = ("further operation", "re-operation", "reoperation", "complication", "adverse", "side effect", "died")

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
PARENTHESES = re.compile(r"\s*\([^()]*\)")


def first_sentence(text: str) -> str:
    """The first sentence of `text` ("e.g." and "et al." do not end one)."""
    text = " ".join(text.split())
    for match in SENTENCE_END.finditer(text):
        head = text[: match.start()]
        if not re.search(r"\b(?:e\.g|i\.e|et al|vs|approx|Dr|St)\.$", head):
            return head
    return text


def shorten(text: str, limit: int) -> str:
    """At most about `limit` characters: cut at a sentence end, then a clause end, then a word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    sentence = first_sentence(text)
    if len(sentence) <= limit:
        return sentence
    cuts = [
        cut
        for cut in (m.start() for m in re.finditer(r"[;:,] ", sentence[:limit]))
        if cut > limit // 3 and sentence[:cut].count("(") == sentence[:cut].count(")")
    ]
    if cuts:  # the latest clause end that keeps parentheses whole
        return sentence[: cuts[-1]] + "…"
    cut = sentence.rfind(" ", 0, limit)
    return sentence[: cut if cut > 0 else limit].rstrip(",;:") + "…"


def opening(text: str, limit: int) -> str:
    """As many whole sentences from the start as fit in `limit` (at least the first, shortened)."""
    text = " ".join(text.split())
    out = ""
    while text:
        sentence = first_sentence(text)
        if out and len(out) + 1 + len(sentence) > limit:
            break
        out = f"{out} {sentence}".strip() if out else shorten(sentence, limit)
        text = text[len(sentence) :].strip()
    return out


def first_clause(text: str, limit: int = 60) -> str:
    """The opening clause of `text`, without remarks in parentheses: a scope in a few words."""
    plain = PARENTHESES.sub("", " ".join(text.split()))
    clause = re.split(r"[;:]\s|\.\s|\.$|,\s(?:but|and|except|as|so|unless|which)\s", plain, maxsplit=1)[0]
    return shorten(clause.strip(), limit)


def without_remarks(text: str) -> str:
    """Text without its remarks in parentheses: "sham acupuncture (shallow needling…)" -> "sham acupuncture"."""
    return PARENTHESES.sub("", text).strip() or text


# -- one function per brief question ------------------------------------------------------------


def urgent_symptoms(about: About) -> str:
    """The one line naming the symptoms that need same-day care."""
    if about.urgent_symptoms:
        return " ".join(about.urgent_symptoms.split())
    # fallback: the disclaimer's red-flag sentence ("Back pain with … needs urgent …").
    for sentence in SENTENCE_END.split(" ".join(about.disclaimer.split())):
        match = re.search(r"\bwith (.+?),? (?:needs|need|requires|should)\b", sentence, re.IGNORECASE)
        if match and "urgent" in sentence.lower():
            return f"{URGENT_LEAD}{match.group(1)}."
    # fallback: neither names any, so the standard red flags.
    return f"{URGENT_LEAD}{STANDARD_RED_FLAGS}."


def disclaimer_line(about: About) -> str:
    """The disclaimer's first sentence, which says what backcare is not."""
    if not about.disclaimer:
        return "This is a reference, not medical advice."
    return first_sentence(about.disclaimer)


def citation(about: About | None, today: str = "") -> str:
    """How to cite a handout: the knowledge base's version and review date, and backcare's version."""
    from backcare import __version__

    version = (about.version if about else "") or "unknown"
    reviewed = (about.reviewed if about else "") or "unknown"
    printed = f" Printed {today}." if today else ""
    return f"Made with backcare {__version__} from knowledge base version {version}, reviewed {reviewed}.{printed}"


def what_it_is(t: Treatment, limit: int = 400) -> str:
    # fallback: the one-line summary.
    return t.in_short.what_it_is or shorten(t.summary, limit)


def is_harm(effect: Effect) -> bool:
    outcome = effect.outcome.lower()
    return any(word in outcome for word in HARM_WORDS)


def per_100(value: float) -> int:
    """Natural frequencies are shown as whole numbers ("48 in 100"); exact figures stay in the data."""
    return int(value + 0.5)


def frequency_sentence(e: Effect, what: str = "this treatment") -> str:
    return (
        f"About {per_100(e.events_per_100)} in 100 people {without_remarks(e.outcome)} at {e.time_frame} with "
        f"{what}, compared with {per_100(e.comparator_events_per_100)} in 100 with {without_remarks(e.comparator)}."
    )


def frequency_compact(e: Effect) -> str:
    """ "48 in 100 with it, 44 in 100 with sham acupuncture (responded to treatment, 6 months)"."""
    return (
        f"{per_100(e.events_per_100)} in 100 with it, {per_100(e.comparator_events_per_100)} in 100 with "
        f"{without_remarks(e.comparator)} ({without_remarks(e.outcome)}, {e.time_frame})"
    )


def helps(t: Treatment, limit: int = 300) -> str:
    """Does it help? In plain words, with a natural frequency where the entry has one."""
    # fallback: the first benefit, cut at a sentence end.
    text = t.in_short.helps or (shorten(t.benefits[0], limit) if t.benefits else "Not reported in the sources used.")
    benefit = next((e for e in t.evidence.effects if not is_harm(e)), None)
    if benefit is not None and " in 100" not in text:
        text += " " + frequency_sentence(benefit)
    return text


def main_risks(t: Treatment, count: int = 3, limit: int = 130) -> list[str]:
    """The risks that matter most, with rates where known: the ones the entry marks with
    `in_short` (its editors chose them), else (fallback) the first few it lists."""
    chosen = [r for r in t.risks if r.in_short] or list(t.risks[:count])
    return [risk_line(r, limit) for r in chosen[:count]] or ["No risks are described in the sources used."]


def risk_line(r: Risk, limit: int = 130) -> str:
    if r.in_short:
        return r.in_short
    # fallback: the risk's first sentence and the opening of its frequency.
    text = first_sentence(r.risk).rstrip(".")
    if r.frequency:
        text = f"{shorten(text, limit // 2 + 10)} ({first_clause(r.frequency, limit // 2)})"
    return shorten(text, limit)


def recovery(t: Treatment, limit: int = 160) -> str:
    if t.in_short.recovery:
        return t.in_short.recovery
    # fallback: the days to normal activity, then the recovery text's first sentence.
    return shorten(f"{days_text(t).capitalize()}. {first_sentence(t.recovery.text)}", limit)


def days_text(t: Treatment) -> str:
    lo, hi = t.recovery.days_min, t.recovery.days_max
    if hi == 0:
        return "typically no time off normal activity"
    span = f"{lo}" if lo == hi else f"{lo}–{hi}"
    return f"typically {span} day{'s' if hi != 1 else ''} to normal activity"


def certainty(t: Treatment) -> str:
    # fallback: what the GRADE level means, in the GRADE working group's words.
    return t.evidence.in_short or GRADE_IN_WORDS.get(t.evidence.quality, "")


def guideline_scope(g: GuidelinePosition) -> str:
    # fallback: the opening clause of the guideline's summary.
    return g.in_short or first_clause(g.summary, 48)


def what_if_i_wait(c: Condition, limit: int = 200) -> str:
    # fallback: the natural course's first sentence.
    return c.in_short or shorten(first_sentence(c.natural_course), limit)
