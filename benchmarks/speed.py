"""Speed II: read commands, TAB completion and cold start against honest baselines, in one run.

    python benchmarks/run.py [--runs N] ...      # the one command: builds the environment, runs this
    python benchmarks/speed.py [--runs N] [--cold-runs N] [--big-cold-runs N] [--markdown]

speed.py itself must run with the interpreter of an environment that has backcare and the tldr
client installed (run.py builds one: backcare from this checkout plus tldr==3.4.4).

Everything timed alternates in one loop (every round runs every command once, in a rotated
order), so the baselines and the commands see the same machine:

- baselines: the issue-4 floor (`import typer, rich.console, rich.table, yaml`); the floor of what
  the table path really imports (found in this run with `python -X importtime -m backcare show
  epidural --format table`: exactly the third-party modules imported from outside a
  third-party module); `import typer` alone; and the tldr Python client printing a fixed page
  from its cache (tldr-page.md, placed where tldr.py looks: $XDG_CACHE_HOME/tldr/pages/common/);
- show, compare, search, list and conditions in table, plain and JSON output, `--version`, and
  TAB completion through Typer's protocol (_BACKCARE_COMPLETE=complete_bash, COMP_WORDS, COMP_CWORD);
- paths not built yet (PLANNED): each is tried once and reported "not available in this build"
  if it fails, so its row lights up by itself once the command exists.

Cold start (separate loop, a first run is expensive): a new 1,000-entry user file (in
$XDG_DATA_HOME/backcare/, the bundled cache already warm) read by `show synthetic-00007`,
alternating with parsing the same file with PyYAML's C loader alone; then 10,000 entries.

A report, not a test: it prints PASS/FAIL per target and exits 0 (2 if a command itself fails).
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import generate
import harness
from harness import Launcher, Sandbox, Series, code, heading, table, verdict

HERE = Path(__file__).resolve().parent
TLDR_PAGE = HERE / "tldr-page.md"
TLDR_NAME = "backcare"  # the page is stored as pages/common/backcare.md and looked up as `tldr backcare`
TLDR_MARK = "Offline reference on treatments for back pain"  # a line of the page: proof it was printed
# tldr.py reads these at import. The page is fresh and may be 100 years old before it counts as
# stale; a miss would go to a file:// URL that does not exist (an error, never the network).
TLDR_ENV = {
    "TLDR_CACHE_ENABLED": "1",
    "TLDR_CACHE_MAX_AGE": str(24 * 365 * 100),
    "TLDR_LANGUAGE": "en",
    "TLDR_PAGES_SOURCE_LOCATION": "file:///nonexistent/tldr-pages",
    "TLDR_DOWNLOAD_CACHE_LOCATION": "file:///nonexistent/tldr.zip",
}
# Runs tldr's own entry point under an audit hook that refuses any socket or URL request.
TLDR_AUDIT = r"""
import sys
attempts = []
def hook(event, args):
    if event.startswith(("socket.", "urllib.Request", "http.client.")):
        attempts.append(event)
        raise RuntimeError("network attempt: " + event)
sys.addaudithook(hook)
sys.argv = ["tldr", *sys.argv[1:]]
import tldr
try:
    tldr.cli()
finally:
    sys.stderr.write("network attempts: %d %s\n" % (len(attempts), " ".join(attempts)))
