//! The registry: organisations, the membership timeline and list sizes, answering "who was in
//! which network, when, for how many patients".

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use pcnkit_core::{
    AgeBand, AgeBandScheme, IcbCode, LsoaCode, PatientCount, PcnCode, Period, PracticeCode,
    RegionCode, Sex, SubIcbCode,
};
use serde::{Deserialize, Serialize};

use crate::error::OrgError;
use crate::membership::{Membership, MembershipChange};
use crate::model::{Icb, Partner, Pcn, Practice, PracticeStatus, Region, SubIcbLocation};
use crate::population::{
    AgeSexCount, ListSizeRecord, ListSizes, LsoaShare, PracticeList, PracticeLsoaRecord,
    accumulate_age_sex,
};

/// Collects organisations, memberships, changes and list sizes, then checks them all at once in
/// [`build`](RegistryBuilder::build).
#[derive(Debug, Clone, Default)]
pub struct RegistryBuilder {
    practices: BTreeMap<PracticeCode, Practice>,
    pcns: BTreeMap<PcnCode, Pcn>,
    sub_icbs: Vec<SubIcbLocation>,
    icbs: BTreeMap<IcbCode, Icb>,
    regions: BTreeMap<RegionCode, Region>,
    memberships: Vec<Membership>,
    changes: Vec<MembershipChange>,
    list_sizes: Vec<ListSizeRecord>,
    practice_lsoa: Vec<PracticeLsoaRecord>,
    partners: Vec<Partner>,
    errors: Vec<OrgError>,
}

fn day_before(date: NaiveDate) -> NaiveDate {
    date.pred_opt().unwrap_or(date)
}

