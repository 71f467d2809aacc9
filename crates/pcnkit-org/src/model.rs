//! The organisations: practices, PCNs, sub-ICB locations, ICBs, regions and partners.

use chrono::NaiveDate;
use pcnkit_core::{
    IcbCode, OdsCode, OnsIcbCode, OnsRegionCode, OnsSubIcbCode, PcnCode, Period, Postcode,
    PracticeCode, RegionCode, SubIcbCode, Wte,
};
use serde::{Deserialize, Serialize};

/// ODS status of an organisation (epraccur column 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PracticeStatus {
    /// `A`: active.
    Active,
    /// `C`: closed.
    Closed,
    /// `D`: dormant.
    Dormant,
    /// `P`: proposed.
    Proposed,
}

impl PracticeStatus {
    /// From the one-letter ODS status code.
    pub fn from_ods(code: &str) -> Option<Self> {
        match code.trim() {
            "A" => Some(PracticeStatus::Active),
            "C" => Some(PracticeStatus::Closed),
            "D" => Some(PracticeStatus::Dormant),
            "P" => Some(PracticeStatus::Proposed),
            _ => None,
        }
    }
}

/// ODS prescribing setting (epraccur column 26). `4` is a GP practice.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct PrescribingSetting(pub u8);

impl PrescribingSetting {
    /// A GP practice.
    pub const GP_PRACTICE: PrescribingSetting = PrescribingSetting(4);

    /// Whether this is a GP practice (setting 4).
    pub fn is_gp_practice(self) -> bool {
        self == Self::GP_PRACTICE
    }

    /// The ODS description of the setting, where the code is one ODS documents.
    pub fn description(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "other",
            1 => "walk-in centre",
            2 => "out of hours",
            3 => "walk-in centre and out of hours",
            4 => "GP practice",
            8 => "public health service",
            9 => "community health service",
            10 => "hospital service",
            11 => "optometry service",
            12 => "urgent and emergency care",
            13 => "hospice",
            14 => "care home / nursing home",
            15 => "border force",
            16 => "young offender institution",
            17 => "secure training centre",
            18 => "secure children's home",
            19 => "immigration removal centre",
            20 => "court",
            21 => "police custody",
            22 => "sexual assault referral centre",
            24 => "other justice estate",
            25 => "prison",
            _ => return None,
        })
    }
}

/// A GP practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Practice {
    /// ODS practice code.
    pub code: PracticeCode,
    /// Name as ODS publishes it.
    pub name: String,
    /// Postcode of the main surgery.
    pub postcode: Option<Postcode>,
    /// ODS status.
    pub status: PracticeStatus,
    /// Date the practice opened, if known.
    pub open_date: Option<NaiveDate>,
    /// Date the practice closed, if it has.
    pub close_date: Option<NaiveDate>,
    /// ODS prescribing setting (4 for a GP practice).
    pub prescribing_setting: PrescribingSetting,
    /// Parent sub-ICB location (the commissioner).
    pub sub_icb: Option<SubIcbCode>,
    /// ICB, where the source gives it directly.
    pub icb: Option<IcbCode>,
    /// NHS England region, where the source gives it directly.
    pub region: Option<RegionCode>,
}

impl Practice {
    /// An active GP practice with only a code and a name; set the other fields as known.
    pub fn new(code: PracticeCode, name: impl Into<String>) -> Self {
        Practice {
            code,
            name: name.into(),
            postcode: None,
            status: PracticeStatus::Active,
            open_date: None,
            close_date: None,
            prescribing_setting: PrescribingSetting::GP_PRACTICE,
            sub_icb: None,
            icb: None,
            region: None,
        }
    }

    /// Whether the practice is open on `date` (by its open and close dates; a practice with no
    /// dates is taken as open).
    pub fn is_open_on(&self, date: NaiveDate) -> bool {
        self.open_date.is_none_or(|d| d <= date) && self.close_date.is_none_or(|d| date <= d)
    }
}

