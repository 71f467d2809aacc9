# pcnkit in ten lines: the UKHSA package's calls, computed by the pcnkit engine.
library(pcnkit)
practices <- data.frame(pcn = rep(c("U90000", "U90001"), each = 3),
                        diabetics = c(610, 540, 702, 380, 455, 512),
                        patients = c(9100, 8700, 10200, 7800, 8100, 9050))
by_pcn <- stats::aggregate(cbind(diabetics, patients) ~ pcn, practices, sum)
print(phe_proportion(by_pcn, diabetics, patients, multiplier = 100))   # prevalence, %
print(pcnkit_disclose(practices, counts = "diabetics", policy = "opensafely"))
print(head(arrs_entitlement("2025/26", weighted = 45000), 3))
