"""ARRS and Network Contract DES payments from pcnkit's sourced, per-year rule tables.

Money is ``decimal.Decimal`` (scalars) or ``decimal128(38, 18)`` (table columns), in pounds,
never a float.

>>> import decimal, pcnkit
>>> pcnkit.arrs.arrs_sum("2025/26", 30000)
Decimal('798930.000')
"""

from __future__ import annotations

import decimal
import os
import pathlib
from typing import Any

import pyarrow as pa

from pcnkit import _pcnkit
from pcnkit._arrow import stream

__all__ = ["arrs_sum", "claims", "entitlement", "explain", "figures", "plan", "summary"]

Number = int | str | decimal.Decimal


def _decimal(value: Number, what: str) -> decimal.Decimal:
    if isinstance(value, float):
        raise _pcnkit.InvalidArgument(
            f"{what}: pass an int, str or decimal.Decimal, not a float (money and populations are exact)"
        )
    try:
        d = decimal.Decimal(value)
    except (decimal.InvalidOperation, TypeError, ValueError):
        raise _pcnkit.InvalidArgument(f"{what}: {value!r} is not a number") from None
    if not d.is_finite():
        raise _pcnkit.InvalidArgument(f"{what}: {value!r} is not a finite number")
    return d


def arrs_sum(year: str, weighted: Number) -> decimal.Decimal | None:
    """A PCN's Additional Roles Reimbursement Sum (main pool) for a financial year
    (``"2025/26"``) and weighted population; None where the sources do not give the rate.

    >>> arrs_sum("2025/26", "45000.5")
    Decimal('1198408.3155')
    """
    return _pcnkit.arrs_sum(year, _decimal(weighted, "weighted"))


def entitlement(
    year: str,
    weighted: Number,
    registered: Number | None = None,
    adjusted: Number | None = None,
) -> pa.Table:
    """Every Network Contract DES payment line for a PCN: ``payment``, ``name``, ``amount``
    (null where not sourced) and ``explanation`` (the rule and its source).

    >>> import pyarrow.compute as pc
    >>> lines = entitlement("2025/26", 30000)
    >>> lines.filter(pc.equal(lines["payment"], "network_participation"))["amount"][0].as_py()
    Decimal('52830.000000000000000000')
    """
    return _pcnkit.arrs_entitlement(
        year,
        _decimal(weighted, "weighted"),
        None if registered is None else _decimal(registered, "registered"),
        None if adjusted is None else _decimal(adjusted, "adjusted"),
    )


def summary(staff: Any, weighted: Any, year: str) -> tuple[pa.Table, pa.Table]:
    """ARRS per PCN and per PCN and month: the tables ``pcnkit report`` writes as ``arrs`` and
    ``arrs_by_pcn_month``.

    ``staff``: a table with ``id``, ``pcn``, ``role``, ``wte``, ``start``, ``annual_cost`` and
    optionally ``end``, ``cct_date``, ``in_baseline``, ``in_pcn_previous_12_months``,
    ``mental_health_provider_agreement``, ``approved_apprenticeship``, ``area`` (as ``pcnkit
    demo`` writes ``arrs_staff``), read by the same reader as the CLI's ``--staff``: a bad row
    raises ``DataError`` with its ``row`` and ``field``. ``weighted``: ``pcn`` and
    ``weighted_patients`` (a PCN given twice is an error, never summed).

    Returns ``(per_pcn, per_month)``: per PCN ``weighted_patients``, ``staff``,
    ``entitlement``, ``claimed``, ``claimed_known``, ``claimed_unknown_lines``, ``status``,
    ``headroom``, ``headroom_at_most``; per PCN and month ``claimed``, ``claimed_known``,
    ``claimed_unknown_lines``, ``status``. A claim that cannot be valued (a maximum the
    sources do not give) is unknown, never zero: its totals are null with ``status``
    ``incomplete`` and their known part beside them.

    >>> import pcnkit
    >>> per_pcn, per_month = pcnkit.arrs.summary(
    ...     pcnkit.demo.table("arrs_staff"), pcnkit.demo.table("weighted_populations"), "2025/26")
    >>> per_pcn.num_rows, per_month.num_rows
    (30, 360)
    >>> first = per_pcn.to_pylist()[0]
    >>> first["status"], first["claimed"], first["claimed_unknown_lines"]
    ('incomplete', None, 86)
    """
    return _pcnkit.arrs_summary(stream(staff), stream(weighted), year)


