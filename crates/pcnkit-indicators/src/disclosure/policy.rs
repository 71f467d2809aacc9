//! The policies, built in from data or made by the caller.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::error::IndicatorError;

/// How sure the source of a policy is: the publisher's own statement, or a secondary copy or
/// the publisher's tooling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub enum PolicyConfidence {
    /// The publisher's own page.
    Primary,
    /// A public copy of it, or the publisher's tooling.
    Secondary,
    /// The caller's own thresholds.
    Local,
}

/// A small-number disclosure control policy.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Policy {
    /// Its name (`nhs-england`, `opensafely`, `custom:1-7:5`).
    pub name: String,
    /// What it is.
    pub title: String,
    /// The smallest count suppressed.
    pub suppress_from: u64,
    /// The largest count suppressed.
    pub suppress_to: u64,
    /// Released counts are rounded to the nearest multiple of this (halves up); `None` keeps
    /// them as they are.
    pub rounding_base: Option<u64>,
    /// National figures are released as they are.
    pub national_exempt: bool,
    /// Standardised rates and their intervals are released as they are.
    pub standardised_exempt: bool,
    /// How sure its source is.
    pub confidence: PolicyConfidence,
    /// The documents it rests on, and what they say.
    pub source: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    policies: BTreeMap<String, PolicyEntry>,
    sources: BTreeMap<String, SourceEntry>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyEntry {
    title: String,
    suppress: [u64; 2],
    rounding_base: Option<u64>,
    national_exempt: bool,
    standardised_exempt: bool,
    confidence: String,
    sources: Vec<String>,
    note: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceEntry {
    title: String,
    url: Option<String>,
}

const FILE: &str = "data/disclosure-policies.toml";

fn load() -> Result<Vec<Policy>, IndicatorError> {
    let bad = |m: String| IndicatorError::Invalid(format!("{FILE}: {m}"));
    let file: PolicyFile = toml::from_str(include_str!("../../data/disclosure-policies.toml"))
        .map_err(|e| bad(e.to_string()))?;
    let mut out = Vec::new();
    for (name, p) in file.policies {
        let cited = p
            .sources
            .iter()
            .map(|k| {
                file.sources
                    .get(k)
                    .map(|s| match &s.url {
                        Some(u) => format!("{}, {u}", s.title),
                        None => s.title.clone(),
                    })
                    .ok_or_else(|| bad(format!("{name}: unknown source {k}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let confidence = match p.confidence.as_str() {
            "P" => PolicyConfidence::Primary,
            "S" => PolicyConfidence::Secondary,
            other => return Err(bad(format!("{name}: confidence {other}: P or S"))),
        };
        if cited.is_empty() || p.suppress[0] > p.suppress[1] || p.rounding_base == Some(0) {
            return Err(bad(format!(
                "{name}: a policy needs a source, a range from low to high and a positive base"
            )));
        }
        out.push(Policy {
            title: p.title,
            suppress_from: p.suppress[0],
            suppress_to: p.suppress[1],
            rounding_base: p.rounding_base,
            national_exempt: p.national_exempt,
            standardised_exempt: p.standardised_exempt,
            confidence,
            source: format!("{} ({}: {})", p.note, p.confidence, cited.join("; ")),
            name,
        });
    }
    Ok(out)
}

fn builtins() -> Result<&'static [Policy], IndicatorError> {
    static POLICIES: OnceLock<Result<Vec<Policy>, IndicatorError>> = OnceLock::new();
    POLICIES
        .get_or_init(load)
        .as_ref()
        .map(Vec::as_slice)
        .map_err(Clone::clone)
}

impl Policy {
    /// Every built-in policy (`nhs-england`, `opensafely`), from the crate's data file. The
    /// tests load it, so a released build always has them.
    pub fn builtins() -> Result<&'static [Policy], IndicatorError> {
        builtins()
    }

    /// A built-in policy by name.
    pub fn builtin(name: &str) -> Result<Policy, IndicatorError> {
        builtins()?
            .iter()
            .find(|p| p.name == name)
            .cloned()
            .ok_or_else(|| {
                IndicatorError::Invalid(format!(
                    "no disclosure policy {name:?}: nhs-england, opensafely or custom:MIN-MAX:BASE"
                ))
            })
    }

    /// The caller's own policy: counts `from..=to` suppressed, the others rounded to `base`
    /// (none: kept), nothing exempt.
    pub fn custom(from: u64, to: u64, base: Option<u64>) -> Result<Policy, IndicatorError> {
        if from > to || base == Some(0) {
            return Err(IndicatorError::Invalid(format!(
                "custom disclosure policy: suppress {from} to {to}, round to {base:?}: the range must run from low to high and the base be positive"
            )));
        }
        Ok(Policy {
            name: format!(
                "custom:{from}-{to}:{}",
                base.map_or_else(|| "none".to_owned(), |b| b.to_string())
            ),
            title: "the user's own thresholds".to_owned(),
            suppress_from: from,
            suppress_to: to,
            rounding_base: base,
            national_exempt: false,
            standardised_exempt: false,
            confidence: PolicyConfidence::Local,
            source: "given by the user".to_owned(),
        })
    }

    /// Whether a count is suppressed.
    pub fn suppresses(&self, count: u64) -> bool {
        (self.suppress_from..=self.suppress_to).contains(&count)
    }

    /// A released count as published: rounded to the nearest multiple of the base, halves up.
    pub fn round(&self, count: u64) -> u64 {
        match self.rounding_base {
            Some(b) => {
                let down = count - count % b;
                // Halves up; a count so large that rounding up overflows stays rounded down.
                if (count % b) * 2 >= b {
                    down.checked_add(b).unwrap_or(down)
                } else {
                    down
                }
            }
            None => count,
        }
    }
}

impl std::str::FromStr for Policy {
    type Err = IndicatorError;
    /// `nhs-england`, `opensafely`, or `custom:MIN-MAX:BASE` (`BASE` may be `none`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let Some(rest) = s.strip_prefix("custom:") else {
            return Policy::builtin(&s.to_ascii_lowercase().replace('_', "-"));
        };
        let bad = || {
            IndicatorError::Invalid(format!(
                "disclosure policy {s:?}: custom:MIN-MAX:BASE, e.g. custom:1-9:10 or custom:1-4:none"
            ))
        };
        let (range, base) = rest.split_once(':').ok_or_else(bad)?;
        let (from, to) = range.split_once('-').ok_or_else(bad)?;
        let from: u64 = from.trim().parse().map_err(|_| bad())?;
        let to: u64 = to.trim().parse().map_err(|_| bad())?;
        let base = match base.trim() {
            "none" => None,
            b => Some(b.parse::<u64>().map_err(|_| bad())?),
        };
        Policy::custom(from, to, base)
    }
}
