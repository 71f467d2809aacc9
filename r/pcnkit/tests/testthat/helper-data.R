esp_bands <- c("0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
               "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89",
               "90+")

# Two areas by the 19 ESP2013 age bands.
banded <- function() {
  data.frame(
    area = rep(c("E1", "E2"), each = 19),
    age_band = rep(esp_bands, 2),
    deaths = c(3 * (1:19), 3 * (1:19) + 2),
    population = rep(10000, 38),
    ref_deaths = c(3 * (1:19), 3 * (1:19) + 2) * 20,
    ref_population = rep(180000, 38),
    stringsAsFactors = FALSE
  )
}

areas <- function() {
  data.frame(
    area = sprintf("A%02d", 0:11),
    region = rep(c("R1", "R2"), each = 6),
    x = 10 + 7 * (0:11),
    n = 200 + 11 * (0:11),
    v = 20 + 3.5 * (0:11),
    stringsAsFactors = FALSE
  )
}
