"""Amendments: dated notices that change an edition during its year, and editions as of a date."""

from __future__ import annotations

import datetime
import os
import shutil
from pathlib import Path

import pytest

import govcodes
from govcodes import _data, amendments, model
from govcodes.amendments import Amendment, as_of_date, undo
from govcodes.changes import Change


def test_2025_as_amended_and_before_the_notice_of_2025_05_23():
    amended = govcodes.edition(2025)
    before = govcodes.edition(2025, as_of="2025-05-01")
    assert before.get("2170404") is None and amended.get("2170404") is not None
    assert amended["2170404"].name == "中央金融机构注资特别国债支出"
    assert amended["2170404"].provenance.kind == "official"
    assert amended["2170404"].provenance.source == "财预〔2025〕41号 2025-05-23"
    added = {a.new_code for a in amended.amendments}
    assert {"1030184", "1050303", "1050305", "2170404", "22911", "23107"} <= added
    assert not added & {c.code for c in before}
    assert len(amended) - len(before) == len(added)
    assert before.as_of == "2025-05-01" and amended.as_of is None
    assert "as of 2025-05-01" in repr(before)


def test_as_of_on_or_after_the_notice_is_the_amended_edition():
    ed = govcodes.edition(2025)
    assert govcodes.edition(2025, as_of="2025-05-23") is ed
    assert govcodes.edition(2025, as_of=datetime.date(2025, 12, 31)) is ed
    assert govcodes.edition(2026, as_of="2026-01-01") is govcodes.edition(2026)  # no amendments


def test_as_of_editions_are_cached_and_keep_the_untouched_entries():
    before = govcodes.edition(2025, as_of="2025-05-01")
    assert govcodes.edition(2025, as_of="2025-05-01") is before
    assert before["2080101"] == govcodes.edition(2025)["2080101"]
    assert before["2080101"].provenance == govcodes.edition(2025)["2080101"].provenance
    assert before["20801"].children == tuple(before[c.code] for c in govcodes.edition(2025)["20801"].children)
    with pytest.raises(govcodes.UnknownCodeError, match="as of 2025-05-01"):
        before["2170404"]


def test_2024_before_its_amendment_and_the_2020_revision():
    assert govcodes.edition(2024).get("22006") is not None
    assert govcodes.edition(2024, as_of="2024-03-28").get("22006") is None
    first = govcodes.edition(2020, as_of="2020-06-22")
    assert first.get("234") is None and govcodes.edition(2020).get("234") is not None
    assert govcodes.edition(2022).get("234").name == "抗疫特别国债安排的支出"
    assert govcodes.edition(2023).get("234") is None
    # the 2020 revision is known from a press report only: compiled, and it says so
    assert {a.source for a in govcodes.edition(2020).amendments} == {"compiled"}
    assert govcodes.edition(2020)["234"].provenance.kind == "compiled"
    assert "known from a report" in govcodes.edition(2020)["234"].provenance.note


@pytest.mark.parametrize("bad", ["2025-13-01", "1 May 2025", "", 20250501, 2025.5])
def test_as_of_must_be_a_date(bad):
    with pytest.raises(govcodes.InputError, match="YYYY-MM-DD"):
        as_of_date(bad)
    with pytest.raises(govcodes.InputError):
        govcodes.edition(2025, as_of=bad)


def test_an_amendment_reads_as_a_change_with_its_date():
    a = next(a for a in govcodes.edition(2025).amendments if a.new_code == "2170404")
    assert (a.year, a.date, a.document, a.kind, a.source) == (2025, "2025-05-23", "财预〔2025〕41号", "added",
                                                              "official")
    c = a.change()
    assert (c.from_year, c.to_year, c.citation, c.date) == (2024, 2025, "财预〔2025〕41号 2025-05-23", "2025-05-23")
    assert str(a).startswith("2025-05-23 added: 2170404")


def test_undo_restores_what_the_records_changed():
    later = {"208": ("社会保障和就业支出", "functional", "compiled", ""),
             "20805": ("行政事业单位养老支出", "functional", "attested", "x 1/1"),
             "2080599": ("其他", "functional", "compiled", "")}
    recs = [Change("renamed", "functional", "20805", "行政事业单位离退休", "20805", "行政事业单位养老支出", 2019, 2020),
            Change("added", "functional", None, None, "2080599", "其他", 2019, 2020),
            Change("removed", "functional", "2080504", "未归口管理的行政单位离退休", None, None, 2019, 2020)]
    problems: list[str] = []
    earlier = undo(later, recs, 2019, problems)
    assert problems == []
    assert earlier == {"208": later["208"], "20805": ("行政事业单位离退休", "functional", "compiled", ""),
                       "2080504": ("未归口管理的行政单位离退休", "functional", "compiled", "")}
    wrong = [Change("renamed", "functional", "20805", "a", "20805", "b", 2019, 2020)]
    undo(later, wrong, 2019, problems, where="test")
    assert problems == ["test: 20805 is '行政事业单位养老支出' in the later edition, the record says 'b'"]


# -- the data file -----------------------------------------------------------------

HEADER = "date\tdocument\tsource\tkind\tclassification\told_code\told_name\tnew_code\tnew_name\tshare\tevidence\n"


