//! Deprivation: LSOA deciles, scores and ranks (any release of the Indices of Deprivation,
//! matched by meaning, or pcnkit's `lsoa`/`imd_decile` table with optional centroids and
//! populations) and practice deciles (a `practice`/`imd_decile` table,
//! or OHID Fingertips' practice IMD score export, indicator 93553).

use std::collections::BTreeMap;
use std::io::Read;

use pcnkit_core::{DataErrorKind, LsoaCode, PracticeCode, SourceLocation};

use super::{ImportOptions, Imported, Parsed, Skipped, read_csv};
use crate::error::OrgError;

/// One LSOA's deprivation: its IMD decile (1 = most deprived 10%), and its score and rank
/// when the file gives them, with its centroid and population when the table gives them (for
/// walking-distance access).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LsoaDeprivation {
    /// The LSOA.
    pub lsoa: LsoaCode,
    /// IMD decile, 1 to 10.
    pub imd_decile: pcnkit_core::ImdDecile,
    /// IMD score (higher is more deprived), when the file has scores (MHCLG's File 5/7).
    pub imd_score: Option<f64>,
    /// IMD rank (1 is the most deprived), when the file has ranks.
    pub imd_rank: Option<u32>,
    /// The release of the indices the figures are from.
    pub release: pcnkit_core::ImdRelease,
    /// Population-weighted centroid (latitude, longitude, WGS84), if given.
    pub centroid: Option<(f64, f64)>,
    /// Resident population, if given.
    pub population: Option<f64>,
    /// Where it was read.
    pub location: SourceLocation,
}

impl LsoaDeprivation {
    /// An LSOA's decile of `release`, made in code (no score, rank, centroid or population;
    /// set those as known).
    pub fn new(
        lsoa: LsoaCode,
        imd_decile: pcnkit_core::ImdDecile,
        release: pcnkit_core::ImdRelease,
    ) -> Self {
        LsoaDeprivation {
            lsoa,
            imd_decile,
            imd_score: None,
            imd_rank: None,
            release,
            centroid: None,
            population: None,
            location: SourceLocation::default(),
        }
    }
}

fn decile(
    row: &pcnkit_core::read::Row<'_>,
    col: usize,
) -> Result<pcnkit_core::ImdDecile, pcnkit_core::DataError> {
    let d: u8 = row.req_any(col)?;
    pcnkit_core::ImdDecile::new(d).map_err(|_| {
        row.error(
            col,
            DataErrorKind::BadValue(format!("decile {d} is not 1 to 10")),
        )
    })
}

/// Whether a normalised header is of the overall Index of Multiple Deprivation (not one of
/// its domains) and of `what` (`score`, `rank`, `decile`): `Index of Multiple Deprivation
/// (IMD) Score`, `IMD Decile (where 1 is most deprived 10% of LSOAs)`, `imd_rank`, ….
fn imd_column(header: &str, what: &str) -> bool {
    let overall = header.contains("index of multiple deprivation")
        || header.starts_with("imd ")
        || header.starts_with("imd_")
        || header.starts_with("imd(");
    overall && header.contains(what)
}

/// The columns of an LSOA deprivation file, found by what they mean.
struct LsoaColumns {
    code: usize,
    decile: usize,
    score: Option<usize>,
    rank: Option<usize>,
    release_column: Option<usize>,
    geo: Option<(usize, usize, usize)>,
    release: pcnkit_core::ImdRelease,
}

fn lsoa_columns(cols: &pcnkit_core::read::Columns) -> Result<LsoaColumns, pcnkit_core::DataError> {
    let code = match cols.find(&["lsoa", "lsoa_code", "lsoa11cd", "lsoa21cd"]) {
        Some(c) => c,
        None => cols
            .find_by(|h| h.contains("lsoa") && h.contains("code"))
            .ok_or_else(|| {
                pcnkit_core::DataError::new(
                    SourceLocation::file(cols.file())
                        .at_line(1)
                        .at_field("lsoa"),
                    DataErrorKind::MissingColumn,
                )
            })?,
    };
    let decile = cols.find_by(|h| imd_column(h, "decile")).ok_or_else(|| {
        pcnkit_core::DataError::new(
            SourceLocation::file(cols.file())
                .at_line(1)
                .at_field("imd_decile"),
            DataErrorKind::MissingColumn,
        )
    })?;
    let score = cols.find_by(|h| imd_column(h, "score"));
    let rank = cols.find_by(|h| imd_column(h, "rank"));
    let release_column = cols.find(&["imd_release", "release"]);
    let geo = match (
        cols.find(&["latitude"]),
        cols.find(&["longitude"]),
        cols.find(&["population"]),
    ) {
        (Some(a), Some(b), Some(c)) => Some((a, b, c)),
        _ => None,
    };
    // The release: from the year of the local authority districts the file is laid out by
    // (MHCLG's files name it: 2013 for IoD2015, 2019 for IoD2019, 2024 for IoD2025), else from
    // the file name, else unstated (or per row, from an `imd_release` column).
    let lad_year = cols.names().iter().find_map(|h| {
        let rest = h.strip_prefix("local authority district code (")?;
        rest.get(..4)?.parse::<u16>().ok()
    });
    let release = match lad_year {
        Some(2013) => pcnkit_core::ImdRelease::Iod2015,
        Some(2019) => pcnkit_core::ImdRelease::Iod2019,
        Some(2024) => pcnkit_core::ImdRelease::Iod2025,
        _ => pcnkit_core::ImdRelease::in_file_name(cols.file())
            .unwrap_or(pcnkit_core::ImdRelease::Unstated),
    };
    Ok(LsoaColumns {
        code,
        decile,
        score,
        rank,
        release_column,
        geo,
        release,
    })
}

