test_that("every exported function is documented with an example that runs", {
  exported <- getNamespaceExports("pcnkit")
  db <- tools::Rd_db("pcnkit")
  aliases <- unlist(lapply(db, function(rd) {
    unlist(lapply(rd[vapply(rd, function(x) identical(attr(x, "Rd_tag"), "\\alias"), TRUE)],
                  as.character))
  }))
  expect_setequal(setdiff(exported, grep("^wrap__", exported, value = TRUE)), aliases)
  for (topic in names(db)) {
    rd <- db[[topic]]
    expect_true(any(vapply(rd, function(x) identical(attr(x, "Rd_tag"), "\\examples"), TRUE)),
                info = topic)
    out <- tempfile(fileext = ".R")
    tools::Rd2ex(rd, out)
    expect_no_error(suppressWarnings(utils::capture.output(source(out, local = new.env()))),
                    message = topic)
  }
})
