"""pcnkit.profile gives the tables ``pcnkit report`` writes, for the demo and for a real ICB."""

from __future__ import annotations

import csv

import pathlib
import subprocess
import tempfile

import pyarrow.parquet as pq
import pytest

import pcnkit
from test_r_options import cli


def report(args: list[str], out: pathlib.Path) -> list[str]:
    """Runs ``pcnkit report`` into ``out``; the names of the tables it wrote, in order."""
    done = subprocess.run([str(cli()), "report", "-q", "--dir", str(out), *args,
                           "--format", "csv"], check=True, capture_output=True, text=True)
    return [n for n in done.stdout.splitlines()[1:] if n != "index.html"]


def assert_same(p: pcnkit.Profile, out: pathlib.Path, written: list[str]) -> None:
    assert list(p.tables) == written
    for name, table in p.tables.items():
        from_cli = pq.read_table(out / f"{name}.parquet")
        assert from_cli.schema.equals(table.schema, check_metadata=False), name
        assert from_cli.equals(table, check_metadata=False), name


def test_the_demo_profile_is_the_demo_report() -> None:
    with tempfile.TemporaryDirectory() as d:
        out = pathlib.Path(d)
        written = report(["--demo"], out)
        p = pcnkit.profile(demo=True)
        assert_same(p, out, written)
    assert p.synthetic_seed == pcnkit.demo.DEFAULT_SEED
    # Nothing about the demo's inputs; only what the plans rest on (their limits, sources and
    # the demo's illustrative figures).
    assert all(r.startswith("plan.") for r in p.findings["rule"].to_pylist())
    assert "plan_chww_deciles" in p.tables and "plan_pharmacy" in p.tables
    assert p["diabetes_sii"]["sii"][0].as_py() < 0


def test_the_profiles_plans_are_the_reports() -> None:
    with tempfile.TemporaryDirectory() as d:
        out = pathlib.Path(d)
        written = report(["--demo", "--chww-level", "pcn", "--chww-budget", "900000",
                          "--chww-cost", "30000", "--households-per-worker", "150",
                          "--persons-per-household", "2.3", "--pharmacy-year", "2021/22",
                          "--pharmacy-scheme", "cpcs", "--referrals-per-1000", "7"], out)
        p = pcnkit.profile(
            demo=True,
            chww={"level": "pcn", "budget": 900000, "cost_per_worker": 30000,
                  "households_per_worker": 150, "persons_per_household": "2.3"},
            pharmacy={"year": "2021/22", "scheme": "cpcs", "referrals_per_1000": 7})
        assert_same(p, out, written)
    summary = dict(zip(p["plan_chww_summary"]["measure"].to_pylist(),
                       p["plan_chww_summary"]["value"].to_pylist(), strict=True))
    assert summary["workers"] == "30"
    with pytest.raises(pcnkit.InvalidArgument, match="persons per household"):
        pcnkit.profile(demo=True, chww={"workers": 5, "households_per_worker": 100})


def test_disclosure_control_of_the_profile_is_the_reports() -> None:
    with tempfile.TemporaryDirectory() as d:
        out = pathlib.Path(d)
        written = report(["--demo", "--disclosure", "nhs-england"], out)
        p = pcnkit.profile(demo=True, disclosure="nhs-england")
        assert_same(p, out, written)
    plain = pcnkit.profile(demo=True)
    protected = p["diabetes_dsr_by_pcn"]
    assert all(c % 5 == 0 for c in protected["count"].to_pylist() if c is not None)
    assert "disclosure_note" in protected.column_names
    # Standardised rates are exempt under NHS England's rule.
    assert protected["value"].to_pylist() == plain["diabetes_dsr_by_pcn"]["value"].to_pylist()
    with pytest.raises(pcnkit.InvalidArgument, match="disclosure policy"):
        pcnkit.profile(demo=True, disclosure="lenient")


def test_an_activity_target_gives_the_reports_assurance() -> None:
    with tempfile.TemporaryDirectory() as d:
        out = pathlib.Path(d)
        written = report(["--demo", "--activity-target", "570000"], out)
        p = pcnkit.profile(demo=True, activity_target=570000)
        assert_same(p, out, written)
        html = (out / "index.html").read_text()
    # The ICS's limits (about 575,000 to 588,500) are above the target: consistently pass.
    assert set(p["activity_spc_ics"]["assurance"].to_pylist()) == {"consistently pass"}
    assert 'aria-label="consistently pass"' in html
    assert pcnkit.profile(demo=True)["activity_spc_ics"]["assurance"].null_count > 0


