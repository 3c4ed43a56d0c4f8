//! Unit tests of date parsing and day arithmetic.

use super::*;

#[test]
fn parses_valid_dates() {
    let d = Date::parse("2021-03-08").unwrap();
    assert_eq!((d.year(), d.month(), d.day()), (2021, 3, 8));
    assert_eq!(d.to_string(), "2021-03-08");
    assert!(Date::parse("2024-02-29").is_ok());
    assert!(Date::parse("2000-02-29").is_ok());
}

#[test]
fn rejects_malformed_and_impossible_dates() {
    let malformed = DateError::Malformed;
    let impossible = DateError::Impossible;
    for (text, error) in [
        ("21-3-8", malformed as fn(String) -> DateError),
        ("2021/03/08", malformed),
        ("2021-3-08", malformed),
        ("2021-02-30", impossible),
        ("1900-02-29", impossible),
        ("2021-13-01", impossible),
        ("0000-01-01", impossible),
    ] {
        assert_eq!(Date::parse(text), Err(error(text.into())));
    }
    assert!(Date::parse("２０２１-03-08").is_err());
}

#[test]
fn days_count_from_the_epoch() {
    assert_eq!(Date::parse("1970-01-01").unwrap().days(), 0);
    assert_eq!(Date::parse("1970-01-02").unwrap().days(), 1);
    assert_eq!(Date::parse("1969-12-31").unwrap().days(), -1);
    assert_eq!(Date::parse("2000-03-01").unwrap().days(), 11_017);
    let a = Date::parse("1987-02-26").unwrap();
    let b = Date::parse("1987-03-02").unwrap();
    assert_eq!(b.days() - a.days(), 4);
}

#[test]
fn serde_round_trip() {
    let d = Date::parse("1987-10-20").unwrap();
    let json = serde_json::to_string(&d).unwrap();
    assert_eq!(json, "\"1987-10-20\"");
    assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), d);
    assert!(serde_json::from_str::<Date>("\"1987-02-30\"").is_err());
}

#[test]
fn from_days_inverts_days() {
    for s in [
        "1970-01-01",
        "1969-12-31",
        "2000-02-29",
        "2024-03-01",
        "0001-01-01",
        "9999-12-31",
        "1987-10-20",
    ] {
        let d = Date::parse(s).unwrap();
        assert_eq!(Date::from_days(d.days()), Some(d), "{s}");
    }
    let first = Date::parse("0001-01-01").unwrap().days();
    let last = Date::parse("9999-12-31").unwrap().days();
    assert_eq!(Date::from_days(first - 1), None);
    assert_eq!(Date::from_days(last + 1), None);
    // Every day of a leap-year span, in order, one apart.
    let start = Date::parse("2023-12-30").unwrap().days();
    let mut previous = Date::from_days(start).unwrap();
    for n in 1..800 {
        let d = Date::from_days(start + n).unwrap();
        assert!(d > previous && d.days() - previous.days() == 1);
        previous = d;
    }
}
