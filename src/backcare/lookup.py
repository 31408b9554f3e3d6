"""Finding what people mean: the one resolver for treatments, conditions and glossary terms.

Every command that takes a name (show, compare, conditions NAME, list --treats, glossary TERM)
and shell completion ask here. A name is tried, in order:

  exact     the id, name or an alias, in any case, spaces/underscores/hyphens alike
  variant   the same after folding plurals and punctuation ("epidurals", "anti inflammatory")
  close     a clear nearest name (a typo, or the start of a word: "manip"); said on stderr
  elsewhere a condition or glossary term given where a treatment was wanted: the right command

Pure functions over the loaded knowledge base: no Rich, no YAML, no Typer.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from backcare.errors import NotFound, UsageError
from backcare.fuzzy import CORRECT_CUTOFF, SUGGEST_CUTOFF, similarity
from backcare.model import Condition, GlossaryEntry, normalise

if TYPE_CHECKING:  # types only: the resolver reads a loaded knowledge base, never loads one
    from backcare.kb import Entry, KnowledgeBase

KINDS = ("treatment", "condition", "glossary")
# Words between the treatments of a comparison that name none: "rfa vs epidural".
FILLER = frozenset({"and", "or", "vs", "v", "versus", "with", "against", "to", "compared", "&", "+"})
LABEL = {"treatment": "treatment", "condition": "condition", "glossary": "glossary term"}
LISTING = {"treatment": "list", "condition": "conditions", "glossary": "glossary"}
LONGEST_NAME = 8  # words; no name or alias in the knowledge base is longer
WORD = re.compile(r"\w+")


def singular(word: str) -> str:
    """A plural folded to its singular, well enough for matching ("epidurals", "therapies")."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


def variant(text: str) -> str:
    """The loosest form two names are compared in: words only, each singular, joined by hyphens."""
    return "-".join(singular(w) for w in WORD.findall(text.lower()))


def quoted(text: str) -> str:
    """Words as typed in a shell command shown inside '…' (so double quotes when needed)."""
    text = " ".join(text.split())
    return text if shlex.quote(text) == text else '"' + text.replace('"', '\\"') + '"'


class Found(NamedTuple):
    """What a name resolved to, and how; `note` is the one line to tell the user, if any."""

    kind: str
    key: str  # the treatment or condition id, or the glossary term
    how: str  # "exact", "variant" or "close"
    typed: str

    def note(self, doing: str) -> str:
        """For a close match, the line that says what was taken instead: "showing X for 'x'"."""
        return f"{doing} {self.key} for '{' '.join(self.typed.split())}'" if self.how == "close" else ""


class _Index(NamedTuple):
    exact: dict[str, str]  # normalised name -> key
    variants: dict[str, set[str]]  # variant form -> keys
    names: dict[str, list[str]]  # key -> every name it answers to (for close matches)


