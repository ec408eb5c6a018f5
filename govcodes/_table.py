"""A small plain-text table renderer for the lookup commands (internal).

It prints what ``tabulate(rows, headers, tablefmt="simple", disable_numparse=True)``
prints, CJK-width aware, without importing tabulate: tabulate's import pulls in
importlib.metadata and wcwidth (about 60 ms here), which would double the time
of a ``govcodes show``.  A test keeps the two outputs identical.

>>> print(render(["科目编码", "科目名称"], [["30101", "基本工资"]]))
科目编码    科目名称
----------  ----------
30101       基本工资
"""

from __future__ import annotations

from unicodedata import combining, east_asian_width

__all__ = ["render"]

_MIN_PADDING = 2


def width(text: str) -> int:
    """Display width: East Asian wide and full-width characters count 2."""
    if text.isascii():
        return len(text)
    return sum(0 if combining(ch) else 2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def render(headers: list[str], rows: list[list[str]], align: list[str] | None = None) -> str:
    """Render ``rows`` under ``headers``; ``align`` is "left" (default) or "right" per column."""
    ncols = len(headers)
    align = align or ["left"] * ncols
    widths = [width(h) + _MIN_PADDING for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], width(cell))

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - width(cell))
            out.append(pad + cell if align[i] == "right" else cell + pad)
        return "  ".join(out).rstrip()

    lines = [line(headers), "  ".join("-" * w for w in widths)]
    lines.extend(line(row) for row in rows)
    return "\n".join(lines)
