//! `pcnkit.stats`: the indicator methods over Arrow tables. Each function converts its
//! arguments and calls pcnkit-indicators, whose specs and constants hold the defaults.

use super::*;
use pcnkit_indicators::{
    FunnelPointsSpec, FunnelSpec, IsrSpec, LifeExpectancySpec, MeanSpec, ProportionSpec,
    QuantileSpec, RateSpec, SiiSpec,
};

/// Runs a method and keeps the columns R's `type` asks for (`value`, `lower`, `upper`,
/// `standard`, or `full`, the default), in the same pass that makes the table.
fn shaped(
    py: Python<'_>,
    output_type: Option<String>,
    f: impl FnOnce() -> Result<RecordBatch, Failure> + Send,
) -> PyResult<PyTable> {
    method(py, move || {
        let output: pcnkit_indicators::OutputType = match &output_type {
            Some(t) => t
                .parse()
                .map_err(|e| Failure::Argument(format!("type: {e}")))?,
            None => pcnkit_indicators::OutputType::default(),
        };
        Ok(pcnkit_indicators::select_output(&f()?, output)?)
    })
}

/// A method of a numerator and a denominator (proportion, crude rate): one binding shape,
/// the spec's own defaults for what is not given.
macro_rules! pair_method {
    ($(#[$doc:meta])* $name:ident, $spec:ident) => {
        $(#[$doc])*
        #[pyfunction]
        #[pyo3(signature = (data, numerator, denominator, group_by, confidence, multiplier, output_type=None))]
        #[allow(clippy::too_many_arguments)]
        pub(crate) fn $name(
            py: Python<'_>,
            data: &Bound<'_, PyAny>,
            numerator: String,
            denominator: String,
            group_by: Vec<String>,
            confidence: Vec<f64>,
            multiplier: Option<f64>,
            output_type: Option<String>,
        ) -> PyResult<PyTable> {
            let batches = batches_in(data)?;
            shaped(py, output_type, move || {
                let group = strs(&group_by);
                let mut spec = $spec::new(&numerator, &denominator)
                    .group_by(&group)
                    .levels(levels(&confidence)?);
                if let Some(m) = multiplier {
                    spec = spec.multiplier(m);
                }
                Ok(spec.run(&batches)?)
            })
        }
    };
}

pair_method!(
    /// Proportions with Wilson score limits.
    stats_proportion,
    ProportionSpec
);
/// Crude rates with exact Poisson (below 10 events) or Byar's limits; with `frequency`, the
/// limits for non-independent events (`RateSpec::frequency`).
#[pyfunction]
#[pyo3(signature = (data, numerator, denominator, group_by, confidence, multiplier, output_type=None, frequency=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn stats_rate(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    numerator: String,
    denominator: String,
    group_by: Vec<String>,
    confidence: Vec<f64>,
    multiplier: Option<f64>,
    output_type: Option<String>,
    frequency: Option<String>,
) -> PyResult<PyTable> {
    let batches = batches_in(data)?;
    shaped(py, output_type, move || {
        let group = strs(&group_by);
        let mut spec = RateSpec::new(&numerator, &denominator)
            .group_by(&group)
            .levels(levels(&confidence)?)
            .frequency(frequency.as_deref());
        if let Some(m) = multiplier {
            spec = spec.multiplier(m);
        }
        Ok(spec.run(&batches)?)
    })
}

/// Means with Student's t limits.
#[pyfunction]
#[pyo3(signature = (data, value, group_by, confidence, output_type=None))]
pub(crate) fn stats_mean(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    value: String,
    group_by: Vec<String>,
    confidence: Vec<f64>,
    output_type: Option<String>,
) -> PyResult<PyTable> {
    let batches = batches_in(data)?;
    shaped(py, output_type, move || {
        let group = strs(&group_by);
        Ok(MeanSpec::new(&value)
            .group_by(&group)
            .levels(levels(&confidence)?)
            .run(&batches)?)
    })
}

/// Directly standardised rates (Dobson limits), ESP2013 by age-band label or a weight column;
/// with `frequency`, the non-independent-events variant. Defaults (multiplier, what repeated
/// bands do) are the crate's `DsrSpec`'s.
#[pyfunction]
#[pyo3(signature = (data, count, denominator, age_band, group_by, standard_population, confidence, multiplier, frequency, repeated_bands=None, output_type=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn stats_dsr(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    count: String,
    denominator: String,
    age_band: Option<String>,
    group_by: Vec<String>,
    standard_population: Option<String>,
    confidence: Vec<f64>,
    multiplier: Option<f64>,
    frequency: Option<String>,
    repeated_bands: Option<String>,
    output_type: Option<String>,
) -> PyResult<PyTable> {
    let batches = batches_in(data)?;
    shaped(py, output_type, move || {
        let standard = match (&standard_population, &age_band) {
            (Some(w), Some(a)) if frequency.is_some() => Standard::ColumnWithBands {
                weight: w,
                age_band: a,
            },
            (Some(w), _) => Standard::Column(w),
            (None, Some(a)) => Standard::Esp2013 { age_band: a },
            (None, None) => {
                return Err(Failure::Argument(
                    "give age_band (ESP2013 matched on its labels) or standard_population".into(),
                ));
            }
        };
        let group = strs(&group_by);
        let mut spec = pcnkit_indicators::DsrSpec::new(&count, &denominator, standard)
            .group_by(&group)
            .levels(levels(&confidence)?)
            .frequency(frequency.as_deref());
        if let Some(m) = multiplier {
            spec = spec.multiplier(m);
        }
        if let Some(r) = &repeated_bands {
            spec = spec.repeated_bands(
                r.parse()
                    .map_err(|e| Failure::Argument(format!("repeated_bands: {e}")))?,
            );
        }
        Ok(spec.run(&batches)?)
    })
}

