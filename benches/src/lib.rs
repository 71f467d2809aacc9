//! Deterministic input generators shared by the pcnkit criterion benches.
//!
//! Kept out of the library crates so benches can generate national-scale inputs without adding
//! anything to the public APIs. The generators use a fixed-seed SplitMix64 so every run of a
//! bench sees the same data.

#![deny(missing_docs)]

pub mod national;

/// A tiny deterministic pseudo-random generator (SplitMix64), for reproducible bench inputs.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// `n` practice codes, about one in ten of them invalid, as text.
pub fn practice_code_texts(n: usize, seed: u64) -> Vec<String> {
    let mut rng = SplitMix64::new(seed);
    (0..n)
        .map(|_| {
            let letter = char::from(b'A' + rng.below(26) as u8);
            if rng.below(10) == 0 {
                format!("{letter}{:04}X", rng.below(10_000))
            } else {
                format!("{letter}{:05}", rng.below(100_000))
            }
        })
        .collect()
}

/// `areas` areas × the 19 ESP2013 age bands: columns `area` (Utf8), `age_band` (Utf8), `count`
/// and `population` (Int64), fixed seed. Counts are about 1 in 1,000 of the population, rising
/// with age.
pub fn indicators_input(areas: usize, seed: u64) -> arrow_array::RecordBatch {
    use std::sync::Arc;
    const BANDS: [&str; 19] = [
        "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
        "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
    ];
    let mut rng = SplitMix64::new(seed);
    let mut area = Vec::with_capacity(areas * 19);
    let mut band = Vec::with_capacity(areas * 19);
    let mut count = Vec::with_capacity(areas * 19);
    let mut population = Vec::with_capacity(areas * 19);
    for a in 0..areas {
        for (i, b) in BANDS.iter().enumerate() {
            let pop = 500 + rng.below(5_000) as i64;
            area.push(format!("E{a:08}"));
            band.push(*b);
            count.push(rng.below((pop as u64 * (i as u64 + 1)) / 1_000 + 2) as i64);
            population.push(pop);
        }
    }
    let schema = arrow_schema::Schema::new(vec![
        arrow_schema::Field::new("area", arrow_schema::DataType::Utf8, false),
        arrow_schema::Field::new("age_band", arrow_schema::DataType::Utf8, false),
        arrow_schema::Field::new("count", arrow_schema::DataType::Int64, false),
        arrow_schema::Field::new("population", arrow_schema::DataType::Int64, false),
    ]);
    let columns: Vec<arrow_array::ArrayRef> = vec![
        Arc::new(arrow_array::StringArray::from(area)),
        Arc::new(arrow_array::StringArray::from(band)),
        Arc::new(arrow_array::Int64Array::from(count)),
        Arc::new(arrow_array::Int64Array::from(population)),
    ];
    // The columns are built to the schema above, so this cannot fail.
    arrow_array::RecordBatch::try_new(Arc::new(schema), columns).unwrap_or_else(|_| {
        arrow_array::RecordBatch::new_empty(Arc::new(arrow_schema::Schema::empty()))
    })
}

/// Person-row batches and the practice → PCN pairs.
pub type PersonRows = (Vec<arrow_array::RecordBatch>, Vec<(String, String)>);

/// Synthetic person rows for the prevalence benchmark: `practices` practices in PCNs of
/// `per_pcn`, `rows` people in practice order (practice dictionary-encoded), with age band,
/// sex, LSOA deprivation decile and a condition flag whose probability rises with age and
/// deprivation. Returned in batches of about a million rows, plus the practice → PCN pairs.
pub fn person_rows(
    rows: usize,
    practices: usize,
    per_pcn: usize,
    seed: u64,
) -> Result<PersonRows, arrow_schema::ArrowError> {
    use std::sync::Arc;
    let mut rng = SplitMix64::new(seed);
    let codes: Vec<String> = (0..practices).map(|i| format!("Y{i:05}")).collect();
    let lookup = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.clone(), format!("U{:05}", i / per_pcn.max(1))))
        .collect();
    let schema = Arc::new(arrow_schema::Schema::new(vec![
        arrow_schema::Field::new(
            "practice",
            arrow_schema::DataType::Dictionary(
                Box::new(arrow_schema::DataType::Int32),
                Box::new(arrow_schema::DataType::Utf8),
            ),
            false,
        ),
        arrow_schema::Field::new("age_band", arrow_schema::DataType::UInt8, false),
        arrow_schema::Field::new("sex", arrow_schema::DataType::UInt8, false),
        arrow_schema::Field::new("imd_decile", arrow_schema::DataType::UInt8, false),
        arrow_schema::Field::new("diabetes", arrow_schema::DataType::Boolean, false),
    ]));
    let values: arrow_array::ArrayRef = Arc::new(arrow_array::StringArray::from(codes.clone()));
    let per_practice = rows / practices.max(1);
    let mut batches = Vec::new();
    let chunk = 1 << 20;
    let mut start = 0;
    while start < rows {
        let end = (start + chunk).min(rows);
        let mut keys = Vec::with_capacity(end - start);
        let mut age = Vec::with_capacity(end - start);
        let mut sex = Vec::with_capacity(end - start);
        let mut decile = Vec::with_capacity(end - start);
        let mut flag = Vec::with_capacity(end - start);
        for r in start..end {
            let p = (r / per_practice.max(1)).min(practices - 1);
            // Each practice draws from a few neighbouring deciles.
            let base = (p * 7 % 10) as u64;
            let d = ((base + rng.below(3)) % 10) as u8 + 1;
            let a = rng.below(19) as u8;
            keys.push(p as i32);
            age.push(a);
            sex.push(rng.below(2) as u8 + 1);
            decile.push(d);
            let risk = 10 + u64::from(a) * 6 + u64::from(11 - d) * 4;
            flag.push(rng.below(1000) < risk);
        }
        let dict = arrow_array::DictionaryArray::<arrow_array::types::Int32Type>::try_new(
            arrow_array::Int32Array::from(keys),
            values.clone(),
        )?;
        let columns: Vec<arrow_array::ArrayRef> = vec![
            Arc::new(dict),
            Arc::new(arrow_array::UInt8Array::from(age)),
            Arc::new(arrow_array::UInt8Array::from(sex)),
            Arc::new(arrow_array::UInt8Array::from(decile)),
            Arc::new(arrow_array::BooleanArray::from(flag)),
        ];
        batches.push(arrow_array::RecordBatch::try_new(schema.clone(), columns)?);
        start = end;
    }
    Ok((batches, lookup))
}

/// `n` synthetic assets spread over England's bounding box, kinds drawn evenly from the 11
/// built-in kinds, for the spatial search benchmark.
pub fn assets(n: usize, seed: u64) -> Vec<pcnkit_assets::Asset> {
    use pcnkit_assets::{Asset, AssetKind, GeoPoint, Source};
    let mut rng = SplitMix64::new(seed);
    (0..n)
        .map(|i| {
            let lat = 50.0 + rng.below(5_500_000) as f64 / 1e6;
            let lon = -5.5 + rng.below(7_200_000) as f64 / 1e6;
            let kind = AssetKind::BUILT_IN[rng.below(11) as usize].clone();
            let mut a = Asset::new(
                Source {
                    name: "bench".into(),
                    key: i.to_string(),
                },
                format!("Asset {i}"),
                kind,
            );
            a.location.point = GeoPoint::new(lat, lon).ok();
            a
        })
        .collect()
}
