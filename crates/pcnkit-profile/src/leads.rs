//! GP population-health lead patches for the PCNs of a profile's inputs: the one way every
//! front end (CLI, Python, R) gathers a plan's inputs from the files an ICB holds or the demo.

use pcnkit_core::PcnCode;
use pcnkit_core::read::Finding;
use pcnkit_plan::leads::{Adjacency, LeadPlan, LeadPlanConfig, PcnArea, plan_leads};

use crate::{ProfileError, ProfileInputs};

/// Patients a PCN needs in an LSOA for that LSOA to make it a neighbour of the other PCNs
/// there: fewer are stray registrations, not a shared neighbourhood (a judgement, a parameter
/// of [`Adjacency::from_practice_lsoa`], not a published figure).
pub const NEIGHBOUR_MIN_PATIENTS: u64 = 50;

/// Where the map of neighbouring PCNs comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Neighbours {
    /// From the inputs: PCNs whose patients live in the same LSOAs (the practice-by-LSOA file,
    /// or the demo's), else the stated proxy of one sub-ICB location.
    #[default]
    FromInputs,
    /// As an ICB gives them, with where they come from.
    Given(Vec<(PcnCode, PcnCode)>, String),
}

/// The PCNs of `inputs` (with their populations and IMD scores) and their neighbours.
pub fn lead_areas(
    inputs: &ProfileInputs,
    neighbours: Neighbours,
) -> (Vec<PcnArea>, Adjacency, Vec<Finding>) {
    let (areas, findings) = PcnArea::from_registry(
        &inputs.registry,
        &inputs.pcns,
        inputs.date,
        inputs.deprivation.as_ref(),
    );
    let map = match neighbours {
        Neighbours::Given(pairs, basis) => Adjacency::from_pairs(pairs, &basis),
        Neighbours::FromInputs if !inputs.practice_lsoa.is_empty() => {
            Adjacency::from_practice_lsoa(
                &inputs.registry,
                inputs.date,
                &inputs.practice_lsoa,
                NEIGHBOUR_MIN_PATIENTS,
            )
        }
        Neighbours::FromInputs => Adjacency::by_sub_icb(&inputs.registry, &inputs.pcns),
    };
    (areas, map, findings)
}

/// The lead plan of `inputs` under `config`, with the findings of the inputs (PCNs left out)
/// and of the plan.
pub fn lead_plan(
    inputs: &ProfileInputs,
    neighbours: Neighbours,
    config: &LeadPlanConfig,
) -> Result<(LeadPlan, Vec<Finding>), ProfileError> {
    let (areas, map, mut findings) = lead_areas(inputs, neighbours);
    let plan = plan_leads(&areas, &map, config).map_err(|e| ProfileError::Inputs(e.to_string()))?;
    findings.extend(plan.findings.iter().cloned());
    Ok((plan, findings))
}
