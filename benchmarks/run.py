"""The whole benchmark in one command: build the benchmark's own environment, then measure.

    python3 benchmarks/run.py [--runs N] [--cold-runs N] [--big-cold-runs N] [--scale-runs N]
                              [--venv DIR] [--markdown] > report.md

1. The environment: a virtual environment at --venv (default benchmarks/.venv, ignored by git),
   made with this interpreter if missing, kept between runs. Into it go backcare, installed
   (not editable) from a copy of this checkout (pyproject.toml, README.md, src/, so the build
   writes nothing into the checkout), with its dependencies, and the tldr client, pinned at
   TLDR_PIN. backcare is reinstalled on every run, so the code measured is the checkout's.
2. speed.py (Speed II: read commands, TAB completion, cold start, baselines incl. tldr), then
   scale.py (issue 4: how commands grow with the knowledge base; 0 rounds skips it), both with
   the environment's interpreter. Their reports go to stdout, one after the other; progress to
   stderr. Exit 0, or 2 if a command under test failed or the environment could not be built.

Standard library only, and any Python 3.11+ can start it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path
from tempfile import TemporaryDirectory

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
TLDR_PIN = "tldr==3.4.4"
DEFAULT_VENV = HERE / ".venv"


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pip(python: Path, *args: str) -> None:
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"pip install {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def build_env(venv: Path) -> Path:
    """The environment's interpreter, with backcare from this checkout and the pinned tldr client."""
    python = venv / "bin" / "python"
    if not python.exists():
        progress(f"creating {venv} ...")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    with TemporaryDirectory(prefix="backcare-bench-src-") as tmp:
        copy = Path(tmp) / "backcare"
        copy.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(CHECKOUT / name, copy / name)
        shutil.copytree(
            CHECKOUT / "src", copy / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
        )
        progress(f"installing backcare from this checkout and {TLDR_PIN} into {venv} ...")
        pip(python, str(copy), TLDR_PIN)  # dependencies (a no-op when already there)
        pip(python, "--no-deps", "--force-reinstall", str(copy))  # always the checkout's code
    return python


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--runs", type=int, default=21, help="rounds of speed.py's loop; default 21")
    parser.add_argument("--cold-runs", type=int, default=5, help="first runs at 1,000 entries; default 5")
    parser.add_argument("--big-cold-runs", type=int, default=1, help="first runs at 10,000 entries; default 1")
    parser.add_argument("--scale-runs", type=int, default=21, help="rounds of scale.py (0 skips it); default 21")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV, help=f"default {DEFAULT_VENV}")
    parser.add_argument("--markdown", action="store_true", help="Markdown tables, ready for RESULTS.md")
    args = parser.parse_args(argv)
    try:
        python = build_env(args.venv.resolve())
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"run.py: could not build the benchmark environment: {exc}", file=sys.stderr)
        return 2
    md = ["--markdown"] if args.markdown else []
    steps = [
        [
            "speed.py",
            "--runs",
            str(args.runs),
            "--cold-runs",
            str(args.cold_runs),
            "--big-cold-runs",
            str(args.big_cold_runs),
            *md,
        ]
    ]
    if args.scale_runs > 0:
        steps.append(["scale.py", "--runs", str(args.scale_runs), *md])
    for script, *rest in steps:
        progress(f"== {script} ==")
        sys.stdout.flush()
        code = subprocess.run([str(python), str(HERE / script), *rest], check=False).returncode
        if code != 0:
            return code
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
