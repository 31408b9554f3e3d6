"""Where output goes and in what form: the terminal or a pipe, colour, charset, paging, errors.

The commands in cli.py hand a view (views.py) or JSON data to `Output`; it picks the renderer by
the view's type and the chosen format. Nothing here imports Rich or Typer at module level, so
`__main__` can report an error with `say_error` without paying for them.
"""

from __future__ import annotations

import enum
import os
import sys
from typing import Any, TextIO


class Format(enum.StrEnum):
    table = "table"
    plain = "plain"
    markdown = "markdown"
    json = "json"


class ShowFormat(enum.StrEnum):
    """`show` also prints its entry as a layer file to edit."""

    table = "table"
    plain = "plain"
    markdown = "markdown"
    json = "json"
    yaml = "yaml"


class ReportFormat(enum.StrEnum):
    text = "text"
    json = "json"


class Color(enum.StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


def is_utf(stream: Any) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding.startswith("utf")


def say_error(message: str, stream: TextIO | None = None) -> None:
    """One line on stderr, `backcare: error: …`, with control characters made visible."""
    from backcare.render.text import clean

    err = stream or sys.stderr
    if err is None:
        return
    text = clean(" ".join(message.split()), ascii_only=not is_utf(err))
    try:
        err.write(f"backcare: error: {text}\n")
        err.flush()
    except (OSError, ValueError):
        pass


def say_warning(message: str, stream: TextIO | None = None) -> None:
    """One line on stderr, `backcare: warning: …`: the answer on stdout is still complete."""
    from backcare.render.text import clean

    err = stream or sys.stderr
    if err is None:
        return
    text = clean(" ".join(message.split()), ascii_only=not is_utf(err))
    try:
        err.write(f"backcare: warning: {text}\n")
        err.flush()
    except (OSError, ValueError):
        pass


def quiet_broken_pipe() -> None:
    """The reader went away (e.g. `| head -1`): stop without a traceback or a flush error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def stdout_is_tty() -> bool:
    try:
        return sys.stdout.isatty()
    except (ValueError, AttributeError):
        return False


def charset() -> str:
    """ASCII when the stream cannot encode Unicode, or the locale says the terminal is plain C.

    (Python 3.11 switches its own streams to UTF-8 under LC_ALL=C, but the terminal behind them
    was still declared ASCII-only.)
    """
    locale = os.environ.get("LC_ALL") or os.environ.get("LC_CTYPE") or os.environ.get("LANG") or ""
    if not is_utf(sys.stdout) or locale in ("C", "POSIX"):
        return "ascii"
    return "unicode"


def write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


class Output:
    """Output settings of one invocation: colour choice and paging."""

    def __init__(self, color: Color = Color.auto, pager: bool = False) -> None:
        self.color = color
        self.pager = pager

    @property
    def is_terminal(self) -> bool:
        """Whether output is for a person (tables) rather than a script (plain rows)."""
        if self.color is Color.always or os.environ.get("FORCE_COLOR"):
            return True
        return stdout_is_tty()

    def format(self, chosen: Format | None) -> Format:
        if chosen is not None:
            return chosen
        return Format.table if self.is_terminal else Format.plain

    def json(self, value: Any) -> None:
        from backcare.render.json_out import dumps

        write(dumps(value, ascii_only=not is_utf(sys.stdout)))

    def json_bytes(self, data: bytes) -> None:
        """A ready JSON document (records copied from the cache), escaped for an ASCII stream."""
        if not is_utf(sys.stdout):
            from backcare.render.json_out import escape_non_ascii

            data = escape_non_ascii(data.decode("utf-8")).encode("ascii")
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            write(data.decode("utf-8"))
            return
        buffer.write(data)
        buffer.flush()

    def view(self, view: Any, fmt: Format, *, page: bool = False) -> None:
        """Render a view (a table, a document or a grid) in the chosen format."""
        if fmt is Format.plain:
            from backcare.render.plain import Plain

            write(Plain(charset()).render(view))
            return
        if fmt is Format.markdown:
            from backcare.render.markdown import Markdown

            write(Markdown(charset()).render(view))
            return
        from backcare.render.table import RichRenderer, make_console

        if page and self.pager and stdout_is_tty():
            import io

            screen = make_console(None, self.color.value)
            buffer = io.StringIO()
            colour = self.color is Color.always or (self.color is Color.auto and not os.environ.get("NO_COLOR"))
            console = make_console(buffer, Color.always.value if colour else Color.never.value, width=screen.width)
            RichRenderer(console, charset()).render(view)
            text = buffer.getvalue()
            if text.count("\n") > screen.height:  # only long output is paged
                page_text(text)
            else:
                write(text)
            return
        RichRenderer(make_console(None, self.color.value), charset()).render(view)


def page_text(text: str) -> None:
    import shlex
    import subprocess

    command = os.environ.get("BACKCARE_PAGER") or os.environ.get("PAGER") or "less -R"
    try:
        subprocess.run(shlex.split(command), input=text, text=True, check=False)
    except (OSError, ValueError):  # no such pager: print instead of failing
        write(text)
