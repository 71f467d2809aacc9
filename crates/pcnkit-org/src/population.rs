//! Registered list sizes per practice per extract date, total and by age band and sex.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use pcnkit_core::{AgeBand, AgeBandScheme, LsoaCode, PatientCount, PracticeCode, Sex};
use serde::{Deserialize, Serialize};

use crate::error::OrgError;

/// One published count: a practice's registered patients on an extract date, for one sex (or
/// all, `None`) and one age band (or all ages, `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct ListSizeRecord {
    /// The practice.
    pub practice: PracticeCode,
    /// The extract date of the publication.
    pub extract_date: NaiveDate,
    /// Sex, or `None` for all persons.
    pub sex: Option<Sex>,
    /// Age band, or `None` for all ages.
    pub age_band: Option<AgeBand>,
    /// Registered patients.
    pub patients: PatientCount,
}

impl ListSizeRecord {
    /// A count for one cell (or a total, with `None`s).
    pub fn new(
        practice: PracticeCode,
        extract_date: NaiveDate,
        sex: Option<Sex>,
        age_band: Option<AgeBand>,
        patients: PatientCount,
    ) -> Self {
        ListSizeRecord {
            practice,
            extract_date,
            sex,
            age_band,
            patients,
        }
    }
}

/// Registered patients of one age band and sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AgeSexCount {
    /// Age band.
    pub age_band: AgeBand,
    /// Sex.
    pub sex: Sex,
    /// Patients.
    pub patients: PatientCount,
}

/// Registered patients of one age band, all persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AgeCount {
    /// Age band.
    pub age_band: AgeBand,
    /// Patients.
    pub patients: PatientCount,
}

/// A practice's list on one extract date.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PracticeList {
    /// All registered patients: the published all-persons total where there is one, otherwise
    /// the sum of the published breakdown.
    pub total: PatientCount,
    /// The published breakdown by age band and sex (empty when none was published), in age then
    /// sex order.
    pub by_age_sex: Vec<AgeSexCount>,
    /// All persons by age band: published directly, or summed over sex from `by_age_sex`.
    pub by_age: Vec<AgeCount>,
}

#[derive(Debug, Clone, Default)]
struct Cells {
    total: Option<PatientCount>,
    by_sex: BTreeMap<Sex, PatientCount>,
    by_age: BTreeMap<AgeBand, PatientCount>,
    by_age_sex: BTreeMap<(AgeBand, Sex), PatientCount>,
}

/// Stores `value` under `key`, or returns the different value already there.
fn put<K: Ord>(
    map: &mut BTreeMap<K, PatientCount>,
    key: K,
    value: PatientCount,
) -> Option<PatientCount> {
    match map.get(&key) {
        Some(&existing) if existing != value => Some(existing),
        Some(_) => None,
        None => {
            map.insert(key, value);
            None
        }
    }
}

/// All list sizes, indexed by practice and extract date.
#[derive(Debug, Clone, Default)]
pub struct ListSizes {
    lists: BTreeMap<PracticeCode, BTreeMap<NaiveDate, PracticeList>>,
}

