"""pcnkit.stats: every method from Python, every input kind, and errors as exceptions."""

from __future__ import annotations

import math

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import pcnkit
from pcnkit import stats

ESP2013 = {
    "0-4": 5000, "5-9": 5500, "10-14": 5500, "15-19": 5500, "20-24": 6000, "25-29": 6000,
    "30-34": 6500, "35-39": 7000, "40-44": 7000, "45-49": 7000, "50-54": 7000,
    "55-59": 6500, "60-64": 6000, "65-69": 5500, "70-74": 5000, "75-79": 4000,
    "80-84": 2500, "85-89": 1500, "90+": 1000,
}


def by_pcn(diabetes: pa.Table) -> pa.Table:
    return stats.sum_by(diabetes, ["pcn", "age_band"], ["count", "population"])


def test_pyarrow_pandas_and_polars_inputs_give_the_same_table(diabetes: pa.Table) -> None:
    t = by_pcn(diabetes)
    a = stats.dsr(t, "count", "population", "age_band", group_by="pcn")
    b = stats.dsr(t.to_pandas(), "count", "population", "age_band", group_by="pcn")
    c = stats.dsr(pl.from_arrow(t), "count", "population", "age_band", group_by="pcn")
    assert isinstance(a, pa.Table) and a.num_rows == 30
    # The values are identical; the key column keeps the type it came in (pandas 3 hands over
    # large strings, polars string views).
    assert a.drop(["pcn"]).equals(b.drop(["pcn"])) and a.drop(["pcn"]).equals(c.drop(["pcn"]))
    assert a["pcn"].to_pylist() == b["pcn"].to_pylist() == c["pcn"].to_pylist()
    # Practice and sex rows are summed to PCN and band first, as the CLI does (the crate's
    # default); refused on request, and then no PCN can be computed: an error naming the first.
    assert stats.dsr(diabetes, "count", "population", "age_band", group_by="pcn").equals(a)
    with pytest.raises(pcnkit.DataError, match=r"age band 0-4 appears twice \(in pcn=U90000"):
        stats.dsr(diabetes, "count", "population", "age_band", group_by="pcn",
                  repeated_bands="refuse")
    # Rows of different measures are never summed into one.
    with pytest.raises(pcnkit.DataError, match="column `measure`: varies"):
        stats.dsr(pcnkit.demo.table("counts"), "count", "population", "age_band", group_by="pcn")


def test_dsr_agrees_with_phstatsmethods(diabetes: pa.Table) -> None:
    ph = pytest.importorskip("PHStatsMethods")
    import contextlib, io

    t = by_pcn(diabetes).to_pandas()
    ours = stats.dsr(t, "count", "population", "age_band", group_by="pcn",
                     confidence=[0.95, 0.998]).to_pandas().set_index("pcn")
    with contextlib.redirect_stdout(io.StringIO()):
        theirs = ph.ph_dsr(t, "count", "population", "age_band", group_cols="pcn",
                           confidence=[0.95, 0.998], euro_standard_pops=True).set_index("pcn")
    for o, p in [("value", "Value"), ("lower95_0cl", "lower_95_ci"),
                 ("upper99_8cl", "upper_99_8_ci")]:
        for pcn in ours.index:
            assert ours.loc[pcn, o] == pytest.approx(theirs.loc[pcn, p], rel=1e-9), (pcn, o)


def test_confidence_levels_name_the_columns() -> None:
    t = pa.table({"x": [10, 20], "n": [100, 100], "g": ["a", "b"]})
    one = stats.proportion(t, "x", "n", group_by="g")
    assert {"value", "lowercl", "uppercl"} <= set(one.column_names)
    two = stats.proportion(t, "x", "n", group_by="g", confidence=[0.95, 0.998])
    assert {"lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"} <= set(two.column_names)
    assert two["confidence"][0].as_py() == "95%, 99.8%"


