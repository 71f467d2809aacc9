//! Arrow schema helpers: every public record type converts to and from a `RecordBatch`.
//!
//! A record type lists its columns once ([`ArrowRecord::arrow_fields`]), built from the Arrow
//! type of each value ([`ArrowType`]); conversion itself goes through `serde_arrow`, so the Arrow
//! form and the JSON form come from the same serde implementation and cannot drift apart.
//!
//! Column types used by the core values:
//!
//! | value | Arrow type | notes |
//! |---|---|---|
//! | codes ([`PracticeCode`](crate::PracticeCode), …) | `Utf8` | canonical upper-case text |
//! | [`FinancialYear`](crate::FinancialYear) | `Utf8` | `2024/25` |
//! | [`Month`](crate::Month) | `Utf8` | `2024-04` |
//! | `NaiveDate` | `Date32` | |
//! | [`Period`](crate::Period) | `Struct{start: Date32, end: Date32?}` | `end` inclusive, null if open |
//! | [`Money`](crate::Money), [`Wte`](crate::Wte) | `Decimal128(38, 18)` | [`DECIMAL_TYPE`]; more than 18 decimal places is an error, not a rounding |
//! | [`PatientCount`](crate::PatientCount) | `UInt64` | |
//! | [`AgeBand`](crate::AgeBand), [`Sex`](crate::Sex) | `Utf8` | `0-4`, `90+`; `male`, `female`, `unknown` |
//!
//! ```
//! use pcnkit_core::arrow::{ArrowRecord, field, from_record_batch, to_record_batch};
//! use pcnkit_core::{Money, PracticeCode};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, PartialEq, Serialize, Deserialize)]
//! struct Payment { practice: PracticeCode, amount: Money }
//!
//! impl ArrowRecord for Payment {
//!     fn arrow_fields() -> Vec<arrow_schema::FieldRef> {
//!         vec![field::<PracticeCode>("practice"), field::<Money>("amount")]
//!     }
//! }
//!
//! let rows = vec![Payment { practice: "A81001".parse()?, amount: "1234.56".parse()? }];
//! let batch = to_record_batch(&rows)?;
//! assert_eq!(batch.num_rows(), 1);
//! assert_eq!(from_record_batch::<Payment>(&batch)?, rows);
//! # Ok::<(), pcnkit_core::CoreError>(())
//! ```

use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{DataType, Field, FieldRef, Fields, Schema, SchemaRef};
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::CoreError;

/// Precision of [`DECIMAL_TYPE`].
pub const DECIMAL_PRECISION: u8 = 38;
/// Scale of [`DECIMAL_TYPE`]: 18 decimal places, enough for every pro-rata intermediate a rule
/// keeps while leaving 20 integer digits.
pub const DECIMAL_SCALE: i8 = 18;
/// The Arrow type of money and WTE columns.
pub const DECIMAL_TYPE: DataType = DataType::Decimal128(DECIMAL_PRECISION, DECIMAL_SCALE);

/// A value type with a fixed Arrow column type.
pub trait ArrowType {
    /// The Arrow type of a column of these values.
    fn arrow_data_type() -> DataType;
    /// Whether the column may hold nulls (true only for `Option`).
    const NULLABLE: bool = false;
}

/// A column of `T` named `name`.
pub fn field<T: ArrowType>(name: &str) -> FieldRef {
    Arc::new(Field::new(name, T::arrow_data_type(), T::NULLABLE))
}

impl<T: ArrowType> ArrowType for Option<T> {
    fn arrow_data_type() -> DataType {
        T::arrow_data_type()
    }
    const NULLABLE: bool = true;
}

macro_rules! primitive_arrow_type {
    ($($t:ty => $dt:expr),+ $(,)?) => {$(
        impl ArrowType for $t {
            fn arrow_data_type() -> DataType { $dt }
        }
    )+};
}

primitive_arrow_type!(
    String => DataType::Utf8,
    bool => DataType::Boolean,
    u8 => DataType::UInt8,
    u16 => DataType::UInt16,
    u32 => DataType::UInt32,
    u64 => DataType::UInt64,
    i32 => DataType::Int32,
    i64 => DataType::Int64,
    f64 => DataType::Float64,
    chrono::NaiveDate => DataType::Date32,
    Decimal => DECIMAL_TYPE,
);

