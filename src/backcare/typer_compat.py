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


class OneLineErrors(TyperGroup):
    """The error boundary: every failure is one stderr line and its exit code (errors.py)."""

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
