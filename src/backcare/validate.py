"""`backcare validate`: every problem of every file, checked against the layers under it.

Run-time loading (store.py) stops at a file's first problem; validation collects them all, each
file parsed once. Files named on the command line are checked in place in the stack the program
reads (the bundled file, the user's files, then each named file as a --data layer), so a clash
with a bundled name, an `extends` with nothing under it or an unknown condition is found before
a patient meets it. Only the named files are reported; without names, every layer is.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from backcare.errors import InvalidKnowledgeBase
from backcare.paths import BUNDLED
from backcare.store import IndexRow, Layer, extended, extension_problems, load_file
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
            str(path), 0, "", "", "the file holds only comments (expected a mapping with a 'treatments' list)"
        )
        return FileContent({}, [], [], []), [problem]
    return validate_file(data, str(path), require_about=require_about, known_conditions=known_conditions)


class FileReport(NamedTuple):
    path: Path
    problems: list[Problem]  # sorted by line, each once
    treatments: int
    conditions: int


class Report(NamedTuple):
    files: list[FileReport]
    overrides: list[str]  # every entry of a checked file that replaces or takes a name of a bundled one
    shadowed: list[Problem]  # overrides of a bundled entry reviewed after them (problems under --strict)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]


class Named(NamedTuple):
    """An entry's names, enough for kb.name_index."""

    id: str
    name: str
    keys: list[str]
    origin: str
    overrides: list[str]


def expand(paths: Sequence[Path]) -> list[Path]:
    """Files as given; a folder stands for its *.yaml files, in name order."""
    out: list[Path] = []
    for path in paths:
        found = sorted(p for p in path.glob("*.yaml") if p.is_file()) if path.is_dir() else []
        out += found or [path]  # an empty folder is reported as what it is
    return list(dict.fromkeys(out))


def stack(paths: Sequence[Path], data: Sequence[Path], data_only: Path | None) -> tuple[list[Layer], list[int]]:
    """The layers to read and the positions of those to report: every layer when no path is
    given; else each path in place (a layer it already is) or as a --data layer on top."""
    from backcare.kb import layers_for

    layers = layers_for(data, data_only)
    if not paths:
        return layers, list(range(len(layers)))
    checked: list[int] = []
    where = {_resolved(layer.path): i for i, layer in enumerate(layers)}
    for path in expand(paths):
        i = where.get(_resolved(path))
        if i is None:
            layers.append(Layer(path, "data"))
            i = where[_resolved(path)] = len(layers) - 1
        checked.append(i)
    return layers, list(dict.fromkeys(checked))


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (reported when it is read)
        return path


def _read_problem(path: Path, message: str) -> Problem:
    from backcare.schema import Problem

    match = re.match(re.escape(str(path)) + r":(\d+)(?::\d+)?: (.*)", message, re.DOTALL)
    if match:
        return Problem(str(path), int(match.group(1)), "", "", match.group(2))
    return Problem(str(path), 0, "", "", message.removeprefix(f"{path}: "))


def _node_line(data: Any, tid: str, key: str) -> int:
    """The line of `key` in the treatment `tid` of a parsed file (0 when it cannot be found)."""
    items = data.get("treatments") if isinstance(data, dict) else None
    for node in items if isinstance(items, list) else ():
        if isinstance(node, dict) and tid in (node.get("id"), node.get("extends")):
            return int(getattr(node, "key_lines", {}).get(key, getattr(node, "line", 0)))
    return 0


