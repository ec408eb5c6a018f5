"""govcodes.readers.pdf: words and rules of real PDF pages, rows of cells rebuilt from their positions."""

from __future__ import annotations

import builtins
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcodes import InputError
from govcodes.readers.pdf import Page, Rule, Word, pdf_pages, pdf_rows

from .conftest import pdf
from .conftest import pdf_pages as cached_pages

SHANGHAI = "2026年上海市审计局_部门预算.pdf"
SHENZHEN = "2026年深圳市财政局部门预算.pdf"
SUZHOU = "2026年苏州市审计局部门预算.pdf"
WUXI = "商务局_2026年部门预算.pdf"


def rows_of(name: str, page: int) -> list[tuple[tuple[str, ...], bool]]:
    return [(r.cells, r.header) for r in pdf_rows(cached_pages(name)) if r.page == page]


# --------------------------------------------------------------------------- real pages


@pytest.mark.parametrize("name, pages", [(SHANGHAI, 20), (SHENZHEN, 40), (SUZHOU, 33), (WUXI, 39)])
def test_pages_words_and_rules(name: str, pages: int) -> None:
    found = cached_pages(name)
    assert len(found) == pages and [p.number for p in found] == list(range(1, pages + 1))
    assert all(w.x0 < w.x1 and w.top < w.bottom for p in found for w in p.words)
    assert any(r.vertical for p in found for r in p.rules)  # every one of them rules its tables


def test_shanghai_split_codes_and_multi_row_header() -> None:
    rows = rows_of(SHANGHAI, 8)
    header = [cells for cells, is_header in rows if is_header]
    assert header == [
        ("项目", "项目", "项目", "", "", "", "", "", ""),
        ("功能分类科目编码",) * 3 + ("项目",) + ("收入预算",) * 5,
        ("类", "款", "项", "功能分类科目名称", "合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"),
    ]
    data = [cells for cells, is_header in rows if not is_header and len(cells) > 1]
    assert data[2] == ("201", "08", "01", "行政运行", "114,479,860", "114,479,860", "", "", "")
    assert len(data) == 12  # the rest of the table is on page 9


def test_shenzhen_name_wrapped_around_its_row_and_footer_dropped() -> None:
    rows = rows_of(SHENZHEN, 21)
    cells = [c for c, h in rows if not h]
    assert ("", "2080505", "机关事业单位基本养老保险缴费支出", "626.55", "626.55") + ("0.00",) * 7 in cells
    assert not any("- 18 -" in " ".join(c) for c, _ in rows)  # the page number is furniture
    assert [c for c, h in rows if h][-1][:4] == ("预算单位", "科目编码", "科目名称", "支出总计")


def test_wuxi_running_header_dropped_and_unit_code_header_joined() -> None:
    rows = rows_of(WUXI, 10)
    assert not any("无锡市商务局2026年度部门预算公开" in c for cells, _ in rows for c in cells)
    header = [c for c, h in rows if h]
    assert header[-1][:4] == ("部门代码", "部门名称", "合计", "小计")  # 部门代 / 码 printed on two lines
    assert ("317", "无锡市商务局", "17,466.65", "17,466.65", "17,466.65") == [c for c, h in rows if not h][-3][:5]


def test_continued_page_without_header_keeps_the_columns() -> None:
    rows = rows_of(WUXI, 12)  # the last rows of 支出总表, after the page break, no header repeated
    assert [c for c, _ in rows][:3] == [
        ("2210201", "住房公积金", "323.71", "323.71", "", "", "", ""),
        ("2210202", "提租补贴", "237.82", "237.82", "", "", "", ""),
        ("2210203", "购房补贴", "458.15", "458.15", "", "", "", ""),
    ]


def test_suzhou_wrapped_name_below_its_row_is_a_line_of_its_own() -> None:
    cells = [c for c, _ in rows_of(SUZHOU, 11)]
    k = cells.index(("2080505", "机关事业单位基本养老保险缴费", "298.72", "298.72", "", "", "", ""))
    assert cells[k + 1] == ("", "支出", "", "", "", "", "", "")  # the table reader joins it to the name