impl RegistryBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a practice. Adding the same practice again with identical details is harmless; with
    /// different details it is a conflict reported by `build`.
    pub fn practice(&mut self, practice: Practice) -> &mut Self {
        if let Some(existing) = self.practices.get(&practice.code) {
            if existing != &practice {
                self.errors.push(OrgError::Duplicate {
                    kind: "practice",
                    code: practice.code.to_string(),
                    first: format!("{existing:?}"),
                    second: format!("{practice:?}"),
                });
            }
        } else {
            self.practices.insert(practice.code, practice);
        }
        self
    }

    /// Adds a PCN (same duplicate rule as practices).
    pub fn pcn(&mut self, pcn: Pcn) -> &mut Self {
        if let Some(existing) = self.pcns.get(&pcn.code) {
            if existing != &pcn {
                self.errors.push(OrgError::Duplicate {
                    kind: "PCN",
                    code: pcn.code.to_string(),
                    first: format!("{existing:?}"),
                    second: format!("{pcn:?}"),
                });
            }
        } else {
            self.pcns.insert(pcn.code, pcn);
        }
        self
    }

    /// Adds a PCN unless one with that code is already there (for sources that repeat a PCN on
    /// every member's row with slightly different details).
    pub fn pcn_if_absent(&mut self, pcn: Pcn) -> &mut Self {
        self.pcns.entry(pcn.code).or_insert(pcn);
        self
    }

    /// Adds a sub-ICB location.
    pub fn sub_icb(&mut self, sub_icb: SubIcbLocation) -> &mut Self {
        if !self.sub_icbs.contains(&sub_icb) {
            self.sub_icbs.push(sub_icb);
        }
        self
    }

    /// Adds an ICB.
    pub fn icb(&mut self, icb: Icb) -> &mut Self {
        self.icbs.entry(icb.code).or_insert(icb);
        self
    }

    /// Adds a region.
    pub fn region(&mut self, region: Region) -> &mut Self {
        self.regions.entry(region.code).or_insert(region);
        self
    }

    /// Adds a partner organisation of a PCN.
    pub fn partner(&mut self, partner: Partner) -> &mut Self {
        self.partners.push(partner);
        self
    }

    /// Adds a membership record as published (e.g. a row of the ePCN file).
    pub fn membership(&mut self, membership: Membership) -> &mut Self {
        self.memberships.push(membership);
        self
    }

    /// Adds published list-size counts.
    pub fn list_sizes<I: IntoIterator<Item = ListSizeRecord>>(&mut self, records: I) -> &mut Self {
        self.list_sizes.extend(records);
        self
    }

    /// Adds practice-by-LSOA patient counts.
    pub fn practice_lsoa<I: IntoIterator<Item = PracticeLsoaRecord>>(
        &mut self,
        records: I,
    ) -> &mut Self {
        self.practice_lsoa.extend(records);
        self
    }

    /// The practice joins `pcn` from `from` (open-ended).
    pub fn join(&mut self, practice: PracticeCode, pcn: PcnCode, from: NaiveDate) -> &mut Self {
        self.memberships
            .push(Membership::new(practice, pcn, Period::starting(from)));
        self.changes.push(MembershipChange::Join {
            practice,
            pcn,
            from,
        });
        self
    }

    /// The practice leaves its PCN; `last_day` is its last day as a member.
    pub fn leave(&mut self, practice: PracticeCode, last_day: NaiveDate) -> &mut Self {
        let change = MembershipChange::Leave { practice, last_day };
        if let Err(e) = self.end_membership(practice, last_day, &change) {
            self.errors.push(e);
        }
        self.changes.push(change);
        self
    }

    /// Moves every practice of `sources` into `into` from `from`.
    pub fn merge_pcns(&mut self, sources: &[PcnCode], into: PcnCode, from: NaiveDate) -> &mut Self {
        let change = MembershipChange::MergePcns {
            sources: sources.to_vec(),
            into,
            from,
        };
        let moving: Vec<PracticeCode> = self
            .memberships
            .iter()
            .filter(|m| sources.contains(&m.pcn) && m.period.contains(from))
            .map(|m| m.practice)
            .collect();
        if moving.is_empty() {
            self.errors.push(OrgError::InvalidChange {
                change: change.to_string(),
                reason: format!("no practice is in any of those PCNs on {from}"),
            });
        }
        for practice in moving {
            self.move_practice(practice, into, from, &change);
        }
        self.changes.push(change);
        self
    }

    /// Splits `source`: each practice listed in `parts` moves to its new PCN from `from`. Every
    /// member of `source` on that date must be listed exactly once.
    pub fn split_pcn(
        &mut self,
        source: PcnCode,
        parts: Vec<(PcnCode, Vec<PracticeCode>)>,
        from: NaiveDate,
    ) -> &mut Self {
        let change = MembershipChange::SplitPcn {
            source,
            parts: parts.clone(),
            from,
        };
        let members: BTreeSet<PracticeCode> = self
            .memberships
            .iter()
            .filter(|m| m.pcn == source && m.period.contains(from))
            .map(|m| m.practice)
            .collect();
        let listed: Vec<PracticeCode> = parts
            .iter()
            .flat_map(|(_, ps)| ps.iter().copied())
            .collect();
        let listed_set: BTreeSet<PracticeCode> = listed.iter().copied().collect();
        let problem = if listed.len() != listed_set.len() {
            Some("a practice is listed under two new PCNs".to_owned())
        } else if let Some(p) = listed_set.difference(&members).next() {
            Some(format!("{p} is not a member of {source} on {from}"))
        } else {
            members
                .difference(&listed_set)
                .next()
                .map(|p| format!("member {p} of {source} is not assigned to any new PCN"))
        };
        match problem {
            Some(reason) => self.errors.push(OrgError::InvalidChange {
                change: change.to_string(),
                reason,
            }),
            None => {
                for (pcn, practices) in parts {
                    for practice in practices {
                        self.move_practice(practice, pcn, from, &change);
                    }
                }
            }
        }
        self.changes.push(change);
        self
    }

    /// `absorbed` merges into `into` from `from`: it leaves its PCN and closes the day before.
    /// Its patients appear under `into` in list-size extracts after the merger.
    pub fn merge_practices(
        &mut self,
        absorbed: PracticeCode,
        into: PracticeCode,
        from: NaiveDate,
    ) -> &mut Self {
        let change = MembershipChange::MergePractices {
            absorbed,
            into,
            from,
        };
        let last_day = day_before(from);
        // A practice outside any PCN can still merge; only a current membership is ended.
        if self
            .memberships
            .iter()
            .any(|m| m.practice == absorbed && m.period.contains(last_day))
            && let Err(e) = self.end_membership(absorbed, last_day, &change)
        {
            self.errors.push(e);
        }
        match self.practices.get_mut(&absorbed) {
            Some(p) => {
                p.close_date = Some(last_day);
                p.status = PracticeStatus::Closed;
            }
            None => self.errors.push(OrgError::UnknownPractice {
                practice: absorbed,
                record: change.to_string(),
            }),
        }
        if !self.practices.contains_key(&into) {
            self.errors.push(OrgError::UnknownPractice {
                practice: into,
                record: change.to_string(),
            });
        }
        self.changes.push(change);
        self
    }

    fn move_practice(
        &mut self,
        practice: PracticeCode,
        to: PcnCode,
        from: NaiveDate,
        change: &MembershipChange,
    ) {
        match self.end_membership(practice, day_before(from), change) {
            Ok(()) => self
                .memberships
                .push(Membership::new(practice, to, Period::starting(from))),
            Err(e) => self.errors.push(e),
        }
    }

    /// Ends the membership of `practice` that contains `last_day` on that day.
    fn end_membership(
        &mut self,
        practice: PracticeCode,
        last_day: NaiveDate,
        change: &MembershipChange,
    ) -> Result<(), OrgError> {
        let m = self
            .memberships
            .iter_mut()
            .find(|m| m.practice == practice && m.period.contains(last_day))
            .ok_or_else(|| OrgError::InvalidChange {
                change: change.to_string(),
                reason: format!("{practice} is not in a PCN on {last_day}"),
            })?;
        m.period = Period::new(m.period.start(), Some(last_day))?;
        Ok(())
    }

    /// Checks everything and builds the registry, or returns every problem found (conflicting
    /// memberships name both records; unknown practices and PCNs name the record that used them).
    pub fn build(self) -> Result<Registry, Vec<OrgError>> {
        let mut errors = self.errors;
        let mut by_practice: BTreeMap<PracticeCode, Vec<Membership>> = BTreeMap::new();
        for m in self.memberships {
            if !self.practices.contains_key(&m.practice) {
                errors.push(OrgError::UnknownPractice {
                    practice: m.practice,
                    record: m.to_string(),
                });
                continue;
            }
            if !self.pcns.contains_key(&m.pcn) {
                errors.push(OrgError::UnknownPcn {
                    pcn: m.pcn,
                    record: m.to_string(),
                });
                continue;
            }
            by_practice.entry(m.practice).or_default().push(m);
        }
        let mut by_pcn: BTreeMap<PcnCode, Vec<(PracticeCode, Period)>> = BTreeMap::new();
        for (practice, ms) in &mut by_practice {
            ms.sort_by_key(|m| m.period.start());
            for pair in ms.windows(2) {
                if let [a, b] = pair
                    && let Some(shared) = a.period.intersection(&b.period)
                {
                    errors.push(OrgError::OverlappingMembership {
                        practice: *practice,
                        date: shared.start(),
                        first: Box::new(a.clone()),
                        second: Box::new(b.clone()),
                    });
                }
            }
            for m in ms.iter() {
                by_pcn
                    .entry(m.pcn)
                    .or_default()
                    .push((m.practice, m.period));
            }
        }
        let list_sizes = match ListSizes::from_records(self.list_sizes) {
            Ok(l) => l,
            Err(e) => {
                errors.push(e);
                ListSizes::default()
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut practice_lsoa: BTreeMap<
            PracticeCode,
            BTreeMap<NaiveDate, Vec<(LsoaCode, PatientCount)>>,
        > = BTreeMap::new();
        for r in self.practice_lsoa {
            practice_lsoa
                .entry(r.practice)
                .or_default()
                .entry(r.extract_date)
                .or_default()
                .push((r.lsoa, r.patients));
        }
        Ok(Registry {
            practices: self.practices,
            pcns: self.pcns,
            sub_icbs: self.sub_icbs,
            icbs: self.icbs,
            regions: self.regions,
            memberships: by_practice,
            by_pcn,
            changes: self.changes,
            list_sizes,
            practice_lsoa,
            partners: self.partners,
        })
    }
}

/// The organisation model, checked and indexed. Build one with [`RegistryBuilder`] or from
/// imported files (see [`crate::import`]).
#[derive(Debug, Clone)]
pub struct Registry {
    practices: BTreeMap<PracticeCode, Practice>,
    pcns: BTreeMap<PcnCode, Pcn>,
    sub_icbs: Vec<SubIcbLocation>,
    icbs: BTreeMap<IcbCode, Icb>,
    regions: BTreeMap<RegionCode, Region>,
    // Invariant: per practice, sorted by start and pairwise non-overlapping.
    memberships: BTreeMap<PracticeCode, Vec<Membership>>,
    by_pcn: BTreeMap<PcnCode, Vec<(PracticeCode, Period)>>,
    changes: Vec<MembershipChange>,
    list_sizes: ListSizes,
    practice_lsoa: BTreeMap<PracticeCode, BTreeMap<NaiveDate, Vec<(LsoaCode, PatientCount)>>>,
    partners: Vec<Partner>,
}

/// The level of a population roll-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Level {
    /// GP practice.
    Practice,
    /// Primary Care Network.
    Pcn,
    /// Sub-ICB location.
    SubIcb,
    /// Integrated Care Board.
    Icb,
    /// NHS England region.
    Region,
}

