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
