"""The :mod:`pcnkit.stats` methods on Spark DataFrames, grouped by area.

Each helper groups the DataFrame by ``group_by`` and runs the same Rust code as
:mod:`pcnkit.stats` on every group through Spark's Arrow-based grouped map
(``GroupedData.applyInArrow``, Spark 4; ``applyInPandas`` on older Spark), so a national
dataset too big for one machine is computed by the same code, group by group, on the
executors. The result is a Spark DataFrame with the columns of the in-process method
(unsigned integers become signed 64-bit, which Spark lacks).

Every group must fit in an executor's memory (a PCN or a local authority is tiny); groups
are independent, so a method whose result for a group depends on other groups (funnel limits
around a national average) is not offered here.

Shipping to a cluster: build the wheel (``maturin build --release`` in ``crates/pcnkit-py``)
and make it importable by the executors' Python (``PYSPARK_PYTHON``). ``--py-files`` cannot
carry a compiled extension, so either install the wheel on every node (``pip install
pcnkit-*.whl`` in the cluster's Python environment or image), or pack a virtual environment
that has it (``venv-pack -o env.tar.gz``) and submit with ``--archives env.tar.gz#env`` and
``--conf spark.pyspark.python=./env/bin/python``. On Databricks, upload the wheel as a cluster
library. The wheel is built for one CPython version and platform (e.g. cp311 manylinux):
build it where it will run, or in the cluster's image.

>>> from pyspark.sql import SparkSession                            # doctest: +SKIP
>>> spark = SparkSession.builder.master("local[2]").getOrCreate()    # doctest: +SKIP
>>> import pcnkit
>>> by_band = pcnkit.stats.sum_by(pcnkit.demo.table("counts"),
...                               ["measure", "pcn", "age_band"], ["count", "population"])
>>> by_band.num_rows
3990
>>> df = spark.createDataFrame(by_band.to_pandas())                 # doctest: +SKIP
>>> pcnkit.spark.dsr(df, "count", "population", "age_band",
...                  group_by=["measure", "pcn"]).show()            # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pyarrow as pa

from pcnkit import stats
from pcnkit._arrow import names
from pcnkit._pcnkit import InvalidArgument

__all__ = [
    "benchmark", "disclose", "dsr", "funnel_significance", "isratio", "israte", "mean",
    "proportion", "quantile", "rate", "sii", "spc", "trend",
]


def _spark_safe(t: pa.Table) -> pa.Table:
    """Unsigned integers as int64 (Spark has no unsigned types)."""
    fields = []
    for f in t.schema:
        if pa.types.is_unsigned_integer(f.type):
            fields.append(pa.field(f.name, pa.int64(), f.nullable))
        else:
            fields.append(f)
    schema = pa.schema(fields)
    return t if schema.equals(t.schema) else t.cast(schema)


def _grouped(
    df: Any,
    method: Callable[..., pa.Table],
    group_by: str | Sequence[str] | None,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Any:
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema

    keys = names(group_by, "group_by")
    if not keys:
        raise InvalidArgument("pcnkit.spark needs group_by: the groups are computed in parallel")

    def compute(table: pa.Table) -> pa.Table:
        return _spark_safe(method(table, *args, group_by=keys, **kwargs))

    # The output schema, from the method itself run on no rows of the input's schema.
    empty = to_arrow_schema(df.schema).empty_table()
    out_schema = from_arrow_schema(compute(empty).schema)
    grouped = df.groupBy(*keys)
    if hasattr(grouped, "applyInArrow"):
        return grouped.applyInArrow(compute, out_schema)

    def compute_pandas(frame: Any) -> Any:
        return compute(pa.Table.from_pandas(frame, preserve_index=False)).to_pandas()

    return grouped.applyInPandas(compute_pandas, out_schema)


def proportion(df: Any, numerator: str, denominator: str, group_by: Any, **kwargs: Any) -> Any:
    """:func:`pcnkit.stats.proportion` per group of a Spark DataFrame.

    >>> pcnkit.spark.proportion(df, "count", "population", group_by="pcn", multiplier=100).show()  # doctest: +SKIP
    """
    return _grouped(df, stats.proportion, group_by, (numerator, denominator), kwargs)


def rate(df: Any, count: str, denominator: str, group_by: Any, **kwargs: Any) -> Any:
    """:func:`pcnkit.stats.rate` per group of a Spark DataFrame.

    >>> pcnkit.spark.rate(df, "admissions", "population", group_by=["pcn", "sex"]).show()  # doctest: +SKIP
    """
    return _grouped(df, stats.rate, group_by, (count, denominator), kwargs)


def mean(df: Any, value: str, group_by: Any, **kwargs: Any) -> Any:
    """:func:`pcnkit.stats.mean` per group of a Spark DataFrame.

    >>> pcnkit.spark.mean(df, "waiting_days", group_by="practice").show()  # doctest: +SKIP
    """
    return _grouped(df, stats.mean, group_by, (value,), kwargs)


def dsr(
    df: Any, count: str, denominator: str, age_band: str, group_by: Any, **kwargs: Any
) -> Any:
    """:func:`pcnkit.stats.dsr` per group of a Spark DataFrame (all of a group's age bands
    are in its group, so the result equals the in-process one).

    >>> pcnkit.spark.dsr(df, "count", "population", "age_band", group_by="pcn").show()  # doctest: +SKIP
    """
    return _grouped(df, stats.dsr, group_by, (count, denominator, age_band), kwargs)


def isratio(
    df: Any,
    count: str,
    denominator: str,
    reference_count: str,
    reference_denominator: str,
    group_by: Any,
    **kwargs: Any,
) -> Any:
    """:func:`pcnkit.stats.isratio` per group of a Spark DataFrame.

    >>> pcnkit.spark.isratio(df, "deaths", "population", "eng_deaths", "eng_population", group_by="icb").show()  # doctest: +SKIP
    """
    return _grouped(
        df, stats.isratio, group_by,
        (count, denominator, reference_count, reference_denominator), kwargs,
    )


def israte(
    df: Any,
    count: str,
    denominator: str,
    reference_count: str,
    reference_denominator: str,
    group_by: Any,
    **kwargs: Any,
) -> Any:
    """:func:`pcnkit.stats.israte` per group of a Spark DataFrame.

    >>> pcnkit.spark.israte(df, "deaths", "population", "eng_deaths", "eng_population", group_by="icb").show()  # doctest: +SKIP
    """
    return _grouped(
        df, stats.israte, group_by,
        (count, denominator, reference_count, reference_denominator), kwargs,
    )


def quantile(df: Any, value: str, group_by: Any, **kwargs: Any) -> Any:
    """:func:`pcnkit.stats.quantile` within each group of a Spark DataFrame.

    >>> pcnkit.spark.quantile(lsoas, "imd_score", group_by="local_authority", invert=True).show()  # doctest: +SKIP
    """
    return _grouped(df, stats.quantile, group_by, (value,), kwargs)


def sii(
    df: Any, quantile: str, population: str, value: str, group_by: Any, **kwargs: Any
) -> Any:
    """:func:`pcnkit.stats.sii` per area of a Spark DataFrame.

    >>> pcnkit.spark.sii(df, "quintile", "population", "value", group_by="icb", se="se").show()  # doctest: +SKIP
    """
    return _grouped(df, stats.sii, group_by, (quantile, population, value), kwargs)


def spc(df: Any, value: str, period: str, group_by: Any, **kwargs: Any) -> Any:
    """:func:`pcnkit.stats.spc` per group of a Spark DataFrame: one XmR chart per group
    (each chart's points are all in its group, so the result equals the in-process one).

    >>> pcnkit.spark.spc(df, "appointments", "month", group_by="pcn", direction="increase").show()  # doctest: +SKIP
    """
    return _grouped(df, stats.spc, group_by, (value, period), kwargs)


def trend(df: Any, year: str, group_by: Any, **kwargs: Any) -> Any:
    """:func:`pcnkit.stats.trend` per group of a Spark DataFrame: one recent trend per group
    (each series is all in its group, so the result equals the in-process one).

    >>> pcnkit.spark.trend(df, "year", group_by="area", numerator="x", denominator="n").show()  # doctest: +SKIP
    """
    return _grouped(df, stats.trend, group_by, (year,), kwargs)


def benchmark(df: Any, polarity: str, group_by: Any, **kwargs: Any) -> Any:
    """:func:`pcnkit.stats.benchmark` per group of a Spark DataFrame (an indicator, a
    period): each group holds its own comparator row (``comparator={"area": "England"}``) or
    column, so the result equals the in-process one grouped the same way.

    >>> pcnkit.spark.benchmark(df, "low-is-good", group_by="indicator", comparator={"area": "England"}).show()  # doctest: +SKIP
    """
    return _grouped(df, stats.benchmark, group_by, (polarity,), kwargs)


def _disclose_table(table: pa.Table, policy: str, counts: Any, group_by: list[str],
                    **kwargs: Any) -> pa.Table:
    # Each group is a separate published table: its margins are within it.
    return stats.disclose(table, policy, counts, **kwargs)


def disclose(df: Any, policy: str, counts: Any, group_by: Any, **kwargs: Any) -> Any:
    """:func:`pcnkit.stats.disclose` per group of a Spark DataFrame, each group being one
    table that is published on its own (an ICB's, a region's): its ``margins`` and
    ``total_rows`` must lie within the group, as secondary suppression protects each table's
    own totals. Equal to the in-process result on each group's rows.

    >>> pcnkit.spark.disclose(df, "nhs-england", "count", group_by="icb", margins=[["icb", "pcn"]]).show()  # doctest: +SKIP
    """
    return _grouped(df, _disclose_table, group_by, (policy, counts), kwargs)


def _funnel_table(table: pa.Table, numerator: str, group_by: list[str],
                  **kwargs: Any) -> pa.Table:
    # Each group is one funnel (an indicator's areas): its own pooled average and dispersion.
    if table.num_rows == 0:
        # The output schema, asked of no rows: a funnel with dispersion needs two areas, so
        # it is read off two placeholder areas and no row of theirs is returned.
        columns = {numerator: 1, kwargs.get("denominator"): 10, kwargs.get("rate"): 1.0}
        placeholder = pa.table({
            f.name: pa.array([columns.get(f.name), columns.get(f.name)], f.type)
            for f in table.schema
        })
        return stats.funnel_significance(placeholder, numerator, **kwargs).slice(0, 0)
    return stats.funnel_significance(table, numerator, **kwargs)


def funnel_significance(df: Any, numerator: str, group_by: Any, **kwargs: Any) -> Any:
    """:func:`pcnkit.stats.funnel_significance` per group of a Spark DataFrame, each group one
    funnel (an indicator's areas, with its own average and, with ``overdispersion=``, its own
    estimated dispersion). Equal to the in-process result on each group's rows.

    >>> pcnkit.spark.funnel_significance(df, "x", group_by="indicator", denominator="n", overdispersion="multiplicative").show()  # doctest: +SKIP
    """
    return _grouped(df, _funnel_table, group_by, (numerator,), kwargs)
