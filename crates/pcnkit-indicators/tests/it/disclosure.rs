//! Disclosure control: the policies as their sources state them, secondary suppression, and the
//! guarantees under proptest (no released count in the suppressed range, no suppressed cell
//! recoverable by subtraction, a second application changes nothing).

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt64Type};
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use pcnkit_indicators::disclosure::{Derived, DisclosureSpec, Policy, TotalRows};
use proptest::prelude::*;

fn table(area: &[&str], band: &[&str], count: &[Option<u64>]) -> RecordBatch {
    RecordBatch::try_from_iter([
        (
            "area",
            Arc::new(StringArray::from(area.to_vec())) as ArrayRef,
        ),
        ("band", Arc::new(StringArray::from(band.to_vec()))),
        ("count", Arc::new(UInt64Array::from(count.to_vec()))),
    ])
    .unwrap()
}

fn counts(b: &RecordBatch, name: &str) -> Vec<Option<u64>> {
    b.column_by_name(name)
        .unwrap()
        .as_primitive::<UInt64Type>()
        .iter()
        .collect()
}

#[test]
fn the_built_in_policies_say_what_their_sources_say() {
    let nhs = Policy::builtin("nhs-england").unwrap();
    assert_eq!(
        (nhs.suppress_from, nhs.suppress_to, nhs.rounding_base),
        (1, 7, Some(5))
    );
    assert!(nhs.national_exempt && nhs.standardised_exempt);
    assert!(nhs.source.contains("digital.nhs.uk"), "{}", nhs.source);
    let os = Policy::builtin("opensafely").unwrap();
    assert_eq!(
        (os.suppress_from, os.suppress_to, os.rounding_base),
        (0, 7, Some(5))
    );
    assert!(os.source.contains("redaction_utils"), "{}", os.source);
    assert_eq!(Policy::builtins().unwrap().len(), 2);
    let custom: Policy = "custom:1-9:10".parse().unwrap();
    assert_eq!(
        (
            custom.suppress_from,
            custom.suppress_to,
            custom.rounding_base
        ),
        (1, 9, Some(10))
    );
    assert!("custom:9-1:5".parse::<Policy>().is_err());
    assert!("custom:1-4:0".parse::<Policy>().is_err());
    assert!("made-up".parse::<Policy>().is_err());
    // Rounding to the nearest 5, halves up; 0 stays 0.
    assert_eq!(
        [0, 8, 12, 13, 102].map(|v| nhs.round(v)),
        [0, 10, 10, 15, 100]
    );
}

#[test]
fn nhs_england_suppresses_1_to_7_rounds_the_rest_and_exempts_england() {
    let t = table(
        &["England", "A", "A", "A"],
        &["all", "x", "y", "z"],
        &[Some(3), Some(0), Some(5), Some(23)],
    );
    let out = DisclosureSpec::new(Policy::builtin("nhs-england").unwrap(), &["count"])
        .national("area", "England")
        .run(&[t])
        .unwrap();
    assert_eq!(counts(&out, "count"), [Some(3), Some(0), None, Some(25)]);
    let notes: Vec<Option<&str>> = out
        .column_by_name("disclosure_note")
        .unwrap()
        .as_string::<i32>()
        .iter()
        .collect();
    assert!(notes[0].unwrap().contains("national figure"));
    assert!(notes[2].unwrap().contains("suppressed: a count of 1 to 7"));
    assert!(notes[3].unwrap().contains("rounded to the nearest 5"));
}

#[test]
fn a_lone_suppressed_cell_of_a_published_total_takes_the_next_smallest_with_it() {
    // Area A's total is published; its 4 would be 100 − 40 − 56 without a second cell hidden.
    let t = table(
        &["A", "A", "A", "B", "B"],
        &["x", "y", "z", "x", "y"],
        &[Some(4), Some(40), Some(56), Some(50), Some(60)],
    );
    let out = DisclosureSpec::new(Policy::builtin("nhs-england").unwrap(), &["count"])
        .margin(&["area"])
        .run(&[t])
        .unwrap();
    assert_eq!(
        counts(&out, "count"),
        [None, None, Some(55), Some(50), Some(60)]
    );
    let note = out
        .column_by_name("disclosure_note")
        .unwrap()
        .as_string::<i32>()
        .value(1);
    assert!(note.contains("cannot be recovered"), "{note}");
}

