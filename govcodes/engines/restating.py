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
        self.code_idx = [find_column(header, c, "code") for c in plan.code_cols]
        self.amount_idx = [find_column(header, k, "amount") for k in plan.amount_cols]
        self.name_idx = None
        self.width = max(items.width, len(header))
        self.placers = [_Placer(plan) for _ in plan.code_cols]
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
    if any(c not in header for c in plan.code_cols) or any(k not in header for k in plan.amount_cols) \
            or len(plan.code_cols) > 2:
        return None
    from .duck import DuckBackend

    acc = _Restating(plan, items, tally)
    backend = DuckBackend()
    s = Scan(acc, items, backend)  # type: ignore[arg-type]
    s.crossed = False  # (two code columns: their pairs of cells, not a crossed table)
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
    the engine could not write as govcodes does (odd), were read row by row (slow), or are not in fen (other);
    how many code cells do not go whole to one code (unplaced)."""
    from ..restatement import _WHOLE, _split

    counts = {"odd": 0, "slow": 0, "other": 0, "unplaced": 0}
    nk = len(acc.code_idx)
    misnamed: list[tuple[int, Any, Any, dict[str, Any]]] = []
    for r in s.sums_rows:
        if r[0] is None:
            continue  # blank lines
        cells = tuple(_cell(v) for v in r[:nk])
        decisions = [plan.decide(c) for c in cells]
        news = [d.single for d in decisions]
        if all(n is not None for n in news):
            counts["slow"] += bool(r[nk + 2])
        else:
            counts["unplaced"] += 1
        summed = acc.sums.get(cells[0] if nk == 1 else cells)
        if any(n is None for n in news) or summed is None:
            continue  # its rows went row by row
        n_fast, n_odd, n_other = r[-3:]
        counts["odd"] += n_odd or 0
        counts["other"] += n_other or 0
        values = dict(zip(plan.amount_cols, [summed] if not isinstance(summed, list) else summed))
        tally.add_input(values)
        tally.add_placed(news[0], {k: _split(v, _WHOLE)[0] for k, v in values.items()})  # type: ignore[arg-type]
        tally.count += n_fast or 0
        for j, d in enumerate(decisions):
            if d.misnamed is not None:
                misnamed.append((j, cells[j], cells, values))
    if misnamed:  # the first row of each, for the warning
        for j in sorted({m[0] for m in misnamed}):
            firsts = _first_rows(s, j, [m[1] for m in misnamed if m[0] == j])
            for k, cell, _, values in misnamed:
                if k == j:
                    tally.add_mismatch(plan.code_cols[j], cell, firsts.get(cell, 0), values)
    return counts


def _first_rows(s: Scan, j: int, cells: list[Any]) -> dict[Any, int]:
    """The first row the SQL summed of each of these cells of code column ``j`` (numbered: one ordered scan)."""
    backend = s.backend
    table = backend.keys(f"govcodes_named{j}", sorted(set(cells), key=repr))
    numbered = s.base(s.rel, False, numbered=True)
    found = backend.query(f"SELECT gc_k{j}, min(gc_n) FROM ({numbered}) w WHERE gc_fast AND gc_k{j} IN "
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
    nk = len(acc.code_idx)
    # per code column: its cells that go whole to one new code
    cells = [sorted({c for c in (_cell(r[j]) for r in s.sums_rows if r[0] is not None)
                     if isinstance(c, str) and c and plan.decide(c).single is not None}) for j in range(nk)]
    base = s.base(s.rel, False, numbered=False, cells=True, every_cell=True)
    starts = ", ".join(str(ord(c)) for c in FORMULA_START)
    code_at = {i: j for j, i in enumerate(acc.code_idx)}
    amount_j = {i: j for j, i in enumerate(acc.amount_idx)}
    fields = tally.fields()

    def lookup(j: int, values: list[str]) -> str:
        return (f"list_extract([{', '.join(d.string(v) for v in values)}], "
                f"enum_code(TRY_CAST(gc_k{j} AS {_ENUM}{j}))::INTEGER + 1)")

    opened = [s.backend]  # the scan's connection, used once; a new one for any later writing
    import weakref

    def write(out: IO[str], english: bool) -> bool:
        import shutil
        import tempfile

        from ..render import csv_text, header

        if not all(cells):
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
            orders = []
            for j in range(nk):
                backend.con.execute(f"CREATE OR REPLACE TYPE {_ENUM}{j} AS ENUM "
                                    f"({', '.join(d.string(c) for c in cells[j])})")
                orders.append([r[0] for r in backend.query(f"SELECT unnest(enum_range(NULL::{_ENUM}{j}))")])
            outs = []
            for i in range(len(acc.header)):
                if i in code_at:
                    j = code_at[i]
                    outs.append(lookup(j, [plan.decide(c).single for c in orders[j]]))  # type: ignore[misc]
                elif i in amount_j:
                    t = f"gc_t{amount_j[i]}"
                    outs.append(t if fen else f"CASE WHEN gc_x{amount_j[i]} THEN {t} WHEN {_printed(d, t, 'BIGINT')} "
                                              f"THEN {t} || '.00' ELSE {t} || '0' END")
                else:  # a formula neutralised, as render.safe_cell does
                    c = f"gc_c{i}"
                    outs.append(f"CASE WHEN ascii({c}) IN ({starts}) AND NOT {d.full_match(c, NUMBER)} "
                                f"THEN chr(39) || {c} ELSE {c} END")
            for j in range(nk):  # the old codes (a cell that is the old code: as it is)
                olds = [plan.decide(c).old for c in orders[j]]
                outs.append(f"gc_k{j}" if olds == orders[j] else lookup(j, olds))
            keep = ["gc_k0 IS NOT NULL"] + ([] if every_row else ["gc_fast"]) + \
                ([] if every_cell else [f"TRY_CAST(gc_k{j} AS {_ENUM}{j}) IS NOT NULL" for j in range(nk)])
            rows = f"SELECT * FROM ({base}) b WHERE {' AND '.join(keep)}"
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
