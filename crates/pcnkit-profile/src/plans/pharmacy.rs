//! Community pharmacies around each PCN, by Healthy Living Pharmacy level, and what the
//! practices' referrals would pay them; the estimate's options as front ends receive them.

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray, UInt64Array};
use pcnkit_assets::coverage::Reach;
use pcnkit_assets::register::Query;
use pcnkit_assets::{AssetKind, HealthyLivingPharmacy};
use pcnkit_core::read::{Finding, Severity};
use pcnkit_core::{FinancialYear, PcnCode};
use pcnkit_plan::pharmacy::{PaymentEstimate, PharmacySchemes, Referrals, estimate};
use rust_decimal::Decimal;

use super::centroids;
use crate::{ProfileError, ProfileInputs};

/// How to estimate community pharmacy payments.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PharmacyOptions {
    /// The scheme's id (`cpcs`, `pharmacy_first`, or one of a user file's).
    pub scheme: String,
    /// The financial year.
    pub year: FinancialYear,
    /// Referrals from each PCN's practices: a rate per 1,000 patients (the ICB's).
    pub referrals_per_1000: Decimal,
}

impl PharmacyOptions {
    /// `scheme` in `year` at `referrals_per_1000` a year.
    pub fn new(
        scheme: impl Into<String>,
        year: FinancialYear,
        referrals_per_1000: Decimal,
    ) -> Self {
        PharmacyOptions {
            scheme: scheme.into(),
            year,
            referrals_per_1000,
        }
    }
}

/// A PCN's community pharmacies and what its referrals would pay them.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PcnPharmacy {
    /// The PCN.
    pub pcn: PcnCode,
    /// Registered patients, if known.
    pub patients: Option<u64>,
    /// Pharmacies within walking distance of its footprint, if known.
    pub pharmacies: Option<u64>,
    /// Of those, by Healthy Living Pharmacy level 1, 2, 3 and not recorded.
    pub hlp_levels: Option<[u64; 4]>,
    /// The payment estimate.
    pub estimate: PaymentEstimate,
}

/// Pharmacies around each profiled PCN (when a register was given) and the payment its
/// referrals would make under `options`.
pub fn pharmacy_plan(
    inputs: &ProfileInputs,
    schemes: &PharmacySchemes,
    options: &PharmacyOptions,
    walking_metres: f64,
    footprint_share: f64,
) -> Result<(Vec<PcnPharmacy>, Vec<Finding>), ProfileError> {
    let scheme = schemes
        .get(&options.scheme)
        .map_err(|e| ProfileError::Inputs(e.to_string()))?;
    let points = centroids(inputs);
    let reach =
        Reach::new(&inputs.registry, inputs.date, &points).within(walking_metres, footprint_share);
    let query = Query::new().kind(AssetKind::Pharmacy);
    let mut out = Vec::new();
    for pcn in &inputs.pcns {
        let patients = inputs.population.get(pcn).copied().flatten();
        let around = match &inputs.assets {
            Some(register) => reach
                .around_pcn(register, *pcn, &query)
                .map_err(|e| ProfileError::Inputs(e.to_string()))?,
            None => None,
        };
        let hlp_levels = around.as_ref().map(|v| {
            let mut n = [0u64; 4];
            for a in v {
                n[match a.hlp_level {
                    Some(HealthyLivingPharmacy::Level1) => 0,
                    Some(HealthyLivingPharmacy::Level2) => 1,
                    Some(HealthyLivingPharmacy::Level3) => 2,
                    _ => 3,
                }] += 1;
            }
            n
        });
        let estimate = estimate(
            schemes,
            scheme,
            options.year,
            Referrals::Per1000(options.referrals_per_1000),
            patients,
        )
        .map_err(|e| ProfileError::Inputs(e.to_string()))?;
        out.push(PcnPharmacy {
            pcn: *pcn,
            patients,
            pharmacies: around.as_ref().map(|v| v.len() as u64),
            hlp_levels,
            estimate,
        });
    }
    let findings = vec![Finding::new(
        "plan.pharmacy.referrals",
        Severity::Info,
        format!(
            "{} in {}: {} referrals a year per 1,000 registered patients (the planner's rate, not a published one) × the fee per {}",
            scheme.name, options.year, options.referrals_per_1000, scheme.unit
        ),
    )];
    Ok((out, findings))
}

