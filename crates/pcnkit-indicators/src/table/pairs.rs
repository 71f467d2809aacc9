//! Methods on sums within groups: proportions, crude rates and means; `sum_by` and the check
//! for text columns that vary within groups.

use super::*;

/// Sums of two columns per group (a null makes its group's sum null, as R's `sum` does); with
/// no group columns, one group per row.
fn grouped_pair(
    batches: &[RecordBatch],
    a: &str,
    b: &str,
    group_by: &[&str],
) -> Result<(Grouping, [Values; 2]), IndicatorError> {
    let grouping = if group_by.is_empty() {
        Grouping::per_row(batches)
    } else {
        group(batches, group_by)?
    };
    let n = grouping.len();
    let mut sums = [vec![Some(0.0); n], vec![Some(0.0); n]];
    for (i, batch) in batches.iter().enumerate() {
        for (name, target) in [a, b].into_iter().zip(sums.iter_mut()) {
            let values = Num::new(batch, name)?;
            let runs = grouping.runs.get(i).map(Vec::as_slice).unwrap_or_default();
            match values.dense() {
                // No nulls: plain slice sums per run.
                Some(Dense::I64(v)) => {
                    for run in runs {
                        let part: f64 = v
                            .get(run.start..run.end)
                            .map(|s| s.iter().map(|&x| x as f64).sum())
                            .unwrap_or(f64::NAN);
                        if let Some(Some(acc)) = target.get_mut(run.group) {
                            *acc += part;
                        }
                    }
                }
                Some(Dense::F64(v)) => {
                    for run in runs {
                        let part: f64 = v
                            .get(run.start..run.end)
                            .map(|s| s.iter().sum())
                            .unwrap_or(f64::NAN);
                        if let Some(Some(acc)) = target.get_mut(run.group) {
                            *acc += part;
                        }
                    }
                }
                None => {
                    for run in runs {
                        if let Some(slot) = target.get_mut(run.group) {
                            *slot = match (*slot, values.sum(run.start, run.end)) {
                                (Some(acc), Some(x)) => Some(acc + x),
                                _ => None,
                            };
                        }
                    }
                }
            }
        }
    }
    Ok((grouping, sums))
}

/// A method applied to summed pairs (proportions, rates).
/// The two input columns of a pair method, its groups and levels.
struct Pair<'a> {
    a: &'a str,
    b: &'a str,
    group_by: &'a [&'a str],
    levels: &'a [Confidence],
}

/// A method on two summed columns per group: `statistic` names it; `null_note` is the note
/// of a group with a null input.
fn pair_table(
    batches: &[RecordBatch],
    pair: Pair<'_>,
    statistic: String,
    null_note: &'static str,
    mut method: impl FnMut(f64, f64, &mut Columns) -> Result<(), IndicatorError>,
) -> Result<RecordBatch, IndicatorError> {
    let Pair {
        a,
        b,
        group_by,
        levels,
    } = pair;
    crate::methods::check_levels(levels)?;
    let (grouping, [xs, ns]) = grouped_pair(batches, a, b, group_by)?;
    let mut out = Columns::new(levels.len(), xs.len());
    let mut bad: Vec<Option<String>> = Vec::with_capacity(xs.len());
    for (x, n) in xs.iter().zip(&ns) {
        match (x, n) {
            // The options were checked before: an error here is this group's data (a negative
            // count, a numerator above its denominator), so the group alone is null.
            (Some(x), Some(n)) => match method(*x, *n, &mut out) {
                Ok(()) => bad.push(None),
                Err(e) => {
                    let why = group_problem(&e);
                    out.null_owned(why.clone());
                    bad.push(Some(why));
                }
            },
            _ => {
                out.null(null_note);
                bad.push(None);
            }
        }
    }
    every_group_bad(&bad, &grouping, batches, group_by)?;
    // Without grouping columns each row is its own group (as R's methods return the input
    // with columns added): the row's other columns stay in the output to say which it is.
    let names: Vec<String> = if group_by.is_empty() {
        batches
            .first()
            .map(|batch| {
                batch
                    .schema()
                    .fields()
                    .iter()
                    .map(|f| f.name().clone())
                    .filter(|n| n != a && n != b)
                    .collect()
            })
            .unwrap_or_default()
    } else {
        group_by.iter().map(|g| (*g).to_owned()).collect()
    };
    let group_by: Vec<&str> = names.iter().map(String::as_str).collect();
    let keys = key_columns(batches, &grouping, &group_by)?;
    finish(keys, vec![(a, xs), (b, ns)], out, levels, statistic)
}

