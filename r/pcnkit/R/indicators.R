# The UKHSA package's functions, same names and arguments, computed by the pcnkit engine.
# Each maps its arguments onto the library's request (crates/pcnkit-indicators request.rs).

phe_proportion <- function(data, x, n, type = "full", confidence = 0.95, multiplier = 1) {
  .indicator("proportion", data, list(
    numerator = .col(substitute(x)), denominator = .col(substitute(n)),
    group_by = .list_of(.groups(data)), confidence = .list_of(confidence), multiplier = multiplier, type = type
  ))
}

phe_rate <- function(data, x, n, type = "full", confidence = 0.95, multiplier = 100000) {
  .indicator("rate", data, list(
    numerator = .col(substitute(x)), denominator = .col(substitute(n)),
    group_by = .list_of(.groups(data)), confidence = .list_of(confidence), multiplier = multiplier, type = type
  ))
}

phe_mean <- function(data, x, type = "full", confidence = 0.95) {
  .indicator("mean", data, list(
    value = .col(substitute(x)), group_by = .list_of(.groups(data)), confidence = .list_of(confidence),
    type = type
  ))
}

calculate_dsr <- function(data, x, n, stdpop = NULL, type = "full", confidence = 0.95,
                          multiplier = 100000, independent_events = TRUE, eventfreq = NULL,
                          ageband = NULL) {
  groups <- .groups(data)
  stdpop_expr <- substitute(stdpop)
  standard_population <- NULL
  standard <- NULL
  # stdpop: a column (bare or as text), a vector of weights per group's rows (the UKHSA
  # package's older form), or the name of a built-in standard; absent: ESP2013 by ageband.
  if (is.name(stdpop_expr) && as.character(stdpop_expr) %in% names(data)) {
    standard_population <- as.character(stdpop_expr)
  } else if (is.numeric(stdpop)) {
    data <- .per_group(data, groups, stdpop, ".stdpop")
    standard_population <- ".stdpop"
  } else if (is.character(stdpop) && length(stdpop) == 1 && !(stdpop %in% names(data))) {
    standard <- stdpop
  } else {
    standard_population <- .col(stdpop)
  }
  eventfreq <- .col(substitute(eventfreq))
  if (!isTRUE(independent_events) && is.null(eventfreq)) {
    stop(structure(
      class = c("pcnkit_argument_error", "pcnkit_error", "error", "condition"),
      list(message = "independent_events = FALSE needs eventfreq (and ageband)", call = sys.call())
    ))
  }
  .indicator("dsr", data, list(
    count = .col(substitute(x)), denominator = .col(substitute(n)),
    age_band = .col(substitute(ageband)), standard_population = standard_population,
    standard = standard, group_by = .list_of(groups), confidence = .list_of(confidence),
    multiplier = multiplier, frequency = if (isTRUE(independent_events)) NULL else eventfreq,
    type = type
  ))
}

.isr <- function(rate, data, x, n, x_ref, n_ref, refpoptype, type, confidence, scale,
                 observed_totals, call) {
  groups <- .groups(data)
  if (identical(refpoptype, "vector")) {
    data <- .per_group(data, groups, x_ref, ".x_ref")
    data <- .per_group(data, groups, n_ref, ".n_ref")
    x_ref <- ".x_ref"
    n_ref <- ".n_ref"
  } else if (!identical(refpoptype, "field")) {
    stop(structure(
      class = c("pcnkit_argument_error", "pcnkit_error", "error", "condition"),
      list(message = "refpoptype: \"vector\" or \"field\"", call = call)
    ))
  }
  .indicator("isr", data, list(
    count = x, denominator = n, reference_count = x_ref, reference_denominator = n_ref,
    group_by = .list_of(groups), confidence = .list_of(confidence), rate = rate, scale = scale, type = type
  ), totals = observed_totals, call = call)
}

calculate_ISRatio <- function(data, x, n, x_ref, n_ref, refpoptype = "vector", type = "full",
                              confidence = 0.95, refvalue = 1, observed_totals = NULL) {
  field <- identical(refpoptype, "field")
  .isr(FALSE, data, .col(substitute(x)), .col(substitute(n)),
       if (field) .col(substitute(x_ref)) else x_ref,
       if (field) .col(substitute(n_ref)) else n_ref,
       refpoptype, type, confidence, refvalue, observed_totals, sys.call())
}

