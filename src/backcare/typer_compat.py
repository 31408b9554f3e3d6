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
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from backcare.errors import BackcareError, exit_code_for, internal_error_message
from backcare.output import quiet_broken_pipe, say_error

IMPLICIT_SHOW = "backcare.implicit_show"  # ctx.meta key: "" or the command name NAME is close to


class OneLineErrors(TyperGroup):
    """The error boundary: every failure is one stderr line and its exit code (errors.py).

    Also the group's command resolution (`backcare NAME` as `show NAME`) and global options
    accepted after the command; see the module docstring, hooks 3 and 4.
    """

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
