"""The classifications and their codes: the one place for every rule about a code.

A code says which part of the classification it belongs to by its first
digit, and its level by its length:

========================  =============  ==========================  ==========
part                      first digit    levels (code length)        example
========================  =============  ==========================  ==========
收入分类 revenue           1              类 3, 款 5, 项 7, 目 9       101 税收收入
支出功能分类 functional    2              类 3, 款 5, 项 7            2080101
部门预算支出经济分类        3              类 3, 款 5                  30101
政府预算支出经济分类        5              类 3, 款 5                  50101
========================  =============  ==========================  ==========

Before the 2018 reform there was a single 支出经济分类 (``economic``, also
3…); from 2018 the 3… codes are the department set.  Seven-digit economic
codes (3021101 差旅费) are local extensions below a national 款.

Real documents print codes in many ways; :func:`normalize_code` takes them
all and returns the bare digits, :func:`split_code_name` also returns the
name printed with the code.

>>> normalize_code("[2080101]行政运行"), split_code_name("208  05  01  行政单位离退休")
('2080101', ('2080501', '行政单位离退休'))
>>> classification_of("30101", 2017), classification_of("30101", 2026), classification_of("101")
('economic', 'economic-department', 'revenue')
>>> level_of("2080101"), parent_of("2080101"), lengths_of("revenue")
('项', '20801', (3, 5, 7, 9))
"""

from __future__ import annotations

from .errors import InvalidCodeError

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: this module is loaded by every cold lookup
if TYPE_CHECKING:
    import re

__all__ = [
    "FUNCTIONAL", "ECONOMIC", "ECONOMIC_DEPARTMENT", "ECONOMIC_GOVERNMENT", "REVENUE",
    "CLASSIFICATIONS", "CLASSIFICATION_NAMES", "LINEAGES", "LEVELS", "LENGTHS", "REFORM_YEAR",
    "classification_of", "classifications_in", "lineage_of", "lengths_of", "first_digits", "level_of", "depth_of", "parent_of",
    "is_local_extension", "normalize_code", "split_code_name", "normalize_name", "compatibility_digit",
]

#: 支出功能分类 (codes starting with 2).
FUNCTIONAL = "functional"
#: 部门预算支出经济分类 (codes starting with 3, from 2018).
ECONOMIC_DEPARTMENT = "economic-department"
#: 政府预算支出经济分类 (codes starting with 5, from 2018).
ECONOMIC_GOVERNMENT = "economic-government"
#: The single 支出经济分类 of the editions before the 2018 reform (codes starting with 3).
ECONOMIC = "economic"
#: 收入分类 (codes starting with 1; 类/款/项/目).
REVENUE = "revenue"

#: Every classification, in the order they are listed.
CLASSIFICATIONS = (REVENUE, FUNCTIONAL, ECONOMIC_DEPARTMENT, ECONOMIC_GOVERNMENT, ECONOMIC)

#: Chinese names of the classifications, for output.
CLASSIFICATION_NAMES = {
    REVENUE: "收入分类",
    FUNCTIONAL: "支出功能分类",
    ECONOMIC_DEPARTMENT: "部门预算支出经济分类",
    ECONOMIC_GOVERNMENT: "政府预算支出经济分类",
    ECONOMIC: "支出经济分类",
}

#: The first edition with two economic classifications (支出经济分类科目改革).
REFORM_YEAR = 2018

#: Code lengths and the level each means.
LEVELS = {3: "类", 5: "款", 7: "项", 9: "目"}
#: The code length of each level.
LENGTHS = {level: length for length, level in LEVELS.items()}

_LENGTHS = {
    REVENUE: (3, 5, 7, 9),
    FUNCTIONAL: (3, 5, 7),
    ECONOMIC_DEPARTMENT: (3, 5),
    ECONOMIC_GOVERNMENT: (3, 5),
    ECONOMIC: (3, 5),
}
_DIGIT = {REVENUE: "1", FUNCTIONAL: "2", ECONOMIC_DEPARTMENT: "3", ECONOMIC_GOVERNMENT: "5", ECONOMIC: "3"}

#: Lineages of change records: the 3… codes are one lineage across the 2018 reform
#: (the single 支出经济分类 continues as the department set).
LINEAGES = (REVENUE, FUNCTIONAL, ECONOMIC, ECONOMIC_GOVERNMENT)
_LINEAGE = {"1": REVENUE, "2": FUNCTIONAL, "3": ECONOMIC, "5": ECONOMIC_GOVERNMENT}

#: Economic codes longer than a 款 that provinces print below a national 款 (3021101 差旅费).
_EXTENSION_LENGTH = 7


