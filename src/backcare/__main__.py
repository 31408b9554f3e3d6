"""Entry point for `backcare` and `python -m backcare`.

`backcare --version` is answered here without importing Typer or anything else: it is the
command scripts and bug reports run most, and it should cost no more than starting Python.
Everything else goes to the Typer app in cli.py.
"""

import sys


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
            import os

            from backcare.errors import EXIT_FAILURE

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(EXIT_FAILURE) from None
        return
    from backcare.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