/// The registered population of one area on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct AreaPopulation {
    /// The level.
    pub level: Level,
    /// The area's code; `None` collects practices with no known area at this level.
    pub code: Option<String>,
    /// Number of practices counted.
    pub practices: u32,
    /// Registered patients of those practices (latest extract on or before the date).
    pub patients: PatientCount,
    /// Practices in the area with no list size on or before the date (not counted above).
    pub missing_list_sizes: Vec<PracticeCode>,
}

/// One practice in a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct SnapshotRow {
    /// The practice.
    pub practice: PracticeCode,
    /// Its name.
    pub practice_name: String,
    /// Its PCN on the date, if any.
    pub pcn: Option<PcnCode>,
    /// The PCN's name.
    pub pcn_name: Option<String>,
    /// Its sub-ICB location.
    pub sub_icb: Option<SubIcbCode>,
    /// Its ICB.
    pub icb: Option<IcbCode>,
    /// Its region.
    pub region: Option<RegionCode>,
    /// Registered patients from the latest extract on or before the date.
    pub patients: Option<PatientCount>,
    /// That extract's date.
    pub extract_date: Option<NaiveDate>,
}

/// Every open practice on a date with its PCN, areas and list size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Snapshot {
    /// The date.
    pub date: NaiveDate,
    /// One row per practice open on the date, in practice-code order.
    pub rows: Vec<SnapshotRow>,
}

