# The Additional Roles Reimbursement Scheme: rule figures, entitlement and claims. Money comes
# back as exact decimal text (as.numeric() it where a double will do).

# Populations as exact decimal text for the engine.
.amount <- function(x) {
  if (is.null(x)) NULL else format(x, scientific = FALSE, digits = 15, trim = TRUE)
}

arrs_figures <- function(year) {
  .answer(.Call(wrap__rs_arrs_figures, year), sys.call())
}

arrs_entitlement <- function(year, weighted, registered = NULL, adjusted = NULL) {
  .answer(.Call(wrap__rs_arrs_entitlement, year, .amount(weighted), .amount(registered),
                .amount(adjusted)), sys.call())
}

arrs_claims <- function(staff, pcn, year, weighted = NULL, lines = FALSE) {
  .answer(.Call(wrap__rs_arrs_claims, .columns(staff, "staff"), pcn, year,
                .amount(weighted), isTRUE(lines)), sys.call())
}

arrs_plan <- function(staff, pcn, year, role, cost, weighted = NULL) {
  .answer(.Call(wrap__rs_arrs_plan, .columns(staff, "staff"), pcn, year, .amount(weighted),
                role, .amount(cost)), sys.call())
}

arrs_summary <- function(staff, weighted, year) {
  .answer(.Call(wrap__rs_arrs_summary, .columns(staff, "staff"),
                .columns(weighted, "weighted"), year), sys.call())
}
