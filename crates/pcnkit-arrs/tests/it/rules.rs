use pcnkit_arrs::rules::*;
use pcnkit_core::FinancialYear;

#[test]
fn builtin_tables_load_for_every_year() {
    let book = RuleBook::builtin().unwrap();
    let years: Vec<String> = book.years().map(|y| y.to_string()).collect();
    assert_eq!(
        years,
        [
            "2019/20", "2020/21", "2021/22", "2022/23", "2023/24", "2024/25", "2025/26"
        ]
    );
    for y in book.years() {
        let figures = book.figures(y).unwrap();
        assert!(!figures.is_empty());
        for f in &figures {
            match f.amount {
                Some(_) => assert!(
                    f.provenance.confidence.is_some() && !f.provenance.sources.is_empty(),
                    "{y} {f:?}"
                ),
                None => assert!(f.provenance.note.is_some(), "{y} {f:?}"),
            }
        }
    }
}
