# Plain base-R implementations of three UKHSA methods (the formulas as the package documents
# them), the peer of the benchmark and a check of the engine in the tests.

base_proportion <- function(x, n, confidence = 0.95) {
  z <- stats::qnorm(1 - (1 - confidence) / 2)
  p <- x / n
  half <- z * sqrt(z^2 + 4 * x * (1 - p))
  data.frame(value = p,
             lowercl = (2 * x + z^2 - half) / (2 * (n + z^2)),
             uppercl = (2 * x + z^2 + half) / (2 * (n + z^2)))
}

# Exact Poisson limits below 10 events, Byar's from 10, on the count.
.count_limits <- function(x, confidence = 0.95) {
  z <- stats::qnorm(1 - (1 - confidence) / 2)
  a <- (1 - confidence) / 2
  exact <- x < 10
  lower <- ifelse(exact, stats::qchisq(a, 2 * x) / 2,
                  x * (1 - 1 / (9 * x) - z / (3 * sqrt(x)))^3)
  upper <- ifelse(exact, stats::qchisq(1 - a, 2 * x + 2) / 2,
                  (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * sqrt(x + 1)))^3)
  lower[x == 0] <- 0
  list(lower = lower, upper = upper)
}

base_rate <- function(x, n, confidence = 0.95, multiplier = 100000) {
  l <- .count_limits(x, confidence)
  data.frame(value = x / n * multiplier, lowercl = l$lower / n * multiplier,
             uppercl = l$upper / n * multiplier)
}

# Dobson's method, per group (vectorised with rowsum, as an R analyst would write it): the
# weighted sum, its variance and Byar's limits of the total count.
base_dsr <- function(data, group, x, n, w, confidence = 0.95, multiplier = 100000) {
  g <- data[[group]]
  sums <- rowsum(cbind(O = data[[x]], W = data[[w]], wr = data[[w]] * data[[x]] / data[[n]],
                       v = data[[w]]^2 * data[[x]] / data[[n]]^2), g)
  O <- sums[, "O"]
  value <- sums[, "wr"] / sums[, "W"]
  variance <- sums[, "v"] / sums[, "W"]^2
  z <- stats::qnorm(1 - (1 - confidence) / 2)
  lo <- O * (1 - 1 / (9 * O) - z / (3 * sqrt(O)))^3
  hi <- (O + 1) * (1 - 1 / (9 * (O + 1)) + z / (3 * sqrt(O + 1)))^3
  data.frame(group = rownames(sums), value = value * multiplier,
             lowercl = (value + sqrt(variance / O) * (lo - O)) * multiplier,
             uppercl = (value + sqrt(variance / O) * (hi - O)) * multiplier,
             row.names = NULL)
}

# The European Standard Population 2013, by the 19 bands 0-4 ... 90+.
esp2013 <- c(5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000,
             5500, 5000, 4000, 2500, 1500, 1000)
