//! Periods of time: years, months, ISO weeks and days, the one calendar every time series of
//! the crate (and of a report's charts) is counted in.
//!
//! Two ways to lay periods out: [`in_periods`] sums counts per day into the periods that hold
//! them, with the empty periods between two dated ones filled (the tables of `corpus stats` and
//! `corpus trend`); [`Periods`] is the span a chart covers, every period from the first to the
//! last date, with far outliers left out, so that a stray `0001-01-01` does not flatten it.

use corpus_core::Date;

/// The length of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum Granularity {
    /// `YYYY`.
    Year,
    /// `YYYY-MM`.
    Month,
    /// An ISO week, from Monday, named by its Monday: `YYYY-MM-DD`.
    Week,
    /// `YYYY-MM-DD`.
    Day,
}

impl Granularity {
    /// The granularity a chart of a span of `days` is drawn in: days up to half a year, weeks
    /// up to three years, months up to sixty, years past that (about 30 to 200 points).
    pub fn for_span(days: i64) -> Granularity {
        if days <= 186 {
            Granularity::Day
        } else if days <= 1098 {
            Granularity::Week
        } else if days <= 21_915 {
            Granularity::Month
        } else {
            Granularity::Year
        }
    }

    /// The first day (days since 1970-01-01) of the period holding `day`.
    pub fn start(self, day: i64) -> i64 {
        let Some(date) = Date::from_days(day) else {
            return day;
        };
        let first = |y, m| Date::from_ymd(y, m, 1).map_or(day, Date::days);
        match self {
            Granularity::Day => day,
            // 1970-01-01 was a Thursday: Monday is 3 days before.
            Granularity::Week => day - (day + 3).rem_euclid(7),
            Granularity::Month => first(date.year(), date.month()),
            Granularity::Year => first(date.year(), 1),
        }
    }

    /// The first day of the period after the one starting on `start` (the day after the
    /// calendar's last for its last period).
    pub fn next(self, start: i64) -> i64 {
        let Some(date) = Date::from_days(start) else {
            return start + 1;
        };
        let (y, m) = (date.year(), date.month());
        let first = |y, m| Date::from_ymd(y, m, 1).map(Date::days);
        let next = match self {
            Granularity::Day => Some(start + 1),
            Granularity::Week => Some(start + 7),
            Granularity::Month if m == 12 => first(y + 1, 1),
            Granularity::Month => first(y, m + 1),
            Granularity::Year => first(y + 1, 1),
        };
        next.unwrap_or(start + 1)
    }

    /// The name of the period starting on `start`: `1987-03-02` (a day, or the Monday of a
    /// week), `1987-03`, `1987`.
    pub fn label(self, start: i64) -> String {
        let Some(d) = Date::from_days(start) else {
            return start.to_string();
        };
        match self {
            Granularity::Day | Granularity::Week => d.to_string(),
            Granularity::Month => format!("{:04}-{:02}", d.year(), d.month()),
            Granularity::Year => format!("{:04}", d.year()),
        }
    }

    /// The name of the period holding `date`.
    pub fn period_of(self, date: Date) -> String {
        self.label(self.start(date.days()))
    }

    /// The longest run of empty periods [`in_periods`] fills: 400 days, 200 weeks, 120 months
    /// or 100 years.
    fn max_filled_gap(self) -> usize {
        match self {
            Granularity::Day => 400,
            Granularity::Week => 200,
            Granularity::Month => 120,
            Granularity::Year => 100,
        }
    }
}

