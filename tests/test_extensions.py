"""Local extensions (地方增设科目) layered on a national edition (issue 11)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import govcodes
from govcodes import InputError

JIANGSU = """科目编码\t科目名称\t上级科目\t说明
3021101\t差旅费（省内）\t30211\t江苏省增设
3021102\t差旅费（省外）\t30211\t江苏省增设
3021401\t公务用车运行维护费（燃油）\t\t
2080188\t劳动保障监察执法\t20801\t省级项
"""


@pytest.fixture
def jiangsu(tmp_path):
    path = tmp_path / "jiangsu.tsv"
    path.write_text(JIANGSU, encoding="utf-8")
    return path


def test_an_extension_file_layers_local_codes(jiangsu):
    ed = govcodes.edition(2026, extensions=jiangsu)
    code = ed["3021101"]
    assert (code.name, code.parent.code, code.level) == ("差旅费（省内）", "30211", "项")
    assert code.provenance.kind == "user" and "jiangsu.tsv" in code.provenance.source
    assert "江苏省增设" in code.provenance.source
    assert ed["2080188"].parent.code == "20801" and len(ed) == len(govcodes.edition(2026)) + 4
    assert "3021101" not in govcodes.edition(2026)  # the national edition is untouched
    assert code.government().code == "50201"  # a local sub-code maps as its national 款
    assert govcodes.edition(2026, extensions=jiangsu) is ed  # cached while the file is unchanged


def test_check_accepts_them_and_rollup_places_them(jiangsu, cli):
    text = ("2026年一般公共预算基本支出表\n科目编码\t科目名称\t合计\n"
            "302\t商品和服务支出\t3.00\n30211\t差旅费\t3.00\n3021101\t差旅费（省内）\t1.00\n"
            "3021102\t差旅费（省外）\t2.00\n")
    plain = govcodes.check(text)
    assert {(f.kind, f.severity, f.code) for f in plain} >= {("unknown-code", "info", "3021101")}
    extended = govcodes.check(text, extensions=jiangsu)
    assert extended.findings == () and extended.ok
    items = [{"经济科目": "3021101", "金额": "1.00"}, {"经济科目": "3021102", "金额": "2.00"},
             {"功能科目": "2080188", "经济科目": "30201", "金额": "5.00"}]
    r = govcodes.rollup(items[:2], year=2026, by="economic", extensions=jiangsu)
    assert r.get("30211").amounts == (Decimal("3.00"),) and not r.report
    f = govcodes.rollup([items[2]], year=2026, extensions=jiangsu)
    assert f.get("2080188").name == "劳动保障监察执法" and f.get("20801").amounts == (Decimal("5.00"),)
    assert cli("check", "--extensions", str(jiangsu), "-", "--year", "2026").status in (0, 1, 2)


@pytest.mark.parametrize("row, message", [
    ("30211\t差旅费\t\t", "already in the 2026 edition"),
    ("399\t本省其他\t\t", "would be a 类 of its own"),
    ("3028801\t某某\t\t", "the parent of 3028801 is 30288 .not in the edition."),
    ("2080101\t行政运行\t\t", "already in the 2026 edition"),
    ("20877\t其他\t\t", "the parent of 20877 is 208 .a 类."),
    ("3021101\t差旅费\t30212\t", "is not one level below 30212"),
    ("abc\t某某\t\t", "not a code"),
    ("3021101\t\t\t", "has no name"),
])
def test_what_an_extension_may_not_be(tmp_path, row, message):
    path = tmp_path / "ext.tsv"
    path.write_text("code\tname\tparent\tnote\n" + row + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        govcodes.edition(2026, extensions=path)


def test_a_code_listed_twice_is_refused(tmp_path):
    path = tmp_path / "ext.csv"
    path.write_text("code,name\n3021101,甲\n3021101,乙\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3: 3021101 is listed twice"):
        govcodes.edition(2026, extensions=path)
