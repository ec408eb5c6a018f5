"""The one header vocabulary of every reader: code, name and amount headers, total labels, units.

Headers are compared by their key (:func:`header_key`): NFKC, no white
space, without a unit suffix such as ``（万元）``, which is returned beside.

>>> header_key(" 金额 (万元) ")
('金额', '万元')
>>> CODE_HEADERS["功能分类科目编码"], CODE_HEADERS["部门经济分类"], is_measure("基本支出")
('functional', 'economic-department', True)
>>> is_total_label("合计"), is_total_label("人员经费合计"), is_total_label("行政运行")
(True, True, False)
>>> unit_in("单位：万元"), unit_in("金额单位:元"), unit_in("科目编码")
('万元', '元', None)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..codes import LENGTHS, normalize_name

__all__ = ["CODE_ROLES", "CODE_HEADERS", "NAME_HEADERS", "MEASURE_HEADERS", "GENERIC_MEASURES", "TOTAL_WORDS", "GRAND_TOTALS",
           "header_key", "role_of", "is_measure", "is_total_label", "unit_in", "document_year", "measure_title",
           "is_code_label", "is_unit_code_label", "is_structural", "is_meta", "LEVEL_HEADERS",
           "UNIT_NAME_LABELS", "ROW_NUMBER_LABELS", "MEMO_WORDS", "is_title", "is_page_mark", "is_header_word",
           "is_unit_name_label", "is_row_number_label", "is_memo_label", "is_prose"]

#: Roles of code columns: the functional code, an economic code whose kind is
#: told by its first digit (3 department, 5 government), a department or a
#: government economic code, and a revenue code.
CODE_ROLES = ("functional", "economic", "economic-department", "economic-government", "revenue")

#: Recognised headers of code columns (compared as keys) and the role of their column.
CODE_HEADERS: dict[str, str] = {
    **dict.fromkeys(
        ("科目编码", "科目代码", "功能科目", "功能科目编码", "功能科目代码", "功能分类", "功能分类科目",
         "功能分类科目编码", "功能分类编码", "功能分类代码", "支出功能分类", "支出功能分类科目",
         "支出功能分类科目编码", "功能分类科目代码", "code", "functional", "functional_code"),
        "functional"),
    **dict.fromkeys(
        ("经济科目", "经济科目编码", "经济科目代码", "经济分类", "经济分类科目", "经济分类科目编码",
         "经济分类编码", "经济分类代码", "支出经济分类", "支出经济分类科目", "支出经济分类科目编码",
         "economic", "economic_code"),
        "economic"),
    **dict.fromkeys(
        ("部门经济分类", "部门经济分类科目", "部门经济分类科目编码", "部门经济分类编码", "部门经济科目",
         "部门经济科目编码", "部门预算支出经济分类", "部门预算支出经济分类科目", "部门预算经济分类",
         "部门预算支出经济分类科目编码", "economic_department", "economic-department"),
        "economic-department"),
    **dict.fromkeys(
        ("政府经济分类", "政府经济分类科目", "政府经济分类科目编码", "政府经济分类编码", "政府经济科目",
         "政府经济科目编码", "政府预算支出经济分类", "政府预算支出经济分类科目", "政府预算经济分类",
         "政府预算支出经济分类科目编码", "economic_government", "economic-government"),
        "economic-government"),
    **dict.fromkeys(
        ("收入科目", "收入科目编码", "收入分类", "收入分类科目", "收入分类科目编码", "收入分类编码",
         "revenue", "revenue_code"),
        "revenue"),
}

#: Recognised headers of name columns and what they name.
NAME_HEADERS: dict[str, str] = {
    **dict.fromkeys(("科目名称", "功能科目名称", "功能分类科目名称", "功能分类名称", "name"), "functional-name"),
    **dict.fromkeys(("经济科目名称", "经济分类科目名称", "经济分类名称", "部门经济分类科目名称",
                     "部门经济科目名称", "economic_name"), "economic-name"),
    **dict.fromkeys(("政府经济分类科目名称", "政府经济科目名称"), "economic-government-name"),
    **dict.fromkeys(("收入科目名称", "收入分类科目名称"), "revenue-name"),
}

#: Recognised headers of amount columns (measures).
MEASURE_HEADERS = (
    "金额", "合计", "总计", "小计", "基本支出", "项目支出", "人员经费", "公用经费", "预算数", "决算数",
    "预算金额", "决算金额", "本年预算", "本年预算数", "本年支出", "本年支出合计", "支出金额", "支出合计",
    "执行数", "年初预算数", "调整预算数", "全年预算数", "预算额", "收入金额", "收入合计", "amount",
)
#: Generic amount headers, shown as 合计 in the official layout.
GENERIC_MEASURES = frozenset(("金额", "预算数", "决算数", "预算金额", "决算金额", "支出金额", "执行数",
                              "预算额", "收入金额", "amount"))
_MEASURES = frozenset(MEASURE_HEADERS)

#: Words that make a row a total: the whole label (合计) or its end (人员经费合计).
TOTAL_WORDS = ("合计", "总计", "共计", "小计")
#: The labels of a table's grand total row, preferred over other total rows.
GRAND_TOTALS = ("合计", "总计")
_TOTAL_ENDINGS = ("合计", "总计", "共计")

#: Column headers naming the level of the code part printed below them (类 款 项 目 columns).
LEVEL_HEADERS = dict(LENGTHS)

_UNIT_SUFFIX = re.compile(r"[(（\[【]\s*(?:单位\s*[:：]?\s*)?(万元|元)\s*[)）\]】]$")
_UNIT_LINE = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元)")


def header_key(cell: object) -> tuple[str, str | None]:
    """A header cell without white space and unit suffix, and that unit (None if none)."""
    text = normalize_name(str(cell or ""))
    m = _UNIT_SUFFIX.search(text)
    if m:
        return text[: m.start()], m.group(1)
    return text, None


def role_of(cell: object) -> str | None:
    """The role of a header cell: a code role, a name role (``…-name``), ``measure``, or None.

    >>> role_of("功能科目"), role_of("科目名称"), role_of("金额（元）"), role_of("备注")
    ('functional', 'functional-name', 'measure', None)
    """
    key = header_key(cell)[0]
    for table in (CODE_HEADERS, NAME_HEADERS):
        role = table.get(key) or table.get(key.lower())
        if role:
            return role
    return "measure" if is_measure(key) else None


def is_measure(key: str) -> bool:
    """True for the key of an amount header (see :data:`MEASURE_HEADERS`)."""
    return key in _MEASURES or key.lower() in _MEASURES


def measure_title(cell: object) -> str:
    """How an amount column is headed in output: without unit suffix; a generic amount as 合计.

    >>> measure_title("金额（元）"), measure_title("基本支出")
    ('合计', '基本支出')
    """
    key = header_key(cell)[0]
    return "合计" if key in GENERIC_MEASURES or key.lower() in GENERIC_MEASURES else key


def is_total_label(text: object, subtotal: bool = True) -> bool:
    """True for a label that marks a total row: 合计, 总计, 共计, a label ending in one of them, and
    小计 (unless ``subtotal`` is False: in a published table's header, 小计 heads a column).
    """
    if not isinstance(text, str) or not text:
        return False
    key = normalize_name(text).rstrip(":：")
    return (key in TOTAL_WORDS and (subtotal or key != "小计")) or \
        (key.endswith(_TOTAL_ENDINGS) and not key[:1].isdigit())


def unit_in(text: object) -> str | None:
    """The unit a line such as ``单位：万元`` states, or None."""
    if not isinstance(text, str):
        return None
    m = _UNIT_LINE.search(text)
    return m.group(1) if m else None


#: A year printed for a budget or final account (``2026 年度部门预算公开``, ``2026年预算单位…``), not a comparison
#: with another year (``较 2025 年年初预算``).
_BUDGET_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?[^，。,;；:：、\d]{0,20}?(?:预算|决算)")
_COMPARED = re.compile(r"(较|比|与|同|上年|去年|于)\s*$")


#: Any year, but a date's (``2025年12月``): a title's year (``2024年项目支出明细``).
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")


def document_year(lines: Iterable[str], titles: bool = False) -> int | None:
    """The year a document prints for its budget or final account most often (its cover, its page
    headers, its titles), or None; ``titles``: the lines are titles (above line items), any year they
    print counts, but a date's.

    >>> document_year(["无锡市商务局 2026 年度部门预算公开", "较 2025 年年初预算减少 1.00 万元"])
    2026
    >>> document_year(["支出总表", "单位：万元"]) is None, document_year(["2024年项目支出明细"], titles=True)
    (True, 2024)
    """
    from collections import Counter

    counts: Counter[int] = Counter()
    pattern = _TITLE_YEAR if titles else _BUDGET_YEAR
    for text in lines:
        for m in pattern.finditer(text):
            if not _COMPARED.search(text[max(0, m.start() - 4):m.start()]):
                counts[int(m.group(1))] += 1
    return counts.most_common(1)[0][0] if counts else None


# -- the headers of published tables ------------------------------------------------------

_CODE_LABEL = re.compile(r"(编码|代码|编号|科目$|^经济分类|^功能分类|^类$|^code$)", re.I)
_UNIT_LABEL = re.compile(r"(单位|部门|项目).{0,6}(代码|编码|编号)|^项目名称$|^单位名称$")
_STRUCTURAL = frozenset({
    "类", "款", "项", "目", "栏次", "行次", "**", "*", "项目", "科目", "科目名称", "名称",
    "单位名称", "项目名称", "功能分类科目名称", "经济分类科目名称", "功能科目名称", "项目(按功能分类)",
})
_META = re.compile(r"^(单位名称|部门名称|部门|单位|编制单位|填报单位|金额单位|预算单位|单位编码|填报日期)\s*[:：]")
_LABEL_NO = re.compile(r"^(预算|决算|附)?\s*(表)?\s*[0-9０-９\-]+\s*(表)?$")
_NOTE = re.compile(r"^(注|备注|说明)\s*\d*\s*[:：]")


def is_code_label(key: str) -> bool:
    """True for the key of a header over classification codes (科目编码, 功能分类, 类 …)."""
    return bool(_CODE_LABEL.search(key)) and not is_unit_code_label(key)


def is_unit_code_label(key: str) -> bool:
    """True for the key of a header over unit or project codes (单位代码, 项目编码 …), not classification codes."""
    return bool(_UNIT_LABEL.search(key)) and not key.startswith(("科目", "功能", "经济"))


def is_structural(cell: str) -> bool:
    """True for a header cell that labels codes or names, not an amount column."""
    key = normalize_name(cell)
    return key in _STRUCTURAL or "名称" in key or bool(_CODE_LABEL.search(key)) or bool(_UNIT_LABEL.search(key)) \
        or key.startswith("支出功能分类") or key.startswith("部门预算支出经济分类")


def is_meta(cell: str) -> bool:
    """Lines around a table that are not part of it: 单位名称：…, 预算 05 表, 注：…"""
    return bool(_META.match(cell) or _LABEL_NO.match(cell) or _NOTE.match(cell))


# -- the furniture of published documents: titles, page marks, header rows ----------------

_TITLE_TAIL = re.compile(r"[\u4e00-\u9fff]{2}表\s*([(（][^()（）]{0,30}[)）]\s*)*$")
_SENTENCE = re.compile(r"[。；;，,！？!?]")
_PAGE_MARK = re.compile(r"^[\s\-—–_·•－]*(?:第\s*)?[0-9０-９]{1,4}(?:\s*页)?"
                        r"(?:\s*(?:/|共)\s*[0-9０-９]{1,4}\s*页?)?[\s\-—–_·•－]*$")

#: Headers of a column that names the unit (or department) a row belongs to: a row labelled there is
#: that unit's total (预算单位 深圳市财政局（本级） 37,385.88 …).
UNIT_NAME_LABELS = frozenset(("预算单位", "单位名称", "部门名称", "预算单位名称", "单位", "部门", "部门(单位)名称",
                              "单位(部门)名称", "部门(单位)", "单位(部门)"))
#: Headers of a column of row numbers, never of codes or amounts.
ROW_NUMBER_LABELS = frozenset(("栏次", "行次", "序号", "行号", "栏号"))
#: Words that make an amount column a memo ("of which") rather than a part of the total beside it:
#: 其中…, the part of a budget spent through 政府采购.
MEMO_WORDS = ("其中", "政府采购")


def is_title(text: str) -> bool:
    """True for a table title: a short line ending in ``…表`` with optional qualifiers.

    >>> is_title("2020年一般公共预算支出表（功能分类项级）"), is_title("单位：万元"), is_title("公开01表")
    (True, False, False)
    """
    text = text.strip().lstrip("-•·*# ").strip()
    return bool(text) and len(text) <= 60 and not _SENTENCE.search(text) and not text.endswith(("：", ":")) \
        and bool(_TITLE_TAIL.search(text))


def is_prose(text: str) -> bool:
    """True for a sentence (it has sentence punctuation): text around tables, never a row or a header."""
    return bool(_SENTENCE.search(text))


def is_page_mark(text: str) -> bool:
    """True for a page number printed in a page's header or footer (``- 28 -``, ``第3页``, ``3/40``).

    A bare number is not taken for one (it may be a cell of a table).

    >>> is_page_mark("- 28 -"), is_page_mark("第 3 页"), is_page_mark("12 / 40"), is_page_mark("2080101")
    (True, True, True, False)
    """
    text = text.strip()
    return bool(_PAGE_MARK.match(text)) and not text.isdigit()  # a bare number may be a cell


def is_unit_name_label(key: str) -> bool:
    """True for the key of a header over unit names (预算单位, 单位名称 …)."""
    return key in UNIT_NAME_LABELS


def is_row_number_label(key: str) -> bool:
    """True for the key of a header over row numbers (栏次, 行次, 序号)."""
    return key in ROW_NUMBER_LABELS


def is_memo_label(key: str) -> bool:
    """True for an amount column that is a memo of others, not a part of a total (其中：…, 政府采购…)."""
    return any(word in key for word in MEMO_WORDS)


def is_header_word(cell: str) -> bool:
    """True for a word that heads a column of a published table: 科目编码, 科目名称, 类, 合计, 基本支出 …

    >>> is_header_word("科目编码"), is_header_word("基本支出"), is_header_word("行政运行")
    (True, True, False)
    """
    key, _ = header_key(cell)
    return bool(key) and (is_structural(key) or is_measure(key) or key in LEVEL_HEADERS
                          or is_row_number_label(key) or is_unit_name_label(key)
                          or (is_total_label(key) and len(key) <= 8))
