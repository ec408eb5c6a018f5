"""The duckdb engine's backend: a DuckDB connection in this process.

A CSV file is read one line a row (``read_csv`` with no quote and no
delimiter, ``WITH ORDINALITY``), so that every row keeps the file's line
number and the cells are split exactly as the python engine splits them;
a file in another encoding than UTF-8 (GB18030 …) is first written to a
temporary UTF-8 copy.  Parquet is read with its row numbers
(``file_row_number``); pandas and polars DataFrames and Arrow tables are
scanned in place (through Arrow), numbered from 1 as the python engine
numbers them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..frames import need
from .sql import DUCKDB, Relation

if TYPE_CHECKING:
    from ..readers.items import Items

__all__ = ["DuckBackend", "NotForDuckDB"]

_UTF8 = frozenset({"utf-8", "utf-8-sig", "ascii"})


class NotForDuckDB(Exception):
    """The input is not one DuckDB reads (a workbook, JSON lines, mappings): the python engine reads it."""


class Identity:
    """Row numbers are the scan's own numbers."""

    def __getitem__(self, n: int) -> int:
        return n


class DuckBackend:
    """Runs the engines' SQL (:mod:`govcodes.engines.sql`) in DuckDB."""

    dialect = DUCKDB

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads
        self.con: Any = None
        self._temporary: list[str] = []
        #: a CSV file whose first MiB holds no quote, carriage return or NUL is assumed to hold none
        #: (its cells are then split by DuckDB's own parser); :meth:`verify` checks the rest
        self.assume_plain = True
        #: the file whose rest is still to check
        self.unverified: str | None = None

    def verify(self) -> bool:
        """True when what :meth:`relation` assumed of a CSV file holds: no quote, carriage return or NUL
        anywhere (run while the first query runs; on False, the relation is made again, the file counted)."""
        path, self.unverified = self.unverified, None
        if path is None or not _has_special(path):
            return True
        self.assume_plain = False
        return False

    def open(self) -> None:
        try:  # the C extension itself: its Python package adds a relational API govcodes does not use (~90 ms)
            import _duckdb as duckdb
        except ImportError:  # DuckDB 1.x, whose extension is duckdb.duckdb
            import duckdb  # type: ignore[no-redef]

        self.duckdb = duckdb
        self.con = duckdb.connect(config={"threads": self.threads} if self.threads else {})
        self.con.execute("SET enable_progress_bar = false")

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None
        for path in self._temporary:
            try:
                os.unlink(path)
            except OSError:
                pass

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        try:  # (no parameters, no prepared statement: a prepared COPY loses the rows' order)
            return (self.con.execute(sql, params) if params else self.con.execute(sql)).fetchall()
        except self.duckdb.Error as exc:
            raise InputError(f"duckdb could not read the items: {str(exc).splitlines()[0]}") from None

    def table(self, name: str, sql: str) -> str:
        """A temporary table ``name`` of what the query gives (kept in the engine, not fetched)."""
        try:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
        except self.duckdb.Error as exc:
            raise InputError(f"duckdb could not read the items: {str(exc).splitlines()[0]}") from None
        return name

    def keys(self, name: str, values: Sequence[Any]) -> str:
        """A temporary table ``name(k)`` of the values (the code cells govcodes could not place)."""
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT unnest(?) AS k", [list(values)])
        return name

    def pairs(self, name: str, pairs: Sequence[tuple[Any, Any]]) -> str:
        """A temporary table ``name(k, r)``: each economic cell and the cell that stands for its column."""
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT unnest(?) AS k, unnest(?) AS r",
                         [[k for k, _ in pairs], [r for _, r in pairs]])
        return name

    def positions(self, numbers: Sequence[int]) -> Identity:
        return Identity()

    # -- what is scanned -----------------------------------------------------------------
    def relation(self, items: Items, acc: Any) -> Relation:
        src = items.source
        if items.format == "csv" and src is not None and src.path is not None:
            return self._lines(items)
        if items.format == "parquet" and src is not None and src.path is not None:
            path = self.dialect.string(src.path)
            sql = f"SELECT *, file_row_number + 1 AS gc_n FROM read_parquet({path}, file_row_number = true)"
            described = self.con.execute(f"DESCRIBE SELECT * FROM read_parquet({path})").fetchall()
            kinds = dict((row[0], _kind(str(row[1]))) for row in described)
            return Relation(sql, lines=False, header=items.header, kinds=[kinds.get(h, "other") for h in items.header])
        if items.frame is not None:
            table = arrow_of(items.frame, items.header)
            pa = need("pyarrow", "arrow")
            table = table.append_column("gc_n", pa.array(range(1, table.num_rows + 1), pa.int64()))
            self.con.register("govcodes_items", table)
            return Relation("SELECT * FROM govcodes_items", lines=False, header=items.header,
                            kinds=[_arrow_kind(pa, f.type) for f in table.schema][:len(items.header)])
        raise NotForDuckDB(items.format)

    def _lines(self, items: Items) -> Relation:
        src = items.source
        assert src is not None and src.path is not None
        import codecs

        path = src.path
        encoding = codecs.lookup(src.encoding or "utf-8").name
        if encoding not in _UTF8:
            path = self._utf8_copy(src.path, src.encoding or "utf-8")
        if not self.assume_plain or _special(_head(path)):
            quotes, returns, crlf, feeds, nuls = _count(path)
        else:  # nothing special in the first MiB: assume none further on, and verify() while the query runs
            quotes = returns = crlf = feeds = nuls = 0
            self.unverified = path
        if nuls:
            raise NotForDuckDB("NUL characters")  # the python engine says what they are
        if returns != crlf or (crlf and crlf != feeds):
            # a lone CR, or CR LF and LF mixed: the python engine reads the file (DuckDB would number it otherwise)
            raise NotForDuckDB("mixed line ends")
        newline = "\\r\\n" if crlf else "\\n"
        options = (f"header = false, auto_detect = false, quote = '', escape = '', comment = '', "
                   f"new_line = '{newline}', skip = {items.header_line}, strict_mode = false, encoding = 'utf-8'")
        scan = (f"read_csv({self.dialect.string(path)}, columns = {{'line': 'VARCHAR'}}, delim = chr(0), {options})")
        cells = None
        delimiter = src.delimiter or ","
        if not quotes and returns == crlf:  # DuckDB's parser splits every line as str.split would
            width = max(items.width, len(items.header))
            columns = ", ".join(f"'gc_c{i}': 'VARCHAR'" for i in range(width + 1))
            cells = (f"SELECT CAST(NULL AS BIGINT) AS gc_n, * FROM read_csv({self.dialect.string(path)}, "
                     f"columns = {{{columns}}}, delim = {self.dialect.string(delimiter)}, null_padding = true, "
                     f"{options})")
        return Relation(f"SELECT {items.header_line} + ordinality AS gc_n, line AS gc_line FROM {scan} WITH ORDINALITY",
                        unnumbered=f"SELECT CAST(NULL AS BIGINT) AS gc_n, line AS gc_line FROM {scan}",
                        lines=True, header=items.header, delimiter=delimiter, cells=cells,
                        newline="\r\n" if crlf else "\n", path=path)

    def _utf8_copy(self, path: str, encoding: str) -> str:
        """A temporary UTF-8 copy of a text file (read in pieces: memory stays flat)."""
        import codecs
        import tempfile

        fd, out = tempfile.mkstemp(suffix=".csv", prefix="govcodes-")
        self._temporary.append(out)
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        with open(path, "rb") as fh, os.fdopen(fd, "wb") as dst:
            while True:
                block = fh.read(1 << 20)
                text = decoder.decode(block, final=not block)
                dst.write(text.encode("utf-8"))
                if not block:
                    break
        return out