"""

FLOOR = "floor (issue 4)"
FLOOR_TABLE = "floor (table path)"
TYPER = "import typer"
TLDR = "tldr client"
PYTHON = "python -c pass"
BASELINES = (FLOOR, FLOOR_TABLE, TYPER, TLDR)
ISSUE4_FLOOR = "import typer, rich.console, rich.table, yaml"
IMPORT_PROBE = ["show", "epidural", "--format", "table"]

READS = {
    "show": ["show", "kyphoplasty"],
    "compare": ["compare", "rfa", "epidural"],
    "search": ["search", "nerve"],
    "list": ["list"],
    "conditions": ["conditions"],
}
FORMATS = ("table", "plain", "json")
# (words typed so far, the last one being completed; a word the answer must contain)
COMPLETIONS = {
    "TAB: backcare sh": ("backcare sh", "show"),
    "TAB: backcare show ky": ("backcare show ky", "kyphoplasty"),
    "TAB: backcare list --treats sci": ("backcare list --treats sci", "sciatica"),
}

TABLE_LIMIT = 1.15  # issue 4: table commands vs the issue-4 floor
VERSION_LIMIT = 1.10  # issue 4: --version vs import typer
MEMORY_LIMIT = 1.3  # issue 4: peak RSS vs the issue-4 floor
COMPLETION_LIMIT = 0.7  # Speed II: TAB vs the issue-4 floor
PEER_LIMIT = 1.0  # Speed II: table and plain reads vs the tldr client's cached page
COLD_TIME_LIMIT = 1.5  # Speed II: first run on a new 1,000-entry file vs the C loader alone
COLD_MEMORY_LIMIT = 1.6
COLD_SIZES = (1_000, 10_000)
COLD_TARGET_SIZE = 1_000
COLD_SHOW = ["show", "synthetic-00007", "--format", "plain"]
YAML_ALONE = "import sys, yaml; yaml.load(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)"


@dataclass(frozen=True)
class Planned:
    """A path not built yet: timed once it runs, 'not available in this build' until then."""

    args: list[str]  # after `backcare`; {site} is replaced by a fresh directory
    limits: dict[str, float]  # baseline -> the largest allowed ratio of medians


# The command lines are the lead's best guess at the interface; change them here when the commands land.
PLANNED = {
    "HTML four-way handout": Planned(
        ["compare", "spinal-manipulation", "acupuncture", "massage-therapy", "exercise-therapy", "--format", "html"],
        {FLOOR: 1.2},
    ),
    "brief show (table)": Planned(["show", "epidural", "--format", "table"], {FLOOR: 1.0, TLDR: 1.0}),
    "option grid (table)": Planned(
        ["compare", "spinal-manipulation", "acupuncture", "massage-therapy", "exercise-therapy", "--format", "table"],
        {FLOOR: 1.0, TLDR: 1.0},
    ),
    "whole site": Planned(["site", "{site}"], {FLOOR: 10.0}),
}
# Drawn anew on every run (backcare's kept pages removed before each, untimed): what a first look
# at a page costs, with Rich or Jinja2 imported. The rows above are repeated lookups, which reuse
# the page drawn before (pages.py; decision 007).
FIRST_DRAWING = " (first drawing)"
PLANNED_FIRST = ("HTML four-way handout", "brief show (table)", "option grid (table)")


@dataclass(frozen=True)
class Case:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)  # for this command only
    group: str = "read"  # baseline, read, version, completion, planned
    fresh: bool = False  # no kept page (pages.py) before each run: a first drawing (own cache dir)


# -- the table path's imports -------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    name: str
    cumulative_ms: float
    parent: str | None  # the module whose import caused this one; None at top level


def parse_importtime(stderr: str) -> list[Imported]:
    """`-X importtime` lines, each with the module that imported it (the next line one level up)."""
    rows: list[tuple[int, str, float]] = []
    pattern = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")
    for line in stderr.splitlines():
        m = pattern.match(line)
        if m:
            rows.append(((len(m.group(3)) - 1) // 2, m.group(4), int(m.group(2)) / 1000))
    out = []
    for i, (depth, name, cumulative) in enumerate(rows):
        parent = next((n for d, n, _ in rows[i + 1 :] if d == depth - 1), None) if depth else None
        out.append(Imported(name, cumulative, parent))
    return out


def third_party(name: str) -> bool:
    top = name.split(".")[0]
    return top not in sys.stdlib_module_names and top != "backcare"


@dataclass(frozen=True)
class ImportReport:
    direct: list[Imported]  # third-party modules imported by backcare or the standard library
    stdlib_heavy: list[Imported]  # standard-library modules not in bare start-up, ≥ 1 ms, heaviest first
    total_modules: int
    third_party_modules: int


FRESH_CACHE = "cache-first-drawing"  # XDG_CACHE_HOME of the first-drawing cases: their pages alone


def fresh_env(box: Sandbox) -> dict[str, str]:
    """First drawings keep their cache apart (knowledge-base cache warm, pages dropped before each
    run), so dropping their pages never turns a repeated lookup into a first drawing."""
    return {"XDG_CACHE_HOME": str(box.root / FRESH_CACHE)}


def drop_pages(where: Path, *, expected: bool = False) -> None:
    """Remove backcare's kept pages (pages.py) in one backcare cache directory. `expected`: the
    command ran before with this directory, so a page must be there (else the case measures
    something else, e.g. a wrong directory, and the run stops)."""
    pages = list(where.glob("page-*"))
    if expected and not pages:
        raise harness.CommandFailed(f"no kept page in {where} to drop before a first drawing")
    for page in pages:
        page.unlink()


def table_path_imports(box: Sandbox) -> ImportReport:
    """What drawing a table imports (a first drawing: a kept page would import no Rich)."""
    py = sys.executable
    drop_pages(box.cache_dir)
    probe = harness.check_stderr([py, "-X", "importtime", "-m", "backcare", *IMPORT_PROBE], box.env)
    bare = {i.name for i in parse_importtime(harness.check_stderr([py, "-X", "importtime", "-c", "pass"], box.env))}
    imported = [i for i in parse_importtime(probe) if i.name not in bare]
    # A module that failed to import (copy's probe for Jython's org.python.core) is listed too: drop it.
    real = [i for i in imported if _importable(i.name)]
    direct: list[Imported] = []
    for item in real:
        from_outside = item.parent is None or not third_party(item.parent)
        if third_party(item.name) and from_outside and item.name not in {d.name for d in direct}:
            direct.append(item)
    heavy = sorted(
        (i for i in real if i.name.split(".")[0] in sys.stdlib_module_names and i.cumulative_ms >= 1.0),
        key=lambda i: -i.cumulative_ms,
    )
    return ImportReport(direct, heavy, len(real), sum(third_party(i.name) for i in real))


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


# -- the cases ----------------------------------------------------------------------------------


def tldr_command() -> list[str]:
    script = Path(sys.executable).parent / "tldr"
    if not script.is_file():
        raise harness.CommandFailed(
            f"no tldr client next to {sys.executable}: run benchmarks/run.py, which installs tldr==3.4.4"
        )
    return [str(script), TLDR_NAME]


def base_cases(floor_modules: list[str]) -> list[Case]:
    py = sys.executable
    return [
        Case(FLOOR, [py, "-c", ISSUE4_FLOOR], group="baseline"),
        Case(FLOOR_TABLE, [py, "-c", f"import {', '.join(floor_modules)}"], group="baseline"),
        Case(TYPER, [py, "-c", "import typer"], group="baseline"),
        Case(TLDR, tldr_command(), group="baseline"),
        Case(PYTHON, [py, "-c", "pass"], group="reference"),
    ]


def app_cases(fresh: dict[str, str]) -> list[Case]:
    app = harness.backcare_command()
    out = [Case(f"{name} {fmt}", [*app, *args, "--format", fmt]) for fmt in FORMATS for name, args in READS.items()]
    out += [
        Case(f"{name} table{FIRST_DRAWING}", [*app, *args, "--format", "table"], fresh, fresh=True)
        for name, args in READS.items()
    ]
    out.append(Case("--version", [*app, "--version"], group="version"))
    for name, (words, _) in COMPLETIONS.items():
        env = {"_BACKCARE_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
        out.append(Case(name, app, env, group="completion"))
    return out


def planned_cases(site_dir: Path, fresh: dict[str, str]) -> list[Case]:
    app = harness.backcare_command()
    out = []
    for name, p in PLANNED.items():
        argv = [*app, *(a.replace("{site}", str(site_dir)) for a in p.args)]
        out.append(Case(name, argv, group="planned"))
        if name in PLANNED_FIRST:
            out.append(Case(name + FIRST_DRAWING, argv, fresh, group="planned", fresh=True))
    return out


def shown(case: Case) -> str:
    """The command line as a reader would type it."""
    argv = case.argv
    if case.group == "completion":
        return f"{case.env['COMP_WORDS']}<TAB>"
    if argv[:2] == [sys.executable, "-c"]:
        return f'python -c "{argv[2]}"'
    if case.name == TLDR:
        return f"tldr {TLDR_NAME} (cached page)"
    if case.fresh:
        return " ".join(["backcare", *argv[1:]]) + " — first drawing"
    skip = 3 if argv[:3] == [sys.executable, "-m", "backcare"] else 1
    return " ".join(["backcare", *argv[skip:]])


# -- measuring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColdSize:
    entries: int
    megabytes: float
    backcare: Series
    yaml_alone: Series
    wrote_cache: bool  # every timed first run wrote a new cache file (so it really was a first run)


@dataclass
class Measured:
    cases: list[Case]
    results: dict[str, Series]
    unavailable: dict[str, str]  # planned path -> why it did not run
    imports: ImportReport
    tldr_check: str
    cold: list[ColdSize]


def place_tldr_page(box: Sandbox) -> Path:
    page = box.root / "cache" / "tldr" / "pages" / "common" / f"{TLDR_NAME}.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(TLDR_PAGE, page)
    return page


def check_tldr(box: Sandbox) -> str:
    """The client prints the page from its cache and tries no network (audit hook on sockets and URLs)."""
    printed = harness.check(tldr_command(), box.env)
    done = harness.run_captured([sys.executable, "-c", TLDR_AUDIT, TLDR_NAME], box.env)
    if done.returncode != 0 or TLDR_MARK not in printed or TLDR_MARK not in done.stdout:
        raise harness.CommandFailed(f"tldr did not print its cached page: {done.stderr.strip()[-500:]}")
    attempts = next((ln for ln in done.stderr.splitlines() if ln.startswith("network attempts:")), "")
    if attempts.split()[2:3] != ["0"]:
        raise harness.CommandFailed(f"tldr tried the network: {attempts or done.stderr.strip()[-500:]}")
    lines = len([ln for ln in printed.splitlines() if ln.strip()])
    settings = ", ".join(f"{k}={v}" for k, v in TLDR_ENV.items())
    return (
        f"tldr check: `tldr {TLDR_NAME}` printed the fixed page (benchmarks/{TLDR_PAGE.name}, {lines} non-blank "
        f"lines) from `$XDG_CACHE_HOME/tldr/pages/common/{TLDR_NAME}.md`; run once more under an audit hook on "
        f"socket, urllib and http.client events: {attempts.strip()}. Settings: {settings}"
    )


def check_completion(box: Sandbox, case: Case, expect: str) -> None:
    out = harness.check(case.argv, {**box.env, **case.env})
    if expect not in out.split():
        raise harness.CommandFailed(f"{shown(case)} answered {out.split()[:10]}, not {expect!r}")


def try_planned(box: Sandbox, cases: list[Case]) -> tuple[list[Case], dict[str, str]]:
    ok, missing = [], {}
    for case in cases:
        done = harness.run_captured(case.argv, box.without_cache())
        if done.returncode == 0:
            ok.append(case)
        else:
            why = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
            missing[case.name] = f"not available in this build ({why[:120]})"
    return ok, missing


def measure_cold(box: Sandbox, launcher: Launcher, rounds: dict[int, int]) -> list[ColdSize]:
    """First runs on a new user file, alternating with the C loader alone on the same file."""
    words = generate.vocabulary()
    warm = set(box.cache_dir.iterdir()) if box.cache_dir.is_dir() else set()
    out = []
    for entries in COLD_SIZES:
        if rounds.get(entries, 0) < 1:
            continue
        data_home = box.root / f"cold-{entries}"
        (data_home / "backcare").mkdir(parents=True)
        path = generate.write(entries, data_home / "backcare" / f"kb-{entries}.yaml", words=words)
        first = [*harness.backcare_command(), *COLD_SHOW]
        alone = [sys.executable, "-c", YAML_ALONE, str(path)]
        # a 10,000-entry file (~22 MB) is over the default 16 MB cap on layer files (issue 14): raise it
        env = {"XDG_DATA_HOME": str(data_home), "BACKCARE_MAX_FILE_MB": "100"}
        app, yaml_alone, wrote = Series(), Series(), True
        harness.progress(f"cold start at {entries:,} entries: {rounds[entries]} round(s) ...")
        for round_no in range(rounds[entries]):
            for which in harness.rotated(["app", "yaml"], round_no):
                if which == "yaml":
                    yaml_alone.runs.append(launcher.run(alone))
                    continue
                for stale in set(box.cache_dir.iterdir()) - warm:  # the bundled file's cache stays warm
                    stale.unlink()
                app.runs.append(launcher.run(first, env))
                wrote = wrote and bool(set(box.cache_dir.iterdir()) - warm)
        for stale in set(box.cache_dir.iterdir()) - warm:
            stale.unlink()
        out.append(ColdSize(entries, path.stat().st_size / 1e6, app, yaml_alone, wrote))
        shutil.rmtree(data_home)
    return out


def measure(runs: int, cold_rounds: dict[int, int]) -> Measured:
    with harness.sandbox(TLDR_ENV) as box, Launcher(box.env) as launcher:
        place_tldr_page(box)
        app = app_cases(fresh_env(box))
        harness.progress("warming bytecode and the cache ...")
        for case in app:
            harness.check(case.argv, {**box.without_cache(), **case.env})
            harness.check(case.argv, {**box.env, **case.env})
        harness.progress("importtime of the table path ...")
        imports = table_path_imports(box)
        cases = [*base_cases([i.name for i in imports.direct]), *app]
        for case in cases:  # every baseline and command succeeds (and baselines get their bytecode)
            harness.check(case.argv, {**box.env, **case.env})
        tldr_check = check_tldr(box)
        for case in app:
            if case.group == "completion":
                check_completion(box, case, COMPLETIONS[case.name][1])
        planned, unavailable = try_planned(box, planned_cases(box.root / "site", fresh_env(box)))
        for case in planned:
            harness.check(case.argv, {**box.env, **case.env})
        cases += planned
        harness.progress(f"{runs} alternating rounds of {len(cases)} commands ...")
        started = time.perf_counter()
        results = harness.alternate(
            {c.name: c.argv for c in cases},
            launcher,
            runs,
            {c.name: c.env for c in cases if c.env},
            {c.name: partial(drop_pages, box.root / FRESH_CACHE / "backcare", expected=True) for c in cases if c.fresh},
        )
        harness.progress(f"... {time.perf_counter() - started:.0f} s")
        cold = measure_cold(box, launcher, cold_rounds)
    return Measured(cases, results, unavailable, imports, tldr_check, cold)


# -- reporting ----------------------------------------------------------------------------------


def ratio(results: dict[str, Series], name: str, base: str) -> float:
    return results[name].median / results[base].median


def target_of(case: Case, results: dict[str, Series]) -> list[tuple[str, bool]]:
    """(target, met) pairs for one case's time."""
    r = results
    if case.group == "version":
        return [(f"≤ {VERSION_LIMIT:.2f}× import typer", ratio(r, case.name, TYPER) <= VERSION_LIMIT)]
    if case.group == "completion":
        return [(f"≤ {COMPLETION_LIMIT:.2f}× floor (issue 4)", ratio(r, case.name, FLOOR) <= COMPLETION_LIMIT)]
    if case.group == "planned":
        limits = PLANNED[case.name.removesuffix(FIRST_DRAWING)].limits
        return [(f"≤ {v:.2f}× {k}", ratio(r, case.name, k) <= v) for k, v in limits.items()]
    if case.group != "read":
        return []
    issue4 = (f"≤ {TABLE_LIMIT:.2f}× floor (issue 4)", ratio(r, case.name, FLOOR) <= TABLE_LIMIT)
    peer = (f"≤ {PEER_LIMIT:.2f}× tldr client", ratio(r, case.name, TLDR) <= PEER_LIMIT)
    if case.fresh:
        return [issue4]
    if case.name.endswith(" table"):
        return [issue4, peer]
    if case.name.endswith(" plain"):
        return [peer]
    if case.name.endswith(" json"):  # issue 4: JSON never pays for Rich (a table drawn anew does)
        vs = ratio(r, case.name, case.name.replace(" json", f" table{FIRST_DRAWING}"))
        return [(f"< table drawn anew ({vs:.2f}×)", vs < 1.0)]
    return []


