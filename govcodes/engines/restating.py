"""Restating on the duckdb engine: the items scanned once by DuckDB, and written by it when the file is plain.

**The scan** is the rollup's (:class:`govcodes.engines.sql.Scan`), with a
restatement in place of the rollup's accumulator: DuckDB sums the amounts
by code cell, on all cores; govcodes decides each distinct cell once
(:meth:`govcodes.restatement.Plan.decide`).  The rows of a cell that does
not go whole to one new code (not a code, not in the edition, no
successor, a split) and every row the SQL does not read exactly as govcodes
would go, in order, through :meth:`govcodes.restatement.Tally.row`, the
python engine's own row handler, which reports or splits them.  Totals,
report and warnings are then the python engine's, to the fen.

**The writing.**  When every restated item is a row DuckDB read itself
(a UTF-8 CSV file without quotes or carriage returns inside cells, its
amounts printed in fen, whole yuan or tenths, no split),
DuckDB writes the restated items too, in one ``COPY``: the new code of each
row is looked up through an ``ENUM`` of the code cells (a lookup that keeps
the rows in the file's order, unlike a join), text cells are made safe as
:func:`govcodes.render.safe_cell` makes them, amounts printed as govcodes
prints them.  Otherwise the items are made again row by row, by the python
engine: the same text either way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from ..readers.items import find_column, item_of
from .sql import Fallback, Scan, _cell

if TYPE_CHECKING:
    from ..readers.items import Items
    from ..restatement import Plan, Tally

__all__ = ["scan"]

_ENUM = "govcodes_cells"
#: DuckDB's memory for writing the restated items in the file's order: enough for any file, whatever its size
WRITER_MEMORY = "512MB"


class _Placer:
    """A code cell → the one new code its rows go to whole (what the SQL sums and writes), or None."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.edition = True  # (an edition there is: the scan need not find the names printed with the codes)
        self.cache: dict[Any, Any] = {}
        self.suggested = 0
        self.warnings: dict[Any, Any] = {}

    def place(self, cell: Any) -> tuple[str, str] | None:
        new = self.plan.decide(cell).single
        return None if new is None else (new, "")


class _Restating:
    """What the scan feeds: the columns, the sums by code cell, and the rows it hands over one by one."""

    def __init__(self, plan: Plan, items: Items, tally: Tally) -> None:
        header = items.header
        self.header = header
        self.code_idx = [find_column(header, plan.code_col, "code")]
        self.amount_idx = [find_column(header, k, "amount") for k in plan.amount_cols]
        self.name_idx = None
        self.width = max(items.width, len(header))
        self.placers = [_Placer(plan)]
        self.column_width = None
        self.sums: dict[Any, Any] = {}
        self.cents: dict[Any, int] = {}
        self.names: dict[str, str] = {}
        self.first: dict[Any, int] = {}
        self.tally = tally
        #: rows restated row by row (their items are not the engine's to write)
        self.written = 0

    def slow(self, cells: list[Any], line: int) -> None:
        if self.tally.row(line, item_of(self.header, cells)):
            self.written += 1


def scan(engine: str, plan: Plan, items: Items, tally: Tally,
         prepare: Callable[[], None]) -> Callable[[IO[str], bool], bool] | None:
    """Read ``items`` into ``tally`` with ``engine`` (``prepare``, which readies the plan, runs while the
    engine scans); the function that writes the restated items as CSV (it returns False when the engine
    cannot write them: the python engine does); None when the engine cannot read the items at all
    (nothing was added to ``tally``: the python engine reads them)."""
    if engine != "duckdb" or not items.header or items.width > len(items.header):
        return None  # (cells under a blank header cell are kept by name: row by row)
    header = items.header
    if plan.code_col not in header or any(k not in header for k in plan.amount_cols):
        return None
    from .duck import DuckBackend

    acc = _Restating(plan, items, tally)
    backend = DuckBackend()
    s = Scan(acc, items, backend)  # type: ignore[arg-type]
    nm = len(acc.amount_idx)
    # per code cell, of its rows the SQL sums: how many; how many it could not write as govcodes does; how
    # many are not in fen
    fen = " AND ".join(f"gc_x{j}" for j in range(nm)) if backend.dialect.cents("x") else "false"
    s.extra = ["sum(CASE WHEN gc_fast THEN 1 ELSE 0 END)", "sum(CASE WHEN gc_fast AND gc_odd THEN 1 ELSE 0 END)",
               f"sum(CASE WHEN gc_fast AND NOT ({fen}) THEN 1 ELSE 0 END)"]
    s.flag = lambda mode: _odd(mode, acc, backend.dialect, nm)
    try:
        s.start()
        prepare()
        s.finish()
        counts = _add_sums(s, acc, plan, tally)
    except Fallback:
        backend.close()
        return None
    except BaseException:
        backend.close()
        raise
    if counts["odd"] or acc.written or tally.split or not s.cells or not _utf8(items):
        backend.close()
        return lambda out, english: False
    # the connection stays open for the writing (closed once written, or when the restatement is dropped)
    return _writer(s, acc, plan, tally, every_row=not counts["slow"], every_cell=not counts["unplaced"],
                   fen=not counts["other"])