def classification_of(code: str, year: int | None = None) -> str | None:
    """The classification a code belongs to, by its first digit; None for none.

    3… codes are ``economic`` in editions before :data:`REFORM_YEAR` and
    ``economic-department`` from it (and when no year is given).

    >>> [classification_of(c) for c in ("101", "208", "301", "501", "401")]
    ['revenue', 'functional', 'economic-department', 'economic-government', None]
    """
    first = code[:1]
    if first == "3" and year is not None and year < REFORM_YEAR:
        return ECONOMIC
    return {"1": REVENUE, "2": FUNCTIONAL, "3": ECONOMIC_DEPARTMENT, "5": ECONOMIC_GOVERNMENT}.get(first)


def classifications_meant(classification: str | None, year: int) -> frozenset[str] | None:
    """The classifications of the edition of ``year`` a filter names (None: every one): ``economic`` is both
    economic sets from :data:`REFORM_YEAR`, either set is the one economic classification before it.

    >>> sorted(classifications_meant("economic", 2026))
    ['economic-department', 'economic-government']
    >>> sorted(classifications_meant("economic-department", 2017)), classifications_meant(None, 2026)
    (['economic'], None)
    """
    if classification is None:
        return None
    if classification == ECONOMIC and year >= REFORM_YEAR:
        return frozenset({ECONOMIC_DEPARTMENT, ECONOMIC_GOVERNMENT})
    if classification in (ECONOMIC_DEPARTMENT, ECONOMIC_GOVERNMENT) and year < REFORM_YEAR:
        return frozenset({ECONOMIC})
    return frozenset({classification})


def classifications_in(year: int) -> tuple[str, ...]:
    """The classifications the edition of ``year`` has, in the order of :data:`CLASSIFICATIONS`.

    Every edition has revenue and functional; before :data:`REFORM_YEAR` one
    economic classification, from it the department and government sets.

    >>> classifications_in(2017)
    ('revenue', 'functional', 'economic')
    >>> classifications_in(2026)
    ('revenue', 'functional', 'economic-department', 'economic-government')
    """
    if year < REFORM_YEAR:
        return (REVENUE, FUNCTIONAL, ECONOMIC)
    return (REVENUE, FUNCTIONAL, ECONOMIC_DEPARTMENT, ECONOMIC_GOVERNMENT)


def lineage_of(code: str) -> str | None:
    """The lineage of a code in change records (3… codes are ``economic`` in every year).

    >>> lineage_of("30311"), lineage_of("2080101"), lineage_of("9")
    ('economic', 'functional', None)
    """
    return _LINEAGE.get(code[:1])


def lengths_of(classification: str) -> tuple[int, ...]:
    """The code lengths a classification has (``(3, 5, 7)`` for functional)."""
    try:
        return _LENGTHS[classification]
    except KeyError:
        from .errors import InputError

        raise InputError("unknown classification", value=classification,
                         expected=", ".join(CLASSIFICATIONS)) from None


def first_digits(classification: str) -> str:
    """The first digit of a classification's codes.

    >>> first_digits("economic-government")
    '5'
    """
    lengths_of(classification)
    return _DIGIT[classification]


def level_of(code: str) -> str:
    """The level (类, 款, 项, 目) a code of this length has.

    >>> level_of("208"), level_of("20801"), level_of("2080101"), level_of("101010101")
    ('类', '款', '项', '目')
    """
    try:
        return LEVELS[len(code)]
    except KeyError:
        raise InvalidCodeError(code) from None


def depth_of(code: str) -> int:
    """0 for a 类, 1 for a 款, 2 for a 项, 3 for a 目.

    >>> depth_of("20801")
    1
    """
    return (len(code) - 3) // 2


def parent_of(code: str) -> str | None:
    """The code one level up, by the code's structure (None for a 类).

    >>> parent_of("2080101"), parent_of("20801"), parent_of("208")
    ('20801', '208', None)
    """
    return code[:-2] if len(code) > 3 else None


def is_local_extension(code: str) -> bool:
    """True for an economic code one level below a national 款 (a province's sub-code).

    >>> is_local_extension("3021101"), is_local_extension("2080101")
    (True, False)
    """
    return len(code) == _EXTENSION_LENGTH and code[:1] in "35"


# -- printed forms ------------------------------------------------------------

#: Longest cell taken as a code with its name: longer text is not a code cell.
MAX_CELL = 200
#: Digits a code may have (a revenue 目).
_MAX_DIGITS = max(LEVELS)

_patterns: dict[str, re.Pattern[str]] = {}