def time_rows(m: Measured, *, markdown: bool) -> list[list[str]]:
    rows = []
    for case in m.cases:
        if case.group in ("baseline", "reference"):
            continue
        s = m.results[case.name]
        targets = target_of(case, m.results)
        rows.append(
            [
                code(shown(case), markdown=markdown),
                f"{s.median:.1f}",
                s.spread(),
                *(f"{ratio(m.results, case.name, b):.2f}×" for b in BASELINES),
                "; ".join(t for t, _ in targets),
                " ".join(verdict(ok) for _, ok in targets),
            ]
        )
    return rows


def baseline_rows(m: Measured, *, markdown: bool) -> list[list[str]]:
    rows = []
    for case in m.cases:
        if case.group not in ("baseline", "reference"):
            continue
        s = m.results[case.name]
        rows.append(
            [
                case.name if case.group == "baseline" else "(reference: bare interpreter)",
                code(shown(case), markdown=markdown),
                f"{s.median:.1f}",
                s.spread(),
                s.rss(),
                *(f"{ratio(m.results, case.name, b):.2f}×" for b in BASELINES),
            ]
        )
    return rows


def memory_rows(m: Measured, *, markdown: bool) -> list[list[str]]:
    rows = []
    floor = m.results[FLOOR].rss_mib
    for case in m.cases:
        if case.group in ("baseline", "reference"):
            continue
        s = m.results[case.name]
        mem = s.rss_mib / floor
        # issue 4's memory target is for looking something up; the site builds every page: reported
        whole_site = case.name == "whole site"
        rows.append(
            [
                code(shown(case), markdown=markdown),
                s.rss(),
                *(f"{s.rss_mib / m.results[b].rss_mib:.2f}×" for b in BASELINES),
                "reported (builds every page)" if whole_site else f"≤ {MEMORY_LIMIT:.2f}× floor (issue 4)",
                "" if whole_site else verdict(mem <= MEMORY_LIMIT),
            ]
        )
    return rows


