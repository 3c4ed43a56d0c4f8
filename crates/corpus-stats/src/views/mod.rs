//! The linguist's views: the concordance, collocations, keyness and trends.
//!
//! Each counts documents one by one; the counters merge into what one counter would have
//! counted ([`Collocations::merge`], [`TermCounts::merge`]), so a caller can count on many
//! threads ([`PerThread`](crate::PerThread)) and get the same figures at any thread count; [`Kwic::hits`] and
//! [`TermHits::count`] are pure functions of one document, for the `map` of a parallel read.

mod collocations;
mod concordance;
mod keyness;
mod kwic;
mod measures;
mod pattern;
mod trend;

pub use collocations::{Collocate, CollocationOptions, Collocations, Measure};
pub use concordance::{Concordance, ConcordanceLine, DocumentHits, Picker, Sort};
pub use keyness::{GroupTermCounts, Keyword, Part, PartSyntax, TermCounts, keywords, typical};
pub use kwic::{Context, Hit, Kwic, Matcher, sort_key};
pub use measures::{Contingency, keyness_log_likelihood, log_dice, log_ratio};
pub use pattern::{MAX_WINDOW, Pattern, PatternError};
pub use trend::{ChartedTrend, TermHits, Trend, TrendRow};
