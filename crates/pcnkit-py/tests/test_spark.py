"""pcnkit.spark on a local Spark (local[2]): the same results as in process."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator

import pyarrow as pa
import pytest

import pcnkit
from pcnkit import stats

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("no Java on this machine: Spark cannot start", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402

import pcnkit.spark  # noqa: E402


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    # The executors' Python must have pcnkit installed: here, this interpreter.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("pcnkit-tests")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def same(a: pa.Table, spark_df: object, key: str) -> None:
    got = pa.Table.from_pandas(spark_df.toPandas(), preserve_index=False)  # type: ignore[attr-defined]
    got = got.sort_by(key)
    want = a.sort_by(key)
    assert got.column_names == want.column_names
    for name in want.column_names:
        w, g = want[name].to_pylist(), got[name].to_pylist()
        if pa.types.is_floating(want.schema.field(name).type):
            assert g == pytest.approx(w, rel=1e-12, nan_ok=True), name
        else:
            assert [str(x) for x in g] == [str(x) for x in w], name


def test_dsr_rate_proportion_in_spark_equal_in_process(spark: SparkSession, diabetes: pa.Table) -> None:
    by_band = stats.sum_by(diabetes, ["pcn", "age_band"], ["count", "population"])
    df = spark.createDataFrame(by_band.to_pandas())
    same(stats.dsr(by_band, "count", "population", "age_band", group_by="pcn",
                   confidence=[0.95, 0.998]),
         pcnkit.spark.dsr(df, "count", "population", "age_band", group_by="pcn",
                          confidence=[0.95, 0.998]), "pcn")
    per_pcn = stats.sum_by(diabetes, "pcn", ["count", "population"])
    pdf = spark.createDataFrame(per_pcn.to_pandas())
    same(stats.rate(per_pcn, "count", "population", group_by="pcn"),
         pcnkit.spark.rate(pdf, "count", "population", group_by="pcn"), "pcn")
    same(stats.proportion(per_pcn, "count", "population", group_by="pcn", multiplier=100),
         pcnkit.spark.proportion(pdf, "count", "population", group_by="pcn", multiplier=100),
         "pcn")


def test_quantiles_within_groups_in_spark(spark: SparkSession) -> None:
    lsoas = pcnkit.demo.table("lsoas")
    want = stats.quantile(lsoas, "population", group_by="place", nquantiles=5)
    got = pcnkit.spark.quantile(spark.createDataFrame(lsoas.to_pandas()), "population",
                                group_by="place", nquantiles=5)
    same(want.cast(pa.schema([pa.field(f.name, pa.int64() if pa.types.is_unsigned_integer(f.type)
                                       else f.type) for f in want.schema])), got, "lsoa")


def test_spark_needs_group_by(spark: SparkSession) -> None:
    df = spark.createDataFrame([("a", 1, 10)], ["g", "x", "n"])
    with pytest.raises(pcnkit.InvalidArgument, match="needs group_by"):
        pcnkit.spark.rate(df, "x", "n", group_by=None)


def test_spc_charts_in_spark_equal_in_process(spark: SparkSession) -> None:
    months = [f"2025-{m:02}" for m in range(1, 13)]
    t = pa.table({
        "pcn": ["U1"] * 12 + ["U2"] * 12,
        "month": months * 2,
        "n": [10.0, 14.0] * 6 + [10.0, 14.0] * 5 + [12.0, 40.0],
    })
    want = stats.spc(t, "n", "month", group_by="pcn", direction="decrease", baseline=10)
    got = pcnkit.spark.spc(spark.createDataFrame(t.to_pandas()), "n", "month", group_by="pcn",
                           direction="decrease", baseline=10).toPandas()
    got = got.sort_values(["pcn", "month"]).reset_index(drop=True)
    w = want.to_pandas().sort_values(["pcn", "month"]).reset_index(drop=True)
    assert list(got["variation"]) == list(w["variation"])
    assert list(got["ucl"]) == list(w["ucl"])
    assert w["variation"].iloc[-1] == "special cause concern (high)"
