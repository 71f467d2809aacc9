"""Planning the population-health workforce across an ICB's PCNs (``pcnkit plan``).

- :func:`leads`, :func:`check_leads`: GP population-health leads: patches of neighbouring PCNs
  within the proposal's limits (at most 3 PCNs and about 100,000 patients, or a local
  policy's), the fewest leads or leads weighted towards deprived patches; and an ICB's own
  assignment checked.
- :func:`chww`: community health and wellbeing workers across LSOAs or PCNs in proportion to
  need, with coverage by IMD decile, of the most deprived quintile, and its SII.
- :func:`link_workers`: social prescribing link workers against the assets their patients can
  walk to.
- :func:`pharmacy`: community pharmacies around each PCN by Healthy Living Pharmacy level, and
  what the practices' referrals would pay them under a sourced fee.

The same plans as ``pcnkit plan ...`` (the tests compare them).

>>> import pcnkit
>>> patches, findings = pcnkit.plan.leads(demo=True)
>>> patches.num_rows >= 10 and set(patches["sessions_per_week"].to_pylist()) == {"4.5"}
True
"""

from __future__ import annotations

import decimal
import os
from collections.abc import Mapping, Sequence

import pyarrow as pa

from pcnkit import _pcnkit

__all__ = ["check_leads", "chww", "leads", "link_workers", "pharmacy"]

Path = str | os.PathLike[str]
Number = str | int | float | decimal.Decimal


def _files(
    demo: bool,
    practice_map: Path | None,
    lists: Path | None,
    practice_lsoa: Path | None,
    lsoas: Path | None,
) -> dict[str, str] | None:
    given = {
        k: os.fspath(v)
        for k, v in {
            "practice_map": practice_map,
            "lists": lists,
            "practice_lsoa": practice_lsoa,
            "lsoas": lsoas,
        }.items()
        if v is not None
    }
    if demo and given:
        raise _pcnkit.InvalidArgument("demo=True takes no files")
    if not demo and ("practice_map" not in given or "lists" not in given):
        raise _pcnkit.InvalidArgument("give demo=True, or practice_map and lists")
    return None if demo else given


def leads(
    *,
    demo: bool = False,
    practice_map: Path | None = None,
    lists: Path | None = None,
    icb: str | None = None,
    practice_lsoa: Path | None = None,
    lsoas: Path | None = None,
    adjacency: Sequence[tuple[str, str]] | None = None,
    objective: str = "fewest",
    leads: int | None = None,
    max_pcns: int | None = None,
    max_population: int | None = None,
    accept_errors: bool = False,
) -> tuple[pa.Table, pa.Table]:
    """Patches for GPs with an extended role in population health, and the findings the plan
    rests on (its limits and their source, how neighbours were decided, PCNs left out).

    ``objective`` is ``"fewest"`` or ``"deprived"`` (with ``leads``, how many to place).
    Neighbours come from ``adjacency`` (pairs of PCN codes), else from where patients live
    (``practice_lsoa``; the demo's own), else PCNs of one sub-ICB location (a proxy the
    findings name). ``lsoas`` (with ``practice_lsoa``) gives the IMD scores ``"deprived"`` needs.
    """
    patches, findings = _pcnkit.plan_leads(
        _files(demo, practice_map, lists, practice_lsoa, lsoas),
        icb,
        accept_errors,
        None if adjacency is None else [(a, b) for a, b in adjacency],
        objective,
        leads,
        max_pcns,
        max_population,
        None,
    )
    assert patches is not None
    return patches, findings


def check_leads(
    assignment: Mapping[str, Sequence[str]],
    *,
    demo: bool = False,
    practice_map: Path | None = None,
    lists: Path | None = None,
    icb: str | None = None,
    practice_lsoa: Path | None = None,
    lsoas: Path | None = None,
    adjacency: Sequence[tuple[str, str]] | None = None,
    max_pcns: int | None = None,
    max_population: int | None = None,
    accept_errors: bool = False,
) -> pa.Table:
    """An ICB's own assignment (lead -> PCN codes) checked against the limits and the map: a
    patch over a limit, PCNs that do not border each other, a PCN with no lead or with two.

    >>> import pcnkit
    >>> f = pcnkit.plan.check_leads({"Dr A": ["U90000", "U90001", "U90002", "U90003"]}, demo=True)
    >>> "plan.leads.too_many_pcns" in f["rule"].to_pylist()
    True
    """
    _, findings = _pcnkit.plan_leads(
        _files(demo, practice_map, lists, practice_lsoa, lsoas),
        icb,
        accept_errors,
        None if adjacency is None else [(a, b) for a, b in adjacency],
        "fewest",
        None,
        max_pcns,
        max_population,
        [(lead, list(pcns)) for lead, pcns in assignment.items()],
    )
    return findings


