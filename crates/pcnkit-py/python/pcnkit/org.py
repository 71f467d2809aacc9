"""NHS England organisation files and code checks.

The registry (:class:`Registry`, from the files or the demo) answers which PCN a practice is
in, a PCN's members and population, roll-ups, snapshots, the membership history and the rule
checks; :func:`read` reads any NHS organisation file pcnkit knows.

>>> import pcnkit
>>> r = pcnkit.org.Registry.demo()
>>> r.pcn_of("Z10000"), r.members("U90000")[:2], r.population("U90000")
('U90000', ['Z10000', 'Z10030'], 49751)
>>> r.rollup("icb").select(["code", "practices", "patients"]).to_pylist()
[{'code': 'QZZ', 'practices': 180, 'patients': 1453455}]
>>> r.validate().column_names[:3]
['rule', 'severity', 'subject']
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

__all__ = [
    "Registry",
    "list_sizes",
    "parse_code",
    "read",
    "snapshot",
    "validate",
    "weighted",
]

Registry = _pcnkit.Registry


def read(kind: str, path: str | os.PathLike[str]) -> tuple[pa.Table, pa.Table]:
    """Any NHS organisation file pcnkit reads, by ``kind``: ``practice_map``,
    ``epraccur``, ``epcn_details``, ``epcn_members``, ``registered_patients``,
    ``practice_lsoa``, ``weighted``, ``lsoa_deprivation``, ``practice_deprivation`` or
    ``practice_locations``. Returns its records as a flat typed table and the findings table
    of every row that was not a record (errors, warnings and skips, each with its file, line
    and column): the same as ``pcnkit org import --kind KIND FILE``.

    >>> records, findings = pcnkit.org.read("epraccur", "epraccur.csv")   # doctest: +SKIP
    """
    return _pcnkit.org_read(kind, os.fspath(path))


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


def validate(
    practice_map: str | os.PathLike[str],
    lists: str | os.PathLike[str] | None = None,
    date: datetime.date | None = None,
) -> pa.Table:
    """Rule checks of the organisations in ``gp-reg-pat-prac-map.csv``, as ``pcnkit org
    validate`` gives them: PCN sizes (30,000 to 50,000, NHS England), PCNs whose practices are
    in more than one ICB, Clinical Directors and Network Agreements. The findings table every
    pcnkit front end uses: ``rule`` (e.g. ``org.pcn_population``), ``severity``, ``subject``,
    ``message``, ``source``, ``file``, ``line``, ``field``. Without ``lists`` (a Patients
    Registered at a GP Practice file, practice rows) each PCN's population is unknown: a
    finding (``org.pcn_population_unknown``), not a stop.

    >>> pcnkit.org.validate("gp-reg-pat-prac-map.csv").num_rows      # doctest: +SKIP
    """
    return Registry.from_files(practice_map, lists).validate(date)


def weighted(
    path: str | os.PathLike[str], practice_map: str | os.PathLike[str]
) -> tuple[pa.Table, list[str]]:
    """Weighted populations per PCN from the NHS Payments to General Practice file (or a
    ``practice``/``pcn`` + ``weighted_patients`` table), summed into PCNs through the practice
    map as on its extract date: a table of ``pcn`` and ``weighted_patients`` (exact decimal),
    ready for :func:`pcnkit.arrs.summary`, and the messages of rows that count towards no PCN
    and of PCNs only some of whose practices are in the file (left out: their entitlement is
    unknown, never understated). A bad or duplicated row raises :class:`pcnkit.DataError`.

    >>> table, notes = pcnkit.org.weighted("nhs-payments-to-general-practice-2022-23.csv",
    ...                                    "gp-reg-pat-prac-map.csv")   # doctest: +SKIP
    """
    return _pcnkit.org_weighted(os.fspath(path), os.fspath(practice_map))
