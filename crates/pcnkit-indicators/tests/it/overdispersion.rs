//! Spiegelhalter's overdispersion adjustments against a hand computation (Python, the formulas
//! of the module docs, on the same ten areas).

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{ArrayRef, Float64Array, RecordBatch};
use pcnkit_indicators::funnel::FunnelKind;
use pcnkit_indicators::overdispersion::{Adjustment, OverdispersionSpec, estimate};

const X: [f64; 10] = [10.0, 45.0, 90.0, 20.0, 110.0, 55.0, 25.0, 120.0, 35.0, 60.0];
const N: [f64; 10] = [
    400.0, 500.0, 600.0, 300.0, 700.0, 650.0, 450.0, 800.0, 380.0, 1000.0,
];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

fn table() -> RecordBatch {
    RecordBatch::try_from_iter([
        ("x", Arc::new(Float64Array::from(X.to_vec())) as ArrayRef),
        ("n", Arc::new(Float64Array::from(N.to_vec()))),
    ])
    .unwrap()
}

#[test]
fn phi_and_tau2_match_the_hand_computation() {
    let rows: Vec<(f64, f64)> = X.iter().copied().zip(N).collect();
    let d = estimate(&rows, FunnelKind::Proportion { multiplier: 100.0 }).unwrap();
    assert!(close(d.target, 0.0986159169550173));
    assert!(close(d.phi, 11.477059961031134), "{}", d.phi);
    assert!(close(d.tau2, 0.0018329037376447553), "{}", d.tau2);
}

#[test]
fn adjusted_z_scores_and_limits() {
    let kind = FunnelKind::Proportion { multiplier: 100.0 };
    let f = |b: &RecordBatch, c: &str| -> Vec<Option<f64>> {
        b.column_by_name(c)
            .unwrap()
            .as_primitive::<Float64Type>()
            .iter()
            .collect()
    };
    let m = OverdispersionSpec::new("x", "n", kind, Adjustment::Multiplicative)
        .significance(&[table()])
        .unwrap();
    assert!(close(f(&m, "z")[4].unwrap(), 5.193694359969337));
    assert!(close(f(&m, "z_adjusted")[4].unwrap(), 1.53306674555092));
    // Beyond 3σ unadjusted, within 2σ once the dispersion is allowed for.
    assert_eq!(
        m.column_by_name("significance")
            .unwrap()
            .as_string::<i32>()
            .value(4),
        "Not significant"
    );
    let a = OverdispersionSpec::new("x", "n", kind, Adjustment::Additive)
        .significance(&[table()])
        .unwrap();
    assert!(close(f(&a, "z_adjusted")[4].unwrap(), 1.322025713782947));
    let limits = OverdispersionSpec::new("x", "n", kind, Adjustment::Multiplicative)
        .limits(&[table()])
        .unwrap();
    // Every point of the upper 3σ line is θ₀ + z √φ̂ √(θ₀(1 − θ₀)/n), × 100.
    let (t, phi, z3): (f64, f64, f64) = (0.0986159169550173, 11.477059961031134, 3.090232306167813);
    for (n, u) in f(&limits, "x").iter().zip(f(&limits, "upper_3s_limit")) {
        let n = n.unwrap();
        let want = ((t + z3 * phi.sqrt() * (t * (1.0 - t) / n).sqrt()) * 100.0).min(100.0);
        assert!((u.unwrap() - want).abs() < 1e-6, "{n}: {u:?} {want}");
    }
    assert!(close(f(&limits, "phi")[0].unwrap(), 11.477059961031134));
    assert!(estimate(&[(1.0, 10.0)], kind).is_err());
}
