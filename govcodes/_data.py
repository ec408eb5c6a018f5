"""Finding and reading the shipped data files (internal).

The data live in ``data/`` at the top of the source tree and are shipped
inside the wheel as ``govcodes/data``.  When the package sits on a plain file
system (the normal case, installed or checked out) the files are opened
directly, which keeps a cold lookup fast; otherwise (a zip import) they are
read through :mod:`importlib.resources`.
"""

from __future__ import annotations

import os
from typing import Iterator

from .errors import DataError

_HERE = os.path.dirname(os.path.abspath(__file__))
_CANDIDATES = (os.path.join(_HERE, "data"), os.path.join(os.path.dirname(_HERE), "data"))
_root: str | None = None


def _fs_root() -> str | None:
    global _root
    if _root is None:
        for candidate in _CANDIDATES:
            if os.path.isdir(os.path.join(candidate, "editions")):
                _root = candidate
                break
        else:
            _root = ""
    return _root or None


def read_text(*parts: str) -> str | None:
    """The text of a data file, or None when it does not exist."""
    root = _fs_root()
    if root is not None:
        path = os.path.join(root, *parts)
        try:
            with open(path, encoding="utf-8") as fh:
                return fh.read()
        except FileNotFoundError:
            return None
    if __package__ is None:  # pragma: no cover - only when not imported as a package
        return None
    try:  # pragma: no cover - exercised only in zip imports
        import sys

        if sys.version_info >= (3, 12):
            from importlib.resources import files
        else:
            from importlib_resources import files
        node = files(__package__).joinpath("data", *parts)
        return node.read_text(encoding="utf-8") if node.is_file() else None
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        return None


def list_dir(*parts: str) -> list[str]:
    """Names in a data folder (empty when it does not exist)."""
    root = _fs_root()
    if root is not None:
        try:
            return sorted(os.listdir(os.path.join(root, *parts)))
        except FileNotFoundError:
            return []
    try:  # pragma: no cover - exercised only in zip imports
        import sys

        if sys.version_info >= (3, 12):
            from importlib.resources import files
        else:
            from importlib_resources import files
        node = files(__package__ or "govcodes").joinpath("data", *parts)
        return sorted(child.name for child in node.iterdir()) if node.is_dir() else []
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        return []


def data_path(*parts: str) -> str:
    """A human-readable name of a data file, for messages."""
    return "/".join(("data",) + parts)


def read_tsv(*parts: str, required: tuple[str, ...] = ()) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a tab-separated data file as (line number, {column: value}).

    Lines starting with ``#`` are comments; the first other line is the
    header.  Raises :class:`DataError` naming the file and line on any
    malformed row.
    """
    text = read_text(*parts)
    if text is None:
        return
    name = data_path(*parts)
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