/// `plan_pharmacy`: `pcn`, `patients`, `pharmacies`, `hlp_level_1`, `hlp_level_2`,
/// `hlp_level_3`, `hlp_not_recorded`, `referrals` (text), `fee` (text, pounds), `payment`
/// (text, pounds), `confidence`, `source`, `note`; unknowns null.
pub fn pharmacy_table(rows: &[PcnPharmacy]) -> Result<RecordBatch, ProfileError> {
    let text = |f: &dyn Fn(&PcnPharmacy) -> Option<String>| -> ArrayRef {
        Arc::new(StringArray::from_iter(rows.iter().map(f)))
    };
    let count = |f: &dyn Fn(&PcnPharmacy) -> Option<u64>| -> ArrayRef {
        Arc::new(UInt64Array::from_iter(rows.iter().map(f)))
    };
    Ok(pcnkit_core::arrow::nullable_batch([
        ("pcn", text(&|r| Some(r.pcn.to_string()))),
        ("patients", count(&|r| r.patients)),
        ("pharmacies", count(&|r| r.pharmacies)),
        ("hlp_level_1", count(&|r| r.hlp_levels.map(|h| h[0]))),
        ("hlp_level_2", count(&|r| r.hlp_levels.map(|h| h[1]))),
        ("hlp_level_3", count(&|r| r.hlp_levels.map(|h| h[2]))),
        ("hlp_not_recorded", count(&|r| r.hlp_levels.map(|h| h[3]))),
        (
            "referrals",
            text(&|r| r.estimate.units.map(|u| u.normalize().to_string())),
        ),
        (
            "fee",
            text(&|r| r.estimate.fee.map(|f| f.pounds().to_string())),
        ),
        (
            "payment",
            text(&|r| {
                r.estimate
                    .payment
                    .map(|p| p.pounds().normalize().to_string())
            }),
        ),
        (
            "confidence",
            text(&|r| r.estimate.confidence.map(|c| format!("{c:?}"))),
        ),
        (
            "source",
            text(&|r| (!r.estimate.source.is_empty()).then(|| r.estimate.source.clone())),
        ),
        ("note", text(&|r| r.estimate.note.clone())),
    ])?)
}

/// A pharmacy estimate's options as a front end receives them.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct PharmacyWords {
    /// The scheme's id (default `pharmacy_first`).
    pub scheme: Option<String>,
    /// The financial year, `2023/24` (required).
    pub year: Option<String>,
    /// Referrals a year per 1,000 registered patients (required).
    pub referrals_per_1000: Option<Decimal>,
    /// A user scheme file (TOML) instead of the built-in schemes.
    pub schemes_file: Option<std::path::PathBuf>,
}

impl PharmacyWords {
    /// Whether any pharmacy option was given.
    pub fn any(&self) -> bool {
        *self != PharmacyWords::default()
    }

    /// The options and schemes, or what is missing or wrong.
    pub fn options(&self) -> Result<(PharmacyOptions, PharmacySchemes), ProfileError> {
        let usage = |m: String| ProfileError::Inputs(m);
        let year: FinancialYear = self
            .year
            .as_deref()
            .ok_or_else(|| usage("pharmacy: give the financial year (2023/24)".to_owned()))?
            .parse()
            .map_err(|e: pcnkit_core::CoreError| usage(format!("pharmacy year: {e}")))?;
        let rate = self.referrals_per_1000.ok_or_else(|| {
            usage("pharmacy: give the referrals a year per 1,000 registered patients (the ICB's rate; pcnkit has no published one)".to_owned())
        })?;
        let schemes = match &self.schemes_file {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| usage(format!("{}: {e}", p.display())))?;
                PharmacySchemes::from_toml(&p.display().to_string(), &text)
            }
            None => PharmacySchemes::builtin(),
        }
        .map_err(|e| usage(e.to_string()))?;
        let scheme = self.scheme.as_deref().unwrap_or("pharmacy_first");
        schemes.get(scheme).map_err(|e| usage(e.to_string()))?;
        Ok((PharmacyOptions::new(scheme, year, rate), schemes))
    }
}
