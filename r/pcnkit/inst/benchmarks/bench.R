# From R, data frame in and data frame out (conversion included): pcnkit against a plain
# base-R implementation of the same formulas (base_r.R), in the same run, on 10,000 areas x
# 19 age bands. Run from the repository after installing the package (release build):
#   R CMD INSTALL r/pcnkit && Rscript r/pcnkit/inst/benchmarks/bench.R
suppressMessages(library(pcnkit))
source(system.file("benchmarks", "base_r.R", package = "pcnkit"))
set.seed(2026)
areas <- 10000
bands <- c("0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
           "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89",
           "90+")
d <- data.frame(area = rep(sprintf("E%05d", seq_len(areas)), each = 19),
                age_band = rep(bands, areas),
                population = rpois(areas * 19, 2500) + 1,
                stringsAsFactors = FALSE)
d$deaths <- rbinom(nrow(d), d$population, 0.004)
d$w <- rep(esp2013, areas)
rates <- data.frame(x = d$deaths, n = d$population)

time <- function(f, reps = 5) {
  f() # once to warm
  t <- replicate(reps, system.time(f())[["elapsed"]])
  stats::median(t) * 1000
}
grouped <- structure(d, class = c("grouped_df", "tbl_df", "tbl", "data.frame"),
                     groups = data.frame(area = unique(d$area)))
cases <- list(
  dsr = list(function() calculate_dsr(grouped, deaths, population, stdpop = w),
             function() base_dsr(d, "area", "deaths", "population", "w")),
  rate = list(function() phe_rate(rates, x, n), function() base_rate(rates$x, rates$n)),
  proportion = list(function() phe_proportion(rates, x, n),
                    function() base_proportion(rates$x, rates$n)),
  # The same without the text columns (confidence, statistic, method) on every row.
  `proportion (type = "value")` = list(function() phe_proportion(rates, x, n, type = "value"),
                                       function() base_proportion(rates$x, rates$n))
)
# The two agree before they are timed.
ours <- cases$dsr[[1]]()
theirs <- cases$dsr[[2]]()
stopifnot(isTRUE(all.equal(ours$value, theirs$value, tolerance = 1e-12)),
          isTRUE(all.equal(ours$lowercl, theirs$lowercl, tolerance = 1e-12)))
cat(sprintf("%-30s %12s %12s %8s\n", "method", "pcnkit (ms)", "base R (ms)", "ratio"))
for (name in names(cases)) {
  a <- time(cases[[name]][[1]])
  b <- time(cases[[name]][[2]])
  cat(sprintf("%-30s %12.1f %12.1f %7.1fx\n", name, a, b, b / a))
}
cat(sprintf("rows: %d (%d areas x 19 bands); R %s\n", nrow(d), areas, getRversion()))