impl ArrowType for crate::Period {
    fn arrow_data_type() -> DataType {
        DataType::Struct(Fields::from(vec![
            Field::new("start", DataType::Date32, false),
            Field::new("end", DataType::Date32, true),
        ]))
    }
}

/// A record type with a documented, stable Arrow schema.
///
/// Implement [`arrow_fields`](ArrowRecord::arrow_fields) in the same order and with the same
/// names as the serde fields; [`to_record_batch`] and [`from_record_batch`] then convert without
/// loss.
pub trait ArrowRecord: Serialize + DeserializeOwned {
    /// The columns, in order.
    fn arrow_fields() -> Vec<FieldRef>;

    /// The schema made of [`arrow_fields`](ArrowRecord::arrow_fields).
    fn arrow_schema() -> SchemaRef {
        Arc::new(Schema::new(Self::arrow_fields()))
    }
}

/// Writes records to one `RecordBatch` with the type's schema.
///
/// A money or WTE value with more decimal places than [`DECIMAL_SCALE`] in a top-level column is
/// an error: `serde_arrow` would otherwise truncate it silently.
pub fn to_record_batch<T: ArrowRecord>(records: &[T]) -> Result<RecordBatch, CoreError> {
    let fields = T::arrow_fields();
    check_decimal_scale(&fields, records)?;
    serde_arrow::to_record_batch(&fields, &records).map_err(|e| CoreError::Arrow(e.to_string()))
}

/// Reads records back from a `RecordBatch` whose schema matches the type's.
///
/// A batch with other columns or types is an error naming the mismatch, not a best effort.
pub fn from_record_batch<T: ArrowRecord>(batch: &RecordBatch) -> Result<Vec<T>, CoreError> {
    let expected = T::arrow_schema();
    let actual = batch.schema();
    if expected.fields().len() != actual.fields().len() {
        return Err(CoreError::Arrow(format!(
            "expected {} columns ({}), found {}",
            expected.fields().len(),
            column_names(&expected),
            column_names(&actual)
        )));
    }
    for (e, a) in expected.fields().iter().zip(actual.fields().iter()) {
        if e.name() != a.name() || e.data_type() != a.data_type() {
            return Err(CoreError::Arrow(format!(
                "column `{}` should be `{}` of type {}, found `{}` of type {}",
                e.name(),
                e.name(),
                e.data_type(),
                a.name(),
                a.data_type()
            )));
        }
    }
    serde_arrow::from_record_batch(batch).map_err(|e| CoreError::Arrow(e.to_string()))
}

/// Computed money amounts (pro-rata claims, sums of them) as a [`DECIMAL_TYPE`] column.
///
/// Unlike [`to_record_batch`], which refuses a stored value with more than 18 decimal places,
/// this rounds at the 18th place, half to even: a pro-rata amount such as £30,000 × 31/365
/// carries 28 digits in `rust_decimal`, and no payment rule rounds at that depth, so the
/// column type's limit (10⁻¹⁸ pounds) is the only rounding. A value too large for the type is
/// an error.
///
/// ```
/// use pcnkit_core::Money;
/// use pcnkit_core::arrow::money_array;
/// let a = money_array(&[Some("2547.9452054794520547945205479".parse()?), None])?;
/// assert_eq!(a.len(), 2);
/// assert_eq!(a.null_count(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn money_array(values: &[Option<crate::Money>]) -> Result<arrow_array::ArrayRef, CoreError> {
    let mut out = Vec::with_capacity(values.len());
    for v in values {
        out.push(match v {
            None => None,
            Some(m) => {
                let mut d = m.pounds().round_dp_with_strategy(
                    DECIMAL_SCALE as u32,
                    rust_decimal::RoundingStrategy::MidpointNearestEven,
                );
                d.rescale(DECIMAL_SCALE as u32);
                if d.scale() != DECIMAL_SCALE as u32 {
                    return Err(CoreError::Arrow(format!(
                        "{} does not fit decimal({DECIMAL_PRECISION}, {DECIMAL_SCALE})",
                        m.pounds()
                    )));
                }
                Some(d.mantissa())
            }
        });
    }
    let array = arrow_array::Decimal128Array::from(out)
        .with_precision_and_scale(DECIMAL_PRECISION, DECIMAL_SCALE)
        .map_err(|e| CoreError::Arrow(e.to_string()))?;
    Ok(Arc::new(array))
}

