"""Entry point for `backcare` and `python -m backcare`.

The SIGINT and SIGTERM handlers are installed first, before any heavy import: Ctrl-C at any
moment (while Typer, YAML or Rich load, while a cache file is written) ends the run with status
130 (SIGTERM: 143), no traceback and nothing on stderr, after removing any half-written cache
file. A signal that was ignored when backcare started (nohup, a background job) stays ignored.

`backcare --version` is answered here without importing Typer or anything else: it is the
command scripts and bug reports run most, and it should cost no more than starting Python.
Everything else goes to the Typer app in cli.py.

A run lasts tens of milliseconds, so two costs of a long-lived program are skipped (decision 006,
with the measurements): the cyclic garbage collector is off (it would only walk the import graph
again and again: ~4 ms with Typer, ~6 ms with Rich), and the run ends with `os._exit` once
stdout and stderr are flushed, instead of tearing the interpreter down module by module (~7 ms
with Typer, ~11 ms with Rich). Files are written, synced and renamed before a command returns
and a pager has exited by then; the one end-of-run task, tidying the cache after a write, is
called here (it is also an atexit handler for programs that import backcare).
"""

import gc
import os
import sys

from backcare.errors import exit_code_for_signal

gc.disable()  # before Typer, Rich and the knowledge base are imported (see above)

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

    try:
        cli_main()
    except SystemExit as exc:
        finish(exc.code)
    finish(0)


def finish(status: object) -> None:
    """End the run now with `status` (as SystemExit takes it), after flushing what was written."""
    from backcare.errors import EXIT_FAILURE

    cache = sys.modules.get("backcare.cache")
    finish_run = getattr(cache, "finish_run", None)
    if finish_run is not None:
        finish_run()

    if isinstance(status, str):  # SystemExit("message"): the message, status 1
        sys.stderr.write(f"{status}\n")
    code = status if isinstance(status, int) else (0 if status is None else EXIT_FAILURE)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away during the last write
            code = code or EXIT_FAILURE
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(code)


if __name__ == "__main__":
    main()
