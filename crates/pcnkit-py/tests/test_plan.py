"""pcnkit.plan gives the same lead plans as ``pcnkit plan leads`` (issue 19)."""

from __future__ import annotations

import subprocess

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import pcnkit
from test_r_options import cli


def run_cli(args: list[str]) -> pa.Table:
    out = subprocess.run([str(cli()), "plan", "leads", *args, "--format", "csv", "--quiet"],
                         check=True, capture_output=True)
    names = out.stdout.decode().splitlines()[0].split(",")
    opts = pacsv.ConvertOptions(column_types={n: pa.string() for n in names})
    return pacsv.read_csv(pa.BufferReader(out.stdout), convert_options=opts)


def text(t: pa.Table, column: str) -> list[str]:
    return [str(v) for v in t[column].to_pylist()]


@pytest.mark.parametrize("args, kwargs", [
    (["--demo"], {"demo": True}),
    (["--demo", "--objective", "deprived", "--leads", "20"],
     {"demo": True, "objective": "deprived", "leads": 20}),
    (["--demo", "--max-pcns", "2"], {"demo": True, "max_pcns": 2}),
])
def test_plans_match_the_cli(args: list[str], kwargs: dict[str, object]) -> None:
    patches, findings = pcnkit.plan.leads(**kwargs)  # type: ignore[arg-type]
    theirs = run_cli(args)
    for column in ["lead", "pcns", "population", "sessions_per_week", "patients_per_session"]:
        assert text(patches, column) == text(theirs, column), column
    assert "plan.leads.limits" in findings["rule"].to_pylist()


def test_every_patch_is_within_the_limits_and_checks_clean() -> None:
    patches, _ = pcnkit.plan.leads(demo=True)
    assignment = {f"lead {lead}": pcns.split(";")
                  for lead, pcns in zip(text(patches, "lead"), text(patches, "pcns"))}
    assert all(len(p) <= 3 for p in assignment.values())
    assert all(n <= 100_000 for n in patches["population"].to_pylist())
    assert pcnkit.plan.check_leads(assignment, demo=True).num_rows == 0


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(pcnkit.InvalidArgument, match="give demo=True"):
        pcnkit.plan.leads()
    with pytest.raises(pcnkit.InvalidArgument, match="objective"):
        pcnkit.plan.leads(demo=True, objective="most")
    with pytest.raises(pcnkit.InvalidArgument, match="leads goes with"):
        pcnkit.plan.leads(demo=True, leads=20)
    with pytest.raises(pcnkit.InvalidArgument):
        pcnkit.plan.leads(demo=True, objective="deprived", leads=1)


def run_plan(command: str, args: list[str]) -> pa.Table:
    out = subprocess.run([str(cli()), "plan", command, *args, "--format", "csv", "--quiet"],
                         check=True, capture_output=True)
    names = out.stdout.decode().splitlines()[0].split(",")
    opts = pacsv.ConvertOptions(column_types={n: pa.string() for n in names})
    return pacsv.read_csv(pa.BufferReader(out.stdout), convert_options=opts)


def same(ours: pa.Table, theirs: pa.Table) -> None:
    assert ours.column_names == theirs.column_names
    for c in ours.column_names:
        mine = ["" if v is None else v for v in ours[c].to_pylist()]
        cli_text = ["" if v is None else v for v in theirs[c].to_pylist()]
        if pa.types.is_floating(ours[c].type):
            for m, t in zip(mine, cli_text, strict=True):
                assert (m == "") == (t == ""), c
                if m != "":
                    assert float(t) == pytest.approx(m, rel=1e-12), c
        else:
            assert [str(v) for v in mine] == cli_text, c


CHWW = ["--demo", "--chww-level", "lsoa", "--households-per-worker", "120",
        "--persons-per-household", "2.4"]


@pytest.mark.parametrize("table", ["areas", "deciles", "summary"])
@pytest.mark.parametrize("extra, kwargs", [
    (["--chww-workers", "200"], {"workers": 200}),
    (["--chww-workers", "200", "--chww-weighting", "equal"], {"workers": 200, "weighting": "equal"}),
    (["--chww-budget", "1000000", "--chww-cost", "30000"],
     {"budget": 1_000_000, "cost_per_worker": 30_000}),
])
def test_chww_matches_the_cli(table: str, extra: list[str], kwargs: dict[str, object]) -> None:
    areas, deciles, summary, findings = pcnkit.plan.chww(
        demo=True, level="lsoa", households_per_worker=120, persons_per_household="2.4",
        **kwargs)  # type: ignore[arg-type]
    ours = {"areas": areas, "deciles": deciles, "summary": summary}[table]
    same(ours, run_plan("chww", [*CHWW, *extra, "--table", table]))
    assert "plan.chww.patch" in findings["rule"].to_pylist()


def test_pharmacy_and_link_workers_match_the_cli() -> None:
    ours, findings = pcnkit.plan.pharmacy(demo=True, scheme="cpcs", year="2022/23",
                                          referrals_per_1000=10)
    same(ours, run_plan("pharmacy", ["--demo", "--pharmacy-scheme", "cpcs", "--pharmacy-year",
                                     "2022/23", "--referrals-per-1000", "10"]))
    assert "plan.pharmacy.referrals" in findings["rule"].to_pylist()
    same(pcnkit.plan.link_workers(demo=True), run_plan("link-workers", ["--demo"]))


def test_workforce_plans_say_what_they_need() -> None:
    with pytest.raises(pcnkit.InvalidArgument, match="households per worker"):
        pcnkit.plan.chww(demo=True, workers=5, persons_per_household=2.4)
    with pytest.raises(pcnkit.InvalidArgument, match="not a whole number"):
        pcnkit.plan.chww(demo=True, workers="many", households_per_worker=120,  # type: ignore[arg-type]
                         persons_per_household=2.4)
    with pytest.raises(pcnkit.InvalidArgument, match="referrals a year per 1,000"):
        pcnkit.plan.pharmacy(demo=True, year="2023/24")
    with pytest.raises(pcnkit.InvalidArgument, match="give demo=True"):
        pcnkit.plan.chww(workers=5)
    # A year without a confirmed fee: a null payment with the reason, never 0.
    t, _ = pcnkit.plan.pharmacy(demo=True, year="2025/26", referrals_per_1000=10)
    assert set(t["payment"].to_pylist()) == {None}
    assert all("not confirmed" in n for n in t["note"].to_pylist())
