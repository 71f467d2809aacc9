# The R layer converts arguments and raises conditions; the engine (crates/pcnkit-r over the
# pcnkit crates) computes. Nothing here decides a default or a method.

# The engine's answer, or its failure raised as a classed condition: pcnkit_data_error (with
# file, row and field where known), pcnkit_argument_error or pcnkit_internal_error, each a
# pcnkit_error.
.answer <- function(res, call) {
  if (isTRUE(res$ok)) {
    value <- res$value
    # What the engine found on the way (a claim it could not value, …): each a warning of
    # class pcnkit_warning, as the CLI prints them.
    findings <- attr(value, "pcnkit_findings")
    if (length(findings)) {
      attr(value, "pcnkit_findings") <- NULL
      for (f in findings) {
        warning(structure(class = c("pcnkit_warning", "warning", "condition"),
                          list(message = f, call = call)))
      }
    }
    return(value)
  }
  cond <- structure(
    class = c(res$class, "pcnkit_error", "error", "condition"),
    list(message = res$message, call = call, file = res$file, row = res$row, field = res$field)
  )
  stop(cond)
}

# A column named bare (as the UKHSA package takes it) or as a string; NULL stays NULL.
.col <- function(e) {
  if (is.null(e)) {
    return(NULL)
  }
  if (is.character(e)) {
    return(e)
  }
  if (is.name(e)) {
    return(as.character(e))
  }
  if (is.call(e) && identical(e[[1]], as.name("c"))) {
    return(vapply(as.list(e)[-1], function(x) as.character(x), ""))
  }
  stop(structure(
    class = c("pcnkit_argument_error", "pcnkit_error", "error", "condition"),
    list(message = paste("not a column name:", deparse(e)), call = sys.call(-1))
  ))
}

# The grouping columns of a dplyr grouped data frame (read from its attribute, so dplyr
# need not be loaded); none for a plain data frame.
.groups <- function(data) {
  g <- attr(data, "groups")
  if (inherits(data, "grouped_df") && is.data.frame(g)) {
    return(setdiff(names(g), ".rows"))
  }
  character(0)
}

# The columns of a data frame as a plain named list (what the engine reads).
.columns <- function(data, what = "data") {
  if (!is.data.frame(data)) {
    stop(structure(
      class = c("pcnkit_argument_error", "pcnkit_error", "error", "condition"),
      list(message = paste0(what, ": a data frame"), call = sys.call(-1))
    ))
  }
  as.list(as.data.frame(data, stringsAsFactors = FALSE))
}

# One indicator method over a data frame; `options` are the library request's fields.
.indicator <- function(method, data, options, totals = NULL, call = sys.call(-1)) {
  totals <- if (is.null(totals)) NULL else .columns(totals, "observed_totals")
  .answer(.Call(wrap__rs_indicator, method, .columns(data), options, totals), call)
}

# A reference vector given per group (the UKHSA package's refpoptype = "vector" and stdpop
# vectors): the i-th value for the i-th row of each group, as a column.
.per_group <- function(data, groups, values, name) {
  key <- if (length(groups)) interaction(data[groups], drop = TRUE) else rep(1L, nrow(data))
  index <- stats::ave(seq_len(nrow(data)), key, FUN = seq_along)
  if (any(index > length(values))) {
    stop(structure(
      class = c("pcnkit_argument_error", "pcnkit_error", "error", "condition"),
      list(message = paste0(name, ": ", length(values), " values, but a group has ", max(index), " rows"),
           call = sys.call(-1))
    ))
  }
  data[[name]] <- values[index]
  data
}


pcnkit_defaults <- function() {
  .answer(.Call(wrap__rs_defaults), sys.call())
}

# A list-valued option: marked so that one element stays a list (NULL stays absent).
.list_of <- function(x) {
  if (is.null(x)) NULL else I(x)
}
