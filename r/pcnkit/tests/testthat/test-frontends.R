# The same inputs give the same answer from R, the CLI and Python: one engine, three front
# ends (the engine's cross-front-end test, extended to R).

test_that("proportions: R = CLI = Python", {
  df <- areas()
  r <- phe_proportion(dplyr::group_by(df, region), x, n, confidence = c(0.95, 0.998))
  c <- run_cli(df, c("proportion", "--numerator", "x", "--denominator", "n",
                     "--group-by", "region", "--confidence", "0.95,0.998"))
  p <- run_python(df, "proportion(data, 'x', 'n', group_by=['region'], confidence=[0.95, 0.998])")
  cols <- c("region", "value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl",
            "statistic", "method")
  expect_same_answer(r, c, cols)
  expect_same_answer(r, p, cols)
})

test_that("crude rates and DSRs: R = CLI = Python", {
  df <- areas()
  r <- phe_rate(df, x, n)
  c <- run_cli(df, c("rate", "--count", "x", "--denominator", "n"))
  p <- run_python(df, "rate(data, 'x', 'n')")
  expect_same_answer(r, c, c("area", "value", "lowercl", "uppercl"))
  expect_same_answer(r, p, c("area", "value", "lowercl", "uppercl"))
  b <- banded()
  r <- calculate_dsr(dplyr::group_by(b, area), deaths, population, ageband = age_band)
  c <- run_cli(b, c("dsr", "--count", "deaths", "--population", "population",
                    "--age-band", "age_band", "--group-by", "area"))
  p <- run_python(b, "dsr(data, 'deaths', 'population', age_band='age_band', group_by=['area'])")
  expect_same_answer(r, c, c("area", "value", "lowercl", "uppercl", "method"))
  expect_same_answer(r, p, c("area", "value", "lowercl", "uppercl", "method"))
})

test_that("SII, funnel significance and quantiles: R = CLI = Python", {
  s <- data.frame(q = 1:5, pop = c(1000, 1100, 900, 1050, 980),
                  v = c(80, 72, 65, 61, 50), se = c(2, 2.5, 2.2, 2.1, 2.4))
  r <- phe_sii(s, q, pop, value = v, se = se, repetitions = 2000, intercept = TRUE)
  c <- run_cli(s, c("sii", "--quantile", "q", "--population", "pop", "--value", "v",
                    "--se", "se", "--repetitions", "2000"))
  p <- run_python(s, "sii(data, 'q', 'pop', 'v', se='se', repetitions=2000)")
  expect_same_answer(r, c, c("sii", "sii_lowercl", "sii_uppercl", "intercept"))
  expect_same_answer(r, p, c("sii", "sii_lowercl", "sii_uppercl", "intercept"))
  df <- areas()
  r <- assign_funnel_significance(df, x, n, statistic = "proportion")
  c <- run_cli(df, c("funnel", "--numerator", "x", "--denominator", "n"))
  p <- run_python(df, "funnel_significance(data, 'x', 'n', statistic='proportion')")
  sig <- grep("significance", names(r), value = TRUE)
  expect_true(length(sig) > 0)
  expect_same_answer(r, c, c("area", sig))
  expect_same_answer(r, p, c("area", sig))
  r <- phe_quantile(df, v, highergeog = region, nquantiles = 3L)
  c <- run_cli(df, c("quantile", "--value", "v", "--group-by", "region", "--quantiles", "3"))
  p <- run_python(df, "quantile(data, 'v', group_by=['region'], nquantiles=3)")
  expect_same_answer(r, c, c("area", "quantile"))
  expect_same_answer(r, p, c("area", "quantile"))
})

test_that("disclosure control, benchmarking and SPC: R = CLI = Python", {
  d <- data.frame(area = c("A", "B", "C", "D"), x = c(3, 40, 12, 0), n = c(50, 400, 121, 9))
  r <- pcnkit_disclose(d, counts = c("x", "n"))
  c <- run_cli(d, c("disclose", "--policy", "nhs-england", "--counts", "x,n"))
  p <- run_python(d, "disclose(data, 'nhs-england', ['x', 'n'])")
  expect_same_answer(r, c, c("area", "x", "n"))
  expect_same_answer(r, p, c("area", "x", "n"))
  a <- areas()
  a$lo <- a$v - 4
  a$hi <- a$v + 4
  r <- pcnkit_benchmark(a, v, lo, hi, "high-is-good", comparator_value(40))
  c <- run_cli(a, c("benchmark", "--value", "v", "--lower", "lo", "--upper", "hi",
                    "--polarity", "high-is-good", "--comparator-value", "40"))
  p <- run_python(a, "benchmark(data, 'high-is-good', 40.0, value='v', lower='lo', upper='hi')")
  expect_same_answer(r, c, c("area", "comparison", "comparison_colour"))
  expect_same_answer(r, p, c("area", "comparison", "comparison_colour"))
  s <- data.frame(month = sprintf("2024-%02d", 1:12), v = c(10, 11, 9, 10, 12, 10, 11, 10, 9, 10, 11, 30))
  r <- pcnkit_spc(s, v, month, direction = "increase")
  c <- run_cli(s, c("spc", "--value", "v", "--period", "month", "--direction", "increase"))
  p <- run_python(s, "spc(data, 'v', 'month', direction='increase')")
  expect_same_answer(r, c, c("month", "mean", "lcl", "ucl", "special_cause", "variation"))
  expect_same_answer(r, p, c("month", "mean", "lcl", "ucl", "special_cause", "variation"))
})
