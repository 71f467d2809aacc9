//! tmp
#![deny(missing_docs)]
pub mod claims;
pub mod entitlement;
pub mod error;
pub mod rules;
pub use claims::{
    Area, ClaimLine, ClaimsReport, Finding, Hire, Plan, PoolUse, StaffError, StaffMember, claims,
    plan,
};
pub use entitlement::{
    Entitlement, EntitlementLine, EntitlementOptions, PcnInputs, PoolEntitlement, entitlement,
};
pub use error::ArrsError;
pub use rules::RuleBook;