calculate_ISRate <- function(data, x, n, x_ref, n_ref, refpoptype = "vector", type = "full",
                             confidence = 0.95, multiplier = 100000, observed_totals = NULL) {
  field <- identical(refpoptype, "field")
  .isr(TRUE, data, .col(substitute(x)), .col(substitute(n)),
       if (field) .col(substitute(x_ref)) else x_ref,
       if (field) .col(substitute(n_ref)) else n_ref,
       refpoptype, type, confidence, multiplier, observed_totals, sys.call())
}

phe_quantile <- function(data, values, highergeog = NULL, nquantiles = 10L, invert = TRUE,
                         inequality_type = "overall", type = "full") {
  within <- c(.col(substitute(highergeog)),
              if (identical(inequality_type, "by_category")) .groups(data) else character(0))
  out <- .indicator("quantiles", data, list(
    value = .col(substitute(values)), group_by = .list_of(unique(within)),
    nquantiles = nquantiles, invert = invert
  ))
  if (identical(type, "standard")) {
    out <- out[setdiff(names(out), c("nquantiles", "groupvars", "qinverted"))]
  }
  out
}

phe_sii <- function(data, quantile, population, x = NULL, value = NULL, value_type = 0,
                    lower_cl = NULL, upper_cl = NULL, se = NULL, multiplier = 1,
                    repetitions = 100000, confidence = 0.95, rii = FALSE, intercept = FALSE,
                    reliability_stat = FALSE, type = "full", transform = FALSE) {
  words <- c("normal", "rate", "proportion")
  out <- .indicator("sii", data, list(
    quantile = .col(substitute(quantile)), population = .col(substitute(population)),
    value = .col(substitute(value)), count = .col(substitute(x)),
    se = .col(substitute(se)), lower = .col(substitute(lower_cl)),
    upper = .col(substitute(upper_cl)), group_by = .list_of(.groups(data)),
    confidence = .list_of(confidence), value_type = words[value_type + 1], transform = transform,
    multiplier = multiplier, repetitions = repetitions, reliability = reliability_stat,
    type = type
  ))
  # R's switches for the relative index and the intercept choose columns of the answer.
  drop <- c(if (!isTRUE(rii)) grep("^rii", names(out), value = TRUE),
            if (!isTRUE(intercept)) "intercept")
  out[setdiff(names(out), drop)]
}

phe_life_expectancy <- function(data, deaths, population, startage,
                                age_contents = c(0L, 1L, 5L, 10L, 15L, 20L, 25L, 30L, 35L, 40L,
                                                 45L, 50L, 55L, 60L, 65L, 70L, 75L, 80L, 85L, 90L),
                                le_age = "all", type = "full", confidence = 0.95) {
  ages <- if (identical(le_age, "all")) NULL else .list_of(as.integer(le_age))
  .indicator("life_expectancy", data, list(
    deaths = .col(substitute(deaths)), population = .col(substitute(population)),
    start_age = .col(substitute(startage)), group_by = .list_of(.groups(data)),
    confidence = .list_of(confidence), ages = ages, top_age = max(age_contents), type = type
  ))
}

calculate_funnel_limits <- function(data, numerator, denominator = NULL, rate = NULL,
                                    type = "full", statistic = NULL, multiplier = NULL,
                                    ratio_type = "count", rate_type = NULL,
                                    years_of_data = NULL) {
  if (!is.null(years_of_data)) {
    stop(structure(
      class = c("pcnkit_argument_error", "pcnkit_error", "error", "condition"),
      list(message = "years_of_data: give it to calculate_funnel_points (each row's point); the limits here are drawn against the denominator",
           call = sys.call())
    ))
  }
  .indicator("funnel_limits", data, list(
    numerator = .col(substitute(numerator)), denominator = .col(substitute(denominator)),
    rate = .col(substitute(rate)), statistic = statistic, multiplier = multiplier,
    ratio_type = ratio_type, rate_type = rate_type
  ))
}

assign_funnel_significance <- function(data, numerator, denominator = NULL, rate = NULL,
                                       type = "full", statistic = NULL, rate_type = NULL,
                                       multiplier = NULL) {
  .indicator("funnel_significance", data, list(
    numerator = .col(substitute(numerator)), denominator = .col(substitute(denominator)),
    rate = .col(substitute(rate)), statistic = statistic, multiplier = multiplier,
    rate_type = rate_type
  ))
}

calculate_funnel_points <- function(data, numerator, rate, rate_type = NULL,
                                    years_of_data = NULL, multiplier = NULL) {
  .indicator("funnel_points", data, list(
    numerator = .col(substitute(numerator)), rate = .col(substitute(rate)),
    rate_type = rate_type, years_of_data = years_of_data, multiplier = multiplier
  ))
}
