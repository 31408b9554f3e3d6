"""Expected failures. The core raises these; cli.py turns each into one stderr line and an exit code."""

from __future__ import annotations

EXIT_NOT_FOUND = 1  # unknown treatment, no search hit, invalid knowledge base
EXIT_USAGE = 2  # bad arguments (Click's convention)


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
