"""The command line's words: its own messages in English and Chinese, and the API's messages as the CLI spells them.

Every message the ``govcodes`` command writes itself is here, once, in both
languages (:data:`CATALOGUE`); :func:`say` picks the language chosen by
``--lang``, else the ``GOVCODES_LANG`` variable, else the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``zh…`` is Chinese).

The messages of the API's errors (``InputError`` …) are written for Python
callers.  :func:`cli_words` respells them for the command line
(``encoding=...`` → ``--encoding``), and in Chinese :func:`localize`
translates their common frame (``row 3``, ``got``, ``expected``, ``not in
the 2026 edition`` …), leaving the values as they are.  Kept small on purpose:
the reference (``--help``, docs/cli.md) stays in English, and the Chinese
guide is docs/zh/.

>>> set_language("zh")
>>> localize("30311 is 代缴社会保险费 in the 2018 edition, not 住房公积金: the code was reused in 2018 (住房公积金 is 30113)")
'30311 在2018年版中是 代缴社会保险费，不是 住房公积金——此编码2018年起另有含义（30113 是 住房公积金）'
>>> say("not-placed", n=2, counts="本年度无此科目 2")
'2条明细未能汇总（本年度无此科目 2）'
>>> localize("row 3: 2080198 is not in the 2026 edition; did you mean 2080108 信息化建设?")
'第3行：2080198 不在2026年版中；是否为 2080108 信息化建设？'
>>> set_language("en")
>>> cli_words("give the shares (shares=... / --shares)"), cli_words("the encoding (encoding=... or --encoding)")
('give the shares (--shares)', 'the encoding (--encoding)')
>>> cli_words("one measure, such as measures='金额'"), cli_words("the edition's year as year=...")
('one measure, such as --measure 金额', "the edition's year as --year")
"""

from __future__ import annotations

import os
import re

__all__ = ["CATALOGUE", "LANGUAGES", "set_language", "language", "say", "cli_words", "localize"]

#: The languages of the command's messages.
LANGUAGES = ("en", "zh")

