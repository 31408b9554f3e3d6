"""How backcare's commands grow with the size of the knowledge base.

    python benchmarks/scale.py [--runs N] [--markdown]

Generates synthetic knowledge bases of 20, 1,000 and 10,000 entries (benchmarks/generate.py)
in a temporary directory and, for each, times `search nerve`, `show synthetic-00007` and
`list --format json` with `--data-only FILE` and a warm cache. Sizes alternate in the same loop
(every round runs every command at every size once, in a rotated order), so machine drift
cancels out. Targets (GitHub issue 4): at most 1.5x the 20-entry time at 1,000 entries and
3.5x at 10,000; search cost no worse than linear in the number of entries.

Also reported: the first run per size with an empty cache (YAML parse, validation, cache
write). `search` and `show` print plain rows, as they do in a pipe; `--format plain` makes that
explicit. This is a report, not a test: it always exits 0 (2 only if a command itself fails).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import generate
import harness
from harness import Launcher, Run, Sandbox, Series, code, heading, table, verdict

SIZES = (20, 1_000, 10_000)
LIMITS = {1_000: 1.5, 10_000: 3.5}
SHOW_ID = "synthetic-00007"
COMMANDS = {
    "search": ["search", "nerve", "--format", "plain"],
    "show": ["show", SHOW_ID, "--format", "plain"],
    "list json": ["list", "--format", "json"],
}
COLD_COMMAND = "show"
LINEAR_SLACK = 1.25  # the 1k→10k slope may exceed the 20→1k slope by this much before it is "worse than linear"


@dataclass(frozen=True)
class Measured:
    megabytes: dict[int, float]  # size of each generated YAML file
    generate_s: float
    cold: dict[int, Run]
    results: dict[str, Series]


def key(command: str, size: int) -> str:
    return f"{command} @ {size}"


def argv_for(command: str, path: Path) -> list[str]:
    return [*harness.backcare_command(), "--data-only", str(path), *COMMANDS[command]]


def shown(command: str, size: int) -> str:
    return " ".join(["backcare", "--data-only", f"kb-{size}.yaml", *COMMANDS[command]])


# -- measuring ----------------------------------------------------------------------------------


def make_files(directory: Path) -> tuple[dict[int, Path], float]:
    start = time.perf_counter()
    words = generate.vocabulary()
    files = {n: generate.write(n, directory / f"kb-{n}.yaml", words=words) for n in SIZES}
    return files, time.perf_counter() - start


def warm_bytecode(box: Sandbox, path: Path) -> None:
    """Every command once, cache off, on the smallest file: every module gets its .pyc."""
    for command in COMMANDS:
        harness.check(argv_for(command, path), box.without_cache())


def cold_runs(box: Sandbox, launcher: Launcher, files: dict[int, Path]) -> dict[int, Run]:
    """The first run per size, with an empty cache: parse, validate, write the cache."""
    box.clear_cache()
    out = {}
    for size, path in files.items():
        harness.progress(f"cold run at {size} entries ...")
        out[size] = launcher.run(argv_for(COLD_COMMAND, path))
    return out


def measure(runs: int) -> Measured:
    # files of up to 10,000 entries (~22 MB) are over the default 16 MB cap on layer files: raise it
    with harness.sandbox({"BACKCARE_MAX_FILE_MB": "100"}) as box, Launcher(box.env) as launcher:
        harness.progress("generating knowledge bases ...")
        files, seconds = make_files(box.root)
        warm_bytecode(box, files[SIZES[0]])
        cold = cold_runs(box, launcher, files)
        commands = {key(c, n): argv_for(c, p) for c in COMMANDS for n, p in files.items()}
        for argv in commands.values():  # warm cache; also checks every command succeeds
            harness.check(argv, box.env)
        harness.progress(f"{runs} alternating rounds of {len(commands)} commands ...")
        results = harness.alternate(commands, launcher, runs)
        megabytes = {n: p.stat().st_size / 1e6 for n, p in files.items()}
        return Measured(megabytes, seconds, cold, results)


# -- reporting ----------------------------------------------------------------------------------


def time_rows(results: dict[str, Series], *, markdown: bool) -> list[list[str]]:
    rows = []
    for command in COMMANDS:
        base = results[key(command, SIZES[0])].median
        for size in SIZES:
            series = results[key(command, size)]
            ratio = series.median / base
            limit = LIMITS.get(size)
            rows.append(
                [
                    code(shown(command, size), markdown=markdown),
                    f"{size:,}",
                    f"{series.median:.1f}",
                    series.spread(),
                    f"{ratio:.2f}×",
                    f"≤ {limit:.1f}×" if limit else "baseline",
                    verdict(ratio <= limit) if limit else "",
                    series.rss(),
                ]
            )
    return rows


def cold_rows(m: Measured) -> list[list[str]]:
    rows = []
    for size in SIZES:
        cold, warm = m.cold[size], m.results[key(COLD_COMMAND, size)].median
        rows.append(
            [
                f"{size:,}",
                f"{m.megabytes[size]:.1f}",
                f"{cold.ms:,.0f}",
                f"{warm:.1f}",
                f"{cold.ms / warm:.0f}×",
                f"{cold.rss_kib / 1024:.0f}",
            ]
        )
    return rows


def search_cost(results: dict[str, Series]) -> tuple[list[list[str]], bool, str]:
    """ms per 1,000 entries overall and per step; growth is linear or better if the slope does not rise."""
    m = {n: results[key("search", n)].median for n in SIZES}
    small, mid, big = SIZES
    overall = (m[big] - m[small]) / ((big - small) / 1000)
    first = (m[mid] - m[small]) / ((mid - small) / 1000)
    second = (m[big] - m[mid]) / ((big - mid) / 1000)
    ok = second <= first * LINEAR_SLACK
    rows = [
        [f"{small:,} → {big:,} (the figure asked for)", f"{overall:.2f}"],
        [f"{small:,} → {mid:,}", f"{first:.2f}"],
        [f"{mid:,} → {big:,}", f"{second:.2f}"],
    ]
    note = (
        f"Growth no worse than linear (slope {mid:,}→{big:,} ≤ {LINEAR_SLACK}× slope {small:,}→{mid:,}): "
        f"{verdict(ok)} ({second:.2f} vs {first:.2f} ms per 1,000 entries)."
    )
    return rows, ok, note


def report(runs: int, m: Measured, load_before: str, *, markdown: bool) -> str:
    md = markdown
    rows = time_rows(m.results, markdown=md)
    cost_rows, linear, cost_note = search_cost(m.results)
    verdicts = [r[6] for r in rows if r[6]] + [verdict(linear)]
    parts = [
        heading("backcare scale benchmark", markdown=md, level=1),
        harness.machine_block(load_before, markdown=md),
        f"Runs per command and size: {runs}, alternating; times in ms (whole process, stdout to /dev/null). "
        f"Generating the three files took {m.generate_s:.1f} s.",
        heading("Warm cache", markdown=md),
        table(
            ["command", "entries", "median ms", "min–max ms", "vs 20", "target", "result", "MiB"],
            rows,
            markdown=md,
        ),
        heading(
            f"Cold cache: first `{' '.join(COMMANDS[COLD_COMMAND])}` (parse + validate + write cache)", markdown=md
        ),
        table(["entries", "YAML MB", "cold ms", "warm median ms", "cold/warm", "cold MiB"], cold_rows(m), markdown=md),
        heading("Search cost per 1,000 entries (difference of medians)", markdown=md),
        table(["sizes", "ms per 1,000 entries"], cost_rows, markdown=md),
        cost_note,
        f"Targets: {verdicts.count('PASS')} PASS, {verdicts.count('FAIL')} FAIL.",
    ]
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = harness.parse_args(
        argv, "How backcare's commands grow with the knowledge base.", "rounds (each runs every command at every size)"
    )
    load_before = harness.loadavg()
    try:
        measured = measure(args.runs)
    except harness.CommandFailed as exc:
        print(f"scale.py: a benchmarked command failed: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(report(args.runs, measured, load_before, markdown=args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
