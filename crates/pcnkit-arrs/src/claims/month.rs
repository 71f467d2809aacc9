//! One member of staff's claim for one month, then the entitlement cap over a pool's lines.

use std::collections::BTreeMap;
use std::sync::Arc;

use pcnkit_core::{Money, MoneyTotal, Month, Period, Rounding};
use rust_decimal::Decimal;

use super::staff::{Area, Eligible};
use super::{ClaimLine, Finding, Found, PoolUse, Severity, Trace};
use crate::entitlement::Entitlement;
use crate::error::ArrsError;
use crate::rules::{CapAppliesTo, Figure, Maximum, RuleBook, RuleSet};

pub(super) fn penny(m: Money) -> Money {
    m.round_to_penny(Rounding::HalfUp)
}

fn area_figure(m: &Maximum, area: Area) -> (&Figure, Option<&'static str>) {
    match area {
        Area::National => (&m.national, None),
        Area::OuterLondon => m.outer_london.as_ref().or(m.london.as_ref()).map_or(
            (
                &m.national,
                Some("no outer London maximum found: the national maximum is used"),
            ),
            |f| (f, None),
        ),
        Area::InnerLondon => m.inner_london.as_ref().or(m.london.as_ref()).map_or(
            (
                &m.national,
                Some("no inner London maximum found: the national maximum is used"),
            ),
            |f| (f, None),
        ),
    }
}

/// What every line of one claims run shares.
pub(super) struct MonthContext<'a> {
    pub(super) book: &'a RuleBook,
    pub(super) set: &'a RuleSet,
    pub(super) days_in_year: Decimal,
    /// The registered list size from which a PCN is large for role caps (`None`: the year
    /// has none, or it was not found).
    pub(super) large_from: Option<Decimal>,
    /// The PCN's registered list size, if given.
    pub(super) registered: Option<Decimal>,
    /// Keep the explain trace.
    pub(super) explain: bool,
}

