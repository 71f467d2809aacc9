"""pcnkit.org, pcnkit.arrs, pcnkit.assets and pcnkit.demo from Python."""

from __future__ import annotations

import datetime
import decimal
import json
import pathlib

import pyarrow as pa
import pytest

import pcnkit

HEADER = (
    "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,"
    "ONS_SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,ONS_ICB_CODE,"
    "ICB_CODE,ICB_NAME,ONS_COMM_REGION_CODE,COMM_REGION_CODE,COMM_REGION_NAME\n"
)
ROW = (
    "GP_PRAC_PAT_LIST,01Aug2026,{code},THE SURGERY,TS18 1HU,U89141,STOCKTON PCN,E38000247,16C,"
    "SUB,E54000050,QHM,ICB,E40000012,Y63,REGION\n"
)


def test_codes() -> None:
    assert pcnkit.org.parse_code("pcn", "u89141") == "U89141"
    with pytest.raises(pcnkit.InvalidCode):
        pcnkit.org.parse_code("lsoa", "X01")
    with pytest.raises(pcnkit.InvalidArgument):
        pcnkit.org.parse_code("planet", "X")


def test_practice_map_snapshot_and_a_bad_row(tmp_path: pathlib.Path) -> None:
    good = tmp_path / "map.csv"
    good.write_text(HEADER + ROW.format(code="A81001") + ROW.format(code="A81002"))
    snap = pcnkit.org.snapshot(good)
    assert snap.num_rows == 2
    assert snap["pcn"].to_pylist() == ["U89141", "U89141"]
    assert snap["date"][0].as_py() == datetime.date(2026, 8, 1)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + ROW.format(code="A81001") + ROW.format(code="A8100X"))
    with pytest.raises(pcnkit.DataError) as e:
        pcnkit.org.snapshot(bad)
    assert (e.value.file, e.value.row, e.value.field) == (str(bad), 1, "PRACTICE_CODE")
    assert "A8100X" in str(e.value)


def test_real_practice_map(data_dir: pathlib.Path) -> None:
    snap = pcnkit.org.snapshot(data_dir / "gp-registered-patients/gp-reg-pat-prac-map-aug-2026.csv")
    assert snap.num_rows == 6129


def test_arrs_money_is_decimal() -> None:
    total = pcnkit.arrs.arrs_sum("2025/26", 30000)
    assert total == decimal.Decimal("798930")
    assert isinstance(total, decimal.Decimal)
    with pytest.raises(pcnkit.InvalidArgument, match="not a float"):
        pcnkit.arrs.arrs_sum("2025/26", 30000.5)  # type: ignore[arg-type]
    with pytest.raises(pcnkit.InvalidArgument, match="year"):
        pcnkit.arrs.arrs_sum("1999", 1)
    for bad in ["abc", "NaN", "Infinity"]:
        with pytest.raises(pcnkit.InvalidArgument, match="weighted"):
            pcnkit.arrs.arrs_sum("2025/26", bad)
    with pytest.raises(pcnkit.DataError, match="weighted population cannot be negative"):
        pcnkit.arrs.arrs_sum("2025/26", -1)
    lines = pcnkit.arrs.entitlement("2025/26", 30000, registered=31000)
    assert pa.types.is_decimal(lines.schema.field("amount").type)
    assert "ARRS" in " ".join(lines["name"].to_pylist()) or lines.num_rows > 0


def test_arrs_summary_of_the_demo_matches_the_report() -> None:
    staff = pcnkit.demo.table("arrs_staff")
    weighted = pcnkit.demo.table("weighted_populations")
    per_pcn, per_month = pcnkit.arrs.summary(staff, weighted, "2025/26")
    first = per_pcn.to_pylist()[0]
    # The same figures as `pcnkit report --demo` (crates/pcnkit-cli/tests/cli.rs): 86 monthly
    # lines whose 2025/26 maxima are not in the sources are unknown, never £0.
    assert first["pcn"] == "U90000"
    assert first["entitlement"] == decimal.Decimal("1364666.44743")
    assert (first["status"], first["claimed"], first["headroom"]) == ("incomplete", None, None)
    assert first["claimed_known"] == decimal.Decimal("433577.6")
    assert first["claimed_unknown_lines"] == 86
    assert first["headroom_at_most"] == first["entitlement"] - first["claimed_known"]
    monthly = per_month.to_pandas()
    u = monthly[monthly.pcn == "U90000"]
    # Monthly known parts are exact to 10^-18 pounds in the table (decimal128(38, 18)).
    assert abs(u["claimed_known"].sum() - first["claimed_known"]) < decimal.Decimal("1e-15")
    assert u["claimed_unknown_lines"].sum() == 86
    assert u["claimed"].isna().all() and (u["status"] == "incomplete").all()
    # The same staff as pandas, with float WTE and costs: read exactly, same answer.
    again, _ = pcnkit.arrs.summary(staff.to_pandas(), weighted.to_pandas(), "2025/26")
    assert again.equals(per_pcn)