impl Registry {
    /// A builder.
    pub fn builder() -> RegistryBuilder {
        RegistryBuilder::new()
    }

    /// A practice by code.
    pub fn practice(&self, code: PracticeCode) -> Option<&Practice> {
        self.practices.get(&code)
    }

    /// All practices, by code.
    pub fn practices(&self) -> impl Iterator<Item = &Practice> {
        self.practices.values()
    }

    /// A PCN by code.
    pub fn pcn(&self, code: PcnCode) -> Option<&Pcn> {
        self.pcns.get(&code)
    }

    /// All PCNs, by code.
    pub fn pcns(&self) -> impl Iterator<Item = &Pcn> {
        self.pcns.values()
    }

    /// All sub-ICB locations.
    pub fn sub_icbs(&self) -> &[SubIcbLocation] {
        &self.sub_icbs
    }

    /// All ICBs.
    pub fn icbs(&self) -> impl Iterator<Item = &Icb> {
        self.icbs.values()
    }

    /// All regions.
    pub fn regions(&self) -> impl Iterator<Item = &Region> {
        self.regions.values()
    }

    /// Partners of a PCN on a date.
    pub fn partners(&self, pcn: PcnCode, date: NaiveDate) -> impl Iterator<Item = &Partner> {
        self.partners
            .iter()
            .filter(move |p| p.pcn == pcn && p.period.contains(date))
    }