/// Reads LSOA deprivation from any release of the English Indices of Deprivation (MHCLG's
/// File 1, 2 or 5 of IoD2019 on 2011 LSOAs, the IoD2025 files on 2021 LSOAs) or pcnkit's table
/// (`lsoa`, `imd_decile`, optionally `imd_score`, `imd_release`, `latitude`, `longitude`,
/// `population`). Columns are matched by what they mean, not one release's exact headers: an
/// LSOA code column (`LSOA code (2011)`, `LSOA code (2021)`, `lsoa11cd`, …), and the overall
/// IMD's decile (required), score and rank (domain columns are not taken for them). The
/// release is named from the local authority year MHCLG lays each release out by, else the
/// file name, else an `imd_release` column, else it is unstated (and said to be). A decile
/// outside 1–10, a bad score, rank or coordinate, a negative population and a second row for
/// the same LSOA (the error names the first line) are errors.
///
/// ```
/// use pcnkit_org::import::{ImportOptions, read_lsoa_deprivation};
/// use pcnkit_core::ImdRelease;
/// let csv = "LSOA code (2021),Local Authority District code (2024),Index of Multiple Deprivation (IMD) Score,Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)\nE01000001,E09000001,6.2,9\n";
/// let l = read_lsoa_deprivation(csv.as_bytes(), ImportOptions::new("imd.csv"))?;
/// assert_eq!(l.records[0].release, ImdRelease::Iod2025);
/// assert_eq!(l.records[0].imd_score, Some(6.2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_lsoa_deprivation<R: Read>(
    input: R,
    options: ImportOptions<'_>,
) -> Result<Imported<LsoaDeprivation>, OrgError> {
    let mut seen = pcnkit_core::read::FirstSeen::new();
    read_csv(input, options, None, lsoa_columns, |c, row| {
        let lsoa: LsoaCode = row.req(c.code)?;
        let imd_decile = decile(row, c.decile)?;
        let imd_score = match c.score {
            Some(i) => {
                let v: Option<f64> = row.opt_any(i)?;
                if let Some(v) = v.filter(|v| !v.is_finite()) {
                    return Err(row.error(
                        i,
                        DataErrorKind::BadValue(format!("score {v} is not a number")),
                    ));
                }
                v
            }
            None => None,
        };
        let imd_rank = match c.rank {
            Some(i) => row.opt_any::<u32>(i)?,
            None => None,
        };
        let release = match c.release_column {
            Some(i) if c.release == pcnkit_core::ImdRelease::Unstated => {
                pcnkit_core::ImdRelease::from_name(row.text(i)?)
            }
            _ => c.release.clone(),
        };
        let (centroid, population) = match c.geo {
            Some((la, lo, po)) => {
                let p: f64 = row.req_any(po)?;
                if !(p >= 0.0 && p.is_finite()) {
                    return Err(row.error(
                        po,
                        DataErrorKind::BadValue(format!("population {p} must be 0 or more")),
                    ));
                }
                (Some(row.req_lat_lon(la, lo)?), Some(p))
            }
            None => (None, None),
        };
        seen.check(lsoa, row, c.code, &lsoa, "")?;
        Ok(Parsed::Record(LsoaDeprivation {
            lsoa,
            imd_decile,
            imd_score,
            imd_rank,
            release,
            centroid,
            population,
            location: row.row_location(),
        }))
    })
}

/// Where practice deciles came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PracticeDeprivationSource {
    /// Deciles given in the table.
    Deciles,
    /// OHID Fingertips practice IMD scores of one year (the IMD edition it reflects: 2019 is
    /// IMD 2019), cut into deciles of the practices in the file, 1 = highest score (most
    /// deprived).
    FingertipsScores {
        /// The year used: the latest in the file.
        year: i32,
    },
}

/// Practice deprivation deciles.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PracticeDeprivation {
    /// Decile per practice, 1 = most deprived.
    pub deciles: BTreeMap<PracticeCode, pcnkit_core::ImdDecile>,
    /// How they were obtained.
    pub source: PracticeDeprivationSource,
}

