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


# -- pinyin and traditional characters ------------------------------------------------------------


def test_pinyin_initials_and_full_pinyin_list_the_xingzheng_yunxing_codes_first():
    every = [c.code for c in ED if c.name == "行政运行"]
    assert len(every) > 20
    for query in ("xzyx", "xingzhengyunxing", "XZYX", "xing'zheng'yun'xing"):
        hits = ED.search(query, limit=None)
        assert [m.code.code for m in hits[:len(every)]] == sorted(every), query
        assert {m.how for m in hits} == {"pinyin"}
    assert ED.search("xzyx", under="208")[0].code.code == "2080101"
    prefix = ED.search("shehuibaozhang", limit=None)  # full pinyin of the start of a name
    assert prefix[0].code.name.startswith("社会保障") and all("社会保障" in m.code.name for m in prefix)
    assert ED.search("qtwsjkzc")[0].code.code == "21099"  # 其他卫生健康支出 by its initials
    assert ED.search("zzzzzzzz") == []


def test_traditional_characters_find_the_simplified_names():
    assert "210" in [m.code.code for m in ED.search("衛生健康")]
    assert ED.search("衛生健康支出")[0].code.code == "210"
    medical = ED.search("醫療", limit=None)
    assert medical and all("医疗" in m.code.name for m in medical)
    assert ED.find("基本工資").code == "30101"  # 資 → 资
    assert ED.find("行政運行", under="20801").code == "2080101"  # 運 → 运
    # older editions are covered too: 2018's 类 210 had another name
    assert govcodes.edition(2018).search("醫療衛生與計劃生育支出")[0].code.name == "医疗卫生与计划生育支出"


def test_search_command_by_pinyin_and_traditional(cli):
    r = cli("search", "xzyx")
    assert r.status == 0 and r.out.splitlines()[2].split()[:2] == ["2010101", "行政运行"]
    r = cli("search", "衛生健康", "--format", "csv")
    assert r.status == 0 and "210,卫生健康支出" in r.out


def _shipped(name: str) -> str:
    from govcodes import _data

    return _data.read_text("search", name)


def test_shipped_search_data_covers_every_name_of_every_edition():
    """data/search/ is made from the names of all editions: stale data fails here (no library needed)."""
    import hashlib

    from govcodes.search import pinyin_table

    from govcodes import model

    years = getattr(model, "shipped_editions", model.editions)()  # the shipped data, not a user's editions
    names = sorted({c.name for year in years for c in govcodes.edition(year)})
    digest = hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()
    for name in ("pinyin.tsv", "traditional.tsv"):
        assert f"# names: {len(names)} sha256 {digest}" in _shipped(name), \
            f"data/search/{name} is stale: run python tools/build_search_data.py"
    assert set(pinyin_table()) == set(names)
    assert all(initials and full for full, initials in pinyin_table().values())


def test_shipped_search_data_is_what_the_tool_makes():
    """With the libraries the tool uses at the versions recorded, the files are made again identically."""
    from importlib.metadata import PackageNotFoundError, version

    from .test_docs import _tool

    tool = _tool("build_search_data")
    try:
        made_with = tool._versions()
    except PackageNotFoundError as exc:
        pytest.skip(f"{exc} is not installed (pip install '.[test]')")
    if f"# made with {made_with}\n" not in _shipped("pinyin.tsv"):
        pytest.skip(f"the data was made with other library versions than {made_with}")
    assert version("pypinyin")
    for name, text in tool.render().items():
        assert _shipped(name) == text, f"data/search/{name} is stale: run python tools/build_search_data.py"


def test_search_data_is_not_read_at_import_or_by_a_lookup():
    import subprocess
    import sys

    code = ("import govcodes, govcodes.search as s; govcodes.edition(2026)['2080101']; "
            "govcodes.edition(2026).search('行政运行'); print(bool(s._pinyin), bool(s._traditional))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "True"], done.stderr
