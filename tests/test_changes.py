"""Typed changes between editions: records, diff, history, crosswalk, restate."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govcodes
from govcodes.changes import KINDS, step_records, verify_step

from .conftest import REPO

YEARS = govcodes.editions()
PAIRS = list(zip(YEARS, YEARS[1:]))


def test_every_edition_from_2017_to_2026():
    assert YEARS == tuple(range(2017, 2027))


@pytest.mark.parametrize("a,b", PAIRS)
def test_records_explain_exactly_the_difference(a, b):
    assert verify_step(a) == []


@pytest.mark.parametrize("a,b", PAIRS)
def test_records_are_typed_and_cited(a, b):
    for r in step_records(a, b):
        assert r.kind in KINDS
        assert r.citation == "inferred" or "〔" in r.citation or "号" in r.citation, r
        assert r.evidence, f"{r} gives no evidence"


def test_earlier_editions_are_exactly_their_derivation():
    spec = importlib.util.spec_from_file_location("derive_editions", REPO / "tools" / "derive_editions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.derive(check=True) == 0


def test_2017_has_the_single_economic_classification():
    ed = govcodes.edition(2017)
    assert ed.classifications == ("functional", "economic")
    assert ed["30311"].name == "住房公积金"
    assert ed.correspondence == ()
    assert govcodes.edition(2018).classifications == (
        "functional", "economic-department", "economic-government")


def test_2017_2018_30311_is_reused_not_renamed(cli):
    d = govcodes.diff(2017, 2018)
    kinds = {c.kind for c in d if "30311" in (c.old_code, c.new_code)}
    assert "reused" in kinds and "renamed" not in kinds
    moved = [c for c in d.filter(kind="moved") if c.old_code == "30311"]
    assert [(c.new_code, c.new_name) for c in moved] == [("30113", "住房公积金")]
    r = cli("diff", "2017", "2018", "--kind", "reused", "--format", "json")
    assert r.status == 0
    assert any(c["old_code"] == "30311" for c in json.loads(r.out)["changes"])


def test_diff_2019_2020_is_typed_and_cited(cli):
    r = cli("diff", "2019", "2020", "--format", "json")
    assert r.status == 0
    data = json.loads(r.out)
    assert data["from_year"] == 2019 and data["changes"]
    for c in data["changes"]:
        assert c["kind"] in KINDS and c["citation"]
    renames = [c for c in data["changes"] if c["old_code"] == "20805"]
    assert [(c["kind"], c["old_name"], c["new_name"]) for c in renames] == [
        ("renamed", "行政事业单位离退休", "行政事业单位养老支出")]


def test_history_of_20805_shows_its_rename(cli):
    h = govcodes.history("20805")
    assert h.names[2017] == "行政事业单位离退休" and h.names[2026] == "行政事业单位养老支出"
    assert [e.year for e in h.events if e.kind == "renamed"] == [2020]
    r = cli("history", "20805")
    assert r.status == 0 and "renamed" in r.out and "行政事业单位离退休" in r.out


def test_history_of_unknown_code(cli):
    assert cli("history", "2089898").status == 1


def test_named_examples():
    assert govcodes.edition(2018)["210"].name == "医疗卫生与计划生育支出"
    assert govcodes.edition(2026)["210"].name == "卫生健康支出"
    h = govcodes.history("210")
    assert any(e.kind == "renamed" for e in h.events)
    assert govcodes.edition(2017)["2080504"].name == "未归口管理的行政单位离退休"
    assert "2050702" in govcodes.edition(2017) and govcodes.edition(2017)["2050702"].name == "工读学校教育"
    assert govcodes.edition(2026)["2050702"].name == "专门学校教育"


@pytest.mark.parametrize("a,b", [(2017, 2026), (2019, 2024), (2024, 2019), (2026, 2017)])
def test_composed_diff_agrees_with_the_editions(a, b):
    d = govcodes.diff(a, b)
    ea, eb = govcodes.edition(a), govcodes.edition(b)
    for c in d:
        if c.old_code is not None:
            assert ea[c.old_code].name == c.old_name
        if c.new_code is not None:
            assert eb[c.new_code].name == c.new_name
    # every code that disappears or appears is accounted for
    gone = set(ea._by_code) - set(eb._by_code)
    came = set(eb._by_code) - set(ea._by_code)
    assert gone <= {c.old_code for c in d}
    assert came <= {c.new_code for c in d}
    for code in set(ea._by_code) & set(eb._by_code):
        if ea[code].name != eb[code].name:
            assert any(code in (c.old_code, c.new_code) for c in d), code


def test_reverse_diff_inverts_kinds():
    forward = govcodes.diff(2019, 2022)
    backward = govcodes.diff(2022, 2019)
    inv = {"added": "removed", "removed": "added", "split": "merged", "merged": "split"}
    f = sorted((inv.get(c.kind, c.kind), c.new_code, c.old_code) for c in forward)
    b = sorted((c.kind, c.old_code, c.new_code) for c in backward)
    assert f == b


def test_diff_filters():
    d = govcodes.diff(2017, 2026)
    sub = d.filter(kind=["renamed", "moved"], under="208")
    assert all(c.kind in ("renamed", "moved") for c in sub)
    assert all(any(x and x.startswith("208") for x in (c.old_code, c.new_code)) for c in sub)
    with pytest.raises(ValueError):
        d.filter(kind="frobnicated")


def test_crosswalk_every_code_has_an_answer():
    walk = govcodes.crosswalk(2017, 2026)
    assert set(walk) == set(govcodes.edition(2017)._by_code)
    target = govcodes.edition(2026)
    for maps in walk.values():
        for m in maps:
            assert m.code in target
            assert m.needs_decision == (m.kind == "split" and m.share is None)
        shares = [m.share for m in maps if m.kind == "split"]
        if shares and None not in shares:
            assert sum(shares) == 1


# -- restate -----------------------------------------------------------------

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


def test_reverse_crosswalk_needs_decisions_where_forward_merged():
    # 2018 merged 30601 and 30602 into 39906, and 2019 split 39906 into 39909 and 39910
    assert [(m.code, m.kind, m.needs_decision) for m in govcodes.crosswalk(2018, 2017)["39906"]] == [
        ("30601", "split", True), ("30602", "split", True)]
    assert [(m.code, m.kind, m.needs_decision) for m in govcodes.crosswalk(2019, 2018)["39909"]] == [
        ("39906", "merged", False)]
    forward = govcodes.crosswalk(2017, 2019)["30601"]
    assert {m.code for m in forward} == {"39909", "39910"} and all(m.needs_decision for m in forward)


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
