"""Regenerate docs/handout-four-way.png: the brief four-way option grid as an HTML handout,
drawn by headless Chromium at the size of an A4 page at 150 dpi.

    python docs/gen_screenshot.py

Needs `chromium` (Debian's package). The bundled knowledge base alone and a fixed date, so the
picture changes only when the handout does.
"""

from __future__ import annotations

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
ARGS = ["compare", "spinal-manipulation", "acupuncture", "massage-therapy", "exercise-therapy", "--format", "html"]
ENV = {"BACKCARE_TODAY": "2026-11-25", "BACKCARE_DATA": "", "XDG_DATA_HOME": "/nonexistent", "NO_COLOR": "1"}


def main() -> int:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("gen_screenshot: chromium is needed (apt-get install chromium)", file=sys.stderr)
        return 1
    result = CliRunner().invoke(app, ARGS, env=ENV)
    if result.exit_code != 0:
        print(result.output, file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "handout.html"
        page.write_text(result.stdout, encoding="utf-8")
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
            f"--screenshot={PICTURE}",
            "--window-size=1240,1754",
            page.as_uri(),
        ]
        subprocess.run(command, capture_output=True, timeout=120, check=False, env={**os.environ})
    if not PICTURE.exists() or PICTURE.stat().st_size == 0:
        print("gen_screenshot: chromium wrote no picture", file=sys.stderr)
        return 1
    print(f"wrote {PICTURE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
