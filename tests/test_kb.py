"""The loader and validator against broken knowledge-base files: one exact message, exit 1, nothing run."""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

import pytest

from backcare import kb as kbmod
from backcare.errors import InvalidKnowledgeBase, NotFound
from backcare.yamlfile import read_text
from conftest import run
from kbfactory import CONDITION, entry, kb, write


def data_only(path: Path, *args: str) -> tuple[int, str, str]:
    result = run("--data-only", str(path), *(args or ("list",)))
    return result.exit_code, result.stdout, result.stderr


def error_line(path: Path) -> str:
    code, out, err = data_only(path)
    assert code == 1, (out, err)
    assert out == ""
    assert err.count("\n") == 1, err  # one line
    assert "Traceback" not in err
    return err.removeprefix("backcare: error: ").rstrip("\n")


# -- the broken-file corpus -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty (expected a mapping with a 'treatments' list)"),
        (b"# nothing here\n", "the file holds only comments (expected a mapping with a 'treatments' list)"),
        (b"- a\n- b\n", "the top level must be a mapping, found a list"),
        (b"treatments: [\n", ":2:1: YAML syntax error: did not find expected node content"),
        (b"treatments:\n  - id: x\n\tname: y\n", ":3:1: YAML syntax error: a tab character is used for indentation"),
        (b"treatments: []\ntreatments: []\n", ":2:1: duplicate key 'treatments' in the same mapping"),
        (b"treatments:\n  - id: caf\xe9\n", ":2: the file is not valid UTF-8 text (byte 0xe9 at offset 23)"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00binary", "looks like a binary file, not YAML text"),
    ],
    ids=["empty", "comment", "list", "syntax", "tab", "duplicate-key", "non-utf8", "binary"],
)
def test_unreadable_files_get_one_exact_line(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "kb.yaml"
    path.write_bytes(content)
    assert error_line(path).startswith(str(path))
    assert expected in error_line(path)


def test_python_tag_is_refused_without_running_anything(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "kb.yaml"
    path.write_text(f'treatments: !!python/object/apply:os.system ["touch {marker}"]\n')
    message = error_line(path)
    assert (
        message
        == f"{path}:1:13: the tag !!python/object/apply:os.system is not allowed (plain YAML only; nothing was run)"
    )
    assert not marker.exists()


def test_billion_laughs_fails_fast(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, prev in zip("bcdefghi", "abcdefgh", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("treatments: [" + ",".join(["*i"] * 9) + "]")
    path = tmp_path / "kb.yaml"
    path.write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    message = error_line(path)
    assert "anchors and aliases (&name / *name) are not allowed" in message
    assert time.perf_counter() - started < 10  # 9**10 strings if expanded: it must not be


def test_directory_missing_and_unreadable(tmp_path: Path) -> None:
    assert error_line(tmp_path) == f"{tmp_path}: is a directory, not a knowledge-base file"
    assert error_line(tmp_path / "missing.yaml") == f"{tmp_path / 'missing.yaml'}: no such file"


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "kb.yaml", kb())
    path.chmod(0)
    try:
        assert error_line(path) == f"{path}: cannot read the file (permission denied)"
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_unreadable_file_as_root_via_monkeypatch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CI runs as root, where chmod 0 does not stop reads: simulate the OS refusing."""
    path = write(tmp_path / "kb.yaml", kb())

    real_open = os.open

    def refuse(name: object, *args: object, **kwargs: object) -> int:
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(InvalidKnowledgeBase, match="cannot read the file \\(permission denied\\)"):
        read_text(path)


def bad(tmp_path: Path, *entries: dict[str, object], **kw: object) -> str:
    path = write(tmp_path / "kb.yaml", kb(*entries, **kw))  # type: ignore[arg-type]
    result = run("validate", str(path))
    assert result.exit_code == 1
    return result.stdout


def test_wrong_types(tmp_path: Path) -> None:
    out = bad(tmp_path, entry("x", benefits="a string", aliases=[1]), entry("y", id=42))
    assert "entry 'x' benefits: expected a list, found text" in out
    assert "entry 'x' aliases[0]: expected non-empty text, found a number" in out
    assert "entry '#2' id: expected text, found a number" in out


def test_missing_required_fields(tmp_path: Path) -> None:
    rec = entry("x")
    del rec["risks"]
    del rec["evidence"]["quality"]
    out = bad(tmp_path, rec)
    assert "entry 'x' risks: missing required field" in out
    assert "entry 'x' evidence.quality: missing required field" in out


def test_unknown_fields_say_which_and_where(tmp_path: Path) -> None:
    rec = entry("x", sumary="typo")
    out = bad(tmp_path, rec)
    path = tmp_path / "kb.yaml"
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.strip().startswith("sumary"))
    assert f"{path}:{line}: entry 'x' sumary: unknown field" in out


def test_duplicate_ids_and_colliding_aliases(tmp_path: Path) -> None:
    out = bad(
        tmp_path,
        entry("x"),
        entry("x"),
        entry("y", aliases=["x-alias"]),
        entry("z", aliases=["X"]),
    )
    assert "entry 'x' id: duplicate id" in out
    assert "entry 'y' aliases: alias 'x-alias' is already the id or an alias of 'x'" in out
    assert "entry 'z' aliases: alias 'X' is already the id or an alias of 'x'" in out


def test_unknown_category_stance_and_grade(tmp_path: Path) -> None:
    rec = entry("x", category="magic")
    rec["guidelines"][0]["stance"] = "maybe"
    rec["evidence"]["quality"] = "great"
    out = bad(tmp_path, rec)
    assert "category: 'magic' is not one of: minimally-invasive, alternative, conservative, surgical" in out
    assert (
        "guidelines[0].stance: 'maybe' is not one of: recommend, consider, against, research-only, no-position" in out
    )
    assert "evidence.quality: 'great' is not one of: high, moderate, low, very-low" in out


def test_malformed_date_and_unknown_condition_and_source_without_identifier(tmp_path: Path) -> None:
    rec = entry("x", last_reviewed="2026-13-45", conditions=["no-such-condition"])
    del rec["sources"][0]["doi"]
    out = bad(tmp_path, rec)
    assert "last_reviewed: expected a date YYYY-MM-DD, found '2026-13-45'" in out
    assert "conditions: unknown condition 'no-such-condition'" in out
    assert "sources[0]: needs an identifier: doi, pmid or url" in out


def test_invalid_identifiers(tmp_path: Path) -> None:
    rec = entry("x")
    rec["sources"][0].update({"doi": "doi.org/10.1/x", "pmid": "12a", "url": "http://insecure.example"})
    out = bad(tmp_path, rec)
    assert "sources[0].doi: 'doi.org/10.1/x' is not a DOI like 10.1000/xyz" in out
    assert "sources[0].pmid: '12a' is not digits only" in out
    assert "sources[0].url: 'http://insecure.example' is not an https:// address" in out


def test_validate_reports_all_problems_in_one_run(tmp_path: Path) -> None:
    out = bad(tmp_path, *(entry(f"e{i}", category="magic") for i in range(5)))
    assert out.count("is not one of") == 5
    assert "5 problem(s)" in out


def test_runtime_load_names_the_first_problem_and_the_count(tmp_path: Path) -> None:
    path = write(tmp_path / "kb.yaml", kb(entry("a", category="magic"), entry("b", category="magic")))
    message = error_line(path)
    assert "entry 'a' category: 'magic' is not one of" in message
    assert f"(and 1 more; 'backcare validate {path}' lists all)" in message


def test_never_writes_the_knowledge_base_file(tmp_path: Path) -> None:
    path = write(tmp_path / "kb.yaml", kb())
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    for args in (["list"], ["show", "test-treatment"], ["search", "summary"], ["validate", str(path)]):
        run("--data-only", str(path), *args)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


# -- lookups ----------------------------------------------------------------------------------


def test_resolve_by_id_alias_name_any_case(tmp_path: Path) -> None:
    path = write(tmp_path / "kb.yaml", kb(entry("heat-wrap", name="Heat Wrap", aliases=["warmth pad"])))
    base = kbmod.load(data_only=path)
    for name in ("heat-wrap", "HEAT-WRAP", "Heat Wrap", "warmth pad", "Warmth_Pad"):
        assert base.resolve(name).id == "heat-wrap"
    with pytest.raises(NotFound, match="did you mean heat-wrap"):
        base.resolve("heat-wrp")


def test_condition_sources_are_checked(tmp_path: Path) -> None:
    cond = dict(CONDITION, sources=[])
    out = bad(tmp_path, entry("x"), conditions=[cond])
    assert "entry 'test-condition' sources: needs at least 1 item(s)" in out


def test_the_pure_python_loader_is_used_when_libyaml_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    path = write(tmp_path / "kb.yaml", kb(entry("plain-python")))
    assert kbmod.load(data_only=path).resolve("plain-python").id == "plain-python"
    (tmp_path / "bad.yaml").write_text('treatments: !!python/object/apply:os.system ["true"]\n')
    with pytest.raises(InvalidKnowledgeBase, match="is not allowed"):
        kbmod.load(data_only=tmp_path / "bad.yaml")
