//! SII/RII, funnels, life expectancy and QOF/IIF achievement.
#![allow(clippy::excessive_precision)]

use pcnkit_indicators::achievement::*;
use pcnkit_indicators::funnel::*;
use pcnkit_indicators::life::*;
use pcnkit_indicators::sii::*;
use pcnkit_indicators::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn close(a: f64, b: f64, rel: f64) {
    assert!((a - b).abs() <= rel * b.abs().max(1e-300), "{a} vs {b}");
}

/// The R package's own SII test area ("area1", life expectancy by decile).
fn area1(se: Option<f64>) -> Vec<SiiQuantile> {
    let pop = [
        7291.0, 7997.0, 6105.0, 7666.0, 5790.0, 6934.0, 5918.0, 5974.0, 7147.0, 7534.0,
    ];
    let value = [
        75.9334590103081,
        78.3442382727843,
        83.8360631041654,
        83.6375399664931,
        80.4655031529559,
        81.1156759857022,
        81.6930835718562,
        84.1900062060987,
        80.5955641081472,
        86.2894349578624,
    ];
    pop.iter()
        .zip(value)
        .map(|(&population, value)| SiiQuantile {
            population,
            value,
            se: se.or(Some(1.0)),
            lower95: None,
            upper95: None,
            count: None,
        })
        .collect()
}

#[test]
fn sii_point_estimates_match_r() {
    let s = sii(&area1(None), &SiiOptions::new().repetitions(1000)).unwrap();
    close(s.sii, 6.934616473668819, 1e-9);
    close(s.rii, 1.0888180804446217, 1e-9);
}

#[test]
fn sii_simulated_interval_meets_its_closed_form() {
    // Untransformed, the slope is linear in the values, so its simulated distribution is
    // normal with a standard deviation computable from the weights: the simulated 95%
    // interval must be β ± 1.96·sd up to simulation error.
    let q = area1(Some(0.8));
    let total: f64 = q.iter().map(|r| r.population).sum();
    let a: Vec<f64> = q.iter().map(|r| r.population / total).collect();
    let mut cum = 0.0;
    let b: Vec<f64> = a
        .iter()
        .map(|&x| {
            let m = cum + x / 2.0;
            cum += x;
            m
        })
        .collect();
    let mb: f64 = a.iter().zip(&b).map(|(a, b)| a * b).sum();
    let sxx: f64 = a.iter().zip(&b).map(|(a, b)| a * (b - mb) * (b - mb)).sum();
    let var: f64 = a
        .iter()
        .zip(&b)
        .map(|(a, b)| (a * (b - mb) / sxx).powi(2) * 0.64)
        .sum();
    let s = sii(&q, &SiiOptions::new().repetitions(100_000).seed(7)).unwrap();
    let half = 1.959963984540054 * var.sqrt();
    assert!(
        (s.sii_lower[0] - (s.sii - half)).abs() < 0.05,
        "{s:?} half {half}"
    );
    assert!(
        (s.sii_upper[0] - (s.sii + half)).abs() < 0.05,
        "{s:?} half {half}"
    );
    assert!(s.rii_lower[0] < s.rii && s.rii < s.rii_upper[0]);
    // Reproducible from the seed; another seed moves the limits only by simulation error.
    let again = sii(&q, &SiiOptions::new().repetitions(100_000).seed(7)).unwrap();
    assert_eq!(s, again);
    let other = sii(&q, &SiiOptions::new().repetitions(100_000).seed(8)).unwrap();
    assert_ne!(s.sii_lower, other.sii_lower);
    assert!((s.sii_lower[0] - other.sii_lower[0]).abs() < 0.1);
}

