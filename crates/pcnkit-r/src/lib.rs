//! The native part of the `pcnkit` R package (`r/pcnkit`): a thin layer over the engine.
//!
//! Data frames come in as R lists of columns and become Arrow batches (module `frame`); the
//! method's options come in as an R list and become the library's own request
//! ([`pcnkit_indicators::request::IndicatorRequest`], the same type the HTTP API reads), so R
//! asks exactly what every other front end asks, with the library's defaults. Answers go back
//! as data frames. Nothing here decides anything about indicators or ARRS.
//!
//! Every entry point returns `list(ok = TRUE, value = …)` or `list(ok = FALSE, class = …,
//! message = …, file = …, row = …, field = …)`, from which the R layer raises a classed
//! condition (`pcnkit_data_error`, `pcnkit_argument_error`, both `pcnkit_error`). A panic is
//! caught here and becomes a `pcnkit_internal_error`: none reaches R.

use std::panic::{AssertUnwindSafe, catch_unwind};

use extendr_api::prelude::*;

mod entry;
mod failure;
mod frame;
mod options;

use failure::Failure;

/// Runs `f`; its answer or its failure (a panic included) as the list the R layer reads.
fn answer(f: impl FnOnce() -> std::result::Result<Robj, Failure>) -> Robj {
    let outcome = catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".to_owned());
        Err(Failure::Internal(format!(
            "an internal error in pcnkit (please report it): {what}"
        )))
    });
    match outcome {
        Ok(value) => list!(ok = true, value = value).into(),
        Err(f) => f.into_robj(),
    }
}