def test_every_method_runs_on_the_demo(diabetes: pa.Table) -> None:
    per_pcn = stats.sum_by(diabetes, "pcn", ["count", "population"])
    assert stats.proportion(per_pcn, "count", "population", "pcn", multiplier=100).num_rows == 30
    assert stats.rate(per_pcn, "count", "population", "pcn").num_rows == 30
    assert stats.mean(per_pcn, "count", "pcn").num_rows == 30
    t = by_pcn(diabetes)
    ics = stats.sum_by(t, "age_band", ["count", "population"]).rename_columns(
        ["age_band", "ref_count", "ref_population"])
    joined = t.join(ics, "age_band")
    ratio = stats.isratio(joined, "count", "population", "ref_count", "ref_population", "pcn")
    assert ratio.num_rows == 30
    # Over all PCNs the ICS is its own reference: observed equals expected.
    assert sum(ratio["observed"].to_pylist()) == pytest.approx(sum(ratio["expected"].to_pylist()))
    rates = stats.israte(joined, "count", "population", "ref_count", "ref_population", "pcn")
    assert rates["value"][0].as_py() == pytest.approx(
        ratio["value"][0].as_py() * sum(ics["ref_count"].to_pylist())
        / sum(ics["ref_population"].to_pylist()) * 100000, rel=1e-12)
    crude = stats.proportion(per_pcn, "count", "population", "pcn", multiplier=100)
    q = stats.quantile(crude.append_column("ics", pa.array(["ICS"] * 30)), "value", "ics",
                       nquantiles=5)
    assert sorted(set(q["quantile"].to_pylist())) == [1, 2, 3, 4, 5]
    limits = stats.funnel_limits(per_pcn, "count", "population")
    assert limits.num_rows > 0 and "upper_3s_limit" in limits.column_names
    sig = stats.funnel_significance(per_pcn, "count", "population")
    assert sig.num_rows == 30 and "significance" in sig.column_names
    quint = pa.table({"area": ["ICS"] * 5, "q": [1, 2, 3, 4, 5],
                      "pop": [1000.0] * 5, "v": [9.0, 8.0, 7.0, 6.0, 5.0], "se": [0.5] * 5})
    s = stats.sii(quint, "q", "pop", "v", "area", se="se", repetitions=1000)
    assert s["sii"][0].as_py() == pytest.approx(-5.0)
    # Same seed, same simulated limits.
    assert s.equals(stats.sii(quint, "q", "pop", "v", "area", se="se", repetitions=1000))
    ages = [0, 1] + list(range(5, 95, 5))
    life = pa.table({"area": ["A"] * 20, "age": ages,
                     "deaths": [5, 1, 1, 1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 45, 60, 80, 110,
                                140, 160, 200],
                     "pop": [1000, 4000] + [5000] * 16 + [2000, 1000]})
    le = stats.life_expectancy(life, "deaths", "pop", "age", "area")
    assert le.num_rows == 20 and 60 < le["value"][0].as_py() < 95


def test_standard_population_mapping_equals_esp2013(diabetes: pa.Table) -> None:
    t = by_pcn(diabetes)
    default = stats.dsr(t, "count", "population", "age_band", group_by="pcn")
    mapped = stats.dsr(t, "count", "population", "age_band", group_by="pcn",
                       standard_population=ESP2013)
    assert mapped["value"].to_pylist() == pytest.approx(default["value"].to_pylist(), rel=1e-12)
    with pytest.raises(pcnkit.InvalidArgument, match="no weight for age bands"):
        stats.dsr(t, "count", "population", "age_band", standard_population={"0-4": 1.0})


def test_nulls_and_notes_not_nan() -> None:
    t = pa.table({"g": ["a"] * 19, "age_band": list(ESP2013), "x": [0] * 18 + [5],
                  "n": [1000] * 19})
    r = stats.dsr(t, "x", "n", "age_band", group_by="g")
    assert r["value"][0].as_py() is None
    assert "below 10" in r["note"][0].as_py()
    assert not any(isinstance(v, float) and math.isnan(v) for v in r.to_pylist()[0].values())


