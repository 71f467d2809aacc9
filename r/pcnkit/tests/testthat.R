library(testthat)
library(pcnkit)

test_check("pcnkit")
