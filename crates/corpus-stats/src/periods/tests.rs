//! Periods: the calendar's granularities, the gaps filled, a chart's span.

use corpus_core::Date;

use super::{Granularity, Periods, in_periods};

fn day(s: &str) -> Option<Date> {
    Date::parse(s).ok()
}

#[test]
fn periods_follow_the_span_and_keep_the_empty_ones() {
    let short = Periods::new(&[day("1987-03-02"), None, day("1987-03-05")]);
    assert_eq!(short.granularity(), Granularity::Day);
    assert_eq!(
        short.labels(),
        ["1987-03-02", "1987-03-03", "1987-03-04", "1987-03-05"]
    );
    let year = Periods::new(&[day("1987-02-26"), day("1987-10-20")]);
    assert_eq!(year.granularity(), Granularity::Week);
    // 1987-02-26 was a Thursday: its week starts on Monday the 23rd.
    assert_eq!(
        year.labels().first().map(String::as_str),
        Some("1987-02-23")
    );
    assert_eq!(year.labels().last().map(String::as_str), Some("1987-10-19"));
    assert_eq!(year.len(), 35);
    // Evenly spread dates are all charted: none is an outlier.
    let even: Vec<Option<Date>> = (0..1000).map(|d| Date::from_days(18_000 + d)).collect();
    assert_eq!(Periods::new(&even).len(), 1000_usize.div_ceil(7) + 1);
    let decade = Periods::new(&[day("2001-12-31"), day("2010-01-01")]);
    assert_eq!(decade.granularity(), Granularity::Month);
    assert_eq!(decade.len(), 8 * 12 + 1 + 1);
    assert_eq!(
        decade.of(Date::parse("2005-06-15").unwrap()),
        Some(1 + 3 * 12 + 5)
    );
}

#[test]
fn a_stray_date_is_left_out_of_the_charted_span() {
    let mut dates: Vec<Option<Date>> = (1..=28)
        .flat_map(|d| std::iter::repeat_n(day(&format!("2024-02-{d:02}")), 10))
        .collect();
    dates.push(day("0001-01-01"));
    let p = Periods::new(&dates);
    assert_eq!(p.granularity(), Granularity::Day);
    assert_eq!(p.len(), 28);
    assert_eq!(p.of(Date::parse("0001-01-01").unwrap()), None);
    // Too few documents for the 0.5 % to leave any out: the farthest from the median go.
    let p = Periods::new(&[
        day("0001-01-01"),
        day("2024-02-01"),
        day("2024-02-03"),
        day("9999-12-31"),
    ]);
    assert_eq!(p.granularity(), Granularity::Day);
    assert_eq!(p.len(), 3);
}

#[test]
fn weeks_start_on_monday_and_gaps_are_filled_in_any_granularity() {
    let g = Granularity::Week;
    // 1987-03-05 was a Thursday.
    let thursday = day("1987-03-05").unwrap();
    assert_eq!(g.period_of(thursday), "1987-03-02");
    let days = [
        (thursday, 1u64),
        (day("1987-03-08").unwrap(), 2),
        (day("1987-03-24").unwrap(), 4),
    ];
    let rows = in_periods(days, g, |a: &mut u64, b: &u64| *a += b);
    assert_eq!(
        rows,
        [
            ("1987-03-02".to_owned(), 3),
            ("1987-03-09".to_owned(), 0),
            ("1987-03-16".to_owned(), 0),
            ("1987-03-23".to_owned(), 4),
        ]
    );
    let months = in_periods(days, Granularity::Month, |a: &mut u64, b: &u64| *a += b);
    assert_eq!(months, [("1987-03".to_owned(), 7)]);
}