def test_arrs_claims_as_the_cli_gives_them() -> None:
    staff = pcnkit.demo.table("arrs_staff")
    pools = pcnkit.arrs.claims(staff, "U90000", "2025/26", "51243.53").to_pylist()
    main = pools[0]
    assert (main["pool"], main["status"], main["claimed"]) == ("main", "incomplete", None)
    assert main["claimed_known"] == decimal.Decimal("433577.6")
    lines = pcnkit.arrs.claims(staff, "U90000", "2025/26", "51243.53", lines=True)
    unknown = [r for r in lines.to_pylist() if r["status"] == "unknown"]
    assert len(unknown) == 86 and all(r["claim"] is None for r in unknown)
    assert "not found" in unknown[0]["unknown_reason"]
    # Without a weighted population the entitlement is unknown, not zero.
    assert pcnkit.arrs.claims(staff, "U90000", "2025/26").to_pylist()[0]["entitlement"] is None


def test_arrs_staff_rows_are_checked_as_the_cli_checks_them() -> None:
    staff = pcnkit.demo.table("arrs_staff").slice(0, 3).to_pandas()
    staff.loc[1, "role"] = "wizard"
    staff.loc[2, "id"] = staff.loc[0, "id"]
    with pytest.raises(pcnkit.DataError) as e:
        pcnkit.arrs.summary(staff, pcnkit.demo.table("weighted_populations"), "2025/26")
    assert (e.value.row, e.value.field) == (1, "role")
    assert 'unknown role "wizard"' in str(e.value)
    assert "1 more bad row(s)" in str(e.value) and "is already on line 2" in str(e.value)
    twice = pa.table({"pcn": ["U90000", "U90000"], "weighted_patients": ["1", "2"]})
    with pytest.raises(pcnkit.DataError, match="already on line 2"):
        pcnkit.arrs.summary(pcnkit.demo.table("arrs_staff"), twice, "2025/26")


def test_arrs_bad_staff_row_is_named() -> None:
    staff = pcnkit.demo.table("arrs_staff").slice(0, 3).to_pandas()
    staff["wte"] = staff["wte"].astype(float)
    staff.loc[2, "wte"] = -0.5
    with pytest.raises(pcnkit.DataError) as e:
        pcnkit.arrs.summary(staff, pcnkit.demo.table("weighted_populations"), "2025/26")
    assert (e.value.row, e.value.field) == (2, "wte")


def test_assets_round_trip_and_bad_records() -> None:
    assets, errors = pcnkit.assets.read_hsds(pcnkit.demo.hsds_json())
    assert assets.num_rows == 2000 and errors == []
    page = json.loads(pcnkit.demo.hsds_json())
    page["contents"][0]["name"] = ""
    page["contents"][1]["location"] = None if False else page["contents"][1].get("location")
    text = json.dumps(page)
    kept, messages = pcnkit.assets.read_hsds(text)
    assert kept.num_rows == 1999 and len(messages) == 1 and "contents[0]" in messages[0]
    with pytest.raises(pcnkit.DataError):
        pcnkit.assets.read_hsds(text, errors="raise")
    with pytest.raises(pcnkit.DataError, match="not valid JSON"):
        pcnkit.assets.read_hsds("{not json")


def test_demo_is_deterministic_and_synthetic() -> None:
    t = pcnkit.demo.tables()
    assert t["practices"].num_rows == 180 and t["lsoas"].num_rows == 905
    assert sum(t["list_sizes"].to_pandas().query("sex.isna()")["patients"]) == 1_453_455
    assert "(synthetic)" in t["practices"]["name"][0].as_py()
    with pytest.raises(pcnkit.InvalidArgument, match="no demo table"):
        pcnkit.demo.table("patients")
