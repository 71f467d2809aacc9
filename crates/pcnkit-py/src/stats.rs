//! `pcnkit.stats`: the indicator methods over Arrow tables. Each function turns its arguments
//! into the library's own request (`pcnkit_indicators::request`, the same the HTTP API and R
//! use), which holds the defaults and runs the method.

use serde_json::{Value, json};

use super::*;

/// Runs `fields` (a request's fields with its `method`) over `data` (and ISR's `totals`).
fn request(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    fields: Value,
    totals: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyTable> {
    let batches = batches_in(data)?;
    let totals = totals.map(batches_in).transpose()?;
    method(py, move || {
        let request: pcnkit_indicators::request::IndicatorRequest =
            serde_json::from_value(fields).map_err(|e| Failure::Argument(e.to_string()))?;
        Ok(request.run(&batches, totals.as_deref())?)
    })
}

/// Proportions with Wilson score limits.
#[pyfunction]
#[pyo3(signature = (data, numerator, denominator, group_by, confidence, multiplier, output_type=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn stats_proportion(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    numerator: String,
    denominator: String,
    group_by: Vec<String>,
    confidence: Vec<f64>,
    multiplier: Option<f64>,
    output_type: Option<String>,
) -> PyResult<PyTable> {
    let fields = json!({"method": "proportion", "numerator": numerator, "denominator": denominator,
        "group_by": group_by, "confidence": confidence, "multiplier": multiplier, "type": output_type});
    request(py, data, fields, None)
}

/// Crude rates with exact Poisson (below 10 events) or Byar's limits; with `frequency`, the
/// limits for non-independent events.
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
    let fields = json!({"method": "rate", "numerator": numerator, "denominator": denominator,
        "group_by": group_by, "confidence": confidence, "multiplier": multiplier,
        "frequency": frequency, "type": output_type});
    request(py, data, fields, None)
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
    let fields = json!({"method": "mean", "value": value, "group_by": group_by,
        "confidence": confidence, "type": output_type});
    request(py, data, fields, None)
}

/// Directly standardised rates (Dobson limits), ESP2013 by age-band label or a weight column;
/// with `frequency`, the non-independent-events variant.
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
    let fields = json!({"method": "dsr", "count": count, "denominator": denominator,
        "age_band": age_band, "standard_population": standard_population, "group_by": group_by,
        "confidence": confidence, "multiplier": multiplier, "frequency": frequency,
        "repeated_bands": repeated_bands, "type": output_type});
    request(py, data, fields, None)
}

/// Indirectly standardised ratios or rates (`rate`); the observed events from a count column,
/// or from a table of totals per group (`totals`, `count` naming its column).
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
    let fields = json!({"method": "isr", "count": count, "denominator": denominator,
        "reference_count": reference_count, "reference_denominator": reference_denominator,
        "group_by": group_by, "confidence": confidence, "rate": rate, "scale": scale,
        "type": output_type});
    request(py, data, fields, totals)
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
    let fields = json!({"method": "quantiles", "value": value, "group_by": group_by,
        "nquantiles": nquantiles, "invert": invert});
    request(py, data, fields, None)
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
    let fields = json!({"method": "sii", "quantile": quantile, "population": population,
        "value": value, "se": se, "lower": lower, "upper": upper, "count": count,
        "group_by": group_by, "confidence": confidence, "value_type": value_type,
        "transform": transform, "multiplier": multiplier, "repetitions": repetitions,
        "seed": seed, "reliability": reliability, "type": output_type});
    request(py, data, fields, None)
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
    let method = if significance {
        "funnel_significance"
    } else {
        "funnel_limits"
    };
    let fields = json!({"method": method, "numerator": numerator, "denominator": denominator,
        "rate": rate, "statistic": statistic, "multiplier": multiplier, "ratio_type": ratio_type,
        "rate_type": rate_type, "overdispersion": overdispersion});
    request(py, data, fields, None)
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
    let fields = json!({"method": "life_expectancy", "deaths": deaths, "population": population,
        "start_age": start_age, "group_by": group_by, "confidence": confidence, "ages": ages,
        "top_age": top_age, "type": output_type});
    request(py, data, fields, None)
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
    let fields = json!({"method": "funnel_points", "numerator": numerator,
        "denominator": denominator, "rate": rate, "rate_type": rate_type,
        "multiplier": multiplier, "years_of_data": years_of_data});
    request(py, data, fields, None)
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
    let total_rows = total_rows.map(
        |(category, label, within)| json!({"category": category, "label": label, "within": within}),
    );
    let national = national.map(|(column, value)| json!({"column": column, "value": value}));
    let percentages: Vec<Value> = percentages
        .into_iter()
        .map(|(column, numerator, denominator, multiplier)| {
            json!({"column": column, "numerator": numerator, "denominator": denominator,
                "multiplier": multiplier})
        })
        .collect();
    let fields = json!({"method": "disclose", "policy": policy, "counts": counts,
        "margins": margins, "total_rows": total_rows, "national": national,
        "percentages": percentages, "standardised": standardised, "derived": derived});
    request(py, data, fields, None)
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
    let (kind, column, name, v, l, u, with_interval) = comparator;
    let comparator = match (kind.as_str(), column, name, v) {
        ("row", Some(c), Some(n), _) => {
            json!({"row": {"column": c, "value": n, "with_interval": with_interval}})
        }
        ("value", _, _, Some(v)) => json!({"value": {"value": v, "lower": l, "upper": u}}),
        ("columns", Some(c), limits, _) => {
            let (lo, hi) = match limits.as_deref().and_then(|s| s.split_once(',')) {
                Some((lo, hi)) => (Some(lo.to_owned()), Some(hi.to_owned())),
                None => (None, None),
            };
            json!({"columns": {"value": c, "lower": lo, "upper": hi}})
        }
        ("none", ..) if quintiles => Value::Null,
        _ => {
            return Err(InvalidArgument::new_err(
                "comparator: a row (column, value), a value, or columns",
            ));
        }
    };
    let fields = json!({"method": "benchmark", "value": value, "lower": lower, "upper": upper,
        "polarity": polarity, "comparator": comparator, "group_by": group_by,
        "quintiles": quintiles});
    request(py, data, fields, None)
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
    let fields = json!({"method": "spc", "value": value, "period": period, "group_by": group_by,
        "direction": direction, "target": target, "run": run, "trend": trend, "rebase": rebase,
        "baseline": baseline, "refuse_missing": refuse_missing, "summary": summary});
    request(py, data, fields, None)
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
    let (numerator, denominator) = proportion.map_or((None, None), |(n, d)| (Some(n), Some(d)));
    let (value, lower, upper) =
        interval.map_or((None, None, None), |(v, l, u)| (Some(v), Some(l), Some(u)));
    let fields = json!({"method": "trend", "year": year, "numerator": numerator,
        "denominator": denominator, "value": value, "lower": lower, "upper": upper,
        "confidence": confidence, "polarity": polarity, "group_by": group_by});
    request(py, data, fields, None)
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
