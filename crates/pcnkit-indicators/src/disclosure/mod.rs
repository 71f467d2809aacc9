//! Small-number disclosure control: what a table about practices or PCNs must pass before it
//! leaves an ICB.
//!
//! A [`Policy`] says which counts are suppressed, what the others are rounded to, and what is
//! exempt (national figures, standardised rates); the built-in policies are data
//! (`data/disclosure-policies.toml`), each naming its published source:
//!
//! - `nhs-england`: NHS England's secondary care rule (NHS Digital, *Disclosure control
//!   methodology for HES and ECDS*, 2018): below national level counts of 1 to 7 are
//!   suppressed and all others rounded to the nearest 5; percentages come from the protected
//!   counts; standardised rates and their intervals, and national figures, are exempt.
//! - `opensafely`: OpenSAFELY's output tooling: counts of 7 or fewer (zero included) redacted,
//!   then rounding to the nearest 5.
//! - custom thresholds and rounding bases: [`Policy::custom`], or `custom:MIN-MAX:BASE`.
//!
//! [`DisclosureSpec`] applies a policy to any table: its count columns are suppressed or
//! rounded; within the totals the table declares (margins published elsewhere, or total rows
//! in the table) **secondary suppression** makes sure no suppressed cell can be recovered by
//! subtraction: a group whose total is released must hide at least two cells, and more than
//! the policy's threshold in all (the next smallest cells are suppressed, deterministically:
//! smallest first, then the earlier row); percentages are recomputed from the protected
//! counts, and other columns derived from a suppressed count are suppressed with it. Each
//! affected row says why in `disclosure_note`. Applying a policy to its own output changes
//! nothing (property-tested with the other guarantees in `tests/it/disclosure.rs`).

mod policy;
mod table;

pub use policy::{Policy, PolicyConfidence};
pub use table::{Derived, DisclosureSpec, TotalRows};