#: Every message the command writes itself: key -> (English, Chinese), with ``str.format`` fields.
CATALOGUE: dict[str, tuple[str, str]] = {
    "error": ("error: ", "错误："),
    "colon": (":", "："),
    "interrupted": ("interrupted", "已中断"),
    "nothing-matches": ("nothing in the {year} edition matches {text!r}", "{year}年版中没有与 {text!r} 相符的科目"),
    "not-placed": ("{n} line item(s) not placed ({counts})", "{n}条明细未能汇总（{counts}）"),
    "all-in-report": ("; all of them are in {path}", "；全部写在 {path}"),
    "more": ("… and {n} more (--report FILE writes them all)", "……另有{n}条（--report FILE 写出全部）"),
    "more-warnings": ("… and {n} more (--format json lists them all)", "……另有{n}条（--format json 列出全部）"),
    "totals": ("totals ({unit}): input {input} = placed {placed} + not placed {unplaced}",
               "合计（{unit}）：读入 {input} = 已汇总 {placed} + 未汇总 {unplaced}"),
    "warnings": ("{n} code(s) printed with a name that is not theirs: the amounts are counted under the code",
                 "{n}个编码所印名称与编码不符：金额按编码计入"),
    "item-line": ("{message}; {amounts}", "{message}；{amounts}"),
    "warning-line": ("row {row}: {message}; {amounts}", "第{row}行起：{message}；{amounts}"),
    "not-restated-row": ("not restated: row {row}: {code}: {reason}{more}; {amounts}",
                         "未能转换：第{row}行：{code}：{reason}{more}；{amounts}"),
    "candidates": (" (candidates: {codes})", "（可能的科目：{codes}）"),
    "not-restated": ("{n} item(s) not restated ({left}); input = restated + not restated, exactly",
                     "{n}条明细未能转换（{left}）；读入 = 已转换 + 未转换，分毫不差"),
    "format-needs-output": ("--format {format} writes a file: give it with -o",
                            "--format {format} 写出文件：请用 -o 指定文件"),
    "cannot-write": ("cannot write {path}: {reason}", "无法写入 {path}：{reason}"),
    "title-year": ("the items' title states {year}: rolled up with the {year} edition (--year for another)",
                   "明细标题注明{year}年：按{year}年版汇总（另选版本请用 --year）"),
    "suffix-format": ("{path} asks for {format} by its suffix, which {command} does not write: use --format "
                      "({formats}) or another suffix",
                      "{path} 的后缀表示 {format} 格式，{command} 不能输出该格式：请用 --format（{formats}）或改用其他后缀"),
    "report-suffix": ("--report {path}: the report is written as CSV (.csv) or JSON (.json)",
                      "--report {path}：报告只能写成 CSV（.csv）或 JSON（.json）"),
    "cannot-encode": ("the output holds {text!r}, which {encoding} cannot write: use --csv-encoding utf-8-sig",
                      "输出中的 {text!r} 无法用 {encoding} 写出：请用 --csv-encoding utf-8-sig"),
    "override-form": ("--override takes OLD=NEW, not {text!r}", "--override 的写法是 旧编码=新编码，而不是 {text!r}"),
    "no-table": ("{file}: no classification table found", "{file}：没有找到分类科目表"),
    "tables-skipped": (" ({n} other table(s) skipped)", "（跳过其他{n}张表）"),
    "no-table-expected": ("a budget table with 科目编码 and amounts: text, CSV, XLSX or PDF",
                          "带科目编码和金额的预算表：文本、CSV、XLSX 或 PDF"),
    "bad-year": ("a year such as 2026, not {text!r}", "年度应如 2026，而不是 {text!r}"),
    "bad-rollup-year": ("a year such as 2026, or none (by code structure only), not {text!r}",
                        "年度应如 2026，或 none（只按编码结构），而不是 {text!r}"),
    "which-user-edition": ("say which user edition: govcodes edition {action} YEAR",
                           "请指明哪个用户版本：govcodes edition {action} 年度"),
    "removed-edition": ("removed the user edition {year}", "已删除用户版本 {year}"),
    "import-needs-file": ("govcodes edition import takes the edition file: govcodes edition import FILE --year YEAR",
                          "govcodes edition import 需要版本文件：govcodes edition import 文件 --year 年度"),
    "import-needs-year": ("say which year the file is the edition of: --year 2027",
                          "请用 --year 指明文件是哪一年的版本，如 --year 2027"),
    "imported": ("imported the {year} edition from {source} ({what}); {n} codes",
                 "已导入{year}年版（来自 {source}，{what}）；共{n}个科目"),
    "imported-book": ("the book: provenance official", "官方科目书：依据为官方"),
    "imported-list": ("a code list: provenance user", "科目代码表：依据为用户提供"),
    "inherited": ("; taken from the {year} edition: {parts}", "；以下部分沿用{year}年版：{parts}"),
    "import-changes": ("changes {a} → {b}: {counts} (review them: govcodes diff {a} {b})",
                       "{a} → {b} 的变动：{counts}（请用 govcodes diff {a} {b} 复核）"),
    "none": ("none", "无"),
    "guess-best": ("{n} codes read; the {year} edition fits best", "读入{n}个编码；最相符的是{year}年版"),
    "guess-tied": (", as well as {years}: their codes do not tell them apart",
                   "，{years}同样相符：这些编码无法区分它们"),
    "guess-more": ("… and {n} more (--format json lists them all)", "……另有{n}条（--format json 列出全部）"),
}

_language: str | None = None


def set_language(lang: str | None) -> None:
    """Choose the language of the messages (None: from the environment)."""
    global _language
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    _language = lang