/// One member of staff's claim for one month (given with its days, worked out once per month
/// for every line). `used_wte` carries each role's WTE claimed so far this month (for the
/// role caps).
pub(super) fn month_line<'a>(
    ctx: &MonthContext<'_>,
    e: &mut Eligible<'a>,
    (month, month_days): (Month, &Period),
    used_wte: &mut BTreeMap<&'a str, Decimal>,
    findings: &mut Found,
) -> Result<ClaimLine, ArrsError> {
    let MonthContext {
        book,
        set,
        days_in_year,
        large_from,
        registered,
        explain,
    } = *ctx;
    let s = e.staff;
    let in_post = e.period.intersection(month_days);
    let month_last_day = month_days
        .end_inclusive()
        .unwrap_or_else(|| month.last_day());
    let days = in_post.and_then(|p| p.days()).unwrap_or(0);
    let cost = e.pro_rata.cost(s.annual_cost, days, days_in_year)?;
    let mut trace = Trace::new(explain);
    trace.push(|| {
        format!(
            "{} in post {} of {} days in {month}: cost £{} × {days}/{days_in_year} = {}",
            s.id,
            days,
            month.days(),
            s.annual_cost.pounds().normalize(),
            penny(cost)
        )
    });
    let mut line = ClaimLine {
        staff: Arc::clone(&e.ids.staff),
        role: Arc::clone(&e.ids.role),
        pool: Arc::clone(&e.ids.pool),
        month,
        days,
        cost,
        maximum: None,
        claim: Some(Money::ZERO),
        unknown: None,
        claim_at_most: None,
        trace: None,
    };
    let claimable = match (in_post, e.claimable_from) {
        (Some(p), Some(from)) => p.intersection(&Period::starting(from)),
        _ => None,
    };
    let Some(claimable) = claimable else {
        trace.push(|| match &e.reason {
            Some(r) => format!("claim £0: {r}"),
            None => "claim £0: no reimbursable days this month".to_owned(),
        });
        line.trace = trace.into_steps();
        return Ok(line);
    };
    // Role WTE cap.
    let cap = e
        .role
        .caps
        .iter()
        .rev()
        .find(|c| c.effective_from.is_none_or(|d| d <= month_last_day));
    let mut wte = s.wte.value();
    if let Some(cap) = cap {
        // Which cap applies, and (for the words) which size of PCN it is for.
        let size = |large: bool| match large_from {
            Some(t) if large => format!(
                "PCN of {} or more",
                pcnkit_core::group_thousands(&t.normalize().to_string())
            ),
            Some(t) => format!(
                "PCN below {}",
                pcnkit_core::group_thousands(&t.normalize().to_string())
            ),
            None => "large-PCN list size not in the rules".to_owned(),
        };
        let large = match (large_from, registered) {
            (Some(t), Some(r)) => Some(r >= t),
            _ => None,
        };
        let (figure, large) =
            match (&cap.max_wte_large, large) {
                (Some(f), Some(true)) => (f, true),
                (Some(_), None) => {
                    findings.push_in(
                    Finding::new(
                        "arrs.role_cap",
                        Severity::Warning,
                        if large_from.is_none() {
                            "the rules give no large-PCN list size: the smaller WTE cap is applied"
                                .to_owned()
                        } else {
                            "registered list size not given: the smaller WTE cap is applied"
                                .to_owned()
                        },
                    )
                    .about(format!("staff {}", s.id)), month);
                    (&cap.max_wte, false)
                }
                _ => (&cap.max_wte, false),
            };
        if let Some(limit) = figure.amount {
            let used = used_wte.entry(s.role.as_str()).or_insert(Decimal::ZERO);
            let allowed = (limit - *used).max(Decimal::ZERO).min(wte);
            *used += wte;
            if allowed < wte {
                findings.push_in(Finding::new("arrs.role_cap", Severity::Warning, format!(
                        "role cap of {limit} WTE ({}) reached: {allowed} of {wte} WTE claimable",
                        size(large)
                    ))
.about(format!("staff {}", s.id)), month);
                trace.push(|| {
                    format!(
                        "role cap {limit} WTE ({}; {}): claimable WTE {allowed} of {wte}",
                        size(large),
                        book.provenance(figure)
                    )
                });
            }
            wte = allowed;
        }
    }
    // Maxima in force on each claimable day, day-weighted.
    let mut maximum = Money::ZERO;
    let mut maximum_parts = 0u32;
    let mut day = claimable.start();
    let last = claimable.end_inclusive().unwrap_or(month_last_day);
    let percent_figure = set.percent(e.role);
    while day <= last {
        let Some(entry) = set.maximum_on(e.role, day) else {
            findings.push_in(
                Finding::new(
                    "arrs.figure_not_found",
                    Severity::Warning,
                    format!(
                        "no maximum in the {} rules for {} on {day}",
                        set.year, s.role
                    ),
                )
                .about(format!("staff {}", s.id)),
                month,
            );
            trace.push(|| {
                format!(
                    "no maximum in the {} rules for {} on {day}: claim unknown",
                    set.year, s.role
                )
            });
            line.claim = None;
            line.unknown = Some(format!("no maximum in the rules for {day}"));
            break;
        };
        let next_change = e
            .role
            .maxima
            .iter()
            .map(|m| m.effective_from)
            .find(|d| *d > day);
        let seg_end = next_change
            .and_then(|d| d.pred_opt())
            .map_or(last, |d| d.min(last));
        // Within one month, so at most 31 (and never negative: seg_end ≥ day).
        let seg_days = u32::try_from((seg_end - day).num_days() + 1).map_err(|_| {
            ArrsError::Invalid(format!(
                "a claim segment from {day} to {seg_end} has no days"
            ))
        })?;
        let (figure, fallback) = area_figure(entry, s.area);
        if let Some(note) = fallback {
            findings.push_in(
                Finding::new("arrs.london_weighting", Severity::Warning, note.to_owned())
                    .about(format!("staff {}", s.id)),
                month,
            );
        }
        match figure.amount {
            None => {
                let note = figure.note.as_deref().unwrap_or("NF");
                findings.push_in(
                    Finding::new(
                        "arrs.figure_not_found",
                        Severity::Warning,
                        format!(
                            "maximum for {} from {} not found ({note}): claim not worked out",
                            s.role, entry.effective_from
                        ),
                    )
                    .about(format!("staff {}", s.id)),
                    month,
                );
                trace.push(|| {
                    format!(
                        "maximum from {} not found in the sources ({note})",
                        entry.effective_from
                    )
                });
                line.claim = None;
                line.unknown = Some(format!(
                    "maximum from {} not found in the sources ({note})",
                    entry.effective_from
                ));
            }
            Some(annual) => {
                let part = e.pro_rata.part(annual, wte, seg_days, days_in_year)?;
                trace.push(|| format!(
                    "maximum £{annual} per WTE from {} × {wte} WTE × {seg_days}/{days_in_year} days = {} [{}]",
                    entry.effective_from,
                    penny(part),
                    book.provenance(figure)
                ));
                // The first segment is the maximum so far (adding it to zero would give the
                // same value at the cost of a rescale).
                maximum = if maximum_parts == 0 {
                    part
                } else {
                    maximum.checked_add(part)?
                };
                maximum_parts += 1;
            }
        }
        let Some(next) = seg_end.succ_opt() else {
            break;
        };
        day = next;
    }
    let claimable_days = claimable.days().unwrap_or(0);
    // Usually every day in post is claimable: the cost is then the one worked out above (the
    // same product and quotient, so the same value; skipping it saves a decimal division).
    let claimable_cost = if claimable_days == days {
        cost
    } else {
        e.pro_rata
            .cost(s.annual_cost, claimable_days, days_in_year)?
    };
    let cost_for_wte = if wte == s.wte.value() {
        claimable_cost
    } else {
        claimable_cost
            .checked_mul(wte)?
            .checked_div(s.wte.value())?
    };
    let percent = percent_figure.and_then(|f| f.amount);
    if line.claim.is_some() {
        line.maximum = Some(maximum);
        match percent {
            None => {
                trace
                    .push(|| "reimbursement percentage not found: claim not worked out".to_owned());
                line.claim = None;
                line.unknown = Some("reimbursement percentage not found in the sources".to_owned());
            }
            Some(p) => {
                let claim = match e.role.cap_applies_to {
                    CapAppliesTo::Cost => percent_of(cost_for_wte.min(maximum), p)?,
                    CapAppliesTo::Reimbursement => percent_of(cost_for_wte, p)?.min(maximum),
                };
                trace.push(|| {
                    let provenance = percent_figure
                        .map(|f| book.provenance(f).to_string())
                        .unwrap_or_default();
                    match e.role.cap_applies_to {
                        CapAppliesTo::Cost => format!(
                            "claim = min(cost {}, maximum {}) × {p}% = {} [{provenance}]",
                            penny(cost_for_wte),
                            penny(maximum),
                            penny(claim)
                        ),
                        CapAppliesTo::Reimbursement => format!(
                            "claim = min(cost {} × {p}%, maximum {}) = {} [{provenance}]",
                            penny(cost_for_wte),
                            penny(maximum),
                            penny(claim)
                        ),
                    }
                });
                line.claim = Some(claim);
            }
        }
    }
    // Whether the post is reimbursable at all comes before any figure of its claim.
    if let Some(why) = &e.unknown {
        trace.push(|| format!("{why}: claim unknown"));
        line.claim = None;
        line.unknown = Some(why.clone());
    }
    if line.claim.is_none() {
        // Whatever the missing figure, a claim never exceeds the cost of the claimable WTE at
        // the reimbursement percentage (or the whole cost when the percentage is unknown).
        let bound = match percent {
            Some(p) => percent_of(cost_for_wte, p)?,
            None => cost_for_wte,
        };
        trace.push(|| format!("claim unknown; at most {}", penny(bound)));
        line.claim_at_most = Some(bound);
    }
    line.trace = trace.into_steps();
    Ok(line)
}

