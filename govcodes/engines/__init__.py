"""Engines behind :func:`~govcodes.rollup` and :func:`~govcodes.restate`: python, duckdb, spark.

Every engine gives the same result, to the fen, with the same report: the
classification knowledge stays in govcodes, the engines only scan and sum.

* ``python``: govcodes' own streaming loops (:mod:`govcodes.rollups.fast`);
  no dependency; the reference.
* ``duckdb`` (``pip install 'govcodes[duckdb]'``): CSV (read as lines, so
  that row numbers are the file's line numbers), Parquet, XLSX and
  DataFrames (pandas, polars, Arrow).
* ``spark`` (``pip install 'govcodes[spark]'``): a Spark DataFrame, a table
  name, or a Parquet path, on a cluster or in local mode.

How (:mod:`govcodes.engines.sql`): the engine groups the rows by their raw
code cell(s) and sums, in exact DECIMAL, the amounts that match
:data:`govcodes.money.SQL_PLAIN` (a part of the money grammar that a SQL
CAST reads exactly as :func:`govcodes.money.parse_amount` does; a test
proves it).  govcodes places each distinct code cell with the rollup's own
:class:`~govcodes.rollups.placing.Placer`.  The rows the SQL did not sum —
any other amount, a row of the wrong width, a line with a quote, a code cell
that could not be placed — are fetched with their row numbers and go, in
order, through the python engine's own row handler
(:meth:`~govcodes.rollups.fast.Accumulator.slow`), which parses, places or
reports them.  No row is summed twice or skipped: ``input = placed +
reported`` on every engine.

``engine="auto"`` (the default) takes duckdb for a CSV or Parquet file of
at least :data:`AUTO_BYTES`, and for a Parquet file, when duckdb is
installed; spark for a Spark DataFrame; python otherwise.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..errors import InputError

if TYPE_CHECKING:
    from ..readers.items import Items

__all__ = ["ENGINES", "AUTO_BYTES", "choose", "available"]

#: The engines, by name.
ENGINES = ("python", "duckdb", "spark")
#: Files at least this large are rolled up by duckdb when it is installed (engine="auto").
AUTO_BYTES = 16 << 20
_EXTRA = {"duckdb": "duckdb", "spark": "spark"}
_MODULE = {"duckdb": "duckdb", "spark": "pyspark"}


def available(engine: str) -> bool:
    """True when the engine's package is installed (python always is)."""
    if engine == "python":
        return True
    import importlib.util

    return importlib.util.find_spec(_MODULE[engine]) is not None


def is_spark(obj: object) -> bool:
    """True for a Spark DataFrame."""
    return type(obj).__module__.startswith("pyspark.")


def choose(engine: str | None, items: Items) -> str:
    """The engine that rolls ``items`` up: as asked, or (``auto``) by what the items are.

    >>> from govcodes.readers.items import items_of
    >>> choose("auto", items_of([{"科目编码": "208", "金额": "1"}]))
    'python'
    >>> choose("sql", items_of([]))
    Traceback (most recent call last):
    ...
    govcodes.errors.InputError: unknown engine; got 'sql'; expected auto, python, duckdb or spark
    """
    if engine is None or engine == "auto":
        if items.format == "spark":
            return "spark"
        src = items.source
        path = src.path if src is not None else None
        if path is not None and items.format in ("csv", "parquet") and available("duckdb"):
            if items.format == "parquet" or os.path.getsize(path) >= AUTO_BYTES:
                return "duckdb"
        return "python"
    if engine not in ENGINES:
        raise InputError("unknown engine", value=engine, expected="auto, " + ", ".join(ENGINES[:-1]) + " or spark")
    if engine != "python" and not available(engine):
        raise InputError(f"engine {engine!r} is not installed", value=engine,
                         expected=f"pip install 'govcodes[{_EXTRA[engine]}]'")
    return engine


class Running:
    """A SQL engine's scan under way (see :func:`start`)."""

    def __init__(self, engine: str, acc: Any, items: Items) -> None:
        from .sql import Scan

        self.acc, self.items = acc, items
        if engine == "duckdb":
            from .duck import DuckBackend

            backend: Any = DuckBackend()
        else:
            from .spark import SparkBackend

            backend = SparkBackend()
        self.backend = backend
        self.scan = Scan(acc, items, backend)
        self.scan.start()

    def finish(self) -> None:
        """Wait for the engine, then place and report (the placers must have their edition by now)."""
        from .sql import Fallback

        try:
            self.scan.finish()
        except Fallback:
            self.acc.read(self.items)  # a workbook, JSON lines, bytes that are not text …: govcodes reads it
        finally:
            self.backend.close()


def start(engine: str, acc: Any, items: Items) -> Running:
    """Start reading ``items`` into the accumulator ``acc`` with ``engine`` (duckdb or spark)."""
    return Running(engine, acc, items)


def run(engine: str, acc: Any, items: Items) -> None:
    """Read ``items`` into the accumulator ``acc`` with ``engine`` (duckdb or spark)."""
    start(engine, acc, items).finish()
