//! Quantiles (e.g. deprivation deciles) as OHID assigns them.

/// Assigns quantiles (e.g. deprivation deciles) to values, as OHID's "Assigning Deprivation
/// Categories": rank with ties at the minimum rank, descending when `invert` (quantile 1 = the
/// highest values); quantile = ⌊Q + 1 − ⌈(N + 1 − rank) / (N / Q)⌉⌋, with 0 as 1. Missing values
/// (`None`) get none; with fewer values than quantiles every quantile is `None`.
pub fn quantiles(values: &[Option<f64>], nquantiles: u32, invert: bool) -> Vec<Option<u32>> {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let n = present.len() as f64;
    let q = f64::from(nquantiles);
    if nquantiles == 0 || present.len() < nquantiles as usize {
        return vec![None; values.len()];
    }
    let mut sorted = present;
    sorted.sort_by(|a, b| {
        if invert {
            b.total_cmp(a)
        } else {
            a.total_cmp(b)
        }
    });
    values
        .iter()
        .map(|v| {
            let v = (*v)?;
            // Minimum rank among ties: 1 + the number of values strictly before it.
            let before = sorted.partition_point(|s| if invert { *s > v } else { *s < v });
            let rank = before as f64 + 1.0;
            let quantile = ((q + 1.0) - ((n + 1.0 - rank) / (n / q)).ceil()).floor();
            Some(quantile.max(1.0) as u32)
        })
        .collect()
}
