use chrono::NaiveDate;
use pcnkit_core::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (1950i32..2150, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

proptest! {
    #[test]
    fn practice_codes_round_trip(letter in "[A-Z]", digits in "[0-9]{5}") {
        let text = format!("{letter}{digits}");
        let code = PracticeCode::new(&text).unwrap();
        prop_assert_eq!(code.to_string(), text.clone());
        prop_assert_eq!(code.as_str().parse::<PracticeCode>().unwrap(), code);
        let json = serde_json::to_string(&code).unwrap();
        prop_assert_eq!(serde_json::from_str::<PracticeCode>(&json).unwrap(), code);
    }

    #[test]
    fn invalid_codes_are_never_accepted(s in "\\PC{0,12}") {
        // Anything accepted must, once trimmed and upper-cased, match the published shape.
        let canon = s.trim().to_ascii_uppercase();
        let practice_shape = canon.len() == 6
            && canon.as_bytes()[0].is_ascii_uppercase()
            && canon.bytes().skip(1).all(|b| b.is_ascii_digit());
        prop_assert_eq!(PracticeCode::new(&s).is_ok(), practice_shape);
        let pcn_shape = canon.len() == 6 && canon.starts_with('U') && canon.bytes().skip(1).all(|b| b.is_ascii_digit());
        prop_assert_eq!(PcnCode::new(&s).is_ok(), pcn_shape);
        if let Ok(c) = IcbCode::new(&s) {
            prop_assert!(c.as_str().len() == 3 || c.as_str().len() == 5);
        }
        if let Ok(c) = OdsCode::new(&s) {
            prop_assert!(c.as_str().bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        }
    }

    #[test]
    fn code_regex_agrees_with_parser(s in "[A-Z0-9]{2,6}") {
        for (pattern, ok) in [
            (IcbCode::pattern(), IcbCode::new(&s).is_ok()),
            (SubIcbCode::pattern(), SubIcbCode::new(&s).is_ok()),
            (RegionCode::pattern(), RegionCode::new(&s).is_ok()),
        ] {
            let schema = serde_json::json!({"type": "string", "pattern": pattern});
            prop_assert_eq!(jsonschema::is_valid(&schema, &serde_json::json!(s)), ok);
        }
    }

    #[test]
    fn financial_year_forms_round_trip(start in 1900i32..2199) {
        let fy = FinancialYear::new(start).unwrap();
        for text in [fy.to_string(), format!("{start}-{:02}", (start + 1) % 100), format!("FY{start}"), format!("{start}/{}", start + 1)] {
            prop_assert_eq!(text.parse::<FinancialYear>().unwrap(), fy);
        }
    }

    #[test]
    fn financial_year_months_tile_the_year(start in 1900i32..2199) {
        let fy = FinancialYear::new(start).unwrap();
        let months: Vec<Month> = fy.months().collect();
        prop_assert_eq!(months.len(), 12);
        prop_assert_eq!(months[0].first_day(), fy.first_day());
        prop_assert_eq!(months[11].last_day(), fy.last_day());
        let days: u32 = months.iter().map(|m| m.days()).sum();
        prop_assert_eq!(days, fy.days());
        for (i, pair) in months.windows(2).enumerate() {
            prop_assert_eq!(pair[0].next(), pair[1]);
            prop_assert_eq!(pair[1].previous(), pair[0]);
            prop_assert_eq!(pair[0].last_day().succ_opt().unwrap(), pair[1].first_day());
            prop_assert_eq!(fy.month_index(pair[0]), Some(i as u32));
            prop_assert_eq!(pair[0].financial_year(), fy);
        }
    }

    #[test]
    fn date_belongs_to_exactly_one_financial_year(date in any_date()) {
        let fy = FinancialYear::of(date).unwrap();
        prop_assert!(fy.contains(date));
        prop_assert!(!fy.next().unwrap().contains(date));
        prop_assert!(!fy.previous().unwrap().contains(date));
        prop_assert!(Month::of(date).unwrap().contains(date));
    }

    #[test]
    fn months_arithmetic_is_consistent(y in 1950i32..2150, m in 1u32..=12, n in 0u32..600) {
        let a = Month::new(y, m).unwrap();
        let b = a.plus(n);
        prop_assert_eq!(a.months_until(b), n as i32);
        prop_assert_eq!(b.to_string().parse::<Month>().ok().map(|x| x.months_until(a)), Some(-(n as i32)).filter(|_| b.year() <= 2200));
    }

    #[test]
    fn period_overlap_days_are_symmetric_and_bounded(a in any_date(), la in 0u64..800, b in any_date(), lb in 0u64..800) {
        let p = Period::new(a, a.checked_add_days(chrono::Days::new(la))).unwrap();
        let q = Period::new(b, b.checked_add_days(chrono::Days::new(lb))).unwrap();
        let o = p.overlap_days(&q).unwrap();
        prop_assert_eq!(o, q.overlap_days(&p).unwrap());
        prop_assert!(o <= p.days().unwrap().min(q.days().unwrap()));
        prop_assert_eq!(o > 0, p.overlaps(&q));
        let json = serde_json::to_string(&p).unwrap();
        prop_assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), p);
    }

    #[test]
    fn money_never_loses_a_penny_in_sums(parts in proptest::collection::vec(-10_000_000i64..10_000_000, 0..2000)) {
        let total = Money::sum(parts.iter().map(|&p| Money::from_pence(p))).unwrap();
        let expected: i64 = parts.iter().sum();
        prop_assert_eq!(total, Money::from_pence(expected));
    }

    #[test]
    fn splitting_money_and_summing_back_is_exact(pence in 0i64..1_000_000_000, ways in 1u32..400) {
        // Unrounded shares add back to the whole exactly up to the last representable digit.
        let whole = Money::from_pence(pence);
        let share = whole.checked_div(Decimal::from(ways)).unwrap();
        let back = share.checked_mul(Decimal::from(ways)).unwrap();
        prop_assert!((back.pounds() - whole.pounds()).abs() < Decimal::new(1, 20));
        prop_assert_eq!(back.round_to_penny(Rounding::HalfUp), whole);
    }

    #[test]
    fn money_text_round_trips(pence in any::<i64>().prop_map(|p| p / 7), extra_dp in 0u32..6) {
        let m = Money::from_pounds(Decimal::new(pence, 2 + extra_dp));
        prop_assert_eq!(m.to_string().parse::<Money>().unwrap(), m);
        prop_assert_eq!(serde_json::from_str::<Money>(&serde_json::to_string(&m).unwrap()).unwrap(), m);
    }

    #[test]
    fn rounding_modes_bracket_the_exact_value(units in -1_000_000_000i64..1_000_000_000) {
        let m = Money::from_pounds(Decimal::new(units, 5));
        let down = m.round_to_penny(Rounding::Down);
        let up = m.round_to_penny(Rounding::Up);
        prop_assert!(down.pounds().abs() <= m.pounds().abs() && m.pounds().abs() <= up.pounds().abs());
        for mode in [Rounding::HalfUp, Rounding::HalfEven] {
            let r = m.round_to_penny(mode);
            prop_assert!((r.pounds() - m.pounds()).abs() <= Decimal::new(5, 3));
        }
    }

    #[test]
    fn age_bands_round_trip(lower in 0u8..=120, width in 0u8..20, open in any::<bool>()) {
        let band = if open { AgeBand::open(lower).unwrap() } else { AgeBand::new(lower, lower.saturating_add(width).min(120)).unwrap() };
        prop_assert_eq!(band.to_string().parse::<AgeBand>().unwrap(), band);
    }

    #[test]
    fn every_age_falls_in_exactly_one_band(age in 0u8..=120) {
        for scheme in [AgeBandScheme::esp2013(), AgeBandScheme::single_years(95).unwrap(), AgeBandScheme::five_year(85).unwrap()] {
            let n = scheme.bands().iter().filter(|b| b.contains(age)).count();
            prop_assert_eq!(n, 1);
            prop_assert!(scheme.band_of(age).contains(age));
        }
    }

    #[test]
    fn parsers_never_panic(s in "\\PC{0,40}") {
        let _ = s.parse::<FinancialYear>();
        let _ = s.parse::<Month>();
        let _ = s.parse::<Money>();
        let _ = s.parse::<Wte>();
        let _ = s.parse::<AgeBand>();
        let _ = s.parse::<Sex>();
        let _ = s.parse::<PatientCount>();
        let _ = parse_nhs_date(&s);
    }
}