def _head(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(1 << 20)


def _special(data: bytes) -> bool:
    """True when the bytes hold a quote, a carriage return or a NUL."""
    return b'"' in data or b"\r" in data or b"\x00" in data


def _has_special(path: str) -> bool:
    """:func:`_special` of the whole file: read a MiB at a time into one buffer, each piece searched while it
    is in the processor's cache (memory stays flat)."""
    buffer = bytearray(1 << 20)
    with open(path, "rb", buffering=0) as fh:
        while True:
            n = fh.readinto(buffer)
            if not n:
                return False
            if _special(buffer if n == len(buffer) else buffer[:n]):
                return True


def _count(path: str) -> tuple[int, int, int, int, int]:
    """Whether the file holds quotes, how many carriage returns, CR LF pairs and line feeds (only counted
    when there are carriage returns), whether it holds NUL characters; read in pieces, at memory speed."""
    quotes = returns = crlf = feeds = nuls = 0
    last = b""
    with open(path, "rb") as fh:
        while True:
            block = fh.read(1 << 24)
            if not block:
                break
            quotes += b'"' in block  # (found at memchr speed; only whether there are any matters)
            nuls += b"\x00" in block
            if b"\r" in block or last == b"\r":  # line ends are counted only in a file with carriage returns
                returns += block.count(b"\r")
                feeds += block.count(b"\n")
                crlf += block.count(b"\r\n") + (last == b"\r" and block[:1] == b"\n")
            last = block[-1:]
    return quotes, returns, crlf, feeds, nuls


def arrow_of(frame: Any, header: Sequence[str]) -> Any:
    """A pandas or polars DataFrame or an Arrow table as an Arrow table with the header's column names."""
    pa = need("pyarrow", "arrow")
    module = type(frame).__module__.split(".", 1)[0]
    try:
        if module == "pandas":
            table = pa.Table.from_pandas(frame, preserve_index=False)
        elif module == "polars":
            table = frame.to_arrow()
        else:
            table = frame if isinstance(frame, pa.Table) else pa.table(frame)
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise NotForDuckDB(str(exc)) from None
    return table.rename_columns(list(header))


def _arrow_kind(pa: Any, t: Any) -> str:
    if pa.types.is_string(t) or pa.types.is_large_string(t) or getattr(pa.types, "is_string_view", lambda _: False)(t):
        return "string"
    if pa.types.is_integer(t):
        return "int"
    if pa.types.is_decimal(t):
        return "decimal"
    if pa.types.is_floating(t):
        return "float"
    return "other"


def _kind(sql_type: str) -> str:
    t = sql_type.upper()
    if t == "VARCHAR":
        return "string"
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"):
        return "int"
    if t.startswith("DECIMAL"):
        return "decimal"
    if t in ("FLOAT", "DOUBLE", "REAL"):
        return "float"
    return "other"
