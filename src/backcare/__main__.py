"""Entry point for `backcare` and `python -m backcare`.

The SIGINT and SIGTERM handlers are installed first, before any heavy import: Ctrl-C at any
moment (while Typer, YAML or Rich load, while a cache file is written) ends the run with status
130 (SIGTERM: 143), no traceback and nothing on stderr, after removing any half-written cache
file. A signal that was ignored when backcare started (nohup, a background job) stays ignored.

`backcare --version` is answered here without importing Typer or anything else: it is the
command scripts and bug reports run most, and it should cost no more than starting Python.
Everything else goes to the Typer app in cli.py.
"""

import os
import sys

from backcare.errors import exit_code_for_signal

# The C module under `signal`: the same functions, without importing enum (~3 ms) before --version.
signals = __import__("_signal")


def _stop(signum: int, frame: object) -> None:
    cache = sys.modules.get("backcare.cache")
    remove_temporaries = getattr(cache, "remove_temporaries", None)
    if remove_temporaries is not None:
        remove_temporaries()
    os._exit(exit_code_for_signal(signum))  # at once: no traceback, no flush of a broken pipe


def _install_signal_handlers() -> None:
    for signum in (signals.SIGINT, signals.SIGTERM):
        try:
            if signals.getsignal(signum) != signals.SIG_IGN:
                signals.signal(signum, _stop)
        except (ValueError, OSError):  # not the main thread (imported by a host program)
            pass


_install_signal_handlers()


def main() -> None:
    if sys.stdout is None:  # started with stdout closed (`backcare list >&-`)
        from backcare.errors import EXIT_FAILURE
        from backcare.output import say_error

        say_error("standard output is closed; there is nowhere to write")
        raise SystemExit(EXIT_FAILURE)
    if sys.argv[1:] == ["--version"]:
        from backcare import __version__

        try:
            sys.stdout.write(f"backcare {__version__}\n")
            sys.stdout.flush()
        except BrokenPipeError:  # the reader went away (`| true`): stop quietly
            from backcare.errors import EXIT_FAILURE

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(EXIT_FAILURE) from None
        return
    from backcare.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
