"""Every environment variable backcare reads, and what it means: the one list.

tests/test_env.py fails when the code reads a variable that is not here (it finds every
os.environ.get / os.environ[...] / os.getenv in src/ with the AST), and docs/gen_docs.py writes
the "Environment" table of docs/cli.md from this dict.
"""

from __future__ import annotations

VARIABLES: dict[str, str] = {
    "BACKCARE_DATA": "Knowledge-base files layered over the bundled one, separated by ':' (';' on Windows); "
    "--data replaces it.",
    "BACKCARE_PAGER": "The pager for output taller than the screen; 'cat' or empty turns paging off. "
    "Default: $PAGER, else less.",
    "BACKCARE_NO_CACHE": "Set to anything to parse the knowledge base on every run instead of using the cache.",
    "BACKCARE_MAX_FILE_MB": "Largest knowledge-base file read, in MB (default 16); a bigger file is refused with a "
    "message naming this variable.",
    "SHELL": "The shell to write a completion script for when --show-completion or --install-completion "
    "names none and the parent process does not tell.",
    "BACKCARE_DEBUG": "Set to anything to get a traceback instead of the one-line message on an internal error.",
    "BACKCARE_TODAY": "A fixed date (YYYY-MM-DD) for the staleness notes, for tests and reproducible output.",
    "PAGER": "The pager when BACKCARE_PAGER is unset.",
    "LESS": "Options for less; when unset, backcare pages with LESS=FRX (quit if one screen, keep colours).",
    "NO_COLOR": "Set to anything for no colour (--color always still colours).",
    "FORCE_COLOR": "Set to anything for colour and tables even in a pipe.",
    "TERM": "TERM=dumb means no colour unless --color always.",
    "COLUMNS": "Terminal width in cells (read by Rich); tables are laid out to it.",
    "LINES": "Terminal height in lines; longer output is paged.",
    "COLORTERM": "Read by Rich: truecolor or 24bit for full colour. Part of a kept page's key (pages.py).",
    "TTY_COMPATIBLE": "Read by Rich: 1 or 0 says whether output is a terminal. Part of a kept page's key.",
    "TTY_INTERACTIVE": "Read by Rich: 1 or 0 says whether the terminal is interactive. Part of a kept page's key.",
    "JUPYTER_COLUMNS": "Read by Rich inside Jupyter only. Part of a kept page's key.",
    "JUPYTER_LINES": "Read by Rich inside Jupyter only. Part of a kept page's key.",
    "HOME": "Where the default user data and cache directories are.",
    "XDG_DATA_HOME": "User data directory base: every *.yaml in $XDG_DATA_HOME/backcare is a layer.",
    "XDG_CACHE_HOME": "Cache directory base: $XDG_CACHE_HOME/backcare.",
    "LC_ALL": "A locale of C or POSIX (here, or in LC_CTYPE or LANG) means ASCII-only output.",
    "LC_CTYPE": "See LC_ALL.",
    "LANG": "See LC_ALL.",
}