impl ListSizes {
    /// Builds the index from published records. Two different counts for the same practice,
    /// date, sex and age band are a conflict, reported with both values.
    pub fn from_records<I: IntoIterator<Item = ListSizeRecord>>(
        records: I,
    ) -> Result<Self, OrgError> {
        // Hashing the (practice, date) key is the hot path of a national import; the result
        // is ordered when it goes into `lists`.
        let mut cells: HashMap<(PracticeCode, NaiveDate), Cells> = HashMap::new();
        for r in records {
            let c = cells.entry((r.practice, r.extract_date)).or_default();
            let conflict = match (r.sex, r.age_band) {
                (None, None) => match c.total {
                    Some(existing) if existing != r.patients => Some(existing),
                    _ => {
                        c.total = Some(r.patients);
                        None
                    }
                },
                (Some(sex), None) => put(&mut c.by_sex, sex, r.patients),
                (None, Some(band)) => put(&mut c.by_age, band, r.patients),
                (Some(sex), Some(band)) => put(&mut c.by_age_sex, (band, sex), r.patients),
            };
            if let Some(existing) = conflict {
                return Err(OrgError::Duplicate {
                    kind: "list size",
                    code: format!(
                        "{} on {} ({}, {})",
                        r.practice,
                        r.extract_date,
                        r.sex.map_or("all persons", Sex::as_str),
                        r.age_band
                            .map_or_else(|| "all ages".to_owned(), |b| b.to_string())
                    ),
                    first: existing.to_string(),
                    second: r.patients.to_string(),
                });
            }
        }
        let mut lists: BTreeMap<PracticeCode, BTreeMap<NaiveDate, PracticeList>> = BTreeMap::new();
        for ((practice, date), c) in cells {
            let by_age_sex: Vec<AgeSexCount> = c
                .by_age_sex
                .iter()
                .map(|(&(age_band, sex), &patients)| AgeSexCount {
                    age_band,
                    sex,
                    patients,
                })
                .collect();
            let mut by_age = c.by_age.clone();
            if by_age.is_empty() {
                for x in &by_age_sex {
                    let slot = by_age.entry(x.age_band).or_default();
                    *slot = slot.checked_add(x.patients)?;
                }
            }
            let total = match c.total {
                Some(t) => t,
                None if !c.by_sex.is_empty() => PatientCount::sum(c.by_sex.values().copied())?,
                None => PatientCount::sum(by_age.values().copied())?,
            };
            let by_age = by_age
                .into_iter()
                .map(|(age_band, patients)| AgeCount { age_band, patients })
                .collect();
            lists.entry(practice).or_default().insert(
                date,
                PracticeList {
                    total,
                    by_age_sex,
                    by_age,
                },
            );
        }
        Ok(ListSizes { lists })
    }

    /// The latest list of `practice` extracted on or before `date`, with its extract date.
    pub fn on(
        &self,
        practice: PracticeCode,
        date: NaiveDate,
    ) -> Option<(NaiveDate, &PracticeList)> {
        self.lists
            .get(&practice)?
            .range(..=date)
            .next_back()
            .map(|(d, l)| (*d, l))
    }

    /// Every extract of a practice, oldest first.
    pub fn history(
        &self,
        practice: PracticeCode,
    ) -> impl Iterator<Item = (NaiveDate, &PracticeList)> {
        self.lists
            .get(&practice)
            .into_iter()
            .flat_map(|m| m.iter().map(|(d, l)| (*d, l)))
    }

    /// Practices with at least one extract.
    pub fn practices(&self) -> impl Iterator<Item = PracticeCode> + '_ {
        self.lists.keys().copied()
    }

    /// Number of (practice, extract date) lists held.
    pub fn len(&self) -> usize {
        self.lists.values().map(BTreeMap::len).sum()
    }

    /// Whether no list is held.
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }
}

/// Adds `counts` into `into`, regrouped to `scheme` (e.g. single years into ESP2013 bands).
pub(crate) fn accumulate_age_sex(
    into: &mut BTreeMap<(AgeBand, Sex), PatientCount>,
    counts: &[AgeSexCount],
    scheme: &AgeBandScheme,
) -> Result<(), OrgError> {
    for c in counts {
        let band = scheme.band_containing(c.age_band)?;
        let slot = into.entry((band, c.sex)).or_default();
        *slot = slot.checked_add(c.patients)?;
    }
    Ok(())
}

/// A practice's registered patients living in one LSOA (NHS Digital's quarterly LSOA file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct PracticeLsoaRecord {
    /// The practice.
    pub practice: PracticeCode,
    /// Extract date.
    pub extract_date: NaiveDate,
    /// The LSOA patients live in.
    pub lsoa: LsoaCode,
    /// Patients (all persons).
    pub patients: PatientCount,
}

impl PracticeLsoaRecord {
    /// A count of a practice's patients in an LSOA.
    pub fn new(
        practice: PracticeCode,
        extract_date: NaiveDate,
        lsoa: LsoaCode,
        patients: PatientCount,
    ) -> Self {
        PracticeLsoaRecord {
            practice,
            extract_date,
            lsoa,
            patients,
        }
    }
}