#[test]
fn two_hidden_cells_that_sum_to_a_small_number_hide_a_third() {
    // 1 + 2 = 3 would itself be a small number given away by the total.
    let t = table(
        &["A", "A", "A", "A"],
        &["w", "x", "y", "z"],
        &[Some(1), Some(2), Some(30), Some(40)],
    );
    let out = DisclosureSpec::new(Policy::builtin("nhs-england").unwrap(), &["count"])
        .margin(&["area"])
        .run(&[t])
        .unwrap();
    assert_eq!(counts(&out, "count"), [None, None, None, Some(40)]);
}

#[test]
fn total_rows_in_the_table_and_two_margins() {
    // A two-way table (area × band) with each area's total row in it, and the band totals
    // published elsewhere.
    let t = table(
        &["A", "A", "A", "B", "B", "B"],
        &["x", "y", "Total", "x", "y", "Total"],
        &[Some(5), Some(50), Some(55), Some(30), Some(40), Some(70)],
    );
    let out = DisclosureSpec::new(Policy::builtin("nhs-england").unwrap(), &["count"])
        .totals(TotalRows::new("band", "Total", &["area"]))
        .margin(&["band"])
        .run(&[t])
        .unwrap();
    let c = counts(&out, "count");
    // A's 5 is hidden; A's total is released, so A's other cell goes too; band y's total is
    // published, so B's y goes with it; then B's total row hides B's x.
    assert_eq!(c[0], None);
    assert_eq!(c[1], None);
    assert!(c[4].is_none(), "{c:?}");
    assert!(c[3].is_none(), "{c:?}");
}

#[test]
fn percentages_come_from_the_protected_counts_and_standardised_rates_are_exempt() {
    let t = RecordBatch::try_from_iter([
        (
            "area",
            Arc::new(StringArray::from(vec!["A", "B"])) as ArrayRef,
        ),
        ("count", Arc::new(UInt64Array::from(vec![12u64, 3]))),
        ("population", Arc::new(UInt64Array::from(vec![98u64, 101]))),
        ("dsr", Arc::new(Float64Array::from(vec![11.9, 2.8]))),
        ("crude", Arc::new(Float64Array::from(vec![12.2, 3.0]))),
    ])
    .unwrap();
    let spec = |policy: &str| {
        DisclosureSpec::new(policy.parse().unwrap(), &["count", "population"])
            .derived(Derived::Percentage {
                column: "percent",
                numerator: "count",
                denominator: "population",
                multiplier: 100.0,
            })
            .derived(Derived::Standardised {
                column: "dsr",
                counts: vec!["count", "population"],
            })
            .derived(Derived::Simple {
                column: "crude",
                counts: vec!["count", "population"],
            })
    };
    let out = spec("nhs-england").run(std::slice::from_ref(&t)).unwrap();
    let f = |b: &RecordBatch, c: &str| -> Vec<Option<f64>> {
        b.column_by_name(c)
            .unwrap()
            .as_primitive::<Float64Type>()
            .iter()
            .collect()
    };
    assert_eq!(f(&out, "percent"), [Some(10.0 / 100.0 * 100.0), None]);
    assert_eq!(
        f(&out, "dsr"),
        [Some(11.9), Some(2.8)],
        "standardised: exempt"
    );
    assert_eq!(
        f(&out, "crude"),
        [None, None],
        "from unrounded counts: recompute it"
    );
    // OpenSAFELY exempts no standardised rate: it goes with its count.
    let os = spec("opensafely").run(&[t]).unwrap();
    assert_eq!(f(&os, "dsr"), [Some(11.9), None]);
}

