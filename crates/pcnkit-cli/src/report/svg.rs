//! Small inline SVG charts: scatter (with optional funnel lines), dot-and-whisker, bars and a
//! population pyramid. Each has a `<title>`, axis labels and units.

use std::fmt::Write;

/// Escapes text for HTML and SVG.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const W: f64 = 640.0;
const H: f64 = 360.0;
const L: f64 = 70.0;
const R: f64 = 20.0;
const T: f64 = 20.0;
const B: f64 = 50.0;

struct Scale {
    lo: f64,
    hi: f64,
    /// Distance between ticks: 1, 2 or 5 times a power of ten.
    step: f64,
    a: f64,
    b: f64,
}

/// A round tick step (1, 2 or 5 × 10ⁿ) giving about four intervals over `span`.
fn nice_step(span: f64) -> f64 {
    let raw = (span / 4.0).max(f64::MIN_POSITIVE);
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

impl Scale {
    /// A scale from `lo` to `hi` widened to round numbers, drawn from `a` to `b`.
    fn new(lo: f64, hi: f64, a: f64, b: f64) -> Self {
        let (lo, hi) = if !(lo.is_finite() && hi.is_finite()) {
            (0.0, 1.0)
        } else if (hi - lo).abs() < 1e-12 {
            (lo - 1.0, hi + 1.0)
        } else {
            (lo, hi)
        };
        let step = nice_step(hi - lo);
        let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
        Scale { lo, hi, step, a, b }
    }
    fn at(&self, v: f64) -> f64 {
        self.a + (v - self.lo) / (self.hi - self.lo) * (self.b - self.a)
    }
    /// The tick values: round numbers from `lo` to `hi`.
    fn ticks(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as usize;
        (0..=n.min(20))
            .map(|i| {
                let v = self.lo + self.step * i as f64;
                // Clean -0 and float dust (0.30000000000000004).
                let r = (v / self.step).round() * self.step;
                if r == 0.0 { 0.0 } else { r }
            })
            .collect()
    }
}

fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = (hi - lo) * 0.05;
    (lo - pad, hi + pad)
}

fn frame(out: &mut String, title: &str, x: &Scale, y: &Scale, x_label: &str, y_label: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = esc(title)
    );
    let _ = write!(
        out,
        r##"<rect x="{L}" y="{T}" width="{}" height="{}" fill="#fafafa" stroke="#999"/>"##,
        W - L - R,
        H - T - B
    );
    for fx in x.ticks() {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle">{}</text>"##,
            x.at(fx),
            H - B + 16.0,
            tick(fx, x.step),
        );
    }
    for fy in y.ticks() {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end">{}</text>"##,
            L - 6.0,
            y.at(fy) + 4.0,
            tick(fy, y.step)
        );
    }
    let _ = write!(
        out,
        r#"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle">{}</text><text transform="translate(16 {:.1}) rotate(-90)" font-size="12" text-anchor="middle">{}</text>"#,
        L + (W - L - R) / 2.0,
        H - 10.0,
        esc(x_label),
        T + (H - T - B) / 2.0,
        esc(y_label)
    );
}

/// Tick labels and the axis title under a horizontal chart of height `h`, then closes the SVG.
fn x_axis(out: &mut String, x: &Scale, h: f64, label: &str) {
    for fx in x.ticks() {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle">{}</text>"#,
            x.at(fx),
            h - B + 16.0,
            tick(fx, x.step)
        );
    }
    let _ = write!(
        out,
        r#"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle">{}</text></svg>"#,
        x.a + (x.b - x.a) / 2.0,
        h - 10.0,
        esc(label)
    );
}

