"""NHS England organisation files and code checks.

>>> import pcnkit
>>> pcnkit.org.parse_code("postcode", "ts181hu")
'TS18 1HU'
>>> pcnkit.org.parse_code("practice", "A8100")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pcnkit.InvalidCode: invalid GP practice code "A8100": expected one letter followed by five digits
"""

from __future__ import annotations

import datetime
import os

import pyarrow as pa

from pcnkit import _pcnkit

__all__ = ["list_sizes", "parse_code", "snapshot"]


def parse_code(kind: str, value: str) -> str:
    """A code checked against its published format and normalised (upper case, postcode
    spacing). ``kind``: ``practice``, ``pcn``, ``sub_icb``, ``icb``, ``region``, ``lsoa`` or
    ``postcode``. Raises :class:`pcnkit.InvalidCode`.

    >>> parse_code("lsoa", "e01000001")
    'E01000001'
    """
    return _pcnkit.org_parse_code(kind, value)


def snapshot(
    practice_map: str | os.PathLike[str],
    date: datetime.date | None = None,
    lists: str | os.PathLike[str] | None = None,
) -> pa.Table:
    """Every practice open on ``date`` (default: the file's extract date) with its PCN,
    sub-ICB location, ICB and region, from ``gp-reg-pat-prac-map.csv``; with ``lists`` (a
    Patients Registered at a GP Practice file) also its list size. A bad row raises
    :class:`pcnkit.DataError` naming the file, row and field.

    >>> snap = pcnkit.org.snapshot("gp-reg-pat-prac-map.csv")     # doctest: +SKIP
    >>> snap.select(["practice", "pcn", "icb"]).slice(0, 2)        # doctest: +SKIP
    """
    return _pcnkit.org_snapshot(
        os.fspath(practice_map), date, None if lists is None else os.fspath(lists)
    )


def list_sizes(path: str | os.PathLike[str]) -> pa.Table:
    """Practice list sizes from a Patients Registered at a GP Practice file (any of its
    layouts): practice, extract date, sex and age band (null for totals), patients.

    >>> pcnkit.org.list_sizes("gp-reg-pat-prac-quin-age.csv").num_rows  # doctest: +SKIP
    """
    return _pcnkit.org_list_sizes(os.fspath(path))
