"""Shell completion candidates: treatment ids and aliases, condition ids. No Rich, no YAML on a
cache hit (every TAB starts the program). Wired to arguments in cli.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backcare.errors import BackcareError

if TYPE_CHECKING:
    from backcare.kb import KnowledgeBase


def _knowledge_base(ctx: Any) -> KnowledgeBase | None:
    from backcare import kb

    params = ctx.find_root().params
    try:
        return kb.load(params.get("data") or (), params.get("data_only"))
    except BackcareError:
        return None


def _help(text: str) -> str:
    from backcare.render.text import clean

    return clean(" ".join(text.split()))


def treatments(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Ids and one-word aliases starting with what was typed, with the treatment name as help."""
    base = _knowledge_base(ctx)
    if base is None:
        return []
    prefix = incomplete.lower()
    out: list[tuple[str, str]] = []
    for entry in base.entries:
        for name in (entry.id, *(a for a in entry.aliases if len(a.split()) == 1)):
            if name.lower().startswith(prefix):
                out.append((_help(name), _help(entry.name)))
    return out


def conditions(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    base = _knowledge_base(ctx)
    if base is None:
        return []
    return [(_help(c.id), _help(c.name)) for c in base.conditions.values() if c.id.startswith(incomplete.lower())]
