//! The property each fuzz target checks, as plain functions: the core value parsers, every
//! pcnkit-org importer, and the pcnkit-arrs rule-file loader.
//!
//! A target panics (which libFuzzer reports as a crash) only when a parser breaks its contract:
//! it panicked itself, or it accepted a value whose printed form does not parse back to the same
//! value. The same functions replay the committed corpus in `tests/replay.rs`, so a found crash
//! becomes an ordinary regression test by adding its input to `corpus/<target>/`.

#![deny(missing_docs)]
// The checks assert on purpose: a failed assertion is the fuzzer's crash signal.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Display;
use std::str::FromStr;

use pcnkit_core::{
    AgeBand, FinancialYear, IcbCode, LocalAuthorityCode, LsoaCode, Money, Month, OdsCode,
    OnsIcbCode, OnsRegionCode, OnsSubIcbCode, PatientCount, PcnCode, PracticeCode, RegionCode, Sex,
    SubIcbCode, Wte, parse_nhs_date,
};

/// Every string parser of pcnkit-core: no panic on any input, and print → parse round trips
/// for every accepted value (text and JSON).
pub fn core_values(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    round_trip::<PracticeCode>(text);
    round_trip::<PcnCode>(text);
    round_trip::<IcbCode>(text);
    round_trip::<SubIcbCode>(text);
    round_trip::<RegionCode>(text);
    round_trip::<OdsCode>(text);
    round_trip::<LsoaCode>(text);
    round_trip::<LocalAuthorityCode>(text);
    round_trip::<OnsIcbCode>(text);
    round_trip::<OnsSubIcbCode>(text);
    round_trip::<OnsRegionCode>(text);
    round_trip::<pcnkit_core::Postcode>(text);
    round_trip::<FinancialYear>(text);
    round_trip::<Month>(text);
    round_trip::<Money>(text);
    round_trip::<Wte>(text);
    round_trip::<AgeBand>(text);
    round_trip::<Sex>(text);
    round_trip::<PatientCount>(text);
    let _ = parse_nhs_date(text);
    // JSON input to the serde forms must never panic either.
    let _ = serde_json::from_str::<pcnkit_core::Period>(text);
    let _ = serde_json::from_str::<pcnkit_core::AgeBandScheme>(text);
}

fn round_trip<T>(text: &str)
where
    T: FromStr
        + Display
        + PartialEq
        + std::fmt::Debug
        + serde::Serialize
        + serde::de::DeserializeOwned,
{
    if let Ok(value) = text.parse::<T>() {
        let printed = value.to_string();
        let again = printed.parse::<T>().ok();
        assert_eq!(
            again.as_ref(),
            Some(&value),
            "{text:?} printed as {printed:?} did not parse back"
        );
        let json = serde_json::to_string(&value).expect("serialise");
        let back: T = serde_json::from_str(&json).expect("deserialise our own JSON");
        assert_eq!(back, value, "JSON round trip of {text:?} via {json}");
    }
}