def _workforce(
    plan: str,
    demo: bool,
    files: Mapping[str, Path] | None,
    icb: str | None,
    accept_errors: bool,
    words: Mapping[str, object],
    walking_metres: float | None = None,
) -> tuple[dict[str, pa.Table], pa.Table]:
    if demo and files:
        raise _pcnkit.InvalidArgument("demo=True takes no files")
    if not demo and not files:
        raise _pcnkit.InvalidArgument(
            "give demo=True, or files (the profile's inputs by name: practice_map, lists, ...)"
        )
    given = None if demo else {k: os.fspath(v) for k, v in (files or {}).items()}
    text = {k: str(v) for k, v in words.items() if v is not None}
    tables, findings = _pcnkit.plan_workforce(
        given, icb, accept_errors, plan, text, walking_metres
    )
    return dict(tables), findings


def chww(
    *,
    demo: bool = False,
    files: Mapping[str, Path] | None = None,
    icb: str | None = None,
    accept_errors: bool = False,
    level: str | None = None,
    workers: int | None = None,
    budget: Number | None = None,
    cost_per_worker: Number | None = None,
    households_per_worker: int | None = None,
    persons_per_household: Number | None = None,
    weighting: str | None = None,
) -> tuple[pa.Table, pa.Table, pa.Table, pa.Table]:
    """Community health and wellbeing workers placed in proportion to need: the ``areas``,
    ``deciles`` and ``summary`` tables and the findings (every assumption and its source).

    ``level`` is ``"pcn"`` (default) or ``"lsoa"``; ``workers``, or ``budget`` with
    ``cost_per_worker`` (pounds a year); ``households_per_worker`` and
    ``persons_per_household`` are required (no published figure is a national rule);
    ``weighting`` is ``"proportionate"`` (default: a household in IMD decile d weighs
    11 - d), ``"equal"``, ``"score"`` or ten comma-separated decile weights. ``files`` are the
    profile's inputs by name (as :func:`pcnkit.profile` takes them).

    >>> import pcnkit
    >>> areas, deciles, summary, findings = pcnkit.plan.chww(
    ...     demo=True, level="lsoa", workers=200, households_per_worker=120,
    ...     persons_per_household="2.4")
    >>> sum(areas["workers"].to_pylist())
    200
    """
    tables, findings = _workforce(
        "chww",
        demo,
        files,
        icb,
        accept_errors,
        {
            "level": level,
            "workers": workers,
            "budget": budget,
            "cost_per_worker": cost_per_worker,
            "households_per_worker": households_per_worker,
            "persons_per_household": persons_per_household,
            "weighting": weighting,
        },
    )
    return tables["areas"], tables["deciles"], tables["summary"], findings


def link_workers(
    *,
    demo: bool = False,
    files: Mapping[str, Path] | None = None,
    icb: str | None = None,
    accept_errors: bool = False,
    walking_metres: float | None = None,
) -> pa.Table:
    """Social prescribing link workers (WTE in post, from ``staff``) against the community
    assets (from ``assets``) within walking distance of each PCN's patients.

    >>> import pcnkit
    >>> t = pcnkit.plan.link_workers(demo=True)
    >>> t.column_names[:4]
    ['pcn', 'patients', 'link_workers', 'assets_within']
    """
    tables, _ = _workforce(
        "link_workers", demo, files, icb, accept_errors, {}, walking_metres
    )
    return tables["link_workers"]


def pharmacy(
    *,
    demo: bool = False,
    files: Mapping[str, Path] | None = None,
    icb: str | None = None,
    accept_errors: bool = False,
    scheme: str | None = None,
    year: str | None = None,
    referrals_per_1000: Number | None = None,
    schemes_file: Path | None = None,
    walking_metres: float | None = None,
) -> tuple[pa.Table, pa.Table]:
    """Community pharmacies around each PCN by Healthy Living Pharmacy level, and what its
    practices' referrals (``referrals_per_1000`` a year, required) would pay them under
    ``scheme`` (``"pharmacy_first"`` by default, ``"cpcs"``, or one of ``schemes_file``) in
    ``year`` (required, ``"2022/23"``). A fee not known for the year gives a null payment with
    the reason, never 0.

    >>> import pcnkit
    >>> t, _ = pcnkit.plan.pharmacy(demo=True, scheme="cpcs", year="2022/23",
    ...                             referrals_per_1000=10)
    >>> t["payment"][0].as_py()
    '6965.14'
    """
    tables, findings = _workforce(
        "pharmacy",
        demo,
        files,
        icb,
        accept_errors,
        {
            "scheme": scheme,
            "year": year,
            "referrals_per_1000": referrals_per_1000,
            "schemes_file": None if schemes_file is None else os.fspath(schemes_file),
        },
        walking_metres,
    )
    return tables["pharmacy"], findings
