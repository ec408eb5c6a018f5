"""Local extensions (地方增设科目): a province's codes layered on a national edition.

Provinces add codes below the national ones: 7-digit economic sub-codes such
as 3021101 差旅费 below 30211, and local 项 below a national 款. An overlay
file (CSV, TSV or a workbook) lists them, one a row, with the columns
``code`` (科目编码), ``name`` (科目名称) and optionally ``parent`` (上级科目:
by default the code's structural parent) and ``note`` (说明/备注).

``govcodes.edition(2026, extensions="jiangsu.tsv")`` is the national edition
with the file's codes added, each of provenance ``user`` citing the file.
An entry is accepted only below a national 款 or 项 (never a 类 of its own,
never a code the edition already has), one level below its parent.  Rollup
then places extension codes under their national parent, and check stops
reporting them as unknown.

>>> import govcodes
>>> ed = govcodes.edition(2026, extensions="code\\tname\\n3021101\\t差旅费（省内）\\n".encode())
>>> code = ed["3021101"]
>>> code.name, code.parent.code, code.provenance.kind
('差旅费（省内）', '30211', 'user')
>>> "3021101" in govcodes.edition(2026)
False
"""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING, Any

from .codes import LENGTHS, classification_of, normalize_code, normalize_name, parent_of
from .errors import InputError, InvalidCodeError

if TYPE_CHECKING:
    from .model import Edition

__all__ = ["extend", "read_extensions"]

_CODE = ("code", "科目编码", "编码", "科目代码")
_NAME = ("name", "科目名称", "名称")
_PARENT = ("parent", "上级科目", "上级编码", "上级科目编码")
_NOTE = ("note", "说明", "备注")


def _column(header: tuple[str, ...], names: tuple[str, ...]) -> int | None:
    keys = [normalize_name(h).lower() for h in header]
    for name in names:
        if name in keys:
            return keys.index(name)
    return None


def read_extensions(source: object) -> tuple[str, list[tuple[str, str, str | None, str, int]]]:
    """(label, rows) of an extension file: (code, name, parent or None, note, line) per row."""
    from .readers.items import read_items

    items = read_items(source, header_row=1)
    header = items.header
    code_i, name_i = _column(header, _CODE), _column(header, _NAME)
    if code_i is None or name_i is None:
        raise InputError(f"{items.name}: an extension file needs a code and a name column", value=list(header),
                         expected="a header such as code, name, parent, note (or 科目编码, 科目名称, 上级科目, 说明)")
    parent_i, note_i = _column(header, _PARENT), _column(header, _NOTE)
    rows = []
    opened, close = items.open()

    def text(cells: list[Any], i: int | None) -> str:
        return "" if i is None or i >= len(cells) or cells[i] is None else str(cells[i]).strip()

    try:
        for cells in opened:
            line = opened.line_num

            def cell(i: int | None, cells: list[Any] = cells) -> str:
                return text(cells, i)

            if not any(cell(i) for i in range(len(cells))):
                continue
            try:
                code = normalize_code(cell(code_i))
            except InvalidCodeError:
                raise InputError(f"{items.name}: line {line}: not a code", value=cell(code_i),
                                 expected="a code such as 3021101") from None
            name = "".join(cell(name_i).split())
            if not name:
                raise InputError(f"{items.name}: line {line}: code {code} has no name", value=code,
                                 expected="a name")
            parent = cell(parent_i) or None
            rows.append((code, name, normalize_code(parent) if parent else None, cell(note_i), line))
    finally:
        close()
    label = os.path.basename(items.name)
    return label, rows


def extend(edition: Edition, source: object) -> Edition:
    """``edition`` with the codes of the extension file ``source`` added (see the module)."""
    from .model import Edition

    label, rows = read_extensions(source)
    digest = _digest(source)
    evidence = f"local extension: {label}" + (f" sha256 {digest}" if digest else "")
    added: dict[str, tuple[str, str, str, str, str]] = {}
    for code, name, parent, note, line in rows:
        where = f"{label}: line {line}"
        structural = parent_of(code)
        if parent is not None and parent != structural:
            raise InputError(f"{where}: {code} is not one level below {parent}", value=code,
                             expected=f"a code of {parent} followed by two digits")
        if structural is None:
            raise InputError(f"{where}: {code} would be a 类 of its own", value=code,
                             expected="a code below a national 款 or 项")
        if code in edition:
            raise InputError(f"{where}: {code} is already in the {edition.year} edition "
                             f"({edition[code].name})", value=code, expected="a local code the edition lacks")
        national = edition.get(structural)
        if national is None or len(national.code) < LENGTHS["款"]:
            found = "a 类" if national is not None else "not in the edition"
            raise InputError(f"{where}: the parent of {code} is {structural} ({found})", value=code,
                             expected=f"a code below a national 款 or 项 of the {edition.year} edition")
        if code in added:
            raise InputError(f"{where}: {code} is listed twice", value=code, expected="one row per code")
        cls = national.classification
        if classification_of(code, edition.year) not in (cls, None) and cls != "economic":
            raise InputError(f"{where}: {code} is not of the classification of {structural}", value=code)
        added[code] = (code, name, cls, "user", evidence + (f"; {note}" if note else ""))
    entries = [(c.code, c.name, c.classification, c._source, c._evidence) for c in edition]
    entries.extend(added.values())
    meta = dict(edition.meta)
    meta["extensions"] = list(meta.get("extensions", [])) + [label]
    return Edition(edition.year, entries, edition.correspondence, meta)


def _digest(source: object) -> str | None:
    data: Any = None
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)) and os.path.isfile(source):
        with open(source, "rb") as fh:
            data = fh.read()
    return hashlib.sha256(data).hexdigest()[:16] if data is not None else None
