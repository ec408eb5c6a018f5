"""Rendering: one header vocabulary, safe CSV and XLSX cells, safe terminal text (govcodes.render)."""

from __future__ import annotations

from decimal import Decimal

from govcodes import render


def test_formulas_are_written_as_text_and_numbers_stay_numbers():
    for text in ("=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=x", "\r=x"):
        assert render.safe_cell(text) == "'" + text
    for value in ("-12.50", "-1,234.56", "+7", "行政运行", Decimal("-1"), 3, None):
        assert render.safe_cell(value) == value
    text = render.csv_text([["=HYPERLINK(\"x\")", Decimal("-1.50")]], ["科目编码", "金额"])
    assert text.splitlines() == ["科目编码,金额", "\"'=HYPERLINK(\"\"x\"\")\",-1.50"]


def test_terminal_text_has_its_control_characters_escaped():
    assert render.terminal_safe("行政运行") == "行政运行"
    assert render.terminal_safe("a\x1b[2Jb\x07\u202e") == "a\\x1b[2Jb\\x07\\u202e"


def test_one_header_vocabulary():
    assert render.header("code") == "科目编码" and render.header("code", english=True) == "code"
    rows = [{"code": "208", "name": "社会保障和就业支出"}]
    assert render.fields_csv(rows, ["code", "name"]).splitlines()[0] == "科目编码,科目名称"
    assert render.fields_csv(rows, ["code", "name"], english=True).splitlines()[0] == "code,name"
    assert render.json_text({"amount": Decimal("1.10")}) == '{\n  "amount": "1.10"\n}\n'
