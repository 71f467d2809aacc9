"""pcnkit.arrs figures, explain and plan give the same tables as ``pcnkit arrs`` (the CLI)."""

from __future__ import annotations

import decimal
import pathlib
import subprocess
import tempfile
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import pcnkit
from test_r_options import cli

REPO = pathlib.Path(__file__).parents[3]
LVA = REPO / "crates/pcnkit-arrs/examples/local-variation-2026-27.toml"


def run_arrs(args: list[str]) -> pa.Table:
    with tempfile.TemporaryDirectory() as d:
        out = subprocess.run([str(cli()), "arrs", *args, "--format", "csv"],
                             check=True, capture_output=True)
        path = pathlib.Path(d) / "out.csv"
        path.write_bytes(out.stdout)
        # Every column as text: the comparison below reads numbers as exact decimals.
        names = out.stdout.decode().splitlines()[0].split(",")
        opts = pacsv.ConvertOptions(column_types={n: pa.string() for n in names})
        return pacsv.read_csv(path, convert_options=opts)


def cell(x: Any) -> str | None:
    if x is None or x == "":
        return None
    try:
        return str(decimal.Decimal(str(x)).normalize())
    except decimal.InvalidOperation:
        return str(x)


def same(cli_table: pa.Table, py_table: pa.Table) -> None:
    assert cli_table.column_names == py_table.column_names
    for name in py_table.column_names:
        got = [cell(x) for x in py_table[name].to_pylist()]
        want = [cell(x) for x in cli_table[name].to_pylist()]
        assert got == want, name


def test_figures_with_and_without_a_local_variation() -> None:
    for year in ["2019/20", "2025/26", "2026/27"]:
        same(run_arrs(["figures", "--year", year]), pcnkit.arrs.figures(year))
    varied = pcnkit.arrs.figures("2026/27", LVA)
    same(run_arrs(["figures", "--year", "2026/27", "--local-variation", str(LVA)]), varied)
    snh = [r for r in varied.to_pylist() if "Single Neighbourhood" in r["what"]]
    assert len(snh) == 1 and snh[0]["amount"] is None and "92,000" in snh[0]["note"]
    with pytest.raises(pcnkit.PcnkitError, match="Investment and Impact Fund cannot be varied"):
        with tempfile.TemporaryDirectory() as d:
            bad = pathlib.Path(d) / "iif.toml"
            bad.write_text(LVA.read_text() + '\n[[payments]]\nid = "iif_point_value"\nname = "IIF"\n'
                           'rates = [{ basis = "points", per = "unit", note = "x" }]\n')
            pcnkit.arrs.figures("2026/27", bad)


def test_explain_and_plan_match_the_cli_on_the_demo() -> None:
    staff = pcnkit.demo.table("arrs_staff")
    weighted = pcnkit.demo.table("weighted_populations")
    pcn = "U90000"
    w = [r["weighted_patients"] for r in weighted.to_pylist() if r["pcn"] == pcn][0]
    common = ["--demo", "--pcn", pcn, "--year", "2025/26"]
    same(run_arrs(["explain", *common, "--staff-id", "U90000-000", "--month", "2025-06"]),
         pcnkit.arrs.explain(staff, pcn, "2025/26", "U90000-000", "2025-06", w))
    same(run_arrs(["plan", *common, "--role", "pharmacy_technician", "--cost", "41000"]),
         pcnkit.arrs.plan(staff, pcn, "2025/26", "pharmacy_technician", 41000, w))
    with pytest.raises(pcnkit.DataError, match="no claim for staff nobody in 2025-06"):
        pcnkit.arrs.explain(staff, pcn, "2025/26", "nobody", "2025-06", w)


def test_assets_search_matches_the_cli() -> None:
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([str(cli()), "demo", "--dir", d, "--format", "csv"], check=True,
                       capture_output=True)
        hsds = str(pathlib.Path(d) / "assets.hsds.json")
        out = subprocess.run([str(cli()), "assets", "search", "--hsds", hsds, "--near",
                              "52.62,-1.95", "--kind", "pharmacy", "--limit", "5",
                              "--format", "csv"], check=True, capture_output=True)
        path = pathlib.Path(d) / "out.csv"
        path.write_bytes(out.stdout)
        names = out.stdout.decode().splitlines()[0].split(",")
        opts = pacsv.ConvertOptions(column_types={n: pa.string() for n in names})
        cli_table = pacsv.read_csv(path, convert_options=opts)
        py_table = pcnkit.assets.search(hsds, (52.62, -1.95), kind="pharmacy", limit=5)
        assert py_table.num_rows == 5
        same(cli_table, py_table)
        assert py_table["kind"].to_pylist() == ["pharmacy"] * 5
