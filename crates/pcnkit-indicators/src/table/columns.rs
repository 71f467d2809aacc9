//! The output columns of a method written group by group, the bad-group rule, and the
//! standard column names and texts (R's).

use super::*;

/// The output columns of a method, written group by group.
pub(crate) struct Columns {
    pub(crate) value: Vec<Option<f64>>,
    pub(crate) lower: Vec<Vec<Option<f64>>>,
    pub(crate) upper: Vec<Vec<Option<f64>>>,
    pub(crate) method: Vec<Option<&'static str>>,
    /// Why a value is null (or how to read it). Mostly fixed texts; a bad group's own
    /// message (naming what is wrong with it) is owned.
    pub(crate) note: Vec<Option<Cow<'static, str>>>,
}

impl Columns {
    pub(crate) fn new(levels: usize, capacity: usize) -> Self {
        Columns {
            value: Vec::with_capacity(capacity),
            lower: (0..levels).map(|_| Vec::with_capacity(capacity)).collect(),
            upper: (0..levels).map(|_| Vec::with_capacity(capacity)).collect(),
            method: Vec::with_capacity(capacity),
            note: Vec::with_capacity(capacity),
        }
    }

    /// The columns: value, lower and upper limits per level, method, note.
    #[allow(clippy::type_complexity)]
    pub(crate) fn into_parts(
        self,
    ) -> (
        Vec<Option<f64>>,
        Vec<Vec<Option<f64>>>,
        Vec<Vec<Option<f64>>>,
        Vec<Option<&'static str>>,
        Vec<Option<Cow<'static, str>>>,
    ) {
        (self.value, self.lower, self.upper, self.method, self.note)
    }

    /// A group with no value: null value and limits, and why.
    pub(crate) fn null(&mut self, note: &'static str) {
        self.null_owned(Cow::Borrowed(note));
    }

    /// A group with no value, and a reason made for it (a bad group's error).
    pub(crate) fn null_owned(&mut self, note: impl Into<Cow<'static, str>>) {
        self.value.push(None);
        self.method.push(None);
        self.note.push(Some(note.into()));
        for (l, u) in self.lower.iter_mut().zip(&mut self.upper) {
            l.push(None);
            u.push(None);
        }
    }
}

impl Sink for Columns {
    fn point(&mut self, value: Option<f64>, method: Method, note: Option<&'static str>) {
        self.value.push(value);
        self.method.push(Some(method.as_str()));
        self.note.push(note.map(Cow::Borrowed));
    }

    fn limits(&mut self, level: usize, lower: Option<f64>, upper: Option<f64>) {
        if let (Some(l), Some(u)) = (self.lower.get_mut(level), self.upper.get_mut(level)) {
            l.push(lower);
            u.push(upper);
        }
    }
}

/// The rule on bad groups (see the crate docs): a group whose data is wrong gets nulls and
/// the reason, but when no group could be computed for such a reason the input is wrong for
/// every group, and that is an error naming the first.
pub(crate) fn every_group_bad(
    bad: &[Option<String>],
    grouping: &Grouping,
    batches: &[RecordBatch],
    group_by: &[&str],
) -> Result<(), IndicatorError> {
    if bad.is_empty() || bad.iter().any(Option::is_none) {
        return Ok(());
    }
    let first = bad.first().cloned().flatten().unwrap_or_default();
    Err(IndicatorError::Invalid(format!(
        "no group could be computed: {first} (in {}{})",
        grouping.describe(batches, group_by, 0),
        if bad.len() > 1 {
            ", the first of them"
        } else {
            ""
        }
    )))
}

/// A group's data error as its note: the problem without the error's framing.
pub(crate) fn group_problem(e: &IndicatorError) -> String {
    match e {
        IndicatorError::Invalid(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The `note` column.
pub(crate) fn note_array(notes: Vec<Option<Cow<'static, str>>>) -> ArrayRef {
    Arc::new(notes.iter().map(|n| n.as_deref()).collect::<StringArray>())
}

/// A text column of one repeated value, built without a string per row.
pub(crate) fn repeated(text: &str, n: usize) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(std::iter::repeat_n(text, n)))
}

/// The names of the limit columns for level `i` of `levels`.
pub(crate) fn limit_names(levels: &[Confidence], i: usize, prefix: &str) -> (String, String) {
    match levels.get(i) {
        Some(level) if levels.len() > 1 => (
            format!("{prefix}lower{}cl", level.label()),
            format!("{prefix}upper{}cl", level.label()),
        ),
        _ => (format!("{prefix}lowercl"), format!("{prefix}uppercl")),
    }
}

/// The confidence column's text: `95%, 99.8%`.
pub(crate) fn confidence_text(levels: &[Confidence]) -> String {
    if levels.is_empty() {
        // No interval was asked for (R's `confidence = NULL`).
        return "none".to_owned();
    }
    levels
        .iter()
        .map(|c| c.percent())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn batch(columns: Vec<(Field, ArrayRef)>) -> Result<RecordBatch, IndicatorError> {
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = columns.into_iter().unzip();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .map_err(|e| IndicatorError::Arrow(e.to_string()))
}

pub(crate) fn finish(
    mut columns: Vec<(Field, ArrayRef)>,
    inputs: Vec<(&str, Vec<Option<f64>>)>,
    out: Columns,
    levels: &[Confidence],
    statistic: String,
) -> Result<RecordBatch, IndicatorError> {
    for (name, values) in inputs {
        columns.push((
            Field::new(name, DataType::Float64, true),
            Arc::new(Float64Array::from(values)),
        ));
    }
    let n = out.value.len();
    columns.push((
        Field::new("value", DataType::Float64, true),
        Arc::new(Float64Array::from(out.value)),
    ));
    for (i, (lower, upper)) in out.lower.into_iter().zip(out.upper).enumerate() {
        let (lo, hi) = limit_names(levels, i, "");
        columns.push((
            Field::new(lo, DataType::Float64, true),
            Arc::new(Float64Array::from(lower)),
        ));
        columns.push((
            Field::new(hi, DataType::Float64, true),
            Arc::new(Float64Array::from(upper)),
        ));
    }
    columns.push((
        Field::new("confidence", DataType::Utf8, false),
        repeated(&confidence_text(levels), n),
    ));
    columns.push((
        Field::new("statistic", DataType::Utf8, false),
        repeated(&statistic, n),
    ));
    columns.push((
        Field::new("method", DataType::Utf8, true),
        Arc::new(StringArray::from(out.method)),
    ));
    columns.push((
        Field::new("note", DataType::Utf8, true),
        note_array(out.note),
    ));
    batch(columns)
}

pub(crate) fn describe_multiplier(m: f64) -> String {
    if m.fract() == 0.0 && m.abs() < 1e15 {
        format!("{}", m as i64)
    } else {
        m.to_string()
    }
}
