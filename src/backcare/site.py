"""`backcare site DIR`: a static website of the whole (layered) knowledge base.

An index grouped by category, a page per treatment (the brief view on top, everything below), a
page per condition, the glossary and the about page. Relative links only, so it works straight
from a file system. A marker file lists what backcare wrote: a folder holding anything else is
refused, and a later run replaces backcare's own earlier pages cleanly. Each page is written to a
temporary file first and moved into place (os.replace), so a reader never sees half a page.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from backcare.errors import UsageError

if TYPE_CHECKING:
    from backcare.kb import KnowledgeBase

MARKER = ".backcare-site"
MARKER_HEADER = "# written by backcare site; the pages below are replaced by the next run\n"


def slug(identifier: str) -> str:
    """A file name from an id: lowercase letters, digits and hyphens only."""
    return re.sub(r"[^a-z0-9-]+", "-", identifier.lower()).strip("-") or "entry"


def check_target(target: Path) -> list[str]:
    """The pages an earlier run wrote (to replace), or a UsageError saying how to proceed."""
    if target.exists() and not target.is_dir():
        raise UsageError(f"'{target}' is a file, not a folder; give a new or empty folder for the site")
    if not target.exists() or not any(target.iterdir()):
        return []
    marker = target / MARKER
    if not marker.is_file():
        raise UsageError(
            f"'{target}' is not empty and was not written by backcare site; "
            "give a new or empty folder, or remove this one first"
        )
    return [line for line in marker.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def pages(kb: KnowledgeBase, today: dt.date, paper: str) -> dict[str, str]:
    """Every page of the site, by its path relative to the site's folder."""
    from backcare.brief import brief_view, condition_view
    from backcare.in_short import citation
    from backcare.render.html import Html
    from backcare.render.text import clean
    from backcare.views import about_view, glossary_view, show_view

    html = Html(paper, citation(kb.about, today.isoformat()))
    treatments = {e.id: e.treatment for e in kb.entries}
    conditions = {c.id: c for c in kb.conditions.values()}
    by_category: dict[str, list[dict[str, str]]] = {}
    for e in kb.entries:
        by_category.setdefault(clean(e.category), []).append(
            {"href": f"treatments/{slug(e.id)}.html", "name": clean(e.name), "summary": clean(e.summary)}
        )
    index = {
        "categories": sorted(by_category.items()),
        "conditions": [{"href": f"conditions/{slug(c.id)}.html", "name": clean(c.name)} for c in conditions.values()],
    }
    out = {"index.html": html.page("site_index.html", page_title="Back-pain treatments", site=index, root="")}
    for tid, t in treatments.items():
        brief = html.document_context(brief_view(kb, t, today))
        full = html.document_context(show_view(kb, t, today))
        full["urgent"] = ""  # said once, at the top
        out[f"treatments/{slug(tid)}.html"] = html.page(
            "site_treatment.html", page_title=brief["title"], brief=brief, full=full, root="../"
        )
    for cid, c in conditions.items():
        doc = html.document_context(condition_view(kb, c))
        out[f"conditions/{slug(cid)}.html"] = html.page(
            "site_document.html", page_title=doc["title"], doc=doc, root="../"
        )
    glossary = glossary_view(kb.glossary)
    out["glossary.html"] = html.page(
        "site_glossary.html", page_title="Glossary", rows=[[clean(g), clean(d)] for g, d in glossary.rows], root=""
    )
    about = html.document_context(about_view(kb))
    out["about.html"] = html.page("site_document.html", page_title=about["title"], doc=about, root="")
    return out


def build(kb: KnowledgeBase, target: Path, paper: str = "a4", today: dt.date | None = None) -> str:
    """Write the site into `target`; returns one line saying what was written."""
    from backcare.views import today as date_today

    earlier = check_target(target)
    site = pages(kb, today or date_today(), paper)
    target.mkdir(parents=True, exist_ok=True)
    write_atomic(target / MARKER, MARKER_HEADER + "".join(f"{name}\n" for name in sorted(site)))
    for name, text in site.items():
        write_atomic(target / name, text)
    for name in set(earlier) - set(site):  # pages of entries that are gone
        path = (target / name).resolve()
        if path.is_relative_to(target.resolve()) and path.suffix == ".html":
            path.unlink(missing_ok=True)
    return f"wrote {len(site)} pages to {target} (open {target / 'index.html'})"