def _add_sums(s: Scan, acc: _Restating, plan: Plan, tally: Tally) -> dict[str, int]:
    """The rows the SQL summed, into the tally; of the code cells that go whole to a new code, how many rows
    the engine could not write as govcodes does (odd), were read row by row (slow), or are not in fen (other)."""
    from ..restatement import _split

    counts = {"odd": 0, "slow": 0, "other": 0, "unplaced": 0}
    nk = len(acc.code_idx)
    misnamed: list[Any] = []
    for r in s.sums_rows:
        cell = _cell(r[0])
        if r[0] is None:
            continue  # blank lines
        decision = plan.decide(cell)
        new = decision.single
        if new is not None:
            counts["slow"] += bool(r[nk + 2])
        else:
            counts["unplaced"] += 1
        summed = acc.sums.get(cell)
        if new is None or summed is None:
            continue  # its rows went row by row
        n_fast, n_odd, n_other = r[-3:]
        counts["odd"] += n_odd or 0
        counts["other"] += n_other or 0
        values = dict(zip(plan.amount_cols, [summed] if not isinstance(summed, list) else summed))
        tally.add_input(values)
        tally.add_placed(new, {k: _split(v, [1])[0] for k, v in values.items()})  # (parts: at least to the fen)
        tally.count += n_fast or 0
        if decision.misnamed is not None:
            misnamed.append((cell, values))
    if misnamed:  # the first row of each, for the warning
        firsts = _first_rows(s, [c for c, _ in misnamed])
        for cell, values in misnamed:
            tally.add_mismatch(cell, firsts.get(cell, 0), values)
    return counts


def _first_rows(s: Scan, cells: list[Any]) -> dict[Any, int]:
    """The first row the SQL summed of each of these code cells (numbered: one ordered scan)."""
    backend = s.backend
    table = backend.keys("govcodes_named", sorted(set(cells), key=repr))
    numbered = s.base(s.rel, False, numbered=True)
    found = backend.query(f"SELECT gc_k0, min(gc_n) FROM ({numbered}) w WHERE gc_fast AND gc_k0 IN "
                          f"(SELECT k FROM {table}) GROUP BY 1")
    return {_cell(k): n for k, n in found}


def _odd(mode: str, acc: _Restating, d: Any, nm: int) -> str:
    """True for a row the SQL sums but would not write as govcodes writes it: an amount printed otherwise
    than in fen, whole yuan or tenths (always true but for a CSV read by DuckDB's parser)."""
    if mode != "cells":
        return "true"
    fen = " AND ".join(f"gc_x{j}" for j in range(nm))
    other = " AND ".join(f"(gc_x{j} OR {_printed(d, f'gc_t{j}', 'BIGINT')} OR {_printed(d, f'gc_t{j}', 'DECIMAL(18, 1)')})"
                         for j in range(nm))
    return f"CASE WHEN {fen} THEN false ELSE NOT ({other}) END"


def _printed(d: Any, text: str, sql_type: str) -> str:
    """True when the text is the CAST of itself printed back (a plain number in whole units or tenths)."""
    return f"coalesce(CAST(TRY_CAST({text} AS {sql_type}) AS VARCHAR) = {text}, false)"


def _utf8(items: Items) -> bool:
    import codecs

    src = items.source
    return src is not None and src.path is not None and \
        codecs.lookup(src.encoding or "utf-8").name in ("utf-8", "utf-8-sig", "ascii")