def test_bad_input_raises_typed_errors() -> None:
    t = pa.table({"x": [10, -1], "n": [100, 100], "g": ["a", "b"]})
    with pytest.raises(pcnkit.DataError) as e:
        stats.proportion(t, "x", "missing", group_by="g")
    assert e.value.field == "missing"
    assert isinstance(e.value, pcnkit.PcnkitError)
    # One bad group is null with the reason; the others are computed (issue 14).
    r = stats.rate(t, "x", "n", group_by="g")
    assert r["value"][0].as_py() == 10000.0 and r["value"][1].as_py() is None
    assert r["note"][1].as_py() == "numerator cannot be negative (found -1)"
    # When no group can be computed, the input is wrong for every group: an error.
    with pytest.raises(pcnkit.DataError, match=r"numerator cannot be negative .*\(in g=b\)"):
        stats.rate(t.slice(1), "x", "n", group_by="g")
    with pytest.raises(pcnkit.InvalidArgument, match="confidence level 0.5"):
        stats.proportion(t, "x", "n", confidence=0.5)
    with pytest.raises(pcnkit.InvalidArgument, match="expected a pyarrow Table"):
        stats.proportion([1, 2], "x", "n")
    with pytest.raises(pcnkit.InvalidArgument, match="group_by"):
        stats.proportion(t, "x", "n", group_by=[1])  # type: ignore[list-item]
    with pytest.raises(pcnkit.InvalidArgument, match="nquantiles"):
        stats.quantile(t, "x", "g", nquantiles=0)


def test_a_rust_panic_never_reaches_python() -> None:
    from pcnkit import _pcnkit

    with pytest.raises(pcnkit.PcnkitError, match="internal error in pcnkit"):
        _pcnkit._panic_for_tests()
    # And the interpreter carries on.
    assert stats.sum_by(pa.table({"k": ["a"], "v": [1]}), "k", "v")["v"][0].as_py() == 1.0


def test_empty_table_gives_an_empty_result_with_the_schema() -> None:
    t = pa.table({"g": pa.array([], pa.string()), "x": pa.array([], pa.int64()),
                  "n": pa.array([], pa.int64())})
    r = stats.proportion(t, "x", "n", group_by="g")
    assert r.num_rows == 0 and "lowercl" in r.column_names


def test_pandas_frame_in_pyarrow_out(diabetes: pa.Table) -> None:
    frame: pd.DataFrame = diabetes.to_pandas()
    out = stats.rate(frame, "count", "population", group_by=["pcn", "sex"])
    assert isinstance(out, pa.Table) and out.num_rows == 60
    assert pc.all(pc.greater(out["value"], 0)).as_py()


def test_categorical_and_view_keys_group_as_text(diabetes: pa.Table) -> None:
    """pandas categoricals and polars categoricals/enums arrive dictionary-encoded, polars
    strings as views: the crate groups them (and reads the bands) as the plain text."""
    t = by_pcn(diabetes)
    plain = stats.dsr(t, "count", "population", "age_band", group_by="pcn")
    frame = t.to_pandas()
    frame["pcn"] = frame["pcn"].astype("category")
    frame["age_band"] = frame["age_band"].astype("category")
    from_pandas = stats.dsr(frame, "count", "population", "age_band", group_by="pcn")
    assert pa.types.is_dictionary(from_pandas.schema.field("pcn").type)
    assert from_pandas.drop(["pcn"]).equals(plain.drop(["pcn"]))
    assert from_pandas["pcn"].to_pylist() == plain["pcn"].to_pylist()
    polars_plain = pl.from_arrow(t)
    assert isinstance(polars_plain, pl.DataFrame)
    polars_frame = polars_plain.with_columns(pl.col("pcn").cast(pl.Categorical))
    from_polars = stats.dsr(polars_frame, "count", "population", "age_band", group_by="pcn")
    assert from_polars.drop(["pcn"]).equals(plain.drop(["pcn"]))
    assert from_polars["pcn"].to_pylist() == plain["pcn"].to_pylist()
    rates = stats.rate(pl.from_arrow(t), "count", "population", group_by=["pcn", "age_band"])
    assert rates.num_rows == t.num_rows
