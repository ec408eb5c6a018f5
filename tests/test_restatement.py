"""Restating line items in another edition's codes (govcodes.restate and the restate command)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govcodes

YEARS = govcodes.editions()


def _items(draw, year):
    codes = [c.code for c in govcodes.edition(year)]
    n = draw(st.integers(min_value=0, max_value=30))
    return [{"code": draw(st.sampled_from(codes + ["9999999", "bad"])),
             "amount": str(Decimal(draw(st.integers(min_value=-10**9, max_value=10**9))).scaleb(-2))}
            for _ in range(n)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(YEARS), st.sampled_from(YEARS))
def test_restating_conserves_the_grand_total(data, a, b):
    items = _items(data.draw, a)
    r = govcodes.restate(items, a, b)
    assert r.conserved
    total_in = sum(Decimal(i["amount"]) for i in items)
    assert sum(i["amount"] for i in r.items) + sum(u.amounts["amount"] for u in r.unplaced) == total_in
    target = govcodes.edition(b)
    assert all(i["code"] in target for i in r.items)


def test_restate_reports_what_needs_a_decision_and_accepts_shares():
    items = [{"code": "2080101", "amount": "100.00"},
             {"code": "2080504", "amount": "7.00"},      # ended in 2020
             {"code": "39906", "amount": "10.01"}]       # split into 39909/39910 in 2019, shares unknown
    r = govcodes.restate(items, 2018, 2024)
    assert r.conserved
    reasons = {u.code: u for u in r.unplaced}
    assert "no successor" in reasons["2080504"].reason
    assert "shares" in reasons["39906"].reason and reasons["39906"].candidates == ("39909", "39910")
    assert [(i["code"], i["amount"]) for i in r.items] == [("2080101", Decimal("100.00"))]
    r2 = govcodes.restate(items, 2018, 2024, shares={"39906": {"39909": "0.3333", "39910": "0.6667"}},
                          overrides={"2080504": "2080501"})
    assert r2.unplaced == () and r2.conserved
    parts = {i["code"]: (i["amount"], i["share"]) for i in r2.items if i["original_code"] == "39906"}
    assert parts == {"39909": (Decimal("3.33"), Decimal("0.3333")), "39910": (Decimal("6.68"), Decimal("0.6667"))}


@pytest.mark.parametrize("kwargs", [
    {"amounts": "amount"},
    {"shares": {"39906": {"39909": "2", "39910": "-1"}}},
    {"shares": {"39906": {"39909": "abc", "39910": "1"}}},
    {"shares": {"39906": {"39909": "0.5", "39910": "0.4"}}},
    {"shares": {"39906": {"39909": 0.5, "39910": 0.5}}},
    {"overrides": {"2080101": "30101"}},
    {"overrides": {"2080101": "2089898"}},
])
def test_restate_refuses_bad_decisions(kwargs):
    with pytest.raises(govcodes.InputError):
        govcodes.restate([{"code": "39906", "amount": "1"}], 2018, 2019, **kwargs)


def test_restate_columns_missing_cells_and_floats():
    with pytest.raises(govcodes.InputError, match="no amount column 'amount'"):
        govcodes.restate([{"code": "2080101", "金额": "1"}], 2019, 2024, amounts=["amount"])
    r = govcodes.restate([{"code": "2080101", "金额": "1"}], 2019, 2024)  # columns recognised
    assert r.placed_totals == {"金额": Decimal(1)}
    r = govcodes.restate([{"code": "2080101", "amount": 1.5}, {"code": "2080101"}], 2019, 2024)
    assert r.placed_totals["amount"] == Decimal("1.5")  # a float: its 15 significant digits
    assert [(u.row, u.reason) for u in r.unplaced] == [(2, "the item has no amount (amount) cell")]


def test_restate_keeps_huge_amounts_exact():
    big = "1" + "0" * 30 + ".01"
    r = govcodes.restate([{"code": "2080101", "amount": big}, {"code": "2080101", "amount": "0.01"}], 2019, 2024)
    assert r.conserved and str(r.placed_totals["amount"]) == "1" + "0" * 30 + ".02"


def test_restate_command_reports_and_conserves(cli, tmp_path):
    path = tmp_path / "items-2019.csv"
    path.write_text("功能科目,经济科目,金额\n2080101,30101,100.00\n2080504,30199,5.50\n"
                    "2089898,30101,1.00\n2109901,30101,2.00\n", encoding="gb18030")
    r = cli("restate", str(path), "--from", "2019", "--to", "2024", "--format", "json", "--totals")
    assert r.status == 1
    data = json.loads(r.out)
    assert {row["code"]: row["金额"] for row in data["rows"]} == {"": "102.00", "2080101": "100.00", "2109999": "2.00"}
    assert Decimal(data["placed"]["金额"]) + Decimal(data["unplaced"]["金额"]) == Decimal(data["input"]["金额"])
    assert sorted(u["code"] for u in data["report"]) == ["2080504", "2089898"]
    assert "row 3: 2080504" in r.err and "no successor" in r.err
    ok = cli("restate", str(path), "--from", "2019", "--to", "2024", "--override", "2080504=2080501",
             "--override", "2089898=2089999", "--totals")
    assert ok.status == 0 and "108.50" in ok.out
    items = cli("restate", str(path), "--from", "2019", "--to", "2024", "--format", "csv",
                "--override", "2080504=2080501", "--override", "2089898=2089999")
    rows = list(csv.DictReader(io.StringIO(items.out)))  # line items, every column kept: rollup reads them
    assert [(r["功能科目"], r["经济科目"], r["金额"], r["原编码"]) for r in rows][1] == ("2080501", "30199", "5.50", "2080504")


def test_restate_command_usage_errors(cli, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    r = cli("restate", str(path), "--from", "2019", "--to", "2024")
    assert r.status == 2 and "--code-column" in r.err and r.err.count("\n") == 1
    assert cli("restate", str(path), "--from", "2019").status == 2


def test_restate_warns_of_a_code_printed_with_another_codes_name(cli, tmp_path):
    items = [{"功能科目": "[2080101]学前教育", "金额": "5"}, {"功能科目": "2080101", "金额": "1"},
             {"功能科目": "[2080101]学前教育", "金额": "2.50"}, {"功能科目": "20805 行政事业单位离退休", "金额": "1"}]
    r = govcodes.restate(items, 2019, 2026)
    assert [i["功能科目"] for i in r.items] == ["2080101", "2080101", "2080101", "20805"] and r.conserved
    assert [(w.row, w.cell, dict(w.amounts)) for w in r.warnings] == [(1, "[2080101]学前教育", {"金额": Decimal("7.50")})]
    assert "2080101 is 行政运行 in the 2019 edition, not 学前教育" in r.warnings[0].message
    path = tmp_path / "items.csv"
    path.write_text("功能科目,金额\n[2080101]学前教育,5\n", encoding="utf-8")
    done = cli("restate", str(path), "--from", "2019", "--to", "2026")
    assert done.status == 0 and "row 2: '[2080101]学前教育' in column 功能科目: 2080101 is 行政运行" in done.err
    data = json.loads(cli("restate", str(path), "--from", "2019", "--to", "2026", "--format", "json").out)
    assert data["warnings"][0]["row"] == 2 and data["warnings"][0]["amounts"] == {"金额": "5"}


def test_every_code_column_is_restated(cli, tmp_path):
    """A 2017 item coded 2080101 / 30311 (住房公积金 then) is 30113 in 2026, not 2026's 30311 (代缴社会保险费)."""
    items = [{"功能科目": "2080101", "经济科目": "30311", "金额": "100"},
             {"功能科目": "2080101", "经济科目": "", "金额": "5"},
             {"功能科目": "2080101", "经济科目": "abc", "金额": "1"}]
    r = govcodes.restate(items, 2017, 2026)
    assert r.fields == ("功能科目", "经济科目", "金额", "original_code", "original_经济科目")
    assert [(i["功能科目"], i["经济科目"], i["original_经济科目"]) for i in r.items] == [
        ("2080101", "30113", "30311"), ("2080101", "", "")]
    assert [(u.row, u.code) for u in r.unplaced] == [(3, "abc")] and "经济科目: " in r.unplaced[0].reason
    assert r.conserved
    only = govcodes.restate(items, 2017, 2026, code="功能科目")
    assert [i["经济科目"] for i in only.items] == ["30311", "", "abc"]  # as asked: the one column
    path = tmp_path / "items-2017.csv"
    path.write_text("功能科目,经济科目,金额\n2080101,30311,100\n", encoding="utf-8")
    restated = cli("restate", str(path), "--from", "2017", "--to", "2026", "--format", "csv")
    assert restated.status == 0 and restated.out.splitlines() == ["功能科目,经济科目,金额,原编码,原经济科目",
                                                                  "2080101,30113,100.00,2080101,30311"]
