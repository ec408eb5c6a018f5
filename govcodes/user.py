"""Editions users bring: the Ministry's edition file, loaded into the user's data folder.

The Ministry publishes each year's 《政府收支分类科目》 months before govcodes
can ship it, and budget systems export their own code lists.
:func:`load_edition` reads such a file (the book as XLSX, DOCX or text, or a
code list as CSV or a workbook: :mod:`govcodes.readers.editionfile`),
validates it, derives the typed changes against the neighbouring edition,
and stores it as a **user edition** in the user's data folder (never inside
the package).  From then on ``govcodes.edition(2027)`` works everywhere:
show, tree, search, rollup, check, export, diff.

The data folder is ``$GOVCODES_HOME`` when set, else the platform's user
data folder (``~/.local/share/govcodes`` on Linux, ``~/Library/Application
Support/govcodes`` on macOS, ``%LOCALAPPDATA%\\govcodes`` on Windows).

Provenance: an entry read from the Ministry's book is ``official``, citing
the file's name and sha256; an entry of a budget system's list is ``user``.
Parts of the classification the file does not hold are taken from the
neighbouring edition and marked ``compiled`` (``inherit=False`` leaves them
out).  Importing a year govcodes ships is an error unless ``override=True``,
and the override is recorded.

>>> import os, tempfile, govcodes
>>> os.environ["GOVCODES_HOME"] = tempfile.mkdtemp()
>>> book = "科目编码,科目名称\\n201,一般公共服务支出\\n20101,人大事务\\n2010101,行政运行\\n"
>>> ed = govcodes.load_edition(book.encode(), year=2027, inherit=False)
>>> ed["2010101"].name, ed["2010101"].provenance.kind, 2027 in govcodes.editions()
('行政运行', 'user', True)
>>> govcodes.remove_edition(2027); 2027 in govcodes.editions()
False
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .codes import CLASSIFICATIONS, ECONOMIC_DEPARTMENT, classification_of, classifications_in
from .errors import DataError, InputError

if TYPE_CHECKING:
    from pathlib import Path

    from .changes import Change
    from .model import Edition

__all__ = ["data_dir", "user_years", "user_folder", "load_edition", "remove_edition", "user_meta"]

USER = "user"


def data_dir() -> str:
    """The user's govcodes data folder (``$GOVCODES_HOME``, else the platform's user data folder)."""
    home = os.environ.get("GOVCODES_HOME")
    if home:
        return home
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser(r"~\AppData\Local")
    elif sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Application Support")
    else:
        base = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return os.path.join(base, "govcodes")


def _editions_dir() -> str:
    return os.path.join(data_dir(), "editions")


def user_years() -> tuple[int, ...]:
    """The years of the user editions, ascending (empty when there are none)."""
    folder = _editions_dir()
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return ()
    return tuple(sorted(int(n) for n in names
                        if n.isdigit() and os.path.isfile(os.path.join(folder, n, "edition.json"))))


def user_folder(year: int) -> str | None:
    """The folder of the user edition of ``year``, or None when there is none."""
    folder = os.path.join(_editions_dir(), str(year))
    return folder if os.path.isfile(os.path.join(folder, "edition.json")) else None


def user_meta(year: int) -> dict[str, Any]:
    """The metadata of a user edition: title, source file, sha256, layout, base year, override …"""
    import json

    text = read_text(year, "edition.json")
    try:
        return dict(json.loads(text or "{}"))
    except ValueError as exc:
        raise DataError(f"the edition.json of the user edition {year} cannot be read: {exc}") from None


def read_text(year: int, name: str, optional: bool = False) -> str | None:
    """A file of a user edition; DataError when it is missing (None if ``optional``)."""
    path = os.path.join(_editions_dir(), str(year), name)
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        if optional:
            return None
        raise DataError(f"{path} is missing: import the edition again (govcodes edition import)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path} cannot be read: {exc}") from None


def _reset() -> None:
    """Forget what was loaded, so that the next lookup sees the user editions as they now are."""
    from . import changes, model

    model.reset_caches()
    changes.reset_caches()


def load_edition(source: object, *, year: int, as_of: str | None = None, override: bool = False,
                 replace: bool = False, inherit: bool = True, changes: object = None,
                 encoding: str | None = None) -> Edition:
    """Read an edition file and store it as the user edition of ``year``; return the edition.

    ``source`` is the Ministry's book (XLSX, DOCX, or its text) or a budget
    system's code list (CSV or a workbook).  ``as_of`` (an ISO date) records
    the date the file states the edition as of.  ``override=True`` lets a
    file replace an edition govcodes ships (the override is recorded);
    ``replace=True`` lets it replace an earlier user edition of the year.
    ``inherit`` takes the parts of the classification the file lacks from the
    neighbouring edition, marked ``compiled``.  ``changes`` is a change-record
    file (the columns of ``data/changes/``) that replaces the derived changes
    into this edition, after the user has reviewed them.

    The typed changes against the neighbouring editions are derived
    (:func:`govcodes.changes.derive_changes`) and stored with the edition;
    ``govcodes.diff(2026, 2027)`` shows them.
    """
    import json
    import shutil
    from pathlib import Path

    from . import model
    from .changes import derive_changes, parse_records
    from .readers.editionfile import read_edition_file

    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        raise InputError("an edition's year is a year", value=year, expected="a year such as 2027")
    if as_of is not None:
        _check_date(as_of)
    shipped = model.shipped_editions()
    existing = user_folder(year)
    if year in shipped and not override:
        raise InputError(f"govcodes ships the {year} edition", value=year,
                         expected="override=True (--override) to replace it with your file; the override is recorded")
    if existing is not None and not replace and not override:
        raise InputError(f"there is already a user edition for {year}", value=year,
                         expected="replace=True (--replace), or remove it first (govcodes edition remove)")
    years = sorted(set(shipped) | set(user_years()))
    if years and year not in years and year != years[-1] + 1 and year != years[0] - 1:
        raise InputError(f"an edition for {year} would leave a gap: govcodes has {years[0]}–{years[-1]}",
                         value=year, expected=f"{years[-1] + 1}, or import the years between first")
    read = read_edition_file(source, encoding=encoding)
    official = read.layout == "book"
    kind = "official" if official else USER
    evidence = f"file {Path(read.name).name} sha256 {read.sha256}"
    neighbours = [y for y in years if y != year]
    base = max((y for y in neighbours if y < year), default=None)
    following = min((y for y in neighbours if y > year), default=None)
    reference = model.edition(base if base is not None else following) if neighbours else None
    entries: list[tuple[str, str, str, str, str]] = []
    in_file = set(read.classifications(year))
    parts = [c for c in CLASSIFICATIONS if c in in_file]
    for e in read.entries:
        cls = classification_of(e.code, year)
        assert cls is not None
        entries.append((e.code, e.name, cls, kind, evidence))
    inherited: list[str] = []
    if inherit and reference is not None:
        for cls in classifications_in(year):
            if cls not in in_file and any(c.classification == cls for c in reference.roots()):
                inherited.append(cls)
                for c in reference.codes(cls):
                    entries.append((c.code, c.name, cls, "compiled",
                                    f"not in {Path(read.name).name}: as in the {reference.year} edition"))
    codes = {code for code, *_ in entries}
    correspondence = []
    if reference is not None and ECONOMIC_DEPARTMENT in {cls for _, _, cls, _, _ in entries}:
        for row in reference.correspondence:
            if row.department in codes and row.government in codes:
                correspondence.append((row.department, row.government, row.unit, "compiled",
                                       f"as in the {reference.year} 对照表"))
    folder = Path(_editions_dir()) / str(year)
    staging = folder.with_name(f".{year}.new")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    _write_edition(staging, year, entries, read, correspondence)
    meta = {
        "year": year, "title": f"{year}年政府收支分类科目", "source": Path(read.name).name, "sha256": read.sha256,
        "layout": read.layout, "provenance": kind, "as_of": as_of, "classifications": parts + inherited,
        "inherited": inherited, "base": base, "following": following, "override": year in shipped,
        "imported": _now(),
    }
    (staging / "edition.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    # the new edition must load before its changes can be derived against it
    if folder.exists():
        backup = folder.with_name(f".{year}.old")
        if backup.exists():
            shutil.rmtree(backup)
        folder.rename(backup)
    else:
        backup = None
    staging.rename(folder)
    _reset()
    try:
        new = model.edition(year)
        for other, name in ((base, f"changes-from-{base}.tsv"), (following, f"changes-to-{following}.tsv")):
            if other is None:
                continue
            a, b = (model.edition(other), new) if other < year else (new, model.edition(other))
            if changes is not None and other == base:
                records = parse_records(changes, a.year, b.year)
            else:
                records = derive_changes(a, b)
            _write_records(folder / name, records)
        _reset()
        from .changes import verify_step

        for other in (base, following):
            if other is not None:
                problems = verify_step(min(other, year))
                if problems:
                    raise InputError(f"the changes between {min(other, year)} and {max(other, year)} do not "
                                     f"explain the editions: {problems[0]}", value=len(problems),
                                     expected="change records that explain every difference (see govcodes diff)")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        if backup is not None:
            backup.rename(folder)
        _reset()
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
    return model.edition(year)


def remove_edition(year: int) -> None:
    """Remove the user edition of ``year`` (the shipped one, if any, comes back)."""
    import shutil

    folder = user_folder(year)
    if folder is None:
        raise InputError(f"there is no user edition for {year}", value=year,
                         expected="one of " + (", ".join(map(str, user_years())) or "(none)"))
    shutil.rmtree(folder)
    _reset()


def _check_date(text: object) -> str:
    import datetime

    try:
        return datetime.date.fromisoformat(str(text)).isoformat()
    except ValueError:
        raise InputError("not a date", value=text, expected="an ISO date such as 2026-09-01") from None


def _now() -> str:
    import datetime

    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def _write_edition(folder: Path, year: int, entries: Iterable[tuple[str, str, str, str, str]], read: Any,
                   correspondence: list[tuple[str, str, str, str, str]]) -> None:
    from pathlib import Path

    by_cls: dict[str, list[tuple[str, str, str, str]]] = {}
    for code, name, cls, kind, evidence in sorted(entries):
        by_cls.setdefault(cls, []).append((code, name, kind, evidence))
    for cls, rows in by_cls.items():
        lines = [f"# govcodes user edition {year}: {cls}, imported from {Path(read.name).name}",
                 "code\tname\tsource\tevidence"]
        lines += ["\t".join(r) for r in rows]
        (folder / f"{cls}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    descriptions = [(e.code, " ".join(e.description.split())) for e in read.entries if e.description]
    if descriptions:
        lines = ["code\tdescription\tsource\tevidence"]
        kind = "official" if read.layout == "book" else USER
        lines += [f"{code}\t{text}\t{kind}\tfile {os.path.basename(read.name)} sha256 {read.sha256}"
                  for code, text in descriptions]
        (folder / "descriptions.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if correspondence:
        lines = ["department\tgovernment\tunit\tsource\tevidence"] + ["\t".join(r) for r in correspondence]
        (folder / "correspondence.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_records(path: Path, records: Iterable[Change]) -> None:
    lines = ["kind\tclassification\told_code\told_name\tnew_code\tnew_name\tshare\tcitation\tevidence"]
    for r in records:
        lines.append("\t".join("" if v is None else str(v) for v in (
            r.kind, r.classification, r.old_code, r.old_name, r.new_code, r.new_name, r.share, r.citation,
            r.evidence)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