def test_the_profile_of_a_real_icb_is_its_report(data_dir: pathlib.Path) -> None:
    files = {
        "practice_map": data_dir / "gp-registered-patients/gp-reg-pat-prac-map-aug-2026.csv",
        "lists": data_dir / "gp-registered-patients/gp-reg-pat-prac-sing-age-regions-aug-2026.csv",
        "practice_deprivation":
            data_dir / "practice-indicators/fingertips-93553-practice-imd-score.csv",
        "weighted": data_dir / "gp-payments/nhs-payments-to-general-practice-2022-23.csv",
    }
    for f in files.values():
        if not f.exists():
            pytest.skip(f"{f} is missing")
    with tempfile.TemporaryDirectory() as d:
        assets = pathlib.Path(d) / "services.json"
        subprocess.run([str(cli()), "assets", "export", "--demo", "--out", str(assets)],
                       check=True, capture_output=True)
        args = ["--icb", "QOC", "--assets", str(assets)]
        for k, v in files.items():
            args += [f"--{k.replace('_', '-')}", str(v)]
        out = pathlib.Path(d) / "report"
        written = report(args, out)
        p = pcnkit.profile(icb="QOC", assets=assets, **files)  # type: ignore[arg-type]
        assert_same(p, out, written)
    assert "Shropshire" in p.title
    # The warnings and skipped rows of the national files are findings, the same from both.
    assert p.findings.num_rows > 0
    assert p["pcn_overview"]["patients"].null_count == 0


def test_a_bad_row_is_refused_or_accepted_and_listed() -> None:
    with tempfile.TemporaryDirectory() as d:
        demo = pathlib.Path(d)
        subprocess.run([str(cli()), "demo", "--dir", str(demo)], check=True,
                       capture_output=True)
        staff = demo / "arrs_staff.csv"
        lines = staff.read_text().splitlines()
        header = lines[0].split(",")
        row = lines[1].split(",")
        row[header.index("wte")] = "lots"
        lines[1] = ",".join(row)
        staff.write_text("\n".join(lines) + "\n")
        files = {"practice_map": demo / "gp-reg-pat-prac-map.csv",
                 "weighted": demo / "weighted_populations.csv", "staff": staff}
        with pytest.raises(pcnkit.DataError, match="arrs_staff.csv") as e:
            pcnkit.profile(**files)  # type: ignore[arg-type]
        assert "line 2" in str(e.value) and e.value.file == str(staff)
        p = pcnkit.profile(accept_errors=True, **files)  # type: ignore[arg-type]
        errors = [r for r in p.findings.to_pylist() if r["severity"] == "error"]
        assert len(errors) == 1 and errors[0]["line"] == 2 and errors[0]["field"] == "wte"
        assert "arrs" in p.tables


def test_yearly_files_give_the_demo_trends() -> None:
    """The demo's yearly proportions written by ``pcnkit demo`` and read back give the demo's
    recent trends; a numerator above its denominator is an error naming the line."""
    with tempfile.TemporaryDirectory() as d:
        demo = pathlib.Path(d)
        subprocess.run([str(cli()), "demo", "--dir", str(demo)], check=True,
                       capture_output=True)
        p = pcnkit.profile(practice_map=demo / "gp-reg-pat-prac-map.csv",
                           yearly=demo / "yearly.csv")
        want = pcnkit.profile(demo=True).tables["indicators_trend"]
        assert p.tables["indicators_trend"].equals(want)
        assert "Outlier found" in want["reason"].to_pylist()
        yearly = demo / "yearly.csv"
        with yearly.open(newline="") as f:
            rows = list(csv.DictReader(f))
        rows[2]["numerator"] = str(int(rows[2]["denominator"]) + 1)
        with yearly.open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        with pytest.raises(pcnkit.DataError, match="line 4.*numerator.*above"):
            pcnkit.profile(practice_map=demo / "gp-reg-pat-prac-map.csv", yearly=yearly)


def test_arguments_are_checked() -> None:
    with pytest.raises(pcnkit.InvalidArgument, match="give demo=True"):
        pcnkit.profile()
    with pytest.raises(pcnkit.InvalidArgument, match="takes no files"):
        pcnkit.profile(demo=True, lists="x.csv")
    with pytest.raises(pcnkit.InvalidCode):
        pcnkit.profile(practice_map="x.csv", icb="not an icb")
    with pytest.raises(pcnkit.DataError, match="nowhere.csv"):
        pcnkit.profile(practice_map="nowhere.csv")
