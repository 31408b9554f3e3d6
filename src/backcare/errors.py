"""Expected failures and the exit codes: the one module that decides what status a run ends with.

The core raises these exceptions; the error boundary (typer_compat.OneLineErrors.main) turns
each into one stderr line and the status `exit_code_for` gives it.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_NOT_FOUND = 1  # unknown treatment, no search hit, invalid knowledge base
EXIT_USAGE = 2  # bad arguments (Click's convention)
EXIT_FAILURE = 1  # anything else that stopped the run: a closed pipe, an internal error
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT (128 + 2)
EXIT_SIGNAL_BASE = 128  # stopped by signal N (SIGTERM: 143), as shells report it


def exit_code_for_signal(signum: int) -> int:
    return EXIT_SIGNAL_BASE + signum


class BackcareError(Exception):
    """An expected failure with a message for the user and an exit code."""

    exit_code = EXIT_NOT_FOUND


class NotFound(BackcareError):
    """A treatment, condition or term that is not in the knowledge base."""


class NoMatch(BackcareError):
    """A search with no hits (grep's convention: exit 1)."""


class UsageError(BackcareError):
    """Arguments that cannot be acted on, found after parsing (e.g. compare with one treatment)."""

    exit_code = EXIT_USAGE


class InvalidKnowledgeBase(BackcareError):
    """A knowledge-base file that cannot be read or does not follow the schema."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class Unreadable(InvalidKnowledgeBase):
    """A file that cannot be read at all (missing, not a regular file, too big, no permission),
    as opposed to one whose content is wrong. A user-directory layer like this is skipped with a
    note; a file named on the command line is still an error."""


def exit_code_for(exc: BaseException) -> int:
    """The status a run ends with when `exc` stops it."""
    if isinstance(exc, BackcareError):
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    return EXIT_FAILURE


def internal_error_message(exc: BaseException) -> str:
    return (
        f"unexpected internal error ({type(exc).__name__}: {exc}). This is a bug; please report it, "
        "with the output of the same command run with BACKCARE_DEBUG=1."
    )


_noted: set[str] = set()


def notice(message: str) -> None:
    """One `backcare: note: …` line on stderr that does not change the exit status (a skipped
    user file, a cache that is not private), each message at most once per run."""
    import sys

    from backcare.controls import CONTROL_OR_BREAK, visible

    if message in _noted or sys.stderr is None:
        return
    _noted.add(message)
    try:
        sys.stderr.write(f"backcare: note: {CONTROL_OR_BREAK.sub(visible, message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
