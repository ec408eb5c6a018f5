"""The SQL of the engines, generated once from the rollup's plan, and the scan that runs it.

Two queries, the same on every engine but for a few function names
(:class:`Dialect`: DuckDB's and Spark SQL's):

1. **sums by code cell**: ``SELECT k0[, k1], min(n), …, sum(CASE WHEN fast
   THEN CAST(amount AS DECIMAL(24, 6)) END) … GROUP BY k0[, k1]``, where
   ``fast`` says that govcodes would read the row exactly as the CAST does:
   the row fits the header, its amount cells match
   :data:`govcodes.money.SQL_PLAIN` (or are empty: zero), and (CSV read as
   lines) the line holds no quote and no carriage return;
2. **the other rows**: ``SELECT n, <cells>, fast … WHERE NOT fast OR k0 IN
   (the code cells govcodes could not place) ORDER BY n``, handed in order
   to :meth:`~govcodes.rollups.fast.Accumulator.slow`, the python engine's
   own handler of such rows.

Between them govcodes places each distinct code cell with the rollup's
:class:`~govcodes.rollups.placing.Placer` (in the order the cells first
occur, as the python engine does).  Both queries are plain SQL that DuckDB
and Spark SQL accept; only a regular-expression match, a float's
15-significant-digit text, splitting a line and quoting a name differ, in
:class:`Dialect`.  We chose generating these few strings over sqlglot or
Ibis: importing sqlglot alone costs 130 ms, a third of a million-row
rollup's time, and the two queries need no more than the four functions.
"""

from __future__ import annotations

import csv
import decimal
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..money import SQL_DECIMALS, SQL_DIGITS, SQL_PLAIN, exact

if TYPE_CHECKING:
    from ..readers.items import Items
    from ..rollups.fast import Accumulator

__all__ = ["Dialect", "DUCKDB", "SPARK", "Scan", "Relation", "Fallback"]

#: To give a sum the places of its amounts (it has no more: nothing is rounded).
_ROUNDING = decimal.Context(prec=80)
_NUMERIC = f"DECIMAL({SQL_DIGITS + SQL_DECIMALS}, {SQL_DECIMALS})"


class Dialect:
    """The few expressions in which DuckDB and Spark SQL differ."""

    name = "duckdb"

    def quote(self, name: str) -> str:
        """A column name as an identifier."""
        return '"' + name.replace('"', '""') + '"'

    def string(self, text: str) -> str:
        """A string literal."""
        return "'" + text.replace("'", "''") + "'"

    def full_match(self, expr: str, pattern: str) -> str:
        """True when the whole text matches ``pattern`` (RE2 / Java syntax alike)."""
        return f"regexp_full_match({expr}, {self.string(pattern)})"

    def float_text(self, expr: str) -> str:
        """A float's 15 significant digits as text (C's %.15g: trailing zeros dropped)."""
        return f"printf('%.15g', {expr})"

    def is_nan(self, expr: str) -> str:
        return f"isnan({expr})"

    def split(self, expr: str, delimiter: str) -> str:
        """The cells of a line split at ``delimiter`` (a list)."""
        return f"string_split({expr}, {self.string(delimiter)})"

    def element(self, expr: str, index: int) -> str:
        """The ``index``-th (1-based) element of a list."""
        return f"{expr}[{index}]"

    def size(self, expr: str) -> str:
        return f"len({expr})"

    def count_char(self, expr: str, char: str) -> str:
        """How many times ``char`` (one byte in UTF-8) is in the text."""
        return f"(strlen({expr}) - strlen(replace({expr}, {self.string(char)}, '')))"

    def length(self, expr: str) -> str:
        """The length of an ASCII text."""
        return f"strlen({expr})"

    def has_char(self, expr: str, char: str) -> str:
        return f"(instr({expr}, {self.string(char)}) > 0)"

    def cents(self, expr: str) -> str | None:
        """The text as an amount in fen, or NULL (:data:`govcodes.money.SQL_CENTS`: the text is it when
        this printed back is the text), to spare the regular expression in the common case; None: no such
        shortcut, every amount is matched."""
        return f"TRY_CAST({expr} AS DECIMAL(18, 2))"


