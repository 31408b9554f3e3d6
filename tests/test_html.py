"""HTML handouts and the static site (decision 005): printed in a real browser, parsed strictly.

The page counts come from headless Chromium printing to PDF and poppler's pdfinfo. These tests
never skip: without chromium or pdfinfo they fail and say what to install (CI installs both).
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest

from conftest import run
from test_hardening import hostile_kb

FOUR_WAY = ["spinal-manipulation", "acupuncture", "massage-therapy", "exercise-therapy"]
HANDOUTS = {
    "show": ["show", "acupuncture"],
    "show-full": ["show", "acupuncture", "--full"],
    "compare": ["compare", *FOUR_WAY],
    "compare-two": ["compare", "rfa", "epidural"],
    "compare-full": ["compare", "rfa", "epidural", "--full"],
    "conditions": ["conditions", "sciatica"],
    "conditions-all": ["conditions"],
}


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"'{name}' is needed for the HTML handout tests: apt-get install chromium poppler-utils")
    return path


def printed_pages(page: Path, tmp_path: Path) -> int:
    """Print `page` to PDF in headless Chromium and count the PDF's pages with pdfinfo."""
    pdf = tmp_path / (page.stem + ".pdf")
    command = [
        tool("chromium"),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        page.resolve().as_uri(),
    ]
    subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert pdf.exists() and pdf.stat().st_size > 0, f"chromium printed no PDF of {page}"
    info = subprocess.run([tool("pdfinfo"), str(pdf)], capture_output=True, text=True, timeout=30, check=True)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert found, info.stdout
    return int(found.group(1))


def handout(tmp_path: Path, name: str, *args: str) -> Path:
    result = run(*args, "--format", "html")
    assert result.exit_code == 0, result.output
    page = tmp_path / f"{name}.html"
    page.write_text(result.stdout, encoding="utf-8")
    return page


def strict_parse(text: str) -> None:
    html5lib.HTMLParser(strict=True).parse(text)


@pytest.mark.parametrize(
    ("args", "paper", "most"),
    [
        (["compare", *FOUR_WAY], "a4", 1),
        (["compare", *FOUR_WAY], "letter", 1),
        (["show", "acupuncture"], "a4", 1),
        (["show", "epidural"], "letter", 1),
        (["conditions", "sciatica"], "a4", 1),
        (["show", "acupuncture", "--full"], "a4", 5),
        (["show", "epidural", "--full"], "letter", 5),
    ],
)
def test_handouts_print_within_their_page_limit(tmp_path: Path, args: list[str], paper: str, most: int) -> None:
    page = handout(tmp_path, "handout", *args, "--paper", paper)
    pages = printed_pages(page, tmp_path)
    assert 1 <= pages <= most, f"{' '.join(args)} on {paper}: {pages} pages, at most {most}"


def test_paper_size_is_in_the_print_styles() -> None:
    assert "size: A4" in run("show", "acupuncture", "-f", "html").stdout
    assert "size: letter" in run("show", "acupuncture", "-f", "html", "--paper", "letter").stdout


