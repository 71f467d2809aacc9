test_that("the profile of the demo is the CLI's and Python's", {
  p <- pcnkit_profile(demo = TRUE)
  expect_true(length(p) > 5)
  expect_match(attr(p, "title"), "demo|synthetic", ignore.case = TRUE)
  py <- python_path()
  out <- tempfile(fileext = ".csv")
  script <- tempfile(fileext = ".py")
  writeLines(c(
    "import pyarrow.csv as c, pcnkit",
    "p = pcnkit.profile(demo=True)",
    sprintf("c.write_csv(p['arrs'], %s)", encodeString(out, quote = '"'))
  ), script)
  expect_equal(system2(py, script), 0L)
  theirs <- utils::read.csv(out, stringsAsFactors = FALSE, colClasses = "character",
                            na.strings = "")
  ours <- p$arrs
  expect_equal(names(ours), names(theirs))
  for (col in names(theirs)) {
    # Money is exact text both sides (pyarrow writes the decimal's full scale).
    numeric <- suppressWarnings(as.numeric(theirs[[col]]))
    if (all(is.na(numeric) == is.na(theirs[[col]]))) {
      expect_identical(as.numeric(ours[[col]]), numeric, info = col)
    } else {
      expect_identical(as.character(ours[[col]]), theirs[[col]], info = col)
    }
  }
  expect_error(pcnkit_profile(), class = "pcnkit_argument_error")
  expect_error(pcnkit_profile(practice_map = tempfile()), class = "pcnkit_data_error")
})

test_that("organisation files are read with every row accounted for", {
  dir <- tempfile()
  dir.create(dir)
  expect_equal(system2(cli_path(), c("demo", "--dir", dir, "--quiet"), stdout = FALSE), 0L)
  map <- file.path(dir, "gp-reg-pat-prac-map.csv")
  lines <- readLines(map)
  # A practice code that is not one: a finding naming its line, not a silent drop.
  bad <- lines
  bad[3] <- sub("Z10001", "NOTACODE", bad[3], fixed = TRUE)
  writeLines(bad, file.path(dir, "bad.csv"))
  got <- pcnkit_read("practice_map", map)
  expect_equal(nrow(got$records), length(lines) - 1)
  got <- pcnkit_read("practice_map", file.path(dir, "bad.csv"))
  expect_equal(nrow(got$records), length(lines) - 2)
  expect_true(any(got$findings$line == 3))
  expect_error(pcnkit_read("no_such_kind", map), class = "pcnkit_argument_error")
})

test_that("ARRS plans and summaries", {
  staff <- data.frame(id = c("cp-1", "pt-1"), pcn = c("U90000", "U90001"),
                      role = c("clinical_pharmacist", "pharmacy_technician"), wte = 1,
                      start = "2025-04-01", annual_cost = c(60000, 38000))
  plan <- arrs_plan(staff, "U90000", "2025/26", "pharmacy_technician", 41000, weighted = 45000)
  expect_true(nrow(plan) >= 1)
  s <- arrs_summary(staff, data.frame(pcn = "U90000", weighted_patients = 45000), "2025/26")
  expect_equal(sort(s$summary$pcn), c("U90000", "U90001"))
  # U90001 has no weighted population: its entitlement is unknown, never 0.
  expect_true(is.na(s$summary$entitlement[s$summary$pcn == "U90001"]))
})

test_that("the workforce plans are the CLI's", {
  p <- pcnkit_profile(demo = TRUE,
    chww = list(level = "lsoa", workers = 200, households_per_worker = 120,
                persons_per_household = 2.4),
    pharmacy = list(scheme = "cpcs", year = "2022/23", referrals_per_1000 = 10))
  expect_equal(sum(p$plan_chww_areas$workers), 200)
  expect_true(all(c("plan_leads", "plan_link_workers", "plan_pharmacy") %in% names(p)))
  cli <- cli_path()
  run <- function(args) {
    out <- tempfile(fileext = ".csv")
    expect_equal(system2(cli, c("plan", args, "--format", "csv", "--out", out, "--quiet")), 0L)
    utils::read.csv(out, stringsAsFactors = FALSE, colClasses = "character", na.strings = "")
  }
  same <- function(ours, theirs) {
    expect_equal(names(ours), names(theirs))
    for (col in names(theirs)) {
      numeric <- suppressWarnings(as.numeric(theirs[[col]]))
      if (all(is.na(numeric) == is.na(theirs[[col]]))) {
        expect_equal(as.numeric(ours[[col]]), numeric, tolerance = 1e-12, info = col)
      } else {
        expect_identical(as.character(ours[[col]]), theirs[[col]], info = col)
      }
    }
  }
  chww <- c("chww", "--demo", "--chww-level", "lsoa", "--chww-workers", "200",
            "--households-per-worker", "120", "--persons-per-household", "2.4")
  same(p$plan_chww_deciles, run(c(chww, "--table", "deciles")))
  same(p$plan_chww_areas, run(chww))
  same(p$plan_pharmacy, run(c("pharmacy", "--demo", "--pharmacy-scheme", "cpcs",
                              "--pharmacy-year", "2022/23", "--referrals-per-1000", "10")))
  same(p$plan_leads, run(c("leads", "--demo")))
  expect_error(pcnkit_profile(demo = TRUE, chww = list(workers = 5)),
               class = "pcnkit_argument_error")
  expect_error(pcnkit_profile(demo = TRUE, chww = list(workers = "many")),
               class = "pcnkit_argument_error")
})
