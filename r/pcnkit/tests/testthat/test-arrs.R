test_that("rule figures carry their provenance", {
  f <- arrs_figures("2025/26")
  expect_true(nrow(f) > 10)
  expect_true(any(grepl("source", names(f))))
  expect_error(arrs_figures("2019"), class = "pcnkit_argument_error")
})

test_that("entitlement and claims equal the CLI's on the demo", {
  e <- arrs_entitlement("2025/26", weighted = 30000)
  dir <- tempfile()
  dir.create(dir)
  status <- system2(cli_path(), c("arrs", "entitlement", "--year", "2025/26", "--weighted",
                                  "30000", "--format", "csv", "--out", file.path(dir, "e.csv"),
                                  "--quiet"))
  expect_equal(status, 0L)
  c <- utils::read.csv(file.path(dir, "e.csv"), stringsAsFactors = FALSE, na.strings = "",
                       colClasses = "character")
  expect_equal(nrow(e), nrow(c))
  money <- intersect(c("amount", "annual"), names(e))
  for (m in money) expect_equal(as.numeric(e[[m]]), as.numeric(c[[m]]), info = m)

  status <- system2(cli_path(), c("demo", "--dir", dir, "--quiet"), stdout = FALSE)
  expect_equal(status, 0L)
  staff <- utils::read.csv(file.path(dir, "arrs_staff.csv"), stringsAsFactors = FALSE,
                           colClasses = "character")
  weighted <- utils::read.csv(file.path(dir, "weighted_populations.csv"),
                              stringsAsFactors = FALSE, colClasses = "character")
  w <- weighted$weighted_patients[weighted$pcn == "U90000"]
  # The demo's claims the rules cannot value are warnings, as the CLI says them.
  said <- character(0)
  r <- withCallingHandlers(
    arrs_claims(staff, "U90000", "2025/26", weighted = w),
    pcnkit_warning = function(w) {
      said <<- c(said, conditionMessage(w))
      invokeRestart("muffleWarning")
    }
  )
  expect_true(any(grepl("could not be valued", said)))
  status <- system2(cli_path(), c("arrs", "claims", "--pcn", "U90000", "--year", "2025/26",
                                  "--staff", file.path(dir, "arrs_staff.csv"), "--weighted",
                                  file.path(dir, "weighted_populations.csv"), "--format", "csv",
                                  "--out", file.path(dir, "claims.csv"), "--quiet"), stderr = FALSE)
  expect_equal(status, 0L)
  c <- utils::read.csv(file.path(dir, "claims.csv"), stringsAsFactors = FALSE,
                       colClasses = "character", na.strings = "")
  expect_equal(names(r), names(c))
  for (col in names(c)) {
    expect_equal(as.character(r[[col]]), c[[col]], info = col)
  }
  lines <- suppressWarnings(arrs_claims(staff, "U90000", "2025/26", weighted = w, lines = TRUE))
  expect_true(nrow(lines) > nrow(r))
  # Without a weighted population the headroom is unknown: NA, never 0.
  unknown <- suppressWarnings(arrs_claims(staff, "U90000", "2025/26"))
  expect_true(any(is.na(unknown$headroom)))
})