/// A tick label: a round number with as many decimals as its step needs, thousands separated.
fn tick(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    };
    let text = format!("{v:.decimals$}");
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), ""), |(i, f)| (i, f));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// Ten swatches from decile 1 (most deprived) to 10 (least), and grey for unknown: the legend
/// of charts coloured by deprivation.
pub fn decile_legend(colour: impl Fn(f64) -> String) -> String {
    let mut out = String::from(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 34" role="img" aria-label="Colour legend: IMD decile"><title>Colour legend: IMD decile</title><text x="0" y="14" font-size="11">IMD decile:</text>"#,
    );
    for d in 1..=10 {
        let x = 70.0 + 34.0 * f64::from(d - 1);
        let _ = write!(
            out,
            r#"<rect x="{x}" y="4" width="30" height="12" fill="{}"/><text x="{:.0}" y="28" font-size="10" text-anchor="middle">{d}</text>"#,
            colour(f64::from(d)),
            x + 15.0
        );
    }
    out.push_str(r##"<text x="70" y="34" font-size="0"></text><text x="420" y="14" font-size="10">1 = most deprived, 10 = least</text><rect x="580" y="4" width="12" height="12" fill="#999"/><text x="596" y="14" font-size="10">unknown</text></svg>"##);
    out
}

/// A number with a sensible number of digits for an axis.
pub fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return "unknown".to_owned();
    }
    let a = v.abs();
    if a >= 1e5 {
        format!("{:.0}k", v / 1000.0)
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

/// A labelled point.
pub struct Point {
    /// x value.
    pub x: f64,
    /// y value.
    pub y: f64,
    /// Tooltip.
    pub label: String,
    /// Fill colour.
    pub colour: String,
}

/// A scatter plot, with optional lines (e.g. funnel limits) drawn first.
pub fn scatter(
    title: &str,
    points: &[Point],
    lines: &[(Vec<(f64, f64)>, &str)],
    x_label: &str,
    y_label: &str,
) -> String {
    let (x0, x1) = bounds(
        points
            .iter()
            .map(|p| p.x)
            .chain(lines.iter().flat_map(|l| l.0.iter().map(|p| p.0))),
    );
    let (y0, y1) = bounds(
        points
            .iter()
            .map(|p| p.y)
            .chain(lines.iter().flat_map(|l| l.0.iter().map(|p| p.1))),
    );
    let x = Scale::new(x0, x1, L, W - R);
    let y = Scale::new(y0, y1, H - B, T);
    let mut out = String::new();
    frame(&mut out, title, &x, &y, x_label, y_label);
    for (line, colour) in lines {
        let d: Vec<String> = line
            .iter()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .map(|p| format!("{:.1},{:.1}", x.at(p.0), y.at(p.1)))
            .collect();
        let _ = write!(
            out,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="1.2" points="{}"/>"#,
            d.join(" ")
        );
    }
    for p in points {
        let _ = write!(
            out,
            r##"<circle cx="{:.1}" cy="{:.1}" r="5" fill="{}" stroke="#333"><title>{}</title></circle>"##,
            x.at(p.x),
            y.at(p.y),
            p.colour,
            esc(&p.label)
        );
    }
    out.push_str("</svg>");
    out
}

/// Values with intervals, one row each (dot and whisker), sorted as given.
pub fn dots(
    title: &str,
    rows: &[(String, f64, f64, f64)],
    reference: Option<f64>,
    x_label: &str,
) -> String {
    let h = 24.0 * rows.len() as f64 + T + B;
    let (x0, x1) = bounds(rows.iter().flat_map(|r| [r.1, r.2, r.3]).chain(reference));
    let x = Scale::new(x0, x1, 110.0, W - R);
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = esc(title)
    );
    if let Some(r) = reference {
        let _ = write!(
            out,
            r##"<line x1="{0:.1}" x2="{0:.1}" y1="{T}" y2="{1:.1}" stroke="#c00" stroke-dasharray="4 3"/>"##,
            x.at(r),
            h - B
        );
    }
    for (i, (label, v, lo, hi)) in rows.iter().enumerate() {
        let cy = T + 12.0 + 24.0 * i as f64;
        let _ = write!(
            out,
            r##"<text x="104" y="{:.1}" font-size="11" text-anchor="end">{}</text><line x1="{:.1}" x2="{:.1}" y1="{cy:.1}" y2="{cy:.1}" stroke="#336"/><circle cx="{:.1}" cy="{cy:.1}" r="4" fill="#336"><title>{}: {} ({} to {})</title></circle>"##,
            cy + 4.0,
            esc(label),
            x.at(*lo),
            x.at(*hi),
            x.at(*v),
            esc(label),
            fmt_num(*v),
            fmt_num(*lo),
            fmt_num(*hi)
        );
    }
    x_axis(&mut out, &x, h, x_label);
    out
}

