"""The govcodes command, run for real."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

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


# -- one CLI style: -o on every command ----------------------------------------------------------

_ITEMS = "功能科目,经济科目,金额\n2080101,30101,10.00\n2080505,30108,2.50\n"
_TABLE = ("2024年一般公共预算支出表\n单位：万元\n科目编码\t科目名称\t合计\n\t合计\t3.00\n"
          "208\t社会保障和就业支出\t3.00\n20801\t人力资源和社会保障管理事务\t3.00\n2080101\t行政运行\t3.00\n")


def _command_lines(tmp_path):
    items = tmp_path / "items.csv"
    items.write_text(_ITEMS, encoding="utf-8")
    table = tmp_path / "table.txt"
    table.write_text(_TABLE, encoding="utf-8")
    return {
        "show": ["show", "2080101"],
        "search": ["search", "xzyx", "--under", "208"],
        "tree": ["tree", "208", "--depth", "1"],
        "editions": ["editions"],
        "export": ["export", "--year", "2018"],
        "diff": ["diff", "2019", "2020"],
        "history": ["history", "20805"],
        "restate": ["restate", str(items), "--from", "2019", "--to", "2026"],
        "rollup": ["rollup", str(items)],
        "check": ["check", str(table)],
        "guess": ["guess", str(table)],
        "edition": ["edition", "changes", str(_a_user_edition(tmp_path))],
    }


def _a_user_edition(tmp_path) -> int:
    """A user edition of 2027 in the test's own data folder: the 2026 functional codes and one more."""
    import govcodes

    if 2027 not in govcodes.editions():
        lines = ["科目编码,科目名称"] + [f"{c.code},{c.name}" for c in govcodes.edition(2026).codes("functional")]
        path = tmp_path / "list-2027.csv"
        path.write_text("\n".join(lines + ["2080198,测试新增项"]) + "\n", encoding="utf-8")
        govcodes.load_edition(path, year=2027)
    return 2027


def test_every_command_is_tested_here(tmp_path):
    from govcodes.cli import COMMANDS

    assert {name for name, *_ in COMMANDS} == set(_command_lines(tmp_path))


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("name", ["show", "search", "tree", "editions", "export", "diff", "history", "restate",
                                  "rollup", "check", "guess", "edition"])
def test_dash_o_writes_to_the_file_what_would_be_printed(cli, tmp_path, name, fmt):
    line = _command_lines(tmp_path)[name] + ["--format", fmt]
    printed = cli(*line)
    assert printed.status == 0, printed.err
    assert printed.out.strip()
    out = tmp_path / f"out.{fmt}"
    written = cli(*line, "-o", str(out))
    assert written.status == 0 and written.out == "" and written.err == printed.err
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    assert out.read_text(encoding=encoding) == printed.out
    if fmt == "csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
        gb = tmp_path / "gb.csv"
        assert cli(*line, "-o", str(gb), "--csv-encoding", "gb18030").status == 0
        assert gb.read_bytes() == printed.out.encode("gb18030")


def test_csv_encoding_on_standard_output():
    import subprocess
    import sys

    def run(*extra):
        return subprocess.run([sys.executable, "-m", "govcodes", "show", "208", "--format", "csv", *extra],
                              capture_output=True, timeout=60).stdout

    plain = run()
    assert run("--csv-encoding", "gb18030") == plain.decode("utf-8").encode("gb18030")
    assert run("--csv-encoding", "utf-8-sig") == b"\xef\xbb\xbf" + plain


# -- progress on a terminal ----------------------------------------------------------------------

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures"


def _jsonl(tmp_path):
    import csv as _csv

    path = tmp_path / "items.jsonl"
    with open(FIXTURES / "items.csv", encoding="utf-8") as fh:
        rows = list(_csv.reader(fh))[2:]
    path.write_text("".join(json.dumps(dict(zip(rows[0], r)), ensure_ascii=False) + "\n" for r in rows[1:]),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "xls", "ods", "xlsx"])
def test_progress_is_shown_on_a_terminal_for_every_format(cli, tmp_path, monkeypatch, suffix):
    from govcodes import cli as command

    if suffix in ("xls", "ods", "xlsx"):
        pytest.importorskip("python_calamine")
    path = {"jsonl": lambda: _jsonl(tmp_path)}.get(suffix, lambda: FIXTURES / f"items.{suffix}")()
    if suffix == "xlsx":  # a workbook as a spreadsheet would save it: the CSV's rows, written by openpyxl
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        for row in csv.reader(open(FIXTURES / "items.csv", encoding="utf-8")):
            book.active.append(row)
        book.save(path := tmp_path / "items.xlsx")
    quiet = cli("rollup", str(path), "--format", "csv", "--depth", "类")
    assert "reading" not in quiet.err  # standard error is no terminal here
    monkeypatch.setattr(command, "_is_terminal", lambda: True)
    monkeypatch.setattr(command, "PROGRESS_BYTES", 1)
    monkeypatch.setattr(command, "PROGRESS_WORKBOOK_BYTES", 1)
    shown = cli("rollup", str(path), "--format", "csv", "--depth", "类")
    assert shown.out == quiet.out and shown.status == quiet.status == 1
    size = path.stat().st_size
    assert f"reading [{'#' * 30}] 100.0%" in shown.err and f"of {size / 1e6:,.1f} MB" in shown.err
    assert "\r\033[K" in shown.err  # the bar is cleared before the report
    restated = cli("restate", str(path), "--from", "2026", "--to", "2026", "--totals", "--format", "csv")
    assert "reading [" in restated.err and restated.status == 1


