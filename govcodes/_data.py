"""Finding and reading the shipped data files (internal).

The data live in ``data/`` at the top of the source tree and are shipped,
every file of it, inside the wheel as ``govcodes/data``.  When the package
sits on a plain file system (the normal case, installed or checked out) the
files are opened directly, which keeps a cold lookup fast; otherwise (a zip
import) they are read through :mod:`importlib.resources`.

A file the code expects and cannot find is a :class:`~govcodes.DataError`
naming it, never an empty result: a broken installation must not look like
an edition without changes.
"""

from __future__ import annotations

import os
from typing import Iterator

from .errors import DataError

_HERE = os.path.dirname(os.path.abspath(__file__))
_CANDIDATES = (os.path.join(_HERE, "data"), os.path.join(os.path.dirname(_HERE), "data"))
_root: str | None = None


def root() -> str | None:
    """The folder of the data on the file system, or None when the package is not on one."""
    global _root
    if _root is None:
        for candidate in _CANDIDATES:
            if os.path.isdir(os.path.join(candidate, "editions")):
                _root = candidate
                break
        else:
            _root = ""
    return _root or None


def _resource(*parts: str) -> object:  # pragma: no cover - exercised only in zip imports
    import sys

    if sys.version_info >= (3, 12):
        from importlib.resources import files
    else:
        from importlib_resources import files
    return files(__package__ or "govcodes").joinpath("data", *parts)


def data_path(*parts: str) -> str:
    """A human-readable name of a data file, for messages."""
    return "/".join(("data",) + parts)


def _missing(*parts: str) -> DataError:
    return DataError(f"{data_path(*parts)} is missing from the installed data: reinstall govcodes "
                     "(pip install --force-reinstall govcodes)")


def exists(*parts: str) -> bool:
    """True when the data file or folder exists."""
    base = root()
    if base is not None:
        return os.path.exists(os.path.join(base, *parts))
    try:  # pragma: no cover - zip imports
        node = _resource(*parts)
        return bool(node.is_file() or node.is_dir())  # type: ignore[attr-defined]
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        return False


def read_text(*parts: str, optional: bool = False) -> str | None:
    """The text of a data file; DataError when it does not exist (None if ``optional``)."""
    base = root()
    if base is not None:
        try:
            with open(os.path.join(base, *parts), encoding="utf-8") as fh:
                return fh.read()
        except FileNotFoundError:
            if optional:
                return None
            raise _missing(*parts) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"{data_path(*parts)} cannot be read: {exc}") from None
    try:  # pragma: no cover - exercised only in zip imports
        node = _resource(*parts)
        if node.is_file():  # type: ignore[attr-defined]
            return str(node.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        pass
    if optional:
        return None
    raise _missing(*parts)


def list_dir(*parts: str) -> list[str]:
    """Names in a data folder; DataError when the folder does not exist."""
    base = root()
    if base is not None:
        try:
            return sorted(os.listdir(os.path.join(base, *parts)))
        except (FileNotFoundError, NotADirectoryError):
            raise _missing(*parts) from None
    try:  # pragma: no cover - exercised only in zip imports
        node = _resource(*parts)
        if node.is_dir():  # type: ignore[attr-defined]
            return sorted(child.name for child in node.iterdir())  # type: ignore[attr-defined]
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        pass
    raise _missing(*parts)


def read_tsv(*parts: str, required: tuple[str, ...] = (), optional: bool = False
             ) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a tab-separated data file as (line number, {column: value}).

    Lines starting with ``#`` are comments; the first other line is the
    header.  Raises :class:`DataError` naming the file and line on any
    malformed row, and when the file is missing (unless ``optional``).
    """
    text = read_text(*parts, optional=optional)
    if text is None:
        return
    yield from parse_tsv(text, data_path(*parts), required)


def parse_tsv(text: str, name: str, required: tuple[str, ...] = ()) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of tab-separated text (see :func:`read_tsv`); ``name`` serves the messages."""
    header: list[str] | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            missing = [c for c in required if c not in header]
            if missing:
                raise DataError(f"{name}:{lineno}: header lacks column(s) {', '.join(missing)}")
            continue
        if len(cells) > len(header):
            raise DataError(f"{name}:{lineno}: {len(cells)} cells, the header has {len(header)}")
        if len(cells) < len(header):
            cells = cells + [""] * (len(header) - len(cells))
        yield lineno, dict(zip(header, cells))
    if header is None and required:
        raise DataError(f"{name}: no header line (expected the columns {', '.join(required)})")