@pytest.mark.parametrize("name", sorted(HANDOUTS))
def test_every_handout_is_strict_accessible_self_contained_html(name: str) -> None:
    text = run(*HANDOUTS[name], "--format", "html").stdout
    strict_parse(text)
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "default-src 'none'; style-src 'unsafe-inline'; img-src data:" in text
    assert "<script" not in text.lower() and "@import" not in text and "@font-face" not in text
    assert not re.search(r"""(src|href)=["'](?!#|https://)""", text), "nothing fetched, no relative link"
    tables = text.count("<table")
    assert text.count("<caption>") == tables
    assert "<th>" not in text, "every header cell has a scope"
    levels = [int(h) for h in re.findall(r"<h([1-6])[ >]", text)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    assert "reference, not medical advice" in text
    assert "Made with backcare" in text


def test_a_handout_carries_what_a_patient_needs() -> None:
    brief = run("show", "acupuncture", "-f", "html").stdout
    assert 'class="urgent"' in brief and "urgent medical assessment" in brief
    assert "✔ recommend</span>" in brief or "✘ against</span>" in brief, "verdicts in words with a symbol"
    assert "certainty" in brief and "What if I wait?" in brief and "Questions to ask" in brief
    full = run("show", "acupuncture", "--full", "-f", "html").stdout
    arrays = re.findall(r'<svg role="img" aria-label="([^"]+)"', full)
    assert arrays and all(re.search(r"\d+ in 100", label) for label in arrays)
    assert full.count("<circle") == 100 * len(arrays)
    assert '<section class="refs small">' in full and 'id="ref-1"' in full
    assert 'href="https://doi.org/10.' in full
    assert re.search(r'<a href="#ref-\d+">\[\d+\]</a>', full), "cited by number"


def test_references_are_numbered_and_linked_in_the_grid() -> None:
    text = run("compare", *FOUR_WAY, "-f", "html").stdout
    numbers = re.findall(r'<li id="ref-(\d+)">', text)
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)] and numbers
    for n in numbers:
        assert f'<a href="#ref-{n}">[{n}]</a>' in text
    hrefs = re.findall(r'href="([^"#][^"]*)"', text)
    assert hrefs and all(
        h.startswith(("https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/", "https://")) for h in hrefs
    )


def test_only_http_links_become_links() -> None:
    from backcare.render.links import linked, safe_href

    assert safe_href("javascript:alert(1)") == ""
    assert safe_href("data:text/html,x") == ""
    assert safe_href("https://example.org/a") == "https://example.org/a"
    assert linked("See javascript:alert(1) and doi:10.1/x(1). PMID 123.") == [
        ("See javascript:alert(1) and ", ""),
        ("doi:10.1/x(1)", "https://doi.org/10.1/x(1)"),
        (". ", ""),
        ("PMID 123", "https://pubmed.ncbi.nlm.nih.gov/123/"),
        (".", ""),
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["show", "h1"],
        ["show", "h1", "--full"],
        ["compare", "h1", "h2"],
        ["compare", "h1", "h2", "--full"],
        ["conditions", "test-condition"],
        ["conditions"],
        ["list"],
        ["glossary"],
    ],
)
def test_hostile_knowledge_base_comes_out_as_text(tmp_path: Path, args: list[str]) -> None:
    path = hostile_kb(tmp_path)
    data = path.read_text(encoding="utf-8")
    path.write_text(
        data.replace("Summary M", "Summary <script>alert(1)</script> <a href='javascript:alert(2)'>x</a> | --- | M"),
        encoding="utf-8",
    )
    result = run("--data-only", str(path), *args, "-f", "html")
    assert result.exit_code == 0, result.output
    text = result.stdout
    strict_parse(text)
    assert "<script" not in text.lower()
    assert "javascript:" not in re.findall(r'href="([^"]*)"', text.lower())
    assert not any(h.startswith("javascript") for h in re.findall(r'href="([^"]*)"', text.lower()))
    assert "\x1b" not in text and "\u202e" not in text
    if "Summary" in text:
        assert "&lt;script&gt;" in text


def test_other_formats_never_import_jinja2() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from backcare.cli import app\n"
        "for args in (['show', 'acupuncture'], ['compare', 'rfa', 'epidural'], ['conditions', 'sciatica']):\n"
        "    for fmt in ('table', 'plain', 'json', 'markdown'):\n"
        "        for full in ([], ['--full']) if args[0] != 'conditions' else ([],):\n"
        "            r = CliRunner().invoke(app, [*args, '-f', fmt, *full])\n"
        "            assert r.exit_code == 0, r.output\n"
        "print('jinja2' in sys.modules, 'backcare.render.html' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["False", "False"], out.stderr


# -- templates compiled ahead of time (decision 005) ---------------------------------------------