/// Runs one importer on `data` in both modes and checks they agree: no panic; every record and
/// skip comes from a counted row; strict mode fails exactly when the lenient mode found errors,
/// and otherwise returns the same records.
fn importer<T: PartialEq + std::fmt::Debug, E: Display>(
    data: &[u8],
    read: fn(&[u8], ImportOptions<'static>) -> Result<Imported<T>, E>,
) {
    let lenient = read(data, ImportOptions::new("fuzz.csv"));
    let strict = read(data, ImportOptions::new("fuzz.csv").strict());
    match (lenient, strict) {
        (Ok(l), Ok(s)) => {
            assert!(
                l.errors.is_empty(),
                "strict accepted what lenient rejected: {:?}",
                l.errors
            );
            assert_eq!(l.records, s.records);
            // Every row is a record, an error or a skip (the practice deprivation reader
            // returns one aggregate record, whatever the rows).
            assert!(
                l.accounts_for_every_row() || l.records.len() == 1,
                "rows not accounted for: {} rows, {} records, {} errors, {} skipped",
                l.rows,
                l.records.len(),
                l.errors.len(),
                l.skipped.len()
            );
        }
        (Ok(l), Err(_)) => assert!(
            !l.errors.is_empty(),
            "strict failed but lenient found no error"
        ),
        (Err(l), Err(s)) => assert_eq!(
            l.to_string(),
            s.to_string(),
            "a fatal error must not depend on the mode"
        ),
        (Err(l), Ok(_)) => panic!("lenient failed ({l}) but strict succeeded"),
    }
}

macro_rules! importer_targets {
    ($($name:ident => $read:path),+ $(,)?) => {$(
        #[doc = concat!("Fuzz check of `", stringify!($read), "`.")]
        pub fn $name(data: &[u8]) {
            importer(data, |d, o| $read(d, o));
        }
    )+};
}

use pcnkit_org::import::{self as imp, ImportOptions, Imported};

importer_targets!(
    epraccur => imp::read_epraccur,
    epcn_details => imp::read_epcn_details,
    epcn_members => imp::read_epcn_members,
    registered_patients => imp::read_registered_patients,
    practice_map => imp::read_practice_map,
    practice_lsoa => imp::read_practice_lsoa,
    lsoa_lookup => imp::read_lsoa_sub_icb_lookup,
    sub_icb_lookup => imp::read_sub_icb_lookup,
    weighted => imp::read_weighted_populations,
    lsoa_deprivation => imp::read_lsoa_deprivation,
    practice_deprivation => imp::read_practice_deprivation,
    practice_locations => imp::read_practice_locations,
    condition_counts => pcnkit_indicators::counts::read_condition_counts,
);

/// Fuzz check of the ARRS staff table reader (`pcnkit_arrs::read_staff`): the importer
/// properties, and no accepted member of staff with WTE above 1 or an unknown role.
pub fn staff_table(data: &[u8]) {
    fn read(
        d: &[u8],
        o: ImportOptions<'static>,
    ) -> Result<Imported<pcnkit_arrs::StaffMember>, pcnkit_core::DataError> {
        let book = pcnkit_arrs::RuleBook::builtin();
        pcnkit_arrs::read_staff(d, o, pcnkit_arrs::StaffTableChecks::new(book))
    }
    importer(data, read);
    if let Ok(i) = read(data, ImportOptions::new("fuzz.csv")) {
        let book = pcnkit_arrs::RuleBook::builtin();
        for s in &i.records {
            assert!(s.wte.value() <= rust_decimal::Decimal::ONE);
            assert!(book.role_info(&s.role).is_ok());
        }
    }
}

/// The ARRS rule-file loader: any text either loads into a book whose every figure has
/// provenance, or is a typed error; never a panic.
pub fn arrs_rules(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let base = pcnkit_arrs::RuleBook::builtin();
    base.check().expect("the built-in rules must load");
    if let Ok(book) = base.clone().with_year_toml("fuzz.toml", text) {
        for year in book.years() {
            for f in book.figures(year).expect("a loaded year lists its figures") {
                assert!(
                    f.amount.is_none() || f.provenance.confidence.is_some(),
                    "{f:?}"
                );
            }
        }
    }
}

/// Builds an Arrow batch from arbitrary bytes: a group key (text from a small alphabet, or
/// null), an age-band label (valid, invalid or null), three numeric columns (any f64 bit
/// pattern, small integers, negatives, NaN, infinities or null), an integer column (start
/// ages, quantile numbers, event frequencies, deciles) and a Boolean flag.
fn indicator_batch(data: &[u8]) -> arrow_array::RecordBatch {
    use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray};
    use std::sync::Arc;
    const BANDS: [&str; 22] = [
        "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
        "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+", "<5", "95+",
        "x",
    ];
    let rows = data.chunks(12);
    let (mut key, mut band, mut a, mut b, mut c, mut int, mut flag) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    for row in rows {
        let byte = |i: usize| row.get(i).copied().unwrap_or(0);
        key.push((byte(0) % 5 != 4).then(|| ["A", "B", "C", "D"][usize::from(byte(0) % 4)]));
        band.push((byte(1) != 255).then(|| BANDS[usize::from(byte(1)) % BANDS.len()]));
        let number = |x: u8, y: u8| -> Option<f64> {
            match x % 8 {
                0 => None,
                1 => Some(-f64::from(y)),
                2 => Some(f64::NAN),
                3 => Some(f64::INFINITY),
                4 => Some(f64::from_bits(
                    u64::from(y).wrapping_mul(0x9E37_79B9_7F4A_7C15),
                )),
                5 => Some(f64::from(y) / 7.0),
                // Counts up to 7,905: past the small-count branches of every method, yet
                // cheap enough per row (exact Poisson limits cost grows with the count) for
                // a million executions; huge values still come from the bit patterns above.
                _ => Some(f64::from(y) * f64::from(x >> 3)),
            }
        };
        a.push(number(byte(2), byte(3)));
        b.push(number(byte(4), byte(5)));
        c.push(number(byte(6), byte(7)));
        int.push((byte(8) != 255).then(|| i64::from(byte(8) as i8)));
        flag.push(byte(9) % 2 == 1);
    }
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("area", Arc::new(StringArray::from(key))),
        ("age_band", Arc::new(StringArray::from(band))),
        ("a", Arc::new(Float64Array::from(a))),
        ("b", Arc::new(Float64Array::from(b))),
        ("c", Arc::new(Float64Array::from(c))),
        ("i", Arc::new(Int64Array::from(int))),
        ("flag", Arc::new(BooleanArray::from(flag))),
    ];
    arrow_array::RecordBatch::try_from_iter(columns).expect("columns of equal length")
}

