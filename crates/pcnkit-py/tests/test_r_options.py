"""The R package's options from Python (issue 14), its defaults, and the same answers as the
``pcnkit`` command on the same inputs (the CLI binary from ``PCNKIT_CLI``, or the one the
test command builds under the Cargo target directory; skipped when neither exists)."""

from __future__ import annotations

import math
import os
import pathlib
import subprocess
import tempfile

import pyarrow as pa
import pyarrow.compute  # noqa: F401 (pa.compute)
import pyarrow.csv as pacsv
import pytest

from pcnkit import InvalidArgument, stats

AREAS = pa.table({"area": ["A", "B"], "x": [5, 50], "n": [10, 200]})
AGES = [0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]
LE = pa.table({
    "area": ["A"] * 20,
    "age": AGES,
    "deaths": [5 + i * 10 for i in range(20)],
    "pop": [1000, 1000] + [5000] * 18,
})
SII = pa.table({"q": [1, 2, 3, 4, 5], "pop": [1000.0] * 5,
                "x": [300.0, 250.0, 200.0, 150.0, 100.0]})
BANDS = pa.table({"area": ["A", "A", "B", "B"], "band": ["young", "old"] * 2,
                  "pop": [1000, 500, 2000, 100], "rc": [10, 50, 10, 50],
                  "rp": [10000, 5000, 10000, 5000]})
TOTALS = pa.table({"area": ["A", "B"], "deaths": [30, 12]})
RATES = pa.table({"ev": [414, 462, 5], "rate": [184.0, 102.0, 90.0]})


def test_duplicate_confidence_levels_are_refused() -> None:
    """Defect 7: [0.95, 0.98, 0.98] once gave two lower98_0cl columns."""
    with pytest.raises(InvalidArgument, match="0.98"):
        stats.proportion(AREAS, "x", "n", "area", confidence=[0.95, 0.98, 0.98])
    with pytest.raises(InvalidArgument):
        stats.rate(AREAS, "x", "n", "area", confidence=[95, 0.95])


def test_quantile_1_holds_the_highest_values_by_default_as_in_r_and_the_cli() -> None:
    """Defect 8: one default everywhere, R's (invert = TRUE)."""
    t = pa.table({"g": ["a"] * 5, "v": [10.0, 40.0, 20.0, 50.0, 30.0]})
    q = stats.quantile(t, "v", "g", nquantiles=5)
    assert q["quantile"].to_pylist() == [5, 2, 4, 1, 3]
    assert q["qinverted"][0].as_py() == "lowest quantile represents highest values"
    assert q["nquantiles"][0].as_py() == 5 and q["groupvars"][0].as_py() == "g"


def test_output_types_and_no_interval() -> None:
    two = [0.95, 0.998]
    assert stats.proportion(AREAS, "x", "n", "area", type="value").column_names == [
        "area", "x", "n", "value", "note"]
    assert stats.proportion(AREAS, "x", "n", "area", confidence=two, type="upper").column_names == [
        "area", "x", "n", "upper95_0cl", "upper99_8cl", "note"]
    none = stats.proportion(AREAS, "x", "n", "area", confidence=None)
    assert "lowercl" not in none.column_names and none["confidence"][0].as_py() == "none"
    with pytest.raises(InvalidArgument, match="type"):
        stats.rate(AREAS, "x", "n", "area", type="everything")


def test_mean_stdev_isr_ref_rate_and_observed_totals() -> None:
    m = stats.mean(pa.table({"g": ["a"] * 4, "v": [1.0, 2.0, 3.0, 4.0]}), "v", "g")
    assert m["stdev"][0].as_py() == pytest.approx(math.sqrt(5 / 3), rel=1e-15)
    r = stats.israte(BANDS, "deaths", "pop", "rc", "rp", "area", multiplier=1000,
                     observed_totals=TOTALS)
    assert r["observed"].to_pylist() == [30.0, 12.0]
    assert r["ref_rate"][0].as_py() == pytest.approx(4.0)
    assert r["value"][0].as_py() == pytest.approx(20.0)


def test_life_expectancy_ages_and_inputs_used() -> None:
    le = stats.life_expectancy(LE, "deaths", "pop", "age", "area", ages=[0, 65])
    assert le["startage"].to_pylist() == [0, 65]
    assert le["pops_used"][0].as_py() == sum(LE["pop"].to_pylist())