def check_layers(layers: Sequence[Layer], checked: Sequence[int] | None = None, *, strict: bool = False) -> Report:
    """Validate the `checked` layers (default: all) as the program would read them over the others."""
    from backcare import editorial
    from backcare.kb import name_index
    from backcare.schema import Problem, validate_file

    checked = list(range(len(layers))) if checked is None else list(checked)
    parsed: list[tuple[Layer, Any, Problem | None]] = []
    for layer in layers:
        try:
            parsed.append((layer, parse_yaml(read_text(layer.path), layer.path), None))
        except InvalidKnowledgeBase as exc:
            parsed.append((layer, None, _read_problem(layer.path, str(exc))))
    known: set[str] = set()
    if all(layer.path != BUNDLED for layer in layers):
        with contextlib.suppress(InvalidKnowledgeBase):
            known |= {c["id"] for c in load_file(Layer(BUNDLED, "base")).conditions}
    for _, data, _ in parsed:
        conditions = data.get("conditions") if isinstance(data, dict) else None
        if isinstance(conditions, list):
            known |= {c["id"] for c in conditions if isinstance(c, dict) and isinstance(c.get("id"), str)}

    problems: dict[int, list[Problem]] = {i: [] for i in checked}
    counts: dict[int, tuple[int, int]] = {}
    final: dict[str, tuple[int, dict[str, Any]]] = {}  # id -> (layer position, record), as merged
    first: dict[str, dict[str, Any]] = {}  # the bundled records, by id
    for i, (layer, data, error) in enumerate(parsed):
        report = i in problems
        if error is not None or data is None:
            if report:
                found = [error] if error else check_file(layer.path, require_about=False)[1]
                problems[i] += [p for p in found if p is not None]
            continue
        content, found = validate_file(
            data, str(layer.path), require_about=layer.role == "base", known_conditions=known
        )
        if report:
            problems[i] += found
            counts[i] = (len(content.treatments), len(content.conditions))
        elif found:
            continue  # a broken layer under the checked ones: the program skips it too
        for rec in content.treatments:
            tid = rec.get("id")
            if not tid:
                continue
            rec["origin"] = layer.label
            if layer.is_bundled:
                first[tid] = rec
            if rec.get("extends"):
                under = final.get(rec["extends"])
                if under is None:
                    if report:
                        line = _node_line(data, tid, "extends")
                        message = f"no earlier layer has an entry '{rec['extends']}' to extend"
                        problems[i].append(Problem(str(layer.path), line, tid, "extends", message))
                    continue
                rec = extended(under[1], rec)
                if report:
                    line = _node_line(data, tid, "extends")
                    problems[i] += [
                        Problem(str(layer.path), line, tid, "", m.split(f"entry '{tid}' ", 1)[-1])
                        for m in extension_problems(rec, str(layer.path), sorted(known))
                    ]
            final[tid] = (i, rec)

    named = sorted(
        (
            (pos, Named(r["id"], r.get("name", ""), IndexRow.of(r).keys, r["origin"], r.get("overrides", [])))
            for pos, r in final.values()
        ),
        key=lambda item: item[0],
    )
    index = name_index([n for _, n in named])
    position = {layer.label: i for i, layer in enumerate(layers)}
    for clash in index.clashes:
        i = position[clash.claimant_origin]
        if i in problems:
            rec = final[clash.claimant][1]
            field = _name_field(rec, clash.name)
            message = (
                f"'{clash.name}' is already a name of '{clash.kept}' ({clash.kept_origin}), which keeps it; "
                f"rename it, or declare 'overrides: [{clash.name}]' to take it over"
            )
            line = _node_line(parsed[i][1], clash.claimant, field)
            problems[i].append(Problem(str(layers[i].path), line, clash.claimant, field, message))

    overrides: list[str] = []
    shadowed: list[Problem] = []
    taken = {(t.by, t.previous) for t in index.takeovers if t.previous_origin == "bundled"}
    for tid, (i, rec) in final.items():
        if i not in problems or layers[i].is_bundled:
            continue
        replaced = [tid] if tid in first else []
        names = sorted({prev for by, prev in taken if by == tid} - set(replaced))
        if not replaced and not names:
            continue
        how = "extends" if rec.get("extends") else "replaces" if replaced else "takes names of"
        overrides.append(
            f"{layers[i].path}: entry '{tid}' {how} the bundled entry " + ", ".join(f"'{n}'" for n in replaced + names)
        )
        for bundled_id in replaced + names:
            theirs, ours = first[bundled_id].get("last_reviewed", ""), rec.get("last_reviewed", "")
            if theirs and ours and theirs > ours:
                line = _node_line(parsed[i][1], tid, "last_reviewed")
                message = (
                    f"the bundled entry '{bundled_id}' was reviewed on {theirs}, after this entry ({ours}): "
                    "a shadowed update; compare them and update this entry and its last_reviewed"
                )
                shadowed.append(Problem(str(layers[i].path), line, tid, "last_reviewed", message))

    if strict:
        for tid, (i, rec) in final.items():
            if i in problems:
                path, data = str(layers[i].path), parsed[i][1]
                for field, message in editorial.problems(rec):
                    line = _node_line(data, tid, re.split(r"[.\[]", field)[0]) or _node_line(data, tid, "id")
                    problems[i].append(Problem(path, line, tid, field, f"{message} (--strict)"))
        for p in shadowed:
            problems[position_of(layers, p.path)].append(p)

    files = [
        FileReport(layers[i].path, sorted(dict.fromkeys(problems[i]), key=lambda p: p.line), *counts.get(i, (0, 0)))
        for i in checked
    ]
    return Report(files, overrides, [] if strict else shadowed)


def position_of(layers: Sequence[Layer], path: str) -> int:
    return next(i for i, layer in enumerate(layers) if str(layer.path) == path)


def _name_field(rec: dict[str, Any], key: str) -> str:
    from backcare.model import normalise

    if key == rec.get("id"):
        return "id"
    if any(normalise(a) == key for a in rec.get("aliases", ())):
        return "aliases"
    return "name"


MAX_LISTED = 1000  # problems listed in one run; the rest are counted (a broken 16 MB file has millions)


def report_lines(report: Report) -> list[str]:
    """The validate report as lines of text: file names escaped (a newline in a name cannot forge
    a line), at most MAX_LISTED problems listed in all and the rest counted."""
    from backcare.controls import shown_path

    lines: list[str] = []
    room = MAX_LISTED
    for f in report.files:
        if f.problems:
            lines.append(f"{shown_path(f.path)}: {len(f.problems)} problem(s)")
            lines += [f"  {p}" for p in f.problems[:room]]
            if len(f.problems) > room:
                more = len(f.problems) - room
                lines.append(f"  ... and {more:,} more (validate lists the first {MAX_LISTED:,} problems)")
            room = max(room - len(f.problems), 0)
        else:
            lines.append(f"{shown_path(f.path)}: ok ({f.treatments} treatments, {f.conditions} conditions)")
    lines += [f"override: {line}" for line in report.overrides]
    lines += [f"shadowed update: {p}" for p in report.shadowed]
    return lines


def report_data(report: Report) -> list[dict[str, object]]:
    """`validate --format json`: every problem as {file, line, entry, field, message}."""
    return [
        {"file": p.path, "line": p.line, "entry": p.entry, "field": p.field, "message": p.message}
        for p in report.problems
    ]
