"""Summing line items fast, exactly, and without losing one (the pure-Python engine's loops).

Each row is tried on a fast path: a code cell seen before, and an amount
the money grammar's fast patterns take (:data:`govcodes.money.FEN`: plain
amounts with two decimals, summed as integer fen; :data:`govcodes.money.PLAIN`:
other plain decimals, summed as Decimals).  Anything else — a code not
seen before, a sign, separators, a bad value, a row of the wrong width —
goes to :meth:`Accumulator.slow`, which parses the row fully with
:func:`govcodes.money.parse_amount`, places each distinct code cell once and
reports what cannot be placed.  No row is ever handled twice or skipped.

A CSV file read by path with one code and one amount column is read as
bytes (the only code that reads a file a second time): lines are split
without decoding (``,``, ``.``, digits and line ends are single bytes in
every encoding taken), and a big file is read in two processes where
``os.fork`` exists, the second half in a child that sends back its sums.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import signal
from collections.abc import Sequence
from decimal import Decimal
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..money import DECIMAL_EXPONENTS, FEN, FEN_BYTES, FEN_WIDTH, INT_LIMIT, INT_NOISE, PLAIN, exact, parse_amount
from ..readers.items import MISSING, blank_cell
from ..readers.source import Rows, reading
from ..readers.vocabulary import is_total_label
from .result import Problem

if TYPE_CHECKING:
    from ..readers.items import Items
    from .placing import Placer

__all__ = ["Accumulator"]

_ZERO = Decimal(0)
#: Encodings in which the bytes of ",", tab, ";", '"', ".", CR and LF never occur inside a
#: multibyte character, so that lines, cells and plain amounts can be found without decoding.
_BYTE_SAFE = frozenset({"utf-8", "utf-8-sig", "ascii", "gb18030", "gbk", "gb2312"})
#: Bytes read at a time by the bytes path (its memory does not grow with the file).
_CHUNK = 1 << 18
#: Below this many bytes after the header, a file is read in one process.
_PARALLEL_BYTES = 1 << 20
#: What the fast paths give up on (the row then goes the slow way).
_FALLBACK = (KeyError, IndexError, AttributeError, TypeError, ValueError, ArithmeticError)


class _Redo(Exception):
    """The forked reader met what only the parent may handle (a quote character)."""


def _can_fork() -> bool:
    import os
    import threading

    if not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return cpus >= 2


def _codec_name(encoding: str) -> str:
    import codecs

    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


_blank = blank_cell


class Accumulator:
    """The sums of one rollup while its rows are read: by raw code cell(s), exact.

    ``sums`` maps the raw code cell (a tuple of cells for several code
    columns) to a Decimal (one measure) or a list of Decimals; ``cents`` the
    same keys to integer fen summed by the fast paths (one measure).  A key
    is in ``cents`` only once :meth:`slow` has placed it: an unseen or
    unplaceable key always takes the slow way.
    """

    def __init__(self, name: str, *, code_idx: Sequence[int], amount_idx: Sequence[int],
                 measures: Sequence[str], placers: Sequence[Placer], name_idx: int | None, width: int,
                 strict: bool) -> None:
        self.name = name
        self.code_idx = list(code_idx)
        self.amount_idx = list(amount_idx)
        self.measures = tuple(measures)
        self.placers = list(placers)
        self.name_idx = name_idx
        self.width = width
        self.strict = strict
        self.sums: dict[Any, Any] = {}
        self.cents: dict[Any, int] = {}
        self.names: dict[str, str] = {}
        self.problems: list[Problem] = []
        self.reported = [_ZERO] * len(self.measures)
        self._tell: Any = None  # the bytes path's progress: called with the position in the file
        self.first: dict[Any, int] = {}  # the row each key was first met on (for the warnings)
        #: crossed: the length of the economic codes of the columns (the SQL engines sum by column)
        self.column_width: int | None = None

    # -- the entry point ---------------------------------------------------------------
    def read(self, items: Items) -> None:
        """Read every row of ``items`` into the sums (and the report)."""
        rows, close = items.open()
        try:
            src = items.source
            with exact(), reading(self.name, lambda: rows.line_num + 1, src.path if src else None,
                                  src.encoding if src else None):
                if self.name_idx is not None:
                    for row in rows:
                        self.slow(row, rows.line_num)
                elif len(self.amount_idx) == 1:
                    if items.format == "csv" and items.source is not None and self._bytes(items):
                        return
                    self._rows_single(rows)
                else:
                    self._rows_multi(rows)
        finally:
            close()

    # -- rows of cells -------------------------------------------------------------------
    def _rows_single(self, rows: Any) -> None:
        """Rows of cells (csv module, JSON lines, workbooks, mappings), one measure."""
        slow, sums, cents = self.slow, self.sums, self.cents
        fen, plain, D = FEN, PLAIN, Decimal
        fallback = _FALLBACK
        ai, width = self.amount_idx[0], self.width
        key_of = itemgetter(*self.code_idx)
        low, high, exponents = -INT_LIMIT, INT_LIMIT, DECIMAL_EXPONENTS
        for row in rows:
            try:
                if len(row) <= width:
                    s = row[ai]
                    kind = type(s)
                    if kind is str:
                        if fen(s):
                            cents[key_of(row)] += int(s.replace(".", "", 1))
                            continue
                        if plain(s):
                            sums[key_of(row)] += D(s)
                            continue
                    elif kind is int:  # a number already read (a workbook, JSON): money's fast path
                        if low < s < high:
                            cents[key_of(row)] += s * 100
                            continue
                    elif kind is D and s.is_finite() and s.adjusted() in exponents:
                        sums[key_of(row)] += s
                        continue
            except fallback:
                pass
            slow(row, rows.line_num)

    def _rows_multi(self, rows: Any) -> None:
        """Rows of cells, several measures (Decimals only)."""
        slow, sums = self.slow, self.sums
        plain, D = PLAIN, Decimal
        fallback = _FALLBACK
        width = self.width
        key_of = itemgetter(*self.code_idx)
        amounts_of = itemgetter(*self.amount_idx)
        for row in rows:
            try:
                if len(row) <= width:
                    acc = sums[key_of(row)]
                    values = amounts_of(row)
                    if all(plain(v) for v in values):
                        # all parsed and added before any is stored: a failure leaves acc as it was
                        acc[:] = [a + D(s) for a, s in zip(acc, values)]
                        continue
            except fallback:
                pass
            slow(row, rows.line_num)

    # -- bytes ----------------------------------------------------------------------------
    def _bytes(self, items: Items) -> bool | None:
        """CSV read by path, one code column, one measure: split plain lines as bytes.

        Returns None when it does not apply (nothing read), True when the
        file is done.
        """
        src = items.source
        assert src is not None
        enc = src.encoding
        if (enc is None or src.path is None or len(self.code_idx) != 1
                or src.delimiter is None or len(src.delimiter) != 1):
            return None
        codec = _codec_name(enc)
        if codec not in _BYTE_SAFE or (codec.startswith("gb") and src.delimiter not in ",\t;"):
            return None  # a GBK second byte may look like "|": only , tab ; are safe there
        fh = open(src.path, "rb")  # noqa: SIM115 - closed here, or by the csv module's reader it is handed to
        try:
            for _ in range(items.header_line):
                line = fh.readline()
                if b"\r" in line.replace(b"\r\n", b""):  # a lone CR (old Mac line end) above the data
                    fh.close()
                    return None
            self._tell = _teller(src.progress, src.size)
            self._parallel(fh, items.header_line, enc, src.delimiter)
            if src.progress is not None:
                src.progress(src.size or 0, src.size)
            return True  # read to the end: as bytes, or handed over to the csv module on the way
        finally:
            fh.close()

    def _parallel(self, fh: Any, n: int, enc: str, delimiter: str) -> bool:
        """Split a big file in two at a line start and read the second half in a forked process.

        Used for a file of at least ``_PARALLEL_BYTES`` after the header, where
        ``os.fork`` exists, two CPUs are there, no other thread runs and
        ``strict`` is off.  The child reads its half exactly as
        :meth:`_bytes_loop` would and sends back what it summed, placed and
        reported; the parent adds it after its own half, so the result (and
        the order of the report) is what one process would give.  When the
        child's half holds a quote character or cannot be decoded, the parent
        reads that half itself, as if there had been no child.
        """
        import os

        start = fh.tell()
        end = os.fstat(fh.fileno()).st_size
        if not (end - start >= _PARALLEL_BYTES and _can_fork() and not self.strict
                and not self.problems and not self.sums):
            return self._bytes_loop(fh, n, enc, delimiter)
        fh.seek(start + (end - start) // 2)
        fh.readline()
        mid = fh.tell()
        fh.seek(start)
        lines, left = 0, mid - start
        while left > 0:
            block = fh.read(min(left, _CHUNK))
            if not block:
                break
            lines += block.count(b"\n")
            left -= len(block)
        fh.seek(start)
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no process to be had: read it all here
            os.close(read_end)
            os.close(write_end)
            return self._bytes_loop(fh, n, enc, delimiter)
        if pid == 0:  # the child: the second half, then its findings down the pipe
            status = 0
            try:
                import gc

                gc.disable()  # a collection would write to (and so copy) every page it shares with the parent
                os.close(read_end)
                import pickle

                try:
                    with open(fh.name, "rb") as other:
                        other.seek(mid)
                        self._bytes_loop(other, n + lines, enc, delimiter, end=end, handover=False)
                    payload: tuple[Any, ...] = ("ok", self.sums, self.cents, self.names, self.problems,
                                                self.reported, self.first)
                except BaseException:
                    payload = ("redo",)
                with os.fdopen(write_end, "wb") as out:
                    out.write(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
            except BaseException:
                status = 1
            finally:
                os._exit(status)
        os.close(write_end)
        import pickle

        data = b""
        exit_code = 1
        tell = self._tell
        if tell is not None:  # both halves are read at once: the parent's position, doubled, is an estimate
            self._tell = lambda position: tell(start + 2 * (position - start))  # type: ignore[misc]
        try:
            done = self._bytes_loop(fh, n, enc, delimiter, end=mid)
            with os.fdopen(read_end, "rb") as pipe:
                read_end = -1
                data = pipe.read()
        finally:
            if read_end >= 0:  # the parent's half failed: stop the child, don't wait for it
                os.close(read_end)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):  # a host may reap its children itself
                exit_code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        if not done:  # handed over to the csv module, which read on to the end itself
            return True
        result: tuple[Any, ...] = ("redo",)
        if data and exit_code == 0:
            with contextlib.suppress(Exception):
                result = tuple(pickle.loads(data))
        if result[0] != "ok":  # the child could not read its half, or did not say: read it here
            fh.seek(mid)
            return self._bytes_loop(fh, n + lines, enc, delimiter) or True
        _, sums, cents, names, problems, reported, first = result
        for key, line in first.items():
            self.first.setdefault(key, line)  # the parent's half comes first
        for key, value in sums.items():
            if key in self.sums:
                old = self.sums[key]
                self.sums[key] = [a + b for a, b in zip(old, value)] if isinstance(old, list) else old + value
            else:
                self.sums[key] = value
        for key, value in cents.items():
            self.cents[key] = self.cents.get(key, 0) + value
        for code, name in names.items():
            self.names.setdefault(code, name)
        self.problems.extend(problems)
        self.reported = [a + b for a, b in zip(self.reported, reported)]
        return True

    def _bytes_loop(self, fh: Any, n: int, enc: str, delimiter: str, end: int | None = None,
                    handover: bool = True) -> bool:
        """Read lines as bytes from ``fh`` (line ``n + 1`` on) up to ``end``.

        Returns True when done, False after handing the rest of the file over
        to the csv module (the first line holding a quote or a lone CR),
        which then reads on to the end.
        """
        slow_text = self._text_row
        bcents: dict[bytes, int] = {}
        bkeys: dict[bytes, str] = {}
        d = delimiter.encode("ascii")
        ai, ci, width = self.amount_idx[0], self.code_idx[0], self.width
        fen = FEN_BYTES
        fallback = _FALLBACK
        noise = INT_NOISE
        cents = self.cents
        try:
            while True:
                start = fh.tell()
                size = _CHUNK if end is None else min(_CHUNK, end - start)
                chunk = fh.read(size) if size > 0 else b""
                if not chunk:
                    break
                if chunk[-1:] != b"\n" and (end is None or fh.tell() < end):
                    chunk += fh.readline()
                if self._tell is not None and handover:
                    self._tell(fh.tell())
                quote = chunk.find(b'"')
                crlf = b"\r" in chunk
                if crlf and b"\r" in chunk.replace(b"\r\n", b""):
                    quote = 0  # a lone CR ends a line for the csv module: let it read from this chunk on
                if quote >= 0 and not handover:
                    raise _Redo()
                if quote >= 0:  # hand the rest over to the csv module, from the line of the quote
                    cut = chunk.rfind(b"\n", 0, quote) + 1 if quote else 0
                    tail_start, chunk = start + cut, chunk[:cut]
                else:
                    tail_start = -1
                if crlf:
                    chunk = chunk.replace(b"\r\n", b"\n")
                # plain: ASCII without blanks or "_", so that int() reads nothing but a sign and digits
                plain = chunk.isascii() and not any(c in chunk for c in noise)
                if not chunk.isascii():
                    try:
                        chunk.decode(enc)
                    except UnicodeDecodeError as exc:
                        bad_line = n + 1 + chunk.count(b"\n", 0, exc.start)
                        raise InputError(f"{self.name}: line {bad_line} is not {enc} text",
                                         expected="the file's encoding given explicitly "
                                                  "(encoding=... or --encoding)") from None
                lines = chunk.split(b"\n")
                if lines[-1] == b"":
                    lines.pop()  # after the last line end (a last line without one is kept)
                base = n + 1
                for n, line in enumerate(lines, base):
                    row = line.split(d)
                    try:
                        if len(row) <= width:
                            s = row[ai]
                            if s[-3] == 46 and len(s) <= FEN_WIDTH and (plain or fen(s)):  # 46: "."
                                bcents[row[ci]] += int(s.replace(b".", b"", 1))
                                continue
                    except fallback:
                        pass
                    text_row = line.decode(enc).split(delimiter)
                    slow_text(text_row, n)
                    key = row[ci] if ci < len(row) else None
                    if key is not None and key not in bcents and ci < len(text_row) and text_row[ci] in cents:
                        bcents[key], bkeys[key] = 0, text_row[ci]
                if tail_start >= 0:
                    import io

                    fh.seek(tail_start)
                    text = io.TextIOWrapper(fh, encoding=enc, newline="")
                    first = text.readline()
                    try:
                        self._rows_single(_csv_from(first, text, delimiter, n))
                    finally:
                        text.detach()
                    return False
            return True
        finally:
            for key, value in bcents.items():
                cents[bkeys[key]] += value

    def _text_row(self, row: list[str], n: int) -> None:
        """One decoded row: the text fast path, or the slow way."""
        ai, width = self.amount_idx[0], self.width
        try:
            if len(row) <= width:
                s = row[ai]
                if FEN(s):
                    self.cents[row[self.code_idx[0]]] += int(s.replace(".", "", 1))
                    return
                if PLAIN(s):
                    self.sums[row[self.code_idx[0]]] += Decimal(s)
                    return
        except _FALLBACK:
            pass
        self.slow(row, n)

    # -- the slow way ---------------------------------------------------------------------
    def slow(self, row: Sequence[Any], line: int) -> None:
        """One row the fast paths did not take: parse it fully, place it or report it."""
        if not any(not _blank(c) for c in row):
            return  # a blank line is not an item
        width = len(row)
        raw = tuple(row[i] if i < width else MISSING for i in self.code_idx)  # the key, as the fast path sees it
        # a CSV line split by the fast path keeps its "\n" on the last cell: not shown in the report
        cells = tuple(c.rstrip("\r\n") if isinstance(c, str) else c for c in raw)
        printed = tuple((row[i].rstrip("\r\n") if isinstance(row[i], str) else row[i]) if i < width else MISSING
                        for i in self.amount_idx)
        amounts: list[Decimal | None] = []
        bad: tuple[InputError, str] | None = None
        for value, measure in zip(printed, self.measures):
            if value is MISSING:
                amounts.append(None)
                continue
            try:
                amounts.append(parse_amount(value, row=line, column=measure))
            except InputError as exc:
                amounts.append(None)
                bad = bad or (exc, str(exc).removeprefix(f"row {line}: "))
        problem = self._row_problem(row, cells, printed)
        placed = []
        if problem is None:
            for placer, cell in zip(self.placers, raw):
                where = placer.place(cell)
                if isinstance(where, Problem):
                    problem = where
                    if where.kind == "no-code" and any(is_total_label(c) for c in row if isinstance(c, str)):
                        problem = Problem(None, "total-row", "a total row (合计), not a line item", (), (), ())
                    break
                placed.append(where)
        if problem is None and bad is not None:
            if self.strict:
                raise bad[0]
            problem = Problem(None, "bad-amount", bad[1], (), (), ())
        if problem is not None:
            if self.strict:
                index = len(placed)
                raise InputError(problem.message, row=line, value=cells[index] if index < len(cells) else None,
                                 expected=self.placers[min(index, len(self.placers) - 1)].expected(problem.kind))
            self.problems.append(Problem(line, problem.kind, problem.message, cells, tuple(amounts), printed))
            for i, value in enumerate(amounts):
                if value is not None:
                    self.reported[i] += value
            return
        key = raw[0] if len(raw) == 1 else raw
        if key not in self.sums:
            self.first[key] = line
        values = [_ZERO if a is None else a for a in amounts]  # none is None here: all parsed
        if len(values) == 1:
            self.sums[key] = self.sums.get(key, _ZERO) + values[0]
            self.cents.setdefault(key, 0)
        else:
            acc = self.sums.get(key)
            if acc is None:
                acc = self.sums[key] = [_ZERO] * len(values)
            acc[:] = [a + v for a, v in zip(acc, values)]
        code, printed_name = placed[0]
        if self.name_idx is not None and self.name_idx < width:
            value = row[self.name_idx]
            printed_name = printed_name or (str(value).strip() if not _blank(value) else None) or None
        if printed_name and code not in self.names:
            self.names[code] = printed_name
        if len(placed) > 1:
            ecode, ename = placed[1]
            if ename and ecode not in self.names:
                self.names[ecode] = ename

    def _row_problem(self, row: Sequence[Any], cells: tuple[Any, ...], printed: tuple[Any, ...]) -> Problem | None:
        """A problem of the row's shape: cells beyond the header, or none where a column is needed."""
        extra = [c for c in row[self.width:] if not _blank(c)]
        if extra:
            shown = ", ".join(repr(c.rstrip("\r\n") if isinstance(c, str) else c) for c in extra[:3])
            return Problem(None, "extra-cells", f"the row has {len(row)} cells, the header {self.width} "
                           f"(beyond it: {shown}); a thousands separator or a delimiter not in quotes?", (), (), ())
        for value, measure in itertools.chain(zip(cells, [p.column for p in self.placers]),
                                              zip(printed, self.measures)):
            if value is MISSING:
                return Problem(None, "no-cell", f"the row has no cell in column {measure}", (), (), ())
        return None


def _teller(progress: Any, size: int | None) -> Any:
    """A function of the position in the file that calls ``progress`` at most every 0.1 s (None for none)."""
    if progress is None:
        return None
    import time

    last = [0.0]

    def tell(position: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.1:
            last[0] = now
            progress(min(position, size or position), size)

    return tell


def _csv_from(first: str, text: Any, delimiter: str, before: int) -> Rows:
    """The csv module's rows from ``first`` (line ``before + 1``) on, then the rest of ``text``."""
    reader = csv.reader(itertools.chain((first,), text), delimiter=delimiter)

    def it() -> Any:
        for row in reader:
            yield before + reader.line_num, row

    rows = Rows(it())
    rows.reader = reader
    return rows