def test_sii_from_counts_with_reliability_and_funnel_points() -> None:
    s = stats.sii(SII, "q", "pop", "x", count="x", value_type="rate", repetitions=1000,
                  reliability=True)
    assert s["sii_lowercl_mad"][0].as_py() > 0
    p = stats.funnel_points(RATES, "ev", "rate", rate_type="dsr", multiplier=100000,
                            years_of_data=3)
    assert p["denominator_derived"].to_pylist()[:1] == [75000.0]
    assert p["rate_chart"].to_pylist()[2] is None  # a DSR of 5 events is not charted


def cli() -> pathlib.Path:
    given = os.environ.get("PCNKIT_CLI")
    if given:
        return pathlib.Path(given)
    target = os.environ.get("CARGO_TARGET_DIR", str(pathlib.Path(__file__).parents[3] / "target"))
    path = pathlib.Path(target) / "debug" / "pcnkit"
    if not path.exists():
        pytest.skip("no pcnkit binary (set PCNKIT_CLI): the CLI comparison is skipped")
    return path


def run_cli(args: list[str], inputs: dict[str, pa.Table]) -> pa.Table:
    with tempfile.TemporaryDirectory() as d:
        paths = {}
        for name, t in inputs.items():
            paths[name] = str(pathlib.Path(d) / f"{name}.csv")
            pacsv.write_csv(t, paths[name])
        # "@name" in the arguments is the path of input `name`.
        argv = [str(cli()), "indicators",
                *[paths[a[1:]] if a.startswith("@") else a for a in args], "--format", "csv"]
        out = subprocess.run(argv, check=True, capture_output=True)
        path = pathlib.Path(d) / "out.csv"
        path.write_bytes(out.stdout)
        return pacsv.read_csv(path)


def same(a: pa.Table, b: pa.Table) -> None:
    assert a.column_names == b.column_names
    for name in a.column_names:
        for x, y in zip(a[name].to_pylist(), b[name].to_pylist()):
            if isinstance(x, float) or isinstance(y, float):
                assert (x is None and y is None) or x == pytest.approx(y, rel=1e-12), name
            else:
                assert str(x) == str(y), name


def test_the_cli_and_python_give_the_same_answers() -> None:
    import pcnkit
    counts = pcnkit.demo.table("counts")
    diabetes = counts.filter(pa.compute.equal(counts["measure"], "diabetes"))
    cases = [
        # Practice and sex rows of one measure, summed to PCN and band by both (issue 15).
        (["dsr", "--input", "@diabetes", "--count", "count", "--population", "population",
          "--age-band", "age_band", "--group-by", "pcn", "--confidence", "0.95,0.998"],
         {"diabetes": diabetes},
         stats.dsr(diabetes, "count", "population", "age_band", group_by="pcn",
                   confidence=[0.95, 0.998])),
        (["proportion", "--input", "@areas", "--numerator", "x", "--denominator", "n",
          "--group-by", "area", "--confidence", "95,99.8", "--type", "standard"],
         {"areas": AREAS},
         stats.proportion(AREAS, "x", "n", "area", confidence=[95, 99.8], type="standard")),
        (["isr", "--input", "@bands", "--totals", "@totals", "--total", "deaths", "--population",
          "pop", "--reference-count", "rc", "--reference-population", "rp", "--group-by", "area",
          "--multiplier", "1000"],
         {"bands": BANDS, "totals": TOTALS},
         stats.israte(BANDS, "deaths", "pop", "rc", "rp", "area", multiplier=1000,
                      observed_totals=TOTALS)),
        (["quantile", "--input", "@areas", "--value", "n", "--quantiles", "2"],
         {"areas": AREAS},
         stats.quantile(AREAS, "n", nquantiles=2)),
        (["sii", "--input", "@sii", "--quantile", "q", "--population", "pop", "--value", "x",
          "--count", "x", "--value-type", "rate", "--repetitions", "2000"],
         {"sii": SII},
         stats.sii(SII, "q", "pop", "x", count="x", value_type="rate", repetitions=2000)),
        (["funnel", "--input", "@rates", "--numerator", "ev", "--rate", "rate", "--rate-type",
          "dsr", "--points", "--years", "3"],
         {"rates": RATES},
         stats.funnel_points(RATES, "ev", "rate", rate_type="dsr", years_of_data=3)),
        (["proportion", "--input", "@areas", "--numerator", "x", "--denominator", "n"],
         {"areas": AREAS},
         stats.proportion(AREAS, "x", "n")),
        (["life-expectancy", "--input", "@le", "--deaths", "deaths", "--population", "pop",
          "--start-age", "age", "--group-by", "area", "--ages", "0,65", "--confidence", "none"],
         {"le": LE},
         stats.life_expectancy(LE, "deaths", "pop", "age", "area", ages=[0, 65],
                               confidence=None)),
    ]
    # Every other method with its defaults, so no default can drift between the two.
    obs = pa.table({"obs": [8, 151, 159, 40], "exp": [6.2, 106.4, 232.9, 41.0]})
    cases += [
        (["rate", "--input", "@areas", "--count", "x", "--denominator", "n", "--group-by",
          "area"], {"areas": AREAS}, stats.rate(AREAS, "x", "n", "area")),
        (["mean", "--input", "@areas", "--value", "n", "--group-by", "area"], {"areas": AREAS},
         stats.mean(AREAS, "n", "area")),
        (["isr", "--input", "@bands", "--count", "pop", "--population", "pop",
          "--reference-count", "rc", "--reference-population", "rp", "--group-by", "area"],
         {"bands": BANDS}, stats.isratio(BANDS, "pop", "pop", "rc", "rp", "area")),
        (["quantile", "--input", "@le", "--value", "deaths", "--group-by", "area"],
         {"le": LE}, stats.quantile(LE, "deaths", "area")),
        (["funnel", "--input", "@areas", "--numerator", "x", "--denominator", "n"],
         {"areas": AREAS}, stats.funnel_significance(AREAS, "x", "n")),
        (["funnel", "--input", "@areas", "--numerator", "x", "--denominator", "n", "--limits"],
         {"areas": AREAS}, stats.funnel_limits(AREAS, "x", "n")),
        (["funnel", "--input", "@obs", "--numerator", "obs", "--denominator", "exp", "--ratio"],
         {"obs": obs}, stats.funnel_significance(obs, "obs", "exp", statistic="ratio")),
        (["funnel", "--input", "@rates", "--numerator", "ev", "--rate", "rate", "--rate-type",
          "dsr", "--multiplier", "100000", "--limits"],
         {"rates": RATES},
         stats.funnel_limits(RATES, "ev", rate="rate", statistic="rate", rate_type="dsr",
                             multiplier=100000)),
    ]
    for args, inputs, python in cases:
        same(run_cli(args, inputs), python)