/// The share of a population living in one LSOA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LsoaShare {
    /// The LSOA.
    pub lsoa: LsoaCode,
    /// Patients living there.
    pub patients: PatientCount,
    /// Their share of the population covered by the LSOA file (0 to 1).
    pub share: f64,
}

/// A PCN's registered list from PCN-level rows (NHS Digital's `…-sing-age-regions` file).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct PcnList {
    /// Registered patients: the sum of the age/sex cells when the file gives them, else its
    /// all-persons row.
    pub total: PatientCount,
    /// Patients by age band (regrouped to the scheme asked for) and sex; empty when the file
    /// gives all persons only (a population without pyramids).
    pub by_age_sex: Vec<AgeSexCount>,
}

/// The lists of every PCN in PCN-level registered-patients rows, with age bands regrouped to
/// `scheme`. Other levels are ignored; practices in no PCN (NHS Digital's pseudo-code `U`) have
/// no PCN to count towards. Every sum is checked: a count that would overflow (a corrupt file)
/// is an error, never a wrapped figure.
pub fn pcn_lists(
    records: &[crate::import::RegisteredPatientsRecord],
    scheme: &AgeBandScheme,
) -> Result<BTreeMap<pcnkit_core::PcnCode, PcnList>, OrgError> {
    use crate::import::OrgRef;
    let mut all_persons: BTreeMap<pcnkit_core::PcnCode, PatientCount> = BTreeMap::new();
    // Per PCN: (band start, sex) → (band, patients).
    type Cells = BTreeMap<(u8, Sex), (AgeBand, PatientCount)>;
    let mut cells: BTreeMap<pcnkit_core::PcnCode, Cells> = BTreeMap::new();
    for r in records {
        let OrgRef::Pcn(Some(pcn)) = r.org else {
            continue;
        };
        match (r.age_band, r.sex) {
            (Some(band), Some(sex)) => {
                let b = scheme.band_containing(band)?;
                let slot = cells
                    .entry(pcn)
                    .or_default()
                    .entry((b.lower(), sex))
                    .or_insert((b, PatientCount::ZERO));
                slot.1 = slot.1.checked_add(r.patients)?;
            }
            (None, None) => {
                let slot = all_persons.entry(pcn).or_insert(PatientCount::ZERO);
                *slot = slot.checked_add(r.patients)?;
            }
            // Totals by sex only or by age only are roll-ups of the cells.
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    for (pcn, total) in all_persons {
        out.insert(
            pcn,
            PcnList {
                total,
                by_age_sex: Vec::new(),
            },
        );
    }
    for (pcn, c) in cells {
        let total = PatientCount::sum(c.values().map(|v| v.1))?;
        out.insert(
            pcn,
            PcnList {
                total,
                by_age_sex: c
                    .into_iter()
                    .map(|((_, sex), (age_band, patients))| AgeSexCount {
                        age_band,
                        sex,
                        patients,
                    })
                    .collect(),
            },
        );
    }
    Ok(out)
}

/// The registered population of every PCN with members on `date` (of `icb` only, when given):
/// from the registry's practice lists when every member has one, else from PCN-level lists
/// ([`pcn_lists`]), else `None` (unknown, never 0).
pub fn pcn_populations(
    registry: &crate::Registry,
    date: NaiveDate,
    pcn_lists: &BTreeMap<pcnkit_core::PcnCode, PcnList>,
    icb: Option<pcnkit_core::IcbCode>,
) -> BTreeMap<pcnkit_core::PcnCode, Option<u64>> {
    let mut out = BTreeMap::new();
    for pcn in registry.pcns() {
        if icb.is_some_and(|i| pcn.icb != Some(i)) || registry.members(pcn.code, date).is_empty() {
            continue;
        }
        let n = match registry.population(pcn.code, date) {
            Ok(n) => Some(n.get()),
            Err(_) => pcn_lists.get(&pcn.code).map(|l| l.total.get()),
        };
        out.insert(pcn.code, n);
    }
    out
}