/// Every indicator table over an arbitrary batch: a result or a typed error, never a panic,
/// and a result never holds a NaN (a method defines a value or gives a null with a note).
pub fn indicators_arrow(data: &[u8]) {
    use pcnkit_indicators::funnel::{FunnelKind, RateKind, RatioScale};
    use pcnkit_indicators::*;
    let batch = indicator_batch(data);
    let input = std::slice::from_ref(&batch);
    let one = [Confidence::C95];
    let two = [Confidence::C95, Confidence::C998];
    let esp = Standard::Esp2013 {
        age_band: "age_band",
    };
    let results = [
        ProportionSpec::new("a", "b")
            .group_by(&["area"])
            .levels(two.to_vec())
            .multiplier(100.0)
            .run(input),
        ProportionSpec::new("a", "b")
            .group_by(&[])
            .levels(one.to_vec())
            .multiplier(1.0)
            .run(input),
        RateSpec::new("a", "b")
            .group_by(&["area"])
            .levels(two.to_vec())
            .multiplier(100_000.0)
            .run(input),
        MeanSpec::new("a")
            .group_by(&["area"])
            .levels(two.to_vec())
            .run(input),
        DsrSpec::new("a", "b", esp)
            .group_by(&["area"])
            .levels(two.to_vec())
            .multiplier(100_000.0)
            .repeated_bands(RepeatedBands::Refuse)
            .run(input),
        DsrSpec::new("a", "b", Standard::Column("c"))
            .group_by(&["area"])
            .levels(one.to_vec())
            .multiplier(100_000.0)
            .repeated_bands(RepeatedBands::Refuse)
            .run(input),
        DsrSpec::new("a", "b", esp)
            .frequency(Some("i"))
            .group_by(&["area"])
            .levels(one.to_vec())
            .multiplier(100_000.0)
            .run(input),
        IsrSpec::new(Observed::Counts("a"), "b", "c", "b")
            .group_by(&["area"])
            .levels(two.to_vec())
            .kind(Indirect::Ratio { ref_value: 100.0 })
            .run(input),
        QuantileSpec::new("a")
            .group_by(&["area"])
            .nquantiles(5)
            .invert(true)
            .run(input),
        SiiSpec::new("i", "b", "a", SiiErrors::Se("c"))
            .group_by(&["area"])
            .options(sii::SiiOptions::new().repetitions(1000).clone())
            .run(input),
        FunnelSpec::new("a", Some("b"), FunnelKind::Proportion { multiplier: 100.0 })
            .rate(None)
            .limits(input),
        FunnelSpec::new("a", Some("b"), FunnelKind::Ratio(RatioScale::Isr))
            .rate(None)
            .significance(input),
        FunnelSpec::new(
            "a",
            Some("b"),
            FunnelKind::Rate {
                kind: RateKind::Dsr,
                multiplier: 100_000.0,
            },
        )
        .rate(Some("c"))
        .significance(input),
        LifeExpectancySpec::new("a", "b", "i")
            .group_by(&["area"])
            .levels(one.to_vec())
            .run(input)
            .and_then(|t| life_expectancy_at_ages(&t, &[0, 65, 90])),
        ProportionSpec::new("a", "b")
            .group_by(&["area"])
            .levels([].to_vec())
            .multiplier(1.0)
            .run(input),
        SiiSpec::new("i", "b", "a", SiiErrors::Counts("c"))
            .group_by(&["area"])
            .options(
                sii::SiiOptions::new()
                    .value_type(sii::ValueType::Proportion)
                    .repetitions(1000)
                    .clone(),
            )
            .run(input),
        IsrSpec::new(
            Observed::Totals {
                table: input,
                column: "c",
            },
            "b",
            "c",
            "b",
        )
        .group_by(&["area"])
        .levels(one.to_vec())
        .kind(Indirect::Rate { multiplier: 1000.0 })
        .run(input),
        FunnelPointsSpec::new("a", "c", RateKind::Dsr)
            .denominator(Some("b"))
            .multiplier(100_000.0)
            .years_of_data(3.0)
            .run(input),
    ];
    for out in results.into_iter().flatten() {
        for t in [
            OutputType::Value,
            OutputType::Lower,
            OutputType::Upper,
            OutputType::Standard,
        ] {
            let kept = select_output(&out, t).expect("a selection of existing columns");
            assert!(kept.num_columns() <= out.num_columns());
        }
        for (field, column) in out.schema().fields().iter().zip(out.columns()) {
            // Per-row tables hand their input columns back unchanged: check only new ones.
            if batch.schema().field_with_name(field.name()).is_ok()
                && out.num_rows() == batch.num_rows()
            {
                continue;
            }
            if let Some(values) = column.as_any().downcast_ref::<arrow_array::Float64Array>() {
                for v in values.iter().flatten() {
                    assert!(!v.is_nan(), "NaN in an output column: {out:?}");
                }
            }
        }
    }
    let lookup = prevalence::AreaLookup::from_pairs([("A", "P1"), ("B", "P1"), ("C", "P2")]);
    let _ = prevalence::prevalence_by_quintile(input, "area", "i", "flag", &lookup, &one);
}