def test_a_rate_funnel_needs_its_rate_type_everywhere() -> None:
    """Crude and standardised rates have different limits: no front end picks one for the
    user (the CLI once defaulted to crude and Python to dsr); the defaults that do exist come
    from the crate."""
    with pytest.raises(InvalidArgument, match="rate type"):
        stats.funnel_limits(RATES, "ev", rate="rate", statistic="rate")
    with pytest.raises(InvalidArgument, match="rate type"):
        stats.funnel_points(RATES, "ev", "rate")
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "rates.csv"
        pacsv.write_csv(RATES, path)
        out = subprocess.run([str(cli()), "indicators", "funnel", "--input", str(path),
                              "--numerator", "ev", "--rate", "rate"], capture_output=True,
                             text=True)
        assert out.returncode == 2 and "rate type" in out.stderr
    assert stats.CONFIDENCE == 0.95 and stats.TYPE == "full" and stats.YEARS_OF_DATA == 1.0


def test_disclosure_control_is_the_clis() -> None:
    t = pa.table({"area": ["England", "A", "A", "A", "B", "B"],
                  "band": ["all", "x", "y", "z", "x", "y"],
                  "count": [3, 4, 40, 56, 50, 60],
                  "population": [100, 50, 60, 70, 80, 90]})
    got = stats.disclose(t, "nhs-england", ["count", "population"], margins=[["area"]],
                         national=("area", "England"),
                         percentages={"pct": ("count", "population")})
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "t.csv"
        pacsv.write_csv(t, path)
        out = subprocess.run([str(cli()), "indicators", "disclose", "--input", str(path),
                              "--policy", "nhs-england", "--counts", "count,population",
                              "--margin", "area", "--national", "area=England",
                              "--percent", "pct=count/population", "--format", "csv"],
                             check=True, capture_output=True)
        want = pacsv.read_csv(pa.BufferReader(out.stdout))
    assert got.column_names == want.column_names
    for name in ["count", "population", "pct", "disclosure_note"]:
        assert got[name].to_pylist() == want[name].to_pylist(), name
    assert got["count"].to_pylist() == [3, None, None, 55, 50, 60]
    with pytest.raises(InvalidArgument, match="disclosure policy"):
        stats.disclose(t, "lenient", "count")


