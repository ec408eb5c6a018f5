"""Printing benchmark figures beside their bounds (shared by the benchmark scripts)."""

from __future__ import annotations

from typing import Sequence


def print_figures(figures: Sequence[tuple[str, float, float, str]], width: int = 40) -> bool:
    """Print ``(label, value, bound, detail)`` lines; True when every value is within its bound."""
    ok = True
    for label, value, bound, detail in figures:
        within = value <= bound
        ok &= within
        print(f"{label:<{width}} {value:6.2f}  (bound {bound:g}: {'ok' if within else 'MISSED'})  {detail}")
    return ok