proptest! {
    /// No total of counts is ever built from a wrapped integer: near `u64::MAX` a sum is either
    /// exact or an overflow error.
    #[test]
    fn count_sums_are_exact_or_an_error(values in proptest::collection::vec(u64::MAX - 1_000_000..=u64::MAX, 0..4), small in proptest::collection::vec(0u64..1_000, 0..4)) {
        let all: Vec<u64> = values.iter().chain(&small).copied().collect();
        let exact: u128 = all.iter().map(|v| u128::from(*v)).sum();
        match PatientCount::sum(all.iter().map(|v| PatientCount::from(*v))) {
            Ok(total) => prop_assert_eq!(u128::from(total.get()), exact),
            Err(e) => {
                prop_assert!(exact > u128::from(u64::MAX));
                prop_assert!(matches!(e, CoreError::Overflow(_)));
            }
        }
    }

    /// Money totals near `Decimal::MAX` are exact or an overflow error, and an unknown part is
    /// counted, never added as zero.
    #[test]
    fn money_totals_are_exact_or_an_error(
        big in proptest::collection::vec(0i64..1_000, 0..4),
        unknown in 0usize..3,
    ) {
        let near = Decimal::MAX - Decimal::from(10_000);
        let amounts: Vec<Option<Money>> = big
            .iter()
            .map(|b| Some(Money::from_pounds(near - Decimal::from(*b))))
            .chain(std::iter::repeat_n(None, unknown))
            .collect();
        match MoneyTotal::of(amounts.iter().copied()) {
            Ok(t) => {
                prop_assert!(big.len() <= 1);
                prop_assert_eq!(t.unknown(), unknown as u64);
                prop_assert_eq!(t.is_complete(), unknown == 0);
                prop_assert_eq!(t.value().is_some(), unknown == 0);
            }
            Err(e) => {
                prop_assert!(big.len() >= 2);
                prop_assert!(matches!(e, CoreError::Overflow(_)));
            }
        }
    }

    /// A count read from a file is a whole number from 0 to the plausible limit: anything
    /// larger (a wrapped −1, say) is an error naming the line and column.
    #[test]
    fn implausible_counts_are_row_errors(n in read::IMPLAUSIBLE_COUNT + 1..=u64::MAX, ok in 0..=read::IMPLAUSIBLE_COUNT) {
        let csv = format!("n\n{ok}\n{n}\n");
        let got = read::read_csv(
            csv.as_bytes(),
            read::ImportOptions::new("counts.csv"),
            None,
            |c| c.require(&["n"]),
            |&i, row| row.req_count(i).map(read::Parsed::Record),
        ).unwrap();
        prop_assert_eq!(&got.records, &vec![PatientCount::from(ok)]);
        prop_assert_eq!(got.errors.len(), 1);
        prop_assert_eq!(got.errors[0].location.line, Some(3));
        prop_assert!(got.accounts_for_every_row());
    }
}