/// Asset import round trip: whatever an importer accepts exports as HSDS 3.0 and reads back
/// as the same asset.
fn assets_round_trip(assets: &[pcnkit_assets::Asset]) {
    use pcnkit_assets::hsds::{ImportOptions, from_json, to_service};
    for a in assets {
        let doc = to_service(a).to_string();
        let back =
            from_json(&doc, "round trip", &ImportOptions::new()).expect("an export is valid JSON");
        assert!(back.errors.is_empty(), "{:?}\n{doc}", back.errors);
        assert_eq!(back.assets.first(), Some(a), "{doc}");
    }
}

/// The HSDS 3.0 importer: any bytes give assets and typed errors, never a panic; accepted
/// assets round-trip.
pub fn assets_hsds(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let opts = pcnkit_assets::hsds::ImportOptions::new()
        .default_kind(pcnkit_assets::AssetKind::VoluntaryService);
    if let Ok(got) = pcnkit_assets::hsds::from_json(text, "fuzz", &opts) {
        assets_round_trip(&got.assets);
    }
}

/// The ORUK v1 importer: as [`assets_hsds`].
pub fn assets_oruk_v1(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let opts =
        pcnkit_assets::oruk_v1::common_terms().default_kind(pcnkit_assets::AssetKind::Advice);
    if let Ok(got) = pcnkit_assets::oruk_v1::from_json(text, "fuzz", &opts) {
        assets_round_trip(&got.assets);
    }
}

/// The CSV importer: as [`assets_hsds`].
pub fn assets_csv(data: &[u8]) {
    let mapping = pcnkit_assets::csv_import::CsvMapping::default();
    if let Ok(got) = pcnkit_assets::csv_import::read_csv(data, "fuzz.csv", &mapping) {
        assets_round_trip(&got.assets);
    }
}
