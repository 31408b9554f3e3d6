"""Shared helpers for the start-up and scale benchmarks: run a whole process, time it, report.

Every command runs as a separate process (as a user runs it), with stdout to /dev/null, in a
private environment: a temporary HOME, XDG_CACHE_HOME and XDG_DATA_HOME (so the user's own
knowledge-base files and cache are never read), no BACKCARE_* variables, COLUMNS=100, and
bytecode writing on (real installs have .pyc files). Bytecode goes to a private
PYTHONPYCACHEPREFIX, so the benchmark writes nothing outside its temporary directory; reading
a .pyc from there costs the same as reading it from __pycache__.

Standard library only: the harness must run wherever backcare runs (no hyperfine needed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from tempfile import TemporaryDirectory

COLUMNS = "100"
# Variables that change what backcare reads or prints; the child never sees them.
SCRUBBED = (
    "BACKCARE_DATA",
    "BACKCARE_NO_CACHE",
    "BACKCARE_DEBUG",
    "BACKCARE_PAGER",
    "BACKCARE_TODAY",
    "PAGER",
    "NO_COLOR",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "LINES",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONPYCACHEPREFIX",
)
# Whole families of variables the child never sees: the tldr client's settings (speed.py sets its own).
SCRUBBED_PREFIXES = ("TLDR_",)


class CommandFailed(RuntimeError):
    """A benchmarked command exited non-zero: its timings would be meaningless."""


# -- the environment ----------------------------------------------------------------------------


def backcare_command() -> list[str]:
    """The `backcare` console script next to this interpreter, else `python -m backcare`."""
    script = Path(sys.executable).parent / "backcare"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "backcare"]


@dataclass(frozen=True)
class Sandbox:
    """A private home for the child processes, and the environment that points at it."""

    root: Path
    env: dict[str, str]

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache" / "backcare"

    def clear_cache(self) -> None:
        shutil.rmtree(self.cache_dir, ignore_errors=True)

    def without_cache(self) -> dict[str, str]:
        return {**self.env, "BACKCARE_NO_CACHE": "1"}


def child_env(root: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED and not k.startswith(SCRUBBED_PREFIXES)}
    for name in ("home", "cache", "data", "pycache"):
        (root / name).mkdir(exist_ok=True)
    env.update(
        HOME=str(root / "home"),
        XDG_CACHE_HOME=str(root / "cache"),
        XDG_DATA_HOME=str(root / "data"),
        PYTHONPYCACHEPREFIX=str(root / "pycache"),
        COLUMNS=COLUMNS,
    )
    env.update(extra or {})
    return env


@contextmanager
def sandbox(extra: dict[str, str] | None = None) -> Iterator[Sandbox]:
    """A temporary home; `extra` variables are added to every child's environment."""
    with TemporaryDirectory(prefix="backcare-bench-") as tmp:
        root = Path(tmp)
        yield Sandbox(root, child_env(root, extra))


# -- running ------------------------------------------------------------------------------------

# Linux carries the spawning process's peak RSS into a child's ru_maxrss (exec records the old
# address space's high-water mark, and a vfork child's old address space is its parent's). Spawned
# from this script, every child would seem to use at least as much memory as the script. So a
# minimal launcher (python -I -S, standard modules only, ~9 MiB) spawns the commands, times them
# and reads their rusage with wait4; a child's peak is exact whenever it exceeds the launcher's
# own high-water mark (VmHWM), which every Python program does. Checked against GNU time's %M.
LAUNCHER = r"""
import os, resource, sys, time
null = os.devnull
actions = [
    (os.POSIX_SPAWN_OPEN, 0, null, os.O_RDONLY, 0),
    (os.POSIX_SPAWN_OPEN, 1, null, os.O_WRONLY, 0),
    (os.POSIX_SPAWN_OPEN, 2, null, os.O_WRONLY, 0),
]
env = dict(os.environ)


def peak():
    # This address space's high-water mark, which a spawned child inherits. Not ru_maxrss: that
    # also holds the peak of whatever spawned the launcher.
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


out = sys.stdout.buffer
for line in sys.stdin.buffer:
    # argv NUL-separated, then optionally \x01 and NAME=VALUE pairs NUL-separated (this command only)
    args, _, extra = line.rstrip(b"\n").partition(b"\x01")
    argv = args.split(b"\0")
    child = env
    if extra:
        child = dict(env)
        for pair in extra.split(b"\0"):
            name, _, value = pair.partition(b"=")
            child[os.fsdecode(name)] = os.fsdecode(value)
    start = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, child, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter_ns() - start
    own = peak()
    out.write(b"%d %d %d %d\n" % (os.waitstatus_to_exitcode(status), elapsed, usage.ru_maxrss, own))
    out.flush()
"""


