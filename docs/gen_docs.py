"""Regenerate the documentation that is derived from the program itself.

- docs/cli.md: the command reference, from every command's --help, and the environment
  variables, from src/backcare/env.py.
- docs/schema.md: the knowledge-base file format, from the specification in backcare/schema.py.
- README.md and docs/examples.md: every block between `<!-- run: ARGS -->` and `<!-- /run -->`
  is replaced by the real output of `backcare ARGS` (bundled knowledge base only, fixed width
  and date).
- src/backcare/data/completion/{backcare.bash,_backcare,backcare.fish}: the completion scripts,
  and src/backcare/data/man/backcare.1: the manual page, installed with the package.

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

from typer import _click
from typer.main import get_command
from typer.testing import CliRunner

from backcare import __version__
from backcare.cli import app
from backcare.env import VARIABLES
from backcare.schema_doc import markdown as schema_reference
from backcare.typer_compat import completion_script

ROOT = Path(__file__).resolve().parent.parent
CLI_MD = ROOT / "docs" / "cli.md"
SCHEMA_MD = ROOT / "docs" / "schema.md"
README = ROOT / "README.md"
EXAMPLES = ROOT / "docs" / "examples.md"
DATA = ROOT / "src" / "backcare" / "data"
COMPLETION = {"bash": DATA / "completion" / "backcare.bash", "zsh": DATA / "completion" / "_backcare"}
COMPLETION["fish"] = DATA / "completion" / "backcare.fish"
MAN = DATA / "man" / "backcare.1"
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


def _roff(text: str) -> str:
    """Plain text as roff: backslashes and hyphens escaped, no line starting with a control character."""
    text = text.replace("\\", "\\e").replace("-", "\\-").replace("\b", "")
    return "\n".join(("\\&" + line if line.startswith((".", "'")) else line) for line in text.splitlines())


def _options(command: _click.Command, ctx: _click.Context) -> list[str]:
    out: list[str] = []
    for param in command.params:
        record = param.get_help_record(ctx)
        if record and param.param_type_name == "argument":  # its own help, without Typer's "[required]"
            record = (record[0], getattr(param, "help", "") or "")
        if record:
            out += [".TP", f"\\fB{_roff(record[0])}\\fR", _roff(record[1])]
    return out


def manpage() -> str:
    """backcare.1, from the same command definitions as --help."""
    group = get_command(app)
    ctx = _click.Context(group, info_name="backcare")
    help_text = (group.help or "").split("\n\n")
    out = [
        f'.TH BACKCARE 1 "" "backcare {__version__}" "User Commands"',
        ".SH NAME",
        "backcare \\- an offline reference on treatments for back pain",
        ".SH SYNOPSIS",
        ".B backcare",
        "[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]...",
        ".SH DESCRIPTION",
        _roff(help_text[0]),
        ".SH OPTIONS",
        *_options(group, ctx),
        ".SH COMMANDS",
    ]
    for name in commands():
        command = group.commands[name]  # type: ignore[attr-defined]
        sub = _click.Context(command, info_name=name, parent=ctx)
        pieces = " ".join(command.collect_usage_pieces(sub))
        out += [f'.SS "backcare {name} {_roff(pieces)}"', _roff(command.help or ""), *_options(command, sub)]
    out += [
        ".SH FILES",
        "Every *.yaml in $XDG_DATA_HOME/backcare (default ~/.local/share/backcare) is a layer over the bundled",
        "knowledge base; parsed files are cached in $XDG_CACHE_HOME/backcare. \\fBbackcare paths\\fR lists them.",
        ".SH ENVIRONMENT",
        "BACKCARE_DATA (colon\\-separated \\-\\-data files), BACKCARE_NO_CACHE, BACKCARE_PAGER, PAGER, NO_COLOR,",
        "FORCE_COLOR, BACKCARE_DEBUG (show the traceback of an unexpected error).",
        ".SH EXIT STATUS",
        _roff(help_text[-1]),
        ".SH NOTES",
        "backcare is a reference, not medical advice.",
        "The code is under the MIT licence; the knowledge base under CC BY 4.0.",
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    os.environ.pop("BACKCARE_DATA", None)
    wanted = {CLI_MD: cli_reference(), SCHEMA_MD: schema_reference(), README: readme(), EXAMPLES: examples()}
    wanted[MAN] = manpage()
    wanted.update({path: completion_script(shell) for shell, path in COMPLETION.items()})
    stale = [path for path, text in wanted.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
    if "--check" in argv:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run python docs/gen_docs.py", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wanted[path], encoding="utf-8")
        print(f"rewrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
