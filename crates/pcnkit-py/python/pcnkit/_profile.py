"""The ICS profile: what ``pcnkit report`` shows, as the same named Arrow tables.

>>> import pcnkit
>>> p = pcnkit.profile(demo=True)
>>> p.title
'demo integrated care system (synthetic)'
>>> p["pcn_overview"].num_rows
30
>>> "diabetes_sii" in p.tables
True
"""

from __future__ import annotations

import dataclasses
import datetime
import os
from collections.abc import Mapping

import pyarrow as pa

from pcnkit import _pcnkit

__all__ = ["Profile", "profile"]

Path = str | os.PathLike[str]


@dataclasses.dataclass(frozen=True)
class Profile:
    """A profile of an ICS: its tables by name (in the report's order), what it is of, the
    date it is as at, the demo seed when every input is synthetic, and how practice
    deprivation was obtained.

    The tables and their columns are those ``pcnkit report`` writes as CSV and Parquet:
    ``inputs``, ``pcn_overview``, ``pcn_population_by_age_sex``, ``arrs``,
    ``arrs_claims_by_month_role``, ``arrs_by_pcn_month``, ``arrs_plan``,
    ``{measure}_dsr_by_pcn``, ``{measure}_funnel_limits``, ``{measure}_funnel_significance``,
    ``{measure}_dsr_by_quintile``, ``{measure}_sii``, ``assets_by_pcn``,
    ``assets_by_quintile`` and ``findings``, each present when its inputs are given.
    """

    title: str
    date: datetime.date
    synthetic_seed: int | None
    deprivation_method: str | None
    tables: dict[str, pa.Table]

    def __getitem__(self, name: str) -> pa.Table:
        return self.tables[name]

    @property
    def findings(self) -> pa.Table:
        """Every finding about the inputs: ``rule``, ``severity``, ``subject``, ``message``,
        ``source``, ``file``, ``line``, ``field``."""
        return self.tables["findings"]

    @property
    def inputs(self) -> pa.Table:
        """Where each input came from: ``input``, ``source``."""
        return self.tables["inputs"]


def profile(
    *,
    demo: bool = False,
    seed: int | None = None,
    practice_map: Path | None = None,
    icb: str | None = None,
    lists: Path | None = None,
    practice_lsoa: Path | None = None,
    lsoas: Path | None = None,
    practice_deprivation: Path | None = None,
    practice_locations: Path | None = None,
    weighted: Path | None = None,
    staff: Path | None = None,
    conditions: Path | None = None,
    assets: Path | None = None,
    activity: Path | None = None,
    yearly: Path | None = None,
    year: str | None = None,
    accept_errors: bool = False,
    disclosure: str | None = None,
    activity_target: float | None = None,
    chww: Mapping[str, object] | None = None,
    pharmacy: Mapping[str, object] | None = None,
) -> Profile:
    """The profile of the synthetic demo ICS (``demo=True``, optionally another ``seed``) or of
    the files an ICB holds, as ``pcnkit report`` takes them (its flags without ``--``): only
    ``practice_map`` is required; ``icb`` limits it to one ICB (ODS code). ``year`` is the
    ARRS rule year (the library's default, 2025/26, when None).

    A row that cannot be read raises :class:`pcnkit.DataError` naming the file and the rows;
    with ``accept_errors=True`` the row is left out and listed in ``findings``.
    ``disclosure`` (``"nhs-england"``, ``"opensafely"`` or ``"custom:MIN-MAX:BASE"``, as
    :func:`pcnkit.stats.disclose`) protects the indicator tables' counts before they leave
    the ICB, as ``pcnkit report --disclosure``. ``activity_target`` is a monthly target for
    the ICS's total activity, for assurance on its control chart (``--activity-target``).
    ``chww`` and ``pharmacy`` add those plans, by the options of :func:`pcnkit.plan.chww` and
    :func:`pcnkit.plan.pharmacy` (``{"workers": 200, "households_per_worker": 120,
    "persons_per_household": 2.4}``); the demo without them plans with its labelled
    illustration, as ``pcnkit report --demo``.

    >>> import pcnkit
    >>> pcnkit.profile()
    Traceback (most recent call last):
    ...
    pcnkit.InvalidArgument: give demo=True, or practice_map (and the other inputs you have)
    """
    files = {
        "practice_map": practice_map,
        "lists": lists,
        "practice_lsoa": practice_lsoa,
        "lsoas": lsoas,
        "practice_deprivation": practice_deprivation,
        "practice_locations": practice_locations,
        "weighted": weighted,
        "staff": staff,
        "conditions": conditions,
        "assets": assets,
        "activity": activity,
        "yearly": yearly,
    }
    given = {k: os.fspath(v) for k, v in files.items() if v is not None}
    if demo and given:
        raise _pcnkit.InvalidArgument("demo=True takes no files")
    if not demo and "practice_map" not in given:
        raise _pcnkit.InvalidArgument(
            "give demo=True, or practice_map (and the other inputs you have)"
        )
    if seed is not None and not demo:
        raise _pcnkit.InvalidArgument("seed is for demo=True")
    plans = {k: str(v) for k, v in {**(chww or {}), **(pharmacy or {})}.items() if v is not None}
    tables, title, date, synthetic, method = _pcnkit.profile_make(
        None if demo else given, icb, year, accept_errors, seed, disclosure,
        None if activity_target is None else float(activity_target), plans or None,
    )
    return Profile(title, date, synthetic, method, dict(tables))