#[test]
fn sii_from_limits_transforms_and_errors() {
    // Rates with 95% limits: the se is derived on the log scale.
    let mut q: Vec<SiiQuantile> = (0..5)
        .map(|i| {
            let v = 10.0 + 2.0 * i as f64;
            SiiQuantile {
                population: 1000.0,
                value: v,
                se: None,
                lower95: Some(v * 0.8),
                upper95: Some(v * 1.25),
                count: None,
            }
        })
        .collect();
    let opts = SiiOptions::new()
        .value_type(ValueType::Rate)
        .repetitions(5000);
    let plain = sii(&q, &opts).unwrap();
    close(plain.sii, 10.0, 1e-9); // values rise by 2 per fifth of the population
    let t = sii(&q, &opts.clone().transform(true)).unwrap();
    assert!(t.sii > 0.0 && t.sii_lower[0] < t.sii && t.sii < t.sii_upper[0]);
    let neg = sii(&q, &opts.clone().multiplier(-1.0)).unwrap();
    close(neg.sii, -10.0, 1e-9);
    close(neg.rii, 1.0 / plain.rii, 1e-12);
    // Errors: too few quantiles, too few repetitions, bad population, transform with se.
    assert!(sii(&q[..4], &opts).is_err());
    assert!(sii(&q, &opts.clone().repetitions(999)).is_err());
    let normal_t = SiiOptions::new().transform(true);
    assert!(sii(&q, &normal_t).is_err());
    q[2].population = 0.0;
    let e = sii(&q, &opts).unwrap_err();
    assert!(e.to_string().contains("quantile 3"), "{e}");
    q[2].population = 1000.0;
    q[2].lower95 = None;
    assert!(sii(&q, &opts).is_err());
}

#[test]
fn proportion_funnel_limit_is_where_wilson_touches_the_average() {
    for &(av, n) in &[(0.1, 50.0), (0.1, 500.0), (0.3, 1000.0), (0.75, 20_000.0)] {
        for (p, c) in [(0.975, Confidence::C95), (0.999, Confidence::C998)] {
            let (lo, hi) = proportion_limits(av, n, p, 1.0);
            // An area exactly on the lower limit has a Wilson upper limit at the average
            // (unless the limit was floored at 0).
            if lo > 0.0 {
                close(wilson(lo * n, n, c).1, av, 1e-9);
            }
            close(wilson(hi * n, n, c).0, av, 1e-9);
        }
    }
    // Percentages are capped at 100 and floored at 0.
    let (lo, hi) = proportion_limits(0.99, 10.0, 0.999, 100.0);
    assert!(hi <= 100.0 && lo >= 0.0);
}

#[test]
fn funnel_significance_and_axis() {
    let rows: Vec<FunnelInput> = [(10.0, 100.0), (30.0, 100.0), (200.0, 1000.0), (5.0, 1000.0)]
        .iter()
        .map(|&(n, d)| FunnelInput {
            numerator: n,
            denominator: Some(d),
            rate: None,
        })
        .collect();
    let f = funnel(&rows, FunnelKind::Proportion { multiplier: 100.0 }).unwrap();
    close(f.average, 245.0 / 2200.0 * 100.0, 1e-12);
    assert_eq!(f.x.len(), 100);
    assert_eq!(f.x[0], 1.0); // max > 2·min: the axis starts at 0, so the first point is 1
    assert_eq!(*f.x.last().unwrap(), 1100.0); // 1000 × 1.05 up to 2 significant figures
    assert!(f.x.windows(2).all(|w| w[1] > w[0]));
    let labels: Vec<&str> = f.significance.iter().map(|s| s.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Not significant",
            "High (0.001)",
            "High (0.001)",
            "Low (0.001)"
        ]
    );
    // Significance agrees with the limits at the row's own denominator.
    let av = 245.0 / 2200.0;
    let (_, hi3) = proportion_limits(av, 1000.0, 0.999, 1.0);
    assert!(0.2 > hi3);
    // Errors name the row.
    let bad = [FunnelInput {
        numerator: -1.0,
        denominator: Some(10.0),
        rate: None,
    }];
    let e = funnel(&bad, FunnelKind::Proportion { multiplier: 1.0 }).unwrap_err();
    assert!(e.to_string().contains("row 0"), "{e}");
}