def test_progress_of_a_big_csv_read_in_two_processes(cli, tmp_path, monkeypatch):
    from govcodes import cli as command

    path = tmp_path / "big.csv"
    path.write_text("功能科目,金额\n" + "2080101,1.25\n2080505,2.50\n" * 60_000, encoding="utf-8")
    quiet = cli("rollup", str(path), "--format", "csv")
    monkeypatch.setattr(command, "_is_terminal", lambda: True)
    shown = cli("rollup", str(path), "--format", "csv")
    assert shown.out == quiet.out and "208,社会保障和就业支出,类,225000.00" in shown.out
    assert "reading [" not in shown.err  # 1.6 MB: below the bound for text
    monkeypatch.setattr(command, "PROGRESS_BYTES", 1 << 20)
    shown = cli("rollup", str(path), "--format", "csv")
    assert shown.out == quiet.out and f"reading [{'#' * 30}] 100.0%" in shown.err


# -- messages: plain words, the CLI's spellings, English or Chinese -----------------------------------


def test_messages_spell_options_as_the_command_does(cli, tmp_path):
    path = tmp_path / "items.csv"
    path.write_text("经济科目,金额\n30104,10.00\n", encoding="utf-8")
    r = cli("restate", str(path), "--from", "2017", "--to", "2026")
    assert r.status == 1 and "give the shares (--shares)" in r.err and "shares=" not in r.err
    crossed = tmp_path / "crossed.csv"
    crossed.write_text("功能科目,经济科目,基本支出,项目支出\n2080101,30101,1,2\n", encoding="utf-8")
    r = cli("rollup", str(crossed), "--by", "functional,economic")
    assert r.status == 2 and "such as --measure 金额" in r.err and "measures=" not in r.err
    bad = tmp_path / "bad.csv"
    bad.write_bytes("科目编码,金额\n2080101,1\n".encode("utf-8") + b"\xff\xfe,1\n")
    r = cli("rollup", str(bad), "--encoding", "utf-8")
    assert r.status == 2 and "(--encoding)" in r.err and "encoding=" not in r.err


def test_chinese_messages_by_option_variable_or_locale(cli, tmp_path, monkeypatch):
    path = tmp_path / "items.csv"
    path.write_text("科目编码,金额\n2080101,1\n2080198,2\n", encoding="utf-8")
    english = cli("rollup", str(path))
    assert "1 line item(s) not placed (unknown-code 1):" in english.err
    for line in (["--lang", "zh", "rollup", str(path)], ["rollup", str(path), "--lang", "zh"],
                 ["rollup", str(path), "--lang=zh"]):
        zh = cli(*line)
        assert zh.out == english.out and zh.status == english.status == 1
        assert zh.err.splitlines() == [
            "govcodes: 1条明细未能汇总（本年度无此科目 1）：",
            "  第3行：2080198 不在2026年版中；是否为 2080108 信息化建设, 2080199 其他人力资源和社会保障管理事务支出？；金额 2.00",
            "govcodes: 合计（元）：读入 金额 3.00 = 已汇总 金额 1.00 + 未汇总 金额 2.00"]
    assert cli("search", "没有这样的科目", "--lang", "zh").err == \
        "govcodes: 错误：2026年版中没有与 '没有这样的科目' 相符的科目\n"
    monkeypatch.setenv("GOVCODES_LANG", "zh")
    assert cli("rollup", str(path)).err == zh.err
    monkeypatch.delenv("GOVCODES_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    assert cli("rollup", str(path)).err == zh.err
    assert cli("rollup", str(path), "--lang", "en").err == english.err


def test_the_message_catalogue_has_both_languages_of_every_message():
    import string

    from govcodes.messages import CATALOGUE

    for key, (en, zh) in CATALOGUE.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(en) if f}
        assert fields == {f for _, f, _, _ in string.Formatter().parse(zh) if f}, key
        assert en != zh, key


# -- one CLI style: help, examples, headers, the parent column, restate into rollup ------------------


def test_govcodes_alone_lists_the_commands(cli):
    from govcodes.cli import COMMANDS

    r = cli()
    assert r.status == 2 and "commands:" in r.out
    assert all(f"  {name:<10}" in r.out for name, *_ in COMMANDS)