    /// The membership changes applied, in order.
    pub fn changes(&self) -> &[MembershipChange] {
        &self.changes
    }

    /// All memberships, practice by practice in date order.
    pub fn memberships(&self) -> impl Iterator<Item = &Membership> {
        self.memberships.values().flatten()
    }

    /// The membership of `practice` that holds on `date`.
    pub fn membership_on(&self, practice: PracticeCode, date: NaiveDate) -> Option<&Membership> {
        let ms = self.memberships.get(&practice)?;
        // Sorted and non-overlapping: the candidate is the last one starting on or before `date`.
        let i = ms.partition_point(|m| m.period.start() <= date);
        ms.get(i.checked_sub(1)?)
            .filter(|m| m.period.contains(date))
    }

    /// Which PCN `practice` was in on `date`.
    pub fn pcn_of(&self, practice: PracticeCode, date: NaiveDate) -> Option<PcnCode> {
        self.membership_on(practice, date).map(|m| m.pcn)
    }

    /// The member practices of `pcn` on `date`, in code order.
    pub fn members(&self, pcn: PcnCode, date: NaiveDate) -> Vec<PracticeCode> {
        let mut v: Vec<PracticeCode> = self
            .by_pcn
            .get(&pcn)
            .into_iter()
            .flatten()
            .filter(|(_, period)| period.contains(date))
            .map(|(p, _)| *p)
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// The latest list of `practice` extracted on or before `date`, with the extract date.
    pub fn list_size(
        &self,
        practice: PracticeCode,
        date: NaiveDate,
    ) -> Option<(NaiveDate, &PracticeList)> {
        self.list_sizes.on(practice, date)
    }

    /// All list sizes.
    pub fn list_sizes(&self) -> &ListSizes {
        &self.list_sizes
    }

    /// The registered population of `pcn` on `date`: the sum of its members' latest lists on or
    /// before that date. An unknown PCN or a member with no list is an error.
    pub fn population(&self, pcn: PcnCode, date: NaiveDate) -> Result<PatientCount, OrgError> {
        if !self.pcns.contains_key(&pcn) {
            return Err(OrgError::UnknownPcn {
                pcn,
                record: format!("population query for {date}"),
            });
        }
        let mut total = PatientCount::ZERO;
        for practice in self.members(pcn, date) {
            let (_, list) = self
                .list_size(practice, date)
                .ok_or(OrgError::NoListSize { practice, date })?;
            total = total.checked_add(list.total)?;
        }
        Ok(total)
    }

    /// The population of `pcn` on `date` by age band (regrouped to `scheme`) and sex. Members
    /// whose list has no age/sex breakdown are an error, since they cannot be split.
    pub fn population_by_age_sex(
        &self,
        pcn: PcnCode,
        date: NaiveDate,
        scheme: &AgeBandScheme,
    ) -> Result<Vec<AgeSexCount>, OrgError> {
        let mut acc: BTreeMap<(AgeBand, Sex), PatientCount> = BTreeMap::new();
        for practice in self.members(pcn, date) {
            let (_, list) = self
                .list_size(practice, date)
                .ok_or(OrgError::NoListSize { practice, date })?;
            if list.by_age_sex.is_empty() && list.total.get() > 0 {
                return Err(OrgError::NoAgeSexBreakdown { practice, date });
            }
            accumulate_age_sex(&mut acc, &list.by_age_sex, scheme)?;
        }
        Ok(acc
            .into_iter()
            .map(|((age_band, sex), patients)| AgeSexCount {
                age_band,
                sex,
                patients,
            })
            .collect())
    }

    /// The sub-ICB, ICB and region of a practice: from the practice record, completed through the
    /// sub-ICB and ICB tables.
    pub fn areas_of(
        &self,
        practice: &Practice,
    ) -> (Option<SubIcbCode>, Option<IcbCode>, Option<RegionCode>) {
        let sub_icb = practice.sub_icb;
        let icb = practice.icb.or_else(|| {
            let code = sub_icb?;
            self.sub_icbs
                .iter()
                .find(|s| s.code == Some(code))
                .and_then(|s| s.icb)
        });
        let region = practice
            .region
            .or_else(|| icb.and_then(|c| self.icbs.get(&c)).and_then(|i| i.region));
        (sub_icb, icb, region)
    }

    /// Every practice open on `date` with the code of its area at `level` (`None` where the
    /// practice has none, e.g. outside any PCN): the lookup that rolls practice-level data up.
    pub fn practice_areas(
        &self,
        level: Level,
        date: NaiveDate,
    ) -> impl Iterator<Item = (&Practice, Option<String>)> + '_ {
        self.practices
            .values()
            .filter(move |p| p.is_open_on(date))
            .map(move |practice| {
                let (sub_icb, icb, region) = self.areas_of(practice);
                let code = match level {
                    Level::Practice => Some(practice.code.to_string()),
                    Level::Pcn => self.pcn_of(practice.code, date).map(|c| c.to_string()),
                    Level::SubIcb => sub_icb.map(|c| c.to_string()),
                    Level::Icb => icb.map(|c| c.to_string()),
                    Level::Region => region.map(|c| c.to_string()),
                };
                (practice, code)
            })
    }

