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


# The real-data paths of the CLI, from Python, on NHS England's files (PCNKIT_DATA_DIR), for
# a small ICB (QOC, 10 PCNs) and one of the largest (QHM, 67 PCNs).
ICBS = ["QOC", "QHM"]


def _real(data_dir: pathlib.Path, name: str) -> pathlib.Path:
    path = data_dir / name
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    return path


def test_validate_with_and_without_lists_on_the_real_map(data_dir: pathlib.Path) -> None:
    practice_map = _real(data_dir, "gp-registered-patients/gp-reg-pat-prac-map-aug-2026.csv")
    lists = _real(data_dir, "gp-registered-patients/gp-reg-pat-prac-all-jan-2021.csv")
    without = pcnkit.org.validate(practice_map).to_pandas()
    # No lists: every PCN's population is unknown, a finding each, not a stop.
    unknown = without[without.rule == "org.pcn_population_unknown"]
    assert len(unknown) > 1000
    with_lists = pcnkit.org.validate(practice_map, lists=lists).to_pandas()
    # The 2021 all-persons lists cover most practices: far fewer unknown populations, and
    # sizes checked for the rest.
    assert (with_lists.rule == "org.pcn_population_unknown").sum() < len(unknown)
    assert (with_lists.rule == "org.pcn_population").sum() > 0


@pytest.mark.parametrize("icb", ICBS)
def test_arrs_from_the_payments_file_for_a_real_icb(data_dir: pathlib.Path, icb: str) -> None:
    practice_map = _real(data_dir, "gp-registered-patients/gp-reg-pat-prac-map-aug-2026.csv")
    payments = _real(data_dir, "gp-payments/nhs-payments-to-general-practice-2022-23.csv")
    weighted, notes = pcnkit.org.weighted(payments, practice_map)
    assert weighted.num_rows > 1000
    # 2022-23 payments against an August 2026 map: practices since closed or opened are
    # named, and PCNs only partly covered are left unknown rather than understated.
    assert any("not in the practice map" in n for n in notes)
    assert any("is unknown" in n for n in notes)
    snap = pcnkit.org.snapshot(practice_map).to_pandas()
    pcns = sorted(set(snap[(snap.icb == icb) & snap.pcn.notna()].pcn))
    staff = pa.table(
        {
            "id": [f"cp-{p}" for p in pcns],
            "pcn": pcns,
            "role": ["clinical_pharmacist"] * len(pcns),
            "wte": ["1.0"] * len(pcns),
            "start": ["2025-04-01"] * len(pcns),
            "annual_cost": ["60000"] * len(pcns),
        }
    )
    per_pcn, _ = pcnkit.arrs.summary(staff, weighted, "2025/26")
    rows = {r["pcn"]: r for r in per_pcn.to_pylist()}
    assert set(pcns) <= set(rows)
    for p in pcns:
        r = rows[p]
        # One full-year pharmacist at £60,000 (under the £66,972 maximum) claims £60,000.
        assert (r["status"], r["claimed"]) == ("complete", decimal.Decimal("60000"))
        if r["weighted_patients"] is None:
            assert r["entitlement"] is None and r["headroom"] is None
        else:
            assert r["headroom"] == r["entitlement"] - r["claimed"]


@pytest.mark.parametrize("icb", ICBS)
def test_asset_coverage_on_real_files_says_what_it_lacks(
    data_dir: pathlib.Path, icb: str, tmp_path: pathlib.Path
) -> None:
    practice_map = _real(data_dir, "gp-registered-patients/gp-reg-pat-prac-map-aug-2026.csv")
    lists = _real(data_dir, "gp-registered-patients/gp-reg-pat-prac-sing-age-regions-aug-2026.csv")
    # NHS England's patients-by-LSOA file is not among the shared files: an empty one (its
    # header only) leaves every footprint unknown, which must show as null with a note.
    lsoa = tmp_path / "gp-reg-pat-prac-lsoa-all.csv"
    lsoa.write_text("PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,LSOA_CODE,SEX,NUMBER_OF_PATIENTS\n")
    services = tmp_path / "services.json"
    services.write_text(pcnkit.demo.hsds_json())
    cov = pcnkit.assets.coverage(services, practice_map, lsoa, lists=lists, icb=icb).to_pandas()
    snap = pcnkit.org.snapshot(practice_map).to_pandas()
    assert set(cov.pcn) == set(snap[(snap.icb == icb) & snap.pcn.notna()].pcn)
    assert cov.per_1000.isna().all() and cov.assets.isna().all()
    assert cov.note.str.startswith("footprint unknown").all()
    # PCN-level lists give every PCN its population.
    assert cov.patients.notna().all()


def test_asset_ids_come_from_the_feed_not_the_path(tmp_path: pathlib.Path) -> None:
    page = json.loads(pcnkit.demo.hsds_json())
    page["contents"] = page["contents"][:3]
    for s in page["contents"]:
        # A foreign feed: no pcnkit source attributes, so ids are derived on import.
        s["attributes"] = [a for a in s["attributes"] if a["link_type"] != "source"]
    text = json.dumps(page)
    (tmp_path / "x.json").write_text(text)
    from_text, _ = pcnkit.assets.read_hsds(text)
    from_path, _ = pcnkit.assets.read_hsds(tmp_path / "x.json")
    assert from_text["id"].to_pylist() == from_path["id"].to_pylist()
    other, _ = pcnkit.assets.read_hsds(text, feed="another-directory")
    assert other["id"].to_pylist() != from_text["id"].to_pylist()