#[test]
fn ratio_and_rate_funnels() {
    // At the limit, the observed count's exact limit meets the expected count.
    let (lo, hi) = ratio_limits(50.0, 0.975);
    assert!(lo < 1.0 && hi > 1.0);
    let o = hi * 50.0;
    let lower = statrs::distribution::ChiSquared::new(2.0 * o).unwrap();
    use statrs::distribution::ContinuousCDF;
    close(lower.inverse_cdf(0.025) / 2.0, 50.0, 1e-9);
    // Both limits meet the expected count through the exact Poisson quantiles, for small and
    // large expected counts and both funnel probabilities, on either side of the point where
    // the limits stop being solved through the incomplete gamma directly.
    for e in [0.5, 3.0, 50.0, 1_000.0, 49_999.0, 50_001.0, 150_000.0] {
        for p in [0.975, 0.999] {
            let (lo, hi) = ratio_limits(e, p);
            let at = |df: f64, q: f64| {
                statrs::distribution::ChiSquared::new(df)
                    .unwrap()
                    .inverse_cdf(q)
                    / 2.0
            };
            let tol = if e > 1e5 { 1e-6 } else { 1e-9 };
            close(at(2.0 * hi * e, 1.0 - p) / e, 1.0, tol);
            if lo > 0.0 {
                close(at(2.0 * lo * e + 2.0, p) / e, 1.0, tol);
            } else {
                assert!(at(2.0, p) >= e, "{e} {p}");
            }
        }
    }
    assert_eq!(ratio_significance(80.0, 50.0), Significance::High0001);
    assert_eq!(ratio_significance(50.0, 50.0), Significance::NotSignificant);
    assert_eq!(ratio_significance(0.0, 10.0), Significance::Low0001);
    let rows = [
        FunnelInput {
            numerator: 5.0,
            denominator: None,
            rate: Some(50.0),
        },
        FunnelInput {
            numerator: 400.0,
            denominator: None,
            rate: Some(400.0),
        },
        FunnelInput {
            numerator: 0.0,
            denominator: Some(2000.0),
            rate: None,
        },
    ];
    let f = funnel(
        &rows,
        FunnelKind::Rate {
            kind: RateKind::Dsr,
            multiplier: 100_000.0,
        },
    )
    .unwrap();
    assert_eq!(f.significance[0], Significance::NotApplicable);
    assert_eq!(f.significance[2], Significance::NotApplicable);
    let crude = funnel(
        &rows,
        FunnelKind::Rate {
            kind: RateKind::Crude,
            multiplier: 100_000.0,
        },
    )
    .unwrap();
    // derived denominators 10,000, 100,000 and the given 2,000: average 405/112,000.
    close(crude.average, 405.0 / 112_000.0 * 100_000.0, 1e-12);
    assert!(
        crude
            .lower_3s
            .iter()
            .zip(&crude.lower_2s)
            .all(|(a, b)| a <= b)
    );
}

fn life_inputs(scale: f64) -> (Vec<f64>, Vec<f64>) {
    // An English-shaped table (deaths rise with age).
    let pops = [
        1000.0, 4200.0, 5500.0, 5300.0, 5200.0, 5800.0, 6200.0, 6400.0, 6200.0, 6000.0, 6300.0,
        6500.0, 6100.0, 5300.0, 4900.0, 4600.0, 3300.0, 2300.0, 1400.0, 700.0,
    ];
    let deaths = [
        4.0, 1.0, 1.0, 1.0, 2.0, 3.0, 3.0, 4.0, 6.0, 8.0, 12.0, 18.0, 27.0, 37.0, 55.0, 85.0,
        110.0, 150.0, 170.0, 160.0,
    ];
    (
        deaths.iter().map(|d| d * scale).collect(),
        pops.iter().map(|p| p * scale).collect(),
    )
}

#[test]
fn life_expectancy_chiang() {
    let (d, p) = life_inputs(10.0);
    let t = life_expectancy(&d, &p, &[Confidence::C95, Confidence::C998]).unwrap();
    let e = |i: usize| t.expectancy[i].value.unwrap();
    // The open band: e = 1/M exactly.
    close(e(19), 7000.0 / 1600.0, 1e-12);
    // 85-89 by hand: M = 0.1214…, q = 5M/(1 + 2.5M), l90 = l85(1 − q), L85 = 5(l90 + ½d).
    let m: f64 = 1700.0 / 14000.0;
    let q = 5.0 * m / (1.0 + 2.5 * m);
    let l90 = 1.0 - q;
    let l85_big = 5.0 * (l90 + 0.5 * q);
    close(e(18), (l85_big + l90 * 7000.0 / 1600.0) / 1.0, 1e-12);
    assert!(e(0) > 75.0 && e(0) < 90.0, "{}", e(0));
    // Limits bracket the value, wider at 99.8%.
    for est in &t.expectancy {
        let v = est.value.unwrap();
        assert!(est.lower[1].unwrap() < est.lower[0].unwrap() && est.lower[0].unwrap() < v);
        assert!(v < est.upper[0].unwrap() && est.upper[0].unwrap() < est.upper[1].unwrap());
    }
    // Ten times the population and deaths: same value, se shrinks by √10.
    let (d2, p2) = life_inputs(100.0);
    let t2 = life_expectancy(&d2, &p2, &[Confidence::C95]).unwrap();
    let w1 = t.expectancy[0].upper[0].unwrap() - e(0);
    let w2 = t2.expectancy[0].upper[0].unwrap() - t2.expectancy[0].value.unwrap();
    close(t2.expectancy[0].value.unwrap(), e(0), 1e-12);
    close(w1 / w2, 10f64.sqrt(), 1e-9);
    // Small areas are suppressed with a note; bad inputs are errors.
    let (d3, p3) = life_inputs(0.05);
    let small = life_expectancy(&d3, &p3, &[Confidence::C95]).unwrap();
    assert_eq!(small.expectancy[0].value, None);
    assert_eq!(
        small.expectancy[0].note,
        Some("total population of 5000 or less")
    );
    assert!(life_expectancy(&d[..19], &p[..19], &[Confidence::C95]).is_err());
    let mut worse = d.clone();
    worse[3] = p[3] + 1.0;
    let e = life_expectancy(&worse, &p, &[Confidence::C95]).unwrap_err();
    assert!(e.to_string().contains("10-14"), "{e}");
}