def _compiled() -> dict[str, re.Pattern[str]]:
    """The patterns of printed codes, compiled on first use (a cold lookup needs none)."""
    if not _patterns:
        import re

        sep = r"[\s\-.—–_:：、/,，]"
        # a printed name starts with a letter, a CJK character, an opening bracket or a quote
        name = r"([A-Za-z\u3400-\u9fff\uf900-\ufaff（(【\[“\"《〔].*)"
        _patterns.update(
            bracketed=re.compile(r"^[\[【(〔<]\s*(\d+)\s*[\]】)〕>]\s*(.*)$", re.S | re.ASCII),
            excel_float=re.compile(r"^(\d+)\.0+$", re.ASCII),
            split=re.compile(rf"^(\d{{3}})(?:{sep}+(\d{{2}}))(?:{sep}+(\d{{2}}))?(?:{sep}+(\d{{2}}))?"
                             rf"(?:{sep}*{name})?$", re.S | re.ASCII),
            plain=re.compile(rf"^(\d+)(?:{sep}*{name})?$", re.S | re.ASCII),
            spaces=re.compile(r"\s+"),
        )
    return _patterns


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def compatibility_digit(text: str) -> bool:
    """True when ``text`` holds a character that looks like a digit but is none (² ① ⑴).

    Unicode normalisation would turn ``100²`` into ``1002``: such text is
    neither a code nor an amount.

    >>> compatibility_digit("100²"), compatibility_digit("２０８"), compatibility_digit("208")
    (True, False, False)
    """
    if text.isascii():
        return False
    import unicodedata

    return any(ch.isdigit() and not ch.isdecimal() or
               (not ch.isdigit() and any(c.isdigit() for c in unicodedata.normalize("NFKC", ch)))
               for ch in text if not ch.isascii())


def _nfkc(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).strip()


def _check(code: str, original: object) -> str:
    if len(code) not in LEVELS:
        raise InvalidCodeError(original)
    return code


def _number(value: object) -> str:
    """The digits of a code given as a number (int, numpy integer, whole float or Decimal)."""
    from decimal import Decimal

    if isinstance(value, float):
        if value.is_integer() and 0 < value < 10 ** _MAX_DIGITS:
            return _check(str(int(value)), value)
        raise InvalidCodeError(value)
    if isinstance(value, Decimal):
        # compared before any conversion: Decimal('1e999999999') must not become a billion digits
        if value.is_finite() and value > 0 and value.adjusted() < _MAX_DIGITS and value == value.to_integral_value():
            return _check(str(int(value)), value)
        raise InvalidCodeError(value)
    number = value.__index__()  # type: ignore[attr-defined]  # int, numpy integers
    if not 0 < number < 10 ** _MAX_DIGITS:
        raise InvalidCodeError(value)
    return _check(str(number), value)


def split_code_name(value: object) -> tuple[str, str | None]:
    """Split a printed cell into its code and the name printed with it, if any.

    Accepts text in every form documents print (``2080101-行政运行``,
    ``[30101]基本工资``, ``208 01 01``, full-width digits, Excel's leading
    apostrophe ``'2080101``, a code stored as a number ``2080101.0``) and
    numbers (int, numpy integers, whole floats and Decimals).

    >>> split_code_name("2080101-行政运行")
    ('2080101', '行政运行')
    >>> split_code_name("[30101]基本工资")
    ('30101', '基本工资')
    >>> split_code_name(2080101)
    ('2080101', None)
    >>> split_code_name("２０８０１０１　行政运行")
    ('2080101', '行政运行')
    >>> split_code_name("'2080101")
    ('2080101', None)
    """
    if isinstance(value, bool) or value is None:
        raise InvalidCodeError(value)
    if not isinstance(value, str):
        if isinstance(value, float) or hasattr(value, "__index__") or type(value).__name__ == "Decimal":
            return _number(value), None
        raise InvalidCodeError(value, f"expected a code as text or a number, not {type(value).__name__}")
    if len(value) > MAX_CELL or compatibility_digit(value):
        raise InvalidCodeError(value if len(value) <= 60 else value[:60] + "…")
    text = value if value.isascii() else _nfkc(value)
    text = text.strip()
    if text.startswith("'"):  # Excel's marker of a number stored as text
        text = text[1:].lstrip()
    patterns = _compiled()
    m = patterns["excel_float"].match(text)
    if m:
        return _check(m.group(1), value), None
    m = patterns["bracketed"].match(text)
    if m:
        name = m.group(2).strip()
        return _check(m.group(1), value), (name or None)
    m = patterns["plain"].match(text)
    if m and len(m.group(1)) in LEVELS:
        name = (m.group(2) or "").strip()
        return m.group(1), (name or None)
    m = patterns["split"].match(text)
    if m:
        code = "".join(part for part in m.group(1, 2, 3, 4) if part)
        name = (m.group(5) or "").strip()
        return _check(code, value), (name or None)
    raise InvalidCodeError(value)


def normalize_code(value: object) -> str:
    """Return the bare code of ``value``; raise :class:`~govcodes.InvalidCodeError` if it is none.

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
    import unicodedata

    return _compiled()["spaces"].sub("", unicodedata.normalize("NFKC", name))
