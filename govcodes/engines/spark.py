"""The spark engine's backend: the active Spark session (a cluster, or local mode).

The items are a Spark DataFrame, the name of a table, or a Parquet path
(``spark.read.parquet``).  The two queries of :mod:`govcodes.engines.sql`
run as Spark SQL, spread over the executors like any aggregation: each
task sums its partitions by code cell, the driver gets one row per
distinct code cell (a few thousand), places them, and fetches the rows the
SQL did not sum (none, on clean data).  Rows are numbered by their
position in the DataFrame (from 1, as the python engine numbers a
DataFrame's rows): a row's number is the count of rows in the partitions
before its own plus its place in its partition, from
``monotonically_increasing_id()``; the counts are taken only when rows are
reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..frames import need
from .sql import SPARK, Relation

if TYPE_CHECKING:
    from ..readers.items import Items

__all__ = ["SparkBackend", "session", "table"]

_VIEW = "govcodes_items"


def session() -> Any:
    """The active Spark session, or a new local one."""
    need("pyspark", "spark")
    from pyspark.sql import SparkSession

    return SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()


def table(name: str) -> Any:
    """The DataFrame of a table (or view) of the active Spark session."""
    from ..errors import InputError

    spark = session()
    try:
        return spark.table(name)
    except Exception as exc:  # AnalysisException: no such table
        raise InputError(f"no table {name!r} in the Spark session", value=name,
                         expected="a table or view name, or a Spark DataFrame") from exc


class SparkBackend:
    """Runs the engines' SQL in Spark."""

    dialect = SPARK

    def __init__(self) -> None:
        self.spark = session()
        self._frame: Any = None
        self._views: list[str] = []
        self._cached: list[Any] = []

    def close(self) -> None:
        for view in self._views:
            self.spark.catalog.dropTempView(view)
        for frame in self._cached:
            frame.unpersist()

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.spark.sql(sql).collect()]

    def table(self, name: str, sql: str) -> str:
        """A cached temporary view ``name`` of what the query gives (computed once, kept on the executors)."""
        frame = self.spark.sql(sql)
        frame.cache()
        frame.createOrReplaceTempView(name)
        self._views.append(name)
        self._cached.append(frame)
        return name

    def keys(self, name: str, values: Sequence[Any]) -> str:
        from pyspark.sql.types import StructField, StructType

        types = self.spark.sql(f"SELECT * FROM {_VIEW}").schema
        key_type = next((f.dataType for f in types if f.name == self._key_column(name)), None)
        schema = StructType([StructField("k", key_type)]) if key_type is not None else ["k"]
        self.spark.createDataFrame([(v,) for v in values], schema).createOrReplaceTempView(name)
        self._views.append(name)
        return name

    def pairs(self, name: str, pairs: Sequence[tuple[Any, Any]]) -> str:
        """A view ``name(k, r)``: each economic cell and the cell that stands for its column."""
        from pyspark.sql.types import StructField, StructType

        types = self.spark.sql(f"SELECT * FROM {_VIEW}").schema
        key_type = next(f.dataType for f in types if f.name == self._header[self._code_idx[1]])
        schema = StructType([StructField("k", key_type), StructField("r", key_type)])
        self.spark.createDataFrame(list(pairs), schema).createOrReplaceTempView(name)
        self._views.append(name)
        return name

    def _key_column(self, name: str) -> str:
        index = int(name.rsplit("bad", 1)[1])
        return self._header[self._code_idx[index]]

    def positions(self, ids: Sequence[int]) -> dict[int, int]:
        """Row numbers (from 1) of the rows with these increasing ids (partition << 33 | row in partition)."""
        if not ids:
            return {}
        counts = dict(self.query(f"SELECT shiftright(gc_n, 33) AS p, count(*) FROM {_VIEW} GROUP BY 1"))
        offsets: dict[int, int] = {}
        total = 0
        for p in sorted(counts):
            offsets[p] = total
            total += counts[p]
        return {i: offsets[i >> 33] + (i & ((1 << 33) - 1)) + 1 for i in ids}

    def relation(self, items: Items, acc: Any) -> Relation:
        from pyspark.sql import functions as F

        frame = items.frame
        if frame is None and items.format == "parquet" and items.source is not None and items.source.path:
            frame = self.spark.read.parquet(items.source.path)
        if frame is None or not type(frame).__module__.startswith("pyspark."):
            from .sql import Fallback

            raise Fallback(f"spark reads a Spark DataFrame, a table or Parquet, not {items.format}")
        frame = frame.toDF(*items.header)
        frame.withColumn("gc_n", F.monotonically_increasing_id()).createOrReplaceTempView(_VIEW)
        self._views.append(_VIEW)
        self._header, self._code_idx = items.header, acc.code_idx
        kinds = [_kind(f.dataType) for f in frame.schema.fields]
        return Relation(f"SELECT * FROM {_VIEW}", lines=False, header=items.header, kinds=kinds)


def _kind(t: Any) -> str:
    name = type(t).__name__
    if name in ("StringType", "VarcharType", "CharType"):
        return "string"
    if name in ("ByteType", "ShortType", "IntegerType", "LongType"):
        return "int"
    if name == "DecimalType":
        return "decimal"
    if name in ("FloatType", "DoubleType"):
        return "float"
    return "other"