#[test]
fn qof_points_and_payment() {
    let def = IndicatorDefinition::new(
        "TEST01",
        Scheme::Qof,
        Decimal::from(20),
        Decimal::from(40),
        Decimal::from(90),
        "a test indicator",
    )
    .unwrap()
    .prevalence_adjusted(true);
    let counts = |a, b, c| AchievementCounts {
        achieved: a,
        register: b,
        adjustments: c,
    };
    // 130 of (220 − 20) = 65% → (65 − 40)/(90 − 40) × 20 = 10 points.
    let a = def.achievement(counts(130, 220, 20)).unwrap();
    assert_eq!(a.percent, Decimal::from(65));
    assert_eq!(a.points, Decimal::from(10));
    assert_eq!(
        def.achievement(counts(10, 100, 0)).unwrap().points,
        Decimal::ZERO
    );
    assert_eq!(
        def.achievement(counts(95, 100, 0)).unwrap().points,
        Decimal::from(20)
    );
    assert!(def.achievement(counts(101, 100, 0)).is_err());
    assert!(def.achievement(counts(0, 10, 10)).is_err());
    assert!(def.achievement(counts(0, 10, 11)).is_err());
    let value = point_value(Scheme::Qof, pcnkit_core::FinancialYear::new(2024).unwrap()).unwrap();
    assert_eq!(value.value.to_string(), "£220.62");
    let basis = PaymentBasis {
        point_value: value.value,
        list_size: 9962 * 2,
        national_average_list: 9962,
        prevalence: Some(Decimal::new(9, 2)),
        national_prevalence: Some(Decimal::new(6, 2)),
    };
    // 10 points × £220.62 × 2 × 1.5 = £6,618.60, exactly.
    let pay = payment(&def, &a, &basis).unwrap();
    assert_eq!(pay, "6618.60".parse().unwrap());
    let no_prev = PaymentBasis {
        prevalence: None,
        ..basis
    };
    assert!(payment(&def, &a, &no_prev).is_err());
    assert!(
        IndicatorDefinition::new(
            "X",
            Scheme::Iif,
            Decimal::ONE,
            Decimal::from(50),
            Decimal::from(40),
            "x"
        )
        .is_err()
    );
}

proptest! {
    #[test]
    fn points_are_monotone_and_bounded(a in 0u64..1000, extra in 0u64..1000, c in 0u64..100) {
        let def = IndicatorDefinition::new("P", Scheme::Iif, Decimal::from(36), Decimal::from(45), Decimal::from(70), "prop").unwrap();
        let b = a + extra + c;
        if b - c > 0 {
            let h = def.achievement(AchievementCounts { achieved: a, register: b, adjustments: c }).unwrap();
            prop_assert!(h.points >= Decimal::ZERO && h.points <= Decimal::from(36));
            if a < b - c {
                let h2 = def.achievement(AchievementCounts { achieved: a + 1, register: b, adjustments: c }).unwrap();
                prop_assert!(h2.points >= h.points);
            }
        }
    }

    #[test]
    fn funnel_limits_nest(av in 0.01f64..0.99, n in 10.0f64..1e6) {
        let (l2, u2) = proportion_limits(av, n, 0.975, 1.0);
        let (l3, u3) = proportion_limits(av, n, 0.999, 1.0);
        prop_assert!(l3 <= l2 && l2 <= av && av <= u2 && u2 <= u3);
    }
}
