"""Typer wiring only: parse options, call the core, pick a renderer, map errors to exit codes.

Exit codes: 0 ok; 1 not found, no match or invalid knowledge base; 2 usage error.
Rich is imported only when a table is printed (render/table.py); JSON, plain and Markdown
output and shell completion never import it.
"""

import contextlib
import datetime as dt
import enum
import functools
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, NamedTuple, TypeVar

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from backcare import __version__
from backcare.errors import BackcareError, InvalidKnowledgeBase, NoMatch, UsageError
from backcare.model import CATEGORIES, Treatment

F = TypeVar("F", bound=Callable[..., Any])


class Format(enum.StrEnum):
    table = "table"
    plain = "plain"
    markdown = "markdown"
    json = "json"


class Color(enum.StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


Category = enum.Enum("Category", {c.replace("-", "_"): c for c in CATEGORIES}, type=str)  # type: ignore[misc]


class Settings(NamedTuple):
    data: list[Path]
    data_only: Path | None = None
    color: Color = Color.auto
    pager: bool = False


class OneLineErrors(TyperGroup):
    """Usage errors as one line on stderr, like every other backcare error (exit 2).

    Click's default is a three-line Usage/Try/Error block; the hint to --help is kept.
    """

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as exc:  # bare `backcare`: the help, as Click would show it
            exc.show()
            sys.exit(exc.exit_code)
        except ClickUsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            _say_error(exc.format_message().rstrip(".") + hint)
            sys.exit(exc.exit_code)
        except ClickException as exc:
            _say_error(exc.format_message())
            sys.exit(exc.exit_code)
        except typer.Abort:
            _say_error("aborted")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    name="backcare",
    cls=OneLineErrors,
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


# -- helpers ----------------------------------------------------------------------------------


def _settings(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    if isinstance(root.obj, Settings):
        return root.obj
    return Settings(data=[])


def _say_error(message: str) -> None:
    from backcare.render.text import clean

    text = clean(" ".join(message.split()), ascii_only=not _utf(sys.stderr))
    try:
        sys.stderr.write(f"backcare: error: {text}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def handles_errors(fn: F) -> F:
    """Expected failures become one stderr line and their exit code; nothing else escapes quietly."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BackcareError as exc:
            _say_error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            _quiet_broken_pipe()
            raise typer.Exit(1) from None
        except Exception as exc:
            if _debug():
                raise
            _say_error(
                f"unexpected internal error ({type(exc).__name__}: {exc}). This is a bug; please report it, "
                "with the output of the same command run with BACKCARE_DEBUG=1."
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _debug() -> bool:
    return bool(os.environ.get("BACKCARE_DEBUG"))


def _quiet_broken_pipe() -> None:
    """The reader went away (e.g. `| head -1`): stop without a traceback or a flush error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _utf(stream: Any) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding.startswith("utf")


def _charset() -> str:
    """ASCII when the stream cannot encode Unicode, or the locale says the terminal is plain C.

    (Python 3.11 switches its own streams to UTF-8 under LC_ALL=C, but the terminal behind them
    was still declared ASCII-only.)
    """
    locale = os.environ.get("LC_ALL") or os.environ.get("LC_CTYPE") or os.environ.get("LANG") or ""
    if not _utf(sys.stdout) or locale in ("C", "POSIX"):
        return "ascii"
    return "unicode"


def _print_json(value: Any) -> None:
    from backcare.render.json_out import dumps

    _write(dumps(value, ascii_only=not _utf(sys.stdout)))


def _print_records(base: Any, entries: Sequence[Any]) -> None:
    """A JSON array of full records, copied from the cache as bytes when it can be."""
    data: bytes = base.json_array(entries)
    if not _utf(sys.stdout):
        from backcare.render.json_out import escape_non_ascii

        data = escape_non_ascii(data.decode("utf-8")).encode("ascii")
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        _write(data.decode("utf-8"))
        return
    buffer.write(data)
    buffer.flush()


def _stdout_is_tty() -> bool:
    try:
        return sys.stdout.isatty()
    except (ValueError, AttributeError):
        return False


def _is_terminal(settings: Settings) -> bool:
    """Whether output is for a person (tables) rather than a script (plain rows)."""
    if settings.color is Color.always or os.environ.get("FORCE_COLOR"):
        return True
    return _stdout_is_tty()


def _format(settings: Settings, chosen: Format | None) -> Format:
    if chosen is not None:
        return chosen
    return Format.table if _is_terminal(settings) else Format.plain


def _load(settings: Settings) -> Any:
    from backcare import kb

    return kb.load(settings.data, settings.data_only)


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _today() -> dt.date:
    override = os.environ.get("BACKCARE_TODAY")  # a fixed clock for tests and reproducible output
    if override:
        try:
            return dt.date.fromisoformat(override)
        except ValueError:
            raise UsageError(f"BACKCARE_TODAY={override!r} is not a date YYYY-MM-DD") from None
    return dt.date.today()


def _emit(settings: Settings, fmt: Format, view: Any, kind: str, *, page: bool = False) -> None:
    """Render a view (table, document or grid) in the chosen format."""
    charset = _charset()
    if fmt is Format.plain:
        from backcare.render.plain import Plain

        _write(getattr(Plain(charset), kind)(view))
        return
    if fmt is Format.markdown:
        from backcare.render.markdown import Markdown

        _write(getattr(Markdown(charset), kind)(view))
        return
    from backcare.render.table import RichRenderer, make_console

    if page and settings.pager and _stdout_is_tty():
        import io

        screen = make_console(None, settings.color.value)
        buffer = io.StringIO()
        colour = settings.color is Color.always or (settings.color is Color.auto and not os.environ.get("NO_COLOR"))
        console = make_console(buffer, Color.always.value if colour else Color.never.value, width=screen.width)
        getattr(RichRenderer(console, charset), kind)(view)
        text = buffer.getvalue()
        if text.count("\n") > screen.height:  # only long output is paged
            _page(text)
        else:
            _write(text)
        return
    console = make_console(None, settings.color.value)
    getattr(RichRenderer(console, charset), kind)(view)


def _page(text: str) -> None:
    import shlex
    import subprocess

    command = os.environ.get("BACKCARE_PAGER") or os.environ.get("PAGER") or "less -R"
    try:
        subprocess.run(shlex.split(command), input=text, text=True, check=False)
    except (OSError, ValueError):  # no such pager: print instead of failing
        _write(text)


# -- completion (no Rich, no YAML on a cache hit) ---------------------------------------------


def _plain_help_text(text: str) -> str:
    return text


# Typer passes completion help text through Rich to strip markup (zsh, fish, PowerShell), which
# imports Rich on every TAB. Our help texts are treatment names, already cleaned of markup and
# control characters, so the plain text is right and the TAB stays fast.
with contextlib.suppress(ImportError, AttributeError):
    import typer._completion_classes as _typer_completion

    _typer_completion._sanitize_help_text = _plain_help_text


def _completion_kb(ctx: typer.Context) -> Any:
    from backcare import kb

    params = ctx.find_root().params
    try:
        return kb.load(params.get("data") or (), params.get("data_only"))
    except BackcareError:
        return None


def _completion_help(text: str) -> str:
    from backcare.render.text import clean

    return clean(" ".join(text.split()))


def complete_treatment(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Ids and one-word aliases starting with what was typed, with the treatment name as help."""
    base = _completion_kb(ctx)
    if base is None:
        return []
    prefix = incomplete.lower()
    out: list[tuple[str, str]] = []
    for entry in base.entries:
        for name in (entry.id, *(a for a in entry.aliases if " " not in a)):
            if name.lower().startswith(prefix):
                out.append((name, _completion_help(entry.name)))
    return out


def complete_condition(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    base = _completion_kb(ctx)
    if base is None:
        return []
    return [(c.id, _completion_help(c.name)) for c in base.conditions.values() if c.id.startswith(incomplete.lower())]


# -- global options ---------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"backcare {__version__}\n")
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
    ctx.obj = Settings(data=list(data or ()), data_only=data_only, color=color, pager=pager)


# -- commands ---------------------------------------------------------------------------------

FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: table on a terminal, plain (tab-separated) in a pipe.",
    ),
]


@app.command("list")
@handles_errors
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
            autocompletion=complete_condition,
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
    base = _load(settings)
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
    chosen = _format(settings, fmt)
    if chosen is Format.json:
        _print_records(base, entries)
        return
    from backcare.views import list_view

    layered = any(e.origin != "bundled" for e in base.entries)
    _emit(settings, chosen, list_view(entries, show_origin=layered or chosen is Format.plain), "table")


@app.command()
@handles_errors
def show(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="ID_OR_ALIAS",
            help="A treatment id, alias or name (any case). Example: kyphoplasty",
            autocompletion=complete_treatment,
        ),
    ],
    fmt: FormatOption = None,
) -> None:
    """Everything about one treatment, with its sources.

    \b
    Example: backcare show kyphoplasty
    """
    settings = _settings(ctx)
    base = _load(settings)
    entry = base.find(name)
    if entry is None:
        base.resolve(name)  # raises NotFound with suggestions
    chosen = _format(settings, fmt)
    if chosen is Format.json:
        _print_json(entry.record)
        return
    from backcare.views import show_view

    _emit(settings, chosen, show_view(base, entry.treatment, _today()), "document", page=True)


@app.command()
@handles_errors
def compare(
    ctx: typer.Context,
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="A B [C ...]",
            help="Two or more treatment ids, aliases or names. Example: rfa epidural",
            autocompletion=complete_treatment,
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
    base = _load(settings)
    treatments: list[Treatment] = []
    for name in names:
        treatment = base.resolve(name)
        if all(t.id != treatment.id for t in treatments):
            treatments.append(treatment)
    if len(treatments) < 2:
        raise UsageError(
            "compare needs at least two different treatments"
            + (f" ('{' and '.join(names)}' are the same treatment)" if len(names) > 1 else "")
        )
    chosen = _format(settings, fmt)
    if chosen is Format.json:
        _print_records(base, [base.find(t.id) for t in treatments])
        return
    from backcare.views import compare_view

    _emit(settings, chosen, compare_view(base, treatments, _today(), _charset()), "grid", page=True)


@app.command()
@handles_errors
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
    base = _load(settings)
    hits = run_search(text, base.entries, limit=limit)
    if not hits:
        raise NoMatch(f"no treatment matches '{text}'")
    chosen = _format(settings, fmt)
    if chosen is Format.json:
        _print_json([{"id": h.id, "name": h.name, "score": h.score, "snippet": h.snippet} for h in hits])
        return
    from backcare.views import search_view

    _emit(settings, chosen, search_view(hits), "table")


@app.command()
@handles_errors
def conditions(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Conditions, their natural course and their treatments.

    \b
    Example: backcare conditions
    """
    settings = _settings(ctx)
    base = _load(settings)
    chosen = _format(settings, fmt)
    if chosen is Format.json:
        _print_json(
            [
                {
                    "id": c.id,
                    "name": c.name,
                    "aliases": list(c.aliases),
                    "description": c.description,
                    "natural_course": c.natural_course,
                    "treatments": [e.id for e in base.entries_for_condition(c.id)],
                    "sources": [s.link for s in c.sources],
                }
                for c in base.conditions.values()
            ]
        )
        return
    from backcare.views import conditions_view

    _emit(settings, chosen, conditions_view(base, for_terminal=chosen is Format.table), "table")


@app.command()
@handles_errors
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
    base = _load(settings)
    from backcare.views import glossary_view

    view = glossary_view(base, term)
    if not view.rows:
        import difflib

        from backcare.model import normalise

        names = {normalise(n): g.term for g in base.glossary for n in (g.term, *g.aliases)}
        found = difflib.get_close_matches(normalise(term or ""), list(names), n=3, cutoff=0.6)
        close = list(dict.fromkeys(names[n] for n in found))
        hint = f"; did you mean {' or '.join(close)}?" if close else " (see 'backcare glossary')"
        raise NoMatch(f"no glossary term '{term}'{hint}")
    chosen = _format(settings, fmt)
    if chosen is Format.json:
        _print_json([{"term": t, "definition": d} for t, d in view.rows])
        return
    _emit(settings, chosen, view, "table")


@app.command()
@handles_errors
def about(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Version, review date, funding and update policy.

    Also the conflicts of interest, the files read and the disclaimer.

    \b
    Example: backcare about
    """
    settings = _settings(ctx)
    base = _load(settings)
    chosen = _format(settings, fmt)
    if chosen is Format.json:
        info: dict[str, Any] = dict(base.about._asdict())
        info["files"] = [{"origin": layer.label, "path": str(layer.path)} for layer in base.layers]
        _print_json(info)
        return
    from backcare.views import about_view

    _emit(settings, chosen, about_view(base), "document")


@app.command()
@handles_errors
def paths(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Files and directories backcare reads.

    Shows whether each exists and where each setting came from.

    \b
    Example: backcare paths
    """
    from backcare import paths as where

    settings = _settings(ctx)
    rows: list[tuple[str, Path | None, str]] = []
    if settings.data_only is not None:
        rows.append(("knowledge base (alone)", settings.data_only, "option --data-only"))
    else:
        rows.append(("bundled knowledge base", where.BUNDLED, "installed with backcare"))
        data_dir = where.user_data_dir()
        rows.append(("user data directory", data_dir.path, data_dir.source))
        rows += [("user file", p, "*.yaml in the user data directory") for p in where.user_files()]
        if settings.data:
            rows += [("--data file", p, "option --data") for p in settings.data]
        else:
            rows += [("--data file", p, "environment variable BACKCARE_DATA") for p in where.data_from_env()]
    cache_dir = where.cache_dir()
    rows.append(("cache directory", cache_dir.path, cache_dir.source))

    def exists(path: Path | None) -> str:
        if path is None:
            return "-"
        return "yes" if path.exists() else "no"

    table = [[what, str(path) if path else "(none)", exists(path), source] for what, path, source in rows]
    chosen = _format(settings, fmt)
    if chosen is Format.json:
        keys = ("what", "path", "exists", "source")
        _print_json([dict(zip(keys, row, strict=True)) for row in table])
        return
    from backcare.views import TableView

    _emit(settings, chosen, TableView(["what", "path", "exists", "source"], table), "table")


@app.command()
@handles_errors
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            help="Files to check. Default: the bundled file, every user file and every --data file.",
        ),
    ] = None,
) -> None:
    """Check knowledge-base files; report every problem.

    Each problem as file:line, entry and field. Exit 1 if any.

    \b
    Example: backcare validate clinic.yaml
    """
    from backcare import kb
    from backcare.render.text import clean

    settings = _settings(ctx)
    layers = [kb.Layer(p, "data") for p in paths] if paths else kb.layers_for(settings.data, settings.data_only)
    reports, conflicts = kb.check_layers(layers)
    ascii_only = _charset() == "ascii"
    for report in reports:
        shown = clean(str(report.path), ascii_only=ascii_only)
        if report.problems:
            _write(f"{shown}: {len(report.problems)} problem(s)\n")
            _write("".join(f"  {clean(m, ascii_only=ascii_only)}\n" for m in report.problems))
        else:
            _write(f"{shown}: ok ({report.treatments} treatments, {report.conditions} conditions)\n")
    for conflict in conflicts:
        _write(f"conflict: {clean(conflict, ascii_only=ascii_only)}\n")
    total = sum(len(r.problems) for r in reports) + len(conflicts)
    if total:
        raise InvalidKnowledgeBase(f"{total} problem(s) found")


def main() -> None:
    if not _utf(sys.stdout):
        with contextlib.suppress(AttributeError, ValueError):
            sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    app(prog_name="backcare")
