//! Direct standardisation (Dobson), ESP2013 matched on age-band labels or any standard, and
//! non-independent events.

use super::*;

/// The standard population of a DSR.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Standard<'a> {
    /// ESP2013, matched on the age-band labels of this column (`0-4`, `5-9`, …, `90+`; NHS forms
    /// such as `0_4` accepted). Every group needs all 19 bands once.
    Esp2013 {
        /// The age-band column.
        age_band: &'a str,
    },
    /// A standard population given per row in this column.
    Column(&'a str),
    /// A standard population per row, with the age band that identifies each stratum (needed
    /// with event frequencies, [`DsrSpec::frequency`](crate::DsrSpec::frequency), where a
    /// stratum comes once per event frequency).
    ColumnWithBands {
        /// The standard population column.
        weight: &'a str,
        /// The age-band column (any labels).
        age_band: &'a str,
    },
}

/// Directly standardised rates with Dobson limits per group (the engine under
/// [`DsrSpec`](crate::DsrSpec), after its repeated-band rule). A group with a total count below
/// 10 gets a null value with a note; a group without the 19 ESP2013 bands is null naming them.
///
/// With `spec.frequency`, DSRs for events that a person can have more than once (R's
/// `independent_events = FALSE`): each row holds the number of persons with `frequency`
/// events in one age band of a group (every band once per frequency). Counts are frequency ×
/// persons; the variance adds frequency² × persons, so the limits widen for repeated events
/// (method "Dobson, with confidence adjusted for non-independent events"). The Python port
/// has no such option.
pub(crate) fn dsr_table(
    batches: &[RecordBatch],
    spec: &crate::DsrSpec<'_>,
) -> Result<RecordBatch, IndicatorError> {
    if let (Some(_), Standard::Column(_)) = (spec.frequency, spec.standard) {
        return Err(IndicatorError::Invalid(
            "non-independent events need the age band of each row: use Standard::Esp2013 or Standard::ColumnWithBands".to_owned(),
        ));
    }
    dsr_engine(batches, spec)
}

/// Looks up age-band labels. Labels repeat in a cycle (every area lists the same bands in the
/// same order), so the band after the previous one is tried first, then the few labels seen.
struct BandLookup<'a> {
    /// (label packed into a u64 when it has at most 8 bytes, label, band index)
    seen: Vec<(Option<u64>, &'a str, usize)>,
    last: usize,
    esp: bool,
}

/// A label of at most 8 bytes as one integer (with its length), so comparing two short
/// labels is one integer comparison rather than a call to memcmp.
#[inline]
fn pack(label: &str) -> Option<u64> {
    let bytes = label.as_bytes();
    (bytes.len() <= 7).then(|| {
        let mut k = bytes.len() as u64;
        for &b in bytes {
            k = (k << 8) | u64::from(b);
        }
        k
    })
}

impl<'a> BandLookup<'a> {
    fn new(esp: bool) -> Self {
        BandLookup {
            seen: Vec::with_capacity(20),
            last: 0,
            esp,
        }
    }

    #[inline(always)]
    fn index(&mut self, label: &'a str, column: &str) -> Result<usize, IndicatorError> {
        let next = if self.last + 1 < self.seen.len() {
            self.last + 1
        } else {
            0
        };
        let same =
            |entry: &(Option<u64>, &str, usize)| same_bytes(entry.1.as_bytes(), label.as_bytes());
        if let Some(entry) = self.seen.get(next)
            && same(entry)
        {
            self.last = next;
            return Ok(entry.2);
        }
        if let Some(k) = self.seen.iter().position(same) {
            self.last = k;
            return Ok(self.seen[k].2);
        }
        let i = if self.esp {
            let band: pcnkit_core::AgeBand =
                label
                    .parse()
                    .map_err(|e: pcnkit_core::CoreError| IndicatorError::Column {
                        column: column.to_owned(),
                        problem: e.to_string(),
                    })?;
            pcnkit_core::AgeBandScheme::esp2013()
                .bands()
                .iter()
                .position(|b| *b == band)
                .ok_or_else(|| IndicatorError::Column {
                    column: column.to_owned(),
                    problem: format!(
                        "{band} is not one of the 19 ESP2013 bands (0-4, 5-9, …, 85-89, 90+)"
                    ),
                })?
        } else {
            self.seen.len()
        };
        self.seen.push((pack(label), label, i));
        self.last = self.seen.len() - 1;
        Ok(i)
    }
}