/// Reads practice deprivation: a `practice`, `imd_decile` table, or the Fingertips practice IMD
/// score export (`AreaCode`, `Value`, `Year`). In the Fingertips export only the latest year in
/// the file is used (IMD editions are not mixed): rows of earlier years, of areas that are not
/// practices (England, ICBs) and without a value are skipped, each with its reason. Errors: a
/// decile outside 1–10, an unparseable score or year, and a practice given twice (for the same
/// year), naming the first line.
///
/// ```
/// use pcnkit_org::import::{ImportOptions, read_practice_deprivation};
/// let csv = "practice,imd_decile\nA81001,3\nA81001,4\n";
/// let d = read_practice_deprivation(csv.as_bytes(), ImportOptions::new("dep.csv"))?;
/// assert_eq!(d.records[0].deciles.len(), 1);
/// assert_eq!(d.errors[0].to_string(), "dep.csv, line 3, field `practice`: A81001 is already on line 2");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_practice_deprivation<R: Read>(
    input: R,
    options: ImportOptions<'_>,
) -> Result<Imported<PracticeDeprivation>, OrgError> {
    enum Layout {
        Deciles {
            practice: usize,
            decile: usize,
        },
        Scores {
            code: usize,
            value: usize,
            year: Option<usize>,
        },
    }
    enum Row {
        Decile(PracticeCode, pcnkit_core::ImdDecile),
        Score(PracticeCode, i32, f64, SourceLocation),
    }
    let mut seen = pcnkit_core::read::FirstSeen::new();
    let rows = read_csv(
        input,
        options,
        None,
        |cols| {
            Ok(match cols.find(&["imd_decile"]) {
                Some(decile) => Layout::Deciles {
                    practice: cols.require(&["practice", "practice_code"])?,
                    decile,
                },
                None => Layout::Scores {
                    code: cols.require(&["AreaCode", "Area Code"])?,
                    value: cols.require(&["Value"])?,
                    year: cols.find(&["Year", "Time period"]),
                },
            })
        },
        |layout, row| match *layout {
            Layout::Deciles {
                practice,
                decile: col,
            } => {
                let p: PracticeCode = row.req(practice)?;
                let d = decile(row, col)?;
                seen.check((p, 0), row, practice, &p, "")?;
                Ok(Parsed::Record(Row::Decile(p, d)))
            }
            Layout::Scores { code, value, year } => {
                let Ok(p) = row.text(code)?.parse::<PracticeCode>() else {
                    return Ok(Parsed::Skip(format!(
                        "{:?} is not a practice code (an England or ICB row)",
                        row.text(code)?
                    )));
                };
                let Some(score) = row.opt_any::<f64>(value)? else {
                    return Ok(Parsed::Skip(format!("practice {p}: no value")));
                };
                if !score.is_finite() {
                    return Err(row.error(
                        value,
                        DataErrorKind::BadValue(format!("{score} is not a number")),
                    ));
                }
                let y: i32 = match year {
                    Some(c) => row.req_any(c)?,
                    None => 0,
                };
                seen.check((p, y), row, code, &format!("{p} ({y})"), "")?;
                Ok(Parsed::Record(Row::Score(p, y, score, row.row_location())))
            }
        },
    )?;
    let mut out: Imported<PracticeDeprivation> = Imported::new();
    out.rows = rows.rows;
    out.errors = rows.errors;
    out.skipped = rows.skipped;
    let latest = rows
        .records
        .iter()
        .filter_map(|r| match r {
            Row::Score(_, y, _, _) => Some(*y),
            Row::Decile(..) => None,
        })
        .max();
    let mut deciles = BTreeMap::new();
    let source = match latest {
        None => {
            for r in rows.records {
                if let Row::Decile(p, d) = r {
                    deciles.insert(p, d);
                }
            }
            PracticeDeprivationSource::Deciles
        }
        Some(year) => {
            let mut scores = Vec::new();
            for r in rows.records {
                if let Row::Score(p, y, s, location) = r {
                    if y == year {
                        scores.push((p, s));
                    } else {
                        out.skipped.push(Skipped {
                            location,
                            reason: format!(
                                "practice {p}: year {y}, not the latest in the file ({year}); IMD editions are not mixed"
                            ),
                        });
                    }
                }
            }
            // Deciles of the practices in the file: the highest scores (most deprived) are
            // decile 1; ties are broken by practice code so the cut is deterministic.
            scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let n = scores.len();
            for (i, (p, _)) in scores.into_iter().enumerate() {
                if let Some(d) = pcnkit_core::ImdDecile::of_rank(i, n) {
                    deciles.insert(p, d);
                }
            }
            PracticeDeprivationSource::FingertipsScores { year }
        }
    };
    out.records.push(PracticeDeprivation { deciles, source });
    Ok(out)
}