def planned_rows(m: Measured, *, markdown: bool) -> list[list[str]]:
    rows = []
    for name, p in PLANNED.items():
        limits = "; ".join(f"≤ {v:.2f}× {k}" for k, v in p.limits.items())
        command = code(" ".join(["backcare", *p.args]).replace("{site}", "DIR"), markdown=markdown)
        if name in m.unavailable:
            rows.append([name, command, limits, m.unavailable[name]])
            continue
        case = next(c for c in m.cases if c.name == name)
        ratios = ", ".join(f"{ratio(m.results, name, k):.2f}× {k}" for k in p.limits)
        results = " ".join(verdict(ok) for _, ok in target_of(case, m.results))
        rows.append([name, command, limits, f"{m.results[name].median:.1f} ms: {ratios}: {results}"])
    return rows


def cold_rows(m: Measured) -> tuple[list[list[str]], list[str]]:
    rows, verdicts = [], []
    for c in m.cold:
        t = c.backcare.median / c.yaml_alone.median
        mem = c.backcare.rss_mib / c.yaml_alone.rss_mib
        is_target = c.entries == COLD_TARGET_SIZE
        tv = verdict(t <= COLD_TIME_LIMIT) if is_target else "reported"
        mv = verdict(mem <= COLD_MEMORY_LIMIT) if is_target else "reported"
        if is_target:
            verdicts += [tv, mv]
        rows.append(
            [
                f"{c.entries:,}",
                f"{c.megabytes:.1f}",
                f"{len(c.backcare.runs)}",
                f"{c.backcare.median:,.0f} ({c.backcare.low:,.0f}–{c.backcare.high:,.0f})",
                f"{c.yaml_alone.median:,.0f} ({c.yaml_alone.low:,.0f}–{c.yaml_alone.high:,.0f})",
                f"{t:.2f}× (≤ {COLD_TIME_LIMIT}×) {tv}",
                f"{c.backcare.rss_mib:,.0f}",
                f"{c.yaml_alone.rss_mib:,.0f}",
                f"{mem:.2f}× (≤ {COLD_MEMORY_LIMIT}×) {mv}",
                "yes" if c.wrote_cache else "NO",
            ]
        )
    return rows, verdicts