fn labels<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a StringArray, IndicatorError> {
    column(batch, name)?
        .as_string_opt::<i32>()
        .ok_or_else(|| IndicatorError::Column {
            column: name.to_owned(),
            problem: format!(
                "must be text age-band labels, found {}",
                column(batch, name)
                    .map(|a| a.data_type().to_string())
                    .unwrap_or_default()
            ),
        })
}

/// The batches with the age-band column as plain text when it is given as string views,
/// large strings or dictionary-encoded text (what polars, pandas 3 and categoricals hand
/// over), converted once; `None` when it already is plain text (read in place).
fn bands_as_text(
    batches: &[RecordBatch],
    band_column: Option<&str>,
) -> Result<Option<Vec<RecordBatch>>, IndicatorError> {
    let Some(name) = band_column else {
        return Ok(None);
    };
    let text_like = |t: &DataType| matches!(t, DataType::Utf8View | DataType::LargeUtf8);
    let needs = |b: &RecordBatch| {
        b.column_by_name(name).is_some_and(|a| match a.data_type() {
            DataType::Dictionary(_, values) => {
                text_like(values.as_ref()) || matches!(values.as_ref(), DataType::Utf8)
            }
            other => text_like(other),
        })
    };
    if !batches.iter().any(needs) {
        return Ok(None);
    }
    batches
        .iter()
        .map(|b| {
            let Some(i) = b.schema().index_of(name).ok().filter(|_| needs(b)) else {
                return Ok(b.clone());
            };
            let mut columns = b.columns().to_vec();
            let mut fields: Vec<Field> = b
                .schema()
                .fields()
                .iter()
                .map(|f| f.as_ref().clone())
                .collect();
            if let (Some(c), Some(f)) = (columns.get_mut(i), fields.get_mut(i)) {
                *c = arrow_cast::cast(c, &DataType::Utf8).map_err(|e| IndicatorError::Column {
                    column: name.to_owned(),
                    problem: format!("cannot read as text age-band labels: {e}"),
                })?;
                *f = Field::new(name, DataType::Utf8, f.is_nullable());
            }
            RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
                .map_err(|e| IndicatorError::Arrow(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn dsr_engine(
    batches: &[RecordBatch],
    spec: &crate::DsrSpec<'_>,
) -> Result<RecordBatch, IndicatorError> {
    let crate::DsrSpec {
        count,
        population,
        standard,
        group_by,
        ref levels,
        multiplier,
        frequency,
        ..
    } = *spec;
    let levels: &[Confidence] = levels;
    crate::methods::check_levels(levels)?;
    if !(multiplier.is_finite() && multiplier > 0.0) {
        return Err(IndicatorError::Multiplier(multiplier));
    }
    let grouping = group(batches, group_by)?;
    let n = grouping.len();
    let mut sums = vec![DsrSums::default(); n];
    // Groups with a null count: their value is null (missing is not zero).
    let mut missing = vec![false; n];
    // Groups whose data cannot give a DSR (a duplicated or missing band, a negative count,
    // frequency rows of one band that disagree): null with the reason, the others computed.
    let mut bad: Vec<Option<String>> = vec![None; n];
    // With frequencies: each (group, band)'s population and standard population, which
    // every frequency row of the band must repeat.
    let mut band_first: HashMap<(usize, usize), (f64, f64)> = HashMap::new();
    // Which bands each group has (bit i = band i); bands are numbered per label when the
    // standard is a column, so at most 64 distinct labels can be tracked per table.
    let mut seen: Vec<u64> = vec![0; n];
    let esp = matches!(standard, Standard::Esp2013 { .. });
    let band_column = match standard {
        Standard::Esp2013 { age_band } | Standard::ColumnWithBands { age_band, .. } => {
            Some(age_band)
        }
        Standard::Column(_) => None,
    };
    let converted = bands_as_text(batches, band_column)?;
    let batches: &[RecordBatch] = converted.as_deref().unwrap_or(batches);
    let mut lookup = BandLookup::new(esp);
    for (b, batch) in batches.iter().enumerate() {
        let counts = Num::new(batch, count)?;
        let pops = Num::new(batch, population)?;
        let freqs = frequency.map(|f| Num::new(batch, f)).transpose()?;
        let weights = match standard {
            Standard::Column(c) | Standard::ColumnWithBands { weight: c, .. } => {
                Some(Num::new(batch, c)?)
            }
            Standard::Esp2013 { .. } => None,
        };
        let bands = band_column.map(|b| labels(batch, b)).transpose()?;
        // The common case (ESP2013 bands, one event per person, counts and populations with no
        // nulls): band indices in one pass over the labels, then a tight numeric loop.
        if let (Some(a), Some(name), None, None, Some(c), Some(p)) = (
            bands,
            band_column,
            &freqs,
            &weights,
            counts.dense(),
            pops.dense(),
        ) {
            // Each run's band lookups and sums in one pass, in parallel chunks of runs (each
            // chunk with its own small label cache); merged in order after.
            let runs = grouping.runs.get(b).map(Vec::as_slice).unwrap_or_default();
            // Per run: its group, sums, bands seen, first duplicated row, and any data error.
            #[allow(clippy::type_complexity)]
            let parts: Vec<(usize, DsrSums, u64, usize, Result<(), String>)> = runs
                .par_chunks(512)
                .map(|chunk| {
                    let mut lookup = BandLookup::new(true);
                    let mut out = Vec::with_capacity(chunk.len());
                    for run in chunk {
                        let mut local = DsrSums::default();
                        let mut mask = 0u64;
                        let mut duplicate = usize::MAX;
                        let mut run_sums = || -> Result<(), IndicatorError> {
                            for r in run.start..run.end {
                                if a.is_null(r) {
                                    return Err(IndicatorError::Column {
                                        column: name.to_owned(),
                                        problem: format!("null age band in row {r}"),
                                    });
                                }
                                let i = lookup.index(a.value(r), name)?;
                                let bit = 1u64 << i;
                                if mask & bit != 0 && duplicate == usize::MAX {
                                    duplicate = r;
                                }
                                mask |= bit;
                                let w = ESP2013.get(i).copied().unwrap_or(0.0);
                                local.add(c.at(r), p.at(r), w)?;
                            }
                            Ok(())
                        };
                        let result = run_sums().map_err(|e| group_problem(&e));
                        out.push((run.group, local, mask, duplicate, result));
                    }
                    out
                })
                .collect::<Vec<_>>()
                .into_iter()
                .flatten()
                .collect();
            for (g, local, mask, duplicate, result) in parts {
                let (Some(slot), Some(m), Some(why)) =
                    (sums.get_mut(g), seen.get_mut(g), bad.get_mut(g))
                else {
                    continue;
                };
                if why.is_some() {
                    continue;
                }
                if let Err(e) = result {
                    *why = Some(e);
                    continue;
                }
                if duplicate != usize::MAX || *m & mask != 0 {
                    let r = if duplicate != usize::MAX {
                        duplicate
                    } else {
                        runs.iter()
                            .find(|run| run.group == g)
                            .map(|run| run.start)
                            .unwrap_or(0)
                    };
                    *why = Some(format!("age band {} appears twice", a.value(r)));
                    continue;
                }
                slot.merge(&local);
                *m |= mask;
            }
            continue;
        }
        for run in grouping.runs.get(b).into_iter().flatten() {
            let g = run.group;
            if bad.get(g).is_some_and(Option::is_some) {
                continue;
            }
            // Accumulate the run in locals (registers), then store once.
            let (Some(mut local), Some(mut local_mask)) =
                (sums.get(g).copied(), seen.get(g).copied())
            else {
                continue;
            };
            let mut run_sums = || -> Result<(), IndicatorError> {
                for r in run.start..run.end {
                    let band = match (bands, band_column) {
                        (Some(a), Some(name)) => {
                            if a.is_null(r) {
                                return Err(IndicatorError::Column {
                                    column: name.to_owned(),
                                    problem: format!("null age band in row {r}"),
                                });
                            }
                            let i = lookup.index(a.value(r), name)?;
                            if i >= 64 {
                                return Err(IndicatorError::Column {
                                    column: name.to_owned(),
                                    problem: "more than 64 distinct age bands".to_owned(),
                                });
                            }
                            Some(i)
                        }
                        _ => None,
                    };
                    let w = match (&weights, band) {
                        (Some(wc), _) => wc.get(r).ok_or_else(|| IndicatorError::Column {
                            column: "standard population".to_owned(),
                            problem: format!("null weight in row {r}"),
                        })?,
                        (None, Some(i)) => ESP2013.get(i).copied().unwrap_or(0.0),
                        (None, None) => 0.0,
                    };
                    // A null count is missing, not zero: the group's value becomes null with a note
                    // (a silently smaller rate would look plausible). A null population is an error.
                    let Some(o) = counts.get(r) else {
                        if let Some(m) = missing.get_mut(g) {
                            *m = true;
                        }
                        // The band is present, with an unknown count: it is not a missing band.
                        if let Some(i) = band {
                            local_mask |= 1u64 << i;
                        }
                        continue;
                    };
                    let p = pops.get(r).ok_or_else(|| IndicatorError::Column {
                        column: population.to_owned(),
                        problem: format!("null population in row {r}"),
                    })?;
                    let (s, mask) = (&mut local, &mut local_mask);
                    let new_band = match band {
                        Some(i) => {
                            let bit = 1u64 << i;
                            let new = *mask & bit == 0;
                            *mask |= bit;
                            new
                        }
                        None => true,
                    };
                    let label = || bands.map(|a| a.value(r)).unwrap_or("");
                    match &freqs {
                        None => {
                            if !new_band && band_column.is_some() {
                                return Err(IndicatorError::Invalid(format!(
                                    "age band {} appears twice",
                                    label()
                                )));
                            }
                            s.add(o, p, w)?;
                        }
                        Some(f) => {
                            let f = f.get(r).ok_or_else(|| IndicatorError::Column {
                                column: frequency.unwrap_or("").to_owned(),
                                problem: format!("null event frequency in row {r}"),
                            })?;
                            if let Some(i) = band {
                                // R refuses these too: summing a band's population once per
                                // frequency row would give a figure of any size.
                                let first = *band_first.entry((g, i)).or_insert((p, w));
                                if first != (p, w) {
                                    return Err(IndicatorError::Invalid(format!(
                                        "age band {}: the population and standard population \
                                     must be the same on every frequency row of a band, found \
                                     {} and {} on one row and {p} and {w} on another",
                                        label(),
                                        first.0,
                                        first.1
                                    )));
                                }
                            }
                            s.add_frequency(f, o, p, w, new_band)?;
                        }
                    }
                }
                Ok(())
            };
            let result = run_sums();
            match result {
                Ok(()) => {
                    if let (Some(slot), Some(m)) = (sums.get_mut(g), seen.get_mut(g)) {
                        *slot = local;
                        *m = local_mask;
                    }
                }
                Err(e) => {
                    if let Some(why) = bad.get_mut(g) {
                        *why = Some(group_problem(&e));
                    }
                }
            }
        }
    }
    if let Standard::Esp2013 { .. } = standard {
        for (why, mask) in bad.iter_mut().zip(&seen) {
            if why.is_none() && mask.count_ones() != 19 {
                *why = Some(format!(
                    "has {} of the 19 ESP2013 age bands: every band is needed, with a count \
                     of 0 where there were no events",
                    mask.count_ones()
                ));
            }
        }
    }
    every_group_bad(&bad, &grouping, batches, group_by)?;
    let mut out = Columns::new(levels.len(), n);
    for ((s, gone), why) in sums.iter().zip(&missing).zip(&bad) {
        if let Some(why) = why {
            out.null_owned(why.clone());
        } else if *gone {
            out.null(MISSING_INPUT);
        } else {
            s.estimate_into(levels, multiplier, &mut out);
        }
    }
    let known = |i: usize| {
        !missing.get(i).copied().unwrap_or(true) && bad.get(i).is_some_and(Option::is_none)
    };
    let totals: Vec<Option<f64>> = sums
        .iter()
        .enumerate()
        .map(|(i, s)| known(i).then(|| s.observed()))
        .collect();
    let pops_total: Vec<Option<f64>> = sums
        .iter()
        .enumerate()
        .map(|(i, s)| known(i).then(|| s.population()))
        .collect();
    let keys = key_columns(batches, &grouping, group_by)?;
    finish(
        keys,
        vec![(count, totals), (population, pops_total)],
        out,
        levels,
        format!("dsr per {}", describe_multiplier(multiplier)),
    )
}
