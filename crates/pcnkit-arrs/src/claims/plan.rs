//! What-if plans: the forecast with planned posts, and how many more WTE of a role fit.

use chrono::NaiveDate;
use pcnkit_core::{FinancialYear, Money, Wte};
use rust_decimal::Decimal;
use serde::Serialize;

use super::staff::{Area, StaffMember};
use super::{ClaimsReport, claims};
use crate::entitlement::{Entitlement, PcnInputs};
use crate::error::ArrsError;
use crate::rules::RuleBook;

/// A post being considered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Hire {
    /// Role id.
    pub role: String,
    /// Annual cost of 1.0 WTE (salary plus employer on-costs).
    pub annual_cost_per_wte: Money,
    /// First day in post.
    pub from: NaiveDate,
    /// London weighting area.
    pub area: Area,
}

impl Hire {
    /// A hire outside London.
    pub fn new(role: impl Into<String>, annual_cost_per_wte: Money, from: NaiveDate) -> Self {
        Hire {
            role: role.into(),
            annual_cost_per_wte,
            from,
            area: Area::National,
        }
    }
}

/// A what-if: the forecast with planned staff, and how much more of a role fits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Plan {
    /// Monthly forecast of current and planned staff.
    pub forecast: ClaimsReport,
    /// What 1.0 WTE of the hire would claim from its start to the year end.
    pub claim_per_wte: Option<Money>,
    /// How many more WTE of the hire fit in the headroom of its pool, rounded down to 0.01;
    /// `None` when the headroom or the claim per WTE is unknown.
    pub more_wte: Option<Decimal>,
    /// An upper bound on [`more_wte`](Self::more_wte) from the headroom's upper bound, when
    /// the claim per WTE is known.
    pub more_wte_at_most: Option<Decimal>,
}

/// Forecasts claims for `staff` (current and planned posts) and, for `hire`, how many WTE more
/// fit in the remaining entitlement.
pub fn plan(
    book: &RuleBook,
    year: FinancialYear,
    inputs: &PcnInputs,
    entitlement: &Entitlement,
    staff: &[StaffMember],
    hire: Option<&Hire>,
) -> Result<Plan, ArrsError> {
    let forecast = claims(book, year, inputs, entitlement, staff)?;
    let Some(hire) = hire else {
        return Ok(Plan {
            forecast,
            claim_per_wte: None,
            more_wte: None,
            more_wte_at_most: None,
        });
    };
    let mut probe = StaffMember::new(
        "(planned)",
        hire.role.clone(),
        Wte::ONE,
        hire.from,
        hire.annual_cost_per_wte,
    );
    probe.area = hire.area;
    probe.mental_health_provider_agreement = true;
    probe.approved_apprenticeship = true;
    probe.cct_date = Some(hire.from);
    // The probe alone, with no entitlement cap, prices one WTE.
    let unlimited = Entitlement {
        arrs: Vec::new(),
        ..entitlement.clone()
    };
    let alone = claims(
        book,
        year,
        &PcnInputs {
            pcn: None,
            ..inputs.clone()
        },
        &unlimited,
        std::slice::from_ref(&probe),
    )?;
    if let Some(e) = alone.errors.first() {
        return Err(ArrsError::UnknownRole(e.to_string()));
    }
    let per_wte: Option<Money> = alone
        .lines
        .iter()
        .map(|l| l.claim)
        .collect::<Option<Vec<_>>>()
        .map(Money::sum)
        .transpose()?;
    let pool = book
        .year(year)?
        .role(&hire.role)
        .map(|r| r.pool.clone())
        .unwrap_or_else(|| "main".to_owned());
    let fits = |room: Option<Money>| -> Result<Option<Decimal>, ArrsError> {
        match (per_wte, room) {
            (Some(per), Some(room)) if per > Money::ZERO => Ok(Some(
                room.max(Money::ZERO)
                    .pounds()
                    .checked_div(per.pounds())
                    .ok_or(pcnkit_core::CoreError::Overflow(
                        "WTE that fit the headroom",
                    ))?
                    .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero),
            )),
            _ => Ok(None),
        }
    };
    let use_of_pool = forecast.pools.iter().find(|p| p.pool == pool);
    let more_wte = fits(use_of_pool.and_then(|p| p.headroom))?;
    let more_wte_at_most = fits(use_of_pool.and_then(|p| p.headroom_at_most))?;
    Ok(Plan {
        forecast,
        claim_per_wte: per_wte,
        more_wte,
        more_wte_at_most,
    })
}
