//! The query parameters of the ORUK 3.0 list endpoints, parsed into a typed filter. Every
//! value is checked: a bad one is a 400 naming the parameter, never a panic or a silent default.
//! Unknown parameters are ignored, as clients of the standard add their own.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use uuid::Uuid;

use crate::problem::Problem;

/// Pagination and the filters of `/services` and `/service_at_locations`.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ListQuery {
    /// Page number, from 1.
    pub page: usize,
    /// Items per page (bounded).
    pub per_page: usize,
    /// Words that must all appear in the name, description or organisation's name.
    pub search: Vec<String>,
    /// Services with this taxonomy term.
    pub taxonomy_term_id: Option<Uuid>,
    /// Services with any term of this taxonomy.
    pub taxonomy_id: Option<Uuid>,
    /// Services whose minimum age is at least this.
    pub minimum_age: Option<f64>,
    /// Services whose maximum age is at most this.
    pub maximum_age: Option<f64>,
    /// Open on this day.
    pub day: Option<Weekday>,
    /// Open from this time or earlier (opening at or before it)…
    pub start_time: Option<NaiveTime>,
    /// …until this time or later.
    pub end_time: Option<NaiveTime>,
    /// Modified on or after this moment.
    pub modified_after: Option<NaiveDateTime>,
    /// Services of this organisation.
    pub organization_id: Option<Uuid>,
    /// Only `id` and `modified_date` of each service.
    pub minimal: bool,
    /// Fully nested items.
    pub full: bool,
    /// A postcode (for proximity).
    pub postcode: Option<String>,
    /// Metres from the postcode's centroid.
    pub proximity: Option<f64>,
}

/// The largest page number accepted (far beyond any register's last page, which answers empty).
pub const MAX_PAGE: usize = 1_000_000_000;

/// Paging limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// `per_page` when none is given.
    pub default_per_page: usize,
    /// The largest `per_page` served.
    pub max_per_page: usize,
}

impl Default for Paging {
    fn default() -> Self {
        Paging {
            default_per_page: 50,
            max_per_page: 1000,
        }
    }
}

fn boolean(name: &str, v: &str) -> Result<bool, Problem> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(Problem::bad_parameter(
            name,
            format!("{v:?} is not true or false"),
        )),
    }
}

fn uuid(name: &str, v: &str) -> Result<Uuid, Problem> {
    Uuid::parse_str(v.trim())
        .map_err(|_| Problem::bad_parameter(name, format!("{v:?} is not an id (a UUID)")))
}

fn number(name: &str, v: &str) -> Result<f64, Problem> {
    match v.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(Problem::bad_parameter(
            name,
            format!("{v:?} is not a number of 0 or more"),
        )),
    }
}

fn count(name: &str, v: &str, max: usize) -> Result<usize, Problem> {
    match v.trim().parse::<usize>() {
        Ok(x) if (1..=max).contains(&x) => Ok(x),
        _ => Err(Problem::bad_parameter(
            name,
            format!("{v:?} is not a whole number from 1 to {max}"),
        )),
    }
}

fn time(name: &str, v: &str) -> Result<NaiveTime, Problem> {
    let t = v.trim();
    NaiveTime::parse_from_str(t, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M"))
        .map_err(|_| {
            Problem::bad_parameter(name, format!("{v:?} is not a time (HH:MM or HH:MM:SS)"))
        })
}

fn weekday(name: &str, v: &str) -> Result<Weekday, Problem> {
    let d = v.trim().to_ascii_lowercase();
    let day = match d.as_str() {
        "mo" | "mon" | "monday" => Weekday::Mon,
        "tu" | "tue" | "tuesday" => Weekday::Tue,
        "we" | "wed" | "wednesday" => Weekday::Wed,
        "th" | "thu" | "thursday" => Weekday::Thu,
        "fr" | "fri" | "friday" => Weekday::Fri,
        "sa" | "sat" | "saturday" => Weekday::Sat,
        "su" | "sun" | "sunday" => Weekday::Sun,
        _ => {
            return Err(Problem::bad_parameter(
                name,
                format!("{v:?} is not a day (MO … SU, or its name)"),
            ));
        }
    };
    Ok(day)
}

fn moment(name: &str, v: &str) -> Result<NaiveDateTime, Problem> {
    let t = v.trim();
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(d.naive_utc());
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(t, f) {
            return Ok(d);
        }
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map(|d| d.and_time(NaiveTime::MIN))
        .map_err(|_| {
            Problem::bad_parameter(name, format!("{v:?} is not a date or date-time (RFC 3339)"))
        })
}

impl ListQuery {
    /// Whether no filter is set (paging and the item form aside).
    pub fn is_unfiltered(&self) -> bool {
        self.search.is_empty()
            && self.taxonomy_term_id.is_none()
            && self.taxonomy_id.is_none()
            && self.minimum_age.is_none()
            && self.maximum_age.is_none()
            && self.day.is_none()
            && self.start_time.is_none()
            && self.end_time.is_none()
            && self.modified_after.is_none()
            && self.organization_id.is_none()
    }

    /// Parses a raw query string (`a=1&b=2`, percent-encoded). The last of a repeated
    /// parameter counts.
    pub fn parse(raw: Option<&str>, paging: Paging) -> Result<Self, Problem> {
        let mut q = ListQuery {
            page: 1,
            per_page: paging.default_per_page,
            ..ListQuery::default()
        };
        for (name, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            let v = value.as_ref();
            // An empty value is a parameter not given (HTML forms send every field).
            if v.trim().is_empty() {
                continue;
            }
            match name.as_ref() {
                "page" => q.page = count("page", v, MAX_PAGE)?,
                "per_page" => q.per_page = count("per_page", v, paging.max_per_page)?,
                "search" => {
                    q.search = v.split_whitespace().map(str::to_lowercase).collect();
                }
                "taxonomy_term_id" => q.taxonomy_term_id = Some(uuid("taxonomy_term_id", v)?),
                "taxonomy_id" => q.taxonomy_id = Some(uuid("taxonomy_id", v)?),
                "organization_id" => q.organization_id = Some(uuid("organization_id", v)?),
                "minimum_age" => q.minimum_age = Some(number("minimum_age", v)?),
                "maximum_age" => q.maximum_age = Some(number("maximum_age", v)?),
                "day" => q.day = Some(weekday("day", v)?),
                "start_time" => q.start_time = Some(time("start_time", v)?),
                "end_time" => q.end_time = Some(time("end_time", v)?),
                "modified_after" => q.modified_after = Some(moment("modified_after", v)?),
                "minimal" => q.minimal = boolean("minimal", v)?,
                "full" | "full_service" => q.full = boolean(name.as_ref(), v)?,
                "postcode" => {
                    q.postcode = Some(
                        v.parse::<pcnkit_core::Postcode>()
                            .map_err(|e| Problem::bad_parameter("postcode", e))?
                            .to_string(),
                    );
                }
                "proximity" => q.proximity = Some(number("proximity", v)?),
                "format" if !v.eq_ignore_ascii_case("json") => {
                    return Err(Problem::bad_parameter("format", "only json is served"));
                }
                _ => {}
            }
        }
        if q.proximity.is_some() && q.postcode.is_none() {
            return Err(Problem::bad_parameter(
                "proximity",
                "needs a postcode to measure from",
            ));
        }
        if let (Some(a), Some(b)) = (q.start_time, q.end_time)
            && b < a
        {
            return Err(Problem::bad_parameter(
                "end_time",
                format!("{b} is before start_time {a}"),
            ));
        }
        Ok(q)
    }
}
