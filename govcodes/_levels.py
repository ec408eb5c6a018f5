"""Code lengths and levels (internal; kept tiny so that loading an edition imports little)."""

from __future__ import annotations

#: Code lengths and the level each means (目 only exists in the revenue classification).
LEVELS = {3: "类", 5: "款", 7: "项", 9: "目"}


def parent_of(code: str) -> str | None:
    """The code one level up, by the code's structure (None for a 类).

    >>> parent_of("2080101"), parent_of("20801"), parent_of("208")
    ('20801', '208', None)
    """
    return code[:-2] if len(code) > 3 else None
