//! Calendar dates as news articles carry them: `YYYY-MM-DD`, validated, with day arithmetic.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A valid proleptic Gregorian calendar date between years 1 and 9999.
///
/// Serialises as `"YYYY-MM-DD"`. Ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a string is not a [`Date`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateError {
    /// The string is not shaped `YYYY-MM-DD` (four, two and two ASCII digits).
    Malformed(String),
    /// The string is shaped right but names no day of the calendar, like `2021-02-30`.
    Impossible(String),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Malformed(s) => write!(f, "malformed date {s:?}, expected YYYY-MM-DD"),
            DateError::Impossible(s) => write!(f, "impossible date {s:?}, no such day"),
        }
    }
}

impl std::error::Error for DateError {}

impl Date {
    /// Makes a date from its parts, or `None` when they name no calendar day.
    pub fn from_ymd(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD`; anything else is an error that quotes the input.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let b = s.as_bytes();
        let shaped = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shaped {
            return Err(DateError::Malformed(s.to_owned()));
        }
        let num = |r: std::ops::Range<usize>| -> u16 {
            b[r].iter().fold(0, |n, c| n * 10 + u16::from(c - b'0'))
        };
        // The casts are exact: two ASCII digits are at most 99.
        Date::from_ymd(num(0..4), num(5..7) as u8, num(8..10) as u8)
            .ok_or_else(|| DateError::Impossible(s.to_owned()))
    }

    /// The year, 1 to 9999.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before), so that `b.days() - a.days()` is the distance
    /// between two dates in days.
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl Date {
    /// The first and last day of a year, month or day written `YYYY`, `YYYY-MM` or
    /// `YYYY-MM-DD` (`1987-02` is February 1st to 28th); `None` for anything else.
    ///
    /// ```
    /// use corpus_core::Date;
    ///
    /// let (first, last) = Date::period("1988-02").unwrap();
    /// assert_eq!((first.to_string(), last.to_string()), ("1988-02-01".into(), "1988-02-29".into()));
    /// assert!(Date::period("March").is_none());
    /// ```
    pub fn period(text: &str) -> Option<(Date, Date)> {
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str, len: usize| {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u16>().ok())
                .flatten()
        };
        match parts[..] {
            [y] => {
                let y = number(y, 4)?;
                Some((Date::from_ymd(y, 1, 1)?, Date::from_ymd(y, 12, 31)?))
            }
            [y, m] => {
                let (y, m) = (number(y, 4)?, number(m, 2)? as u8);
                let first = Date::from_ymd(y, m, 1)?;
                let next = if m == 12 {
                    Date::from_ymd(y + 1, 1, 1)?
                } else {
                    Date::from_ymd(y, m + 1, 1)?
                };
                Some((first, Date::from_days(next.days() - 1)?))
            }
            [y, m, d] => {
                let day = Date::from_ymd(number(y, 4)?, number(m, 2)? as u8, number(d, 2)? as u8)?;
                Some((day, day))
            }
            _ => None,
        }
    }

    /// The date `days` after 1970-01-01 (before, when negative): the inverse of
    /// [`Date::days`]. `None` outside years 1 to 9999.
    pub fn from_days(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::from_ymd(u16::try_from(year).ok()?, month as u8, day as u8)
    }
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Date, DateError> {
        Date::parse(s)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;