@pytest.fixture
def data_copy(monkeypatch, tmp_path):
    """The shipped data, with the folders of 2025 and 2026 copied (to be edited) and the rest linked."""
    root = Path(_data.root())
    copy = tmp_path / "data"
    (copy / "editions").mkdir(parents=True)
    for entry in root.iterdir():
        if entry.name != "editions":
            (copy / entry.name).symlink_to(entry)
    for year in (root / "editions").iterdir():
        if year.name in ("2025", "2026"):
            shutil.copytree(year, copy / "editions" / year.name)
        else:
            (copy / "editions" / year.name).symlink_to(year)
    monkeypatch.setattr(_data, "_root", str(copy))
    monkeypatch.setattr(amendments, "_cache", {})
    monkeypatch.setattr(model, "_cache", {})
    monkeypatch.setattr(model, "_as_of_cache", {})
    return copy


def _write(copy: Path, year: int, *rows: str) -> None:
    (copy / "editions" / str(year) / "amendments.tsv").write_text(HEADER + "".join(r + "\n" for r in rows),
                                                                   encoding="utf-8")


@pytest.mark.parametrize("row,message", [
    ("2025-02-30\t财预〔2025〕1号\tofficial\tadded\tfunctional\t\t\t2080199\t其他\t\tx", "date must be YYYY-MM-DD"),
    ("2025-02-01\t\tofficial\tadded\tfunctional\t\t\t2080199\t其他\t\tx", "names its document"),
    ("2025-02-01\t财预〔2025〕1号\tmaybe\tadded\tfunctional\t\t\t2080199\t其他\t\tx", "source must be one of"),
    ("2025-02-01\t财预〔2025〕1号\tofficial\tadded\tfunctional\t\t\t2080199\t其他\t\t", "gives its evidence"),
    ("2025-02-01\t财预〔2025〕1号\tofficial\tadded\trevenue\t\t\t2080199\t其他\t\tx", "not a revenue code"),
    ("2025-02-01\t财预〔2025〕1号\tofficial\trenamed\tfunctional\t2080199\ta\t2080198\tb\t\tx", "keeps its code"),
])
def test_a_bad_amendment_row_is_a_data_error_naming_the_line(data_copy, row, message):
    _write(data_copy, 2025, row)
    with pytest.raises(govcodes.DataError, match=message) as info:
        amendments.amendments(2025)
    assert "data/editions/2025/amendments.tsv:2" in str(info.value)


def test_a_code_changed_by_two_amendments_of_a_year_is_a_data_error(data_copy):
    _write(data_copy, 2025, "2025-02-01\t财预〔2025〕1号\tofficial\tadded\tfunctional\t\t\t2089998\t甲\t\tx",
           "2025-03-01\t财预〔2025〕2号\tofficial\trenamed\tfunctional\t2089998\t甲\t2089998\t乙\t\tx")
    with pytest.raises(govcodes.DataError, match="changed by two amendments"):
        amendments.amendments(2025)


def test_an_edition_without_amendments_has_none(data_copy):
    os.remove(data_copy / "editions" / "2025" / "amendments.tsv")
    assert amendments.amendments(2025) == ()
    assert govcodes.edition(2023).amendments == ()


def test_an_amendment_that_does_not_agree_with_its_edition_is_a_data_error(data_copy):
    _write(data_copy, 2026, "2026-03-01\t财预〔2026〕9号\tofficial\trenamed\tfunctional\t2080101\t旧名\t2080101\t新名\t\tx")
    with pytest.raises(govcodes.DataError, match="do not agree"):
        govcodes.edition(2026, as_of="2026-01-01")


def test_amendment_objects_are_plain_values():
    a = Amendment("added", "functional", None, None, "2170404", "x", 2025, "2025-05-23", "财预〔2025〕41号")
    assert a.code == "2170404" and a.citation == "财预〔2025〕41号 2025-05-23"
    assert a == Amendment("added", "functional", None, None, "2170404", "x", 2025, "2025-05-23", "财预〔2025〕41号")
    assert str(a) == "2025-05-23 added: 2170404 x [财预〔2025〕41号]"


def test_renaming_and_removing_amendments_are_undone_too(data_copy):
    _write(data_copy, 2026,
           "2026-03-01\t财预〔2026〕9号\tofficial\trenamed\tfunctional\t2080101\t旧的行政运行\t2080101\t行政运行\t\tx",
           "2026-06-01\t财预〔2026〕19号\tcompiled\tremoved\tfunctional\t2089998\t某项支出\t\t\t\ty")
    amended = govcodes.edition(2026)
    assert [a.kind for a in amended.amendments] == ["renamed", "removed"]
    assert "2089998" not in amended and amended["2080101"].name == "行政运行"
    march = govcodes.edition(2026, as_of="2026-04-01")
    assert march["2089998"].name == "某项支出" and march["2080101"].name == "行政运行"
    assert str(march["2089998"].provenance).startswith("compiled: not yet verified (the entry before 财预〔2026〕19号")
    january = govcodes.edition(2026, as_of="2026-01-01")
    assert january["2080101"].name == "旧的行政运行" and "2089998" in january
    assert january["2080101"].provenance.kind == "official"
    assert january["2080101"].provenance.source.startswith("财预〔2026〕9号 2026-03-01")
    assert [a.document for a in march.amendments] == ["财预〔2026〕9号"]
