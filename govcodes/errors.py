"""The one exception hierarchy of govcodes.

Every error govcodes raises on purpose is a :class:`GovcodesError`.  Each also
derives from the built-in exception a Python programmer would expect, so
``except KeyError`` around ``edition[code]`` and ``except ValueError`` around
parsing keep working.

>>> issubclass(UnknownCodeError, KeyError) and issubclass(UnknownCodeError, GovcodesError)
True
>>> issubclass(InvalidCodeError, ValueError)
True
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

__all__ = [
    "GovcodesError",
    "InvalidCodeError",
    "UnknownCodeError",
    "UnknownEditionError",
    "AmbiguousNameError",
    "DataError",
    "InputError",
]


class GovcodesError(Exception):
    """Base class of every error raised by govcodes."""


class InvalidCodeError(GovcodesError, ValueError):
    """A value that cannot be a classification code at all.

    >>> from govcodes.codes import normalize_code
    >>> normalize_code("abc")
    Traceback (most recent call last):
    ...
    govcodes.errors.InvalidCodeError: 'abc' is not a classification code: expected 3, 5, 7 or 9 digits such as 208, 20801 or 2080101, optionally followed by a name
    """

    def __init__(self, value: object, expected: str | None = None) -> None:
        self.value = value
        self.expected = expected or (
            "expected 3, 5, 7 or 9 digits such as 208, 20801 or 2080101, "
            "optionally followed by a name"
        )
        super().__init__(f"{value!r} is not a classification code: {self.expected}")


class UnknownCodeError(GovcodesError, KeyError):
    """A well-formed code (or a name) that the edition does not have.

    The message names the edition and suggests near codes and names.
    """

    def __init__(self, code: str, year: int | None, suggestions: Sequence[str] = (), *,
                 where: str | None = None) -> None:
        self.code = code
        self.year = year
        self.suggestions = tuple(suggestions)
        where = where or (f"the {year} edition" if year is not None else "this edition")
        msg = f"{code!r} is not in {where}"
        if self.suggestions:
            msg += "; did you mean " + ", ".join(self.suggestions) + "?"
        super().__init__(msg)

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return str(self.args[0])


class UnknownEditionError(GovcodesError, LookupError):
    """A year for which govcodes has no edition.

    >>> import govcodes
    >>> govcodes.edition(1999)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    govcodes.errors.UnknownEditionError: no edition for 1999; available: ...
    """

    def __init__(self, year: object, available: Sequence[int]) -> None:
        self.year = year
        self.available = tuple(available)
        years = ", ".join(str(y) for y in self.available)
        super().__init__(f"no edition for {year}; available: {years}")


class AmbiguousNameError(GovcodesError, LookupError):
    """A name that matches several codes (行政运行 exists under many 款)."""

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        self.name = name
        self.candidates = tuple(candidates)
        shown = ", ".join(self.candidates[:8])
        more = f" and {len(self.candidates) - 8} more" if len(self.candidates) > 8 else ""
        super().__init__(
            f"{name!r} names {len(self.candidates)} codes ({shown}{more}); "
            "give the parent with under=... or use the code"
        )


class DataError(GovcodesError):
    """A shipped or user-supplied data file is malformed (names file and line)."""


class InputError(GovcodesError, ValueError):
    """Bad user input: names the row, the value and what was expected."""

    def __init__(self, message: str, *, row: int | None = None, value: object = None,
                 expected: str | None = None) -> None:
        self.row = row
        self.value = value
        self.expected = expected
        text = (f"row {row}: " if row is not None else "") + message
        if value is not None:
            text += f"; got {value!r}"
        if expected:
            text += f"; expected {expected}"
        super().__init__(text)