/// `p`% of an amount. At 100% (most roles) the amount itself: multiplying by one gives the
/// same value, and the multiplication of two long decimals is the costliest step of a line.
fn percent_of(amount: Money, p: Decimal) -> Result<Money, ArrsError> {
    if p == Decimal::ONE_HUNDRED {
        return Ok(amount);
    }
    Ok(amount.checked_mul(p / Decimal::ONE_HUNDRED)?)
}

/// Caps each pool's lines, in order, at the pool's entitlement, and sums what is claimed.
pub(super) fn apply_entitlement(
    set: &RuleSet,
    entitlement: &Entitlement,
    lines: &mut [ClaimLine],
    findings: &mut Found,
) -> Result<Vec<PoolUse>, ArrsError> {
    let mut out = Vec::new();
    for pool in &set.pools {
        let limit = entitlement.arrs_sum(&pool.id);
        // A penny below the entitlement: a total up to here leaves the claim that made it whole.
        let penny_below = limit
            .map(|l| l.checked_sub(Money::from_pounds(Decimal::new(1, 2))))
            .transpose()?;
        let mut claimed = MoneyTotal::ZERO;
        // Upper bounds of the unknown lines so far (`None` once one has no bound).
        let mut unknown_bound = Some(Money::ZERO);
        let mut warned_uncapped = false;
        for line in lines.iter_mut().filter(|l| *l.pool == *pool.id) {
            let Some(c) = line.claim else {
                unknown_bound = match (unknown_bound, line.claim_at_most) {
                    (Some(sum), Some(b)) => Some(sum.checked_add(b)?),
                    _ => None,
                };
                claimed.add(None)?;
                continue;
            };
            let Some(limit) = limit else {
                if c > Money::ZERO && !warned_uncapped {
                    warned_uncapped = true;
                    findings.push(
                        Finding::new(
                            "arrs.entitlement_unknown",
                            Severity::Warning,
                            format!(
                                "{}: entitlement unknown, so claims are not capped by it",
                                pool.name
                            ),
                        )
                        .about(pool.id.clone()),
                    );
                }
                claimed.add(Some(c))?;
                continue;
            };
            // Well inside the entitlement (most lines): the claim is paid whole, and the sum
            // worked out for the test is the new total. Otherwise the exact test against what
            // is left, as below.
            let after = claimed.known().checked_add(c)?;
            if claimed.is_complete() && penny_below.is_some_and(|p| after <= p) {
                claimed = MoneyTotal::from_parts(after, 0);
                continue;
            }
            let left = limit.checked_sub(claimed.known())?.max(Money::ZERO);
            // Only asked when an earlier line is unknown.
            let certainly_fits = || -> Result<bool, ArrsError> {
                Ok(match unknown_bound {
                    Some(b) => claimed.known().checked_add(b)?.checked_add(c)? <= limit,
                    None => false,
                })
            };
            if claimed.is_complete() || certainly_fits()? {
                if c > left {
                    Trace::extend(&mut line.trace, || {
                        format!(
                            "entitlement of {} reached: claim reduced from {} to {}",
                            penny(limit),
                            penny(c),
                            penny(left)
                        )
                    });
                    findings.push_in(
                        Finding::new(
                            "arrs.entitlement_reached",
                            Severity::Info,
                            format!("{} entitlement reached", pool.name),
                        )
                        .about(format!("staff {}", line.staff)),
                        line.month,
                    );
                    line.claim = Some(left);
                }
                claimed.add(line.claim)?;
            } else {
                // Earlier claims on the pool are unknown and may already have used the
                // entitlement, so how much of this one it still pays is unknown too.
                let bound = c.min(left);
                Trace::extend(&mut line.trace, || {
                    format!(
                        "the {} entitlement of {} may be reached by earlier claims whose value is unknown: claim unknown, at most {}",
                        pool.name,
                        penny(limit),
                        penny(bound)
                    )
                });
                line.claim = None;
                line.unknown = Some(
                    "the entitlement may already be used by earlier claims whose value is unknown"
                        .to_owned(),
                );
                line.claim_at_most = Some(bound);
                unknown_bound = unknown_bound.map(|u| u.checked_add(bound)).transpose()?;
                claimed.add(None)?;
            }
        }
        let headroom = match (limit, claimed.value()) {
            (Some(l), Some(c)) => Some(l.checked_sub(c)?),
            _ => None,
        };
        let headroom_at_most = limit.map(|l| l.checked_sub(claimed.known())).transpose()?;
        if !claimed.is_complete() {
            findings.push(Finding::new("arrs.incomplete_total", Severity::Warning, format!(
                    "{}: {} claim line(s) could not be valued, so the total claimed is at least {} and the headroom is unknown",
                    pool.name,
                    claimed.unknown(),
                    penny(claimed.known())
                ))
.about(pool.id.clone()));
        }
        out.push(PoolUse {
            pool: pool.id.clone(),
            entitlement: limit,
            claimed,
            headroom,
            headroom_at_most,
        });
    }
    Ok(out)
}
