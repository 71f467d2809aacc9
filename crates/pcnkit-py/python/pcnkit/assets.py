"""Community asset registers: Open Referral UK / HSDS 3.0, ORUK v1 or CSV in, Arrow tables
and HSDS out.

:class:`Register` reads a register (``Register.read(hsds=...)``, ``oruk_v1=...`` or
``csv=...``, or ``Register.demo()``) and searches it nearest-first or within a distance by
kind, need, age and opening time, measures coverage against a registry's PCNs and exports it
as an Open Referral UK ``/services`` page, as the ``pcnkit assets`` commands do.

>>> import pcnkit
>>> r = pcnkit.assets.Register.demo()
>>> len(r)
2000
>>> r.nearest(52.62, -1.95, limit=3, kind="pharmacy").column_names
['id', 'name', 'kind', 'metres']
>>> '"total_items": 2000' in r.export_hsds()
True
>>> assets, errors = pcnkit.assets.read_hsds(pcnkit.demo.hsds_json())
>>> assets.num_rows, errors
(2000, [])
"""

from __future__ import annotations

import datetime
import os

import pyarrow as pa

from pcnkit import _pcnkit

__all__ = ["Register", "coverage", "read_hsds", "search"]

Register = _pcnkit.Register


def read_hsds(
    source: str | os.PathLike[str],
    default_kind: str | None = None,
    errors: str = "collect",
    feed: str = "hsds",
) -> tuple[pa.Table, list[str]]:
    """An HSDS 3.0 service, ``/services`` page or array of services (JSON text, or a path to
    a ``.json`` file) as an asset table, and one message (with its JSON path) per record that
    did not convert. ``errors="raise"`` raises :class:`pcnkit.DataError` on the first one
    instead. ``default_kind`` classifies records with no pcnkit category (e.g.
    ``"voluntary_service"``). ``feed`` names the feed the document comes from: an asset's id
    is derived from it and the record's own id (never from the file's path), so next month's
    file of the same feed gives the same ids; give each distinct feed its own name.

    >>> table, problems = read_hsds('[{"id": "x", "name": ""}]', default_kind="group")
    >>> table.num_rows, len(problems)
    (0, 1)
    """
    text = os.fspath(source)
    name = "<json>"
    if not text.lstrip().startswith(("{", "[")):
        name = text
        with open(text, encoding="utf-8") as f:
            text = f.read()
    table, messages = _pcnkit.assets_read_hsds(text, name, default_kind, feed)
    if errors == "raise" and messages:
        raise _pcnkit.DataError(messages[0])
    if errors not in ("raise", "collect"):
        raise _pcnkit.InvalidArgument('errors: "collect" or "raise"')
    return table, messages


def coverage(
    hsds: str | os.PathLike[str],
    practice_map: str | os.PathLike[str],
    practice_lsoa: str | os.PathLike[str],
    lists: str | os.PathLike[str] | None = None,
    icb: str | None = None,
    feed: str = "hsds",
) -> pa.Table:
    """Community assets per 1,000 registered patients by PCN and kind, as ``pcnkit assets
    coverage`` gives them: an asset counts for a PCN when it lies in an LSOA where at least 5%
    of the PCN's patients live (``practice_lsoa``: ``gp-reg-pat-prac-lsoa-all.csv``).
    Populations come from ``lists`` (practice or PCN rows); an unknown population or footprint
    gives null ``patients``/``per_1000`` with a ``note``, never 0. ``icb`` (an ODS code such as
    ``"QHM"``) keeps that ICB's PCNs.

    >>> pcnkit.assets.coverage("services.json", "gp-reg-pat-prac-map.csv",
    ...                        "gp-reg-pat-prac-lsoa-all.csv", icb="QHM")   # doctest: +SKIP
    """
    registry = _pcnkit.Registry.from_files(practice_map, lists, practice_lsoa)
    return Register.read(hsds=hsds, feed=feed).coverage(registry, icb)


def search(
    hsds: str | os.PathLike[str],
    near: tuple[float, float],
    kind: str | None = None,
    need: str | None = None,
    open_at: datetime.datetime | None = None,
    limit: int | None = None,
    feed: str = "hsds",
) -> pa.Table:
    """The assets of an Open Referral UK / HSDS 3.0 file nearest ``near`` (latitude,
    longitude), as ``pcnkit assets search`` gives them: ``id``, ``name``, ``kind``, ``metres``
    (great-circle, to 0.1 m), nearest first; ``kind`` (e.g. ``"pharmacy"``), ``need`` (e.g.
    ``"loneliness"``) and ``open_at`` filter them; ``limit`` defaults to the CLI's (20).
    Records that do not convert raise ``DataError``.

    >>> pcnkit.assets.search("services.json", (52.62, -1.95), kind="pharmacy")  # doctest: +SKIP
    """
    latitude, longitude = near
    return Register.read(hsds=hsds, feed=feed).nearest(
        float(latitude), float(longitude), limit=limit, kind=kind, need=need, open_at=open_at
    )
