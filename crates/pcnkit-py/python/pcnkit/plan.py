"""Planning the population-health workforce across an ICB's PCNs (``pcnkit plan``).

GP population-health leads: patches of neighbouring PCNs within the proposal's limits (at most
3 PCNs and about 100,000 patients, or a local policy's), the fewest leads or leads weighted
towards deprived patches; and an ICB's own assignment checked. The same plans as
``pcnkit plan leads`` (the tests compare them).

>>> import pcnkit
>>> patches, findings = pcnkit.plan.leads(demo=True)
>>> patches.num_rows >= 10 and set(patches["sessions_per_week"].to_pylist()) == {"4.5"}
True
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import pyarrow as pa

from pcnkit import _pcnkit

__all__ = ["check_leads", "leads"]

Path = str | os.PathLike[str]


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
