test_that("bad inputs raise classed conditions naming what is wrong", {
  df <- data.frame(x = c(65, 0), n = c(100, 1000))
  e <- tryCatch(phe_proportion(df, x, nope), error = identity)
  expect_s3_class(e, "pcnkit_data_error")
  expect_s3_class(e, "pcnkit_error")
  expect_equal(e$field, "nope")
  expect_match(conditionMessage(e), "nope")
  expect_error(phe_proportion(df, x, n, confidence = 0.5), class = "pcnkit_argument_error")
  expect_error(phe_proportion(df, x, n, type = "lowest"), class = "pcnkit_argument_error")
  expect_error(phe_rate(df, x, n, multiplier = -1), class = "pcnkit_argument_error")
  expect_error(phe_proportion("not a frame", x, n), class = "pcnkit_argument_error")
  expect_error(calculate_dsr(banded(), deaths, population), class = "pcnkit_argument_error")
  expect_error(phe_sii(data.frame(q = 1:5, pop = 1:5, v = 1:5), q, pop, value = v),
               class = "pcnkit_argument_error")
  # A numerator above its denominator: that row has no value and a note, the others do.
  bad <- phe_proportion(data.frame(x = c(5, 1), n = c(2, 4)), x, n)
  expect_true(is.na(bad$value[1]))
  expect_match(bad$note[1], "above")
  expect_equal(bad$value[2], 0.25)
})

test_that("a bad staff row names its row and field", {
  staff <- data.frame(id = c("a", "b"), pcn = "U90000", role = "clinical_pharmacist",
                      wte = c(1, 1.5), start = as.Date("2025-04-01"), annual_cost = 60000)
  e <- tryCatch(arrs_claims(staff, "U90000", "2025/26", weighted = 30000), error = identity)
  expect_s3_class(e, "pcnkit_data_error")
  expect_equal(e$row, 2)
  expect_equal(e$field, "wte")
  expect_equal(e$file, "staff")
})

test_that("no Rust panic reaches R", {
  e <- tryCatch(pcnkit:::.answer(.Call(pcnkit:::wrap__rs_panic_for_tests), NULL),
                error = identity)
  expect_s3_class(e, "pcnkit_internal_error")
  expect_match(conditionMessage(e), "deliberate test panic")
})
