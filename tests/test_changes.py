"""Typed changes between editions: records, diff, history, crosswalk, restate."""

from __future__ import annotations

import importlib.util
import json

import pytest

import govcodes
from govcodes.changes import KINDS, Change, step_records, verify_step

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
    assert ed.classifications == ("revenue", "functional", "economic")
    assert ed["30311"].name == "住房公积金"
    assert ed.correspondence == ()
    assert govcodes.edition(2018).classifications == (
        "revenue", "functional", "economic-department", "economic-government")


def test_30311_is_moved_then_reused_never_renamed(cli):
    # 2018: 住房公积金 moves to 30113 and 30311 is vacant; 2022: 30311 is given as 代缴社会保险费
    d = govcodes.diff(2017, 2018)
    assert [(c.kind, c.new_code, c.new_name) for c in d if "30311" in (c.old_code, c.new_code)] == [
        ("moved", "30113", "住房公积金")]
    assert [(c.kind, c.new_name) for c in govcodes.diff(2021, 2022) if c.new_code == "30311"] == [
        ("added", "代缴社会保险费")]
    kinds = {c.kind for c in govcodes.diff(2017, 2026) if "30311" in (c.old_code, c.new_code)}
    assert kinds == {"moved", "reused"}
    r = cli("diff", "2017", "2026", "--kind", "reused", "--format", "json")
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


def test_reverse_crosswalk_needs_decisions_where_forward_merged():
    # 2018 merged 30601 and 30602 into 39906, and 2019 split 39906 into 39909 and 39910
    assert [(m.code, m.kind, m.needs_decision) for m in govcodes.crosswalk(2018, 2017)["39906"]] == [
        ("30601", "split", True), ("30602", "split", True)]
    assert [(m.code, m.kind, m.needs_decision) for m in govcodes.crosswalk(2019, 2018)["39909"]] == [
        ("39906", "merged", False)]
    forward = govcodes.crosswalk(2017, 2019)["30601"]
    assert {m.code for m in forward} == {"39909", "39910"} and all(m.needs_decision for m in forward)



# -- amendments in diff and history --------------------------------------------------------

NOTICE_2025 = "财预〔2025〕41号 2025-05-23"


def test_diff_lists_the_amendments_with_their_document_and_date(cli):
    added = {c.new_code: c for c in govcodes.diff(2024, 2025).filter(kind="added")}
    for code in ("1030184", "1050303", "1050305", "2170404", "22911", "23107"):
        assert added[code].citation == NOTICE_2025 and added[code].date == "2025-05-23"
    assert all(c.date is None for c in govcodes.diff(2024, 2025) if c.citation != NOTICE_2025)
    r = cli("diff", "2024", "2025", "--kind", "added")
    assert r.status == 0
    line = next(line for line in r.out.splitlines() if "2170404" in line)
    assert "中央金融机构注资特别国债支出" in line and "财预〔2025〕41号" in line and "2025-05-23" in line
    data = json.loads(cli("diff", "2024", "2025", "--format", "json").out)
    assert any(c["new_code"] == "2170404" and c["date"] == "2025-05-23" for c in data["changes"])


def test_diff_as_of_takes_the_later_edition_before_its_later_amendments(cli):
    before = govcodes.diff(2024, 2025, as_of="2025-05-01")
    assert before.as_of == "2025-05-01"
    assert not [c for c in before if c.date is not None]
    assert {c.new_code for c in govcodes.diff(2024, 2025)} - {c.new_code for c in before} >= {"2170404", "23107"}
    composed = govcodes.diff(2019, 2025, as_of="2025-05-01")
    assert "2170404" not in {c.new_code for c in composed}
    assert "2170404" in {c.new_code for c in govcodes.diff(2019, 2025)}
    back = govcodes.diff(2025, 2024, as_of="2025-05-01")
    assert "2170404" not in {c.old_code for c in back}
    r = cli("diff", "2024", "2025", "--as-of", "2025-05-01", "--format", "json")
    assert r.status == 0 and json.loads(r.out)["as_of"] == "2025-05-01"
    assert not any(c["new_code"] == "2170404" for c in json.loads(r.out)["changes"])
    assert cli("diff", "2024", "2025", "--as-of", "May").status == 2


@pytest.mark.parametrize("a,b", [(2019, 2025), (2025, 2019), (2023, 2025)])
def test_composed_diffs_carry_the_amendments_citation(a, b):
    d = govcodes.diff(a, b)
    code = "2170404"
    [c] = [c for c in d if code in (c.old_code, c.new_code)]
    assert NOTICE_2025 in c.citation


def test_history_shows_each_amendment_with_its_date(cli):
    h = govcodes.history("2170404")
    assert [(e.year, e.kind, e.citation, e.date) for e in h.events] == [(2025, "added", NOTICE_2025, "2025-05-23")]
    assert h.first_year == 2025
    r = cli("history", "2170404", "--format", "json")
    assert json.loads(r.out)["events"][0]["date"] == "2025-05-23"
    h234 = govcodes.history("234")
    assert [(e.year, e.kind) for e in h234.events] == [(2020, "added"), (2023, "removed")]
    assert h234.events[0].date == "2020-06-23"


def test_verify_step_rejects_a_code_changed_by_a_record_and_an_amendment(monkeypatch):
    from govcodes import changes

    records = changes.edition_records(2024, 2025) + (
        Change("renamed", "functional", "2170404", "甲", "2170404", "中央金融机构注资特别国债支出", 2024, 2025),)
    monkeypatch.setattr(changes, "_steps", {**changes._steps, (2024, 2025): records})
    assert any("both by a record and by the amendment" in p for p in verify_step(2024))