def claims(
    staff: Any,
    pcn: str,
    year: str,
    weighted: Number | None = None,
    lines: bool = False,
) -> pa.Table:
    """One PCN's ARRS claims for a year, as ``pcnkit arrs claims`` gives them: per pool
    ``entitlement``, ``claimed`` (null when a line is unknown), ``claimed_known``,
    ``claimed_unknown_lines``, ``status``, ``headroom`` and ``headroom_at_most``; or with
    ``lines=True`` one row per member of staff per month with ``cost``, ``maximum``, ``claim``,
    ``claim_at_most``, ``status`` and ``unknown_reason``. Without ``weighted`` the entitlement
    (and so the headroom) is unknown.

    >>> import pcnkit
    >>> pools = pcnkit.arrs.claims(pcnkit.demo.table("arrs_staff"), "U90000", "2025/26", "51243.53")
    >>> pools.to_pylist()[0]["status"]
    'incomplete'
    """
    return _pcnkit.arrs_claims(
        stream(staff),
        pcn,
        year,
        None if weighted is None else _decimal(weighted, "weighted"),
        lines,
    )


def figures(year: str, local_variation: str | os.PathLike[str] | None = None) -> pa.Table:
    """Every figure of a year's rules with its provenance, as ``pcnkit arrs figures`` gives
    them: ``what``, ``amount`` (exact decimal; null when the sources did not give it),
    ``confidence``, ``sources``, ``note``. With ``local_variation`` (the path of an ICB's
    Local Variation Arrangement file) that arrangement is applied over the national rules.

    >>> import pcnkit
    >>> t = pcnkit.arrs.figures("2026/27")
    >>> [r["what"] for r in t.to_pylist() if r["amount"] is not None][0][:40]
    'Practice-level GP reimbursement scheme ('
    """
    lva = None
    if local_variation is not None:
        path = pathlib.Path(local_variation)
        lva = (str(path), path.read_text(encoding="utf-8"))
    return _pcnkit.arrs_figures(year, lva)


def explain(
    staff: Any,
    pcn: str,
    year: str,
    staff_id: str,
    month: str,
    weighted: Number | None = None,
) -> pa.Table:
    """The rule trace behind one member of staff's claim in one month (``month`` as
    ``YYYY-MM``), as ``pcnkit arrs explain`` gives it: one ``step`` per rule applied, then the
    claim (or why it is unknown).

    >>> import pcnkit
    >>> steps = pcnkit.arrs.explain(pcnkit.demo.table("arrs_staff"), "U90000", "2025/26",
    ...                             "U90000-000", "2025-06", "51243.53")
    >>> steps.column_names
    ['step']
    """
    return _pcnkit.arrs_explain(
        stream(staff),
        pcn,
        year,
        None if weighted is None else _decimal(weighted, "weighted"),
        staff_id,
        month,
    )


def plan(
    staff: Any,
    pcn: str,
    year: str,
    role: str,
    cost: Number,
    weighted: Number | None = None,
) -> pa.Table:
    """What-if, as ``pcnkit arrs plan`` gives it: what one WTE of ``role`` costing ``cost`` a
    year (salary plus on-costs, pounds) would claim from the start of the year, and how many
    more WTE the headroom pays for (null when the headroom is unknown, with the bound from
    the known claims beside it).

    >>> import pcnkit
    >>> p = pcnkit.arrs.plan(pcnkit.demo.table("arrs_staff"), "U90000", "2025/26",
    ...                      "pharmacy_technician", 41000, "51243.53")
    >>> p.num_rows
    1
    """
    return _pcnkit.arrs_plan(
        stream(staff),
        pcn,
        year,
        None if weighted is None else _decimal(weighted, "weighted"),
        role,
        _decimal(cost, "cost"),
    )
