"""Start-up time and peak memory of backcare commands against the cost of importing their libraries.

    python benchmarks/startup.py [--runs N] [--markdown]

Each command runs as a whole process, alternating with its baseline in the same loop (every
round runs every command once, in a rotated order), so drift of the machine cancels out.

Baselines and targets (GitHub issue 4):
- floor: `python -c "import typer, rich.console, rich.table, yaml"`; the four table commands
  take at most 1.15x its median time;
- the same four commands with `--format json` are faster than with `--format table`;
- `--version` takes at most 1.10x `python -c "import typer"`;
- every command's peak memory (max RSS) is at most 1.3x the floor's.

The knowledge-base cache is warmed before timing; the first run with an empty cache (YAML
parsed and validated, cache written) is reported separately for `list`. This is a report, not
a test: it prints PASS/FAIL per target and always exits 0 (2 only if a command itself fails).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import harness
from harness import Launcher, Sandbox, Series, code, heading, table, verdict

TABLE_LIMIT = 1.15
VERSION_LIMIT = 1.10
MEMORY_LIMIT = 1.3
COLD_REPEATS = 5

FLOOR = "floor"
TYPER = "import typer"
QUERIES = {
    "list": ["list"],
    "show": ["show", "kyphoplasty"],
    "compare": ["compare", "rfa", "epidural"],
    "search": ["search", "nerve"],
}


@dataclass(frozen=True)
class Case:
    name: str
    argv: list[str]
    baseline: str | None  # the case this one's time is divided by


def cases() -> list[Case]:
    py, app = sys.executable, harness.backcare_command()
    out = [
        Case(FLOOR, [py, "-c", "import typer, rich.console, rich.table, yaml"], None),
        Case(TYPER, [py, "-c", "import typer"], None),
    ]
    for fmt in ("table", "json"):
        out += [Case(f"{name} {fmt}", [*app, *args, "--format", fmt], FLOOR) for name, args in QUERIES.items()]
    out.append(Case("--version", [*app, "--version"], TYPER))
    return out


def shown(case: Case) -> str:
    """The command line as a reader would type it."""
    argv = case.argv
    if argv[:2] == [sys.executable, "-c"]:
        return f'python -c "{argv[2]}"'
    skip = 3 if argv[:3] == [sys.executable, "-m", "backcare"] else 1
    return " ".join(["backcare", *argv[skip:]])


# -- measuring ----------------------------------------------------------------------------------


def warm_bytecode(box: Sandbox, all_cases: list[Case]) -> None:
    """One run of everything with the cache off: every module, parser included, gets its .pyc."""
    for case in all_cases:
        harness.check(case.argv, box.without_cache())


def cold_list(box: Sandbox, launcher: Launcher, argv: list[str]) -> list[float]:
    """`list` with an empty cache directory: parse, validate and write the cache. First run first."""
    times = []
    for _ in range(COLD_REPEATS):
        box.clear_cache()
        times.append(launcher.run(argv).ms)
    return times


def measure(runs: int) -> tuple[list[Case], dict[str, Series], list[float]]:
    all_cases = cases()
    with harness.sandbox() as box, Launcher(box.env) as launcher:
        harness.progress("warming bytecode ...")
        warm_bytecode(box, all_cases)
        harness.progress("cold-cache runs of list ...")
        cold = cold_list(box, launcher, next(c.argv for c in all_cases if c.name == "list table"))
        for case in all_cases:  # warm cache; also checks every command succeeds
            harness.check(case.argv, box.env)
        harness.progress(f"{runs} alternating rounds of {len(all_cases)} commands ...")
        results = harness.alternate({c.name: c.argv for c in all_cases}, launcher, runs)
    return all_cases, results, cold


# -- reporting ----------------------------------------------------------------------------------


def time_target(case: Case, results: dict[str, Series]) -> tuple[str, str]:
    """(target, PASS/FAIL) for one case's time."""
    if case.baseline is None:
        return "baseline", ""
    ratio = results[case.name].median / results[case.baseline].median
    if case.name == "--version":
        return f"≤ {VERSION_LIMIT:.2f}× import typer", verdict(ratio <= VERSION_LIMIT)
    if case.name.endswith(" json"):
        tabled = results[case.name.replace(" json", " table")]
        vs = results[case.name].median / tabled.median
        return f"< table ({vs:.2f}× table)", verdict(vs < 1.0)
    return f"≤ {TABLE_LIMIT:.2f}× floor", verdict(ratio <= TABLE_LIMIT)