proptest! {
    /// A row's line is the line an editor shows, whatever the file's line endings (LF, CRLF as
    /// most NHS England files have, or a lone CR), with blank lines and a quoted field
    /// spanning lines before it: the csv crate alone lagged a line behind after each CRLF.
    #[test]
    fn row_lines_are_editor_lines_whatever_the_endings(
        ending in prop::sample::select(vec!["\n", "\r\n", "\r"]),
        rows in proptest::collection::vec((0u8..4, any::<bool>()), 1..12),
    ) {
        // Each row: 0 a good count, 1 a bad one, 2 a blank line, 3 a good row whose quoted
        // note spans two lines. `bad` rows must be named by their first line.
        let mut text = format!("n,note{ending}");
        let mut line = 2u64;
        let mut want = Vec::new();
        for (kind, _) in &rows {
            match kind {
                0 => { text.push_str(&format!("5,x{ending}")); line += 1; }
                1 => { text.push_str(&format!("bad,x{ending}")); want.push(line); line += 1; }
                2 => { text.push_str(ending); line += 1; }
                _ => { text.push_str(&format!("6,\"two{ending}lines\"{ending}")); line += 2; }
            }
        }
        let got = read::read_csv(
            text.as_bytes(),
            read::ImportOptions::new("lines.csv"),
            None,
            |c| c.require(&["n"]),
            |&i, row| row.req_count(i).map(read::Parsed::Record),
        ).unwrap();
        let lines: Vec<u64> = got.errors.iter().filter_map(|e| e.location.line).collect();
        prop_assert_eq!(lines, want);
    }
}

/// One decile → quintile mapping: a decile's quintile is that of its own value as a mean, and
/// every out-of-range decile or mean is refused.
#[test]
fn imd_deciles_and_quintiles_agree() {
    use pcnkit_core::{ImdDecile, ImdQuintile};
    for d in 0u8..=255 {
        match ImdDecile::new(d) {
            Ok(decile) => {
                assert!((1..=10).contains(&d));
                let q = decile.quintile();
                assert_eq!(q.get(), d.div_ceil(2));
                assert_eq!(ImdQuintile::of_mean_decile(f64::from(d)), Some(q));
                assert_eq!(q.to_string(), format!("Q{}", q.get()));
            }
            Err(e) => {
                assert!(!(1..=10).contains(&d));
                assert!(e.to_string().contains("a decile from 1 to 10"), "{e}");
            }
        }
    }
    assert_eq!(ImdQuintile::of_mean_decile(f64::NAN), None);
    assert_eq!(ImdQuintile::of_mean_decile(10.5), None);
    assert!(ImdQuintile::new(6).is_err());
}
