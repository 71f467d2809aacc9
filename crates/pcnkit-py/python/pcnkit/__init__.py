"""pcnkit: primary care networks in England, over Arrow tables.

Submodules mirror the Rust crates:

- :mod:`pcnkit.stats`: the UKHSA/Fingertips statistical methods (proportions, rates, means,
  directly and indirectly standardised rates, quantiles, slope index of inequality, funnel
  limits, life expectancy), grouped, with confidence intervals.
- :mod:`pcnkit.org`: NHS England organisation files (practice map, registered patients) and
  code checks.
- :mod:`pcnkit.arrs`: ARRS entitlement, claims and headroom from sourced rule tables.
- :mod:`pcnkit.assets`: Open Referral UK / HSDS 3.0 community asset registers.
- :mod:`pcnkit.demo`: a synthetic demo ICS (fixed seed; not NHS data).
- :mod:`pcnkit.spark`: the stats methods on Spark DataFrames, grouped by area.
- :func:`pcnkit.profile`: the ICS profile ``pcnkit report`` shows, as the same tables.

Tabular functions take any Arrow-compatible table (pyarrow, polars, pandas) and return a
``pyarrow.Table``. Errors are :class:`PcnkitError` or a subclass.

>>> import pcnkit
>>> pcnkit.org.parse_code("practice", "a81001")
'A81001'
"""

from pcnkit._pcnkit import (
    DataError,
    InvalidArgument,
    InvalidCode,
    PcnkitError,
    __version__,
)
from pcnkit import arrs, assets, demo, org, plan, stats
from pcnkit._profile import Profile, profile

__all__ = [
    "DataError",
    "InvalidArgument",
    "InvalidCode",
    "PcnkitError",
    "Profile",
    "__version__",
    "arrs",
    "assets",
    "demo",
    "org",
    "plan",
    "profile",
    "stats",
]
