//! XmR charts by hand-computed series: each rule, gaps, rebasing with a fixed baseline,
//! assurance on the last segment, a six-point run when configured.

use pcnkit_indicators::spc::{Assurance, Direction, Missing, SpcOptions, Variation, xmr};

fn some(v: &[f64]) -> Vec<Option<f64>> {
    v.iter().copied().map(Some).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn limits_are_the_mean_plus_and_minus_2_66_mean_moving_ranges() {
    // Mean 12, moving ranges 2, 2, 2, 2 → MR̄ 2; limits 12 ± 5.32.
    let c = xmr(
        &some(&[10.0, 12.0, 14.0, 12.0, 12.0 - 0.0]),
        &SpcOptions::default(),
    )
    .unwrap();
    let p = &c.points[0];
    let mean = (10.0 + 12.0 + 14.0 + 12.0 + 12.0) / 5.0;
    let mr = (2.0 + 2.0 + 2.0 + 0.0) / 4.0;
    assert!(close(p.mean.unwrap(), mean));
    let (l, u) = p.limits.unwrap();
    assert!(close(l, mean - 2.66 * mr) && close(u, mean + 2.66 * mr));
    let (l2, u2) = p.two_sigma.unwrap();
    assert!(close(u2 - mean, 2.0 / 3.0 * 2.66 * mr) && close(mean - l2, u2 - mean));
}

#[test]
fn a_point_beyond_the_limits_is_special_cause_by_direction() {
    // Limits from the first ten points (a baseline): mean 12, MR̄ 4, UCL 22.64; then 40.
    let mut v: Vec<f64> = [10.0, 14.0].repeat(5);
    v.extend([12.0, 40.0]);
    let base = SpcOptions::default().baseline(Some(10));
    let up = base.clone().direction(Direction::Increase);
    let c = xmr(&some(&v), &up).unwrap();
    let (_, ucl) = c.points[0].limits.unwrap();
    assert!(close(ucl, 12.0 + 2.66 * 4.0));
    let last = c.points.last().unwrap();
    assert!(last.beyond_limits);
    assert_eq!(last.variation, Variation::ImprovementHigh);
    let down = base.clone().direction(Direction::Decrease);
    assert_eq!(
        xmr(&some(&v), &down).unwrap().latest(),
        Variation::ConcernHigh
    );
    assert_eq!(
        xmr(&some(&v), &base).unwrap().latest(),
        Variation::NeitherHigh
    );
    assert!(
        c.points[..11]
            .iter()
            .all(|p| p.variation == Variation::CommonCause)
    );
}

#[test]
fn a_trend_of_seven_decreasing_points_is_flagged_and_of_six_is_not() {
    let v = [
        15.0, 16.0, 14.0, 15.0, 16.0, 20.0, 19.0, 18.0, 17.0, 16.0, 15.0, 14.0,
    ];
    let c = xmr(&some(&v), &SpcOptions::default()).unwrap();
    let trend: Vec<bool> = c.points.iter().map(|p| p.trend).collect();
    assert_eq!(&trend[5..], &[true; 7]);
    assert!(trend[..5].iter().all(|t| !t));
    // Six decreasing points: no trend at the default 7.
    let c = xmr(&some(&v[1..11]), &SpcOptions::default()).unwrap();
    assert!(c.points.iter().all(|p| !p.trend));
    // A decreasing trend with decrease as improvement is special cause improvement (low).
    let down = SpcOptions::default().direction(Direction::Decrease);
    let c = xmr(&some(&v), &down).unwrap();
    assert_eq!(c.points[8].variation, Variation::ImprovementLow);
}

#[test]
fn a_run_of_seven_on_one_side_and_a_six_point_rule_when_configured() {
    // Mean 10; six points above it then below: a run of six.
    let v = [
        9.0, 11.0, 9.0, 11.0, 9.0, 11.0, 9.0, 10.5, 10.6, 10.5, 10.6, 10.5, 10.6, 8.0, 9.0,
    ];
    let c = xmr(&some(&v), &SpcOptions::default()).unwrap();
    let mean = c.points[0].mean.unwrap();
    assert!(v[7..13].iter().all(|x| *x > mean));
    assert!(
        c.points.iter().all(|p| !p.run),
        "six points is not a run of 7"
    );
    let six = SpcOptions::default().run(6);
    let c = xmr(&some(&v), &six).unwrap();
    let run: Vec<bool> = c.points.iter().map(|p| p.run).collect();
    assert_eq!(&run[7..13], &[true; 6]);
    assert!(!run[13]);
    assert!(xmr(&some(&v), &SpcOptions::default().run(5)).is_err());
}

#[test]
fn two_of_three_beyond_two_sigma_on_the_same_side() {
    // Limits from the first seven points: mean 69/7, MR̄ 1, two-sigma +1.77, UCL +2.66;
    // points 12 and 12.1 among three lie between the two.
    let v = [
        10.0, 9.0, 10.0, 11.0, 10.0, 9.0, 10.0, 12.0, 10.5, 12.1, 10.0, 9.0, 10.0,
    ];
    let c = xmr(&some(&v), &SpcOptions::default().baseline(Some(7))).unwrap();
    let (_, u2) = c.points[0].two_sigma.unwrap();
    let (_, u) = c.points[0].limits.unwrap();
    assert!(12.0 > u2 && 12.1 < u, "{u2} {u}");
    let flagged: Vec<usize> = (0..v.len()).filter(|i| c.points[*i].two_of_three).collect();
    assert_eq!(flagged, [7, 9]);
}

#[test]
fn a_missing_value_creates_no_special_cause() {
    // Seven points above the mean with a gap after the sixth: no run of seven across it.
    let mut v = some(&[
        9.0, 12.0, 9.0, 12.0, 9.0, 12.0, 9.0, 11.0, 11.2, 11.0, 11.2, 11.0, 11.2,
    ]);
    v.push(None);
    v.push(Some(11.0));
    v.extend(some(&[9.0, 12.0, 9.0]));
    let c = xmr(&v, &SpcOptions::default()).unwrap();
    assert!(c.points.iter().all(|p| !p.run), "the gap breaks the run");
    assert_eq!(c.points[13].variation, Variation::None);
    // Without the gap the same values make a run.
    let mut joined = v.clone();
    joined.remove(13);
    let c = xmr(&joined, &SpcOptions::default()).unwrap();
    assert!(c.points[7..14].iter().all(|p| p.run));
    // Refused when asked.
    let refuse = SpcOptions::default().missing(Missing::Refuse);
    assert!(
        xmr(&v, &refuse)
            .unwrap_err()
            .to_string()
            .contains("point 13")
    );
}

#[test]
fn rebase_and_a_fixed_baseline_together_and_assurance_on_the_last_segment() {
    let first = [10.0, 11.0, 9.0, 10.0, 11.0, 9.0, 10.0, 11.0, 9.0, 10.0];
    let second = [20.0, 21.0, 19.0, 20.0, 21.0, 30.0, 31.0, 29.0, 30.0, 31.0];
    let v: Vec<f64> = first.iter().chain(&second).copied().collect();
    let options = SpcOptions::default()
        .rebase(vec![10])
        .baseline(Some(5))
        .target(Some(15.0))
        .direction(Direction::Increase);
    let c = xmr(&some(&v), &options).unwrap();
    // Segment 1's limits come from its first five values only: mean 20.2.
    let p = &c.points[15];
    assert_eq!(p.segment, 1);
    assert!(close(
        p.mean.unwrap(),
        (20.0 + 21.0 + 19.0 + 20.0 + 21.0) / 5.0
    ));
    assert!(close(
        c.points[0].mean.unwrap(),
        (10.0 + 11.0 + 9.0 + 10.0 + 11.0) / 5.0
    ));
    // The jump to 30 is beyond segment 1's baseline limits: improvement.
    assert_eq!(c.points[15].variation, Variation::ImprovementHigh);
    // Assurance uses the last segment: its lower limit is above the target.
    let (lcl, _) = p.limits.unwrap();
    assert!(lcl > 15.0);
    assert_eq!(c.assurance, Some(Assurance::ConsistentlyPass));
    // Without the rebase the whole series hits and misses.
    let whole = options.rebase(vec![]).baseline(None);
    assert_eq!(
        xmr(&some(&v), &whole).unwrap().assurance,
        Some(Assurance::HitAndMiss)
    );
}

#[test]
fn too_few_points_say_what_they_cannot_do() {
    let c = xmr(&some(&[5.0]), &SpcOptions::default()).unwrap();
    assert!(c.points[0].limits.is_none());
    assert!(c.notes.iter().any(|n| n.contains("no limits")));
    let c = xmr(&some(&[5.0, 6.0, 5.0]), &SpcOptions::default()).unwrap();
    assert!(c.notes.iter().any(|n| n.contains("run rule cannot fire")));
    let neutral = SpcOptions::default().target(Some(1.0));
    let c = xmr(&some(&[5.0, 6.0, 5.0]), &neutral).unwrap();
    assert_eq!(c.assurance, None);
    assert!(c.notes.iter().any(|n| n.contains("improvement direction")));
}

#[test]
fn one_chart_per_group_in_period_order_over_arrow() {
    use std::sync::Arc;

    use arrow_array::cast::AsArray;
    use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
    use pcnkit_indicators::spc_table::SpcSpec;

    // Two PCNs, rows out of order; U2's last month is beyond its limits (baseline of 10).
    let mut pcn = Vec::new();
    let mut month = Vec::new();
    let mut value = Vec::new();
    for m in (0..12).rev() {
        for (p, v) in [
            ("U1", if m % 2 == 0 { 10.0 } else { 14.0 }),
            (
                "U2",
                if m == 11 {
                    40.0
                } else if m % 2 == 0 {
                    10.0
                } else {
                    14.0
                },
            ),
        ] {
            pcn.push(p);
            month.push(format!("2025-{:02}", m + 1));
            value.push(v);
        }
    }
    let t = RecordBatch::try_from_iter([
        ("pcn", Arc::new(StringArray::from(pcn)) as ArrayRef),
        ("month", Arc::new(StringArray::from(month))),
        ("count", Arc::new(Float64Array::from(value))),
    ])
    .unwrap();
    let spec = SpcSpec::new(
        "count",
        "month",
        SpcOptions::default()
            .baseline(Some(10))
            .direction(Direction::Decrease)
            .target(Some(20.0)),
    )
    .group_by(&["pcn"]);
    let points = spec.run(std::slice::from_ref(&t)).unwrap();
    assert_eq!(points.num_rows(), 24);
    let months = points.column_by_name("month").unwrap().as_string::<i32>();
    assert_eq!(months.value(0), "2025-01");
    assert_eq!(months.value(11), "2025-12");
    let variation = points
        .column_by_name("variation")
        .unwrap()
        .as_string::<i32>();
    assert_eq!(variation.value(23), "special cause concern (high)");
    assert_eq!(variation.value(11), "common cause");
    let summary = spec.summary(&[t]).unwrap();
    assert_eq!(summary.num_rows(), 2);
    let assurance = summary
        .column_by_name("assurance")
        .unwrap()
        .as_string::<i32>();
    // Limits 12 ± 10.64: the target 20 lies between them.
    assert_eq!(assurance.value(0), "hit and miss");
}
