//! tmp
#![deny(missing_docs)]
pub mod error;
pub mod export;
pub mod import;
pub mod membership;
pub mod model;
pub mod population;
pub mod registry;
pub mod rules;
pub use error::OrgError;
pub use membership::*;
pub use model::*;
pub use population::*;
pub use registry::*;
