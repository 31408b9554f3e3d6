"""Every use of Typer's internals, in one place (typer is pinned >=0.26,<0.29; decision 001).

Each hook says why it exists, which test covers it, and what upstream code it leans on, so a
Typer upgrade has one file to check. CI also runs the suite against the newest Typer (allowed to
fail, reported) so a break shows early.

1. `OneLineErrors` (a TyperGroup subclass overriding `main`): Click prints usage errors as a
   three-line Usage/Try/Error block and Typer prints a traceback panel for unexpected errors;
   backcare's contract is one `backcare: error: …` line and a documented exit code for every
   failure (decision 003). It runs Click's `main` with `standalone_mode=False` (public Click
   API) and catches Click's exception classes, which Typer vendors as `typer._click.exceptions`
   since 0.26 (private: upstream says `typer._click` may change).
   Tests: tests/test_cli.py::test_usage_errors_are_one_line and the exit-code table in
   tests/test_environments.py.
2. `_sanitize_help_text`: for zsh and fish completion Typer passes each candidate's help text
   through Rich to strip markup (typer/_completion_classes.py), importing Rich on every TAB.
   Our help texts are treatment names, cleaned of markup and controls, so the identity is right
   and TAB stays Rich-free. Test: tests/test_habits.py::test_completion_does_not_import_rich.
3. `OneLineErrors.resolve_command`: `backcare NAME`, where NAME is no command, runs `show NAME`
   (as `man NAME` needs no sub-command). Overrides Click's public `Group.resolve_command`; the
   near-miss of a command name is passed on in `ctx.meta` so `show` can still answer a typo
   such as `backcare lst` with "did you mean 'list'?" (exit 2). Tests: tests/test_lookup.py.
4. `OneLineErrors.parse_args`: the global options (--data, --data-only, --color, --pager,
   --no-pager) may follow the command, as git allows `git log --no-pager`-style habits:
   `backcare show epidural --color never`. They are moved in front of the command before
   Click parses (public `Command.parse_args`; the option names come from the group's own
   parameters). Tests: tests/test_lookup.py::test_global_options_after_the_command.
5. Completion scripts and options: Typer's own `--show-completion` is a flag that guesses the
   shell from the parent process (wrong under `sh`, in containers and IDEs), so the app is built
   with `add_completion=False` and `OneLineErrors` adds `--show-completion [SHELL]` and
   `--install-completion [SHELL]`, which honour the shell named. The scripts come from
   `typer.completion.get_completion_script` (public); the shell guess and `completion_init` (which
   registers Typer's zsh and fish completion classes, normally done by `add_completion`) are
   private (`typer._completion_shared`, `typer._completion_classes`). The two options are declared
   as ordinary eager `typer.Option` parameters of a function that is never called, built as
   Typer builds a command (`typer.main.get_command_from_info`, as hook 6), so each Typer version
   passes its own constructor arguments:
   0.29 made `TyperOption(type_descriptor=...)` a required argument, which broke building
   `TyperOption` here directly. Tests: tests/test_authoring.py (`--show-completion SHELL`,
   `--install-completion SHELL`), the completion tests in tests/test_habits.py and
   tests/test_docs.py::test_completion_scripts_are_current_and_with_the_man_page_packaged.
6. `build_lazily`: Typer turns every command's signature into Click parameters when the app is
   called (typer.main.get_group_from_info), ~2 ms of every run although one command runs.
   The commands are taken out of `registered_commands` and given to the group as a mapping that
   builds a command with Typer's own `typer.main.get_command_from_info` the first time it is
   looked up; help, completion and docs see every command, built on demand, as before. Upstream:
   `registered_commands`, `CommandInfo`, `get_command_from_info` and `get_command_name` (public
   names in typer.main/typer.models, not documented API). Tests:
   tests/test_speed.py::test_only_the_command_run_is_built and the whole CLI suite.
"""

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import Annotated, Any, ClassVar

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from backcare.errors import BackcareError, exit_code_for, internal_error_message
from backcare.output import quiet_broken_pipe, say_error

IMPLICIT_SHOW = "backcare.implicit_show"  # ctx.meta key: "" or the command name NAME is close to
COMPLETION_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def completion_script(shell: str) -> str:
    from typer._completion_shared import get_completion_script

    return get_completion_script(prog_name="backcare", complete_var="_BACKCARE_COMPLETE", shell=shell) + "\n"


