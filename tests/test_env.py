"""Issue 11.6: the environment variables the program reads are listed in one place (env.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from backcare.env import VARIABLES

SRC = Path(__file__).resolve().parent.parent / "src" / "backcare"


def _is_environ(node: ast.AST) -> bool:
    """`os.environ` (or a bare `environ`)."""
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def reads(path: Path) -> list[tuple[str | None, int]]:
    """Each variable `path` reads: os.environ.get("X"), os.environ["X"], os.getenv("X"), "X" in os.environ.

    None stands for a read whose name is not a string literal (the test fails on those too: a
    name built at run time could not be checked).
    """
    found: list[tuple[str | None, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        key: ast.AST | None = None
        func = node.func if isinstance(node, ast.Call) else None
        if (
            isinstance(node, ast.Call)
            and isinstance(func, ast.Attribute)
            and (
                (func.attr == "get" and _is_environ(func.value))
                or (func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os")
            )
        ):
            key = node.args[0] if node.args else None
        elif isinstance(node, ast.Subscript) and _is_environ(node.value) and isinstance(node.ctx, ast.Load):
            key = node.slice
        elif isinstance(node, ast.Compare) and any(_is_environ(c) for c in node.comparators):
            key = node.left
        else:
            continue
        name = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
        found.append((name, node.lineno))
    return found


def test_every_variable_the_code_reads_is_listed() -> None:
    missing = [
        f"{path.relative_to(SRC)}:{line} reads {name or 'a variable whose name is not a literal'}"
        for path in sorted(SRC.rglob("*.py"))
        for name, line in reads(path)
        if name not in VARIABLES
    ]
    assert missing == []


def test_the_list_is_not_padded_with_unused_names() -> None:
    read = {name for path in SRC.rglob("*.py") for name, _ in reads(path)}
    read_by_libraries = {"NO_COLOR", "COLUMNS", "LINES"}  # Rich and shutil read these for us
    assert set(VARIABLES) - read - read_by_libraries == set()


def test_the_finder_sees_every_form(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(
        "import os\nos.environ.get('A')\nos.environ['B']\nos.getenv('C')\n'D' in os.environ\nos.environ.get(x)\n"
    )
    assert [name for name, _ in reads(planted)] == ["A", "B", "C", "D", None]


def test_the_reference_lists_every_variable() -> None:
    reference = (SRC.parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in VARIABLES:
        assert f"| `{name}` |" in reference
