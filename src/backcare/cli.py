"""The commands: each parses its arguments, asks the core, and hands the result to `Output`.

Exit codes: 0 ok; 1 not found, no match or invalid knowledge base; 2 usage error (errors.py).
Failures are raised as exceptions and turned into one stderr line in one place, the error
boundary in typer_compat.OneLineErrors. Rich is imported only when a table is printed; JSON,
plain and Markdown output and shell completion never import it.
"""

import contextlib
import datetime as dt
import enum
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from backcare import __version__, completion
from backcare.errors import InvalidKnowledgeBase, NoMatch, UsageError
from backcare.model import CATEGORIES
from backcare.output import Color, Format, Output, ReportFormat, ShowFormat, charset, is_utf, write
from backcare.typer_compat import OneLineErrors

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


app = typer.Typer(
    name="backcare",
    cls=OneLineErrors,
    add_completion=False,  # OneLineErrors adds --show-completion/--install-completion [SHELL]
    help=(
        "An offline reference on treatments for back pain: what each is, how it is done, "
        "recovery, risks, how good the evidence is and what guidelines say. "
        "A reference, not medical advice.\n\n"
        "Exit codes: 0 ok; 1 not found, no match or invalid knowledge base; 2 usage error."
    ),
    rich_markup_mode=None,  # help text is plain: "[heat]" in help stays "[heat]"
    pretty_exceptions_show_locals=False,  # locals can hold a user's own notes
    pretty_exceptions_short=True,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _settings(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, Settings) else Settings(data=[])


def _today() -> dt.date:
    override = os.environ.get("BACKCARE_TODAY")  # a fixed clock for tests and reproducible output
    if override:
        try:
            return dt.date.fromisoformat(override)
        except ValueError:
            raise UsageError(f"BACKCARE_TODAY={override!r} is not a date YYYY-MM-DD") from None
    return dt.date.today()


def _version(value: bool) -> None:
    if value:
        write(f"backcare {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data: Annotated[
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
    ] = None,
    data_only: Annotated[
        Path | None,
        typer.Option(
            "--data-only",
            metavar="PATH",
            help="Use this one self-contained file alone, instead of the bundled and user layers. "
            "Example: --data-only my-kb.yaml",
        ),
    ] = None,
    color: Annotated[
        Color,
        typer.Option(
            "--color",
            help="Colour: auto (on a terminal, unless NO_COLOR is set), always (e.g. for 'less -R'), never.",
        ),
    ] = Color.auto,
    pager: Annotated[
        bool,
        typer.Option(
            "--pager",
            help="Page long 'show' and 'compare' output on a terminal with $BACKCARE_PAGER, $PAGER or 'less -R'.",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    ctx.obj = Settings(data=list(data or ()), data_only=data_only, output=Output(color, pager))


FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: table on a terminal, plain (tab-separated) in a pipe.",
    ),
]


@app.command("list")
def list_command(
    ctx: typer.Context,
    category: Annotated[
        Category | None,
        typer.Option("--category", "-c", help="Only this category. Example: --category alternative"),
    ] = None,
    treats: Annotated[
        str | None,
        typer.Option(
            "--treats",
            "-t",
            help="Only treatments used for a condition whose id or name contains TEXT. Example: --treats sciatica",
            autocompletion=completion.conditions,
        ),
    ] = None,
    fmt: FormatOption = None,
) -> None:
    """List treatments with a one-line summary.

    Filter by category, or by a condition's id or name.

    \b
    Example: backcare list --treats sciatica
    """
    settings = _settings(ctx)
    base = settings.load()
    entries = base.treating(treats) if treats is not None else list(base.entries)
    if category is not None:
        entries = [e for e in entries if e.category == category.value]
    if not entries:
        wanted = " and ".join(
            part
            for part in (
                f"category '{category.value}'" if category is not None else "",
                f"condition '{treats}'" if treats is not None else "",
            )
            if part
        )
        raise NoMatch(f"no treatments match {wanted} (see 'backcare conditions')")
    out = settings.output
    chosen = out.format(fmt)
    if chosen is Format.json:
        out.json_bytes(base.json_array(entries))
        return
    from backcare.views import list_view

    layered = any(e.origin != "bundled" for e in base.entries)
    out.view(list_view(entries, show_origin=layered or chosen is Format.plain), chosen)


@app.command()
def show(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="ID_OR_ALIAS",
            help="A treatment id, alias or name (any case). Example: kyphoplasty",
            autocompletion=completion.treatments,
        ),
    ],
    fmt: Annotated[ShowFormat | None, typer.Option("--format", "-f", help="As for list; yaml: a file to edit.")] = None,
) -> None:
    """Everything about one treatment, with its sources.

    \b
    Example: backcare show kyphoplasty
    """
    settings = _settings(ctx)
    base = settings.load()
    treatment = base.resolve(name)
    if fmt is not None and fmt.value == "yaml":
        from backcare.authoring import layer_file

        write(layer_file(base, base.names[treatment.id]))
        return
    out = settings.output
    chosen = out.format(Format(fmt.value) if fmt is not None else None)
    if chosen is Format.json:
        out.json(base.names[treatment.id].record)
        return
    from backcare.views import show_view

    out.view(show_view(base, treatment, _today()), chosen, page=True)


