//! An ICB's Local Variation Arrangement over a year's national rules (from 2026/27): the file
//! format, and how it is applied and checked.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcnkit_core::FinancialYear;
use serde::{Deserialize, Serialize};

use super::{Payment, Pool, RoleInfo, RoleRules, RuleBook, Source, parse};
use crate::error::ArrsError;

/// Which local variation a year's rules carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalVariationInfo {
    /// The arrangement's name, e.g. "Kent and Medway Single Neighbourhood Health offer".
    pub name: String,
    /// The ICB that agreed it with NHS England.
    pub icb: String,
    /// From when it applies (a Local Variation Arrangement can start from 1 May 2026).
    pub effective_from: Option<NaiveDate>,
    /// Keys into the source list: the agreement, or reports of it.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// An ICB's Local Variation Arrangement as a user rule file: the national rules of `year`, with
/// the pools, roles and payments given here replacing those of the same id, or added.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LocalVariationFile {
    year: FinancialYear,
    variation: LocalVariationInfo,
    #[serde(default)]
    pools: Vec<Pool>,
    #[serde(default)]
    roles: Vec<RoleRules>,
    #[serde(default)]
    payments: Vec<Payment>,
    #[serde(default)]
    new_roles: BTreeMap<String, RoleInfo>,
    #[serde(default)]
    sources: BTreeMap<String, Source>,
}

/// The payment a Local Variation Arrangement cannot change: the Investment and Impact Fund
/// (DES 2026/27 section 10 outside 10.1-10.5; S: DR Solicitors, "Creating a Single
/// Neighbourhood Contract via the PCN DES", May 2026).
const NOT_LOCALLY_VARIABLE: [&str; 1] = ["iif_point_value"];

impl RuleBook {
    /// This book with an ICB's Local Variation Arrangement applied to a year's national rules:
    /// the file names the year and the arrangement (`[variation]`: name, ICB, from when,
    /// sources) and gives the pools, roles and payments it varies or adds, in the year-file
    /// format, with the ICB's figures marked `confidence = "Local"`. The varied year is checked
    /// as a whole, as a year file is; the Investment and Impact Fund cannot be varied. See
    /// `crates/pcnkit-arrs/examples/local-variation-2026-27.toml`.
    pub fn with_local_variation(mut self, file: &str, text: &str) -> Result<RuleBook, ArrsError> {
        self.check()?;
        let lva: LocalVariationFile = parse(file, text)?;
        let err = |path: String, message: String| ArrsError::InvalidRules {
            file: file.to_owned(),
            path,
            message,
        };
        let mut set = self.years.get(&lva.year).cloned().ok_or_else(|| {
            err(
                "year".to_owned(),
                format!("no national rules for {}", lva.year),
            )
        })?;
        if let Some(old) = &set.local_variation {
            return Err(err(
                "variation".to_owned(),
                format!("{} already carries the variation {}", lva.year, old.name),
            ));
        }
        if let Some(d) = lva.variation.effective_from
            && !lva.year.contains(d)
        {
            return Err(err(
                "variation.effective_from".to_owned(),
                format!("{d} is outside {}", lva.year),
            ));
        }
        for (i, p) in lva.payments.iter().enumerate() {
            if NOT_LOCALLY_VARIABLE.contains(&p.id.as_str()) {
                return Err(err(
                    format!("payments[{i}] ({})", p.id),
                    "the Investment and Impact Fund cannot be varied locally".to_owned(),
                ));
            }
        }
        fn replace_or_add<T>(list: &mut Vec<T>, items: Vec<T>, id: impl Fn(&T) -> &str) {
            for item in items {
                match list.iter().position(|x| id(x) == id(&item)) {
                    Some(i) => {
                        if let Some(slot) = list.get_mut(i) {
                            *slot = item;
                        }
                    }
                    None => list.push(item),
                }
            }
        }
        replace_or_add(&mut set.pools, lva.pools, |p| &p.id);
        replace_or_add(&mut set.roles, lva.roles, |r| &r.id);
        replace_or_add(&mut set.payments, lva.payments, |p| &p.id);
        self.sources
            .extend(lva.sources.iter().map(|(k, v)| (k.clone(), v.clone())));
        for (id, info) in &lva.new_roles {
            self.roles.insert(id.clone(), info.clone());
        }
        for k in &lva.variation.sources {
            if !self.sources.contains_key(k) {
                return Err(err(
                    "variation.sources".to_owned(),
                    format!("unknown source `{k}`"),
                ));
            }
        }
        set.local_variation = Some(lva.variation);
        self.validate(file, &set)?;
        self.years.insert(set.year, set);
        Ok(self)
    }
}
