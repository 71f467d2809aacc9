source(system.file("benchmarks", "base_r.R", package = "pcnkit"), local = TRUE)

test_that("proportions and rates give the UKHSA package's reference values", {
  df <- data.frame(x = c(65, 0), n = c(100, 1000))
  p <- phe_proportion(df, x, n)
  expect_equal(p$lowercl[1], 0.55254443296887967, tolerance = 1e-12)
  expect_equal(p$uppercl[1], 0.7363575175690246777, tolerance = 1e-12)
  # A count of 0 is 0 with a finite upper limit, never missing.
  expect_equal(p$value[2], 0)
  expect_equal(p$uppercl[2], 0.0038267584855551217, tolerance = 1e-12)
  r <- phe_rate(df[2, ], x, n)
  expect_equal(r$lowercl, 0)
  expect_equal(r$uppercl, 368.8879454113935, tolerance = 1e-9)
  expect_equal(r$statistic, "rate per 100000")
  # Columns as the UKHSA package names them, by level.
  two <- phe_rate(df, x, n, confidence = c(0.95, 0.998))
  expect_true(all(c("lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl") %in% names(two)))
  expect_equal(names(phe_proportion(df, x, n, type = "value")), c("x", "n", "value", "note"))
  # Percentages, and column names given as strings.
  expect_equal(phe_proportion(df, "x", "n", multiplier = 100)$value[1], 65)
})

test_that("the engine equals a plain base-R implementation of the same formulas", {
  set.seed(1)
  x <- c(0, 3, 9, 10, 57, 4000)
  n <- c(100, 250, 1000, 800, 5000, 90000)
  df <- data.frame(x = x, n = n)
  ours <- phe_proportion(df, x, n)
  theirs <- base_proportion(x, n)
  expect_equal(ours$lowercl, theirs$lowercl, tolerance = 1e-12)
  expect_equal(ours$uppercl, theirs$uppercl, tolerance = 1e-12)
  ours <- phe_rate(df, x, n)
  theirs <- base_rate(x, n)
  expect_equal(ours$lowercl, theirs$lowercl, tolerance = 1e-9)
  expect_equal(ours$uppercl, theirs$uppercl, tolerance = 1e-9)
  b <- banded()
  b$w <- rep(esp2013, 2)
  ours <- calculate_dsr(dplyr::group_by(b, area), deaths, population, ageband = age_band)
  theirs <- base_dsr(b, "area", "deaths", "population", "w")
  expect_equal(ours$value, theirs$value, tolerance = 1e-12)
  expect_equal(ours$lowercl, theirs$lowercl, tolerance = 1e-12)
  expect_equal(ours$uppercl, theirs$uppercl, tolerance = 1e-12)
  # The standard as a column, and as a vector per group (the UKHSA package's forms).
  by_column <- calculate_dsr(dplyr::group_by(b, area), deaths, population, stdpop = w)
  by_vector <- calculate_dsr(dplyr::group_by(b, area), deaths, population, stdpop = esp2013)
  expect_equal(by_column$value, ours$value, tolerance = 1e-12)
  expect_equal(by_vector$value, ours$value, tolerance = 1e-12)
})

test_that("grouped data frames are grouped by their groups", {
  g <- dplyr::group_by(areas(), region)
  p <- phe_proportion(g, x, n)
  expect_equal(nrow(p), 2)
  expect_equal(p$region, c("R1", "R2"))
  m <- phe_mean(g, v)
  expect_equal(m$value, c(mean(areas()$v[1:6]), mean(areas()$v[7:12])), tolerance = 1e-12)
  expect_true("stdev" %in% names(m))
})

