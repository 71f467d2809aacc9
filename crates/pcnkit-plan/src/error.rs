//! Errors of the planners.

/// Why a plan could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// Inputs or options the planner cannot use (the message says which and why).
    #[error("{0}")]
    Invalid(String),
    /// An organisation-domain error (a population that cannot be summed, say).
    #[error(transparent)]
    Org(#[from] pcnkit_org::OrgError),
}