/// The text columns, other than `keys`, that take more than one value within some group of
/// `keys`, each with up to three of its values: summing within those groups would add rows that
/// measure different things (seven conditions' populations added into one, say). Front ends
/// refuse such input and name the column.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{RecordBatch, StringArray, UInt64Array};
/// let b = RecordBatch::try_from_iter([
///     ("pcn", Arc::new(StringArray::from(vec!["A", "A"])) as _),
///     ("measure", Arc::new(StringArray::from(vec!["diabetes", "copd"])) as _),
///     ("count", Arc::new(UInt64Array::from(vec![1, 2])) as _),
/// ])?;
/// let v = pcnkit_indicators::varying_text_columns(&[b], &["pcn"])?;
/// assert_eq!(v, vec![("measure".to_owned(), vec!["diabetes".to_owned(), "copd".to_owned()])]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn varying_text_columns(
    batches: &[RecordBatch],
    keys: &[&str],
) -> Result<Vec<(String, Vec<String>)>, IndicatorError> {
    let Some(first) = batches.first() else {
        return Ok(Vec::new());
    };
    let grouping = group(batches, keys)?;
    let mut out = Vec::new();
    for field in first.schema().fields() {
        let name = field.name().as_str();
        if keys.contains(&name) || !is_text(field.data_type()) {
            continue;
        }
        let mut seen: Vec<Option<Option<String>>> = vec![None; grouping.len()];
        let mut examples: Vec<String> = Vec::new();
        for (b, batch) in batches.iter().enumerate() {
            // Views, large strings and dictionary-encoded text read as plain text.
            let Some(col) = batch
                .column_by_name(name)
                .and_then(|c| arrow_cast::cast(c, &DataType::Utf8).ok())
            else {
                continue;
            };
            let Some(col) = col.as_string_opt::<i32>() else {
                continue;
            };
            for (r, g) in grouping.rows(b) {
                let v = col.is_valid(r).then(|| col.value(r).to_owned());
                match seen.get_mut(g) {
                    Some(slot @ None) => *slot = Some(v),
                    Some(Some(prev)) if *prev != v => {
                        for x in [prev.clone(), v] {
                            let x = x.unwrap_or_else(|| "(null)".to_owned());
                            if examples.len() < 3 && !examples.contains(&x) {
                                examples.push(x);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        if !examples.is_empty() {
            out.push((name.to_owned(), examples));
        }
    }
    Ok(out)
}

/// Text in any of Arrow's layouts: plain, large, views, or dictionary-encoded.
fn is_text(t: &DataType) -> bool {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, values) => is_text(values),
        _ => false,
    }
}

/// Sums numeric columns within groups (keys in order of first appearance): the step before a
/// DSR when the data has several rows per group and age band (practices within a PCN, sexes
/// within a band). A null in a group makes its sum null.
pub fn sum_by(
    batches: &[RecordBatch],
    keys: &[&str],
    values: &[&str],
) -> Result<RecordBatch, IndicatorError> {
    let grouping = group(batches, keys)?;
    let n = grouping.len();
    let mut columns = key_columns(batches, &grouping, keys)?;
    for name in values {
        let mut sums: Vec<Option<f64>> = vec![Some(0.0); n];
        for (b, batch) in batches.iter().enumerate() {
            let v = Num::new(batch, name)?;
            for run in grouping.runs.get(b).into_iter().flatten() {
                if let Some(slot) = sums.get_mut(run.group) {
                    *slot = match (*slot, v.sum(run.start, run.end)) {
                        (Some(a), Some(x)) => Some(a + x),
                        _ => None,
                    };
                }
            }
        }
        columns.push((
            Field::new(*name, DataType::Float64, true),
            Arc::new(Float64Array::from(sums)),
        ));
    }
    batch(columns)
}

/// Proportions with Wilson limits per group: numerators and denominators are summed within
/// each group first (with no group columns, one row per input row, as R does).
pub(crate) fn proportion_table(
    batches: &[RecordBatch],
    numerator: &str,
    denominator: &str,
    group_by: &[&str],
    levels: &[Confidence],
    multiplier: f64,
) -> Result<RecordBatch, IndicatorError> {
    crate::methods::check_multiplier(multiplier)?;
    let statistic = if multiplier == 100.0 {
        "percentage".to_owned()
    } else {
        format!("proportion of {}", describe_multiplier(multiplier))
    };
    pair_table(
        batches,
        Pair {
            a: numerator,
            b: denominator,
            group_by,
            levels,
        },
        statistic,
        "null numerator or denominator in the group",
        |x, n, out| proportion_into(x, n, levels, multiplier, out),
    )
}

/// Crude rates per group, exact Poisson limits below 10 events and Byar's from 10.
pub(crate) fn rate_table(
    batches: &[RecordBatch],
    count: &str,
    denominator: &str,
    group_by: &[&str],
    levels: &[Confidence],
    multiplier: f64,
) -> Result<RecordBatch, IndicatorError> {
    crate::methods::check_multiplier(multiplier)?;
    let limits = CountLimits::new(levels);
    pair_table(
        batches,
        Pair {
            a: count,
            b: denominator,
            group_by,
            levels,
        },
        format!("rate per {}", describe_multiplier(multiplier)),
        "null count or denominator in the group",
        |x, n, out| rate_into(x, n, &limits, multiplier, out),
    )
}

/// Means with Student's t limits per group (group columns required, as R's `phe_mean`).
/// A null value makes its group's mean null with a note (R counts NA in the length, so its
/// mean is NA too); one value gives a mean without limits.
pub(crate) fn mean_table(
    batches: &[RecordBatch],
    value: &str,
    group_by: &[&str],
    levels: &[Confidence],
) -> Result<RecordBatch, IndicatorError> {
    crate::methods::check_levels(levels)?;
    let grouping = group(batches, group_by)?;
    let n = grouping.len();
    let mut sums: Vec<Option<MeanSums>> = vec![Some(MeanSums::default()); n];
    for (b, batch) in batches.iter().enumerate() {
        let values = Num::new(batch, value)?;
        for (r, g) in grouping.rows(b) {
            if let Some(slot) = sums.get_mut(g) {
                match (slot.as_mut(), values.get(r)) {
                    (Some(s), Some(v)) => s.add(v)?,
                    _ => *slot = None,
                }
            }
        }
    }
    let mut out = Columns::new(levels.len(), n);
    let mut counts = Vec::with_capacity(n);
    let mut totals = Vec::with_capacity(n);
    let mut stdevs = Vec::with_capacity(sums.len());
    // t quantiles per distinct group size: inverting the t distribution is the costly part.
    let mut t_cache: HashMap<u64, Vec<f64>> = HashMap::new();
    for s in &sums {
        match s {
            Some(s) => {
                counts.push(Some(s.count()));
                totals.push(Some(s.sum()));
                stdevs.push(s.stdev());
                if s.count() < 2.0 {
                    s.estimate_into(levels, &mut out)?;
                } else {
                    let key = s.count() as u64;
                    let t = match t_cache.get(&key) {
                        Some(t) => t,
                        None => t_cache
                            .entry(key)
                            .or_insert(crate::methods::t_quantiles(s.count(), levels)?),
                    };
                    s.estimate_with(t, &mut out);
                }
            }
            None => {
                counts.push(None);
                totals.push(None);
                stdevs.push(None);
                out.null("null value in the group");
            }
        }
    }
    let keys = key_columns(batches, &grouping, group_by)?;
    finish(
        keys,
        vec![
            ("value_sum", totals),
            ("value_count", counts),
            ("stdev", stdevs),
        ],
        out,
        levels,
        "mean".to_owned(),
    )
}
