"""Regenerate the documentation that is derived from the program itself.

- docs/cli.md: the command reference, from every command's --help, and the environment
  variables, from src/backcare/env.py.
- docs/schema.md: the knowledge-base file format, from the specification in backcare/schema.py.
- README.md and docs/examples.md: every block between `<!-- run: ARGS -->` and `<!-- /run -->`
  is replaced by the real output of `backcare ARGS` (bundled knowledge base only, fixed width
  and date).

    python docs/gen_docs.py           # rewrite the stale files
    python docs/gen_docs.py --check   # exit 1 if any is stale (tests/test_docs.py does this)
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from backcare.cli import app
from backcare.env import VARIABLES
from backcare.schema_doc import markdown as schema_reference

ROOT = Path(__file__).resolve().parent.parent
CLI_MD = ROOT / "docs" / "cli.md"
SCHEMA_MD = ROOT / "docs" / "schema.md"
README = ROOT / "README.md"
EXAMPLES = ROOT / "docs" / "examples.md"
RUN_BLOCK = re.compile(r"(<!-- run: (?P<args>.*?) -->\n)(?P<body>.*?)(<!-- /run -->)", re.DOTALL)
ENV = {"COLUMNS": "100", "TERMINAL_WIDTH": "100", "BACKCARE_TODAY": "2026-11-25", "NO_COLOR": "1"}


def _invoke(args: list[str]) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**ENV, "XDG_DATA_HOME": tmp, "XDG_CACHE_HOME": tmp, "HOME": tmp, "BACKCARE_DATA": ""}
        result = CliRunner().invoke(app, args, env=env)
    # Paths differ between checkouts; show where the bundled file lives inside the package.
    return result.stdout.replace(str(ROOT / "src") + "/", ".../site-packages/").rstrip() + "\n"


def commands() -> list[str]:
    group = get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def cli_reference() -> str:
    out = [
        "# Command reference",
        "",
        "Generated from `--help` by `python docs/gen_docs.py`; `tests/test_docs.py` fails when it is stale.",
        "",
        "## backcare",
        "",
        "```text",
        _invoke(["--help"]).rstrip(),
        "```",
        "",
    ]
    for name in commands():
        out += [f"## backcare {name}", "", "```text", _invoke([name, "--help"]).rstrip(), "```", ""]
    out += ["## Environment", "", "Generated from `src/backcare/env.py`.", ""]
    out += ["| variable | meaning |", "| --- | --- |"]
    out += [f"| `{name}` | {meaning} |" for name, meaning in VARIABLES.items()]
    return "\n".join(out) + "\n"


def readme() -> str:
    return examples_in(README)


def examples() -> str:
    return examples_in(EXAMPLES)


def examples_in(path: Path) -> str:
    text = path.read_text(encoding="utf-8")

    def replace(match: re.Match[str]) -> str:
        output = _invoke(shlex.split(match.group("args")))
        return f"{match.group(1)}```text\n{output}```\n{match.group(4)}"

    return RUN_BLOCK.sub(replace, text)


def main(argv: list[str]) -> int:
    os.environ.pop("BACKCARE_DATA", None)
    wanted = {CLI_MD: cli_reference(), SCHEMA_MD: schema_reference(), README: readme(), EXAMPLES: examples()}
    stale = [path for path, text in wanted.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
    if "--check" in argv:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run python docs/gen_docs.py", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
        print(f"rewrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