@dataclass(frozen=True)
class Run:
    ms: float  # wall-clock time from spawn to exit
    rss_kib: int  # peak resident set size of the child (ru_maxrss, KiB on Linux)
    launcher_kib: int  # the launcher's own peak: a child's value can never be below it

    @property
    def rss_exact(self) -> bool:
        return self.rss_kib > self.launcher_kib


class Launcher:
    """A small long-lived process that spawns each command (stdio to /dev/null) and reports on it."""

    def __init__(self, env: dict[str, str]) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", LAUNCHER],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def run(self, argv: Sequence[str], env: Mapping[str, str] | None = None) -> Run:
        """Run argv once; `env` holds variables added to (or replacing) the sandbox's for this run only."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        if not os.path.isabs(argv[0]):
            raise ValueError(f"the launcher needs an absolute path, not {argv[0]!r}")
        request = b"\0".join(os.fsencode(a) for a in argv)
        if env:
            request += b"\x01" + b"\0".join(os.fsencode(f"{k}={v}") for k, v in env.items())
        if b"\n" in request or request.count(b"\x01") > (1 if env else 0):
            raise ValueError(f"an argument or variable holds a newline or \\x01: {argv!r} {env!r}")
        self._proc.stdin.write(request + b"\n")
        self._proc.stdin.flush()
        reply = self._proc.stdout.readline().split()
        if len(reply) != 4:
            raise CommandFailed(f"the launcher stopped while running {' '.join(argv)}")
        code, elapsed, rss, own = (int(x) for x in reply)
        if code != 0:
            raise CommandFailed(f"{' '.join(argv)} exited {code}; rerun it by hand to see why")
        return Run(elapsed / 1e6, rss, own)

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        self._proc.wait()

    def __enter__(self) -> Launcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_captured(argv: Sequence[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run once, stdin on /dev/null, stdout and stderr captured; never raises on a non-zero exit."""
    return subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)


