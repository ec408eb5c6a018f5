"""Search: exact, prefix, substring, typo- and wrap-tolerant (govcodes.search)."""

from __future__ import annotations

import pytest

import govcodes
from govcodes import AmbiguousNameError, UnknownCodeError

ED = govcodes.edition(2026)


def test_suggestion_from_the_printed_name():
    with pytest.raises(UnknownCodeError) as info:
        ED["[2080198]劳动关系和维权"]
    assert any(s.startswith("2080110 ") for s in info.value.suggestions)


def test_search_exact_prefix_substring():
    hits = ED.search("行政事业单位养老支出")
    assert hits[0].code.code == "20805" and hits[0].how == "exact"
    names = [m.code.name for m in ED.search("养老", limit=None)]
    assert names and all("养老" in n for n in names)
    hows = [m.how for m in ED.search("其他", limit=None)]
    assert set(hows) <= {"prefix", "substring"}


def test_search_tolerates_wraps_and_typos():
    assert ED.search("人力资源和社会保 障管理事务")[0].code.code == "20801"
    first = ED.search("劳动关系的维权")[0]
    assert first.code.code == "2080110" and first.how == "fuzzy"
    assert ED.search("因公出国(境)费用")[0].code.code == "30212"


def test_search_scoped_and_by_code():
    scoped = ED.search("行政运行", under="208", limit=None)
    assert scoped and all(m.code.code.startswith("208") for m in scoped)
    assert [m.code.code for m in ED.search("20805", limit=None)][0] == "20805"
    assert ED.search("   ") == []


def test_find_unique_ambiguous_and_unknown():
    assert ED.find("行政运行", under="20801").code == "2080101"
    assert ED.find("人力资源和社会保障管理事务/行政运行").code == "2080101"
    assert ED.find("基本工资").code == "30101"
    with pytest.raises(AmbiguousNameError) as info:
        ED.find("行政运行")
    assert len(info.value.candidates) > 10
    with pytest.raises(UnknownCodeError):
        ED.find("完全不存在的科目名称")
