"""Turn the many ways real documents print a code into the code itself.

Budget tables print codes as numbers, with their name glued on, in brackets,
split over columns, in full-width digits.  :func:`normalize_code` accepts all
of them and returns the bare digits; :func:`split_code_name` also returns the
name printed with the code.

>>> normalize_code("[2080101]行政运行")
'2080101'
>>> split_code_name("208  05  01  行政单位离退休")
('2080501', '行政单位离退休')
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Union

from ._levels import LEVELS, parent_of
from .errors import InvalidCodeError

__all__ = ["normalize_code", "split_code_name", "normalize_name", "level_of", "parent_of"]

CodeLike = Union[str, int]

_SEP = r"[\s\-.—–_:：、/,，]"
# a printed name starts with a letter, a CJK character, an opening bracket or a quote
_NAME = r"([A-Za-z\u3400-\u9fff\uf900-\ufaff（(【\[“\"《〔].*)"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_BRACKETED = re.compile(r"^[\[【(〔<]\s*(\d+)\s*[\]】)〕>]\s*(.*)$", re.S | re.ASCII)
_EXCEL_FLOAT = re.compile(r"^(\d+)\.0+$", re.ASCII)
_SPLIT = re.compile(
    rf"^(\d{{3}})(?:{_SEP}+(\d{{2}}))(?:{_SEP}+(\d{{2}}))?(?:{_SEP}+(\d{{2}}))?(?:{_SEP}*{_NAME})?$", re.S | re.ASCII
)
_PLAIN = re.compile(rf"^(\d+)(?:{_SEP}*{_NAME})?$", re.S | re.ASCII)
_SPACES = re.compile(r"\s+")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).strip()


def _check(code: str, original: object) -> str:
    if len(code) not in LEVELS:
        raise InvalidCodeError(original)
    return code


def split_code_name(value: CodeLike) -> tuple[str, str | None]:
    """Split a printed cell into its code and the name printed with it, if any.

    >>> split_code_name("2080101-行政运行")
    ('2080101', '行政运行')
    >>> split_code_name("[30101]基本工资")
    ('30101', '基本工资')
    >>> split_code_name(2080101)
    ('2080101', None)
    >>> split_code_name("２０８０１０１　行政运行")
    ('2080101', '行政运行')
    """
    if isinstance(value, bool):
        raise InvalidCodeError(value)
    if isinstance(value, int):
        return _check(str(value), value), None
    if isinstance(value, float):
        if value.is_integer() and value > 0:
            return _check(str(int(value)), value), None
        raise InvalidCodeError(value)
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and value > 0:
            return _check(str(int(value)), value), None
        raise InvalidCodeError(value)
    if not isinstance(value, str):
        raise InvalidCodeError(value, f"expected a code as text or a number, not {type(value).__name__}")
    text = _nfkc(value)
    m = _EXCEL_FLOAT.match(text)
    if m:
        return _check(m.group(1), value), None
    m = _BRACKETED.match(text)
    if m:
        name = m.group(2).strip()
        return _check(m.group(1), value), (name or None)
    m = _PLAIN.match(text)
    if m and len(m.group(1)) in LEVELS:
        name = (m.group(2) or "").strip()
        return m.group(1), (name or None)
    m = _SPLIT.match(text)
    if m:
        code = "".join(part for part in m.group(1, 2, 3, 4) if part)
        name = (m.group(5) or "").strip()
        return _check(code, value), (name or None)
    raise InvalidCodeError(value)


def normalize_code(value: CodeLike) -> str:
    """Return the bare code of ``value``; raise :class:`InvalidCodeError` if it is none.

    >>> [normalize_code(v) for v in ("2080101", 2080101, "2080101.0", "２０８０１０１",
    ...     "[2080101]行政运行", "2080101 行政运行", "2080101-行政运行", "208 01 01")]
    ['2080101', '2080101', '2080101', '2080101', '2080101', '2080101', '2080101', '2080101']
    >>> normalize_code("20801011")
    Traceback (most recent call last):
    ...
    govcodes.errors.InvalidCodeError: '20801011' is not a classification code: expected 3, 5, 7 or 9 digits such as 208, 20801 or 2080101, optionally followed by a name
    """
    return split_code_name(value)[0]


def normalize_name(name: str) -> str:
    """The form of a name used to compare names: NFKC, no white space.

    Differences that vanish here are formatting only: PDF line-wrap spaces,
    half- against full-width brackets.

    >>> normalize_name("人力资源和社会保 障管理事务") == normalize_name("人力资源和社会保障管理事务")
    True
    >>> normalize_name("因公出国(境)费用") == normalize_name("因公出国（境）费用")
    True
    """
    return _SPACES.sub("", unicodedata.normalize("NFKC", name))


def level_of(code: str) -> str:
    """The level (类, 款, 项, 目) a code of this length has.

    >>> level_of("208"), level_of("20801"), level_of("2080101")
    ('类', '款', '项')
    """
    try:
        return LEVELS[len(code)]
    except KeyError:
        raise InvalidCodeError(code) from None
