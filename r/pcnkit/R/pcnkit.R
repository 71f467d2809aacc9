# pcnkit's own methods: disclosure control, benchmarking, recent trends and SPC charts.

pcnkit_disclose <- function(data, counts, policy = "nhs-england", margins = NULL,
                            total_rows = NULL, national = NULL, percentages = NULL,
                            standardised = NULL, derived = NULL) {
  .indicator("disclose", data, list(
    policy = policy, counts = .list_of(counts),
    margins = if (is.null(margins)) NULL else lapply(margins, I),
    total_rows = if (is.null(total_rows)) NULL else
      utils::modifyList(total_rows, list(within = .list_of(total_rows$within))),
    national = national,
    percentages = if (is.null(percentages)) NULL else percentages,
    standardised = .list_of(standardised), derived = .list_of(derived)
  ))
}

comparator_value <- function(value, lower = NULL, upper = NULL) {
  list(value = list(value = value, lower = lower, upper = upper))
}

comparator_row <- function(column, value, with_interval = FALSE) {
  list(row = list(column = column, value = value, with_interval = with_interval))
}

comparator_columns <- function(value, lower = NULL, upper = NULL) {
  list(columns = list(value = value, lower = lower, upper = upper))
}

pcnkit_benchmark <- function(data, value, lower, upper, polarity, comparator = NULL,
                             quintiles = FALSE) {
  .indicator("benchmark", data, list(
    value = .col(substitute(value)), lower = .col(substitute(lower)),
    upper = .col(substitute(upper)), polarity = polarity, comparator = comparator,
    quintiles = quintiles, group_by = .list_of(.groups(data))
  ))
}

pcnkit_trend <- function(data, year, numerator = NULL, denominator = NULL, value = NULL,
                         lower = NULL, upper = NULL, confidence = NULL, polarity = NULL) {
  .indicator("trend", data, list(
    year = .col(substitute(year)), numerator = .col(substitute(numerator)),
    denominator = .col(substitute(denominator)), value = .col(substitute(value)),
    lower = .col(substitute(lower)), upper = .col(substitute(upper)),
    confidence = confidence, polarity = polarity, group_by = .list_of(.groups(data))
  ))
}

pcnkit_spc <- function(data, value, period, direction = NULL, target = NULL, run = NULL,
                       trend = NULL, rebase = NULL, baseline = NULL, refuse_missing = FALSE,
                       summary = FALSE) {
  .indicator("spc", data, list(
    value = .col(substitute(value)), period = .col(substitute(period)),
    group_by = .list_of(.groups(data)), direction = direction, target = target, run = run,
    trend = trend, rebase = .list_of(as.character(rebase)), baseline = baseline,
    refuse_missing = refuse_missing, summary = summary
  ))
}