def _checked(argv: Sequence[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = run_captured(argv, env)
    if done.returncode != 0:
        raise CommandFailed(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return done


def check(argv: Sequence[str], env: dict[str, str]) -> str:
    """Run once with output captured and return stdout; a failure is reported with its stderr."""
    return _checked(argv, env).stdout


def check_stderr(argv: Sequence[str], env: dict[str, str]) -> str:
    """Like check, but return stderr (where `python -X importtime` writes)."""
    return _checked(argv, env).stderr


@dataclass
class Series:
    """Every run of one command."""

    runs: list[Run] = field(default_factory=list)

    @property
    def times(self) -> list[float]:
        return [r.ms for r in self.runs]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def low(self) -> float:
        return min(self.times)

    @property
    def high(self) -> float:
        return max(self.times)

    @property
    def rss_mib(self) -> float:
        return statistics.median(r.rss_kib for r in self.runs) / 1024

    @property
    def rss_exact(self) -> bool:
        """False when the median is at the launcher's own peak (then it is only an upper bound)."""
        return sum(r.rss_exact for r in self.runs) * 2 > len(self.runs)

    @property
    def launcher_mib(self) -> float:
        return max(r.launcher_kib for r in self.runs) / 1024

    def rss(self) -> str:
        """The median peak in MiB, marked '≤' when it is only an upper bound."""
        return f"{'' if self.rss_exact else '≤ '}{self.rss_mib:.1f}"

    def spread(self) -> str:
        return f"{self.low:.1f}–{self.high:.1f}"


def parse_args(
    argv: list[str] | None,
    description: str,
    runs_help: str,
    more: Callable[[argparse.ArgumentParser], None] | None = None,
) -> argparse.Namespace:
    """The options every benchmark script takes: --runs N and --markdown; `more` adds a script's own."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=21, help=f"{runs_help}; default 21")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables, ready for RESULTS.md")
    if more is not None:
        more(parser)
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def rotated(items: Sequence[str], shift: int) -> list[str]:
    """The items starting at `shift`: each round starts elsewhere, so no command always runs first."""
    k = shift % len(items)
    return [*items[k:], *items[:k]]


def alternate(
    commands: dict[str, list[str]],
    launcher: Launcher,
    runs: int,
    envs: Mapping[str, Mapping[str, str]] | None = None,
    before: Mapping[str, Callable[[], None]] | None = None,
) -> dict[str, Series]:
    """`runs` rounds; each round runs every command once, in a rotated order, so drift cancels.

    `envs` maps a command's name to variables set for that command only (see Launcher.run);
    `before` to a function called before each of its runs, untimed (e.g. to drop kept pages).
    """
    results = {name: Series() for name in commands}
    names = list(commands)
    envs = envs or {}
    before = before or {}
    for round_no in range(runs):
        for name in rotated(names, round_no):
            if name in before:
                before[name]()
            results[name].runs.append(launcher.run(commands[name], envs.get(name)))
    return results


# -- reporting ----------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _has_csafeloader() -> bool:
    try:
        from yaml import CSafeLoader  # noqa: F401
    except ImportError:
        return False
    return True


def source_digest(root: Path | None = None) -> str:
    """A short hash of the backcare package's code and data, to tie results to one version of it.

    `root` is a package directory (src/backcare); by default, the one this interpreter imports.
    """
    if root is None:
        spec = importlib.util.find_spec("backcare")
        if spec is None or not spec.submodule_search_locations:
            return "not found"
        root = Path(next(iter(spec.submodule_search_locations)))
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".yaml")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return f"sha256:{digest.hexdigest()[:16]} of {root}/**/*.py,*.yaml"


def loadavg() -> str:
    """The 1, 5 and 15-minute load averages: other work on the machine makes every figure noisier."""
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="ascii").split()[:3])
    except OSError:
        return "unknown"


def machine(load_before: str = "") -> list[tuple[str, str]]:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0
    return [
        ("date", dt.datetime.now().astimezone().isoformat(timespec="seconds")),
        ("cpus (nproc)", str(cores)),
        ("cpu", _cpu_model()),
        ("os", f"{platform.system()} {platform.release()}"),
        ("python", f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})"),
        ("backcare", _version("backcare")),
        ("backcare source", source_digest()),
        ("typer", _version("typer")),
        ("rich", _version("rich")),
        ("pyyaml", _version("PyYAML")),
        ("libyaml CSafeLoader", "yes" if _has_csafeloader() else "no (pure-Python loader)"),
        ("tldr (Python client, speed.py's baseline)", _version("tldr")),
        ("command", " ".join(backcare_command())),
        ("load average (1/5/15 min) before / after", f"{load_before or 'not taken'} / {loadavg()}"),
    ]


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, markdown: bool) -> str:
    """Rows as a Markdown table, or as aligned plain-text columns."""
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(out)


def heading(text: str, *, markdown: bool, level: int = 2) -> str:
    return f"{'#' * level} {text}" if markdown else f"{text}\n{'=' * len(text)}"


def machine_block(load_before: str, *, markdown: bool) -> str:
    rows = machine(load_before)
    if markdown:
        return "\n".join(f"- {k}: {v}" for k, v in rows)
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def code(text: str, *, markdown: bool) -> str:
    return f"`{text}`" if markdown else text


def progress(message: str) -> None:
    """Progress goes to stderr, so stdout is only the report."""
    print(message, file=sys.stderr, flush=True)