/// A PCN's Clinical Director: a named clinician from a member practice, for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct ClinicalDirector {
    /// Name.
    pub name: String,
    /// Profession (the Clinical Director need not be a GP).
    pub profession: Option<String>,
    /// The member practice they work in.
    pub practice: Option<PracticeCode>,
    /// When they hold the role.
    pub period: Period,
    /// Time commitment, if agreed.
    pub wte: Option<Wte>,
}

impl ClinicalDirector {
    /// A Clinical Director for a period.
    pub fn new(name: impl Into<String>, period: Period) -> Self {
        ClinicalDirector {
            name: name.into(),
            profession: None,
            practice: None,
            period,
            wte: None,
        }
    }
}

/// The parts of a Network Agreement. The national template's schedules cover these subjects.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AgreementScheduleKind {
    /// Governance: decision making, meetings, voting, the Clinical Director's appointment.
    Governance,
    /// Working with other organisations (community services, pharmacy, voluntary sector…).
    WorkingWithOtherOrganisations,
    /// The activities the network delivers and who delivers them.
    Activities,
    /// Financial arrangements: nominated payee, distribution of funds.
    FinancialArrangements,
    /// Workforce: employment, sharing and hosting of staff.
    Workforce,
    /// Insolvency provisions.
    InsolvencyProvisions,
    /// Any other schedule a network adds.
    Other(String),
}

impl AgreementScheduleKind {
    /// The schedules every agreement is expected to have.
    pub const EXPECTED: [AgreementScheduleKind; 6] = [
        AgreementScheduleKind::Governance,
        AgreementScheduleKind::WorkingWithOtherOrganisations,
        AgreementScheduleKind::Activities,
        AgreementScheduleKind::FinancialArrangements,
        AgreementScheduleKind::Workforce,
        AgreementScheduleKind::InsolvencyProvisions,
    ];
}

/// One schedule of a Network Agreement, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct AgreementSchedule {
    /// Which schedule.
    pub kind: AgreementScheduleKind,
    /// What the network agreed, clause by clause.
    pub clauses: Vec<String>,
}

impl AgreementSchedule {
    /// A schedule with its clauses.
    pub fn new(kind: AgreementScheduleKind, clauses: Vec<String>) -> Self {
        AgreementSchedule { kind, clauses }
    }
}

/// A PCN's Network Agreement: who signed, from when, and its schedules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct NetworkAgreement {
    /// Date signed by all member practices.
    pub signed: Option<NaiveDate>,
    /// When the agreement has effect.
    pub period: Period,
    /// The practice or entity that receives the network's payments.
    pub nominated_payee: Option<OdsCode>,
    /// The schedules.
    pub schedules: Vec<AgreementSchedule>,
}

impl NetworkAgreement {
    /// An agreement with no schedules yet.
    pub fn new(period: Period) -> Self {
        NetworkAgreement {
            signed: None,
            period,
            nominated_payee: None,
            schedules: Vec::new(),
        }
    }

    /// The expected schedules this agreement lacks.
    pub fn missing_schedules(&self) -> Vec<AgreementScheduleKind> {
        AgreementScheduleKind::EXPECTED
            .into_iter()
            .filter(|k| !self.schedules.iter().any(|s| &s.kind == k))
            .collect()
    }
}

/// A Primary Care Network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Pcn {
    /// ODS PCN code.
    pub code: PcnCode,
    /// Name.
    pub name: String,
    /// Date the PCN opened in ODS.
    pub open_date: Option<NaiveDate>,
    /// Date it closed, if it has.
    pub close_date: Option<NaiveDate>,
    /// The lead (or only) sub-ICB location; for cross-boundary PCNs, the one ODS records.
    pub sub_icb: Option<SubIcbCode>,
    /// ICB, where known directly.
    pub icb: Option<IcbCode>,
    /// The lead practice, if named.
    pub lead_practice: Option<PracticeCode>,
    /// Clinical Directors over time.
    pub clinical_directors: Vec<ClinicalDirector>,
    /// The Network Agreement, if recorded.
    pub agreement: Option<NetworkAgreement>,
    /// Postcode of the PCN's registered address.
    pub postcode: Option<Postcode>,
}

