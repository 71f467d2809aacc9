//! JSON forms and JSON Schemas of public records.
//!
//! Every public record serialises with serde to the JSON documented on its type, and
//! [`schema_for`] produces a JSON Schema (draft 2020-12) for it, so systems written in other
//! languages can validate what pcnkit sends them.
//!
//! ```
//! use pcnkit_core::{json::schema_for, PracticeCode};
//! let schema = schema_for::<PracticeCode>();
//! assert_eq!(schema["pattern"], "^(?:[A-Z][0-9][0-9][0-9][0-9][0-9])$");
//! ```

pub use schemars::JsonSchema;

/// The JSON Schema of `T` as a JSON value.
pub fn schema_for<T: JsonSchema>() -> serde_json::Value {
    schemars::schema_for!(T).to_value()
}