@pytest.fixture
def fresh_environment() -> Iterator[None]:
    """The HTML environment made anew for the test, and again after it (it is cached per process)."""
    from backcare.render import html

    html.environment.cache_clear()
    yield
    html.environment.cache_clear()


def test_compiled_templates_are_in_step_with_the_templates() -> None:
    import jinja2

    from backcare.render import compile_templates, compiled_templates

    assert compile_templates.sources() == compiled_templates.SOURCES, compile_templates.STALE
    if jinja2.__version__ == compiled_templates.JINJA2_VERSION:  # else they are not used (next tests)
        assert compile_templates.written() == compile_templates.generated(), compile_templates.STALE


def test_compile_templates_check_names_a_stale_folder(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from backcare.render import compile_templates

    assert compile_templates.main(["--check"]) == 0
    monkeypatch.setattr(compile_templates, "generated", lambda: {"__init__.py": "# stale on purpose\n"})
    assert compile_templates.main(["--check"]) == 1
    assert "run python -m backcare.render.compile_templates" in capsys.readouterr().err


@pytest.mark.usefixtures("fresh_environment")
def test_the_html_path_compiles_no_template_at_run_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2

    from backcare.render import compiled_templates, html

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a template was compiled at run time")

    if jinja2.__version__ != compiled_templates.JINJA2_VERSION:  # reported by -ra, so the slow path is seen
        pytest.skip(
            f"templates compiled by Jinja2 {compiled_templates.JINJA2_VERSION}, this is {jinja2.__version__}: "
            "run python -m backcare.render.compile_templates to compile them with it"
        )
    monkeypatch.setattr(jinja2.Environment, "compile", refuse)
    assert isinstance(html.environment().loader, jinja2.ModuleLoader)
    for args in HANDOUTS.values():
        result = run(*args, "--format", "html")
        assert result.exit_code == 0, result.output
        assert "Made with backcare" in result.stdout
    assert run("site", str(tmp_path / "site")).exit_code == 0


@pytest.mark.usefixtures("fresh_environment")
def test_another_jinja2_release_compiles_the_sources_into_the_same_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    from backcare.render import compiled_templates, html

    env = {"BACKCARE_TODAY": "2026-11-25"}
    compiled = {name: run(*args, "-f", "html", env=env).stdout for name, args in HANDOUTS.items()}
    assert run("site", str(tmp_path / "compiled"), env=env).exit_code == 0
    monkeypatch.setattr(compiled_templates, "JINJA2_VERSION", "0.0.0")
    html.environment.cache_clear()
    assert isinstance(html.environment().loader, jinja2.PackageLoader)
    for name, args in HANDOUTS.items():
        assert run(*args, "-f", "html", env=env).stdout == compiled[name], name
    assert run("site", str(tmp_path / "source"), env=env).exit_code == 0
    pages = sorted(p.relative_to(tmp_path / "compiled") for p in (tmp_path / "compiled").rglob("*.html"))
    assert pages
    for page in pages:
        assert (tmp_path / "source" / page).read_bytes() == (tmp_path / "compiled" / page).read_bytes(), page


def test_the_handout_screenshot_is_in_the_docs_and_linked_from_the_readme() -> None:
    root = Path(__file__).resolve().parent.parent
    picture = root / "docs" / "handout-four-way.png"
    assert picture.exists() and picture.stat().st_size > 10_000, "run python docs/gen_screenshot.py"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "(docs/handout-four-way.png)" in (root / "README.md").read_text(encoding="utf-8")


def test_markdown_grid_has_short_cells_stance_words_and_linked_numbered_references() -> None:
    text = run("compare", *FOUR_WAY, "-f", "markdown").stdout
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    cells = [cell for row in rows for cell in row.split(" | ")]
    assert rows and max(len(cell) for cell in cells) <= 500
    assert "✔ recommend" in text and "consider" in text
    assert "\\[1\\] Haake M et al. 2007, trial. [doi:10.1001/archinte.167.17.1892](<https://doi.org/10.1001/" in text
    assert "\\[1\\]" in next(row for row in rows if "Does it help?" in row)


# -- backcare site ------------------------------------------------------------------------------

SOURCE_HOSTS = ("https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/")


def source_urls() -> set[str]:
    from backcare import kb

    base = kb.load([], None)
    return {s.url for e in base.entries for s in e.treatment.sources if s.url}


def test_site_pages_parse_and_every_link_resolves(tmp_path: Path) -> None:
    target = tmp_path / "site"
    result = run("site", str(target))
    assert result.exit_code == 0, result.output
    assert "index.html" in result.stdout
    pages = sorted(target.rglob("*.html"))
    assert len(pages) > 20
    assert (target / "treatments" / "acupuncture.html").exists()
    assert (target / "glossary.html").exists() and (target / "about.html").exists()
    allowed = source_urls()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        strict_parse(text)
        assert "<script" not in text.lower()
        ids = set(re.findall(r'id="([^"]+)"', text))
        for href in re.findall(r'href="([^"]*)"', text):
            if href.startswith("#"):
                assert href[1:] in ids, f"{page.name}: {href}"
            elif href.startswith(("http://", "https://")):
                assert href.startswith(SOURCE_HOSTS) or href in allowed, f"{page.name}: {href}"
            else:
                assert ":" not in href and not href.startswith("/"), f"{page.name}: {href} is not relative"
                assert (page.parent / href).resolve().is_file(), f"{page.name}: {href} does not exist"
    treatment = (target / "treatments" / "acupuncture.html").read_text(encoding="utf-8")
    assert treatment.index("In short") < treatment.index("Everything, with its sources")
    index = (target / "index.html").read_text(encoding="utf-8")
    assert "<h2>alternative</h2>" in index and 'href="treatments/acupuncture.html"' in index


def test_site_refuses_a_file_or_a_folder_it_did_not_write(tmp_path: Path) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("mine", encoding="utf-8")
    result = run("site", str(afile))
    assert result.exit_code == 2 and "is a file" in result.stderr
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine", encoding="utf-8")
    result = run("site", str(mine))
    assert result.exit_code == 2 and "not written by backcare" in result.stderr and "empty folder" in result.stderr
    assert (mine / "keep.txt").read_text(encoding="utf-8") == "mine" and len(list(mine.iterdir())) == 1


def test_site_replaces_its_own_earlier_output(tmp_path: Path) -> None:
    target = tmp_path / "site"
    assert run("site", str(target)).exit_code == 0
    stale = target / "treatments" / "gone-treatment.html"
    stale.write_text("old", encoding="utf-8")
    marker = target / ".backcare-site"
    marker.write_text(marker.read_text(encoding="utf-8") + "treatments/gone-treatment.html\n", encoding="utf-8")
    assert run("site", str(target), "--paper", "letter").exit_code == 0
    assert not stale.exists()
    assert "size: letter" in (target / "index.html").read_text(encoding="utf-8")
    assert not list(target.rglob("*.tmp")), "no temporary file left behind"


def test_site_of_a_hostile_knowledge_base_is_text(tmp_path: Path) -> None:
    path = hostile_kb(tmp_path)
    target = tmp_path / "site"
    result = run("--data-only", str(path), "site", str(target))
    assert result.exit_code == 0, result.output
    for page in target.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        strict_parse(text)
        assert "\x1b" not in text and "<script" not in text.lower()
        assert not any(h.lower().startswith("javascript") for h in re.findall(r'href="([^"]*)"', text))


def test_a_site_page_prints_the_brief_on_top(tmp_path: Path) -> None:
    target = tmp_path / "site"
    assert run("site", str(target)).exit_code == 0
    assert printed_pages(target / "conditions" / "sciatica.html", tmp_path) == 1
