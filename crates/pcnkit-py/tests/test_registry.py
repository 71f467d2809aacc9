"""pcnkit.org.Registry and pcnkit.org.read give what ``pcnkit org`` gives."""

from __future__ import annotations

import datetime
import pathlib
import subprocess
import tempfile

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import pcnkit
from test_r_options import cli


def run_csv(args: list[str]) -> pa.Table:
    out = subprocess.run([str(cli()), *args, "--format", "csv"], check=True,
                         capture_output=True)
    names = out.stdout.decode().splitlines()[0].split(",")
    opts = pacsv.ConvertOptions(column_types={n: pa.string() for n in names})
    return pacsv.read_csv(pa.BufferReader(out.stdout), convert_options=opts)


def as_text(t: pa.Table) -> list[list[str | None]]:
    return [[None if v is None else str(v) for v in t[c].to_pylist()] for c in t.column_names]


def test_the_demo_registry_answers_as_the_cli() -> None:
    r = pcnkit.org.Registry.demo()
    assert r.date == datetime.date(2025, 1, 1)
    snap = r.snapshot()
    cli_snap = run_csv(["org", "snapshot", "--demo"])
    assert snap.column_names == cli_snap.column_names
    assert snap.num_rows == cli_snap.num_rows == 180
    assert as_text(snap.select(["practice", "pcn", "icb"])) == \
        as_text(cli_snap.select(["practice", "pcn", "icb"]))
    findings = r.validate()
    assert findings.column_names == run_csv(["org", "validate", "--demo"]).column_names
    # Queries agree with the snapshot.
    row = snap.slice(0, 1).to_pylist()[0]
    assert r.pcn_of(row["practice"]) == row["pcn"]
    assert row["practice"] in r.members(row["pcn"])
    total = sum(r.population(p) or 0 for p in set(snap["pcn"].to_pylist()))
    assert r.rollup("icb")["patients"].to_pylist() == [total]
    assert r.memberships().num_rows >= 180
    assert r.pcns().num_rows == 30 and r.practices().num_rows == 180
    assert "30 PCNs" in repr(r)


def test_queries_refuse_bad_codes_and_unknown_pcns() -> None:
    r = pcnkit.org.Registry.demo()
    with pytest.raises(pcnkit.InvalidCode):
        r.pcn_of("not a code")
    with pytest.raises(pcnkit.InvalidArgument, match="not in the registry"):
        r.population("U99999")
    with pytest.raises(pcnkit.InvalidArgument, match="level"):
        r.rollup("street")
    assert r.pcn_of("Z10000", datetime.date(2000, 1, 1)) is None


def test_every_file_kind_reads_as_org_import() -> None:
    with tempfile.TemporaryDirectory() as d:
        demo = pathlib.Path(d)
        subprocess.run([str(cli()), "demo", "--dir", str(demo)], check=True,
                       capture_output=True)
        for kind, name in [("practice_map", "gp-reg-pat-prac-map.csv"),
                           ("registered_patients", "gp-reg-pat-prac-quin-age.csv"),
                           ("practice_lsoa", "gp-reg-pat-prac-lsoa-all.csv"),
                           ("weighted", "weighted_populations.csv"),
                           ("lsoa_deprivation", "lsoas.csv"),
                           ("practice_locations", "practice_locations.csv")]:
            records, findings = pcnkit.org.read(kind, demo / name)
            out = demo / f"{kind}.csv"
            subprocess.run([str(cli()), "org", "import", "--kind", kind.replace("_", "-"),
                            str(demo / name), "--out", str(out), "--format", "csv"],
                           check=True, capture_output=True)
            from_cli = pacsv.read_csv(out)
            assert records.num_rows == from_cli.num_rows > 0, kind
            assert records.column_names == from_cli.column_names, kind
            assert findings.num_rows == 0, kind
    with pytest.raises(pcnkit.InvalidArgument, match="one of practice_map"):
        pcnkit.org.read("spreadsheet", "x.csv")


def test_a_real_registry(data_dir: pathlib.Path) -> None:
    gp = data_dir / "gp-registered-patients"
    r = pcnkit.org.Registry.from_files(gp / "gp-reg-pat-prac-map-aug-2026.csv",
                                       lists=gp / "gp-reg-pat-prac-sing-age-regions-aug-2026.csv")
    icbs = r.rollup("icb")
    snap = r.snapshot()
    assert icbs.num_rows == len(set(snap["icb"].to_pylist()))
    # The lists are PCN rows: no practice has a list, so every ICB's patients are unknown
    # (null), never 0, and the practices without a list are counted.
    assert icbs["patients"].null_count == icbs.num_rows
    assert sum(icbs["missing_list_sizes"].to_pylist()) == snap.num_rows
    pcn = snap["pcn"][0].as_py()
    # PCN rows of the list file give PCN populations even without practice lists.
    assert r.population(pcn) is not None
    records, findings = pcnkit.org.read("practice_map", gp / "gp-reg-pat-prac-map-aug-2026.csv")
    assert records.num_rows == r.practices().num_rows


def test_deprivation_is_the_clis_and_the_profiles() -> None:
    """Population-weighted deprivation of the demo's files, from Python and the CLI, equals
    the demo profile's (one engine); the demo's synthetic scores rank it."""
    with tempfile.TemporaryDirectory() as d:
        demo = pathlib.Path(d)
        subprocess.run([str(cli()), "demo", "--dir", str(demo)], check=True,
                       capture_output=True)
        files = [demo / "gp-reg-pat-prac-lsoa-all.csv", demo / "lsoas.csv"]
        registry = pcnkit.org.Registry.from_files(demo / "gp-reg-pat-prac-map.csv")
        got = registry.deprivation(files[0], files[1])
        want = run_csv(["org", "deprivation", "--practice-map",
                        str(demo / "gp-reg-pat-prac-map.csv"), "--practice-lsoa",
                        str(files[0]), "--lsoas", str(files[1])])
        assert as_text(got) == as_text(want)
        profile = pcnkit.profile(demo=True).tables["deprivation"]
        assert as_text(profile) == as_text(got)
        assert set(got["ranked_by"].to_pylist()) == {"score"}
        assert set(got["release"].to_pylist()) == {"synthetic"}
        levels = got["level"].to_pylist()
        assert levels.count("pcn") == 30
        with pytest.raises(pcnkit.InvalidArgument, match="within"):
            registry.deprivation(files[0], files[1], within="county")
        bad = demo / "bad-lsoas.csv"
        bad.write_text("lsoa,imd_decile\nE01900001,3\nE01900002,11\n")
        with pytest.raises(pcnkit.DataError, match="bad-lsoas.csv, line 3"):
            registry.deprivation(files[0], bad)
