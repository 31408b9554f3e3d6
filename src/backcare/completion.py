"""Shell completion candidates, from the resolver (lookup.py): treatment and condition names.
No Rich, no YAML on a cache hit (every TAB starts the program). Wired to arguments in cli.py."""

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
    return [] if base is None else [(_help(n), _help(h)) for n, h in base.resolver.complete("treatment", incomplete)]


def conditions(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Condition ids and aliases (hyphenated) starting with what was typed, with the name as help."""
    base = _knowledge_base(ctx)
    return [] if base is None else [(_help(n), _help(h)) for n, h in base.resolver.complete("condition", incomplete)]