def shell_named(value: str) -> str:
    """The shell asked for, or (for an empty value) the one this process runs under."""
    from backcare.errors import UsageError

    name = value.strip().lower()
    if not name:
        from typer._completion_shared import _get_shell_name

        name = _get_shell_name() or os.path.basename(os.environ.get("SHELL", ""))
        if name not in COMPLETION_SHELLS:
            raise UsageError(
                f"cannot tell which shell this is ({name or 'unknown'}); "
                "name it, e.g. 'backcare --show-completion bash'"
            )
    if name not in COMPLETION_SHELLS:
        raise UsageError(f"no completion for shell '{value}' (use one of: {', '.join(COMPLETION_SHELLS)})")
    return name


def _show_completion(ctx: Any, param: Any, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    from backcare.output import write

    write(completion_script(shell_named(value)))
    raise typer.Exit()


def _install_completion(ctx: Any, param: Any, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    from backcare import shells
    from backcare.output import write

    shell = shell_named(value)
    if shell in shells.SHELLS:
        home = os.environ.get("HOME") or os.path.expanduser("~")
        path = shells.install(shell, completion_script(shell), Path(home))
    else:  # PowerShell: Typer knows where its profile is
        from typer._completion_shared import install

        shell, path = install(shell=shell, prog_name="backcare", complete_var="_BACKCARE_COMPLETE")
    write(f"{shell} completion installed in {path}; it takes effect in a new shell\n")
    raise typer.Exit()


COMPLETION_FLAGS = ("--show-completion", "--install-completion")
_SHELLS_HELP = "bash, zsh or fish"


def _completion_declaration(
    show_completion: Annotated[
        str | None,
        typer.Option(
            "--show-completion",
            metavar="[SHELL]",
            expose_value=False,
            is_eager=True,
            show_default=False,
            show_envvar=False,
            callback=_show_completion,
            help=f"Print the completion script for SHELL ({_SHELLS_HELP}; default: this shell).",
        ),
    ] = None,
    install_completion: Annotated[
        str | None,
        typer.Option(
            "--install-completion",
            metavar="[SHELL]",
            expose_value=False,
            is_eager=True,
            show_default=False,
            show_envvar=False,
            callback=_install_completion,
            help=f"Install completion for SHELL ({_SHELLS_HELP}; default: this shell). Safe to run again.",
        ),
    ] = None,
) -> None:
    """Never called: its parameters declare the completion options for Typer to build (hook 5)."""


def completion_options() -> list[Any]:
    from typer._completion_classes import completion_init

    completion_init()
    # Built as Typer builds a command (get_command_from_info, as hook 6 does): 1.1 ms for a
    # throwaway app and group, ~0.3 ms this way with annotations already evaluated (no __future__).
    from typer.main import get_command_from_info
    from typer.models import CommandInfo

    built = get_command_from_info(
        CommandInfo(callback=_completion_declaration), pretty_exceptions_short=True, rich_markup_mode=None
    )
    params: list[Any] = built.params
    return params


def _shell_optional(args: list[str], commands: Iterable[str]) -> list[str]:
    """Typer's options cannot take an optional value: give a bare completion flag (last, or before
    an option or a command) an empty one, the shell this runs under; so `--show-completion` and
    `--show-completion zsh` both work."""
    out: list[str] = []
    for i, arg in enumerate(args):
        out.append(arg)
        following = args[i + 1] if i + 1 < len(args) else None
        if arg in COMPLETION_FLAGS and (following is None or following.startswith("-") or following in commands):
            out.append("")
    return out


class LazyCommands(MutableMapping[str, Any]):
    """The group's commands by name, each built from its Typer declaration when first looked up
    (hook 6). Iterates in the order the commands were declared."""

    def __init__(self, pending: dict[str, Any], build: Any, built: MutableMapping[str, Any]) -> None:
        self.pending = dict(pending)  # its own: the declarations are shared by every group built
        self.build = build
        self.built = dict(built)

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            self.built[name] = self.build(self.pending[name])
        return self.built[name]

    def __contains__(self, name: object) -> bool:
        return name in self.built or name in self.pending

    def __iter__(self) -> Iterator[str]:
        yield from self.pending
        yield from (name for name in self.built if name not in self.pending)

    def __len__(self) -> int:
        return len(self.pending) + sum(1 for name in self.built if name not in self.pending)

    def __setitem__(self, name: str, command: Any) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        self.built.pop(name, None)
        self.pending.pop(name, None)


def build_lazily(app: typer.Typer) -> None:
    """Hook 6: call once, after the last `@app.command()`; the app's group then builds each
    command only when it is looked up."""
    from typer.main import get_command_from_info, get_command_name

    pending = {}
    for info in app.registered_commands:
        pending[info.name or get_command_name(getattr(info.callback, "__name__", ""))] = info
    app.registered_commands = []

    def build(info: Any) -> Any:
        return get_command_from_info(
            info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode
        )

    base = app.info.cls or OneLineErrors
    app.info.cls = type(base.__name__, (base,), {"pending": pending, "build": staticmethod(build)})


class OneLineErrors(TyperGroup):
    """The error boundary: every failure is one stderr line and its exit code (errors.py).

    Also the group's command resolution (`backcare NAME` as `show NAME`), global options
    accepted after the command and commands built when used; see the module docstring, hooks 3, 4, 6.
    """

    pending: ClassVar[dict[str, Any]] = {}
    build: ClassVar[Any] = None

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name = args[0] if args else ""
        show = self.get_command(ctx, "show")
        if not name or name.startswith("-") or self.get_command(ctx, name) is not None or show is None:
            return super().resolve_command(ctx, args)
        from backcare.fuzzy import close_matches

        near = close_matches(name.lower(), self.list_commands(ctx), n=1)
        ctx.meta[IMPLICIT_SHOW] = near[0] if near else ""
        return "show", show, args  # every word is the treatment's name

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self._global_options_first(ctx, args))

    def _global_options_first(self, ctx: Any, args: list[str]) -> list[str]:
        takes_value = {
            name: not getattr(param, "is_flag", False)
            for param in self.params
            if param.param_type_name == "option" and not param.is_eager
            for name in (*param.opts, *param.secondary_opts)
        }
        i = 0
        while i < len(args) and args[i].startswith("-") and args[i] != "--":  # the group's own options
            i += 2 if takes_value.get(args[i]) else 1
        if i >= len(args) or args[i] == "--":
            return args
        moved: list[str] = []
        kept: list[str] = []
        rest = iter(args[i + 1 :])
        for arg in rest:
            if arg == "--":
                kept += [arg, *rest]
                break
            option = arg.split("=", 1)[0]
            if option not in takes_value:
                kept.append(arg)
                continue
            moved.append(arg)
            if takes_value[option] and "=" not in arg:
                value = next(rest, None)
                if value is None:
                    raise ClickUsageError(f"Option '{option}' requires an argument.", ctx)
                moved.append(value)
        return [*args[:i], *moved, args[i], *kept]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params += completion_options()
        if self.pending:
            self.commands = LazyCommands(self.pending, self.build, self.commands)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        args = _shell_optional(list(sys.argv[1:] if args is None else args), self.commands)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as exc:  # bare `backcare`: the help, as Click would show it
            exc.show()
            sys.exit(exc.exit_code)
        except ClickUsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            say_error(exc.format_message().rstrip(".") + hint)
            sys.exit(exc.exit_code)
        except ClickException as exc:
            say_error(exc.format_message())
            sys.exit(exc.exit_code)
        except typer.Abort:
            say_error("aborted")
            sys.exit(exit_code_for(KeyboardInterrupt()))
        except BackcareError as exc:
            say_error(str(exc))
            sys.exit(exit_code_for(exc))
        except BrokenPipeError as exc:
            quiet_broken_pipe()
            sys.exit(exit_code_for(exc))
        except Exception as exc:
            if os.environ.get("BACKCARE_DEBUG"):
                raise
            say_error(internal_error_message(exc))
            sys.exit(exit_code_for(exc))
        sys.exit(code if isinstance(code, int) else 0)


def _plain_help_text(text: str) -> str:
    return text


with contextlib.suppress(ImportError, AttributeError):
    import typer._completion_classes as _typer_completion

    _typer_completion._sanitize_help_text = _plain_help_text
