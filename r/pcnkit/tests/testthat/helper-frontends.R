# The other front ends on the same inputs: the CLI (PCNKIT_CLI, the `pcnkit` binary) and
# Python (PCNKIT_PYTHON, an interpreter with the pcnkit package). The test command sets both;
# without them the comparisons are skipped with a message.

cli_path <- function() {
  p <- Sys.getenv("PCNKIT_CLI")
  if (!nzchar(p) || !file.exists(p)) skip("PCNKIT_CLI is not set: the CLI comparison is skipped")
  p
}

python_path <- function() {
  p <- Sys.getenv("PCNKIT_PYTHON")
  if (!nzchar(p) || !file.exists(p)) skip("PCNKIT_PYTHON is not set: the Python comparison is skipped")
  p
}

write_input <- function(df) {
  path <- tempfile(fileext = ".csv")
  utils::write.csv(df, path, row.names = FALSE, na = "")
  path
}

read_output <- function(path) {
  utils::read.csv(path, stringsAsFactors = FALSE, na.strings = "")
}

# `pcnkit indicators <args>` over df, read back.
run_cli <- function(df, args) {
  input <- write_input(df)
  out <- tempfile(fileext = ".csv")
  status <- system2(cli_path(), c("indicators", args[1], "--input", input, args[-1],
                                  "--format", "csv", "--out", out, "--quiet"))
  expect_equal(status, 0L)
  read_output(out)
}

# pcnkit.stats.<call> over df (as `data`, read with pyarrow), read back.
run_python <- function(df, call) {
  input <- write_input(df)
  out <- tempfile(fileext = ".csv")
  script <- tempfile(fileext = ".py")
  writeLines(c(
    "import sys, pyarrow.csv as c, pcnkit",
    sprintf("data = c.read_csv(%s)", encodeString(input, quote = '"')),
    sprintf("t = pcnkit.stats.%s", call),
    sprintf("c.write_csv(t, %s)", encodeString(out, quote = '"'))
  ), script)
  status <- system2(python_path(), script)
  expect_equal(status, 0L)
  read_output(out)
}

# The columns two answers share agree: numbers to 1e-12 relative, text exactly.
expect_same_answer <- function(a, b, columns) {
  expect_equal(nrow(a), nrow(b))
  for (col in columns) {
    x <- a[[col]]
    y <- b[[col]]
    expect_false(is.null(x), info = col)
    expect_false(is.null(y), info = col)
    if (is.numeric(x) || is.numeric(y)) {
      expect_equal(as.numeric(x), as.numeric(y), tolerance = 1e-12, info = col)
    } else if (is.logical(x) || is.logical(y)) {
      expect_identical(tolower(as.character(x)), tolower(as.character(y)), info = col)
    } else {
      expect_identical(as.character(x), as.character(y), info = col)
    }
  }
}