test_that("every UKHSA method runs under its own name and arguments", {
  b <- banded()
  # One reference population for both areas (the vector form gives it once).
  b$ref_deaths <- rep(b$ref_deaths[1:19], 2)
  b <- dplyr::group_by(b, area)
  isr <- calculate_ISRatio(b, deaths, population, ref_deaths, ref_population,
                           refpoptype = "field")
  expect_equal(nrow(isr), 2)
  expect_true(isr$value[1] < isr$value[2])
  isrv <- calculate_ISRatio(b, deaths, population, banded()$ref_deaths[1:19],
                            banded()$ref_population[1:19])
  expect_equal(isr$value[1] < 1, TRUE)
  expect_equal(isrv$value, isr$value, tolerance = 1e-12)
  rate <- calculate_ISRate(b, deaths, population, ref_deaths, ref_population,
                           refpoptype = "field")
  expect_match(rate$statistic[1], "indirectly standardised rate")
  totals <- data.frame(area = c("E1", "E2"), deaths = c(600, 640))
  obs <- calculate_ISRatio(b, deaths, population, ref_deaths, ref_population,
                           refpoptype = "field", observed_totals = totals)
  expect_equal(nrow(obs), 2)

  q <- phe_quantile(areas(), v, nquantiles = 4L)
  expect_equal(sort(unique(q$quantile)), 1:4)
  expect_equal(q$quantile[12], 1) # inverted: the highest value is quantile 1
  expect_false("qinverted" %in% names(phe_quantile(areas(), v, type = "standard")))

  s <- data.frame(q = 1:5, pop = c(1000, 1100, 900, 1050, 980),
                  v = c(80, 72, 65, 61, 50), se = c(2, 2.5, 2.2, 2.1, 2.4))
  sii <- phe_sii(s, q, pop, value = v, se = se, repetitions = 1000)
  expect_true(sii$sii < 0)
  expect_false(any(grepl("^rii", names(sii))))
  expect_true(any(grepl("^rii", names(phe_sii(s, q, pop, value = v, se = se,
                                                 repetitions = 1000, rii = TRUE)))))

  ages <- c(0L, 1L, seq(5L, 90L, by = 5L))
  life <- data.frame(start = ages, deaths = 5 + (0:19)^2, pop = rep(5000, 20))
  le <- phe_life_expectancy(life, deaths, pop, start, le_age = c(0, 65))
  expect_equal(nrow(le), 2)
  expect_true(le$value[1] > le$value[2])

  f <- calculate_funnel_limits(areas(), x, n, statistic = "proportion")
  expect_true(nrow(f) > 0)
  sig <- assign_funnel_significance(areas(), x, n, statistic = "proportion")
  expect_equal(nrow(sig), 12)
  pts <- calculate_funnel_points(areas(), x, v, rate_type = "crude", years_of_data = 3)
  expect_true("rate_chart" %in% names(pts))
})

test_that("disclosure control, benchmarking, trends and SPC charts", {
  d <- data.frame(area = c("A", "B", "C"), x = c(3, 40, 12), n = c(50, 400, 120))
  protected <- pcnkit_disclose(d, counts = c("x", "n"),
                               percentages = list(list(column = "pct", numerator = "x",
                                                       denominator = "n")))
  expect_true(is.na(protected$x[1])) # 3 is suppressed under NHS England's rule
  expect_equal(protected$x[2], 40)
  expect_true(is.na(protected$pct[1]))

  a <- areas()
  a$lo <- a$v - 4
  a$hi <- a$v + 4
  bm <- pcnkit_benchmark(a, v, lo, hi, "high-is-good", comparator_value(40))
  expect_setequal(unique(bm$comparison), c("Worse", "Similar", "Better"))
  row <- pcnkit_benchmark(dplyr::group_by(a, region), v, lo, hi, "low-is-good",
                          comparator_row("area", "A03"))
  expect_equal(row$comparison[row$area == "A03"], "Not compared")

  yearly <- data.frame(year = 2013:2024, x = a$x, n = a$n)
  tr <- pcnkit_trend(yearly, year, numerator = x, denominator = n, polarity = "high-is-good")
  expect_equal(nrow(tr), 1)
  expect_true(nzchar(tr$trend))

  spc <- pcnkit_spc(data.frame(month = sprintf("2024-%02d", 1:12), v = c(rep(10, 11), 30)),
                    v, month, direction = "increase")
  expect_equal(nrow(spc), 12)
  expect_true(spc$special_cause[12])
})

test_that("the example script runs", {
  example <- system.file("examples", "example.R", package = "pcnkit")
  expect_true(file.exists(example))
  expect_no_error(utils::capture.output(source(example, local = new.env())))
})
