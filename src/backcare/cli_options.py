"""The options the commands share, declared once: the global ones (given before or after the
command) and the output ones. cli.py declares the commands with them."""

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from backcare import __version__
from backcare.model import CATEGORIES
from backcare.output import Color, Format, Output, Paper, write

if TYPE_CHECKING:  # costs nothing at run time; mypy sees the knowledge base in every command
    from backcare.kb import KnowledgeBase

Category = enum.Enum("Category", {c.replace("-", "_"): c for c in CATEGORIES}, type=str)  # type: ignore[misc]


class Settings(NamedTuple):
    data: list[Path]
    data_only: Path | None = None
    output: Output = Output()

    def load(self) -> "KnowledgeBase":
        from backcare import kb
        from backcare.output import say_warning

        return kb.load(self.data, self.data_only, warn=say_warning)


def settings_of(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, Settings) else Settings(data=[])


def _version(value: bool) -> None:
    if value:
        write(f"backcare {__version__}\n")
        raise typer.Exit()


DataOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        metavar="PATH",
        help=(
            "Add a knowledge-base file as a layer over the bundled one (entries with the same id "
            "replace it). Repeatable; default: $BACKCARE_DATA, a colon-separated list. "
            "Example: --data clinic.yaml"
        ),
    ),
]

DataOnlyOption = Annotated[
    Path | None,
    typer.Option(
        "--data-only",
        metavar="PATH",
        help="Use this one self-contained file alone, instead of the bundled and user layers. "
        "Example: --data-only my-kb.yaml",
    ),
]

ColorOption = Annotated[
    Color,
    typer.Option(
        "--color",
        help="Colour: auto (on a terminal, unless NO_COLOR is set), always (e.g. for 'less -R'), never.",
    ),
]

PagerOption = Annotated[
    bool,
    typer.Option(
        "--pager/--no-pager",
        help="On a terminal, page output taller than the screen with $BACKCARE_PAGER, $PAGER or 'less' "
        "(LESS=FRX unless LESS is set). Never in a pipe. BACKCARE_PAGER=cat also turns it off.",
    ),
]

VersionOption = Annotated[
    bool,
    typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
]
FullOption = Annotated[
    bool,
    typer.Option("--full", help="Everything: every section, every source, pictures of the natural frequencies."),
]
FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: table on a terminal, plain (tab-separated) in a pipe. "
        "html: a printable page (a handout).",
    ),
]
PaperOption = Annotated[Paper, typer.Option("--paper", help="Paper size of an HTML handout (--format html).")]
