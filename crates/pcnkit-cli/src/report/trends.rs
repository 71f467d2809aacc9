//! The report's trends: control charts of the monthly activity and ARRS claims with Making
//! Data Count style icons, and the recent trends of the yearly measures. Renders the profile's
//! figures; computes none.

use maud::{Markup, html};

use super::html::figure;
use super::svg::{self, Point, fmt_num};

/// A colour for a point's variation (pcnkit's own, in the spirit of the Making Data Count
/// icons: blue improvement, orange concern, purple neither, grey common cause).
fn variation_colour(v: pcnkit_indicators::spc::Variation) -> &'static str {
    use pcnkit_indicators::spc::Variation as V;
    match v {
        V::ImprovementHigh | V::ImprovementLow => "#2d7dd2",
        V::ConcernHigh | V::ConcernLow => "#e07b00",
        V::NeitherHigh | V::NeitherLow => "#7b5ea7",
        V::CommonCause => "#999999",
        _ => "#dddddd",
    }
}

/// A Making Data Count style variation icon: a circle in the variation's colour with H or L
/// for a special cause high or low, or a flat line for common cause (pcnkit's drawing of the
/// published convention, not NHS England's artwork).
fn variation_icon(v: pcnkit_indicators::spc::Variation) -> Markup {
    use pcnkit_indicators::spc::Variation as V;
    let mark = match v {
        V::ImprovementHigh | V::ConcernHigh | V::NeitherHigh => "H",
        V::ImprovementLow | V::ConcernLow | V::NeitherLow => "L",
        _ => "",
    };
    html! {
        svg.icon width="22" height="22" viewBox="0 0 22 22" role="img" aria-label=(v.label()) {
            title { (v.label()) }
            circle cx="11" cy="11" r="10" fill="white" stroke=(variation_colour(v)) stroke-width="2" {}
            @if mark.is_empty() {
                path d="M5 11 H17" stroke=(variation_colour(v)) stroke-width="2" {}
            } @else {
                text x="11" y="15.5" text-anchor="middle" font-size="12" font-weight="bold" fill=(variation_colour(v)) { (mark) }
            }
        }
    }
}

/// An assurance icon: P (consistently pass, blue), F (consistently fail, orange) or ? (hit
/// and miss, grey), after the same convention.
fn assurance_icon(a: pcnkit_indicators::spc::Assurance) -> Markup {
    use pcnkit_indicators::spc::Assurance as A;
    let (mark, colour) = match a {
        A::ConsistentlyPass => ("P", "#2d7dd2"),
        A::ConsistentlyFail => ("F", "#e07b00"),
        _ => ("?", "#999999"),
    };
    html! {
        svg.icon width="22" height="22" viewBox="0 0 22 22" role="img" aria-label=(a.label()) {
            title { (a.label()) }
            circle cx="11" cy="11" r="10" fill=(colour) {}
            text x="11" y="15.5" text-anchor="middle" font-size="12" font-weight="bold" fill="white" { (mark) }
        }
    }
}

fn spc_figure(c: &pcnkit_profile::MonthlyChart, what: &str) -> Markup {
    let p = &c.chart.points;
    let points: Vec<Point> = p
        .iter()
        .enumerate()
        .filter_map(|(i, pt)| {
            let v = pt.value?;
            Some(Point {
                x: i as f64,
                y: v,
                label: format!(
                    "{}: {} ({})",
                    c.months.get(i).map(ToString::to_string).unwrap_or_default(),
                    fmt_num(v),
                    pt.variation.label()
                ),
                colour: variation_colour(pt.variation).to_owned(),
            })
        })
        .collect();
    let line = |f: &dyn Fn(&pcnkit_indicators::spc::SpcPoint) -> Option<f64>| -> Vec<(f64, f64)> {
        p.iter()
            .enumerate()
            .filter_map(|(i, pt)| Some((i as f64, f(pt)?)))
            .collect()
    };
    let first = c
        .months
        .first()
        .map(ToString::to_string)
        .unwrap_or_default();
    let latest = c.chart.latest();
    html! {
        p.icons {
            (variation_icon(latest)) " " (c.label) ": latest " (latest.label())
            @if let Some(a) = c.chart.assurance { " · " (assurance_icon(a)) " " (a.label()) " against the target" }
        }
        (figure(
            svg::scatter(&format!("{} — {what}: XmR chart", c.label), &points,
                &[(line(&|pt| pt.mean), "#333"), (line(&|pt| pt.limits.map(|l| l.0)), "#aaa"), (line(&|pt| pt.limits.map(|l| l.1)), "#aaa")],
                &format!("month (0 = {first})"), what),
            &format!("{} {what} by month with its mean (black) and process limits (grey); latest point: {}.", c.label, latest.label()),
            "points inside the limits vary by chance (grey); coloured points are special cause: a point beyond a limit, a run of seven on one side of the mean, a trend of seven, or two of three near a limit — blue where it is improvement, orange where it is concern, purple where neither. A gap in the line is a month without a value, which never makes a signal.",
        ))
    }
}

