"""`backcare validate`: every problem of every file, and the names two layers both claim.

Run-time loading (store.py) stops at a file's first problem; validation collects them all, each
file parsed once, with condition references checked against the bundled file and every file
given.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from backcare.controls import shown_path
from backcare.errors import InvalidKnowledgeBase
from backcare.paths import BUNDLED
from backcare.store import IndexRow, Layer, load_file
from backcare.yamlfile import parse_yaml, read_text

if TYPE_CHECKING:
    from backcare.schema import FileContent, Problem


def check_file(
    path: Path, *, require_about: bool, known_conditions: Iterable[str] | None = None
) -> tuple[FileContent, list[Problem]]:
    """Read, parse and validate one file; every problem is returned, none raised (but I/O and syntax)."""
    from backcare.schema import FileContent, Problem, validate_file

    text = read_text(path)
    data = parse_yaml(text, path)
    if data is None and text.strip():
        problem = Problem(
            shown_path(path), 0, "", "", "the file holds only comments (expected a mapping with a 'treatments' list)"
        )
        return FileContent({}, [], [], []), [problem]
    return validate_file(data, shown_path(path), require_about=require_about, known_conditions=known_conditions)


MAX_LISTED = 1000  # problems listed in one run; the rest are counted (a broken 16 MB file has millions)


class FileReport(NamedTuple):
    path: Path
    problems: list[str]  # listed
    treatments: int
    conditions: int
    unlisted: int = 0  # found but not listed, past MAX_LISTED

    @property
    def found(self) -> int:
        return len(self.problems) + self.unlisted


class Named(NamedTuple):
    """An entry's names, enough to find names that two entries claim."""

    id: str
    name: str
    keys: list[str]
    origin: str


def check_layers(layers: Sequence[Layer]) -> tuple[list[FileReport], list[str]]:
    """Validate files as `backcare validate` does; then the names that point at two entries once
    the layers are merged."""
    from backcare.kb import name_index
    from backcare.schema import validate_file

    parsed: list[tuple[Layer, Any, str]] = []
    for layer in layers:
        try:
            parsed.append((layer, parse_yaml(read_text(layer.path), layer.path), ""))
        except InvalidKnowledgeBase as exc:
            parsed.append((layer, None, str(exc)))
    known: set[str] = set()
    if all(layer.path != BUNDLED for layer in layers):
        with contextlib.suppress(InvalidKnowledgeBase):
            known |= {c["id"] for c in load_file(Layer(BUNDLED, "base")).conditions}
    for _, data, _ in parsed:
        conditions = data.get("conditions") if isinstance(data, dict) else None
        if isinstance(conditions, list):
            known |= {c["id"] for c in conditions if isinstance(c, dict) and isinstance(c.get("id"), str)}

    reports: list[FileReport] = []
    named: list[Named] = []

    def report(path: Path, problems: Sequence[object], treatments: int = 0, conditions: int = 0) -> None:
        room = max(MAX_LISTED - sum(len(r.problems) for r in reports), 0)
        listed = [str(p) for p in problems[:room]]
        reports.append(FileReport(path, listed, treatments, conditions, len(problems) - len(listed)))

    for layer, data, error in parsed:
        if error:
            report(layer.path, [error])
            continue
        if data is None:
            report(layer.path, check_file(layer.path, require_about=False)[1])  # the same words as at run time
            continue
        content, problems = validate_file(
            data, shown_path(layer.path), require_about=layer.role == "base", known_conditions=known
        )
        report(layer.path, problems, len(content.treatments), len(content.conditions))
        if not problems:
            rows = (IndexRow.of(rec) for rec in content.treatments)
            named += [Named(r.id, r.name, r.keys, layer.label) for r in rows]
    clean = all(not r.found for r in reports)
    conflicts = name_index(named)[1] if clean and len(layers) > 1 else []
    return reports, conflicts


def report_lines(reports: Sequence[FileReport], conflicts: Sequence[str]) -> list[str]:
    """The validate report as lines of text (file names and messages not yet made safe to print)."""
    lines: list[str] = []
    for report in reports:
        if report.found:
            lines.append(f"{shown_path(report.path)}: {report.found} problem(s)")
            lines += [f"  {m}" for m in report.problems]
            if report.unlisted:
                lines.append(f"  ... and {report.unlisted:,} more (validate lists the first {MAX_LISTED:,} problems)")
        else:
            lines.append(
                f"{shown_path(report.path)}: ok ({report.treatments} treatments, {report.conditions} conditions)"
            )
    lines += [f"conflict: {c}" for c in conflicts]
    return lines
