"""The house rules (README "Development"), checked on the source itself with the AST.

Imports inside functions count: a lazy import is still an import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "backcare"
# The core: data in, data out. No terminal, no command line.
CORE = (
    "errors",
    "model",
    "schema",
    "schema_doc",
    "checker",
    "kb",
    "store",
    "yamlfile",
    "validate",
    "search",
    "views",
    "paths",
    "fuzzy",
    "readability",
    "cache",
    "private",
    "controls",
    "completion",
)
UI_LIBRARIES = ("rich", "typer")


def modules() -> dict[str, Path]:
    return {
        ".".join(p.relative_to(SRC).with_suffix("").parts): p
        for p in sorted(SRC.rglob("*.py"))
        if "__pycache__" not in p.parts
    }


def imports(path: Path) -> list[tuple[str, int]]:
    """Every module `path` imports, with the line, wherever the import statement stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, node.lineno))
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def violations(names: list[str], rule: object) -> list[str]:
    table = modules()
    out = []
    for name in names:
        for imported, line in imports(table[name]):
            if rule(imported):  # type: ignore[operator]
                out.append(f"{name}.py:{line} imports {imported}")
    return out


def test_the_module_list_is_real() -> None:
    """A rule over a module that no longer exists would pass silently."""
    assert set(CORE) <= set(modules())


def test_core_modules_import_no_ui_library() -> None:
    def is_ui(name: str) -> bool:
        return name.split(".")[0] in UI_LIBRARIES

    assert violations(list(CORE), is_ui) == []


def test_views_and_core_never_import_renderers_or_the_cli() -> None:
    def is_front(name: str) -> bool:
        return name.startswith(("backcare.render", "backcare.cli", "backcare.output", "backcare.typer_compat"))

    core_without_completion = [m for m in CORE if m != "completion"]  # completion cleans help text
    assert violations(core_without_completion, is_front) == []


def test_render_never_imports_the_cli() -> None:
    render = [m for m in modules() if m.startswith("render")]
    assert render, "no render modules found"

    def is_cli(name: str) -> bool:
        return name.startswith(("backcare.cli", "backcare.typer_compat", "typer"))

    assert violations(render, is_cli) == []


def test_typer_internals_only_in_typer_compat() -> None:
    def is_internal(name: str) -> bool:
        return name.startswith("typer.") and name not in ("typer.Typer", "typer.Context", "typer.Exit")

    others = [m for m in modules() if m != "typer_compat"]
    bad = [v for v in violations(others, is_internal) if not v.endswith((".Option", ".Argument"))]
    assert bad == []


def test_nothing_in_src_imports_the_tests() -> None:
    def is_test(name: str) -> bool:
        return name.split(".")[0] in ("tests", "conftest", "kbfactory", "pytest")

    assert violations(list(modules()), is_test) == []


def _literal_exit_calls(path: Path) -> list[int]:
    """Lines that end the run with a literal status: sys.exit(2), SystemExit(1), typer.Exit(1)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name not in ("exit", "SystemExit", "Exit"):
            continue
        args = list(node.args) + [k.value for k in node.keywords if k.arg in ("code", "status")]
        if any(isinstance(a, ast.Constant) and isinstance(a.value, int) and a.value != 0 for a in args):
            lines.append(node.lineno)
    return lines


def test_exit_codes_are_decided_in_one_module() -> None:
    table = modules()
    found = {name: _literal_exit_calls(path) for name, path in table.items() if name != "errors"}
    assert {name: lines for name, lines in found.items() if lines} == {}


@pytest.mark.parametrize("limit", [500])
def test_no_module_is_too_long_to_read(limit: int) -> None:
    long = {name: n for name, path in modules().items() if (n := len(path.read_text().splitlines())) > limit}
    assert long == {}
    assert len((SRC / "cli.py").read_text().splitlines()) <= 450
    assert len((SRC / "kb.py").read_text().splitlines()) <= 320


def test_the_rules_catch_a_violation(tmp_path: Path) -> None:
    """The checks themselves can fail: a planted lazy Rich import and a literal exit are found."""
    planted = tmp_path / "planted.py"
    planted.write_text("def f():\n    import rich.console\n    raise SystemExit(3)\n")
    assert ("rich.console", 2) in imports(planted)
    assert _literal_exit_calls(planted) == [3]
