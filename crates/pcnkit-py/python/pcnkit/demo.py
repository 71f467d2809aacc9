"""The synthetic demo ICS: about 1.5 million patients in 180 practices and 30 PCNs, with
deprivation, condition registers, an ARRS workforce, 2,000 community assets and two years of
monthly appointments per PCN. Generated from a fixed seed, the same on every machine. It is
synthetic, not NHS data.

>>> import pcnkit
>>> sorted(pcnkit.demo.tables())[:4]
['appointments', 'arrs_staff', 'assets', 'counts']
>>> pcnkit.demo.table("pcns").num_rows
30
"""

from __future__ import annotations

import functools

import pyarrow as pa

from pcnkit import _pcnkit

__all__ = ["DEFAULT_SEED", "hsds_json", "table", "tables"]

DEFAULT_SEED: int = _pcnkit.demo_default_seed()


@functools.lru_cache(maxsize=4)
def _tables(seed: int) -> dict[str, pa.Table]:
    return dict(_pcnkit.demo_tables(seed))


def tables(seed: int = DEFAULT_SEED) -> dict[str, pa.Table]:
    """Every demo table by name: ``practices``, ``pcns``, ``memberships``, ``list_sizes``,
    ``lsoas``, ``counts`` (condition registers and emergency admissions by practice, age band
    and sex, with populations), ``arrs_staff``, ``assets``, ``practice_locations``,
    ``weighted_populations``, ``practice_lsoa``.

    >>> tables()["counts"].column_names[:4]
    ['practice', 'pcn', 'measure', 'age_band']
    """
    return {k: v for k, v in _tables(seed).items() if k != "hsds"}


def table(name: str, seed: int = DEFAULT_SEED) -> pa.Table:
    """One demo table (see :func:`tables`).

    >>> table("practices").num_rows
    180
    """
    t = tables(seed)
    if name not in t:
        raise _pcnkit.InvalidArgument(f"no demo table {name!r}: one of {sorted(t)}")
    return t[name]


def hsds_json(seed: int = DEFAULT_SEED) -> str:
    """The demo asset register as an Open Referral UK / HSDS 3.0 ``/services`` page.

    >>> import json
    >>> json.loads(hsds_json())["total_items"]
    2000
    """
    return str(_tables(seed)["hsds"].column("json")[0].as_py())