def imports_block(m: Measured, *, markdown: bool) -> str:
    imp = m.imports
    direct = ", ".join(f"{code(i.name, markdown=markdown)} ({i.cumulative_ms:.1f} ms)" for i in imp.direct)
    heavy = ", ".join(
        f"{code(i.name, markdown=markdown)} {i.cumulative_ms:.1f} ms (by {i.parent or 'code at run time'})"
        for i in imp.stdlib_heavy[:15]
    )
    return "\n\n".join(
        [
            f"`python -X importtime -m backcare {' '.join(IMPORT_PROBE)}` (warm cache) imports {imp.total_modules} "
            f"modules beyond bare start-up, {imp.third_party_modules} of them third-party. The third-party modules "
            f"it imports from backcare's or the standard library's code (so the floor imports exactly these): "
            f"{direct}. Cumulative times are from this one importtime run.",
            f"Heaviest standard-library imports on that path (cumulative ms, including what they import; not "
            f"imported by a bare `python -c pass`; 'by' names the importing module): {heavy}.",
        ]
    )


def report(runs: int, m: Measured, load_before: str, *, markdown: bool) -> str:
    md = markdown
    times = time_rows(m, markdown=md)
    memory = memory_rows(m, markdown=md)
    cold, cold_verdicts = cold_rows(m)
    verdicts = [v for r in times + memory for v in r[-1].split()] + cold_verdicts
    planned = planned_rows(m, markdown=md)
    vs = [f"× {b}" for b in BASELINES]
    checkout = harness.source_digest(HERE.parent / "src" / "backcare")
    installed = harness.source_digest()
    same = installed.split()[0] == checkout.split()[0]
    parts = [
        heading("backcare Speed II benchmark", markdown=md, level=1),
        harness.machine_block(load_before, markdown=md),
        f"Source of the checkout this was run from: {checkout} "
        f"({'the same code as the installed copy measured' if same else 'DIFFERENT from the installed copy'}).",
        f"Runs per command: {runs}, alternating in one loop with every baseline; times in ms (whole process, "
        f"stdout to /dev/null); ratios are of medians.",
        heading("Baselines (same loop)", markdown=md),
        table(
            ["baseline", "command", "median ms", "min–max ms", "peak MiB", *vs],
            baseline_rows(m, markdown=md),
            markdown=md,
        ),
        m.tldr_check + ".",
        heading("Read commands, `--version` and TAB completion against every baseline", markdown=md),
        table(["command", "median ms", "min–max ms", *vs, "target", "result"], times, markdown=md),
        heading("Peak memory (max RSS of the child)", markdown=md),
        table(["command", "median MiB", *vs, "target", "result"], memory, markdown=md),
        heading("Paths not built yet (they light up once the command runs)", markdown=md),
        table(["path", "command (guessed interface)", "target", "status"], planned, markdown=md),
        heading("Cold start: first run on a new user file vs PyYAML's C loader alone", markdown=md),
        f"`backcare {' '.join(COLD_SHOW)}` with a new N-entry file in `$XDG_DATA_HOME/backcare/` (bundled "
        f"cache warm, the user file's cache removed before each run) against "
        f"`python -c 'yaml.load(text, Loader=yaml.CSafeLoader)'` on the same file, alternating.",
        table(
            [
                "entries",
                "YAML MB",
                "rounds",
                "backcare first run ms (min–max)",
                "C loader alone ms (min–max)",
                "time ratio",
                "backcare MiB",
                "C loader MiB",
                "peak RSS ratio",
                "cache written each run",
            ],
            cold,
            markdown=md,
        )
        if cold
        else "Not measured (--cold-runs 0).",
        heading("What the table path imports", markdown=md),
        imports_block(m, markdown=md),
        f"Peak RSS is ru_maxrss from wait4 in a launcher whose own peak is {m.results[FLOOR].launcher_mib:.1f} MiB; "
        "a figure marked '≤' is only an upper bound (see harness.py).",
        f"Targets: {verdicts.count('PASS')} PASS, {verdicts.count('FAIL')} FAIL; "
        f"{len(m.unavailable)} planned path(s) not available in this build.",
    ]
    return "\n\n".join(parts) + "\n"


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cold-runs", type=int, default=5, help="first runs on the new 1,000-entry file (0 skips); default 5"
    )
    parser.add_argument(
        "--big-cold-runs",
        type=int,
        default=1,
        help="first runs on the new 10,000-entry file (~20 s and ~1 GB each; 0 skips); default 1",
    )


def main(argv: list[str] | None = None) -> int:
    args = harness.parse_args(
        argv, "Speed II: read commands, completion and cold start vs baselines.", "rounds", add_options
    )
    load_before = harness.loadavg()
    try:
        measured = measure(args.runs, {1_000: args.cold_runs, 10_000: args.big_cold_runs})
    except harness.CommandFailed as exc:
        print(f"speed.py: a benchmarked command failed: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(report(args.runs, measured, load_before, markdown=args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
