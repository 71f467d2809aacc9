//! A method's options, an R list, as the JSON value the library's request reads.
//!
//! A length-one vector is a scalar unless it is marked `I()` (`AsIs`): the R layer marks the
//! options that are lists (`group_by`, `confidence`, `ages`, …), since R cannot tell `0.95`
//! from `c(0.95)`. `NULL` and `NA` are absent (the library's default). Whole doubles become
//! integers, so `nquantiles = 5` reads as the count it is.

use extendr_api::prelude::*;
use serde_json::{Map, Value};

use crate::failure::Failure;

fn number(x: f64) -> Value {
    if x.is_nan() {
        return Value::Null;
    }
    #[allow(clippy::cast_possible_truncation)]
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        return Value::from(x as i64);
    }
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

fn elements(r: &Robj) -> Result<Vec<Value>, Failure> {
    Ok(match r.rtype() {
        Rtype::Null => Vec::new(),
        Rtype::Doubles => r
            .as_real_slice()
            .unwrap_or_default()
            .iter()
            .map(|x| number(*x))
            .collect(),
        Rtype::Integers => r
            .as_integer_slice()
            .unwrap_or_default()
            .iter()
            .map(|x| {
                if *x == i32::MIN {
                    Value::Null
                } else {
                    Value::from(*x)
                }
            })
            .collect(),
        Rtype::Logicals => r
            .as_logical_slice()
            .unwrap_or_default()
            .iter()
            .map(|b| {
                if b.is_na() {
                    Value::Null
                } else {
                    Value::Bool(b.is_true())
                }
            })
            .collect(),
        Rtype::Strings => Strings::try_from(r.clone())
            .map_err(|e| Failure::Argument(e.to_string()))?
            .iter()
            .map(|s| {
                if s.is_na() {
                    Value::Null
                } else {
                    Value::from(&**s)
                }
            })
            .collect(),
        Rtype::List => {
            let list = List::try_from(r.clone()).map_err(|e| Failure::Argument(e.to_string()))?;
            list.values()
                .map(|v| json_of(&v))
                .collect::<Result<_, _>>()?
        }
        other => {
            return Err(Failure::Argument(format!(
                "an option of R type {other:?}: give numbers, text, logicals or lists"
            )));
        }
    })
}

/// One R value as JSON.
fn json_of(r: &Robj) -> Result<Value, Failure> {
    if r.rtype() == Rtype::List && r.names().is_some() {
        let list = List::try_from(r.clone()).map_err(|e| Failure::Argument(e.to_string()))?;
        return json_of_list(&list);
    }
    let items = elements(r)?;
    if r.inherits("AsIs") || r.rtype() == Rtype::List || items.len() != 1 {
        if r.rtype() == Rtype::Null {
            return Ok(Value::Null);
        }
        return Ok(Value::Array(items));
    }
    Ok(items.into_iter().next().unwrap_or(Value::Null))
}

/// A named list as a JSON object, without its `NULL` and `NA` entries.
pub(crate) fn json_of_list(list: &List) -> Result<Value, Failure> {
    let mut out = Map::new();
    for (name, value) in list.iter() {
        if name.is_empty() || name == "NA" {
            return Err(Failure::Argument(
                "options: every option is named".to_owned(),
            ));
        }
        let v = json_of(&value)?;
        if !v.is_null() {
            out.insert(name.to_owned(), v);
        }
    }
    Ok(Value::Object(out))
}
