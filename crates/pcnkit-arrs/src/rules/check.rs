//! The checks every rule file passes, built-in or a user's: every figure with an amount has a
//! confidence mark and known sources, an absent figure a note, dates fall in the year, a cap
//! for large PCNs comes with the large-PCN size.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Figure, Per, RuleBook, RuleSet};
use crate::error::ArrsError;

impl RuleBook {
    /// Checks a year's rules against the book's roles and sources; the error names the file
    /// and the place in it.
    pub(super) fn validate(&self, file: &str, set: &RuleSet) -> Result<(), ArrsError> {
        let err = |path: String, message: String| ArrsError::InvalidRules {
            file: file.to_owned(),
            path,
            message,
        };
        let check_figure = |path: String, f: &Figure| -> Result<(), ArrsError> {
            match f.amount {
                Some(a) if a.is_sign_negative() => {
                    Err(err(path, "a figure cannot be negative".to_owned()))
                }
                Some(_) if f.confidence.is_none() => {
                    Err(err(path, "a figure needs a confidence mark".to_owned()))
                }
                Some(_) if f.sources.is_empty() => {
                    Err(err(path, "a figure needs at least one source".to_owned()))
                }
                None if f.note.is_none() => Err(err(
                    path,
                    "an absent figure needs a note saying why".to_owned(),
                )),
                _ => f.sources.iter().try_for_each(|k| {
                    if self.sources.contains_key(k) {
                        Ok(())
                    } else {
                        Err(err(path.clone(), format!("unknown source `{k}`")))
                    }
                }),
            }
        };
        let in_year = |path: String, d: NaiveDate| {
            if set.year.contains(d) {
                Ok(())
            } else {
                Err(err(path, format!("{d} is outside {}", set.year)))
            }
        };
        for (name, d) in [
            ("snapshot", &set.snapshot),
            ("additionality", &set.additionality),
        ] {
            let f = d.as_figure();
            if d.date.is_some() && (f.confidence.is_none() || f.sources.is_empty()) {
                return Err(err(
                    name.to_owned(),
                    "a date needs a confidence mark and at least one source".to_owned(),
                ));
            }
            // Dated: its sources must exist; absent: it needs a note saying why.
            check_figure(
                name.to_owned(),
                &Figure {
                    amount: d.date.map(|_| Decimal::ZERO),
                    ..f
                },
            )?;
        }
        check_figure(
            "underspend".to_owned(),
            &Figure {
                amount: None,
                confidence: set.underspend.confidence,
                sources: set.underspend.sources.clone(),
                note: set.underspend.note.clone(),
            },
        )?;
        if let Some(f) = &set.large_pcn {
            check_figure("large_pcn".to_owned(), f)?;
        }
        let large_caps = set
            .roles
            .iter()
            .any(|r| r.caps.iter().any(|c| c.max_wte_large.is_some()));
        if large_caps && set.large_pcn.is_none() {
            return Err(err(
                "large_pcn".to_owned(),
                "a cap has max_wte_large, so the year needs the large_pcn list size".to_owned(),
            ));
        }
        for (i, pool) in set.pools.iter().enumerate() {
            for (j, rate) in pool.rates.iter().enumerate() {
                check_figure(format!("pools[{i}].rates[{j}]"), &rate.figure())?;
            }
        }
        if let Some(p) = &set.default_percent {
            check_figure("default_percent".to_owned(), p)?;
        }
        for (i, role) in set.roles.iter().enumerate() {
            let path = format!("roles[{i}] ({})", role.id);
            let info = self
                .roles
                .get(&role.id)
                .ok_or_else(|| err(path.clone(), format!("unknown role `{}`", role.id)))?;
            if set.pool(&role.pool).is_none() {
                return Err(err(path, format!("unknown pool `{}`", role.pool)));
            }
            match set.percent(role) {
                None => {
                    return Err(err(
                        path,
                        "no reimbursement percentage (and no default_percent)".to_owned(),
                    ));
                }
                Some(p) => {
                    check_figure(format!("{path}.percent"), p)?;
                    if p.amount
                        .is_some_and(|a| a <= Decimal::ZERO || a > Decimal::ONE_HUNDRED)
                    {
                        return Err(err(
                            path,
                            "a percentage must be above 0 and at most 100".to_owned(),
                        ));
                    }
                }
            }
            let mut previous: Option<NaiveDate> = None;
            for (j, m) in role.maxima.iter().enumerate() {
                let mpath = format!("{path}.maxima[{j}]");
                in_year(mpath.clone(), m.effective_from)?;
                if m.effective_from < info.first_reimbursable.date
                    && info.first_reimbursable.date > set.year.first_day()
                {
                    return Err(err(
                        mpath,
                        format!(
                            "the role is only reimbursable from {}",
                            info.first_reimbursable.date
                        ),
                    ));
                }
                if previous.is_some_and(|p| p >= m.effective_from) {
                    return Err(err(mpath, "maxima must be in date order".to_owned()));
                }
                previous = Some(m.effective_from);
                check_figure(format!("{mpath}.national"), &m.national)?;
                for f in [&m.outer_london, &m.inner_london, &m.london]
                    .into_iter()
                    .flatten()
                {
                    check_figure(mpath.clone(), f)?;
                }
            }
            for (j, c) in role.caps.iter().enumerate() {
                let cpath = format!("{path}.caps[{j}]");
                for f in std::iter::once(&c.max_wte).chain(c.max_wte_large.as_ref()) {
                    check_figure(cpath.clone(), f)?;
                    if f.amount.is_some_and(|a| a <= Decimal::ZERO) {
                        return Err(err(cpath, "a WTE cap must be positive".to_owned()));
                    }
                }
            }
        }
        for (i, payment) in set.payments.iter().enumerate() {
            for (j, rate) in payment.rates.iter().enumerate() {
                let rpath = format!("payments[{i}] ({}).rates[{j}]", payment.id);
                check_figure(rpath.clone(), &rate.figure())?;
                for d in [rate.effective_from, rate.effective_to]
                    .into_iter()
                    .flatten()
                {
                    in_year(rpath.clone(), d)?;
                }
                if rate.per == Per::Period
                    && (rate.effective_from.is_none() || rate.effective_to.is_none())
                {
                    return Err(err(
                        rpath,
                        "a per-period rate needs effective_from and effective_to".to_owned(),
                    ));
                }
            }
        }
        Ok(())
    }
}
