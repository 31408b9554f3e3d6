"""Compile the HTML templates ahead of time into render/compiled_templates/ (decision 005).

    python -m backcare.render.compile_templates           # rewrite the folder
    python -m backcare.render.compile_templates --check   # exit 1 when it is out of step

Run it after editing anything in templates/; tests/test_html.py fails until you do. The code is
Jinja2's own (`Environment.compile_templates`, loaded with `jinja2.ModuleLoader`), with the same
options as at run time; `__init__.py` names the Jinja2 release that wrote it and a hash of each
template's source.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path

import jinja2

from backcare.render.html import source_environment

TARGET = Path(__file__).resolve().with_name("compiled_templates")
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STALE = "render/compiled_templates/ is stale: run python -m backcare.render.compile_templates"
HEADER = '''"""Templates compiled ahead of time by Jinja2 (decision 005). Generated: do not edit.

Written by `python -m backcare.render.compile_templates` from src/backcare/templates/; a test
fails when this folder is out of step with them. One module per template, named as
jinja2.ModuleLoader looks for it ("tmpl_" and the sha1 of the template's name).
"""
'''


def sources() -> dict[str, str]:
    """The sha256 of each template's source, by its name."""
    return {
        name: hashlib.sha256((TEMPLATES / name).read_bytes()).hexdigest()
        for name in source_environment().list_templates()
    }


def generated() -> dict[str, str]:
    """Every file of compiled_templates/ as it should be, by file name."""
    with tempfile.TemporaryDirectory() as tmp:
        source_environment().compile_templates(tmp, zip=None, ignore_errors=False)
        files = {p.name: p.read_text(encoding="utf-8") + "\n" for p in sorted(Path(tmp).glob("*.py"))}
    listing = "".join(f'    "{name}": "{digest}",\n' for name, digest in sources().items())
    files["__init__.py"] = (
        f"{HEADER}\n"
        f'JINJA2_VERSION = "{jinja2.__version__}"  # used at run time only under this release\n'
        f"SOURCES = {{\n{listing}}}\n"
    )
    return files


def written() -> dict[str, str]:
    """The files compiled_templates/ holds now."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(TARGET.glob("*.py"))}


def main(argv: list[str]) -> int:
    want = generated()
    if "--check" in argv:
        if written() != want:
            print(STALE, file=sys.stderr)
            return 1
        return 0
    TARGET.mkdir(exist_ok=True)
    for stale in set(written()) - set(want):  # a template that was removed or renamed
        (TARGET / stale).unlink()
    for name, text in want.items():
        (TARGET / name).write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {len(want)} files to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
