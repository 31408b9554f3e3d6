"""Shell completion candidates, from the resolver (lookup.py): treatment and condition names.
No Rich, no YAML on a cache hit (every TAB starts the program). Wired to arguments in cli.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backcare.errors import BackcareError

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
        paths = [Path(p) for p in data]
        try:
            return kb.load(paths, Path(only) if only else None, warn=None)
        except BackcareError:  # a --data file that cannot be read at all: complete from the rest
            readable = [p for p in paths if p.is_file()]
            if only or readable == paths:
                raise
            return kb.load(readable, None, warn=None)
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
    return [] if base is None else [(_help(n), _help(h)) for n, h in base.resolver.complete("treatment", incomplete)]


def conditions(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Condition ids and aliases (hyphenated) starting with what was typed, with the name as help."""
    base = _knowledge_base(ctx)
    return [] if base is None else [(_help(n), _help(h)) for n, h in base.resolver.complete("condition", incomplete)]