def test_benchmarking_is_the_clis() -> None:
    t = pa.table({"area": ["England", "A", "B", "C"], "value": [50.0, 60.0, 45.0, 52.0],
                  "lowercl": [49.0, 55.0, 40.0, 47.0], "uppercl": [51.0, 65.0, 49.5, 57.0]})
    got = stats.benchmark(t, "low-is-good", {"area": "England"})
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "t.csv"
        pacsv.write_csv(t, path)
        out = subprocess.run([str(cli()), "indicators", "benchmark", "--input", str(path),
                              "--comparator-row", "area=England", "--polarity", "low-is-good",
                              "--format", "csv"], check=True, capture_output=True)
        want = pacsv.read_csv(pa.BufferReader(out.stdout))
    for name in ["comparison", "comparison_colour"]:
        assert got[name].to_pylist() == want[name].to_pylist(), name
    assert got["comparison"].to_pylist() == ["Not compared", "Worse", "Better", "Similar"]
    given = stats.benchmark(t, "no-judgement", (50.0, 49.0, 51.0))
    # B (40–49.5) overlaps the given interval (49–51): similar, though below its value.
    assert given["comparison"].to_pylist()[1:] == ["Higher", "Similar", "Similar"]
    with pytest.raises(InvalidArgument, match="polarity"):
        stats.benchmark(t, "sideways", 50.0)


def test_spc_is_the_clis() -> None:
    t = pa.table({"pcn": ["U1"] * 12, "month": [f"2025-{m:02}" for m in range(1, 13)],
                  "n": [10.0, 14.0] * 5 + [12.0, 40.0]})
    got = stats.spc(t, "n", "month", group_by="pcn", direction="increase", target=5.0,
                    baseline=10, summary=True)
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "t.csv"
        pacsv.write_csv(t, path)
        out = subprocess.run([str(cli()), "indicators", "spc", "--input", str(path),
                              "--value", "n", "--period", "month", "--group-by", "pcn",
                              "--direction", "increase", "--target", "5", "--baseline", "10",
                              "--summary", "--format", "csv"], check=True, capture_output=True)
        want = pacsv.read_csv(pa.BufferReader(out.stdout))
    for name in ["latest_variation", "assurance"]:
        assert got[name].to_pylist() == want[name].to_pylist(), name
    assert got["latest_variation"].to_pylist() == ["special cause improvement (high)"]
    assert got["assurance"].to_pylist() == ["hit and miss"]
    with pytest.raises(InvalidArgument, match="run of 9"):
        stats.spc(t, "n", "month", run=9)



def test_overdispersed_funnels_are_the_clis() -> None:
    t = pa.table({"x": [10, 45, 90, 20, 110, 55, 25, 120, 35, 60],
                  "n": [400, 500, 600, 300, 700, 650, 450, 800, 380, 1000]})
    got = stats.funnel_significance(t, "x", "n", overdispersion="multiplicative")
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "t.csv"
        pacsv.write_csv(t, path)
        out = subprocess.run([str(cli()), "indicators", "funnel", "--input", str(path),
                              "--numerator", "x", "--denominator", "n",
                              "--overdispersion", "multiplicative", "--format", "csv"],
                             check=True, capture_output=True)
        want = pacsv.read_csv(pa.BufferReader(out.stdout))
    assert got["significance"].to_pylist() == want["significance"].to_pylist()
    assert abs(got["phi"][0].as_py() - 11.477059961031134) < 1e-9
    plain = stats.funnel_significance(t, "x", "n")["significance"].to_pylist()
    assert plain[4].startswith("High") and got["significance"][4].as_py() == "Not significant"



def test_the_built_in_esp1976_is_the_clis() -> None:
    bands = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
             "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85+"]
    t = pa.table({"age_band": bands,
                  "count": [127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82],
                  "pop": [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273,
                          300, 288, 153, 123]})
    got = stats.dsr(t, "count", "pop", "age_band", standard="esp1976", multiplier=10000)
    assert abs(got["value"][0].as_py() - 859.2097585022366) < 1e-9
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "t.csv"
        pacsv.write_csv(t, path)
        out = subprocess.run([str(cli()), "indicators", "dsr", "--input", str(path), "--count",
                              "count", "--population", "pop", "--age-band", "age_band",
                              "--named-standard", "esp1976", "--multiplier", "10000",
                              "--format", "csv"], check=True, capture_output=True)
        want = pacsv.read_csv(pa.BufferReader(out.stdout))
    assert abs(want["value"][0].as_py() - got["value"][0].as_py()) < 1e-9
    with pytest.raises(InvalidArgument, match="esp1976"):
        stats.dsr(t, "count", "pop", "age_band", standard="who")


