"""The UKHSA/Fingertips statistical methods over Arrow tables.

Each function takes a table (pyarrow Table, polars or pandas DataFrame), the names of its
columns, optional ``group_by`` columns, and returns a ``pyarrow.Table`` with one row per group
and the column names of the R package ``PHEindicatormethods``: the group columns, the summed
inputs, ``value``, ``lowercl`` and ``uppercl`` (with several confidence levels:
``lower95_0cl``, ``upper95_0cl``, ``lower99_8cl``, ...), ``confidence``, ``statistic``,
``method`` and ``note`` (why a value is null, e.g. fewer than 10 events for a DSR). No NaN is
returned: a value the method does not define is null with a note.

``confidence`` takes one level (``0.95``) or a list (``[0.95, 0.998]``), or ``None`` for no
interval. ``type`` is R's: ``"value"``, ``"lower"``, ``"upper"``, ``"standard"`` (without the
metadata columns) or ``"full"`` (the default); ``note`` is kept in every form. The computation
runs in Rust with the GIL released; columns are read from Arrow buffers without copying.

>>> import pyarrow as pa, pcnkit
>>> t = pa.table({"area": ["A", "A", "B"], "x": [3, 7, 20], "n": [50, 50, 100]})
>>> r = pcnkit.stats.proportion(t, "x", "n", group_by="area", multiplier=100)
>>> r.column("value").to_pylist()
[10.0, 20.0]
>>> [round(v, 3) for v in r.column("lowercl").to_pylist()]
[5.523, 13.337]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pcnkit import _pcnkit
from pcnkit._arrow import levels, names, stream, table
from pcnkit._pcnkit import InvalidArgument

__all__ = [
    "benchmark",
    "disclose",
    "dsr",
    "funnel_limits",
    "funnel_points",
    "funnel_significance",
    "isratio",
    "israte",
    "life_expectancy",
    "mean",
    "proportion",
    "quantile",
    "rate",
    "sii",
    "spc",
    "trend",
    "sum_by",
]

Confidence = float | Sequence[float]
OutputType = str
Columns = str | Sequence[str] | None

# The defaults of every method, from the Rust crate (the CLI takes the same ones), so no
# default lives here: the confidence level, R's output type, the SII's value type, a ratio
# funnel's type and the years of data of a rate funnel's points.
CONFIDENCE, TYPE, VALUE_TYPE, RATIO_TYPE, YEARS_OF_DATA = _pcnkit.stats_defaults()


def proportion(
    data: Any,
    numerator: str,
    denominator: str,
    group_by: Columns = None,
    confidence: Confidence | None = CONFIDENCE,
    multiplier: float | None = None,
    type: OutputType = TYPE,
) -> pa.Table:
    """Proportions with Wilson score limits, numerators and denominators summed per group.

    Without ``group_by``, one output row per input row (as R does). ``multiplier=100`` gives
    percentages; the default (the crate's, as R's) is 1.

    >>> import pyarrow as pa, pcnkit
    >>> t = pa.table({"x": [65], "n": [100]})
    >>> r = pcnkit.stats.proportion(t, "x", "n", confidence=[0.95, 0.998])
    >>> round(r["lower95_0cl"][0].as_py(), 6), round(r["upper99_8cl"][0].as_py(), 6)
    (0.552544, 0.778354)
    """
    return _pcnkit.stats_proportion(
        stream(data), numerator, denominator, names(group_by, "group_by"),
        levels(confidence), None if multiplier is None else float(multiplier), type,
    )


def rate(
    data: Any,
    count: str,
    denominator: str,
    group_by: Columns = None,
    confidence: Confidence | None = CONFIDENCE,
    multiplier: float | None = None,
    type: OutputType = TYPE,
    frequency: str | None = None,
) -> pa.Table:
    """Crude rates: exact Poisson limits below 10 events, Byar's from 10.

    With ``frequency`` (events a person can have more than once), each row's ``count`` is the
    number of persons with that many events, the group's ``denominator`` repeating on each
    row, and the limits are UKHSA's for non-independent events (a DSR of one stratum: Byar's
    widened by the frequencies; no value below 10 events, as for a DSR), as
    ``pcnkit indicators rate --frequency``.

    >>> import pyarrow as pa, pcnkit
    >>> t = pa.table({"area": ["A", "B"], "events": [5, 65], "pop": [10000, 10000]})
    >>> r = pcnkit.stats.rate(t, "events", "pop", group_by="area")
    >>> r.column("value").to_pylist(), r.column("method").to_pylist()
    ([50.0, 650.0], ['Exact', 'Byars'])
    """
    return _pcnkit.stats_rate(
        stream(data), count, denominator, names(group_by, "group_by"),
        levels(confidence), None if multiplier is None else float(multiplier), type, frequency,
    )


def mean(
    data: Any,
    value: str,
    group_by: Columns = None,
    confidence: Confidence | None = CONFIDENCE,
    type: OutputType = TYPE,
) -> pa.Table:
    """Means with Student's t limits (a null value makes its group's mean null, with a note),
    with each group's ``value_sum``, ``value_count`` and ``stdev``.

    >>> import pyarrow as pa, pcnkit
    >>> t = pa.table({"g": ["a"] * 4, "v": [1.0, 2.0, 3.0, 4.0]})
    >>> pcnkit.stats.mean(t, "v", group_by="g").column("value").to_pylist()
    [2.5]
    """
    return _pcnkit.stats_mean(
        stream(data), value, names(group_by, "group_by"), levels(confidence), type,
    )


def _with_standard(data: Any, age_band: str, weights: Mapping[str, float]) -> pa.Table:
    t = table(data)
    labels = pa.array(list(weights.keys()), pa.string())
    values = pa.array([float(v) for v in weights.values()], pa.float64())
    bands = pc.cast(t.column(age_band), pa.string())
    index = pc.index_in(bands, value_set=labels)
    if index.null_count:
        missing = pc.unique(pc.filter(bands, pc.is_null(index))).to_pylist()
        raise InvalidArgument(f"standard_population has no weight for age bands {missing}")
    return t.append_column("__pcnkit_standard", pc.take(values, index))


def dsr(
    data: Any,
    count: str,
    denominator: str,
    age_band: str | None = None,
    group_by: Columns = None,
    standard_population: str | Mapping[str, float] | None = None,
    confidence: Confidence | None = CONFIDENCE,
    multiplier: float | None = None,
    frequency: str | None = None,
    type: OutputType = TYPE,
    repeated_bands: str | None = None,
    standard: str | None = None,
) -> pa.Table:
    """Directly standardised rates with Dobson limits (null with a note below 10 events).

    ``standard="esp1976"`` or ``"who2000"`` uses a built-in standard population instead of ESP2013 (matched on
    the ``age_band`` labels; see ``pcnkit_indicators::standards`` for the bands and source).

    ``standard_population`` None means the European Standard Population 2013 matched on the
    ``age_band`` labels (``0-4`` ... ``90+``, or any spelling pcnkit parses: ``0_4``,
    ``0 to 4``, ``<5``); a column name gives a weight per row; a mapping gives a weight per
    age-band label. Rows that repeat a band within a group (practices, sexes) are summed first,
    as the CLI does (``repeated_bands="sum"``, the crate's default), unless a text column other
    than the groups, the band, ``practice``, ``practice_code`` and ``sex`` varies within them
    (they measure different things: a :class:`pcnkit.DataError` naming it);
    ``repeated_bands="refuse"`` leaves such a group null with the reason instead. With
    ``frequency``, ``count`` is the number of persons with that many events and the
    non-independent-events variance is used.

    >>> import pyarrow as pa, pcnkit
    >>> bands = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39",
    ...          "40-44", "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79",
    ...          "80-84", "85-89", "90+"]
    >>> t = pa.table({"pcn": ["U1"] * 19, "age_band": bands,
    ...               "deaths": [i + 1 for i in range(19)], "pop": [5000] * 19})
    >>> r = pcnkit.stats.dsr(t, "deaths", "pop", "age_band", group_by="pcn")
    >>> round(r["value"][0].as_py(), 4)
    178.5
    """
    weight_column: str | None
    if standard is not None:
        if age_band is None or standard_population is not None:
            raise InvalidArgument("standard needs age_band, and no standard_population")
        data = _pcnkit.stats_attach_standard(stream(data), age_band, standard,
                                             "__pcnkit_standard")
        standard_population = "__pcnkit_standard"
    if isinstance(standard_population, Mapping):
        if age_band is None:
            raise InvalidArgument("a standard_population mapping needs age_band")
        data = _with_standard(data, age_band, standard_population)
        weight_column = "__pcnkit_standard"
    elif standard_population is None or isinstance(standard_population, str):
        weight_column = standard_population
    else:
        raise InvalidArgument(
            "standard_population: None (ESP2013), a column name or a mapping of age band to weight"
        )
    out = _pcnkit.stats_dsr(
        stream(data), count, denominator, age_band, names(group_by, "group_by"),
        weight_column, levels(confidence), None if multiplier is None else float(multiplier),
        frequency, repeated_bands, type,
    )
    return out


def isratio(
    data: Any,
    count: str,
    denominator: str,
    reference_count: str,
    reference_denominator: str,
    group_by: Columns = None,
    confidence: Confidence | None = CONFIDENCE,
    ref_value: float | None = None,
    observed_totals: Any = None,
    type: OutputType = TYPE,
) -> pa.Table:
    """Indirectly standardised ratios (observed / expected × ``ref_value``; 100 for an SMR).

    Expected = Σ reference_count / reference_denominator × denominator over each group's rows.
    With ``observed_totals`` (a table of the ``group_by`` columns and ``count``), the observed
    events are one total per group, for events not broken down by age (R's
    ``observed_totals``); ``data`` then needs no count column.

    >>> import pyarrow as pa, pcnkit
    >>> t = pa.table({"a": ["X", "X"], "obs": [30, 40], "pop": [1000, 2000],
    ...               "rx": [2, 3], "rn": [100, 100]})
    >>> r = pcnkit.stats.isratio(t, "obs", "pop", "rx", "rn", group_by="a")
    >>> r["expected"][0].as_py(), round(r["value"][0].as_py(), 4)
    (80.0, 0.875)
    """
    totals = None if observed_totals is None else stream(observed_totals)
    return _pcnkit.stats_isr(
        stream(data), count, denominator, reference_count, reference_denominator,
        names(group_by, "group_by"), levels(confidence), False,
        None if ref_value is None else float(ref_value), totals, type,
    )


def israte(
    data: Any,
    count: str,
    denominator: str,
    reference_count: str,
    reference_denominator: str,
    group_by: Columns = None,
    confidence: Confidence | None = CONFIDENCE,
    multiplier: float | None = None,
    observed_totals: Any = None,
    type: OutputType = TYPE,
) -> pa.Table:
    """Indirectly standardised rates: the ratio × the reference rate × ``multiplier`` (the
    reference rate is in ``ref_rate``); ``observed_totals`` as :func:`isratio`.

    >>> import pyarrow as pa, pcnkit
    >>> t = pa.table({"a": ["X", "X"], "obs": [30, 40], "pop": [1000, 2000],
    ...               "rx": [2, 3], "rn": [100, 100]})
    >>> r = pcnkit.stats.israte(t, "obs", "pop", "rx", "rn", group_by="a", multiplier=100)
    >>> round(r["value"][0].as_py(), 4)
    2.1875
    """
    totals = None if observed_totals is None else stream(observed_totals)
    return _pcnkit.stats_isr(
        stream(data), count, denominator, reference_count, reference_denominator,
        names(group_by, "group_by"), levels(confidence), True,
        None if multiplier is None else float(multiplier), totals, type,
    )


def quantile(
    data: Any,
    value: str,
    group_by: Columns = None,
    nquantiles: int | None = None,
    invert: bool | None = None,
) -> pa.Table:
    """Assigns quantiles within each group (OHID's method; ties share a quantile).

    Returns the input rows with a ``quantile`` column. By default (as in R and the CLI)
    quantile 1 holds the highest values, as deprivation scores are ranked; ``invert=False``
    puts the lowest values in quantile 1.

    >>> import pyarrow as pa, pcnkit
    >>> t = pa.table({"la": ["L"] * 5, "score": [10.0, 40.0, 20.0, 50.0, 30.0]})
    >>> pcnkit.stats.quantile(t, "score", "la", nquantiles=5).column("quantile").to_pylist()
    [5, 2, 4, 1, 3]
    >>> pcnkit.stats.quantile(t, "score", "la", nquantiles=5, invert=False).column("quantile").to_pylist()
    [1, 4, 2, 5, 3]
    """
    if nquantiles is not None and nquantiles < 1:
        raise InvalidArgument("nquantiles must be at least 1")
    return _pcnkit.stats_quantile(
        stream(data), value, names(group_by, "group_by"), None if nquantiles is None else int(nquantiles),
        None if invert is None else bool(invert),
    )


def sii(
    data: Any,
    quantile: str,
    population: str,
    value: str,
    group_by: Columns = None,
    se: str | None = None,
    lower: str | None = None,
    upper: str | None = None,
    value_type: str = VALUE_TYPE,
    transform: bool = False,
    multiplier: float | None = None,
    repetitions: int | None = None,
    confidence: Confidence | None = CONFIDENCE,
    seed: int | None = None,
    count: str | None = None,
    reliability: bool = False,
    type: OutputType = TYPE,
) -> pa.Table:
    """Slope and relative index of inequality, one row per area (``group_by``).

    One input row per quantile (1 = most deprived). Give the standard error column ``se``
    (on the log scale for rates, the logit scale for proportions, as R), or the 95% limits
    ``lower`` and ``upper``, or (rates and proportions) the event ``count``: a proportion's
    missing value is then count / population. Limits are simulated from a seeded generator,
    so a given ``seed`` (default the crate's) gives the same limits on every machine.
    ``value_type`` is ``"normal"``, ``"rate"`` or ``"proportion"``. ``reliability=True`` runs
    the simulation 10 times and adds the mean absolute difference of the limits (``*_mad``).

    >>> import pyarrow as pa, pcnkit
    >>> t = pa.table({"area": ["E"] * 5, "q": [1, 2, 3, 4, 5], "pop": [100.0] * 5,
    ...               "v": [50.0, 40.0, 30.0, 20.0, 10.0], "se": [1.0] * 5})
    >>> round(pcnkit.stats.sii(t, "q", "pop", "v", "area", se="se", repetitions=1000)["sii"][0].as_py(), 6)
    -50.0
    """
    return _pcnkit.stats_sii(
        stream(data), quantile, population, value, se, lower, upper,
        names(group_by, "group_by"), levels(confidence), value_type, bool(transform),
        None if multiplier is None else float(multiplier), None if repetitions is None else int(repetitions),
        None if seed is None else int(seed), count,
        bool(reliability), type,
    )


def _funnel(
    data: Any,
    numerator: str,
    denominator: str | None,
    rate: str | None,
    statistic: str,
    multiplier: float | None,
    ratio_type: str,
    rate_type: str | None,
    significance: bool,
    overdispersion: str | None = None,
) -> pa.Table:
    return _pcnkit.stats_funnel(
        stream(data), numerator, denominator, rate, statistic,
        None if multiplier is None else float(multiplier),
        ratio_type, rate_type, significance, overdispersion,
    )


def funnel_limits(
    data: Any,
    numerator: str,
    denominator: str | None = None,
    rate: str | None = None,
    statistic: str = "proportion",
    multiplier: float | None = None,
    ratio_type: str = RATIO_TYPE,
    rate_type: str | None = None,
    overdispersion: str | None = None,
) -> pa.Table:
    """Funnel-plot control limits (2 and 3 standard deviations) around the pooled average.

    ``overdispersion="multiplicative"`` or ``"additive"`` widens them by Spiegelhalter's
    estimated dispersion (proportions, ratios and crude rates, with ``denominator``), adding
    ``phi`` and ``tau2``.

    ``statistic`` is ``"proportion"`` (numerator, denominator), ``"ratio"`` (observed,
    expected as ``denominator``; ``ratio_type`` ``"count"`` or ``"isr"``) or ``"rate"``
    (numerator and ``rate``; ``rate_type`` ``"dsr"`` or ``"crude"``, which a rate funnel needs,
    as in R: the two have different limits). One row per point of the
    funnel (``x``, ``lower_2s_limit``, ``upper_2s_limit``, ``lower_3s_limit``,
    ``upper_3s_limit``, ``baseline``).

    >>> import pyarrow as pa, pcnkit
    >>> t = pa.table({"x": [20, 50, 80], "n": [400, 1000, 1600]})
    >>> pcnkit.stats.funnel_limits(t, "x", "n")["baseline"][0].as_py()
    5.0
    """
    return _funnel(
        data, numerator, denominator, rate, statistic, multiplier, ratio_type, rate_type, False,
        overdispersion,
    )


def funnel_significance(
    data: Any,
    numerator: str,
    denominator: str | None = None,
    rate: str | None = None,
    statistic: str = "proportion",
    multiplier: float | None = None,
    ratio_type: str = RATIO_TYPE,
    rate_type: str | None = None,
    overdispersion: str | None = None,
) -> pa.Table:
    """Each input row with its funnel ``significance`` (``"High (0.001)"``, ...,
    ``"Not significant"``); arguments as :func:`funnel_limits`.

    >>> import pyarrow as pa, pcnkit
    >>> t = pa.table({"x": [20, 50, 160], "n": [400, 1000, 1600]})
    >>> pcnkit.stats.funnel_significance(t, "x", "n")["significance"].to_pylist()[2]
    'High (0.001)'
    """
    return _funnel(
        data, numerator, denominator, rate, statistic, multiplier, ratio_type, rate_type, True,
        overdispersion,
    )


def life_expectancy(
    data: Any,
    deaths: str,
    population: str,
    start_age: str,
    group_by: Columns = None,
    confidence: Confidence | None = CONFIDENCE,
    ages: Sequence[int] | None = None,
    type: OutputType = TYPE,
    top_age: int | None = None,
) -> pa.Table:
    """Life expectancy at each age band (Chiang II), from deaths and populations by the 20
    standard age bands (start ages 0, 1, 5, 10, ..., 90), or only at ``ages`` (R's
    ``le_age``), with the population and deaths used from each age on (``pops_used``,
    ``dths_used``). ``top_age=85`` (or 80, ...) takes data whose open band starts earlier.

    Areas of 5,000 people or fewer get null values with the reason in ``note``; an interval
    wider than 20 years keeps its limits and nulls the value, as R.

    >>> import pyarrow as pa, pcnkit
    >>> ages = [0, 1] + list(range(5, 95, 5))
    >>> deaths = [5, 1, 1, 1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 45, 60, 80, 110, 140, 160, 200]
    >>> t = pa.table({"area": ["A"] * 20, "age": ages, "deaths": deaths,
    ...               "pop": [1000, 4000] + [5000] * 16 + [2000, 1000]})
    >>> le = pcnkit.stats.life_expectancy(t, "deaths", "pop", "age", "area")
    >>> le.num_rows, round(le["value"][0].as_py(), 1)
    (20, 81.9)
    """
    return _pcnkit.stats_life_expectancy(
        stream(data), deaths, population, start_age, names(group_by, "group_by"),
        levels(confidence), None if ages is None else [int(a) for a in ages], type,
        None if top_age is None else int(top_age),
    )


def funnel_points(
    data: Any,
    numerator: str,
    rate: str,
    denominator: str | None = None,
    rate_type: str | None = None,
    multiplier: float | None = None,
    years_of_data: float = YEARS_OF_DATA,
) -> pa.Table:
    """Each row's point on a rate funnel (R's ``calculate_funnel_points``): ``rate_chart``
    and ``denominator_derived`` (multiplier × events / rate / ``years_of_data``; for a row of
    0 events its ``denominator`` / ``years_of_data``). A DSR of fewer than 10 events is not
    charted (nulls). ``multiplier`` defaults to the crate's funnel default (100, as R): give
    the rate's own, e.g. 100000.

    >>> import pyarrow as pa, pcnkit
    >>> t = pa.table({"ev": [414], "rate": [184.0]})
    >>> r = pcnkit.stats.funnel_points(t, "ev", "rate", rate_type="dsr", multiplier=100000,
    ...                                years_of_data=3)
    >>> r["denominator_derived"][0].as_py()
    75000.0
    """
    return _pcnkit.stats_funnel_points(
        stream(data), numerator, denominator, rate, rate_type,
        None if multiplier is None else float(multiplier), float(years_of_data),
    )


def sum_by(data: Any, keys: Columns, values: str | Sequence[str]) -> pa.Table:
    """Sums of numeric columns within groups (e.g. practices to PCN × age band before a DSR).

    >>> import pyarrow as pa, pcnkit
    >>> t = pa.table({"pcn": ["U1", "U1", "U2"], "n": [1, 2, 5]})
    >>> pcnkit.stats.sum_by(t, "pcn", "n").column("n").to_pylist()
    [3.0, 5.0]
    """
    return _pcnkit.stats_sum_by(stream(data), names(keys, "keys"), names(values, "values"))


def disclose(
    data: Any,
    policy: str,
    counts: str | Sequence[str],
    margins: Sequence[Columns] | None = None,
    total_rows: tuple[str, str, Columns] | None = None,
    national: tuple[str, str] | None = None,
    percentages: Mapping[str, tuple[str, str]] | None = None,
    standardised: Columns = None,
    derived: Columns = None,
) -> pa.Table:
    """Small-number disclosure control of any table, as ``pcnkit indicators disclose``.

    ``policy`` is ``"nhs-england"`` (NHS England's secondary care rule: counts 1 to 7
    suppressed, the others rounded to the nearest 5; national figures and standardised rates
    exempt), ``"opensafely"`` (counts of 7 or fewer redacted, then rounded to 5) or
    ``"custom:MIN-MAX:BASE"``. ``counts`` are the columns protected; ``margins`` the column
    sets whose group totals are published (``[["pcn"], ["age_band"]]`` for a two-way table;
    ``[[]]`` for a grand total), and secondary suppression makes sure no suppressed cell can
    be recovered from them by subtraction; ``total_rows`` = ``(category, label, within)``
    for total rows in the table; ``national`` = ``(column, value)``; ``percentages`` maps an
    output column to ``(numerator, denominator)``, recomputed from the protected counts (×100);
    ``standardised`` columns are exempt where the policy says so, else suppressed with their
    counts; other ``derived`` columns are suppressed with their counts and where counts are
    rounded. Every affected row says why in ``disclosure_note``.

    >>> import pyarrow as pa, pcnkit
    >>> t = pa.table({"pcn": ["A", "A", "A"], "count": [4, 40, 56]})
    >>> pcnkit.stats.disclose(t, "nhs-england", "count", margins=[["pcn"]])["count"].to_pylist()
    [None, None, 55]
    """
    within = total_rows[2] if total_rows is not None else None
    return _pcnkit.stats_disclose(
        stream(data), policy, names(counts, "counts"),
        [names(m, "margins") for m in (margins or [])],
        None if total_rows is None else (total_rows[0], total_rows[1], names(within, "total_rows")),
        None if national is None else (national[0], national[1]),
        [(out, num, den, 100.0) for out, (num, den) in (percentages or {}).items()],
        names(standardised, "standardised"), names(derived, "derived"),
    )


def benchmark(
    data: Any,
    polarity: str,
    comparator: Any = None,
    value: str = "value",
    lower: str = "lowercl",
    upper: str = "uppercl",
    group_by: Columns = None,
    quintiles: bool = False,
    with_interval: bool = False,
) -> pa.Table:
    """Each area against a comparator, as Fingertips shows it (``pcnkit indicators
    benchmark``): ``comparison`` (Better / Similar / Worse with ``polarity``
    ``"high-is-good"`` or ``"low-is-good"``, Higher / Similar / Lower with
    ``"no-judgement"``, or Not compared) and ``comparison_colour`` (Fingertips' colours).

    ``comparator`` is a row of each group, ``{"area": "England"}`` (with ``with_interval``
    compared interval to interval); a value, ``50.0``, or a value with its interval,
    ``(50.0, 49.0, 51.0)``; or a column, ``"icb_value"`` / ``("icb_value", "icb_lower",
    "icb_upper")``. The area's interval is ``lower``–``upper`` (95% or 99.8%: the comparison
    is at that level). ``quintiles=True`` ranks the values of each group into fifths instead.

    >>> import pyarrow as pa, pcnkit
    >>> t = pa.table({"area": ["England", "A", "B"], "value": [50.0, 60.0, 45.0],
    ...               "lowercl": [49.0, 55.0, 40.0], "uppercl": [51.0, 65.0, 49.5]})
    >>> pcnkit.stats.benchmark(t, "low-is-good", {"area": "England"})["comparison"].to_pylist()
    ['Not compared', 'Worse', 'Better']
    """
    spec: tuple[str, str | None, str | None, float | None, float | None, float | None, bool]
    if isinstance(comparator, Mapping):
        if len(comparator) != 1:
            raise InvalidArgument("comparator: one {column: value} pair")
        ((column, name),) = comparator.items()
        spec = ("row", str(column), str(name), None, None, None, with_interval)
    elif isinstance(comparator, (int, float)):
        spec = ("value", None, None, float(comparator), None, None, False)
    elif isinstance(comparator, tuple) and len(comparator) == 3 and all(
        isinstance(x, (int, float)) for x in comparator
    ):
        spec = ("value", None, None, float(comparator[0]), float(comparator[1]),
                float(comparator[2]), True)
    elif isinstance(comparator, str):
        spec = ("columns", comparator, None, None, None, None, False)
    elif isinstance(comparator, tuple) and len(comparator) == 3:
        spec = ("columns", str(comparator[0]), f"{comparator[1]},{comparator[2]}", None, None,
                None, True)
    elif comparator is None and quintiles:
        spec = ("none", None, None, None, None, None, False)
    else:
        raise InvalidArgument(
            "comparator: {column: value}, a value, (value, lower, upper), a column or "
            "(column, lower, upper)"
        )
    return _pcnkit.stats_benchmark(stream(data), value, lower, upper, polarity, spec,
                                   names(group_by, "group_by"), quintiles)


def spc(
    data: Any,
    value: str,
    period: str,
    group_by: Columns = None,
    direction: str | None = None,
    target: float | None = None,
    run: int | None = None,
    trend: int | None = None,
    rebase: Sequence[str] | None = None,
    baseline: int | None = None,
    missing: str = "break",
    summary: bool = False,
) -> pa.Table:
    """XmR charts in the NHS "Making Data Count" style, one per group, points in ``period``
    order (``pcnkit indicators spc``): mean and limits from the mean moving range; the rules
    (a point beyond the limits, a run of ``run`` points on one side of the mean — 7 unless
    given, 6 to 8 —, a trend of ``trend`` points, two of three beyond two sigma); each point's
    ``variation`` by the improvement ``direction`` (``"increase"``, ``"decrease"``,
    ``"neutral"``); with ``summary=True`` one row per chart with the latest variation and the
    ``assurance`` against ``target``. ``rebase`` starts new segments at those periods;
    ``baseline`` takes each segment's limits from its first values. A missing value breaks
    the series (no signal across it) unless ``missing="refuse"``.

    >>> import pyarrow as pa, pcnkit
    >>> t = pa.table({"month": [f"2025-{m:02}" for m in range(1, 13)],
    ...               "n": [10.0, 14.0] * 5 + [12.0, 40.0]})
    >>> pcnkit.stats.spc(t, "n", "month", direction="decrease", baseline=10)["variation"][-1]
    <pyarrow.StringScalar: 'special cause concern (high)'>
    """
    if missing not in ("break", "refuse"):
        raise InvalidArgument('missing: "break" or "refuse"')
    return _pcnkit.stats_spc(
        stream(data), value, period, names(group_by, "group_by"), direction,
        None if target is None else float(target), run, trend,
        [str(r) for r in (rebase or [])], baseline, missing == "refuse", summary,
    )


def trend(
    data: Any,
    year: str,
    numerator: str | None = None,
    denominator: str | None = None,
    value: str | None = None,
    lower: str | None = None,
    upper: str | None = None,
    confidence: float | None = None,
    polarity: str | None = None,
    group_by: Columns = None,
) -> pa.Table:
    """Recent trends as Fingertips marks them (``pcnkit indicators trend``): one row per
    group, over its five most recent years (``year`` a number or text such as ``2019/20``).
    A proportion (``numerator`` and ``denominator``) gets the chi-squared test for trend; any
    other value (``value`` with its ``lower`` and ``upper`` limits at ``confidence``, 95%
    unless given) the interval-weighted regression; significant at 99.8%, and not where one
    point explains it. ``trend`` is Increasing, Decreasing, No significant change or Cannot be
    calculated (``reason`` says why); with ``polarity`` (``"high-is-good"``,
    ``"low-is-good"``) ``trend_with_polarity`` says getting better or worse.

    >>> import pyarrow as pa, pcnkit
    >>> t = pa.table({"year": [2019, 2020, 2021, 2022, 2023],
    ...               "x": [1367, 1332, 1199, 1023, 994],
    ...               "n": [44701, 44064, 42811, 41527, 40299]})
    >>> pcnkit.stats.trend(t, "year", "x", "n", polarity="low-is-good")["trend_with_polarity"][0]
    <pyarrow.StringScalar: 'Decreasing and getting better'>
    """
    proportion = None
    interval = None
    if numerator is not None or denominator is not None:
        if numerator is None or denominator is None or value is not None:
            raise InvalidArgument(
                "give numerator and denominator (a proportion), or value, lower and upper")
        proportion = (numerator, denominator)
    elif value is not None and lower is not None and upper is not None:
        interval = (value, lower, upper)
    else:
        raise InvalidArgument(
            "give numerator and denominator (a proportion), or value, lower and upper")
    return _pcnkit.stats_trend(
        stream(data), year, proportion, interval,
        None if confidence is None else float(confidence), polarity,
        names(group_by, "group_by"),
    )