/// Indirectly standardised ratios or rates (`rate`); the observed events from a
/// count column, or from a table of totals per group (`totals`, `count` naming its column).
#[pyfunction]
#[pyo3(signature = (data, count, denominator, reference_count, reference_denominator, group_by, confidence, rate, scale, totals=None, output_type=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn stats_isr(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    count: String,
    denominator: String,
    reference_count: String,
    reference_denominator: String,
    group_by: Vec<String>,
    confidence: Vec<f64>,
    rate: bool,
    scale: Option<f64>,
    totals: Option<&Bound<'_, PyAny>>,
    output_type: Option<String>,
) -> PyResult<PyTable> {
    let batches = batches_in(data)?;
    let totals = totals.map(batches_in).transpose()?;
    shaped(py, output_type, move || {
        // A rate per `scale` people, or a ratio × `scale`; the defaults are the crate's.
        let kind = if rate {
            Indirect::Rate {
                multiplier: scale.unwrap_or(pcnkit_indicators::RATE_MULTIPLIER_DEFAULT),
            }
        } else {
            Indirect::Ratio {
                ref_value: scale.unwrap_or(pcnkit_indicators::ISR_REF_VALUE_DEFAULT),
            }
        };
        let observed = match &totals {
            Some(table) => pcnkit_indicators::Observed::Totals {
                table,
                column: &count,
            },
            None => pcnkit_indicators::Observed::Counts(&count),
        };
        let group = strs(&group_by);
        Ok(IsrSpec::new(
            observed,
            &denominator,
            &reference_count,
            &reference_denominator,
        )
        .group_by(&group)
        .levels(levels(&confidence)?)
        .kind(kind)
        .run(&batches)?)
    })
}

/// OHID quantiles within groups.
#[pyfunction]
#[pyo3(signature = (data, value, group_by, nquantiles=None, invert=None))]
pub(crate) fn stats_quantile(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    value: String,
    group_by: Vec<String>,
    nquantiles: Option<u32>,
    invert: Option<bool>,
) -> PyResult<PyTable> {
    let batches = batches_in(data)?;
    method(py, move || {
        let group = strs(&group_by);
        let mut spec = QuantileSpec::new(&value).group_by(&group);
        if let Some(n) = nquantiles {
            spec = spec.nquantiles(n);
        }
        if let Some(i) = invert {
            spec = spec.invert(i);
        }
        Ok(spec.run(&batches)?)
    })
}

