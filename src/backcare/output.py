"""Where output goes and in what form: the terminal or a pipe, colour, charset, paging, errors.

The commands in cli.py hand a view (views.py) or JSON data to `Output`; it picks the renderer by
the view's type and the chosen format. Nothing here imports Rich or Typer at module level, so
`__main__` can report an error with `say_error` without paying for them.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO


class Format(enum.StrEnum):
    table = "table"
    plain = "plain"
    markdown = "markdown"
    json = "json"
    html = "html"


class Paper(enum.StrEnum):
    a4 = "a4"
    letter = "letter"


# `show` takes every Format, and yaml: its entry as a layer file to edit. Derived, so a new format
# reaches `show` by being added to Format alone.
ShowFormat = enum.StrEnum("ShowFormat", {**{f.name: f.value for f in Format}, "yaml": "yaml"})  # type: ignore[misc]


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
    _say(f"error: {message}", stream)


def say_note(message: str) -> None:
    """One line on stderr, `backcare: …`, beside a result (e.g. the name a typo was taken for)."""
    if message:
        _say(message, None)


def _say(message: str, stream: TextIO | None) -> None:
    from backcare.render.text import clean

    err = stream or sys.stderr
    if err is None:
        return
    text = clean(" ".join(message.split()), ascii_only=not is_utf(err))
    try:
        err.write(f"backcare: {text}\n")
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


def pager_command() -> str | None:
    """The pager to use (git's order: ours, then PAGER, then less); None when paging is off."""
    command = os.environ.get("BACKCARE_PAGER")
    if command is None:
        command = os.environ.get("PAGER")
    command = "less" if command is None else command.strip()
    return None if command in ("", "cat") else command


def screen_height() -> int:
    import shutil

    return shutil.get_terminal_size().lines  # LINES, else the terminal's own size


class Output:
    """Output settings of one invocation: colour choice and paging."""

    def __init__(self, color: Color = Color.auto, pager: bool = True) -> None:
        self.color = color
        self.pager = pager
        self.paper = Paper.a4
        self.about: Any = None  # the knowledge base's About, cited by an HTML handout

    def handout(self, paper: Paper, about: Any) -> None:
        """Settings of an HTML handout: the paper size and the knowledge base it cites."""
        self.paper, self.about = paper, about

    @property
    def is_terminal(self) -> bool:
        """Whether output is for a person (tables) rather than a script (plain rows)."""
        if self.color is Color.always or os.environ.get("FORCE_COLOR"):
            return True
        return stdout_is_tty()

    @property
    def may_page(self) -> bool:
        """Paging applies only to a terminal, and not with --no-pager or BACKCARE_PAGER=cat."""
        return self.pager and stdout_is_tty() and pager_command() is not None

    def format(self, chosen: Format | None) -> Format:
        if chosen is not None:
            return chosen
        return Format.table if self.is_terminal else Format.plain

    def emit(self, text: str) -> None:
        """Text to the terminal, through the pager when it is taller than the screen."""
        if self.may_page and text.count("\n") > screen_height():
            page_text(text)
        else:
            write(text)

    def json(self, value: Any) -> None:
        from backcare.render.json_out import dumps

        self.emit(dumps(value, ascii_only=not is_utf(sys.stdout)))

    def json_bytes(self, pieces: list[bytes]) -> None:
        """A ready JSON document in pieces (records copied from the cache), escaped for an ASCII stream."""
        if not is_utf(sys.stdout):
            from backcare.render.json_out import escape_non_ascii

            pieces = [escape_non_ascii(b"".join(pieces).decode("utf-8")).encode("ascii")]
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None or self.may_page:
            self.emit(b"".join(pieces).decode("utf-8"))
            return
        sys.stdout.flush()
        for piece in pieces:
            buffer.write(piece)
        buffer.flush()

    def answer(
        self,
        chosen: Format | None,
        view: Callable[[Format], Any],
        *,
        data: Callable[[], Any] | None = None,
        records: Callable[[], list[bytes]] | None = None,
    ) -> None:
        """What every read command ends with: JSON (`data`, or ready `records` bytes) when asked
        for, else the view (built for the format it will be drawn in) in that format."""
        fmt = self.format(chosen)
        if fmt is Format.json and records is not None:
            self.json_bytes(records())
        elif fmt is Format.json and data is not None:
            self.json(data())
        else:
            self.view(view(fmt), fmt)

    def view(self, view: Any, fmt: Format, *, page: bool = True) -> None:
        """Render a view (a table, a document or a grid) in the chosen format; `page=False` never pages."""
        if not page:
            self.pager = False
        if fmt is Format.plain:
            from backcare.render.plain import Plain

            self.emit(Plain(charset()).render(view))
            return
        if fmt is Format.html:  # a whole page: written, never paged
            write(self._handout(view))
            return
        if fmt is Format.markdown:
            from backcare.render.markdown import Markdown

            self.emit(Markdown(charset()).render(view))
            return
        self.emit(self._table(view))

    def _table(self, view: Any) -> str:
        """The view drawn for this terminal by Rich; a page drawn before with the same inputs is
        reused without importing Rich (pages.py)."""
        from backcare import pages

        key = pages.key("table", "rich", (self.color.value, charset(), pages.terminal_inputs()), view)
        text = pages.fetch(key)
        if text is None:
            import io

            from backcare.render.table import RichRenderer, make_console

            # Rich decides width and colour for the real stdout; the page is drawn into a buffer.
            screen = make_console(None, self.color.value)
            renderer = RichRenderer(screen, charset())
            buffer = io.StringIO()
            screen.file = buffer
            renderer.render(view)
            text = buffer.getvalue()
            pages.keep(key, text)
        return text

    def _handout(self, view: Any) -> str:
        """The view as an HTML handout; reused, without importing Jinja2, when drawn before."""
        from backcare import pages
        from backcare.in_short import citation, disclaimer_line
        from backcare.views import today

        notice = disclaimer_line(self.about) if self.about is not None else ""
        cited = citation(self.about, today().isoformat())
        key = pages.key("html", "jinja2", (self.paper.value, cited, notice), view)
        text = pages.fetch(key)
        if text is None:
            from backcare.render.html import Html

            text = Html(self.paper.value, cited, notice).render(view)
            pages.keep(key, text)
        return text


def page_text(text: str) -> None:
    import shlex
    import subprocess

    command = pager_command() or "less"
    env = dict(os.environ)
    if os.environ.get("LESS") is None:
        env["LESS"] = "FRX"  # quit if one screen, keep colours, leave the text on screen
    previous = _ignore_sigint()  # Ctrl-C belongs to the pager (less stops a search with it), as in git
    try:
        subprocess.run(shlex.split(command), input=text, text=True, check=False, env=env)
    except (OSError, ValueError):  # no such pager: print instead of failing
        write(text)
    finally:
        if previous is not None:
            import signal

            signal.signal(signal.SIGINT, previous)


def _ignore_sigint() -> Any:
    import signal

    try:
        return signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        return None
