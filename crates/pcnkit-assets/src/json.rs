//! Reading JSON documents with the path of every value, so an error names exactly where it is
//! (`$.contents[3].schedules[0].opens_at`).

use serde_json::Value;

use crate::error::AssetError;

/// A JSON value and its path.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'a> {
    pub(crate) value: &'a Value,
    pub(crate) source: &'a str,
    path: &'a str,
    key: Step<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    Root,
    Field(&'a str),
    Index(usize),
}

impl<'a> At<'a> {
    pub(crate) fn root(value: &'a Value, source: &'a str) -> Self {
        At {
            value,
            source,
            path: "$",
            key: Step::Root,
        }
    }

    pub(crate) fn child_index(value: &'a Value, source: &'a str, path: &'a str, i: usize) -> Self {
        At {
            value,
            source,
            path,
            key: Step::Index(i),
        }
    }

    pub(crate) fn path(&self) -> String {
        match self.key {
            Step::Root => self.path.to_owned(),
            Step::Field(f) => format!("{}.{f}", self.path),
            Step::Index(i) => format!("{}[{i}]", self.path),
        }
    }

    pub(crate) fn error(&self, problem: impl Into<String>) -> AssetError {
        AssetError::Input {
            source_name: self.source.to_owned(),
            location: self.path(),
            problem: problem.into(),
        }
    }

    /// Runs `f` on the child `field` (if present and not null).
    pub(crate) fn field<T>(
        &self,
        field: &str,
        f: impl FnOnce(At<'_>) -> Result<T, AssetError>,
    ) -> Result<Option<T>, AssetError> {
        let Some(obj) = self.value.as_object() else {
            return Err(self.error("expected an object"));
        };
        match obj.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => {
                let path = self.path();
                let child = At {
                    value: v,
                    source: self.source,
                    path: &path,
                    key: Step::Field(field),
                };
                f(child).map(Some)
            }
        }
    }

    /// A required text field.
    pub(crate) fn req_str(&self, field: &str) -> Result<String, AssetError> {
        self.str(field)?.ok_or_else(|| AssetError::Input {
            source_name: self.source.to_owned(),
            location: format!("{}.{field}", self.path()),
            problem: "required field is missing".to_owned(),
        })
    }

    /// An optional text field (numbers are accepted and written as text).
    pub(crate) fn str(&self, field: &str) -> Result<Option<String>, AssetError> {
        self.field(field, |v| match v.value {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            _ => Err(v.error("expected text")),
        })
    }

    /// An optional non-empty text field (empty text is read as absent).
    pub(crate) fn text(&self, field: &str) -> Result<Option<String>, AssetError> {
        Ok(self.str(field)?.filter(|s| !s.trim().is_empty()))
    }

    /// An optional number field (numeric text is accepted).
    pub(crate) fn num(&self, field: &str) -> Result<Option<f64>, AssetError> {
        self.field(field, |v| match v.value {
            Value::Number(n) => n.as_f64().ok_or_else(|| v.error("number out of range")),
            Value::String(s) if s.trim().is_empty() => Ok(f64::NAN),
            Value::String(s) => s
                .trim()
                .parse()
                .map_err(|_| v.error(format!("{s:?} is not a number"))),
            _ => Err(v.error("expected a number")),
        })
        .map(|o| o.filter(|x| !x.is_nan()))
    }

    /// Runs `f` on every element of the array `field` (absent or null: none).
    pub(crate) fn each<T>(
        &self,
        field: &str,
        mut f: impl FnMut(At<'_>) -> Result<T, AssetError>,
    ) -> Result<Vec<T>, AssetError> {
        self.field(field, |v| {
            let Value::Array(items) = v.value else {
                return Err(v.error("expected an array"));
            };
            let path = v.path();
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    f(At {
                        value: item,
                        source: v.source,
                        path: &path,
                        key: Step::Index(i),
                    })
                })
                .collect()
        })
        .map(Option::unwrap_or_default)
    }

    /// Places a model error (which names a field) at this value's path.
    pub(crate) fn locate(&self, e: AssetError) -> AssetError {
        e.at(self.source, &self.path())
    }
}

/// Parses a document, naming the source on failure.
pub(crate) fn parse(text: &str, source: &str) -> Result<Value, AssetError> {
    serde_json::from_str(text).map_err(|e| AssetError::Json {
        source_name: source.to_owned(),
        problem: e.to_string(),
    })
}