impl Pcn {
    /// A PCN with only a code and a name.
    pub fn new(code: PcnCode, name: impl Into<String>) -> Self {
        Pcn {
            code,
            name: name.into(),
            open_date: None,
            close_date: None,
            sub_icb: None,
            icb: None,
            lead_practice: None,
            clinical_directors: Vec::new(),
            agreement: None,
            postcode: None,
        }
    }

    /// The Clinical Director in post on `date`.
    pub fn clinical_director_on(&self, date: NaiveDate) -> Option<&ClinicalDirector> {
        self.clinical_directors
            .iter()
            .find(|cd| cd.period.contains(date))
    }
}

/// A sub-ICB location (formerly a CCG).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct SubIcbLocation {
    /// ODS code, e.g. `16C`.
    pub code: Option<SubIcbCode>,
    /// ONS code, e.g. `E38000247`.
    pub ons_code: Option<OnsSubIcbCode>,
    /// Name.
    pub name: String,
    /// Parent ICB (ODS).
    pub icb: Option<IcbCode>,
    /// Parent ICB (ONS).
    pub ons_icb: Option<OnsIcbCode>,
}

impl SubIcbLocation {
    /// A sub-ICB location with a name and an ODS code.
    pub fn new(code: SubIcbCode, name: impl Into<String>) -> Self {
        SubIcbLocation {
            code: Some(code),
            ons_code: None,
            name: name.into(),
            icb: None,
            ons_icb: None,
        }
    }
}

/// An Integrated Care Board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Icb {
    /// ODS code, e.g. `QHM`.
    pub code: IcbCode,
    /// ONS code, e.g. `E54000050`.
    pub ons_code: Option<OnsIcbCode>,
    /// Name.
    pub name: String,
    /// NHS England region.
    pub region: Option<RegionCode>,
}

impl Icb {
    /// An ICB with a code and a name.
    pub fn new(code: IcbCode, name: impl Into<String>) -> Self {
        Icb {
            code,
            ons_code: None,
            name: name.into(),
            region: None,
        }
    }
}

/// An NHS England commissioning region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Region {
    /// ODS code, e.g. `Y63`.
    pub code: RegionCode,
    /// ONS code, e.g. `E40000012`.
    pub ons_code: Option<OnsRegionCode>,
    /// Name.
    pub name: String,
}

impl Region {
    /// A region with a code and a name.
    pub fn new(code: RegionCode, name: impl Into<String>) -> Self {
        Region {
            code,
            ons_code: None,
            name: name.into(),
        }
    }
}

/// The kinds of non-GP organisation a PCN works with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PartnerKind {
    /// A community pharmacy.
    CommunityPharmacy,
    /// A community services provider (district nursing, therapies…).
    CommunityServices,
    /// A community mental health provider.
    MentalHealthProvider,
    /// A voluntary, community or social enterprise organisation.
    VoluntaryAndCommunity,
    /// The local authority.
    LocalAuthority,
    /// The health and wellbeing board.
    HealthAndWellbeingBoard,
    /// Anything else, named.
    Other(String),
}

/// A non-GP organisation a PCN works with, for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Partner {
    /// The PCN.
    pub pcn: PcnCode,
    /// What kind of partner.
    pub kind: PartnerKind,
    /// Name.
    pub name: String,
    /// ODS code (pharmacies have `F` codes), if it has one.
    pub ods_code: Option<OdsCode>,
    /// When the partnership holds.
    pub period: Period,
}

impl Partner {
    /// A partner of a PCN.
    pub fn new(pcn: PcnCode, kind: PartnerKind, name: impl Into<String>, period: Period) -> Self {
        Partner {
            pcn,
            kind,
            name: name.into(),
            ods_code: None,
            period,
        }
    }
}