fn check_decimal_scale<T: Serialize>(fields: &[FieldRef], records: &[T]) -> Result<(), CoreError> {
    let decimal_columns: Vec<&str> = fields
        .iter()
        .filter(|f| *f.data_type() == DECIMAL_TYPE)
        .map(|f| f.name().as_str())
        .collect();
    if decimal_columns.is_empty() {
        return Ok(());
    }
    for (row, record) in records.iter().enumerate() {
        let value = serde_json::to_value(record).map_err(|e| CoreError::Arrow(e.to_string()))?;
        for &column in &decimal_columns {
            if let Some(text) = value.get(column).and_then(|v| v.as_str()) {
                let fraction = text
                    .split_once('.')
                    .map_or("", |(_, f)| f.trim_end_matches('0'));
                if fraction.len() > DECIMAL_SCALE as usize {
                    return Err(CoreError::Arrow(format!(
                        "row {row}, column `{column}`: {text} has more than {DECIMAL_SCALE} decimal places; round it (saying which rule rounds) before export"
                    )));
                }
            }
        }
    }
    Ok(())
}

fn column_names(schema: &Schema) -> String {
    schema
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Any serialisable records as one flat, typed table, for front ends that write whatever an
/// importer read: nested objects become `parent_child` columns in the order first seen; a
/// column is `Boolean`, `Int64`, `UInt64` or `Float64` when every value is one, `Date32` when
/// every value is an ISO date (`YYYY-MM-DD`), and `Utf8` otherwise; absent values are null.
///
/// ```
/// use pcnkit_core::arrow::flat_record_batch;
/// #[derive(serde::Serialize)]
/// struct R { code: &'static str, when: chrono::NaiveDate, n: u64, org: Inner }
/// #[derive(serde::Serialize)]
/// struct Inner { level: &'static str }
/// let day = chrono::NaiveDate::from_ymd_opt(2025, 4, 1).unwrap();
/// let b = flat_record_batch(&[R { code: "A81001", when: day, n: 3, org: Inner { level: "gp" } }])?;
/// assert_eq!(b.schema().field(1).data_type(), &arrow_schema::DataType::Date32);
/// assert_eq!(b.schema().field(3).name(), "org_level");
/// # Ok::<(), pcnkit_core::CoreError>(())
/// ```
pub fn flat_record_batch<T: Serialize>(records: &[T]) -> Result<RecordBatch, CoreError> {
    use arrow_array::{
        ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, StringArray, UInt64Array,
    };
    use serde_json::Value;
    fn flatten(prefix: &str, node: Node, out: &mut Vec<(String, Value)>) {
        match node {
            Node::Map(entries) => {
                for (k, v) in entries {
                    let key = if prefix.is_empty() {
                        k
                    } else {
                        format!("{prefix}_{k}")
                    };
                    flatten(&key, v, out);
                }
            }
            Node::Leaf(other) => out.push((prefix.to_owned(), other)),
        }
    }
    let mut names: Vec<String> = Vec::new();
    let mut rows: Vec<std::collections::HashMap<String, Value>> = Vec::with_capacity(records.len());
    for r in records {
        // Through text, so objects keep the order of the record's fields (serde_json's own
        // map sorts its keys).
        let text = serde_json::to_string(r).map_err(|e| CoreError::Arrow(e.to_string()))?;
        let node: Node =
            serde_json::from_str(&text).map_err(|e| CoreError::Arrow(e.to_string()))?;
        let mut flat = Vec::new();
        flatten("", node, &mut flat);
        for (k, _) in &flat {
            if !names.contains(k) {
                names.push(k.clone());
            }
        }
        rows.push(flat.into_iter().collect());
    }
    let epoch =
        chrono::NaiveDate::from_ymd_opt(1970, 1, 1).ok_or(CoreError::Arrow("epoch".to_owned()))?;
    let date = |v: &Value| {
        v.as_str()
            .filter(|s| s.len() == 10)
            .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .and_then(|d| i32::try_from((d - epoch).num_days()).ok())
    };
    let mut fields = Vec::with_capacity(names.len());
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(names.len());
    for name in &names {
        let values: Vec<Option<&Value>> = rows
            .iter()
            .map(|r| r.get(name).filter(|v| !v.is_null()))
            .collect();
        let present: Vec<&Value> = values.iter().flatten().copied().collect();
        let all = |f: &dyn Fn(&Value) -> bool| !present.is_empty() && present.iter().all(|v| f(v));
        let (kind, array): (DataType, ArrayRef) = if all(&|v| v.is_boolean()) {
            (
                DataType::Boolean,
                Arc::new(
                    values
                        .iter()
                        .map(|v| v.and_then(Value::as_bool))
                        .collect::<BooleanArray>(),
                ),
            )
        } else if all(&|v| v.is_i64()) {
            (
                DataType::Int64,
                Arc::new(
                    values
                        .iter()
                        .map(|v| v.and_then(Value::as_i64))
                        .collect::<Int64Array>(),
                ),
            )
        } else if all(&|v| v.is_u64()) {
            (
                DataType::UInt64,
                Arc::new(
                    values
                        .iter()
                        .map(|v| v.and_then(Value::as_u64))
                        .collect::<UInt64Array>(),
                ),
            )
        } else if all(&|v| v.is_number()) {
            (
                DataType::Float64,
                Arc::new(
                    values
                        .iter()
                        .map(|v| v.and_then(Value::as_f64))
                        .collect::<Float64Array>(),
                ),
            )
        } else if all(&|v| date(v).is_some()) {
            (
                DataType::Date32,
                Arc::new(
                    values
                        .iter()
                        .map(|v| v.and_then(date))
                        .collect::<Date32Array>(),
                ),
            )
        } else {
            (
                DataType::Utf8,
                Arc::new(
                    values
                        .iter()
                        .map(|v| {
                            v.map(|v| match v {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            })
                        })
                        .collect::<StringArray>(),
                ),
            )
        };
        fields.push(Field::new(name, kind, true));
        columns.push(array);
    }
    if names.is_empty() {
        return Ok(RecordBatch::new_empty(Arc::new(Schema::empty())));
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| CoreError::Arrow(e.to_string()))
}

/// A JSON value whose objects keep their keys in order.
enum Node {
    Map(Vec<(String, Node)>),
    Leaf(serde_json::Value),
}

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Node, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Node>()? {
                    out.push((k, v));
                }
                Ok(Node::Map(out))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<Node, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = s.next_element::<serde_json::Value>()? {
                    out.push(v);
                }
                Ok(Node::Leaf(serde_json::Value::Array(out)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
                Ok(Node::Leaf(v.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Leaf(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
                Ok(Node::Leaf(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
                Ok(Node::Leaf(v.into()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Leaf(v.into()))
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Leaf(serde_json::Value::Null))
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Leaf(serde_json::Value::Null))
            }
            fn visit_some<D2: serde::Deserializer<'de>>(self, d: D2) -> Result<Node, D2::Error> {
                <Node as serde::Deserialize<'de>>::deserialize(d)
            }
        }
        d.deserialize_any(V)
    }
}

/// A table whose every column is declared nullable, whatever the values in this batch: the
/// schema of a result table is then the same for every input (a column that happens to have
/// no null in one run does not change type in the next), which is what a documented, stable
/// schema needs.
pub fn nullable_batch<N: AsRef<str>>(
    columns: impl IntoIterator<Item = (N, arrow_array::ArrayRef)>,
) -> Result<RecordBatch, CoreError> {
    RecordBatch::try_from_iter_with_nullable(
        columns
            .into_iter()
            .map(|(n, a)| (n.as_ref().to_owned(), a, true)),
    )
    .map_err(|e| CoreError::Arrow(e.to_string()))
}