/// Slope and relative index of inequality.
#[pyfunction]
#[pyo3(signature = (data, quantile, population, value, se, lower, upper, group_by, confidence, value_type, transform, multiplier, repetitions, seed, count=None, reliability=false, output_type=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn stats_sii(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    quantile: String,
    population: String,
    value: String,
    se: Option<String>,
    lower: Option<String>,
    upper: Option<String>,
    group_by: Vec<String>,
    confidence: Vec<f64>,
    value_type: String,
    transform: bool,
    multiplier: Option<f64>,
    repetitions: Option<u32>,
    seed: Option<u64>,
    count: Option<String>,
    reliability: bool,
    output_type: Option<String>,
) -> PyResult<PyTable> {
    let batches = batches_in(data)?;
    shaped(py, output_type, move || {
        let errors = match (&se, &lower, &upper, &count) {
            (Some(s), None, None, None) => SiiErrors::Se(s),
            (None, Some(l), Some(u), None) => SiiErrors::Limits(l, u),
            (None, None, None, Some(c)) => SiiErrors::Counts(c),
            _ => {
                return Err(Failure::Argument(
                    "give one of se, lower and upper (95% limits), or count".into(),
                ));
            }
        };
        let value_type: ValueType = value_type
            .parse()
            .map_err(|e| Failure::Argument(format!("value_type: {e}")))?;
        let options = SiiOptions::new()
            .value_type(value_type)
            .transform(transform)
            .multiplier(multiplier.unwrap_or(SiiOptions::default().multiplier))
            .reliability(reliability)
            .repetitions(repetitions.unwrap_or(SiiOptions::default().repetitions))
            .seed(seed.unwrap_or(SiiOptions::default().seed))
            .levels(levels(&confidence)?);
        let group = strs(&group_by);
        Ok(SiiSpec::new(&quantile, &population, &value, errors)
            .group_by(&group)
            .options(options)
            .run(&batches)?)
    })
}

/// A funnel from R's words, parsed by the crate (a word it does not know is an argument
/// error); `ratio_type` None is the crate's default, `rate_type` has none (a rate funnel
/// needs it, as in R).
pub(crate) fn funnel_kind(
    statistic: &str,
    multiplier: f64,
    ratio_type: Option<&str>,
    rate_type: Option<&str>,
) -> Result<FunnelKind, Failure> {
    let arg = |e: pcnkit_indicators::IndicatorError| Failure::Argument(e.to_string());
    let ratio: RatioScale = match ratio_type {
        Some(r) => r.parse().map_err(arg)?,
        None => pcnkit_indicators::funnel::RATIO_TYPE_DEFAULT,
    };
    let rate: Option<RateKind> = rate_type.map(str::parse).transpose().map_err(arg)?;
    FunnelKind::from_words(statistic, multiplier, ratio, rate).map_err(arg)
}

/// Funnel-plot control limits (`significance` False) or each row's significance (True).
#[pyfunction]
#[pyo3(signature = (data, numerator, denominator, rate, statistic, multiplier, ratio_type, rate_type, significance, overdispersion=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn stats_funnel(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    numerator: String,
    denominator: Option<String>,
    rate: Option<String>,
    statistic: String,
    multiplier: Option<f64>,
    ratio_type: Option<String>,
    rate_type: Option<String>,
    significance: bool,
    overdispersion: Option<String>,
) -> PyResult<PyTable> {
    let batches = batches_in(data)?;
    let multiplier = multiplier.unwrap_or(pcnkit_indicators::FUNNEL_MULTIPLIER_DEFAULT);
    method(py, move || {
        let kind = funnel_kind(
            &statistic,
            multiplier,
            ratio_type.as_deref(),
            rate_type.as_deref(),
        )?;
        if let Some(a) = overdispersion {
            let adjustment: pcnkit_indicators::overdispersion::Adjustment = a
                .parse()
                .map_err(|e: pcnkit_indicators::IndicatorError| Failure::Argument(e.to_string()))?;
            let Some(den) = denominator.as_deref() else {
                return Err(Failure::Argument(
                    "overdispersion needs the denominator (or expected counts)".to_owned(),
                ));
            };
            let spec = pcnkit_indicators::overdispersion::OverdispersionSpec::new(
                &numerator, den, kind, adjustment,
            );
            return Ok(if significance {
                spec.significance(&batches)?
            } else {
                spec.limits(&batches)?
            });
        }
        let spec = FunnelSpec::new(&numerator, denominator.as_deref(), kind).rate(rate.as_deref());
        Ok(if significance {
            spec.significance(&batches)?
        } else {
            spec.limits(&batches)?
        })
    })
}

