"""pcnkit.assets.Register gives what ``pcnkit assets`` gives, from every source it reads."""

from __future__ import annotations

import datetime
import json
import pathlib
import subprocess
import tempfile

import pyarrow as pa
import pytest

import pcnkit
from test_r_options import cli
from test_registry import as_text, run_csv


@pytest.fixture(scope="module")
def demo_dir() -> pathlib.Path:
    d = pathlib.Path(tempfile.mkdtemp())
    subprocess.run([str(cli()), "demo", "--dir", str(d)], check=True, capture_output=True)
    return d


def test_search_and_export_match_the_cli(demo_dir: pathlib.Path) -> None:
    hsds = demo_dir / "assets.hsds.json"
    r = pcnkit.assets.Register.read(hsds=hsds)
    assert len(r) == 2000
    at = datetime.datetime(2025, 1, 6, 10, 0)
    got = r.nearest(52.62, -1.95, kind="pharmacy", open_at=at)
    want = run_csv(["assets", "search", "--hsds", str(hsds), "--near", "52.62,-1.95",
                    "--kind", "pharmacy", "--open-at", "2025-01-06T10:00:00"])
    assert got.num_rows == want.num_rows == pcnkit.assets.search(hsds, (52.62, -1.95),
                                                                 kind="pharmacy",
                                                                 open_at=at).num_rows
    assert as_text(got.select(["id", "name", "kind"])) == as_text(want.select(["id", "name", "kind"]))
    # Within a distance: every asset no further than it, nearest first, and the nearest ones.
    near = r.within(52.62, -1.95, 2000.0)
    metres = near["metres"].to_pylist()
    assert metres == sorted(metres) and all(m <= 2000.0 for m in metres)
    assert near.num_rows >= r.nearest(52.62, -1.95, limit=1).num_rows
    exported = json.loads(r.export_hsds())
    with tempfile.TemporaryDirectory() as d:
        out = pathlib.Path(d) / "page.json"
        subprocess.run([str(cli()), "assets", "export", "--hsds", str(hsds), "--out", str(out)],
                       check=True, capture_output=True)
        assert exported == json.loads(out.read_text())


def test_csv_and_oruk_v1_registers_read_as_the_cli() -> None:
    repo = pathlib.Path(__file__).parents[3]
    for flag, path in [("csv", repo / "fuzz/corpus/assets_csv/sheet.csv"),
                       ("oruk_v1", repo / "crates/pcnkit-assets/tests/data/oruk_v1_page.json")]:
        # The ORUK v1 page holds two bad records on purpose: accepted, and listed.
        r = pcnkit.assets.Register.read(accept_errors=True, **{flag: path})  # type: ignore[arg-type]
        cli_table = run_csv(["assets", "import", "--accept-errors",
                             f"--{flag.replace('_', '-')}", str(path)])
        assert r.findings().num_rows == (2 if flag == "oruk_v1" else 0), flag
        assert len(r) == cli_table.num_rows > 0, flag
        assert r.table().column_names == cli_table.column_names, flag
        assert as_text(r.table().select(["id", "name", "kind"])) == \
            as_text(cli_table.select(["id", "name", "kind"])), flag


def test_bad_records_are_refused_or_accepted_and_listed() -> None:
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "bad.json"
        path.write_text('[{"id": "x", "name": ""}]')
        with pytest.raises(pcnkit.DataError, match="bad.json"):
            pcnkit.assets.Register.read(hsds=path)
        r = pcnkit.assets.Register.read(hsds=path, accept_errors=True)
        assert len(r) == 0
        findings = r.findings().to_pylist()
        assert [f["rule"] for f in findings] == ["assets.bad_record"]
    with pytest.raises(pcnkit.InvalidArgument, match="one of hsds"):
        pcnkit.assets.Register.read()
    with pytest.raises(pcnkit.InvalidArgument, match="kind"):
        pcnkit.assets.Register.demo().nearest(52.6, -1.9, kind="pharmacyy")


def test_coverage_against_a_registry(demo_dir: pathlib.Path) -> None:
    registry = pcnkit.org.Registry.from_files(
        demo_dir / "gp-reg-pat-prac-map.csv",
        lists=demo_dir / "gp-reg-pat-prac-quin-age.csv",
        practice_lsoa=demo_dir / "gp-reg-pat-prac-lsoa-all.csv",
    )
    got = pcnkit.assets.Register.read(hsds=demo_dir / "assets.hsds.json").coverage(registry)
    want = run_csv(["assets", "coverage", "--hsds", str(demo_dir / "assets.hsds.json"),
                    "--practice-map", str(demo_dir / "gp-reg-pat-prac-map.csv"),
                    "--practice-lsoa", str(demo_dir / "gp-reg-pat-prac-lsoa-all.csv"),
                    "--lists", str(demo_dir / "gp-reg-pat-prac-quin-age.csv")])
    assert got.column_names == want.column_names
    assert as_text(got.select(["pcn", "kind", "assets", "patients"])) == \
        as_text(want.select(["pcn", "kind", "assets", "patients"]))
    assert isinstance(got, pa.Table) and got.num_rows > 30