def test_life_expectancy_with_an_85_plus_band_is_the_clis() -> None:
    ages = [0, 1] + list(range(5, 90, 5))
    deaths = [5, 1, 1, 1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 45, 60, 80, 110, 140, 360]
    t = pa.table({"area": ["A"] * 19, "age": ages, "deaths": deaths,
                  "pop": [1000, 4000] + [5000] * 16 + [3000]})
    got = stats.life_expectancy(t, "deaths", "pop", "age", "area", top_age=85)
    assert abs(got["value"][-1].as_py() - 3000 / 360) < 1e-9
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "t.csv"
        pacsv.write_csv(t, path)
        out = subprocess.run([str(cli()), "indicators", "life-expectancy", "--input", str(path),
                              "--deaths", "deaths", "--population", "pop", "--start-age", "age",
                              "--group-by", "area", "--top-age", "85", "--format", "csv"],
                             check=True, capture_output=True)
        want = pacsv.read_csv(pa.BufferReader(out.stdout))
    assert [round(v, 9) for v in got["value"].to_pylist()] == \
        [round(v, 9) for v in want["value"].to_pylist()]


def test_trends_are_the_clis() -> None:
    t = pa.table({
        "area": ["A"] * 5 + ["B"] * 5 + ["C"] * 3,
        "year": ["2019/20", "2020/21", "2021/22", "2022/23", "2023/24"] * 2
        + ["2021/22", "2022/23", "2023/24"],
        "value": [30.6, 30.2, 28.0, 24.6, 24.67, 10.0, 10.2, 9.9, 10.1, 10.0, 1.0, 2.0, 3.0],
        "lowercl": [28.98, 28.63, 26.44, 23.15, 23.16, 9.0, 9.2, 8.9, 9.1, 9.0, 0.5, 1.5, 2.5],
        "uppercl": [32.25, 31.9, 29.64, 26.19, 26.25, 11.0, 11.2, 10.9, 11.1, 11.0, 1.5, 2.5,
                    3.5],
    })
    got = stats.trend(t, "year", value="value", lower="lowercl", upper="uppercl",
                      polarity="high-is-good", group_by="area")
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "t.csv"
        pacsv.write_csv(t, path)
        out = subprocess.run([str(cli()), "indicators", "trend", "--input", str(path),
                              "--year", "year", "--value", "value", "--lower", "lowercl",
                              "--upper", "uppercl", "--polarity", "high-is-good",
                              "--group-by", "area", "--format", "csv"],
                             check=True, capture_output=True)
        want = pacsv.read_csv(pa.BufferReader(out.stdout))
    for name in ["trend", "trend_with_polarity", "reason"]:
        assert got[name].to_pylist() == want[name].to_pylist(), name
    for name in ["slope", "chi_squared"]:
        for a, b in zip(got[name].to_pylist(), want[name].to_pylist()):
            assert (a is None and b is None) or abs(a - b) <= 1e-12 * abs(b), name
    assert got["trend_with_polarity"].to_pylist() == [
        "Decreasing and getting worse", "No significant change", "Cannot be calculated"]
    assert abs(got["chi_squared"][0].as_py() - 46.763597160534616) < 1e-9
    with pytest.raises(InvalidArgument, match="numerator and denominator"):
        stats.trend(t, "year", numerator="value")


def test_non_independent_crude_rates_are_the_clis() -> None:
    t = pa.table({"area": ["A"] * 3 + ["B"] * 2, "persons": [20, 5, 2, 30, 1],
                  "freq": [1, 2, 3, 1, 4], "pop": [1000] * 3 + [5000] * 2})
    got = stats.rate(t, "persons", "pop", group_by="area", frequency="freq")
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "t.csv"
        pacsv.write_csv(t, path)
        out = subprocess.run([str(cli()), "indicators", "rate", "--input", str(path),
                              "--count", "persons", "--denominator", "pop", "--group-by",
                              "area", "--frequency", "freq", "--format", "csv"],
                             check=True, capture_output=True)
        want = pacsv.read_csv(pa.BufferReader(out.stdout))
    for name in ["value", "lowercl", "uppercl"]:
        for a, b in zip(got[name].to_pylist(), want[name].to_pylist()):
            assert abs(a - b) <= 1e-12 * abs(b), name
    assert [round(v, 9) for v in got["value"].to_pylist()] == [3600.0, 680.0]
    assert got["statistic"][0].as_py() == "rate per 100000 (non-independent events)"
    # Repeated events widen the interval beyond Byar's for the same 36 events.
    byars = stats.rate(pa.table({"x": [36], "n": [1000]}), "x", "n")
    width = got["uppercl"][0].as_py() - got["lowercl"][0].as_py()
    assert width > byars["uppercl"][0].as_py() - byars["lowercl"][0].as_py()