/// Life expectancy (Chiang II) from deaths and populations by the 20 standard age bands, at
/// every start age or only at `ages`.
#[pyfunction]
#[pyo3(signature = (data, deaths, population, start_age, group_by, confidence, ages=None, output_type=None, top_age=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn stats_life_expectancy(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    deaths: String,
    population: String,
    start_age: String,
    group_by: Vec<String>,
    confidence: Vec<f64>,
    ages: Option<Vec<u32>>,
    output_type: Option<String>,
    top_age: Option<u32>,
) -> PyResult<PyTable> {
    let batches = batches_in(data)?;
    shaped(py, output_type, move || {
        let group = strs(&group_by);
        let mut spec = LifeExpectancySpec::new(&deaths, &population, &start_age)
            .group_by(&group)
            .levels(levels(&confidence)?)
            .ages(ages);
        if let Some(t) = top_age {
            spec = spec.top_age(t);
        }
        Ok(spec.run(&batches)?)
    })
}

/// Each row's point on a rate funnel: `rate_chart` and `denominator_derived`.
#[pyfunction]
#[pyo3(signature = (data, numerator, denominator, rate, rate_type, multiplier, years_of_data))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn stats_funnel_points(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    numerator: String,
    denominator: Option<String>,
    rate: String,
    rate_type: Option<String>,
    multiplier: Option<f64>,
    years_of_data: Option<f64>,
) -> PyResult<PyTable> {
    let batches = batches_in(data)?;
    let multiplier = multiplier.unwrap_or(pcnkit_indicators::FUNNEL_MULTIPLIER_DEFAULT);
    method(py, move || {
        let FunnelKind::Rate { kind, .. } =
            funnel_kind("rate", multiplier, None, rate_type.as_deref())?
        else {
            return Err(Failure::Argument(
                "rate_type: use \"dsr\" or \"crude\"".into(),
            ));
        };
        Ok(FunnelPointsSpec::new(&numerator, &rate, kind)
            .denominator(denominator.as_deref())
            .multiplier(multiplier)
            .years_of_data(
                years_of_data.unwrap_or(pcnkit_indicators::funnel::YEARS_OF_DATA_DEFAULT),
            )
            .run(&batches)?)
    })
}

/// Sums of numeric columns within groups.
#[pyfunction]
#[pyo3(signature = (data, keys, values))]
pub(crate) fn stats_sum_by(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    keys: Vec<String>,
    values: Vec<String>,
) -> PyResult<PyTable> {
    let batches = batches_in(data)?;
    method(py, move || {
        Ok(pcnkit_indicators::sum_by(
            &batches,
            &strs(&keys),
            &strs(&values),
        )?)
    })
}

/// The defaults every method takes when a caller does not say, from the crate, so Python's
/// signatures show (and use) the same values as the CLI: `confidence`, `type`, `value_type`
/// (SII), `ratio_type` and `years_of_data` (funnels).
#[pyfunction]
pub(crate) fn stats_defaults() -> (f64, String, String, String, f64) {
    let output = match pcnkit_indicators::OutputType::default() {
        pcnkit_indicators::OutputType::Value => "value",
        pcnkit_indicators::OutputType::Lower => "lower",
        pcnkit_indicators::OutputType::Upper => "upper",
        pcnkit_indicators::OutputType::Standard => "standard",
        _ => "full",
    };
    let value_type = match pcnkit_indicators::sii::SiiOptions::default().value_type {
        ValueType::Rate => "rate",
        ValueType::Proportion => "proportion",
        _ => "normal",
    };
    let ratio = match pcnkit_indicators::funnel::RATIO_TYPE_DEFAULT {
        RatioScale::Isr => "isr",
        _ => "count",
    };
    (
        pcnkit_indicators::CONFIDENCE_DEFAULT.get(),
        output.to_owned(),
        value_type.to_owned(),
        ratio.to_owned(),
        pcnkit_indicators::funnel::YEARS_OF_DATA_DEFAULT,
    )
}

