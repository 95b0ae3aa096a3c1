"""Column values shared by the repositories: dates are stored as ISO text (``2025-03-04``).

Only the conversions live here; which columns hold dates is each repository's business.
"""

from __future__ import annotations

from datetime import date
from typing import Any


def iso_date(value: date | None) -> str | None:
    """``value`` as a date column stores it: ISO text (``None`` stays ``None``)."""
    return value.isoformat() if value is not None else None


def optional_date(value: Any) -> date | None:
    """A date column's ISO text as a ``date`` (``None`` stays ``None``)."""
    return date.fromisoformat(str(value)) if value is not None else None