class SparkDialect(Dialect):
    """Spark SQL's spelling of the same expressions."""

    name = "spark"

    def quote(self, name: str) -> str:
        return "`" + name.replace("`", "``") + "`"

    def string(self, text: str) -> str:
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def full_match(self, expr: str, pattern: str) -> str:
        return f"({expr} RLIKE {self.string('^(?:' + pattern + ')$')})"

    def float_text(self, expr: str) -> str:
        # Java's %.15g keeps trailing zeros (0.100000000000000): drop them, as C's %g does
        text = f"format_string('%.15g', {expr})"
        trimmed = f"regexp_replace(regexp_replace({text}, '0+$', ''), '[.]$', '')"
        return f"CASE WHEN instr({text}, '.') > 0 AND instr(lower({text}), 'e') = 0 THEN {trimmed} ELSE {text} END"

    def split(self, expr: str, delimiter: str) -> str:
        import re

        return f"split({expr}, {self.string(re.escape(delimiter))}, -1)"

    def element(self, expr: str, index: int) -> str:
        return f"element_at({expr}, {index})"

    def size(self, expr: str) -> str:
        return f"size({expr})"

    def count_char(self, expr: str, char: str) -> str:
        return f"(length({expr}) - length(replace({expr}, {self.string(char)}, '')))"

    def length(self, expr: str) -> str:
        return f"length({expr})"

    def cents(self, expr: str) -> str | None:
        return None  # (Spark's CAST of text to DECIMAL is not DuckDB's)


DUCKDB = Dialect()
SPARK = SparkDialect()


class Fallback(Exception):
    """The backend cannot read these items (nothing was summed): the python engine reads them."""


class Relation:
    """What a backend scans: SQL naming the rows, and how its columns are read.

    ``lines``: a CSV read one line a row (column ``line``, line number
    ``n``), split here with ``delimiter``.  Otherwise typed columns
    (``header``, with ``kinds``: string, int, decimal, float or other) and a
    row number ``n`` (for Spark, an increasing id: ``positions`` makes row
    numbers of it).
    """

    def __init__(self, sql: str, *, lines: bool, header: Sequence[str], kinds: Sequence[str] = (),
                 delimiter: str = ",", unnumbered: str | None = None, cells: str | None = None,
                 newline: str = "\n", path: str | None = None) -> None:
        self.sql = sql
        #: the UTF-8 file a CSV relation reads (the file, or its UTF-8 copy)
        self.path = path
        #: the line end of a CSV (the lines of a quoted cell that spans them are joined with it again)
        self.newline = newline
        #: a CSV without quotes and lone carriage returns: its cells as DuckDB's parser reads them (faster
        #: than splitting lines), columns gc_c0 … and a sentinel one past the header
        self.cells = cells
        #: the same rows without their numbers (numbering lines keeps a scan on one thread)
        self.unnumbered = unnumbered or sql
        self.lines = lines
        self.header = tuple(header)
        self.kinds = tuple(kinds)
        self.delimiter = delimiter