def test_every_command_help_shows_examples_that_run_that_command(cli):
    from govcodes.cli import COMMANDS

    reference = (__import__("pathlib").Path(__file__).parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, *_ in COMMANDS:
        r = cli(name, "--help")
        examples = r.out.split("examples:\n", 1)[1].splitlines()
        assert r.status == 0 and examples, name
        assert all((line.strip() + " ").startswith(f"govcodes {name} ") for line in examples if line.strip()), name
        assert examples[0] in reference  # the reference shows them too


def test_tree_and_export_csv_have_the_parent_column_in_the_one_header_vocabulary(cli):
    from govcodes.render import HEADERS

    tree = list(csv.DictReader(io.StringIO(cli("tree", "208", "--depth", "1", "--format", "csv").out)))
    assert tree[0]["上级科目"] == "" and {r["上级科目"] for r in tree[1:]} == {"208"}
    export = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv").out)))
    assert export[0].keys() == {HEADERS[f] for f in ("code", "name", "level", "classification", "parent",
                                                     "provenance", "evidence", "description")}
    assert all(r["上级科目"] == (r["科目编码"][:-2] if len(r["科目编码"]) > 3 else "") for r in export)
    english = list(csv.DictReader(io.StringIO(cli("tree", "208", "--depth", "1", "--format", "csv",
                                                  "--english-headers").out)))
    assert english[1]["parent"] == "208" and english[1]["code"] == "20801"


def test_restate_output_pipes_into_rollup_with_every_column_kept(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text("功能科目,经济科目,资金性质,金额\n2109901,30201,一般公共预算,50000.00\n"
                    "2210106,31002,政府性基金,20000.00\n", encoding="utf-8")
    restated = subprocess.run([sys.executable, "-m", "govcodes", "restate", str(path), "--from", "2019", "--to",
                               "2026", "--format", "csv"], capture_output=True, timeout=60)
    assert restated.returncode == 0, restated.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(restated.stdout.decode("utf-8"))))
    assert [(r["功能科目"], r["经济科目"], r["资金性质"], r["原编码"]) for r in rows] == [
        ("2109999", "30201", "一般公共预算", "2109901"), ("2210111", "31002", "政府性基金", "2210106")]
    rolled = subprocess.run([sys.executable, "-m", "govcodes", "rollup", "-", "--by", "functional,economic",
                             "--depth", "类", "--format", "csv"], input=restated.stdout, capture_output=True,
                            timeout=60)
    assert rolled.returncode == 0, rolled.stderr.decode()
    assert rolled.stdout.decode("utf-8").splitlines()[1:] == [
        ",合计,,70000.00,50000.00,20000.00", "210,卫生健康支出,类,50000.00,50000.00,0.00",
        "221,住房保障支出,类,20000.00,0.00,20000.00"]


def test_every_python_spelling_in_the_messages_has_its_cli_spelling():
    """Whatever ``name=...`` the API's messages write, the CLI shows as its option (or the message is not the CLI's)."""
    import re
    from pathlib import Path

    from govcodes.messages import cli_words

    api_only = {"title"}  # read_table(title=...): no command takes it
    source = Path(govcodes.__file__).parent
    found = set()
    for path in source.rglob("*.py"):
        if path.name == "messages.py":
            continue
        for m in re.finditer(r"\b([a-z_]+)=\.\.\.", path.read_text(encoding="utf-8")):
            found.add(m.group(1))
    assert found  # the scan sees the messages
    for name in found - api_only:
        text = cli_words(f"give it ({name}=... / --x)") + cli_words(f"as {name}=...")
        assert "=..." not in text, name


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


def test_chinese_messages_reach_the_report_file(cli, tmp_path):
    path = tmp_path / "items.csv"
    path.write_text("功能科目,金额\n9999999,2\n2080101,1,234\n2080101,x\n", encoding="utf-8")
    report = tmp_path / "report.csv"
    r = cli("rollup", str(path), "--lang", "zh", "--report", str(report))
    assert r.status == 1 and "未能汇总" in r.err
    text = report.read_text(encoding="utf-8-sig")
    assert "不是功能分类编码（应以2开头）" in text and "表头只有2个" in text and "金额列的金额不是数字" in text
    assert "is not" not in text
    english = tmp_path / "report-en.csv"
    cli("rollup", str(path), "--lang", "zh", "--report", str(english), "--english-headers")
    assert english.read_text(encoding="utf-8-sig").startswith("row,kind,message,cells")


def test_the_report_file_is_csv_or_json_and_nothing_is_written_for_another_suffix(cli, tmp_path):
    path = tmp_path / "items.csv"
    path.write_text("功能科目,金额\n2080101,2\n", encoding="utf-8")
    for name in ("report.txt", "report.xlsx"):
        r = cli("rollup", str(path), "--report", str(tmp_path / name), "-o", str(tmp_path / "out.csv"))
        assert r.status == 2 and "CSV (.csv) or JSON (.json)" in r.err
        assert not (tmp_path / name).exists() and not (tmp_path / "out.csv").exists()
    r = cli("rollup", str(path), "--report", str(tmp_path / "report.json"))
    assert r.status == 0 and (tmp_path / "report.json").read_text(encoding="utf-8").strip() == "[]"