    /// Registered population on `date` rolled up to `level`, over practices open on that date.
    /// At PCN level practices outside any PCN are collected under `code: None`.
    pub fn rollup(&self, level: Level, date: NaiveDate) -> Result<Vec<AreaPopulation>, OrgError> {
        let mut areas: BTreeMap<Option<String>, AreaPopulation> = BTreeMap::new();
        for (practice, code) in self.practice_areas(level, date) {
            let area = areas.entry(code.clone()).or_insert_with(|| AreaPopulation {
                level,
                code,
                practices: 0,
                patients: PatientCount::ZERO,
                missing_list_sizes: Vec::new(),
            });
            area.practices += 1;
            match self.list_size(practice.code, date) {
                Some((_, list)) => area.patients = area.patients.checked_add(list.total)?,
                None => area.missing_list_sizes.push(practice.code),
            }
        }
        Ok(areas.into_values().collect())
    }

    /// Every practice open on `date`, with its PCN, areas and list size.
    pub fn snapshot(&self, date: NaiveDate) -> Snapshot {
        let rows = self
            .practices
            .values()
            .filter(|p| p.is_open_on(date))
            .map(|p| {
                let (sub_icb, icb, region) = self.areas_of(p);
                let pcn = self.pcn_of(p.code, date);
                let list = self.list_size(p.code, date);
                SnapshotRow {
                    practice: p.code,
                    practice_name: p.name.clone(),
                    pcn,
                    pcn_name: pcn.and_then(|c| self.pcns.get(&c)).map(|x| x.name.clone()),
                    sub_icb,
                    icb,
                    region,
                    patients: list.map(|(_, l)| l.total),
                    extract_date: list.map(|(d, _)| d),
                }
            })
            .collect();
        Snapshot { date, rows }
    }

    /// Where the patients of `pcn`'s members live on `date`: share of patients by LSOA, from
    /// the practice-by-LSOA counts given to the builder (latest extract on or before the date).
    /// Empty if no such counts were given.
    pub fn pcn_lsoa_shares(
        &self,
        pcn: PcnCode,
        date: NaiveDate,
    ) -> Result<Vec<LsoaShare>, OrgError> {
        let mut by_lsoa: BTreeMap<LsoaCode, PatientCount> = BTreeMap::new();
        for practice in self.members(pcn, date) {
            let latest = self
                .practice_lsoa
                .get(&practice)
                .and_then(|m| m.range(..=date).next_back());
            for (lsoa, n) in latest.map(|(_, v)| v.as_slice()).unwrap_or(&[]) {
                let slot = by_lsoa.entry(*lsoa).or_default();
                *slot = slot.checked_add(*n)?;
            }
        }
        let total = PatientCount::sum(by_lsoa.values().copied())?;
        Ok(by_lsoa
            .into_iter()
            .map(|(lsoa, patients)| LsoaShare {
                lsoa,
                patients,
                share: if total.get() == 0 {
                    0.0
                } else {
                    patients.get() as f64 / total.get() as f64
                },
            })
            .collect())
    }
}
