"""The commands: each parses its arguments, asks the core, and hands the result to `Output`.

Exit codes: 0 ok; 1 not found, no match or invalid knowledge base; 2 usage error (errors.py).
Failures are raised as exceptions and turned into one stderr line in one place, the error
boundary in typer_compat.OneLineErrors. Rich is imported only when a table is printed; JSON,
plain and Markdown output and shell completion never import it.
"""

import contextlib
import sys
from pathlib import Path
from typing import Annotated

import typer

from backcare import completion
from backcare.cli_options import (
    Category,
    ColorOption,
    DataOnlyOption,
    DataOption,
    FormatOption,
    FullOption,
    PagerOption,
    PaperOption,
    Settings,
    VersionOption,
    settings_of,
)
from backcare.errors import InvalidKnowledgeBase, NoMatch, NotFound, UsageError
from backcare.output import Color, Format, Output, Paper, ReportFormat, ShowFormat, charset, is_utf, say_note, write
from backcare.typer_compat import IMPLICIT_SHOW, OneLineErrors, build_lazily

app = typer.Typer(
    name="backcare",
    cls=OneLineErrors,
    add_completion=False,  # OneLineErrors adds --show-completion/--install-completion [SHELL]
    help=(
        "An offline reference on treatments for back pain: what each is, how it is done, "
        "recovery, risks, how good the evidence is and what guidelines say. "
        "A reference, not medical advice.\n\n"
        "'backcare NAME' is short for 'backcare show NAME'. The options below may also follow "
        "the command: backcare show epidural --color never.\n\n"
        "Exit codes: 0 ok; 1 not found, no match or invalid knowledge base; 2 usage error."
    ),
    rich_markup_mode=None,  # help text is plain: "[heat]" in help stays "[heat]"
    pretty_exceptions_show_locals=False,  # locals can hold a user's own notes
    pretty_exceptions_short=True,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main_options(
    ctx: typer.Context,
    data: DataOption = None,
    data_only: DataOnlyOption = None,
    color: ColorOption = Color.auto,
    pager: PagerOption = True,
    version: VersionOption = False,
) -> None:
    ctx.obj = Settings(data=list(data or ()), data_only=data_only, output=Output(color, pager))


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
            help="Only treatments used for a condition: its id, name, an alias or part of one; small typos "
            "are forgiven. Example: --treats sciatica",
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
    settings = settings_of(ctx)
    base = settings.load()
    entries = list(base.entries) if treats is None else base.resolver.treating(treats, say_note)
    if category is not None:
        entries = [e for e in entries if e.category == category.value]
    if not entries:
        wanted = [f"category '{category.value}'"] if category is not None else []
        wanted += [f"condition '{treats}'"] if treats is not None else []
        raise NoMatch(f"no treatments match {' and '.join(wanted)} (see 'backcare conditions')")
    from backcare.views import list_view

    layered = any(e.origin != "bundled" for e in base.entries)
    settings.output.answer(
        fmt,
        lambda chosen: list_view(entries, show_origin=layered or chosen is Format.plain),
        records=lambda: base.json_array(entries),
    )


@app.command()
def show(
    ctx: typer.Context,
    name: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME...",
            help="A treatment id, alias or name, in any case, quoted or not; plurals and small typos are "
            "forgiven. Example: epidural steroid injection",
            autocompletion=completion.treatments,
        ),
    ],
    full: FullOption = False,
    fmt: Annotated[
        ShowFormat | None, typer.Option("--format", "-f", help="As for list; html: a handout; yaml: a file to edit.")
    ] = None,
    paper: PaperOption = Paper.a4,
) -> None:
    """One treatment on one screen: what it is, does it help, risks, what if I wait.

    The urgent symptoms first, then the answers in short; --full for everything with its
    sources. JSON output is always the complete record. 'backcare NAME' does the same.

    \b
    Example: backcare show kyphoplasty
    """
    settings = settings_of(ctx)
    base = settings.load()
    found = base.resolver.treatment(" ".join(name), implicit=ctx.meta.get(IMPLICIT_SHOW))
    say_note(found.note("showing"))
    entry = base.resolver.entry(found)
    treatment = entry.treatment
    if fmt is not None and fmt.value == "yaml":
        from backcare.authoring import layer_file

        write(layer_file(base, entry))
        return
    settings.output.handout(paper, base.about)
    from backcare.brief import brief_view
    from backcare.views import show_view, today

    settings.output.answer(
        Format(fmt.value) if fmt is not None else None,
        lambda _: (show_view if full else brief_view)(base, treatment, today()),
        data=lambda: entry.record,
    )


