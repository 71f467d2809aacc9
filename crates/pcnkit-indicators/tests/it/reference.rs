// Reference values are written as the R package prints them, beyond f64 precision.
#![allow(clippy::excessive_precision)]

use pcnkit_indicators::*;
use proptest::prelude::*;

fn close(a: f64, b: f64) {
    let tol = 1e-9 * b.abs().max(1e-300);
    assert!((a - b).abs() <= tol, "{a} vs {b}");
}

#[test]
fn z_values() {
    close(Confidence::C95.z(), 1.959963984540054);
    close(Confidence::C998.z(), 3.090232306167813);
    // The constants' stored quantiles agree with computing them.
    assert!((Confidence::new(0.95).unwrap().z() - Confidence::C95.z()).abs() < 1e-14);
    assert!((Confidence::new(0.998).unwrap().z() - Confidence::C998.z()).abs() < 1e-14);
    assert_eq!(Confidence::C998.label(), "99_8");
    assert_eq!(Confidence::C95.label(), "95_0");
    assert_eq!(Confidence::C998.percent(), "99.8%");
    assert_eq!(Confidence::new(95.0).unwrap().get(), 0.95);
    assert!(Confidence::new(0.8).is_err());
    assert!(Confidence::levels(&[0.95, 0.95000001]).is_err());
}

#[test]
fn r_reference_values() {
    // Rate with 0 events, 1,000 population, per 100,000, 95%.
    let limits = CountLimits::new(&[Confidence::C95]);
    let r = rate(0.0, 1000.0, &limits, 100_000.0).unwrap();
    assert_eq!(r.value, Some(0.0));
    assert_eq!(r.lower[0], Some(0.0));
    close(r.upper[0].unwrap(), 368.8879454113935);
    // Proportions.
    let p = proportion(0.0, 1000.0, &[Confidence::C95], 1.0).unwrap();
    assert_eq!(p.lower[0], Some(0.0));
    close(p.upper[0].unwrap(), 0.0038267584855551217);
    let p = proportion(65.0, 100.0, &[Confidence::C95], 1.0).unwrap();
    close(p.lower[0].unwrap(), 0.55254443296887967);
    close(p.upper[0].unwrap(), 0.7363575175690246777);
    // ISR with 0 observed: upper = 3.6888794541139354 / expected.
    let e = isratio(&[0.0], &[1000.0], &[10.0], &[1000.0], &limits, 1.0).unwrap();
    assert_eq!(e.value, Some(0.0));
    close(e.upper[0].unwrap(), 3.6888794541139354 / 10.0);
}

#[test]
fn exact_and_byars_switch_at_ten() {
    let limits = CountLimits::new(&[Confidence::C95, Confidence::C998]);
    assert_eq!(limits.limits(9.0, 0).1, Method::Exact);
    assert_eq!(limits.limits(10.0, 0).1, Method::Byars);
    // The table agrees with direct computation.
    for x in 0..10 {
        let (table, _) = limits.limits(f64::from(x), 1);
        let direct = exact_limits(f64::from(x), Confidence::C998);
        close(table.1, direct.1);
    }
}

#[test]
fn dsr_of_the_standard_population_is_its_crude_rate_and_small_counts_are_suppressed() {
    let pops: Vec<f64> = ESP2013.iter().map(|w| w * 10.0).collect();
    let counts: Vec<f64> = ESP2013.iter().map(|w| w / 100.0).collect(); // 1 per 1,000 in every band
    let e = dsr(&counts, &pops, &ESP2013, &[Confidence::C95], 100_000.0).unwrap();
    close(e.value.unwrap(), 100.0);
    let mut nine = [0.0; 19];
    nine[3] = 9.0;
    let tiny = dsr(&nine, &pops, &ESP2013, &[Confidence::C95], 100_000.0).unwrap();
    assert_eq!(tiny.value, None);
    assert_eq!(
        tiny.note,
        Some("dsr not calculated for a total count below 10")
    );
}

#[test]
fn bad_input_is_a_typed_error() {
    assert_eq!(
        proportion(-1.0, 10.0, &[Confidence::C95], 1.0)
            .unwrap_err()
            .to_string(),
        "numerator cannot be negative (found -1)"
    );
    assert_eq!(
        proportion(11.0, 10.0, &[Confidence::C95], 1.0)
            .unwrap_err()
            .to_string(),
        "numerator 11 is above denominator 10: not a proportion"
    );
    assert_eq!(
        proportion(1.0, 0.0, &[Confidence::C95], 1.0)
            .unwrap_err()
            .to_string(),
        "denominators must be greater than zero (found 0)"
    );
    assert!(dsr(&[1.0], &[1.0, 2.0], &[1.0], &[Confidence::C95], 1.0).is_err());
}