@app.command()
def compare(
    ctx: typer.Context,
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="A B [C ...]",
            help="Two or more treatment ids, aliases or names. Example: rfa epidural",
            autocompletion=completion.treatments,
        ),
    ],
    fmt: FormatOption = None,
) -> None:
    """Two or more treatments side by side.

    One column per treatment, one row per question.

    \b
    Example: backcare compare rfa epidural
    """
    settings = _settings(ctx)
    base = settings.load()
    treatments = list({t.id: t for t in (base.resolve(name) for name in names)}.values())
    if len(treatments) < 2:
        raise UsageError(
            "compare needs at least two different treatments"
            + (f" ('{' and '.join(names)}' are the same treatment)" if len(names) > 1 else "")
        )
    out = settings.output
    chosen = out.format(fmt)
    if chosen is Format.json:
        out.json_bytes(base.json_array([base.names[t.id] for t in treatments]))
        return
    from backcare.views import compare_view

    out.view(compare_view(base, treatments, _today()), chosen, page=True)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(metavar="QUERY...", help="Words to look for. Example: nerve pain")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most N results. Example: --limit 3")] = 10,
    fmt: FormatOption = None,
) -> None:
    """Ranked full-text search; tolerates small typos.

    Searches names, aliases, summaries, descriptions, conditions, benefits, risks and procedure
    text.

    \b
    Example: backcare search nerve pain
    """
    from backcare.search import search as run_search
    from backcare.search import words

    text = " ".join(query)
    if not words(text):
        raise UsageError("the search query is empty (give at least one word)")
    settings = _settings(ctx)
    hits = run_search(text, settings.load().entries, limit=limit)
    if not hits:
        raise NoMatch(f"no treatment matches '{text}'")
    out = settings.output
    chosen = out.format(fmt)
    from backcare.views import search_data, search_view

    if chosen is Format.json:
        out.json(search_data(hits))
        return
    out.view(search_view(hits), chosen)


@app.command()
def conditions(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Conditions, their natural course and their treatments.

    \b
    Example: backcare conditions
    """
    settings = _settings(ctx)
    base = settings.load()
    out = settings.output
    chosen = out.format(fmt)
    from backcare.views import conditions_data, conditions_view

    if chosen is Format.json:
        out.json(conditions_data(base))
        return
    out.view(conditions_view(base, for_terminal=chosen is Format.table), chosen)


@app.command()
def glossary(
    ctx: typer.Context,
    term: Annotated[str | None, typer.Argument(help="A term to define. Example: sham-controlled")] = None,
    fmt: FormatOption = None,
) -> None:
    """Plain-language definitions of terms used in entries.

    \b
    Example: backcare glossary sham-controlled
    """
    settings = _settings(ctx)
    base = settings.load()
    from backcare.views import glossary_view, table_data

    view = glossary_view(base, term)
    if not view.rows:
        close = base.glossary_suggestions(term or "")
        hint = f"; did you mean {' or '.join(close)}?" if close else " (see 'backcare glossary')"
        raise NoMatch(f"no glossary term '{term}'{hint}")
    out = settings.output
    chosen = out.format(fmt)
    if chosen is Format.json:
        out.json(table_data(view))
        return
    out.view(view, chosen)


@app.command()
def about(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Version, review date, funding and update policy.

    Also the conflicts of interest, the files read and the disclaimer.

    \b
    Example: backcare about
    """
    settings = _settings(ctx)
    base = settings.load()
    out = settings.output
    chosen = out.format(fmt)
    from backcare.views import about_data, about_view

    if chosen is Format.json:
        out.json(about_data(base))
        return
    out.view(about_view(base), chosen)


@app.command()
def paths(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Files and directories backcare reads.

    Shows whether each exists and where each setting came from.

    \b
    Example: backcare paths
    """
    from backcare import paths as where
    from backcare.views import paths_view, table_data

    settings = _settings(ctx)
    view = paths_view(where.rows(settings.data, settings.data_only))
    out = settings.output
    chosen = out.format(fmt)
    if chosen is Format.json:
        out.json(table_data(view))
        return
    out.view(view, chosen)


@app.command()
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            help="Files or folders (their *.yaml) to check over the bundled and user layers. Default: every layer.",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Add the editorial rules (sources, plain words).")] = False,
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="text, or json: a list of {file, line, entry, field, message}."),
    ] = ReportFormat.text,
) -> None:
    """Check knowledge-base files; report every problem, every override and shadowed updates.

    Each problem as file:line, entry and field, in line order. Exit 1 if any.

    \b
    Example: backcare validate clinic.yaml
    """
    from backcare.render.text import clean
    from backcare.validate import check_layers, report_data, report_lines, stack

    settings = _settings(ctx)
    report = check_layers(*stack(paths or [], settings.data, settings.data_only), strict=strict)
    if fmt is ReportFormat.json:
        settings.output.json(report_data(report))
    else:
        write("".join(f"{clean(line, ascii_only=charset() == 'ascii')}\n" for line in report_lines(report)))
    if report.problems:
        raise InvalidKnowledgeBase(f"{len(report.problems)} problem(s) found")


@app.command()
def new(
    tid: Annotated[str, typer.Argument(metavar="ID", help="The new entry's id. Example: hydrotherapy")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """A commented layer file with one new entry; validate refuses it until every TODO is filled.

    \b
    Example: backcare new hydrotherapy --output clinic.yaml
    """
    from backcare.authoring import skeleton, write_new

    text = skeleton(tid, _today())
    if not write_new(text, output, force):
        write(text)


def main() -> None:
    if not is_utf(sys.stdout):
        with contextlib.suppress(AttributeError, ValueError):
            sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    app(prog_name="backcare")
