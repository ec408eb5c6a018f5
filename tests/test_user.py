"""Bring your own edition: the Ministry's book or a budget system's list, loaded as a user edition (issue 11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import govcodes
from govcodes import InputError

#: The changes the synthetic 2027 edition makes to the functional classification of 2026, as diff must type them.
EXPECTED = {
    ("renamed", "20805", "20805"),
    ("added", None, "2080198"),
    ("removed", "2080199", None),
    ("moved", "20101", "20150"),
    ("reused", "2080102", "2080102"),
    ("moved", "2080102", "2080120"),
}


def _edition_2027() -> list[tuple[str, str, str | None]]:
    """(code, name, 说明) of a made-up 2027 functional classification: 2026 with the EXPECTED changes."""
    ed = govcodes.edition(2026)
    out = []
    for c in ed.codes("functional"):
        code, name = c.code, c.name
        if code == "2080199":
            continue
        if code.startswith("20101"):
            code = "20150" + code[5:]
            moved_children = True  # noqa: F841 - the 项 of the moved 款 move with it
        if code == "20805":
            name = "行政事业单位养老保障支出"
        if code == "2080102":
            name = "数据管理事务"
        out.append((code, name, c.description))
    out.append(("2080120", "一般行政管理事务", None))
    out.append(("2080198", "劳动保障监察数据支出", "反映测试用的新增项。"))
    return sorted(out)


def _expected_with_children() -> set[tuple[str, str | None, str | None]]:
    children = {("moved", c.code, "20150" + c.code[5:]) for c in govcodes.edition(2026)["20101"].children}
    return EXPECTED | children


def _book_xlsx(path: Path) -> Path:
    """The Ministry's book as a workbook: 类/款/项 columns, only two digits under the parent, and 说明."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2027年政府收支分类科目"])
    sheet.append(["类", "款", "项", "科目名称", "说明"])
    for code, name, description in _edition_2027():
        parts = {3: [code, "", ""], 5: ["", code[3:], ""], 7: ["", "", code[5:]]}[len(code)]
        sheet.append(parts + [name, description or ""])
    book.save(path)
    return path


def _list_csv(path: Path) -> Path:
    """A budget system's export: one full code and its name a row."""
    lines = ["科目编码,科目名称,级次"] + [f"{code},{name},{ {3: '类', 5: '款', 7: '项'}[len(code)] }"
                                      for code, name, _ in _edition_2027()]
    path.write_text("\n".join(lines) + "\n", encoding="gb18030")
    return path


def _typed(year_from: int = 2026, year_to: int = 2027) -> set[tuple[str, str | None, str | None]]:
    return {(c.kind, c.old_code, c.new_code) for c in govcodes.diff(year_from, year_to)}


def test_the_book_as_a_workbook(tmp_path):
    ed = govcodes.load_edition(_book_xlsx(tmp_path / "2027年政府收支分类科目.xlsx"), year=2027)
    assert ed.year == 2027 and 2027 in govcodes.editions()
    assert ed["2080120"].name == "一般行政管理事务" and ed["20150"].name == "人大事务"
    assert ed["2080198"].description == "反映测试用的新增项。"
    prov = ed["2080101"].provenance
    assert prov.kind == "official" and "2027年政府收支分类科目.xlsx" in prov.source and "sha256" in prov.source
    # the parts the book lacks come from 2026, marked compiled
    assert ed["30101"].provenance.kind == "compiled" and "as in the 2026 edition" in ed["30101"].provenance.note
    assert _typed() == _expected_with_children()  # exactly the changes the file makes, each typed
    assert all(c.citation == "derived" for c in govcodes.diff(2026, 2027))
    assert govcodes.history("20805").names[2027] == "行政事业单位养老保障支出"


def test_a_budget_systems_list(tmp_path):
    ed = govcodes.load_edition(_list_csv(tmp_path / "科目代码表.csv"), year=2027)
    assert ed["2080101"].provenance.kind == "user" and ed["2080101"].description is None
    assert _typed() == _expected_with_children()


def test_the_book_as_a_word_document_and_as_text(tmp_path):
    rows = [["类", "款", "项", "科目名称", "说明"]]
    for code, name, description in _edition_2027():
        rows.append({3: [code, "", ""], 5: ["", code[3:], ""], 7: ["", "", code[5:]]}[len(code)]
                    + [name, description or ""])
    docx = tmp_path / "book.docx"
    _write_docx(docx, rows)
    ed = govcodes.load_edition(docx, year=2027)
    assert ed["2080120"].name == "一般行政管理事务" and _typed() == _expected_with_children()
    text = ["类    款    项     科目名称                       说明"]
    for code, name, description in _edition_2027():
        indent = {3: 0, 5: 6, 7: 12}[len(code)]
        part = code if len(code) == 3 else code[-2:]
        text.append(" " * indent + part + " " * (18 - indent - len(part)) + name + "    " + (description or ""))
    path = tmp_path / "book.txt"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    again = govcodes.load_edition(path, year=2027, replace=True)
    assert again["2080198"].description == "反映测试用的新增项。" and _typed() == _expected_with_children()


def _write_docx(path: Path, rows: list[list[str]]) -> None:
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    from xml.sax.saxutils import escape

    body = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in row)
                   + "</w:tr>" for row in rows)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document {ns}><w:body><w:tbl>{body}</w:tbl></w:body></w:document>'
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)