# --------------------------------------------------------------------------- positions, no PDF needed


def words(*specs: tuple[str, float, float, float]) -> tuple[Word, ...]:
    return tuple(Word(text, x0, x1, top, top + 10) for text, x0, x1, top in specs)


def test_unruled_table_columns_from_word_positions() -> None:
    page = Page(3, 400.0, 300.0, (
        words(("2024年支出表", 150, 250, 10)),
        words(("单位：万元", 300, 350, 25)),
        words(("基本支出", 235, 275, 40)),
        words(("科目编码", 10, 50, 48), ("科目名称", 80, 120, 48), ("合计", 170, 190, 48), ("项目支出", 300, 340, 48)),
        words(("人员经费", 210, 250, 56), ("公用经费", 260, 300, 56)),
        words(("208", 10, 25, 75), ("社会保障和就业支出", 80, 160, 75), ("3.00", 175, 195, 75),
              ("2.00", 230, 250, 75), ("1.00", 280, 300, 75)),
        words(("2080101", 10, 45, 90), ("行政运行", 80, 120, 90), ("3.00", 175, 195, 90),
              ("2.00", 230, 250, 90), ("1.00", 280, 300, 90)),
        words(("- 3 -", 190, 210, 280)),
    ))
    rows = pdf_rows([page])
    assert [(r.cells, r.header) for r in rows] == [
        (("2024年支出表",), False), (("单位：万元",), False),
        (("", "", "", "基本支出", "基本支出", ""), True),
        (("科目编码", "科目名称", "合计", "人员经费", "公用经费", "项目支出"), True),
        (("208", "社会保障和就业支出", "3.00", "2.00", "1.00", ""), False),
        (("2080101", "行政运行", "3.00", "2.00", "1.00", ""), False),
    ]  # 项目支出: a column no row fills; the page number is dropped


def test_ruled_cells_and_names_wrapped_around_the_row() -> None:
    rules = tuple(Rule(x, x + 0.5, 40, 140) for x in (5, 60, 170, 230)) + \
        tuple(Rule(5, 230, y, y + 0.5) for y in (40, 60, 100, 140))
    page = Page(1, 300.0, 200.0, (
        words(("科目编码", 10, 50, 45), ("科目名称", 80, 120, 45), ("合计", 190, 210, 45)),
        words(("20805", 10, 35, 65), ("行政事业单位养老支出", 65, 165, 65), ("3.00", 200, 220, 65)),
        words(("机关事业单位基本养老", 65, 165, 102)),
        words(("2080505", 10, 45, 112), ("3.00", 200, 220, 112)),
        words(("保险缴费支出", 65, 125, 122)),
    ), rules)
    assert [r.cells for r in pdf_rows([page])] == [
        ("科目编码", "科目名称", "合计"),
        ("20805", "行政事业单位养老支出", "3.00"),
        ("2080505", "机关事业单位基本养老保险缴费支出", "3.00"),
    ]


# --------------------------------------------------------------------------- errors