class Resolver:
    """Lookups over one loaded knowledge base; each kind's index is built on first use."""

    def __init__(self, base: KnowledgeBase) -> None:
        self.base = base
        self._indexes: dict[str, _Index] = {}

    # -- the indexes ------------------------------------------------------------------------

    def _names(self, kind: str) -> Iterable[tuple[str, Sequence[str]]]:
        if kind == "treatment":
            return ((e.id, [e.id, e.name, *e.aliases]) for e in self.base.entries)
        if kind == "condition":
            return ((c.id, [c.id, c.name, *c.aliases]) for c in self.base.conditions.values())
        return ((g.term, [g.term, *g.aliases]) for g in self.base.glossary)

    def index(self, kind: str) -> _Index:
        found = self._indexes.get(kind)
        if found is None:
            exact: dict[str, str] = {}
            variants: dict[str, set[str]] = {}
            names: dict[str, list[str]] = {}
            for key, all_names in self._names(kind):
                names[key] = [normalise(n) for n in all_names]
                for name in all_names:
                    variants.setdefault(variant(name), set()).add(key)
            if kind == "treatment":
                exact = {k: e.id for k, e in self.base.names.items()}  # the clash rules of kb.name_index
            else:
                for key, forms in names.items():
                    for form in forms[1:]:
                        exact.setdefault(form, key)
                    exact[forms[0]] = key  # an id always wins
            found = self._indexes[kind] = _Index(exact, variants, names)
        return found

    # -- the steps --------------------------------------------------------------------------

    def exact(self, kind: str, text: str) -> list[Found]:
        """The entries `text` names exactly or as a variant (several only when a variant is shared)."""
        if kind == "treatment":
            self.base.note_clash(text)  # a name two layers claim: say so whenever it is used
            entry = self.base.names.get(normalise(text))
            if entry is not None:  # the common case, answered before any variant index is built
                return [Found(kind, entry.id, "exact", text)]
        index = self.index(kind)
        key = index.exact.get(normalise(text))
        if key is not None:
            return [Found(kind, key, "exact", text)]
        form = variant(text)
        return [Found(kind, k, "variant", text) for k in sorted(index.variants.get(form, ()))] if form else []

    def close(self, kind: str, text: str) -> list[tuple[float, str]]:
        """Entries with a name like `text`, best first: (likeness 0..1, key)."""
        wanted = normalise(text)
        if len(wanted) < 3:
            return []
        scored: list[tuple[float, str]] = []
        for key, forms in self.index(kind).names.items():
            best = max(similarity(wanted, form) for form in forms)
            if len(wanted) >= 4 and any(w.startswith(wanted) for form in forms for w in (form, *form.split("-"))):
                best = max(best, 0.9)  # the start of a name or of one of its words: "manip", "kypho"
            if best >= SUGGEST_CUTOFF:
                scored.append((best, key))
        scored.sort(key=lambda s: -s[0])
        return scored

    def clear(self, kind: str, text: str) -> Found | None:
        """The one close entry, when there is one and it stands out from the rest."""
        scored = self.close(kind, text)
        if not scored or scored[0][0] < CORRECT_CUTOFF:
            return None
        if len(scored) > 1 and scored[1][0] > scored[0][0] - 0.08:
            return None
        return Found(kind, scored[0][1], "close", text)

    def suggestions(self, kind: str, text: str, limit: int = 3) -> list[str]:
        return [key for _, key in self.close(kind, text)[:limit]]

    def elsewhere(self, text: str, wanted: str, *, close: bool = False) -> str:
        """Where a name that is not a `wanted` lives instead, as the command to run; or ""."""
        for kind in KINDS:
            if kind == wanted:
                continue
            found = self.exact(kind, text)
            if not found and close:
                found = [f for f in (self.clear(kind, text),) if f is not None]
            if len(found) == 1:
                return _pointer(found[0], text)
        return ""

    # -- treatments -------------------------------------------------------------------------

    def treatment(self, text: str, *, close: bool = True, implicit: str | None = None) -> Found:
        """The treatment `text` names; NotFound says why not and what to try instead.

        `implicit` is set for `backcare NAME` (no command given): "" or the command NAME is a
        near-miss of, which then takes no close match and is a usage error ("backcare lst").
        """
        if implicit is not None:
            try:
                return self.treatment(text, close=close and not implicit)
            except NotFound as exc:
                if implicit:
                    raise UsageError(f"no such command '{text.split()[0]}'; did you mean '{implicit}'?") from None
                raise NotFound(str(exc).replace("no treatment", "no command or treatment", 1)) from None
        found = self.exact("treatment", text)
        if len(found) == 1:
            return found[0]
        if found:
            raise NotFound(f"'{text}' could be {_either(f.key for f in found)}; say which")
        pointer = self.elsewhere(text, "treatment")
        if not pointer and close:
            guess = self.clear("treatment", text)
            if guess is not None:
                return guess
            near = self.close("treatment", text)
            if not near or near[0][0] < CORRECT_CUTOFF:  # "siatica": no treatment is near, a condition is
                pointer = self.elsewhere(text, "treatment", close=True)
        if pointer:
            raise NotFound(f"'{' '.join(text.split())}' is not a treatment: {pointer}")
        raise NotFound(self.not_found("treatment", text))

    def not_found(self, kind: str, text: str) -> str:
        shown = " ".join(text.split())
        message = f"no {LABEL[kind]} '{shown}'"
        suggestions = self.suggestions(kind, text)
        if suggestions:
            return f"{message}; did you mean {_either(suggestions)}?"
        if kind == "treatment" and text.split() and len(shown) <= 60:
            return f"{message} (see 'backcare list'); try 'backcare search {quoted(text)}'"
        return message + f" (see 'backcare {LISTING[kind]}')"

    def treatments_in(self, words: Sequence[str]) -> tuple[list[Found], list[str]]:
        """Split words into treatments, longest name first; and the phrases that named none.

        `compare spinal manipulation acupuncture` is two treatments. A phrase that is no
        treatment may still be a clear typo of one, as long as it does not swallow a word that
        starts a real name.
        """
        words = [w for word in words for w in word.split()]
        found: list[Found] = []
        unplaced: list[str] = []
        i, last_unplaced = 0, -2
        while i < len(words):
            if words[i].lower() in FILLER:
                i += 1
                continue
            step = self._longest(words, i)
            if step is None:
                if last_unplaced == i - 1:
                    unplaced[-1] += " " + words[i]
                else:
                    unplaced.append(words[i])
                last_unplaced = i
                i += 1
                continue
            found.append(step[0])
            i = step[1]
        return found, unplaced

    def unplaced_message(self, phrases: Sequence[str]) -> str:
        """What `compare` could not place, with the nearest names for each phrase."""
        parts = []
        for phrase in phrases:
            close = self.suggestions("treatment", phrase)
            parts.append(f"'{phrase}'" + (f" (did you mean {_either(close)}?)" if close else ""))
        return f"could not place {', '.join(parts)} as a treatment (see 'backcare list')"

    def _longest(self, words: Sequence[str], start: int) -> tuple[Found, int] | None:
        last = min(len(words), start + LONGEST_NAME)
        for end in range(last, start, -1):
            exact = self.exact("treatment", " ".join(words[start:end]))
            if len(exact) == 1:
                return exact[0], end
        bound = next(
            (j for j in range(start + 1, last) if words[j].lower() in FILLER or self._starts_a_name(words, j)),
            last,
        )
        # shortest first: a typo must not swallow the next word; a typo in a name of more than
        # four words is not looked for (each try compares against every name)
        for end in range(start + 1, min(bound, start + 4) + 1):
            guess = self.clear("treatment", " ".join(words[start:end]))
            if guess is not None:
                return guess, end
        return None

    def _starts_a_name(self, words: Sequence[str], start: int) -> bool:
        last = min(len(words), start + LONGEST_NAME)
        return any(self.exact("treatment", " ".join(words[start:end])) for end in range(start + 1, last + 1))

    # -- conditions -------------------------------------------------------------------------

    def condition(self, text: str) -> Found:
        """The one condition `text` names (exactly, by part of its name, or a clear typo)."""
        found = self.exact("condition", text) or self._containing(text)
        if len(found) == 1:
            return found[0]
        if found:
            raise NotFound(f"'{text}' could be {_either(f.key for f in found)}; say which")
        guess = self.clear("condition", text)
        if guess is not None:
            return guess
        pointer = self.elsewhere(text, "condition", close=not self.close("condition", text))
        if pointer:
            raise NotFound(f"'{' '.join(text.split())}' is not a condition: {pointer}")
        raise NotFound(self.not_found("condition", text))

    def treating(self, text: str, say: Callable[[str], None]) -> list[Entry]:
        """Treatments used for the conditions `text` names (`list --treats`); a typo taken is said."""
        found = self.conditions_for(text)
        for guess in (f for f in found if f.how == "close"):
            say(f"listing treatments for {guess.key} ('{' '.join(text.split())}')")
        wanted = {f.key for f in found}
        return [e for e in self.base.entries if wanted.intersection(e.conditions)]

    def conditions_for(self, text: str) -> list[Found]:
        """Every condition `text` names or is part of (`list --treats chronic`), else a clear typo."""
        found = self.exact("condition", text) or self._containing(text)
        if found:
            return found
        guess = self.clear("condition", text)
        return [guess] if guess is not None else []

    def _containing(self, text: str) -> list[Found]:
        needle = " ".join(text.lower().split())
        dashed = normalise(text)
        form = variant(text)
        if len(needle) < 3:
            return []
        return [
            Found("condition", c.id, "exact", text)
            for c in self.base.conditions.values()
            if dashed in c.id or any(needle in n.lower() or (form and form in variant(n)) for n in (c.name, *c.aliases))
        ]

    # -- glossary ---------------------------------------------------------------------------

    def glossary(self, text: str) -> list[GlossaryEntry]:
        """The terms `text` names, or whose term contains it; NotFound with suggestions if none."""
        by_term = {g.term: g for g in self.base.glossary}
        found = self.exact("glossary", text)
        if not found:
            key = normalise(text)
            found = [Found("glossary", g.term, "exact", text) for g in self.base.glossary if key in normalise(g.term)]
        if found:
            return [by_term[f.key] for f in found]
        pointer = self.elsewhere(text, "glossary")
        raise NotFound(f"no glossary term '{text}'; {pointer}" if pointer else self.not_found("glossary", text))

    # -- completion -------------------------------------------------------------------------

    def complete(self, kind: str, incomplete: str) -> list[tuple[str, str]]:
        """Ids and one-word aliases starting with what was typed, each with its display name."""
        prefix = incomplete.lower()
        out: list[tuple[str, str]] = []
        if kind == "treatment":
            for entry in self.base.entries:
                for name in (entry.id, *(a for a in entry.aliases if len(a.split()) == 1)):  # one shell word
                    if self.base.names.get(normalise(name)) is not entry:  # a name an earlier layer keeps
                        continue
                    if name.lower().startswith(prefix):
                        out.append((name, entry.name))
            return out
        for cond in self.base.conditions.values():
            for name in (cond.id, *(normalise(a) for a in cond.aliases)):
                if name.startswith(prefix):
                    out.append((name, cond.name))
        return out

    # -- records ----------------------------------------------------------------------------

    def entry(self, found: Found) -> Entry:
        return self.base.names[found.key]

    def condition_record(self, found: Found) -> Condition:
        return self.base.conditions[found.key]


def _either(names: Iterable[str]) -> str:
    """ "a", "a or b", "a, b or c"."""
    listed = list(names)
    return " or ".join([", ".join(listed[:-1]), listed[-1]] if len(listed) > 2 else listed)


def _pointer(found: Found, typed: str) -> str:
    if found.kind == "condition":
        return f"it is a condition; see 'backcare conditions {found.key}' or 'backcare list --treats {found.key}'"
    if found.kind == "glossary":
        return f"it is a glossary term; see 'backcare glossary {quoted(typed if found.how != 'close' else found.key)}'"
    return f"it is a treatment; see 'backcare show {found.key}'"
