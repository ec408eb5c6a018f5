"""The govcodes command, run for real."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import govcodes


def test_show_json(cli):
    r = cli("show", "2080101", "--format", "json")
    assert r.status == 0 and r.err == ""
    [entry] = json.loads(r.out)
    assert entry["name"] == "行政运行" and entry["parent"] == "20801" and entry["year"] == 2026


def test_show_table_has_chinese_headers_and_evidence(cli):
    r = cli("show", "[30101]基本工资")
    assert r.status == 0
    assert "科目编码" in r.out and "科目名称" in r.out and "基本工资" in r.out
    assert "依据: attested" in r.out and "50101" in r.out


def test_show_unknown_code_exits_1_with_suggestion(cli):
    r = cli("show", "2080198")
    assert r.status == 1 and r.out == ""
    assert r.err.startswith("govcodes: error:") and "2080199" in r.err
    assert r.err.count("\n") == 1


def test_show_some_found_some_not(cli):
    r = cli("show", "2080101", "2080198", "--format", "csv")
    assert r.status == 1
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert [row["科目编码"] for row in rows] == ["2080101"]


def test_usage_errors_exit_2(cli):
    assert cli("show").status == 2
    assert cli("show", "208", "--format", "xml").status == 2
    r = cli("show", "208", "--year", "1999")
    assert r.status == 2 and "available" in r.err
    assert cli("frobnicate").status == 2


def test_search_lists_the_pension_codes(cli):
    r = cli("search", "养老", "--format", "json")
    assert r.status == 0
    hits = json.loads(r.out)
    assert hits and all("养老" in h["name"] for h in hits)
    assert {"20805", "2080505"} & {h["code"] for h in hits}


def test_search_nothing_exits_1(cli):
    r = cli("search", "完全不存在的科目名称")
    assert r.status == 1 and "nothing" in r.err


def test_search_under(cli):
    r = cli("search", "行政运行", "--under", "208", "--format", "csv")
    codes = [row["科目编码"] for row in csv.DictReader(io.StringIO(r.out))]
    assert codes and all(c.startswith("208") for c in codes)


def test_tree_depth_1_lists_the_kuan_of_208(cli):
    r = cli("tree", "208", "--depth", "1", "--format", "csv")
    codes = [row["科目编码"] for row in csv.DictReader(io.StringIO(r.out))]
    expected = [c.code for c in govcodes.edition(2026)["208"].children]
    assert codes == ["208"] + expected


def test_tree_json_is_nested(cli):
    [root] = json.loads(cli("tree", "20805", "--format", "json").out)
    assert root["code"] == "20805" and {c["code"] for c in root["children"]} >= {"2080501", "2080505"}


def test_tree_table_indents(cli):
    out = cli("tree", "20805").out
    assert "\n2080501     行政单位离退休" in out or "  行政单位离退休" in out


def test_editions(cli):
    r = cli("editions", "--format", "json")
    rows = json.loads(r.out)
    assert [row["year"] for row in rows] == list(govcodes.editions())
    last = rows[-1]
    assert last["attested"] + last["official"] + last["compiled"] == len(govcodes.edition(last["year"]))


def test_export_csv_has_every_code(cli):
    r = cli("export", "--year", "2026", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert len(rows) == len(govcodes.edition(2026))
    assert {row["依据"] for row in rows} <= {"attested", "official", "compiled"}
    english = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv", "--english-headers").out)))
    assert english[0]["code"] == rows[0]["科目编码"]


def test_python_dash_m_runs_the_real_command():
    out = subprocess.run([sys.executable, "-m", "govcodes", "show", "2080101", "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out)[0]["full_name"] == "社会保障和就业支出/人力资源和社会保障管理事务/行政运行"


def test_the_light_table_renderer_prints_what_tabulate_prints():
    from tabulate import tabulate

    from govcodes._table import render

    ed = govcodes.edition(2026)
    headers = ["科目编码", "科目名称", "级次", "全称"]
    rows = [[c.code, "  " * c.depth + c.name, c.level, c.full_name] for c in ed if c.code.startswith("2120")]
    rows.append(["30212", "因公出国（境）费用", "款", "“三供一业”移交补助支出"])
    expected = tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True, preserve_whitespace=True)
    assert render(headers, rows) == expected


def test_revenue_codes_show_and_tree(cli):
    r = cli("show", "101", "10101", "--format", "json")
    assert r.status == 0
    assert [(c["code"], c["name"], c["level"]) for c in json.loads(r.out)] == [
        ("101", "税收收入", "类"), ("10101", "增值税", "款")]
    assert "1010101" in json.loads(r.out)[1]["children"]
    r = cli("tree", "101", "--depth", "2", "--format", "csv", "--english-headers")
    assert r.status == 0
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert rows[0]["code"] == "101" and {"10101", "1010101"} <= {row["code"] for row in rows}
    assert max(len(row["code"]) for row in rows) == 7 and all(row["provenance"] == "compiled" for row in rows)


def test_as_of_chooses_the_edition_before_its_later_amendments(cli):
    assert cli("show", "2170404", "--year", "2025").status == 0
    r = cli("show", "2170404", "--year", "2025", "--as-of", "2025-05-01")
    assert r.status == 1 and "as of 2025-05-01" in r.err
    found = json.loads(cli("search", "注资特别国债支出", "--year", "2025", "--format", "json").out)
    assert "2170404" in {h["code"] for h in found}
    r = cli("search", "注资特别国债支出", "--year", "2025", "--as-of", "2025-05-01", "--format", "json")
    assert "2170404" not in {h["code"] for h in json.loads(r.out or "[]")}
    r = cli("tree", "21704", "--year", "2025", "--as-of", "2025-05-01", "--format", "json")
    assert r.status == 0 and "2170404" not in r.out
    assert "2170404" in cli("tree", "21704", "--year", "2025", "--format", "json").out
    r = cli("export", "--year", "2025", "--as-of", "2025-05-01", "--format", "json")
    data = json.loads(r.out)
    assert data["as_of"] == "2025-05-01" and data["amendments"] == []
    assert not any(c["code"] == "2170404" for c in data["codes"])
    full = json.loads(cli("export", "--year", "2025", "--format", "json").out)
    assert {a["document"] for a in full["amendments"]} == {"财预〔2025〕41号"}
    assert cli("show", "208", "--as-of", "soon").status == 2


def test_rollup_and_check_take_as_of(cli, tmp_path):
    items = tmp_path / "revenue.csv"
    items.write_text("收入科目,金额\n1010101,5\n1030184,3\n", encoding="utf-8")
    r = cli("rollup", str(items), "--by", "revenue", "--year", "2025", "--format", "json")
    assert r.status == 0
    r = cli("rollup", str(items), "--by", "revenue", "--year", "2025", "--as-of", "2025-05-01")
    assert r.status == 1 and "财预〔2025〕41号 2025-05-23" in r.err
    table = tmp_path / "table.txt"
    table.write_text("2025年一般公共预算收入表\n科目编码\t科目名称\t金额\n103\t非税收入\t3.00\n10301\t政府性基金收入\t3.00\n"
                     "1030184\t中央金融机构注资特别国债财务基金收入\t3.00\n", encoding="utf-8")
    assert cli("check", str(table)).status == 0
    r = cli("check", str(table), "--as-of", "2025-05-01")
    assert r.status == 1 and "as of 2025-05-01" in r.out and "财预〔2025〕41号" in r.out
