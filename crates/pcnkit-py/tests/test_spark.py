"""pcnkit.spark on a local Spark (local[2]): the same results as in process."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute  # noqa: F401 (pa.compute)
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


def test_trends_benchmarks_and_disclosure_in_spark_equal_in_process(spark: SparkSession) -> None:
    years = pa.table({
        "area": ["A"] * 5 + ["B"] * 5,
        "year": [2019, 2020, 2021, 2022, 2023] * 2,
        "x": [1367, 1332, 1199, 1023, 994, 100, 103, 98, 101, 99],
        "n": [44701, 44064, 42811, 41527, 40299] + [1000] * 5,
    })
    want = stats.trend(years, "year", "x", "n", polarity="low-is-good", group_by="area")
    got = pcnkit.spark.trend(spark.createDataFrame(years.to_pandas()), "year", group_by="area",
                             numerator="x", denominator="n", polarity="low-is-good")
    got = got.toPandas().sort_values("area").reset_index(drop=True)
    assert list(got["trend_with_polarity"]) == want["trend_with_polarity"].to_pylist()
    assert list(got["trend"]) == ["Decreasing", "No significant change"]

    values = pa.table({
        "indicator": ["i1"] * 3 + ["i2"] * 3,
        "area": ["England", "A", "B"] * 2,
        "value": [50.0, 60.0, 45.0, 10.0, 10.5, 30.0],
        "lowercl": [49.0, 55.0, 40.0, 9.0, 9.0, 25.0],
        "uppercl": [51.0, 65.0, 49.5, 11.0, 12.0, 35.0],
    })
    want = stats.benchmark(values, "low-is-good", {"area": "England"}, group_by="indicator")
    got = pcnkit.spark.benchmark(spark.createDataFrame(values.to_pandas()), "low-is-good",
                                 group_by="indicator", comparator={"area": "England"})
    got = got.toPandas().sort_values(["indicator", "area"]).reset_index(drop=True)
    w = want.to_pandas().sort_values(["indicator", "area"]).reset_index(drop=True)
    assert list(got["comparison"]) == list(w["comparison"])

    counts = pa.table({"icb": ["I1"] * 3 + ["I2"] * 3, "pcn": ["P1", "P2", "P3"] * 2,
                       "count": [4, 40, 56, 12, 13, 2]})
    got = pcnkit.spark.disclose(spark.createDataFrame(counts.to_pandas()), "nhs-england",
                                "count", group_by="icb", margins=[["icb"]])
    got = got.toPandas().sort_values(["icb", "pcn"]).reset_index(drop=True)
    for icb in ["I1", "I2"]:
        one = counts.filter(pa.compute.equal(counts["icb"], icb))
        w = stats.disclose(one, "nhs-england", "count", margins=[["icb"]]).to_pandas()
        g = got[got["icb"] == icb]
        assert [None if v != v else v for v in g["count"]] == [
            None if v != v else v for v in w["count"]]



def test_overdispersed_funnels_in_spark_equal_in_process(spark: SparkSession) -> None:
    x = [10, 45, 90, 20, 110, 55, 25, 120, 35, 60]
    n = [400, 500, 600, 300, 700, 650, 450, 800, 380, 1000]
    t = pa.table({"indicator": ["a"] * 10 + ["b"] * 10, "area": [f"A{i}" for i in range(10)] * 2,
                  "x": x + [v // 2 for v in x], "n": n * 2})
    got = pcnkit.spark.funnel_significance(spark.createDataFrame(t.to_pandas()), "x",
                                           group_by="indicator", denominator="n",
                                           overdispersion="multiplicative")
    got = got.toPandas().sort_values(["indicator", "area"]).reset_index(drop=True)
    for ind in ["a", "b"]:
        one = t.filter(pa.compute.equal(t["indicator"], ind))
        w = stats.funnel_significance(one, "x", "n", overdispersion="multiplicative")
        w = w.to_pandas().sort_values("area").reset_index(drop=True)
        g = got[got["indicator"] == ind].reset_index(drop=True)
        assert list(g["significance"]) == list(w["significance"])
        assert list(g["phi"]) == list(w["phi"])
