"""The generated documentation pages are current."""

from __future__ import annotations

import importlib.util

from .conftest import REPO


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current():
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert text == _tool("cli_reference").render(), "docs/cli.md is stale: run python tools/cli_reference.py"


def test_provenance_report_is_current():
    text = (REPO / "docs" / "editions.md").read_text(encoding="utf-8")
    assert text == _tool("report_editions").render(), "docs/editions.md is stale: run python tools/report_editions.py"


def test_changelog_names_the_version():
    import govcodes

    assert f"## {govcodes.__version__}" in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")


def test_seed_evidence_is_what_the_reader_extracts(seeds):
    assert _tool("extract_seed_evidence").main(["--check", str(seeds)]) == 0, \
        "data/evidence/seeds is stale: run python tools/extract_seed_evidence.py"


def test_the_readme_shows_what_govcodes_show_prints(cli):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("$ govcodes show 2080101\n", 1)[1].split("```", 1)[0]
    assert cli("show", "2080101").out == block


def test_the_chinese_guide_shows_what_the_commands_print():
    assert _tool("doc_examples").main(["--check"]) == 0, "docs/zh is stale: run python tools/doc_examples.py"


def test_the_readme_has_a_chinese_section_and_the_guide_exists():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## 中文说明", 1)[1].split("\n## ", 1)[0]
    for words in ("政府收支分类科目", "govcodes show 2080101", "govcodes rollup", "docs/zh/quickstart.md",
                  "docs/zh/tasks.md", "查询科目", "汇总明细", "跨年比较", "检查公开表"):
        assert words in section, words
    assert {p.name for p in (REPO / "docs" / "zh").glob("*.md")} >= {"quickstart.md", "tasks.md"}


def test_the_report_of_assumed_existence_is_current_and_no_record_contradicts_its_documents():
    tool = _tool("report_assumed")
    text = (REPO / "docs" / "data-review" / "assumed.md").read_text(encoding="utf-8")
    assert text == tool.render(), "docs/data-review/assumed.md is stale: run python tools/report_assumed.py"
    assert not [row for row in tool.windows() if row[3].endswith("OUTSIDE")]


def test_what_rests_on_the_assumption():
    import govcodes

    found = _tool("report_assumed").assumed()
    assert "2170404" not in found  # added by a notice in 2025: never assumed
    assert "234" not in found  # added by the 2020 revision, removed at 2023
    assert found["20805"] == (2017, 2018)  # the 2020 rename record places it in 2019
    years = govcodes.editions()
    for code, assumed_years in found.items():
        assert years[-1] not in assumed_years  # the maintained edition is evidence of itself
        assert all(code in govcodes.edition(y) for y in assumed_years)
    printed_2022 = {c for c in govcodes.evidence.attestations("functional", 2022)}
    assert not any(2022 in found.get(c, ()) for c in printed_2022)