/// A disclosure control policy applied to a table (`pcnkit_indicators::disclosure`): the
/// arguments as the Python wrapper normalises them.
#[pyfunction]
#[pyo3(signature = (data, policy, counts, margins, total_rows, national, percentages, standardised, derived))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn stats_disclose(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    policy: String,
    counts: Vec<String>,
    margins: Vec<Vec<String>>,
    total_rows: Option<(String, String, Vec<String>)>,
    national: Option<(String, String)>,
    percentages: Vec<(String, String, String, f64)>,
    standardised: Vec<String>,
    derived: Vec<String>,
) -> PyResult<PyTable> {
    use pcnkit_indicators::disclosure::{Derived, DisclosureSpec, Policy, TotalRows};
    let batches = batches_in(data)?;
    method(py, move || {
        let policy: Policy = policy
            .parse()
            .map_err(|e: pcnkit_indicators::IndicatorError| Failure::Argument(e.to_string()))?;
        let counts = strs(&counts);
        let mut spec = DisclosureSpec::new(policy, &counts);
        let margins: Vec<Vec<&str>> = margins.iter().map(|m| strs(m)).collect();
        for m in &margins {
            spec = spec.margin(m);
        }
        let within: Vec<&str> = total_rows.as_ref().map(|t| strs(&t.2)).unwrap_or_default();
        if let Some((category, label, _)) = &total_rows {
            spec = spec.totals(TotalRows::new(category, label, &within));
        }
        if let Some((column, value)) = &national {
            spec = spec.national(column, value);
        }
        for (column, numerator, denominator, multiplier) in &percentages {
            spec = spec.derived(Derived::Percentage {
                column,
                numerator,
                denominator,
                multiplier: *multiplier,
            });
        }
        for c in &standardised {
            spec = spec.derived(Derived::Standardised {
                column: c,
                counts: counts.clone(),
            });
        }
        for c in &derived {
            spec = spec.derived(Derived::Simple {
                column: c,
                counts: counts.clone(),
            });
        }
        Ok(spec.run(&batches)?)
    })
}

/// A comparator as the Python wrapper sends it: kind, column, name, value, lower, upper, and
/// whether to compare with the interval.
type ComparatorWords = (
    String,
    Option<String>,
    Option<String>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    bool,
);

/// Benchmarking against a comparator (`pcnkit_indicators::benchmark`). `comparator` is one of
/// `("row", column, value, with_interval)`, `("value", v, lower, upper)` or
/// `("columns", value, lower, upper)`, as the Python wrapper builds it.
#[pyfunction]
#[pyo3(signature = (data, value, lower, upper, polarity, comparator, group_by, quintiles))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn stats_benchmark(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    value: String,
    lower: String,
    upper: String,
    polarity: String,
    comparator: ComparatorWords,
    group_by: Vec<String>,
    quintiles: bool,
) -> PyResult<PyTable> {
    use pcnkit_indicators::benchmark::{BenchmarkSpec, Comparator, Method, Polarity};
    let batches = batches_in(data)?;
    method(py, move || {
        let arg = |e: pcnkit_indicators::IndicatorError| Failure::Argument(e.to_string());
        let polarity: Polarity = polarity.parse().map_err(arg)?;
        let (kind, column, name, v, l, u, with_interval) = &comparator;
        let comparator = match (kind.as_str(), column, name, v) {
            ("row", Some(c), Some(n), _) => Comparator::Row {
                column: c,
                value: n,
                with_interval: *with_interval,
            },
            ("value", _, _, Some(v)) => match (l, u) {
                (Some(l), Some(u)) => Comparator::Interval {
                    value: *v,
                    lower: *l,
                    upper: *u,
                },
                _ => Comparator::Value(*v),
            },
            ("columns", Some(c), lu, _) => Comparator::Columns {
                value: c,
                limits: lu.as_deref().and_then(|s| s.split_once(',')),
            },
            ("none", ..) if quintiles => Comparator::Value(f64::NAN),
            _ => {
                return Err(Failure::Argument(
                    "comparator: a row (column, value), a value, or columns".to_owned(),
                ));
            }
        };
        let group = strs(&group_by);
        Ok(
            BenchmarkSpec::new(&value, &lower, &upper, comparator, polarity)
                .group_by(&group)
                .method(if quintiles {
                    Method::Quintiles
                } else {
                    Method::Interval
                })
                .run(&batches)?,
        )
    })
}