def time_rows(all_cases: list[Case], results: dict[str, Series], *, markdown: bool) -> list[list[str]]:
    rows = []
    for case in all_cases:
        series = results[case.name]
        base = results[case.baseline] if case.baseline else series
        target, result = time_target(case, results)
        ratio = series.median / base.median
        rows.append(
            [
                code(shown(case), markdown=markdown),
                f"{series.median:.1f}",
                series.spread(),
                f"{ratio:.3f}× {case.baseline or ''}".rstrip(),
                target,
                result,
            ]
        )
    return rows


def memory_rows(all_cases: list[Case], results: dict[str, Series], *, markdown: bool) -> list[list[str]]:
    floor = results[FLOOR].rss_mib
    rows = []
    for case in all_cases:
        series = results[case.name]
        is_app = case.name not in (FLOOR, TYPER)
        ratio = series.rss_mib / floor
        rows.append(
            [
                code(shown(case), markdown=markdown),
                series.rss(),
                f"{ratio:.3f}×",
                f"≤ {MEMORY_LIMIT:.2f}× floor" if is_app else "baseline" if case.name == FLOOR else "",
                verdict(ratio <= MEMORY_LIMIT) if is_app else "",
            ]
        )
    return rows


def cold_rows(cold: list[float], warm: Series) -> list[list[str]]:
    first, rest = cold[0], sorted(cold)
    median = rest[len(rest) // 2]
    return [
        ["first run (empty cache)", f"{first:.1f}", f"{first / warm.median:.2f}×"],
        [f"median of {len(cold)} empty-cache runs", f"{median:.1f}", f"{median / warm.median:.2f}×"],
        ["warm cache (median, above)", f"{warm.median:.1f}", "1.00×"],
    ]


def report(
    runs: int, all_cases: list[Case], results: dict[str, Series], cold: list[float], load_before: str, *, markdown: bool
) -> str:
    md = markdown
    time_rows_ = time_rows(all_cases, results, markdown=md)
    memory_rows_ = memory_rows(all_cases, results, markdown=md)
    verdicts = [r[-1] for r in time_rows_ + memory_rows_ if r[-1]]
    parts = [
        heading("backcare start-up benchmark", markdown=md, level=1),
        harness.machine_block(load_before, markdown=md),
        f"Runs per command: {runs}, alternating; times in ms (whole process, stdout to /dev/null).",
        heading("Start-up time", markdown=md),
        table(["command", "median ms", "min–max ms", "ratio", "target", "result"], time_rows_, markdown=md),
        heading("Peak memory (max RSS of the child)", markdown=md),
        table(["command", "median MiB", "ratio to floor", "target", "result"], memory_rows_, markdown=md),
        f"Peak RSS is ru_maxrss from wait4, in a launcher whose own peak is {results[FLOOR].launcher_mib:.1f} MiB; "
        "a child's figure is exact when above that (see harness.py), else marked '≤'.",
        heading("Cold cache: first `list --format table`", markdown=md),
        table(["run", "ms", "vs warm"], cold_rows(cold, results["list table"]), markdown=md),
        f"Targets: {verdicts.count('PASS')} PASS, {verdicts.count('FAIL')} FAIL.",
    ]
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = harness.parse_args(argv, __doc__.splitlines()[0] if __doc__ else "", "rounds (each runs every command once)")
    load_before = harness.loadavg()
    try:
        all_cases, results, cold = measure(args.runs)
    except harness.CommandFailed as exc:
        print(f"startup.py: a benchmarked command failed: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(report(args.runs, all_cases, results, cold, load_before, markdown=args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
