"""Community asset registers: Open Referral UK / HSDS 3.0 in, Arrow tables out.

>>> import pcnkit
>>> assets, errors = pcnkit.assets.read_hsds(pcnkit.demo.hsds_json())
>>> assets.num_rows, errors
(2000, [])
"""

from __future__ import annotations

import os

import pyarrow as pa

from pcnkit import _pcnkit

__all__ = ["read_hsds"]


def read_hsds(
    source: str | os.PathLike[str],
    default_kind: str | None = None,
    errors: str = "collect",
) -> tuple[pa.Table, list[str]]:
    """An HSDS 3.0 service, ``/services`` page or array of services (JSON text, or a path to
    a ``.json`` file) as an asset table, and one message (with its JSON path) per record that
    did not convert. ``errors="raise"`` raises :class:`pcnkit.DataError` on the first one
    instead. ``default_kind`` classifies records with no pcnkit category (e.g.
    ``"voluntary_service"``).

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
    table, messages = _pcnkit.assets_read_hsds(text, name, default_kind)
    if errors == "raise" and messages:
        raise _pcnkit.DataError(messages[0])
    if errors not in ("raise", "collect"):
        raise _pcnkit.InvalidArgument('errors: "collect" or "raise"')
    return table, messages
