"""Entry point for `backcare` and `python -m backcare`.

`backcare --version` is answered here without importing Typer or anything else: it is the
command scripts and bug reports run most, and it should cost no more than starting Python.
Everything else goes to the Typer app in cli.py.
"""

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from backcare import __version__

        sys.stdout.write(f"backcare {__version__}\n")
        return
    from backcare.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