def _writer(s: Scan, acc: _Restating, plan: Plan, tally: Tally, *, every_row: bool, every_cell: bool,
            fen: bool) -> Callable[[IO[str], bool], bool]:
    """The function that writes the restated items of a plain file with DuckDB (see the module's text);
    ``every_row``: every row of the cells written is one to write; ``every_cell``: every code cell is one to
    write; ``fen``: their amounts are all in fen."""
    from ..render import FORMULA_START, NUMBER

    d = s.d
    cells = sorted({c for c in (_cell(r[0]) for r in s.sums_rows if r[0] is not None)
                    if isinstance(c, str) and plan.decide(c).single is not None})
    base = s.base(s.rel, False, numbered=False, cells=True, every_cell=True)
    starts = ", ".join(str(ord(c)) for c in FORMULA_START)
    code_i = acc.code_idx[0]
    amount_j = {i: j for j, i in enumerate(acc.amount_idx)}
    fields = tally.fields()

    def lookup(values: list[str]) -> str:
        return (f"list_extract([{', '.join(d.string(v) for v in values)}], "
                f"enum_code(TRY_CAST(gc_k0 AS {_ENUM}))::INTEGER + 1)")

    opened = [s.backend]  # the scan's connection, used once; a new one for any later writing
    import weakref

    def write(out: IO[str], english: bool) -> bool:
        import shutil
        import tempfile

        from ..render import csv_text, header

        if not cells:
            out.write(csv_text([], [header(f, english) for f in fields]))
            return True
        from .duck import DuckBackend

        backend = opened.pop() if opened else DuckBackend()
        if backend.con is None:
            backend.open()
        # DuckDB's optimizer makes a join of an IN list (the formula check below), and a join loses the rows'
        # order: not here; keeping the order takes memory, which a budget bounds (the same for any size)
        backend.con.execute("SET disabled_optimizers = 'in_clause'")
        backend.con.execute(f"SET memory_limit = '{WRITER_MEMORY}'")
        fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="govcodes-restated-")
        os.close(fd)
        try:
            backend.con.execute(f"CREATE OR REPLACE TYPE {_ENUM} AS ENUM ({', '.join(d.string(c) for c in cells)})")
            order = [r[0] for r in backend.query(f"SELECT unnest(enum_range(NULL::{_ENUM}))")]
            outs = []
            for i in range(len(acc.header)):
                if i == code_i:
                    outs.append(lookup([plan.decide(c).single for c in order]))  # type: ignore[misc]
                elif i in amount_j:
                    t = f"gc_t{amount_j[i]}"
                    outs.append(t if fen else f"CASE WHEN gc_x{amount_j[i]} THEN {t} WHEN {_printed(d, t, 'BIGINT')} "
                                              f"THEN {t} || '.00' ELSE {t} || '0' END")
                else:  # a formula neutralised, as render.safe_cell does
                    c = f"gc_c{i}"
                    outs.append(f"CASE WHEN ascii({c}) IN ({starts}) AND NOT {d.full_match(c, NUMBER)} "
                                f"THEN chr(39) || {c} ELSE {c} END")
            olds = [plan.decide(c).old for c in order]
            outs.append("gc_k0" if olds == order else lookup(olds))  # (cells that are the old codes: as they are)
            keep = ([] if every_row else ["gc_fast"]) + ([] if every_cell else [f"TRY_CAST(gc_k0 AS {_ENUM}) IS NOT NULL"])
            rows = f"SELECT * FROM ({base}) b" + (f" WHERE {' AND '.join(keep)}" if keep else "")
            query = f"SELECT {', '.join(outs)} FROM ({rows}) w"
            backend.query(f"COPY ({query}) TO {d.string(tmp)} (FORMAT csv, HEADER false, DELIMITER ',', "
                          f"QUOTE '\"', ESCAPE '\"')")
            out.write(csv_text([], [header(f, english) for f in fields]))
            encoding = getattr(out, "encoding", None)
            binary = getattr(out, "buffer", None)
            import codecs

            if binary is not None and encoding and codecs.lookup(encoding).name in ("utf-8", "utf-8-sig"):
                out.flush()
                with open(tmp, "rb") as src:
                    shutil.copyfileobj(src, binary, 1 << 20)
                binary.flush()
            else:
                with open(tmp, encoding="utf-8", newline="") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        finally:
            backend.close()
            os.unlink(tmp)
        return True

    weakref.finalize(write, lambda: [b.close() for b in opened])
    return write
