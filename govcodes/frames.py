"""DataFrames out: Arrow tables, pandas and polars DataFrames, Parquet, CSV and JSON of rows of fields.

The results of govcodes (a rollup, a dimension table of an edition) are
columns of text, whole numbers and exact amounts.  :class:`Frame` holds
them as plain Python values and converts them on demand; pyarrow, pandas
and polars are imported only then, and a missing one is an
:class:`~govcodes.InputError` naming the extra that installs it.  Amounts
stay exact everywhere: an Arrow ``decimal128`` column (``decimal256`` past 38
digits), Decimals in pandas (``object`` dtype), polars ``Decimal``.

>>> from decimal import Decimal
>>> f = Frame(("code", "amount"), ("string", "decimal"), [("208", Decimal("1.5")), ("20801", Decimal("0.25"))])
>>> print(f.to_csv(), end="")
code,amount
208,1.5
20801,0.25
>>> f.to_arrow().schema.field("amount").type      # doctest: +SKIP
Decimal128Type(decimal128(38, 2))
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, Inexact
from typing import IO, TYPE_CHECKING, Any

from .errors import InputError
from .money import exact

if TYPE_CHECKING:
    import os

__all__ = ["Frame", "need", "OUTPUT_FORMATS"]

#: The formats a Frame is written in.
OUTPUT_FORMATS = ("parquet", "csv", "json")
#: Column types: text, whole numbers, exact amounts, and true/false.
TYPES = ("string", "int", "decimal", "bool")


def need(module: str, extra: str) -> Any:
    """Import ``module``, or raise :class:`~govcodes.InputError` naming the extra that installs it.

    >>> need("no_such_module_here", "duckdb")
    Traceback (most recent call last):
    ...
    govcodes.errors.InputError: this needs no_such_module_here; expected pip install 'govcodes[duckdb]'
    """
    from importlib import import_module

    try:
        return import_module(module)
    except ImportError:
        raise InputError(f"this needs {module}", expected=f"pip install 'govcodes[{extra}]'") from None


class Frame:
    """A table of rows of fields, convertible to Arrow, pandas, polars, Parquet, CSV and JSON.

    ``columns`` are the field names, ``types`` one of :data:`TYPES` per
    column, ``rows`` tuples of Python values (None for a missing value).
    """

    __slots__ = ("columns", "types", "rows", "name")

    def __init__(self, columns: Sequence[str], types: Sequence[str], rows: Sequence[Sequence[Any]],
                 name: str = "table") -> None:
        if len(columns) != len(types) or any(t not in TYPES for t in types):
            raise ValueError("one type of TYPES per column")
        self.columns = tuple(columns)
        self.types = tuple(types)
        self.rows = [tuple(r) for r in rows]
        self.name = name

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"<Frame {self.name}: {len(self.rows)} rows × {', '.join(self.columns)}>"

    def to_dicts(self) -> list[dict[str, Any]]:
        """The rows as dicts of field → value."""
        return [dict(zip(self.columns, r)) for r in self.rows]

    # -- Arrow and the DataFrames ----------------------------------------------------------
    def arrow_schema(self) -> Any:
        """The Arrow schema: string, int64, decimal128(38, s) (decimal256 when wider), bool."""
        pa = need("pyarrow", "arrow")
        fields = []
        for i, (name, kind) in enumerate(zip(self.columns, self.types)):
            if kind == "string":
                t = pa.string()
            elif kind == "int":
                t = pa.int64()
            elif kind == "bool":
                t = pa.bool_()
            else:
                t = _decimal_type(pa, [r[i] for r in self.rows])
            fields.append(pa.field(name, t))
        return pa.schema(fields)

    def to_arrow(self) -> Any:
        """A ``pyarrow.Table`` (needs ``pip install 'govcodes[arrow]'``)."""
        pa = need("pyarrow", "arrow")
        schema = self.arrow_schema()
        arrays = []
        for i, field in enumerate(schema):
            values = [r[i] for r in self.rows]
            if pa.types.is_decimal(field.type):
                with exact() as ctx:
                    ctx.traps[Inexact] = False  # an amount with more places than the column rounds half up
                    values = [None if v is None else v.quantize(Decimal(1).scaleb(-field.type.scale)) for v in values]
            arrays.append(pa.array(values, type=field.type))
        return pa.Table.from_arrays(arrays, schema=schema)

    def to_pandas(self) -> Any:
        """A pandas DataFrame; amounts are exact Decimals (``object`` dtype)."""
        pd = need("pandas", "pandas")
        data = {c: [r[i] for r in self.rows] for i, c in enumerate(self.columns)}
        frame = pd.DataFrame(data, columns=list(self.columns))
        for c, kind in zip(self.columns, self.types):
            if kind == "int":
                frame[c] = frame[c].astype("Int64")
            elif kind == "decimal":
                frame[c] = frame[c].astype(object)
        return frame

    def to_polars(self) -> Any:
        """A polars DataFrame; amounts are exact (``pl.Decimal``)."""
        pl = need("polars", "polars")
        return pl.from_arrow(self.to_arrow())

    # -- files -------------------------------------------------------------------------
    def to_csv(self, english: bool = True) -> str:
        """CSV text headed by the field names (by their Chinese headers with ``english=False``)."""
        from .render import csv_text, header

        return csv_text(self.rows, [header(c, english) for c in self.columns])

    def to_json(self) -> str:
        """JSON: a list of objects, amounts as exact strings."""
        from .render import json_text

        return json_text(self.to_dicts())

    def write(self, path: str | os.PathLike[str] | IO[Any], format: str | None = None, english: bool = True) -> None:
        """Write to ``path`` as Parquet, CSV or JSON (by default told by the suffix, else CSV)."""
        import os

        if format is None:
            suffix = os.path.splitext(os.fspath(path))[1].lower().lstrip(".") if isinstance(path, (str, os.PathLike)) \
                else ""
            format = suffix if suffix in OUTPUT_FORMATS else "csv"
        if format not in OUTPUT_FORMATS:
            raise InputError("unknown output format", value=format, expected=", ".join(OUTPUT_FORMATS))
        if format == "parquet":
            pq = need("pyarrow.parquet", "arrow")
            try:
                pq.write_table(self.to_arrow(), path)
            except OSError as exc:
                raise InputError(f"cannot write {path}: {exc}") from None
            return
        text = self.to_csv(english) if format == "csv" else self.to_json()
        if hasattr(path, "write"):
            path.write(text)  # type: ignore[union-attr]
            return
        try:
            with open(path, "w", encoding="utf-8", newline="") as fh:  # type: ignore[arg-type]
                fh.write(text)
        except OSError as exc:
            raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _decimal_type(pa: Any, values: Sequence[Decimal | None]) -> Any:
    """The narrowest exact decimal type holding every value: scale the most decimals (2 at least)."""
    scale, digits = 2, 1
    for v in values:
        if v is None:
            continue
        sign, ds, exp = v.as_tuple()
        places = -exp if isinstance(exp, int) and exp < 0 else 0
        scale = max(scale, places)
        digits = max(digits, len(ds) + (exp if isinstance(exp, int) and exp > 0 else 0) - places)
    if digits + scale <= 38:
        return pa.decimal128(38, scale)
    if digits + scale <= 76:
        return pa.decimal256(76, scale)
    raise InputError("an amount is too wide for an Arrow decimal", value=max(v for v in values if v is not None),
                     expected="at most 76 digits")