/// Counts per day (in date order) summed into periods by `add`, with an empty count (the
/// default) for each empty period between two dated ones, so that a time series shows its
/// gaps: every gap of up to 400 days, 200 weeks, 120 months or 100 years is filled, a longer
/// one is left out (one stray date of `0001-01-01` would otherwise make millions of empty
/// rows).
pub(crate) fn in_periods<T: Default + Clone>(
    days: impl IntoIterator<Item = (Date, T)>,
    granularity: Granularity,
    add: impl Fn(&mut T, &T),
) -> Vec<(String, T)> {
    // The dated periods, each with its first day.
    let mut dated: Vec<(i64, T)> = Vec::new();
    for (date, count) in days {
        let start = granularity.start(date.days());
        match dated.last_mut() {
            Some((last, c)) if *last == start => add(c, &count),
            _ => dated.push((start, count)),
        }
    }
    let max_gap = granularity.max_filled_gap();
    let mut out = Vec::with_capacity(dated.len());
    for i in 0..dated.len() {
        if i > 0 {
            // The empty periods after the previous dated one, if they are few enough.
            let mut empty = Vec::new();
            let mut start = granularity.next(dated[i - 1].0);
            while start < dated[i].0 && empty.len() <= max_gap {
                empty.push(start);
                start = granularity.next(start);
            }
            if empty.len() <= max_gap {
                out.extend(
                    empty
                        .into_iter()
                        .map(|p| (granularity.label(p), T::default())),
                );
            }
        }
        out.push((granularity.label(dated[i].0), dated[i].1.clone()));
    }
    out
}

/// The longest span a chart covers, in years.
const MAX_YEARS: i64 = 500;

/// The periods a chart of some dates covers: every period from the first to the last charted
/// date, the empty ones too, in a granularity chosen for the span
/// ([`Granularity::for_span`]).
///
/// The charts cover every date, or, when the earliest and latest 0.5 % of the dates stretch
/// the span to more than twice the rest's (and a month), the rest only; at most 500 years. So a
/// stray `0001-01-01` does not flatten the chart, and a corpus whose dates are all in use loses
/// none.
#[derive(Debug, Clone)]
pub struct Periods {
    granularity: Granularity,
    /// The first day of each period (days since 1970-01-01).
    starts: Vec<i64>,
    first: Option<Date>,
    last: Option<Date>,
}

impl Periods {
    /// The periods charting `dates` (in any order; the undated are not charted).
    pub fn new(dates: &[Option<Date>]) -> Periods {
        let mut days: Vec<i64> = dates.iter().flatten().map(|d| d.days()).collect();
        days.sort_unstable();
        let mut periods = Periods {
            granularity: Granularity::Day,
            starts: Vec::new(),
            first: None,
            last: None,
        };
        if days.is_empty() {
            return periods;
        }
        // All the dates, unless a few lie far out: then the earliest and latest 0.5 % go.
        let trim = days.len() / 200;
        let (mut a, mut b) = (trim, days.len() - 1 - trim);
        if days[days.len() - 1] - days[0] <= 2 * (days[b] - days[a]) + 31 {
            (a, b) = (0, days.len() - 1);
        }
        // Still too long (a few documents, one dated 0001-01-01): the dates farthest from the
        // median go until at most MAX_YEARS are left, so the chart stays small.
        let median = days[days.len() / 2];
        while days[b] - days[a] > MAX_YEARS * 366 {
            if median - days[a] > days[b] - median {
                a += 1;
            } else {
                b -= 1;
            }
        }
        let (lo, hi) = (days[a], days[b]);
        let granularity = Granularity::for_span(hi - lo);
        periods.granularity = granularity;
        periods.first = Date::from_days(lo);
        periods.last = Date::from_days(hi);
        let mut start = granularity.start(lo);
        while start <= hi {
            periods.starts.push(start);
            start = granularity.next(start);
        }
        periods
    }

    /// The granularity chosen.
    pub fn granularity(&self) -> Granularity {
        self.granularity
    }

    /// The first day of each period, days since 1970-01-01.
    pub fn starts(&self) -> &[i64] {
        &self.starts
    }

    /// Each period's name ([`Granularity::label`]).
    pub fn labels(&self) -> Vec<String> {
        self.starts
            .iter()
            .map(|&s| self.granularity.label(s))
            .collect()
    }

    /// How many periods there are.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether there are none (no date charted).
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The earliest date charted.
    pub fn first(&self) -> Option<Date> {
        self.first
    }

    /// The latest date charted.
    pub fn last(&self) -> Option<Date> {
        self.last
    }

    /// The index of the period holding `date`, if it is charted.
    pub fn of(&self, date: Date) -> Option<usize> {
        let day = date.days();
        let (first, last) = (self.first?.days(), self.last?.days());
        if day < first || day > last {
            return None;
        }
        self.starts.binary_search(&self.granularity.start(day)).ok()
    }
}

#[cfg(test)]
mod tests;
