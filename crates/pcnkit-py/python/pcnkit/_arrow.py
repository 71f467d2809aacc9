"""Argument normalisation shared by the submodules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from pcnkit._pcnkit import InvalidArgument


def stream(data: Any) -> Any:
    """Something the native module reads through the Arrow C stream interface.

    pyarrow tables, polars DataFrames and pandas DataFrames (pandas >= 2.2) export
    ``__arrow_c_stream__`` and pass through untouched (no copy); older pandas is converted
    with ``pyarrow.Table.from_pandas``.
    """
    if hasattr(data, "__arrow_c_stream__"):
        return data
    if type(data).__module__.startswith("pandas"):
        return pa.Table.from_pandas(data, preserve_index=False)
    if hasattr(data, "to_arrow"):
        return data.to_arrow()
    raise InvalidArgument(
        f"data: expected a pyarrow Table, polars or pandas DataFrame, got {type(data).__name__}"
    )


def table(data: Any) -> pa.Table:
    """The data as a pyarrow Table (zero-copy where the source allows)."""
    s = stream(data)
    return s if isinstance(s, pa.Table) else pa.table(s)


def names(value: str | Sequence[str] | None, what: str) -> list[str]:
    """None, one column name or several, as a list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    out = list(value)
    if not all(isinstance(v, str) for v in out):
        raise InvalidArgument(f"{what}: expected column names, got {value!r}")
    return out


def levels(confidence: float | Sequence[float] | None) -> list[float]:
    """One confidence level or several, as a list; ``None`` for no interval."""
    if confidence is None:
        return []
    if isinstance(confidence, (int, float)):
        return [float(confidence)]
    return [float(c) for c in confidence]
