"""Issue 4: the parsed-knowledge-base cache, and the imports that keep start-up fast.

No test here times anything; they check the behaviour that makes backcare fast.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from backcare import cache, kb
from backcare.errors import InvalidKnowledgeBase
from kbfactory import entry, write
from kbfactory import kb as make_kb


@pytest.fixture(autouse=True)
def fresh_stats() -> None:
    for key in cache.stats:
        cache.stats[key] = 0


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "xdg-cache" / "backcare").glob("kb-*.jsonl"))


def load(path: Path) -> kb.KnowledgeBase:
    return kb.load(data_only=path)


def test_first_load_writes_the_cache_and_the_second_is_a_hit(tmp_path: Path) -> None:
    path = write(tmp_path / "kb.yaml", make_kb(entry("one")))
    load(path)
    assert cache.stats == {"hits": 0, "misses": 1, "writes": 1, "write_errors": 0, "corrupt": 0}
    assert len(cache_files(tmp_path)) == 1
    base = load(path)
    assert cache.stats["hits"] == 1
    assert base.resolve("one").summary == "Summary of one."


def test_a_hit_does_not_import_yaml_or_the_validator(tmp_path: Path) -> None:
    path = write(tmp_path / "kb.yaml", make_kb(entry("one")))
    load(path)
    code = (
        "import sys; from pathlib import Path; from backcare import kb; "
        f"kb.load(data_only=Path({str(path)!r})); "
        "print('yaml' in sys.modules, 'backcare.schema' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ)
    assert out.stdout.split() == ["False", "False"]


def test_a_changed_file_is_never_served_from_the_cache(tmp_path: Path) -> None:
    path = write(tmp_path / "kb.yaml", make_kb(entry("one", summary="Old summary.")))
    load(path)
    write(path, make_kb(entry("one", summary="New summary, same file.")))
    assert load(path).resolve("one").summary == "New summary, same file."
    assert cache.stats["hits"] == 0


def test_same_size_same_mtime_edit_is_still_a_miss(tmp_path: Path) -> None:
    path = write(tmp_path / "kb.yaml", make_kb(entry("one", summary="Summary AAAA.")))
    load(path)
    st = path.stat()
    write(path, make_kb(entry("one", summary="Summary BBBB.")))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size and mtime; ctime still moves
    assert path.stat().st_size == st.st_size
    assert load(path).resolve("one").summary == "Summary BBBB."


def test_an_invalid_file_is_not_cached_and_validation_runs_on_rebuild(tmp_path: Path) -> None:
    path = write(tmp_path / "kb.yaml", make_kb(entry("one")))
    load(path)
    write(path, make_kb(entry("one", category="magic")))
    with pytest.raises(InvalidKnowledgeBase, match="'magic' is not one of"):
        load(path)
    with pytest.raises(InvalidKnowledgeBase):
        load(path)  # still refused: the broken version was never cached


def flip(data: bytes, at: int) -> bytes:
    """The same bytes with one changed at `at` (same size: only a checksum can tell)."""
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def header_end(data: bytes) -> int:
    first = data.index(b"\n") + 1
    _magic, _mac, key_len, head_len, _records_len, _hays_len = data[:first].split()
    return first + int(key_len) + 1 + int(head_len)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",  # empty
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: b"not a cache at all\n",  # garbage
        lambda data: data.replace(b"backcare-cache-3", b"backcare-cache-9", 1),  # unknown format
        lambda data: flip(data, header_end(data) - 10),  # a byte of the header
        lambda data: data + b"extra",  # grown
    ],
    ids=["empty", "truncated", "garbage", "format", "header-byte", "grown"],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(tmp_path: Path, damage: Callable[[bytes], bytes]) -> None:
    path = write(tmp_path / "kb.yaml", make_kb(entry("one"), entry("two")))
    load(path)
    (cached,) = cache_files(tmp_path)
    cached.write_bytes(damage(cached.read_bytes()))
    base = load(path)
    assert [e.id for e in base.entries] == ["one", "two"]
    assert base.resolve("two").summary == "Summary of two."
    assert cache.stats["writes"] == 2  # rebuilt
    assert load(path).resolve("one").id == "one" and cache.stats["hits"] == 1


@pytest.mark.parametrize("where", ["first-record", "last-record", "search-text"])
def test_a_corrupt_byte_in_a_record_or_the_search_text_is_caught_and_rebuilt(tmp_path: Path, where: str) -> None:
    path = write(tmp_path / "kb.yaml", make_kb(entry("one"), entry("two")))
    load(path)
    (cached,) = cache_files(tmp_path)
    data = cached.read_bytes()
    at = {
        "first-record": header_end(data) + 10,
        "last-record": data.rindex(b"Summary of two."),  # in the record, not the header index
        "search-text": len(data) - 5,
    }[where]
    cached.write_bytes(flip(data, at))
    base = load(path)
    assert cache.stats["hits"] == 1  # the header was intact
    assert base.resolve("one").summary == "Summary of one."
    assert base.resolve("two").summary == "Summary of two."
    assert json.loads(b"".join(base.json_array(base.entries)))[1]["id"] == "two"
    from backcare.search import corpus, search

    assert search("summary two", corpus(base.entries, (), ()))[0].id == "two"
    assert cache.stats["corrupt"] == 1  # detected once, then served from the rebuilt store
    assert load(path).resolve("two").summary == "Summary of two."  # and the cache was rewritten


def test_an_unreadable_cache_costs_speed_not_correctness(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "kb.yaml", make_kb(entry("one")))
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load(path).resolve("one").id == "one"
    assert cache.stats["writes"] == 0  # no directory: the run went uncached


def test_an_unwritable_cache_directory_costs_speed_not_correctness(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "kb.yaml", make_kb(entry("one")))

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("os.replace", refuse)
    assert load(path).resolve("one").id == "one"
    assert cache.stats["write_errors"] == 1
    assert cache_files(tmp_path) == []


def test_no_cache_env_turns_it_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKCARE_NO_CACHE", "1")
    path = write(tmp_path / "kb.yaml", make_kb(entry("one")))
    load(path)
    load(path)
    assert cache.stats == {"hits": 0, "misses": 0, "writes": 0, "write_errors": 0, "corrupt": 0}
    assert not (tmp_path / "xdg-cache" / "backcare").exists()


def test_the_cache_is_plain_data(tmp_path: Path) -> None:
    path = write(tmp_path / "kb.yaml", make_kb(entry("one"), entry("two")))
    load(path)
    (cached,) = cache_files(tmp_path)
    data = cached.read_bytes()
    first, rest = data.split(b"\n", 1)
    magic, _mac, key_len, head_len, records_len, _hays_len = first.split()
    assert magic == b"backcare-cache-3"
    key = json.loads(rest[: int(key_len)])
    assert key["path"] == str(path.resolve())
    assert key["size"] == path.stat().st_size
    assert {"package", "schema", "mtime_ns", "origin"} <= set(key)
    rest = rest[int(key_len) + 1 :]
    header = json.loads(rest[: int(head_len)])
    assert len(header["index"]) == 2
    records = rest[int(head_len) + 1 : int(head_len) + 1 + int(records_len)]
    assert [r["id"] for r in json.loads(b"[" + records + b"]")] == ["one", "two"]


def test_atomic_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = write(tmp_path / "kb.yaml", make_kb(entry("one")))
    load(path)
    leftovers = [p for p in (tmp_path / "xdg-cache" / "backcare").iterdir() if p.name.startswith(".tmp-")]
    assert leftovers == []


def test_a_package_upgrade_invalidates_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "kb.yaml", make_kb(entry("one")))
    load(path)
    monkeypatch.setattr(cache, "__version__", "999.0")
    load(path)
    assert cache.stats["hits"] == 0 and cache.stats["writes"] == 2


# -- imports that keep start-up fast ----------------------------------------------------------


def imported_modules(*args: str) -> set[str]:
    env = {**os.environ, "COLUMNS": "100"}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "backcare", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize(
    "args",
    [
        ["list", "-f", "json"],
        ["show", "kyphoplasty", "-f", "json"],
        ["compare", "rfa", "epidural", "-f", "json"],
        ["search", "nerve", "-f", "json"],
        ["conditions", "-f", "json"],
    ],
)
def test_json_output_never_imports_rich(args: list[str]) -> None:
    modules = imported_modules(*args)
    assert not {m for m in modules if m == "rich" or m.startswith("rich.")}


def test_plain_output_never_imports_rich_either() -> None:
    assert not {m for m in imported_modules("compare", "rfa", "epidural", "-f", "plain") if m.startswith("rich")}


def test_version_imports_neither_typer_nor_rich() -> None:
    modules = imported_modules("--version")
    assert not {m for m in modules if m.startswith(("typer", "rich", "yaml"))}


def test_a_warm_table_run_does_not_import_yaml() -> None:
    imported_modules("list", "-f", "table")  # warms the cache
    modules = imported_modules("list", "-f", "table")
    assert "yaml" not in modules and "backcare.schema" not in modules
    assert "rich.table" not in modules  # layout is ours (decision record 004)


@pytest.mark.parametrize("builder", cache.BUILDERS)
def test_a_changed_builder_module_invalidates_the_cache(tmp_path: Path, builder: str) -> None:
    """Editing the code that shapes cached bytes (here: touching it) must not leave stale answers."""
    path = write(tmp_path / "kb.yaml", make_kb(entry("one")))
    load(path)
    assert load(path) and cache.stats["hits"] == 1
    module = Path(cache.__file__).parent / builder
    before = module.stat()
    try:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
        load(path)
        assert cache.stats["hits"] == 1 and cache.stats["writes"] == 2  # a miss, rebuilt
    finally:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
    load(path)
    assert cache.stats["writes"] == 3  # the old fingerprint again: that entry was overwritten


def test_the_fingerprint_covers_the_search_text_builder() -> None:
    """The defect this guards against: a changed haystack() kept answering from old search texts."""
    import backcare.search
    import backcare.store

    assert Path(backcare.search.__file__).name in cache.BUILDERS
    assert Path(backcare.store.__file__).name in cache.BUILDERS