/// XmR charts (`pcnkit_indicators::spc`): one per group, points in period order; the points
/// table, or one row per chart with `summary`.
#[pyfunction]
#[pyo3(signature = (data, value, period, group_by, direction, target, run, trend, rebase, baseline, refuse_missing, summary))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn stats_spc(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    value: String,
    period: String,
    group_by: Vec<String>,
    direction: Option<String>,
    target: Option<f64>,
    run: Option<usize>,
    trend: Option<usize>,
    rebase: Vec<String>,
    baseline: Option<usize>,
    refuse_missing: bool,
    summary: bool,
) -> PyResult<PyTable> {
    use pcnkit_indicators::spc::{Direction, Missing, SpcOptions};
    use pcnkit_indicators::spc_table::SpcSpec;
    let batches = batches_in(data)?;
    method(py, move || {
        let mut options = SpcOptions::default();
        if let Some(d) = direction {
            let d: Direction = d
                .parse()
                .map_err(|e: pcnkit_indicators::IndicatorError| Failure::Argument(e.to_string()))?;
            options = options.direction(d);
        }
        if let Some(r) = run {
            options = options.run(r);
        }
        if let Some(t) = trend {
            options = options.trend(t);
        }
        options = options.baseline(baseline).target(target);
        if refuse_missing {
            options = options.missing(Missing::Refuse);
        }
        options
            .validate()
            .map_err(|e| Failure::Argument(e.to_string()))?;
        let group = strs(&group_by);
        let rebase = strs(&rebase);
        let spec = SpcSpec::new(&value, &period, options)
            .group_by(&group)
            .rebase_at(&rebase);
        Ok(if summary {
            spec.summary(&batches)?
        } else {
            spec.run(&batches)?
        })
    })
}

/// Recent trends (`pcnkit_indicators::trend`): one row per group, over its five most recent
/// years; a proportion from `(numerator, denominator)`, any other value from `(value, lower,
/// upper)` at `confidence`.
#[pyfunction]
#[pyo3(signature = (data, year, proportion, interval, confidence, polarity, group_by))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn stats_trend(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    year: String,
    proportion: Option<(String, String)>,
    interval: Option<(String, String, String)>,
    confidence: Option<f64>,
    polarity: Option<String>,
    group_by: Vec<String>,
) -> PyResult<PyTable> {
    use pcnkit_indicators::Confidence;
    use pcnkit_indicators::benchmark::Polarity;
    use pcnkit_indicators::trend::{TrendSpec, TrendValues};
    let batches = batches_in(data)?;
    method(py, move || {
        let values = match (&proportion, &interval) {
            (Some((numerator, denominator)), None) => TrendValues::Proportion {
                numerator,
                denominator,
            },
            (None, Some((value, lower, upper))) => TrendValues::Interval {
                value,
                lower,
                upper,
                confidence: match confidence {
                    Some(c) => Confidence::new(c).map_err(|e| Failure::Argument(e.to_string()))?,
                    None => Confidence::C95,
                },
            },
            _ => {
                return Err(Failure::Argument(
                    "give numerator and denominator (a proportion), or value, lower and upper"
                        .to_owned(),
                ));
            }
        };
        let polarity = match polarity {
            Some(p) => p
                .parse()
                .map_err(|e: pcnkit_indicators::IndicatorError| Failure::Argument(e.to_string()))?,
            None => Polarity::NoJudgement,
        };
        let group = strs(&group_by);
        Ok(TrendSpec::new(values, &year)
            .group_by(&group)
            .polarity(polarity)
            .run(&batches)?)
    })
}

/// `data` with a built-in standard population's weight per row (`pcnkit_indicators::standards`)
/// in `column`, matched on the `age_band` labels.
#[pyfunction]
pub(crate) fn stats_attach_standard(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    age_band: String,
    name: String,
    column: String,
) -> PyResult<PyTable> {
    let batches = batches_in(data)?;
    method(py, move || {
        let standard = pcnkit_indicators::standards::StandardPopulation::named(&name)
            .map_err(|e| Failure::Argument(e.to_string()))?;
        let attached = batches
            .iter()
            .map(|b| standard.attach(b, &age_band, &column))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(first) = attached.first() else {
            return Err(Failure::Argument("an empty table".to_owned()));
        };
        arrow_select::concat::concat_batches(&first.schema(), &attached)
            .map_err(|e| Failure::Internal(e.to_string()))
    })
}