def test_without_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real = builtins.__import__

    def blocked(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("pypdfium2"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", blocked)
    for module in [m for m in sys.modules if m.startswith("pypdfium2")]:
        monkeypatch.delitem(sys.modules, module)
    path = tmp_path / "budget.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    with pytest.raises(InputError, match=r"pip install 'govcodes\[pdf\]'"):
        pdf_pages(path)
    from govcodes.readers.tables import read_tables

    with pytest.raises(InputError, match=r"needs the pdf extra"):
        read_tables(path)


def test_damaged_pdf(tmp_path: Path) -> None:
    pytest.importorskip("pypdfium2")
    path = tmp_path / "budget.pdf"
    path.write_bytes(b"%PDF-1.7\nnot a pdf at all\n")
    with pytest.raises(InputError, match="not a PDF that can be read"):
        pdf_pages(path)
    data = pdf(SUZHOU).read_bytes()
    with pytest.raises(InputError, match="not a PDF that can be read"):
        pdf_pages(data[: len(data) // 3])


def test_bytes_and_paths_read_alike() -> None:
    path = pdf(SUZHOU)
    assert pdf_pages(path.read_bytes())[13] == cached_pages(SUZHOU)[13]
    assert pdf_pages(str(path))[13] == cached_pages(SUZHOU)[13]


# --------------------------------------------------------------------------- anything a page may hold

_TEXTS = ["科目编码", "科目名称", "合计", "基本支出", "项目支出", "类", "款", "项", "栏次", "1", "2", "208", "05",
          "2080505", "行政运行", "1,234.56", "0.00", "-", "- 3 -", "单位：万元", "2024年支出表", "预算单位", "序号",
          "其中：政府采购", "（续）", "注：", "。", "9" * 30, "", "\u202e", "=SUM(A1)"]


@st.composite
def pages(draw: st.DrawFn) -> list[Page]:
    out = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        lines = []
        for _ in range(draw(st.integers(0, 12))):
            top = draw(st.floats(0, 500, allow_nan=False))
            words_ = []
            for _ in range(draw(st.integers(1, 6))):
                x0 = draw(st.floats(-50, 600, allow_nan=False))
                width = draw(st.floats(0, 120, allow_nan=False))
                words_.append(Word(draw(st.sampled_from(_TEXTS)), x0, x0 + width, top,
                                   top + draw(st.floats(0, 20, allow_nan=False))))
            lines.append(tuple(words_))
        rules = tuple(Rule(x, x + 0.5, t, t + h) for x, t, h in draw(st.lists(
            st.tuples(st.floats(0, 600, allow_nan=False), st.floats(0, 500, allow_nan=False),
                      st.floats(0, 400, allow_nan=False)), max_size=8)))
        out.append(Page(number, 600.0, 800.0, tuple(lines), rules))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_fuzz_pages_never_raise_anything_but_govcodes_errors(found: list[Page]) -> None:
    from govcodes import GovcodesError, check
    from govcodes.readers.tables import read_tables

    rows = pdf_rows(found)
    assert all(r.page in {p.number for p in found} and r.cells for r in rows)
    try:
        check(read_tables(found), year=2026)
    except GovcodesError:
        pass


@pytest.mark.parametrize("ccw", [True, False])
def test_a_table_drawn_sideways_is_read_along_its_lines(ccw: bool) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    import io

    source = pdf(SUZHOU)
    published = rows_of(SUZHOU, 14)
    document = pdfium.PdfDocument(str(source))
    try:
        page = document[13]
        width, height = page.get_size()
        turn = pdfium.PdfMatrix().rotate(90, ccw=ccw)
        turn = turn.translate(height, 0) if ccw else turn.translate(0, width)
        for obj in list(page.get_objects(max_depth=0)):
            obj.transform(turn)  # the content turned a quarter, the page turned back for display
        page.set_mediabox(0, 0, height, width)
        page.set_cropbox(0, 0, height, width)
        page.set_rotation(270 if ccw else 90)
        page.gen_content()
        sideways = io.BytesIO()
        document.save(sideways)
    finally:
        document.close()
    pages = pdf_pages(sideways.getvalue())
    assert (pages[13].width, pages[13].height) == (cached_pages(SUZHOU)[13].width, cached_pages(SUZHOU)[13].height)
    assert [(r.cells, r.header) for r in pdf_rows(pages) if r.page == 14] == published


def test_page_rotation_alone_does_not_turn_the_text() -> None:
    pdfium = pytest.importorskip("pypdfium2")
    import io

    document = pdfium.PdfDocument(str(pdf(SUZHOU)))
    try:
        document[13].set_rotation(180)  # an upright page shown upside down: its text still runs left to right
        turned = io.BytesIO()
        document.save(turned)
    finally:
        document.close()
    assert [(r.cells, r.header) for r in pdf_rows(pdf_pages(turned.getvalue())) if r.page == 14] == rows_of(SUZHOU, 14)
