# NHS England's organisation files and the ICS profile, read and made by the engine.

pcnkit_read <- function(kind, path) {
  .answer(.Call(wrap__rs_read, kind, path.expand(path)), sys.call())
}

pcnkit_profile <- function(demo = FALSE, seed = NULL, practice_map = NULL, icb = NULL,
                           lists = NULL, practice_lsoa = NULL, lsoas = NULL,
                           practice_deprivation = NULL, practice_locations = NULL,
                           weighted = NULL, staff = NULL, conditions = NULL, assets = NULL,
                           activity = NULL, yearly = NULL, year = NULL, accept_errors = FALSE,
                           disclosure = NULL, activity_target = NULL, chww = NULL,
                           pharmacy = NULL) {
  files <- list(practice_map = practice_map, lists = lists, practice_lsoa = practice_lsoa,
                lsoas = lsoas, practice_deprivation = practice_deprivation,
                practice_locations = practice_locations, weighted = weighted, staff = staff,
                conditions = conditions, assets = assets, activity = activity,
                yearly = yearly)
  files <- lapply(Filter(Negate(is.null), files), path.expand)
  if (isTRUE(demo) == (length(files) > 0)) {
    stop(structure(
      class = c("pcnkit_argument_error", "pcnkit_error", "error", "condition"),
      list(message = "give demo = TRUE, or practice_map (and the other inputs you have), not both",
           call = sys.call())
    ))
  }
  # The plans' options go to the library as text, by the CLI's flag names in snake case.
  plans <- lapply(c(as.list(chww), as.list(pharmacy)), function(v) format(v, scientific = FALSE,
                                                                           trim = TRUE))
  .answer(.Call(wrap__rs_profile, if (isTRUE(demo)) NULL else files, icb, year,
                isTRUE(accept_errors), seed, disclosure, activity_target,
                if (length(plans) == 0) NULL else plans), sys.call())
}
