"""Regenerate docs/handout-four-way.png: the brief four-way option grid as an HTML handout,
drawn by headless Chromium at the size of an A4 page at 150 dpi.

    python docs/gen_screenshot.py           # the picture, and its record (below)
    python docs/gen_screenshot.py --check   # exit 1 when the handout is no longer the one pictured

Needs `chromium` (Debian's package). The bundled knowledge base alone and a fixed date, so the
handout is the same bytes on every machine and day and the picture changes only when it does.
docs/handout-four-way.json records the sha256 of the HTML that was drawn and of the picture;
tests/test_docs.py renders the handout again and fails when it differs. (Chromium's PNG bytes are
not reproducible, so the test compares the HTML, not a new picture.)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from backcare.cli import app

ROOT = Path(__file__).resolve().parent.parent
PICTURE = ROOT / "docs" / "handout-four-way.png"
RECORD = ROOT / "docs" / "handout-four-way.json"
STALE = "docs/handout-four-way.png is not the handout backcare prints now: run python docs/gen_screenshot.py"
ARGS = ["compare", "spinal-manipulation", "acupuncture", "massage-therapy", "exercise-therapy", "--format", "html"]
ENV = {"BACKCARE_TODAY": "2026-11-29", "BACKCARE_DATA": "", "XDG_DATA_HOME": "/nonexistent", "NO_COLOR": "1"}


def handout() -> str:
    """The HTML handout the picture shows, as backcare prints it now."""
    result = CliRunner().invoke(app, ARGS, env=ENV)
    if result.exit_code != 0:
        raise RuntimeError(f"backcare {' '.join(ARGS)} failed: {result.output}")
    return result.stdout


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record(html: str, picture: bytes) -> str:
    """What was drawn: the command, its fixed environment, and the hashes of the HTML and the picture."""
    fields = {
        "command": "backcare " + " ".join(ARGS),
        "environment": ENV,
        "html_sha256": sha256(html.encode("utf-8")),
        "png_sha256": sha256(picture),
    }
    return json.dumps(fields, indent=2) + "\n"


def in_step() -> bool:
    """Whether the picture and its record are the handout backcare prints now."""
    if not RECORD.exists() or not PICTURE.exists():
        return False
    return RECORD.read_text(encoding="utf-8") == record(handout(), PICTURE.read_bytes())


def main(argv: list[str]) -> int:
    if "--check" in argv:
        if not in_step():
            print(STALE, file=sys.stderr)
            return 1
        return 0
    chromium = shutil.which("chromium")
    if chromium is None:
        print("gen_screenshot: chromium is needed (apt-get install chromium)", file=sys.stderr)
        return 1
    html = handout()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "handout.html"
        page.write_text(html, encoding="utf-8")
        shot = Path(tmp) / PICTURE.name  # drawn aside, so a failed run leaves the old picture and record alone
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=1240,1754",
            page.as_uri(),
        ]
        subprocess.run(command, capture_output=True, timeout=120, check=False, env={**os.environ})
        picture = shot.read_bytes() if shot.exists() else b""
    if not picture:
        print("gen_screenshot: chromium wrote no picture", file=sys.stderr)
        return 1
    PICTURE.write_bytes(picture)
    RECORD.write_text(record(html, picture), encoding="utf-8")
    print(f"wrote {PICTURE.relative_to(ROOT)} and {RECORD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
