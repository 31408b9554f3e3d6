"""Shell completion candidates: treatment ids and aliases, condition ids. No Rich, no YAML on a
cache hit (every TAB starts the program). Wired to arguments in cli.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backcare.errors import BackcareError
from backcare.model import normalise

if TYPE_CHECKING:
    from backcare.kb import KnowledgeBase


def _knowledge_base(ctx: Any) -> KnowledgeBase | None:
    """The layers named on the command line so far, or None. At completion time Click has not
    converted the options (they may be strings, a list or missing), and nothing may be printed:
    any failure means no candidates, never a traceback in the middle of the user's line."""
    from pathlib import Path

    from backcare import kb

    try:
        params = ctx.find_root().params
        data = params.get("data") or ()
        data = [data] if isinstance(data, str | Path) else data
        only = params.get("data_only")
        return kb.load([Path(p) for p in data], Path(only) if only else None, warn=None)
    except BackcareError:
        return None
    except Exception:  # a TAB must never print a traceback; BACKCARE_DEBUG=1 shows it
        import os

        if os.environ.get("BACKCARE_DEBUG"):
            raise
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
    names = base.names
    for entry in base.entries:
        for name in (entry.id, *(a for a in entry.aliases if " " not in a)):
            if names.get(normalise(name)) is not entry:  # a name an earlier layer keeps
                continue
            if name.lower().startswith(prefix):
                out.append((name, _help(entry.name)))
    return out


def conditions(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    base = _knowledge_base(ctx)
    if base is None:
        return []
    return [(c.id, _help(c.name)) for c in base.conditions.values() if c.id.startswith(incomplete.lower())]