pub(super) fn control_charts(s: &pcnkit_profile::SpcProfile) -> Markup {
    let flagged: Vec<&pcnkit_profile::MonthlyChart> = s
        .pcns
        .iter()
        .filter(|c| {
            !matches!(
                c.chart.latest(),
                pcnkit_indicators::spc::Variation::CommonCause
                    | pcnkit_indicators::spc::Variation::None
            )
        })
        .take(6)
        .collect();
    html! {
        section #trends {
            h2 { "Trends: control charts" }
            p { "Statistical process control in the NHS England Making Data Count style: XmR charts with limits from the mean moving range, the special cause rules, and each point's variation given the improvement direction (" (s.label) ": " (match s.direction { pcnkit_indicators::spc::Direction::Increase => "more is better", pcnkit_indicators::spc::Direction::Decrease => "fewer is better", _ => "no direction" }) ")." }
            @if let Some(c) = &s.ics { (spc_figure(c, &s.label)) }
            @if let Some(c) = &s.arrs_claims {
                @if c.chart.points.iter().any(|p| p.limits.is_some()) {
                    (spc_figure(c, "ARRS claims (£)"))
                } @else {
                    p.note { "The ICS's ARRS claims by month cannot be charted: " (c.chart.points.iter().filter(|p| p.value.is_none()).count()) " of " (c.chart.points.len()) " months have an incomplete total (claim lines that cannot be valued), and a month without a value is never drawn or guessed." }
                }
            }
            @if !s.pcns.is_empty() {
                table {
                    caption { "Latest variation of each PCN's " (s.label) }
                    thead { tr { th scope="col" { "PCN" } th scope="col" { "months" } th scope="col" { "latest variation" } } }
                    tbody {
                        @for c in &s.pcns {
                            tr {
                                td { (c.label) }
                                td { (c.chart.points.len()) }
                                td { (variation_icon(c.chart.latest())) " " (c.chart.latest().label()) }
                            }
                        }
                    }
                }
                @for c in &flagged { (spc_figure(c, &s.label)) }
            }
        }
    }
}

/// A recent trend's arrow and colour: better and worse in Fingertips' benchmarking colours,
/// a direction without judgement in its higher/lower ones, the rest grey.
fn trend_marker(r: &pcnkit_profile::TrendRow) -> (&'static str, &'static str) {
    use pcnkit_indicators::benchmark::{Comparison, Polarity};
    use pcnkit_indicators::trend::TrendDirection as D;
    let colour = match (r.trend.direction, r.polarity) {
        (D::Increasing, Polarity::HighIsGood) | (D::Decreasing, Polarity::LowIsGood) => {
            Comparison::Better.colour()
        }
        (D::Increasing, Polarity::LowIsGood) | (D::Decreasing, Polarity::HighIsGood) => {
            Comparison::Worse.colour()
        }
        (D::Increasing, _) => Comparison::Higher.colour(),
        (D::Decreasing, _) => Comparison::Lower.colour(),
        _ => Comparison::NotCompared.colour(),
    };
    let arrow = match r.trend.direction {
        D::Increasing => "▲",
        D::Decreasing => "▼",
        D::NoSignificantChange => "▶",
        _ => "–",
    };
    (arrow, colour)
}

pub(super) fn recent_trends(rows: &[pcnkit_profile::TrendRow]) -> Markup {
    let years: Vec<i32> = {
        let mut y: Vec<i32> = rows
            .iter()
            .flat_map(|r| r.years.iter().map(|y| y.0))
            .collect();
        y.sort_unstable();
        y.dedup();
        let n = y.len();
        y.split_off(n.saturating_sub(5))
    };
    html! {
        section #recent-trends {
            h2 { "Recent trends" }
            p { "Each PCN's and the ICS's yearly measures over their five most recent years, marked as Fingertips marks recent trends (OHID, Fingertips trend markers): the chi-squared test for trend in proportions, significant at 99.8%, and not where one year alone explains it. Arrows are coloured green where the trend is getting better and red where it is getting worse (Fingertips' benchmarking colours), grey where there is no significant change or it cannot be calculated." }
            table {
                caption { "Recent trends (percentage of each year)" }
                thead { tr {
                    th scope="col" { "measure" } th scope="col" { "area" }
                    @for y in &years { th scope="col" { (y) "/" (format!("{:02}", (y + 1).rem_euclid(100))) } }
                    th scope="col" { "recent trend" } th scope="col" { "why" }
                } }
                tbody {
                    @for r in rows {
                        @let (arrow, colour) = trend_marker(r);
                        tr {
                            td { (r.measure) }
                            td { @if r.area == "ICS" { strong { "ICS" } } @else { (r.area) } }
                            @for y in &years {
                                td.num { @match r.years.iter().find(|v| v.0 == *y).and_then(|v| v.1) { Some(v) => (format!("{v:.1}")), None => "–" } }
                            }
                            td { span style={ "color:" (colour) ";font-weight:bold;margin-right:4px" } { (arrow) } (r.trend.direction.with_polarity(r.polarity)) }
                            td { (r.trend.reason) }
                        }
                    }
                }
            }
        }
    }
}