@app.command()
def compare(
    ctx: typer.Context,
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="A B [C ...]",
            help="Two or more treatment ids, aliases or names; names of several words need no quotes. "
            "Example: spinal manipulation acupuncture",
            autocompletion=completion.treatments,
        ),
    ],
    full: FullOption = False,
    fmt: FormatOption = None,
    paper: PaperOption = Paper.a4,
) -> None:
    """Two or more treatments side by side, as a one-page option grid.

    One column per treatment, one row per question; --full for every section and source.

    \b
    Example: backcare compare rfa epidural
    """
    settings = settings_of(ctx)
    base = settings.load()
    from backcare.search import query_problem

    too_long = query_problem(" ".join(names), "the list of names", 8000, 400)  # every entry's id fits
    if too_long:
        raise UsageError(too_long)
    found, unplaced = base.resolver.treatments_in(names)
    if unplaced:
        raise NotFound(base.resolver.unplaced_message(unplaced))
    separate = [base.resolver.exact("treatment", n) for n in names]
    if len({f.key for f in found}) < 2 and len(names) > 1 and all(len(m) == 1 for m in separate):
        found = [m[0] for m in separate]  # "laser discectomy" is one name, but compare wants two
    for guess in found:
        say_note(guess.note("comparing"))
    treatments = list({t.id: t for t in (base.resolver.entry(f).treatment for f in found)}.values())
    if len(treatments) < 2:
        raise UsageError(
            "compare needs at least two different treatments"
            + (f" ('{' and '.join(names)}' are the same treatment)" if len(names) > 1 else "")
        )
    settings.output.handout(paper, base.about)
    from backcare.brief import option_grid
    from backcare.views import compare_view, today

    settings.output.answer(
        fmt,
        lambda _: (compare_view if full else option_grid)(base, treatments, today()),
        records=lambda: base.json_array([base.names[t.id] for t in treatments]),
    )


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(metavar="QUERY...", help="Words to look for. Example: nerve pain")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most N results. Example: --limit 3")] = 10,
    fmt: FormatOption = None,
) -> None:
    """Ranked search over treatments, conditions and glossary terms; tolerates small typos.

    Searches names, aliases, summaries, descriptions, conditions and their natural course
    ("what if I wait?"), benefits, risks, procedure text and definitions. Common words such as
    "is", "it" and "the" are left out.

    \b
    Example: backcare search nerve pain
    """
    from backcare.search import corpus, query_problem, query_words, words
    from backcare.search import search as run_search

    text = " ".join(query)
    if not words(text):
        raise UsageError("the search query is empty (give at least one word)")
    too_long = query_problem(text)
    if too_long:
        raise UsageError(too_long)
    if not query_words(text):
        raise NoMatch(f"'{text}' has only common words, which search leaves out; add a word that says what you want")
    settings = settings_of(ctx)
    base = settings.load()
    hits = run_search(text, corpus(base.entries, base.conditions.values(), base.glossary), limit=limit)
    if not hits:
        raise NoMatch(f"no treatment, condition or glossary term matches '{text}'")
    from backcare.views import search_data, search_view

    settings.output.answer(fmt, lambda _: search_view(hits), data=lambda: search_data(hits))


@app.command()
def conditions(
    ctx: typer.Context,
    name: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[NAME]...",
            help="One condition: its id, name or an alias, in any case; small typos are forgiven. Example: sciatica",
            autocompletion=completion.conditions,
        ),
    ] = None,
    fmt: FormatOption = None,
    paper: PaperOption = Paper.a4,
) -> None:
    """Conditions, their natural course and their treatments; or one condition on one screen.

    \b
    Example: backcare conditions sciatica
    """
    settings = settings_of(ctx)
    base = settings.load()
    settings.output.handout(paper, base.about)
    from backcare.views import conditions_data, conditions_view

    if not name:
        settings.output.answer(
            fmt,
            lambda chosen: conditions_view(base, for_terminal=chosen is Format.table),
            data=lambda: conditions_data(base),
        )
        return
    from backcare.brief import condition_view

    found = base.resolver.condition(" ".join(name))
    say_note(found.note("showing"))
    condition = base.conditions[found.key]
    settings.output.answer(
        fmt,
        lambda _: condition_view(base, condition),
        data=lambda: conditions_data(base, condition.id)[0],
    )


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
    settings = settings_of(ctx)
    base = settings.load()
    from backcare.views import glossary_view, table_data

    view = glossary_view(base.glossary if term is None else base.resolver.glossary(term))
    settings.output.answer(fmt, lambda _: view, data=lambda: table_data(view))


@app.command()
def about(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Version, review date, funding and update policy.

    Also the conflicts of interest, the files read and the disclaimer.

    \b
    Example: backcare about
    """
    settings = settings_of(ctx)
    base = settings.load()
    from backcare.views import about_data, about_view

    settings.output.answer(fmt, lambda _: about_view(base), data=lambda: about_data(base))


@app.command()
def paths(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Files and directories backcare reads.

    Shows whether each exists and where each setting came from.

    \b
    Example: backcare paths
    """
    from backcare import paths as where
    from backcare.views import paths_view, table_data

    settings = settings_of(ctx)
    view = paths_view(where.rows(settings.data, settings.data_only))
    settings.output.answer(fmt, lambda _: view, data=lambda: table_data(view))


@app.command()
def site(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(metavar="DIR", help="A new or empty folder, or one an earlier run wrote.")],
    paper: PaperOption = Paper.a4,
) -> None:
    """A static website of the knowledge base, relative links only: open DIR/index.html.

    \b
    Example: backcare site handouts
    """
    from backcare.site import build

    write(build(settings_of(ctx).load(), target, paper.value) + "\n")


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

    settings = settings_of(ctx)
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
    from backcare.views import today

    text = skeleton(tid, today())
    if not write_new(text, output, force):
        write(text)


build_lazily(app)  # after the last command: each is built from its signature only when used


def main() -> None:
    if not is_utf(sys.stdout):
        with contextlib.suppress(AttributeError, ValueError):
            sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    app(prog_name="backcare")