#[test]
fn quantiles_follow_the_ohid_method() {
    let values: Vec<Option<f64>> = (1..=10).map(|v| Some(f64::from(v))).collect();
    assert_eq!(
        quantiles(&values, 5, false),
        [1, 1, 2, 2, 3, 3, 4, 4, 5, 5].map(Some)
    );
    assert_eq!(
        quantiles(&values, 5, true),
        [5, 5, 4, 4, 3, 3, 2, 2, 1, 1].map(Some)
    );
    let ties = [Some(1.0), Some(1.0), Some(1.0), Some(2.0), None];
    assert_eq!(
        quantiles(&ties, 2, false),
        [Some(1), Some(1), Some(1), Some(2), None]
    );
    assert_eq!(quantiles(&values[..3], 5, false), [None, None, None]);
}

#[test]
fn means_use_student_t() {
    let e = mean(&[1.0, 2.0, 3.0, 4.0], &[Confidence::C95]).unwrap();
    // t(0.975, 3) = 3.182446305284263, sd = 1.2909944487358056
    close(
        e.lower[0].unwrap(),
        2.5 - 3.182446305284263 * 1.2909944487358056 / 2.0,
    );
    assert_eq!(mean(&[5.0], &[Confidence::C95]).unwrap().upper[0], None);
}

proptest! {
    #[test]
    fn limits_bracket_the_value_and_widen_with_confidence(x in 0u32..5000, extra in 0u32..5000) {
        let n = f64::from(x + extra + 1);
        let x = f64::from(x);
        let levels = [Confidence::C95, Confidence::C998];
        let p = proportion(x, n, &levels, 1.0).unwrap();
        let v = p.value.unwrap();
        prop_assert!(p.lower[0].unwrap() <= v && v <= p.upper[0].unwrap());
        prop_assert!(p.lower[1].unwrap() <= p.lower[0].unwrap() && p.upper[0].unwrap() <= p.upper[1].unwrap());
        let limits = CountLimits::new(&levels);
        let r = rate(x, n, &limits, 100_000.0).unwrap();
        let v = r.value.unwrap();
        prop_assert!(r.lower[0].unwrap() <= v + 1e-9 && v <= r.upper[0].unwrap());
        prop_assert!(r.lower[1].unwrap() <= r.lower[0].unwrap() && r.upper[0].unwrap() <= r.upper[1].unwrap());
        let r2 = rate(x + 1.0, n, &limits, 100_000.0).unwrap();
        prop_assert!(r2.upper[0].unwrap() >= r.upper[0].unwrap(), "monotone in the count");
    }

    #[test]
    fn dsr_of_a_population_shaped_like_the_standard_is_its_crude_rate(
        counts in proptest::collection::vec(0u32..400, 19),
        k in 1u32..50,
    ) {
        let o: Vec<f64> = counts.iter().map(|&c| f64::from(c)).collect();
        let n: Vec<f64> = ESP2013.iter().map(|w| w * f64::from(k)).collect();
        let levels = [Confidence::C95, Confidence::C998];
        let e = dsr(&o, &n, &ESP2013, &levels, 100_000.0).unwrap();
        let total: f64 = o.iter().sum();
        if total < 10.0 {
            prop_assert_eq!(e.value, None);
        } else {
            let crude = total / n.iter().sum::<f64>() * 100_000.0;
            let v = e.value.unwrap();
            prop_assert!((v / crude - 1.0).abs() < 1e-12, "{} vs {}", v, crude);
            prop_assert!(e.lower[1].unwrap() <= e.lower[0].unwrap() && e.lower[0].unwrap() <= v);
            prop_assert!(v <= e.upper[0].unwrap() && e.upper[0].unwrap() <= e.upper[1].unwrap());
            // One more event in any band never lowers the DSR or its limits.
            let mut more = o.clone();
            more[(counts[0] % 19) as usize] += 1.0;
            let e2 = dsr(&more, &n, &ESP2013, &levels, 100_000.0).unwrap();
            prop_assert!(e2.value.unwrap() >= v && e2.upper[0].unwrap() >= e.upper[0].unwrap());
        }
    }
}

#[test]
fn chi_square_quantiles_for_huge_counts_are_finite_and_close() {
    // Beyond 200,000 degrees of freedom the Wilson–Hilferty form takes over; it agrees with
    // statrs at the boundary and stays finite (statrs loops without end near 1e300).
    let (lo, hi) = exact_limits(99_000.0, Confidence::C95);
    let (lo2, hi2) = exact_limits(101_000.0, Confidence::C95);
    assert!(lo < 99_000.0 && hi > 99_000.0 && lo2 < 101_000.0 && hi2 > 101_000.0);
    let byars = byars_limits(101_000.0, Confidence::C95);
    assert!((lo2 / byars.0 - 1.0).abs() < 1e-6 && (hi2 / byars.1 - 1.0).abs() < 1e-6);
    let (a, b) = exact_limits(1e300, Confidence::C95);
    assert!(a.is_finite() && b.is_finite());
    let (l, u) = pcnkit_indicators::funnel::ratio_limits(1e12, 0.975);
    assert!(l < 1.0 && u > 1.0);
}