def test_a_fresh_process_sees_the_user_edition(tmp_path):
    govcodes.load_edition(_list_csv(tmp_path / "list.csv"), year=2027)
    env = dict(os.environ)
    items = tmp_path / "items.csv"
    items.write_text("功能科目,金额\n2080120,1.00\n2015001,2.50\n", encoding="utf-8")
    run = [sys.executable, "-m", "govcodes"]
    shown = subprocess.run(run + ["show", "2080120", "--year", "2027", "--format", "json"], env=env,
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)[0]["name"] == "一般行政管理事务"
    rolled = subprocess.run(run + ["rollup", str(items), "--year", "2027", "--format", "csv"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert rolled.returncode == 0, rolled.stderr
    assert "20150,人大事务,款,2.50" in rolled.stdout and "2080120,一般行政管理事务,项,1.00" in rolled.stdout
    listed = subprocess.run(run + ["editions", "--format", "json"], env=env, capture_output=True, text=True,
                            timeout=60)
    origins = {r["year"]: r["origin"] for r in json.loads(listed.stdout)}
    assert origins[2027] == "user" and origins[2026] == "shipped"


def test_what_an_import_refuses(tmp_path):
    good = _list_csv(tmp_path / "list.csv")
    with pytest.raises(InputError, match="ships the 2026 edition"):
        govcodes.load_edition(good, year=2026)
    with pytest.raises(InputError, match="would leave a gap"):
        govcodes.load_edition(good, year=2029)
    bad = tmp_path / "bad.csv"
    bad.write_text("科目编码,科目名称\n201,一般公共服务支出\n2010101,行政运行\n", encoding="utf-8")
    with pytest.raises(InputError, match="the parent of 2010101 行政运行 is not in the file"):
        govcodes.load_edition(bad, year=2027)
    bad.write_text("科目编码,科目名称\n201,一般公共服务支出\n201,一般公共服务\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3: code 201 is listed twice"):
        govcodes.load_edition(bad, year=2027)
    bad.write_text("科目编码,科目名称,级次\n201,一般公共服务支出,款\n", encoding="utf-8")
    with pytest.raises(InputError, match="printed as a 款"):
        govcodes.load_edition(bad, year=2027)
    bad.write_text("科目编码,科目名称\n2011,某某\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a code"):
        govcodes.load_edition(bad, year=2027)
    assert 2027 not in govcodes.editions()  # nothing half-imported is left behind
    govcodes.load_edition(good, year=2027)
    with pytest.raises(InputError, match="already a user edition for 2027"):
        govcodes.load_edition(good, year=2027)
    with pytest.raises(InputError, match="no user edition for 2025"):
        govcodes.remove_edition(2025)


def test_an_override_of_a_shipped_year_is_recorded_and_can_be_removed(tmp_path):
    from govcodes.user import user_meta

    shipped = govcodes.edition(2026)["20805"].name
    path = tmp_path / "2026.csv"
    lines = ["科目编码,科目名称"] + [f"{c.code},{c.name if c.code != '20805' else '养老支出（用户版）'}"
                                  for c in govcodes.edition(2026).codes("functional")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ed = govcodes.load_edition(path, year=2026, override=True)
    assert ed["20805"].name == "养老支出（用户版）" and user_meta(2026)["override"] is True
    assert {(c.kind, c.old_code) for c in govcodes.diff(2025, 2026).filter(under="20805")} >= {("renamed", "20805")}
    govcodes.remove_edition(2026)
    assert govcodes.edition(2026)["20805"].name == shipped


def test_reviewed_changes_replace_the_derived_ones(tmp_path, cli):
    book = _book_xlsx(tmp_path / "book.xlsx")
    govcodes.load_edition(book, year=2027)
    reviewed = tmp_path / "changes.csv"
    assert cli("edition", "changes", "2027", "--format", "csv", "-o", str(reviewed)).status == 0
    text = reviewed.read_text(encoding="utf-8-sig")
    # the reviewer knows 2080198 continues 2080199 under a new code: a move, not an addition and a removal
    lines = [ln for ln in text.splitlines() if not ln.startswith(("added,functional,,,2080198,",
                                                                   "removed,functional,2080199,"))]
    lines.append("moved,functional,2080199,其他人力资源和社会保障管理事务支出,2080198,劳动保障监察数据支出,,"
                 "reviewed,the reviewer's decision,2026,2027")
    reviewed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = cli("edition", "import", str(book), "--year", "2027", "--replace", "--changes", str(reviewed))
    assert r.status == 0, r.err
    kinds = {(c.kind, c.old_code, c.new_code) for c in govcodes.diff(2026, 2027)}
    assert ("moved", "2080199", "2080198") in kinds and ("removed", "2080199", None) not in kinds
    assert [m.code for m in govcodes.crosswalk(2026, 2027)["2080199"]] == ["2080198"]
    # a correction that does not explain the editions is refused, and the edition stays as it was
    reviewed.write_text("kind,classification,old_code,old_name,new_code,new_name,share,citation,evidence\n",
                        encoding="utf-8")
    r = cli("edition", "import", str(book), "--year", "2027", "--replace", "--changes", str(reviewed))
    assert r.status == 2 and "do not explain" in r.err
    assert ("moved", "2080199", "2080198") in {(c.kind, c.old_code, c.new_code) for c in govcodes.diff(2026, 2027)}


def test_the_edition_command(cli, tmp_path):
    path = _list_csv(tmp_path / "list.csv")
    r = cli("edition", "import", str(path), "--year", "2027")
    assert r.status == 0 and "changes 2026 → 2027" in r.err and "govcodes diff 2026 2027" in r.err
    assert cli("edition", "import", str(path)).status == 2  # the year is required
    assert cli("diff", "2026", "2027", "--format", "json").status == 0
    assert cli("edition", "remove", "2027").status == 0
    assert cli("show", "2080120", "--year", "2027").status == 2