def language() -> str:
    """``en`` or ``zh``: as set, else ``GOVCODES_LANG``, else the locale."""
    if _language is not None:
        return _language
    chosen = os.environ.get("GOVCODES_LANG", "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def say(key: str, **fields: object) -> str:
    """The message ``key`` in the chosen language, its fields filled in."""
    english, chinese = CATALOGUE[key]
    return (chinese if language() == "zh" else english).format(**fields)


#: The API's spellings of its parameters in messages, and the command's options.
_SPELLED = re.compile(r"\(?\b([a-z_]+)=\.\.\.\s*(?:/|or)\s*(--[a-z-]+)\)?")
_OPTIONS = {"encoding": "--encoding", "shares": "--shares", "overrides": "--override",
            "code_column": "--code-column", "economic_column": "--economic-column", "measures": "--measure",
            "amounts": "--measure", "code": "--code-column", "year": "--year", "under": "--under",
            "sheet": "--sheet", "header_row": "--header-row", "input_unit": "--input-unit",
            "unit_kind": "--unit-kind", "strict": "--strict", "to_year": "--to", "as_of": "--as-of",
            "extensions": "--extensions", "engine": "--engine"}
_PARAMETER = re.compile(r"\b(" + "|".join(sorted(_OPTIONS, key=len, reverse=True)) + r")=\.\.\.")


_VALUE = re.compile(r"\b(measures|code_column|economic_column|year|sheet)=(['\"])([^'\"]*)\2")


def cli_words(text: str) -> str:
    """An API message as the command line spells things: ``(encoding=... or --encoding)`` → ``(--encoding)``,
    ``measures='金额'`` → ``--measure 金额``."""
    text = _SPELLED.sub(lambda m: f"({m.group(2)})" if m.group(0).startswith("(") else m.group(2), text)
    text = _VALUE.sub(lambda m: f"{_OPTIONS[m.group(1)]} {m.group(3)}", text)
    return _PARAMETER.sub(lambda m: _OPTIONS[m.group(1)], text)


#: The frame of the API's messages in Chinese: (pattern, replacement), applied in order.
_PHRASES: tuple[tuple[str, str], ...] = (
    (r": the code was reused in (\d{4})", r"——此编码\1年起另有含义"),
    (r"(\S+) is (\S+) in the (\d{4}) edition, not (\S+?)(?= \(|;|$|——)", r"\1 在\3年版中是 \2，不是 \4"),
    (r" in column (\S+): ", r"（\1列）："),
    (r" in column (\S+) is a total row, not a line item", r"（\1列）是合计行，不是明细"),
    (r"^a total row \(合计\), not a line item", "合计行，不是明细"),
    (r" in column (\S+) is not an? (\S+) code \(an? \S+ code starts with (\d)\)",
     r"（\1列）不是\2编码（应以\3开头）"),
    (r" in column (\S+) is not an? (\S+) code", r"（\1列）不是\2编码"),
    (r"\bamount in column (\S+) is not a number", r"\1列的金额不是数字"),
    (r"digits with an optional sign, decimal point and thousands separators \(blank means 0\)",
     "数字，可带正负号、小数点和千分位（空白为0）"),
    (r"\bthe row has no cell in column (\S+)", r"该行没有\1列"),
    (r"\bthe row has (\d+) cells, the header (\d+)", r"该行有\1个单元格，表头只有\2个"),
    (r" \(the nearest existing parent\)", "（最近的现有上级科目）"),
    (r"functional(?=编码)", "功能分类"),
    (r"economic-government(?=编码)", "政府经济分类"),
    (r"economic(?:-department)?(?=编码)", "经济分类"),
    (r"revenue(?=编码)", "收入分类"),
    (r" \(beyond it: (.*?)\); a thousands separator or a delimiter not in quotes\?",
     r"（多出：\1）；是否有未加引号的千分位或分隔符？"),
    (r"not a code of the (\d{4}) edition", r"不是\1年版的科目"),
    (r"no successor in the (\d{4}) edition", r"在\1年版中没有对应科目"),
    (r"split without known shares: give the shares \(--shares\)", "拆分比例未知：请用 --shares 给出比例"),
    (r"; counted under (\d+), as the code says", r"；按编码计入 \1"),
    (r"; restated as its code says", "；按编码转换"),
    (r" \((\S+) is (\d[\d, …]*)\)", r"（\2 是 \1）"),
    (r" is not a classification code: expected 3, 5, 7 or 9 digits such as 208, 20801 or 2080101, "
     r"optionally followed by a name", " 不是科目编码：应为3、5、7或9位数字，如 208、20801、2080101，后面可带名称"),
    (r"^no (\S+) in the (\d{4}) edition; did you mean", r"\2年版中没有 \1；是否为"),
    (r"^no (\S+) in the (\d{4}) edition", r"\2年版中没有 \1"),
    (r"\brow (\d+)(?:: |, )", r"第\1行："),
    (r"\bline (\d+)\b", r"第\1行"),
    (r"; did you mean (.*)\?", r"；是否为 \1？"),
    (r" is not in the (\d{4}) edition", r" 不在\1年版中"),
    (r"\bthe (\d{4}) edition\b", r"\1年版"),
    (r"; got ", "；实为 "),
    (r"; expected ", "；应为 "),
    (r"\bno such file\b", "没有这个文件"),
    (r"\bis empty\b", "是空的"),
    (r"(\d+) tables? checked against (\d{4})年版: ", r"对照\2年版检查了\1张表："),
    (r"(\d+) errors?", r"\1个错误"),
    (r"(\d+) warnings?", r"\1个警告"),
    (r"(\d+) notes?", r"\1条说明"),
    (r": no problems found$", r"：未发现问题"),
    (r"^the document prints no year: checked against (\d{4})年版, whose codes and names fit its (\d+) codes best",
     r"文件未注明年度：按编码和名称最相符的\1年版检查（共\2个编码）"),
    (r": the name of ", r"：此名称属于 "),
    (r": in no edition with this name", r"：各年度版本都没有这个名称"),
)
_compiled: list[tuple[re.Pattern[str], str]] = []


def localize(text: str) -> str:
    """A message of the API in the chosen language: in Chinese, its frame translated (see the module)."""
    if language() != "zh":
        return text
    if not _compiled:
        _compiled.extend((re.compile(p), r) for p, r in _PHRASES)
    for pattern, replacement in _compiled:
        text = pattern.sub(replacement, text)
    return text