/// Grouped horizontal bars: per label, several series.
pub fn bars(
    title: &str,
    rows: &[(String, Vec<f64>)],
    series: &[(&str, &str)],
    x_label: &str,
) -> String {
    let k = series.len().max(1) as f64;
    let h = 8.0 * k * rows.len() as f64 + 8.0 * rows.len() as f64 + T + B + 20.0;
    let max = rows
        .iter()
        .flat_map(|r| r.1.iter().copied())
        .fold(0.0, f64::max);
    // Room for the longest label (about 5.5 px a character at font size 10).
    let longest = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let left = (longest as f64 * 5.5 + 10.0).clamp(110.0, 240.0);
    let x = Scale::new(0.0, max.max(1.0) * 1.05, left, W - R);
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = esc(title)
    );
    let mut y = T;
    for (label, values) in rows {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="end">{}</text>"#,
            left - 6.0,
            y + 8.0 * k / 2.0 + 3.0,
            esc(label)
        );
        for (v, (name, colour)) in values.iter().zip(series) {
            if v.is_finite() {
                let _ = write!(
                    out,
                    r#"<rect x="{left:.1}" y="{y:.1}" width="{:.1}" height="7" fill="{colour}"><title>{}: {} {}</title></rect>"#,
                    (x.at(*v) - left).max(0.0),
                    esc(label),
                    esc(name),
                    fmt_num(*v)
                );
            } else {
                // An unknown value is said, never drawn as zero.
                let _ = write!(
                    out,
                    r#"<text x="{:.1}" y="{:.1}" font-size="8" fill="{colour}">{}: unknown</text>"#,
                    left + 2.0,
                    y + 6.5,
                    esc(name)
                );
            }
            y += 8.0;
        }
        y += 8.0;
    }
    let mut lx = left;
    for (name, colour) in series {
        let _ = write!(
            out,
            r#"<rect x="{lx:.1}" y="{:.1}" width="10" height="10" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="11">{}</text>"#,
            y + 4.0,
            lx + 14.0,
            y + 13.0,
            esc(name)
        );
        lx += 160.0;
    }
    x_axis(&mut out, &x, h, x_label);
    out
}

/// A population pyramid: (band label, males, females), youngest first, on a scale of `max`
/// patients each side (the same for every pyramid of a report, so they compare), with a count
/// axis of round numbers.
pub fn pyramid(title: &str, bands: &[(String, f64, f64)], max: f64) -> String {
    let (w, h) = (300.0, 12.0 * bands.len() as f64 + 52.0);
    let mid = w / 2.0;
    let half = mid - 30.0;
    let scale = Scale::new(0.0, max.max(1.0), 0.0, half);
    let max = scale.hi;
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = esc(title)
    );
    for (i, (label, m, f)) in bands.iter().rev().enumerate() {
        let y = 10.0 + 12.0 * i as f64;
        let (lm, lf) = (m / max * half, f / max * half);
        let _ = write!(
            out,
            r##"<rect x="{:.1}" y="{y:.1}" width="{lm:.1}" height="10" fill="#4a7bb7"><title>{label} male: {m}</title></rect><rect x="{:.1}" y="{y:.1}" width="{lf:.1}" height="10" fill="#c0504d"><title>{label} female: {f}</title></rect><text x="{mid}" y="{:.1}" font-size="8" text-anchor="middle">{}</text>"##,
            mid - 12.0 - lm,
            mid + 12.0,
            y + 8.0,
            esc(label)
        );
    }
    let axis_y = 10.0 + 12.0 * bands.len() as f64 + 8.0;
    let ticks = scale.ticks();
    let last = ticks.len().saturating_sub(1);
    for (i, v) in ticks.into_iter().enumerate() {
        // Zero and the end of each side: enough to read the scale without crowding.
        if i != 0 && i != last && i != last / 2 {
            continue;
        }
        let off = v / max * half;
        for (x, anchor) in [(mid - 12.0 - off, "middle"), (mid + 12.0 + off, "middle")] {
            let _ = write!(
                out,
                r#"<text x="{x:.1}" y="{axis_y:.1}" font-size="8" text-anchor="{anchor}">{}</text>"#,
                tick(v, scale.step)
            );
        }
    }
    let _ = write!(
        out,
        r#"<text x="10" y="{:.1}" font-size="10">← male</text><text x="{mid}" y="{:.1}" font-size="9" text-anchor="middle">patients</text><text x="{:.1}" y="{:.1}" font-size="10" text-anchor="end">female →</text></svg>"#,
        h - 8.0,
        h - 8.0,
        w - 10.0,
        h - 8.0
    );
    out
}