class Scan:
    """One rollup's rows read by a SQL backend into the python engine's accumulator."""

    def __init__(self, acc: Accumulator, items: Items, backend: Any) -> None:
        self.acc = acc
        self.items = items
        self.backend = backend
        self.d: Dialect = backend.dialect
        #: aggregates more, per code cell, after the sums (restate counts its rows with them)
        self.extra: list[str] = []
        #: a flag more, per row (``gc_odd``): an expression for the rows' kind of relation (``cells``: a CSV
        #: read by DuckDB's parser; ``lines``; ``typed``); None: none
        self.flag: Callable[[str], str] | None = None
        #: the sums by code cell as the scan ended
        self.sums_rows: list[Any] = []
        #: two code columns are a crossed table (rows by the first, columns by the economic cells of the
        #: second: summed by column); restate keeps the pairs of cells
        self.crossed = True

    # -- the queries -----------------------------------------------------------------------
    def base(self, rel: Relation, quoted_lines: bool, numbered: bool = True, cells: bool = False,
             every_cell: bool = False) -> str:
        """The rows with their code cells ``k0…``, amount texts ``t0…``, name ``nm`` and ``fast``.

        A CSV's rows are lines (split here), or, for the first query on a file without quotes and lone
        carriage returns, the cells of DuckDB's own parser (``cells``): the same cells, an empty one
        NULL, a row of more cells than the header with its sentinel column set.  In both, a row is
        ``fast`` only with its code cells and amounts present and not empty: the same rows either way.
        """
        d, acc = self.d, self.acc
        nm = len(acc.amount_idx)
        amount_ok = [f"({t} = '' OR {d.full_match(t, SQL_PLAIN)})" for t in (f"gc_t{i}" for i in range(nm))]
        #: text amounts in fen are recognised by a CAST printed back (gc_x, the value gc_v), the others by
        #: the regular expression
        self.cents = rel.lines and d.cents("x") is not None
        if rel.lines:
            amount_ok = [d.full_match(f"gc_t{i}", SQL_PLAIN) for i in range(nm)]
            if self.cents:
                amount_ok = [f"CASE WHEN gc_x{i} THEN true ELSE {ok} END" for i, ok in enumerate(amount_ok)]
            present = "IS NOT NULL" if cells else "<> ''"  # (DuckDB's parser reads an empty cell as NULL)
            keys_ok = [f"gc_k{j} {present}" for j in range(len(acc.code_idx))]
        cents = "".join(f", {d.cents(f'gc_t{i}')} AS gc_v{i}" for i in range(nm)) if self.cents else ""
        printed = "".join(f", coalesce(CAST(gc_v{i} AS VARCHAR) = gc_t{i}, false) AS gc_x{i}"
                          for i in range(nm)) if self.cents else ""
        mode = ("cells" if cells else "lines") if rel.lines else "typed"
        flag = f", {self.flag(mode)} AS gc_odd" if self.flag is not None else ""
        if rel.lines and cells:
            cols = [f"gc_c{i} AS gc_k{j}" for j, i in enumerate(acc.code_idx)]
            cols += [f"gc_c{i} AS gc_t{j}" for j, i in enumerate(acc.amount_idx)]
            if every_cell:  # every cell of the row kept too, as gc_c0 … (what restate writes of it)
                cols += [f"gc_c{i}" for i in range(acc.width)]
            fast = f"coalesce(gc_c{acc.width} IS NULL AND " + " AND ".join(keys_ok + amount_ok) + ", false)"
            inner = f"SELECT gc_n, gc_c{acc.width}, {', '.join(cols)} FROM ({rel.cells}) c"
            if self.cents:
                inner = f"SELECT *{printed} FROM (SELECT *{cents} FROM ({inner}) v) x"
            return f"SELECT * EXCLUDE (gc_c{acc.width}), {fast} AS gc_fast{flag} FROM ({inner}) c"
        if rel.lines:
            delim = rel.delimiter
            cell = lambda i: d.element("gc_s", i + 1)  # noqa: E731
            needed = max(acc.code_idx + acc.amount_idx) + 1
            cols = [f"{cell(i)} AS gc_k{j}" for j, i in enumerate(acc.code_idx)]
            cols += [f"{cell(i)} AS gc_t{j}" for j, i in enumerate(acc.amount_idx)]
            if acc.name_idx is not None:
                cols.append(f"{cell(acc.name_idx)} AS gc_nm")
            cols.append(f"{d.size('gc_s')} AS gc_w")
            special = f"({d.has_char('gc_line', chr(34))} OR {d.has_char('gc_line', chr(13))})"
            source = rel.sql if numbered or quoted_lines else rel.unnumbered
            split = f"SELECT gc_n, gc_line, {d.split('gc_line', delim)} AS gc_s FROM ({source}) src"
            inner = f"SELECT gc_n, gc_line, {', '.join(cols)} FROM ({split}) s"
            if self.cents:
                inner = f"SELECT *{printed} FROM (SELECT *{cents} FROM ({inner}) v) x"
            if quoted_lines:  # a line inside a quoted cell that spans lines (it may hold no quote): as the csv
                # module reads the file (:func:`_continuations`), in the table govcodes_inq
                inner = f"SELECT *, gc_n IN (SELECT k FROM govcodes_inq) AS gc_inq FROM ({inner}) a"
                special = f"({special} OR gc_inq)"
            fast = (f"coalesce(gc_line IS NOT NULL AND NOT {special} AND gc_w <= {acc.width} AND gc_w >= {needed} AND "
                    + " AND ".join(keys_ok + amount_ok) + ", false)")
            return f"SELECT *, {fast} AS gc_fast{flag} FROM ({inner}) b"
        cols = []
        nonnull = []
        for j, i in enumerate(acc.code_idx):
            name = d.quote(rel.header[i])
            cols.append(f"{name} AS gc_k{j}")
            nonnull.append(f"{name} IS NOT NULL" + (f" AND NOT {d.is_nan(name)}" if rel.kinds[i] == "float" else ""))
        for j, i in enumerate(acc.amount_idx):
            cols.append(f"{self._amount_text(d.quote(rel.header[i]), rel.kinds[i])} AS gc_t{j}")
        if acc.name_idx is not None:
            cols.append(f"CAST({d.quote(rel.header[acc.name_idx])} AS STRING) AS gc_nm")
        everything = ", ".join(d.quote(h) for h in rel.header)
        inner = f"SELECT gc_n, {everything}, {', '.join(cols)} FROM ({rel.sql}) src"
        fast = "coalesce(" + " AND ".join(nonnull + amount_ok) + ", false)"
        return f"SELECT *, {fast} AS gc_fast{flag} FROM ({inner}) b"

    def _amount_text(self, col: str, kind: str) -> str:
        """The text of a typed amount cell as govcodes reads it (NULL, NaN: empty, which is zero)."""
        d = self.d
        text_type = "STRING"
        if kind == "string":
            return f"coalesce({col}, '')"
        if kind in ("int", "decimal"):
            return f"coalesce(CAST({col} AS {text_type}), '')"
        if kind == "float":
            return f"CASE WHEN {col} IS NULL OR {d.is_nan(col)} THEN '' ELSE {d.float_text(col)} END"
        return "'?'"  # any other type: govcodes reads it (and reports it) row by row

    def sums_query(self, base: str, *, raw: bool = False, pairs: bool = False) -> str:
        """Sums by code cell(s) of the rows of ``base``; ``pairs``: of the sums by pair of cells that
        ``raw=True`` gives (the partial aggregates, before the fen and the other amounts are added)."""
        acc = self.acc
        keys = [f"gc_k{j}" for j in range(len(acc.code_idx))]
        if pairs:
            sel = [*keys, "min(first) AS first", "min(first_fast) AS first_fast", "bool_or(slow) AS slow"]
        else:
            numbered = "min(gc_n) AS first, min(CASE WHEN gc_fast THEN gc_n END) AS first_fast" if self.numbered \
                else "CAST(NULL AS BIGINT) AS first, CAST(NULL AS BIGINT) AS first_fast"  # (no names to find: the first lines do not matter)
            sel = [*keys, numbered, "bool_or(NOT gc_fast) AS slow"]  # (whether any row is left over)
        outer = [*keys, "first", "first_fast", "slow"]
        for j in range(len(acc.amount_idx)):
            value = f"CAST(CASE WHEN gc_t{j} = '' THEN '0' ELSE gc_t{j} END AS {_NUMERIC})"
            places = f"CASE WHEN instr(gc_t{j}, '.') > 0 THEN {self.d.length(f'gc_t{j}')} - instr(gc_t{j}, '.') ELSE 0 END"
            if not self.cents:
                if pairs:
                    sel += [f"sum(s{j}) AS s{j}", f"max(p{j}) AS p{j}"]
                else:
                    sel.append(f"sum(CASE WHEN gc_fast THEN {value} END) AS s{j}")
                    sel.append(f"max(CASE WHEN gc_fast THEN {places} END) AS p{j}")
                outer += [f"s{j}", f"p{j}"]
                continue
            # the amounts in fen (two places) and the others (their places), summed apart, then together
            if pairs:
                sel += [f"sum(c{j}) AS c{j}", f"sum(o{j}) AS o{j}", f"max(q{j}) AS q{j}"]
            else:
                sel.append(f"sum(CASE WHEN gc_fast AND gc_x{j} THEN gc_v{j} END) AS c{j}")
                sel.append(f"sum(CASE WHEN gc_fast AND NOT gc_x{j} THEN {value} END) AS o{j}")
                sel.append(f"max(CASE WHEN gc_fast AND NOT gc_x{j} THEN {places} END) AS q{j}")
            outer.append(f"CASE WHEN c{j} IS NULL AND o{j} IS NULL THEN NULL ELSE coalesce(c{j}, 0) + coalesce(o{j}, 0) "
                         f"END AS s{j}")
            outer.append(f"CASE WHEN o{j} IS NULL THEN CASE WHEN c{j} IS NULL THEN NULL ELSE 2 END "
                         f"ELSE greatest(q{j}, CASE WHEN c{j} IS NULL THEN 0 ELSE 2 END) END AS p{j}")
        if acc.name_idx is not None:  # (never crossed: names are read without an edition, crossed with one)
            named = "gc_fast AND gc_nm IS NOT NULL AND trim(gc_nm) <> ''"
            sel.append(f"min(CASE WHEN {named} THEN gc_n END) AS name_line")
            sel.append(f"min_by(CASE WHEN {named} THEN trim(gc_nm) END, CASE WHEN {named} THEN gc_n "
                       f"ELSE 9223372036854775807 END) AS name")
            outer += ["name_line", "name"]
        if not pairs and not raw:
            sel += [f"{e} AS gc_e{i}" for i, e in enumerate(self.extra)]
            outer += [f"gc_e{i}" for i in range(len(self.extra))]
        group = ", ".join(str(i + 1) for i in range(len(keys)))
        sums = f"SELECT {', '.join(sel)} FROM ({base}) q GROUP BY {group}"
        return f"SELECT {', '.join(outer)} FROM ({sums}) g" if self.cents and not raw else sums

    def _aggregates(self) -> list[str]:
        """The columns of the partial sums :meth:`sums_query` gives with ``raw=True``, after the keys."""
        names = ["first", "first_fast", "slow"]
        for j in range(len(self.acc.amount_idx)):
            names += [f"c{j}", f"o{j}", f"q{j}"] if self.cents else [f"s{j}", f"p{j}"]
        return names

    def rows_query(self, base: str, rel: Relation, bad: Sequence[str]) -> str:
        d = self.d
        cells = "gc_line" if rel.lines else ", ".join(d.quote(h) for h in rel.header)
        keys = ", ".join(f"gc_k{j}" for j in range(len(self.acc.code_idx)))
        where = ["NOT gc_fast"] + [f"gc_k{j} IN (SELECT k FROM {name})" for j, name in enumerate(bad) if name]
        # blank lines are no items; but inside a quoted cell (gc_inq), a blank line is part of the cell
        present = " AND (gc_line IS NOT NULL OR gc_inq)" if "gc_inq" in base else " AND gc_line IS NOT NULL"
        cond = f"({' OR '.join(where)})" + (present if rel.lines else "")
        return f"SELECT gc_n, gc_fast, {keys}, {cells} FROM ({base}) r WHERE {cond} ORDER BY gc_n"

    # -- the scan ----------------------------------------------------------------------------
    def run(self) -> None:
        self.start()
        self.finish()

    def start(self) -> None:
        """Run the first query in a thread (the backend releases the GIL): govcodes loads the edition meanwhile."""
        import threading

        self._related = threading.Event()
        if hasattr(self.backend, "open"):  # importing the engine needs the GIL: before the edition loads
            try:
                self.backend.open()
            except Exception as exc:  # noqa: BLE001 - the python engine reads the items then
                self.error: BaseException | None = exc
                self._related.set()
                self._thread = threading.Thread(target=lambda: None)
                self._thread.start()
                return
        self._thread = threading.Thread(target=self._first, daemon=True)
        self._thread.start()

    def _first(self) -> None:
        try:  # nothing is summed yet: what the backend cannot read, the python engine reads
            backend = self.backend
            try:
                self.rel = backend.relation(self.items, self.acc)
            finally:
                self._related.set()  # what the relation assumes of the file can be verified from now on
            # the first line of each code cell matters only for the names printed with the items
            self.numbered = any(p.edition is None for p in self.acc.placers)
            self.cells = self.rel.cells is not None and not self.numbered
            self.base_sql = self.base(self.rel, False, self.numbered, self.cells)
            # crossed: the economic cells are placed first, and the rows summed by economic column
            # (a few per 项), not by pair of cells (up to a hundred per 项)
            self.columns = self.crossed and len(self.acc.code_idx) == 2 and not self.numbered
            self.left_over = False
            if self.columns:
                self.sums = self._pairs(self.base_sql)
            else:
                self.sums = backend.query(self.sums_query(self.base_sql))
            self.error = None
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that waits
            self.error = exc

    def finish(self) -> None:
        """Wait for the first query, place the code cells, and hand the other rows to the python engine."""
        verify = getattr(self.backend, "verify", None)
        self._related.wait()
        plain = verify() if verify is not None else True  # (the file's rest read while the query runs)
        self._thread.join()
        if not plain and self.error is None:  # the file holds quotes or carriage returns after all: again
            self._first()
        if self.error is not None:
            raise Fallback(str(self.error)) from self.error
        acc, backend, rel, base, sums = self.acc, self.backend, self.rel, self.base_sql, self.sums
        nk, nm = len(acc.code_idx), len(acc.amount_idx)
        bad: list[set[Any]] = [set() for _ in range(nk)]
        if self.columns:
            sums = self._by_column(sums, bad[1])
        # a line with a quote is never summed (so it shows among the rows left over), but a line inside a
        # quoted cell may look like an item: when the file has quotes, mark the lines they span
        left_over = any(r[nk + 2] for r in sums) or any(bad) or self.left_over
        self._inq: set[int] = set()
        if rel.lines and not self.cells and left_over and rel.path is not None and backend.query(
                f"SELECT count(*) FROM ({rel.unnumbered}) q WHERE {self.d.has_char('gc_line', chr(34))}")[0][0]:
            self._inq = set(_continuations(rel.path, rel.delimiter))
            if self._inq:  # lines inside quoted cells: summed as rows by the first query, again without them
                backend.keys("govcodes_inq", sorted(self._inq))
                base = self.base(rel, True)
                sums = self._by_column(self._pairs(base), bad[1]) if self.columns \
                    else backend.query(self.sums_query(base))
        sums.sort(key=lambda r: (r[nk] is None, r[nk] or 0))
        self.sums_rows = sums
        names: dict[str, tuple[int, str]] = {}
        with exact():
            for r in sums:
                raw = r[:nk]
                if rel.lines and raw[0] is None:
                    continue  # blank lines
                first_fast = r[nk + 1]
                cells = tuple(_cell(v) for v in raw)
                placed = []
                for placer, cell in zip(acc.placers, cells):
                    where = placer.place(cell)
                    if not isinstance(where, tuple):
                        break
                    placed.append(where)
                key = cells[0] if nk == 1 else cells
                if len(placed) < nk:
                    j = len(placed)  # the cell that could not be placed
                    if _cell(raw[j]) == raw[j]:
                        bad[j].add(raw[j])
                    continue
                if r[nk + 3] is None:  # no row of this code cell was summed by the SQL
                    continue
                values = []
                for j in range(nm):
                    s, places = r[nk + 3 + 2 * j], r[nk + 4 + 2 * j]
                    value = Decimal(0) if s is None else Decimal(s)
                    # as many places as the most of the amounts had, as the python engine's sum has
                    values.append(value.quantize(Decimal(1).scaleb(-int(places or 0)), context=_ROUNDING))
                if nm == 1:
                    acc.sums[key] = acc.sums.get(key, Decimal(0)) + values[0]
                    acc.cents.setdefault(key, 0)
                else:
                    old = acc.sums.get(key)
                    acc.sums[key] = values if old is None else [a + b for a, b in zip(old, values)]
                if self.numbered and (acc.name_idx is not None or any(p[1] for p in placed)):
                    self._names(names, placed, first_fast, r, nk, nm)
        self._first_lines(base, rel, sums, nk)
        for placer in acc.placers:  # the python engine's row handler places them again, in the file's order
            for cells_of_bad in bad[acc.placers.index(placer)]:
                placer.cache.pop(_cell(cells_of_bad), None)
            placer.suggested = 0
        tables = [backend.keys(f"govcodes_bad{j}", sorted(b, key=repr)) if b else "" for j, b in enumerate(bad)]
        slow_lines: dict[str, int] = {}
        rows: list[Any] = []
        if any(r[nk + 2] for r in sums) or any(bad) or self.left_over:
            rows = self._other_rows(base, rel, tables)
        if rows:
            with exact():  # as the python engine sums them: wide amounts exact (not the default 28 digits)
                self._slow(rows, rel, bad, slow_lines)
        for code, (line, name) in names.items():  # a name first printed on a row the SQL summed
            if code not in acc.names or line < slow_lines.get(code, line + 1):
                acc.names[code] = name

    def _first_lines(self, base: str, rel: Relation, sums: Sequence[Any], nk: int) -> None:
        """The first row of each code cell printed with another code's name (for the warning), as the
        python engine records it: from the first query when it numbered its rows, else looked up (rare)."""
        acc = self.acc
        warned: list[list[Any]] = [[] for _ in range(nk)]
        for r in sums:
            raw = r[:nk]
            cells = tuple(_cell(v) for v in raw)
            key = cells[0] if nk == 1 else cells
            for j, (placer, cell) in enumerate(zip(acc.placers, cells)):
                if cell in placer.warnings and key not in acc.first:
                    if self.numbered and r[nk] is not None:
                        acc.first[key] = r[nk]
                    else:
                        warned[j].append(raw[j])
        if not any(warned):
            return
        numbered = self.base(rel, False, numbered=True)
        for j, raws in enumerate(warned):
            if not raws:
                continue
            table = self.backend.keys(f"govcodes_warned{j}", sorted(set(raws), key=repr))
            keys = ", ".join(f"gc_k{i}" for i in range(nk))
            for found in self.backend.query(f"SELECT {keys}, min(gc_n) FROM ({numbered}) w "
                                            f"WHERE gc_k{j} IN (SELECT k FROM {table}) GROUP BY {keys}"):
                cells = tuple(_cell(v) for v in found[:nk])
                acc.first.setdefault(cells[0] if nk == 1 else cells, found[nk])

    def _other_rows(self, base: str, rel: Relation, tables: Sequence[str]) -> list[Any]:
        """The rows the first query did not sum, with their numbers, in order."""
        backend = self.backend
        if not rel.lines or rel.unnumbered == rel.sql or "gc_inq" in base:
            return backend.query(self.rows_query(base, rel, tables))
        # lines: find them on all threads (by their text), then number them in one ordered scan
        unnumbered = self.base(rel, False, numbered=False)
        query = self.rows_query(unnumbered, rel, tables).replace("SELECT gc_n, ", "SELECT DISTINCT ", 1)
        query = query.rsplit(" ORDER BY ", 1)[0]
        found = backend.query(query)
        if not found:
            return []
        nk = len(self.acc.code_idx)
        by_line = {r[-1]: r[:-1] for r in found}
        backend.keys("govcodes_lines", list(by_line))
        numbered = backend.query(f"SELECT gc_n, gc_line FROM ({rel.sql}) n WHERE gc_line IN "
                                 f"(SELECT k FROM govcodes_lines) ORDER BY gc_n")
        return [(n, *by_line[line][: 1 + nk], line) for n, line in numbered]

    def _names(self, names: dict[str, tuple[int, str]], placed: list[Any], line: int, r: Sequence[Any],
               nk: int, nm: int) -> None:
        """The names printed with the code cells (or in the name column) on the SQL's rows, by first line."""
        code, printed = placed[0]
        at = line
        if not printed and self.acc.name_idx is not None:
            at, printed = r[nk + 3 + 2 * nm], r[nk + 4 + 2 * nm]
        if printed and (code not in names or at < names[code][0]):
            names[code] = (at, printed)
        if len(placed) > 1:
            ecode, ename = placed[1]
            if ename and (ecode not in names or line < names[ecode][0]):
                names[ecode] = (line, ename)

    def _pairs(self, base: str) -> list[Any]:
        """Crossed: the rows summed by pair of cells, in one scan, kept in the engine (``govcodes_pairs``);
        returns the distinct economic cells, each with whether any of its rows is left over."""
        self.backend.table("govcodes_pairs", self.sums_query(base, raw=True))
        return self.backend.query("SELECT gc_k1, bool_or(slow) FROM govcodes_pairs "
                                  "GROUP BY 1")

    def _by_column(self, cells: list[Any], bad: set[Any]) -> list[Any]:
        """The sums by row code cell and economic column (crossed): the economic cells placed, then the sums
        by pair of cells (:meth:`_pairs`) summed again by the column each economic cell stands in."""
        acc, backend = self.acc, self.backend
        # rows left over anywhere (an economic cell that is empty or not placed drops out of the join)
        self.left_over = any(r[1] for r in cells)
        placer, limit = acc.placers[1], acc.column_width
        first: dict[str, Any] = {}
        pairs = []
        for raw, _ in sorted(cells, key=lambda r: repr(r[0])):
            where = placer.place(_cell(raw))
            if not isinstance(where, tuple):
                if raw is not None and _cell(raw) == raw:
                    bad.add(raw)
                continue
            pairs.append((raw, first.setdefault(where[0][:limit], raw)))  # one cell stands for its column
        if not pairs:
            return []
        table = backend.pairs("govcodes_columns", pairs)
        joined = (f"SELECT gc_k0, m.r AS gc_k1, {', '.join(self._aggregates())} FROM govcodes_pairs b "
                  f"JOIN {table} m ON b.gc_k1 = m.k")
        return backend.query(self.sums_query(joined, pairs=True))

    def _slow(self, rows: list[Any], rel: Relation, bad: list[set[Any]], slow_lines: dict[str, int]) -> None:
        """The rows the SQL did not sum, in order, through the python engine's row handler."""
        acc = self.acc
        nk = len(acc.code_idx)
        numbers = self.backend.positions([r[0] for r in rows])
        run: list[tuple[int, str]] = []
        inq = getattr(self, "_inq", set())

        def handle(cells: list[Any], line: int) -> None:
            before = set(acc.names)
            acc.slow(cells, line)
            for code in acc.names.keys() - before:
                slow_lines[code] = line

        def flush() -> None:
            if not run:
                return
            start = run[0][0]
            text = rel.newline.join(line for _, line in run) + rel.newline
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=rel.delimiter)
            for cells in reader:
                handle(cells, start + reader.line_num - 1)
            run.clear()

        for r in rows:
            n, fast = numbers[r[0]], r[1]
            raw = r[2:2 + nk]
            if fast and all(v not in b for v, b in zip(raw, bad)):
                continue  # summed by the SQL (fetched as one of its code cells is another row's bad one)
            if rel.lines:
                line = r[2 + nk]
                if n in inq and run:  # a line inside a quoted cell: part of the record begun above
                    run.append((n, line or ""))
                    continue
                flush()
                if line is None:
                    continue  # a blank line
                if '"' in line or "\r" in line:
                    run.append((n, line))  # the csv module reads it (and the lines its cell spans)
                    continue
                handle(line.split(rel.delimiter), n)
            else:
                handle([_cell(v) for v in r[2 + nk:]], n)
        if run:  # a quoted cell open to the end: the blank lines at the end too (which DuckDB does not give)
            run.extend((k, "") for k in sorted(inq) if k > run[-1][0])
        flush()


def _continuations(path: str, delimiter: str) -> list[int]:
    """The lines of a CSV file (UTF-8) that lie inside a quoted cell begun on a line above, as the csv module,
    the python engine's reader, reads it (a quote in the middle of an unquoted cell opens nothing)."""
    out: list[int] = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        last = 0
        try:
            for _ in reader:
                if reader.line_num - last > 1:
                    out.extend(range(last + 2, reader.line_num + 1))
                last = reader.line_num
        except csv.Error:
            raise Fallback("the csv module cannot read the file") from None
    return out


def _cell(value: Any) -> Any:
    """A typed cell as govcodes' DataFrame reader gives it: None and NaN are empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value
