"""Plain-English wording shared by the rules: ordinals, sides and streak positions."""

from __future__ import annotations

import numpy as np

from qidesk.core.spc.arrays import BoolArray, IntArray

__all__ = ["ordinal", "side_word", "streaks"]


def ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th`` … ``11th``, ``12th``, ``13th``, ``21st`` …"""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def side_word(side: int) -> str:
    """``"above"`` for +1, ``"below"`` otherwise."""
    return "above" if side > 0 else "below"


def streaks(mask: BoolArray) -> tuple[IntArray, IntArray]:
    """Per True point: its 1-based position in its block of consecutive Trues, and the block length.

    Both are 0 where ``mask`` is False.
    """
    size = mask.size
    position = np.zeros(size, dtype=np.int64)
    length = np.zeros(size, dtype=np.int64)
    edges = np.diff(np.concatenate(([False], mask, [False])).astype(np.int8))
    starts = np.flatnonzero(edges == 1)
    lengths = np.flatnonzero(edges == -1) - starts
    # the Trues in order are the blocks one after the other: number them within their block
    first_of_block = np.repeat(np.cumsum(lengths) - lengths, lengths)
    position[mask] = np.arange(first_of_block.size) - first_of_block + 1
    length[mask] = np.repeat(lengths, lengths)
    return position, length