#[test]
fn bad_counts_and_columns_are_named() {
    let t = RecordBatch::try_from_iter([(
        "count",
        Arc::new(Float64Array::from(vec![1.5])) as ArrayRef,
    )])
    .unwrap();
    let e = DisclosureSpec::new(Policy::builtin("nhs-england").unwrap(), &["count"])
        .run(std::slice::from_ref(&t))
        .unwrap_err();
    assert!(e.to_string().contains("1.5 is not a count"), "{e}");
    let e = DisclosureSpec::new(Policy::builtin("nhs-england").unwrap(), &["missing"])
        .run(&[t])
        .unwrap_err();
    assert!(e.to_string().contains("missing"), "{e}");
}

/// A table of areas × bands with each area's total published, and the bands' too.
fn two_way() -> impl Strategy<Value = (usize, usize, Vec<u64>)> {
    (1usize..5, 1usize..6).prop_flat_map(|(areas, bands)| {
        (
            Just(areas),
            Just(bands),
            proptest::collection::vec(prop_oneof![3 => 0u64..12, 2 => 0u64..200], areas * bands),
        )
    })
}

fn grid(areas: usize, bands: usize, values: &[u64]) -> RecordBatch {
    let area: Vec<String> = (0..areas * bands)
        .map(|i| format!("A{}", i / bands))
        .collect();
    let band: Vec<String> = (0..areas * bands)
        .map(|i| format!("b{}", i % bands))
        .collect();
    RecordBatch::try_from_iter([
        ("area", Arc::new(StringArray::from(area)) as ArrayRef),
        ("band", Arc::new(StringArray::from(band))),
        ("count", Arc::new(UInt64Array::from(values.to_vec()))),
    ])
    .unwrap()
}

proptest! {
    #[test]
    fn disclosure_guarantees((areas, bands, values) in two_way(), which in 0usize..3) {
        let policy: Policy = ["nhs-england", "opensafely", "custom:1-9:10"][which].parse().unwrap();
        let spec = DisclosureSpec::new(policy.clone(), &["count"])
            .margin(&["area"])
            .margin(&["band"]);
        let t = grid(areas, bands, &values);
        let out = spec.run(&[t]).unwrap();
        let released = counts(&out, "count");
        // No released count falls in the suppressed range (or is unrounded).
        for v in released.iter().flatten() {
            prop_assert!(!policy.suppresses(*v), "{v} released");
            prop_assert_eq!(policy.round(*v), *v);
        }
        // Every group with a published total hides no cell, or at least two worth more than
        // the threshold in all: none can be recovered by subtraction. (When every cell of a
        // group is hidden, only its published total is left to suppress, and the notes say so.)
        let notes = out.column_by_name("disclosure_note").unwrap().as_string::<i32>().clone();
        let check = |cells: Vec<usize>| -> Result<(), TestCaseError> {
            let size = cells.len();
            let hidden: Vec<usize> = cells.into_iter().filter(|i| released[*i].is_none()).collect();
            if hidden.is_empty() {
                return Ok(());
            }
            let sum: u64 = hidden.iter().map(|i| values[*i]).sum();
            if hidden.len() == size && (size < 2 || sum <= policy.suppress_to) {
                prop_assert!(hidden.iter().all(|i| notes.value(*i).contains("cannot be protected here")));
                return Ok(());
            }
            prop_assert!(hidden.len() >= 2, "a lone hidden cell {hidden:?}");
            prop_assert!(sum > policy.suppress_to, "hidden sum {sum}");
            Ok(())
        };
        for a in 0..areas {
            check((0..bands).map(|b| a * bands + b).collect())?;
        }
        for b in 0..bands {
            check((0..areas).map(|a| a * bands + b).collect())?;
        }
        // A second application changes nothing.
        let again = spec.run(std::slice::from_ref(&out)).unwrap();
        prop_assert_eq!(counts(&again, "count"), released);
    }
}
