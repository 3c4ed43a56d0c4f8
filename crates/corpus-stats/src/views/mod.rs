//! The linguist's views: the concordance, collocations, keyness and trends.
//!
//! Each counts documents one by one; the counters merge into what one counter would have
//! counted ([`Collocations::merge`], [`TermCounts::merge`]), so a caller can count on many
//! threads ([`PerThread`]) and get the same figures at any thread count; [`Kwic::hits`] and
//! [`TermHits::count`] are pure functions of one document, for the `map` of a parallel read.

mod collocations;
mod keyness;
mod kwic;
mod measures;
mod pattern;
mod trend;

pub use collocations::{Collocate, CollocationOptions, Collocations, Measure};
pub use keyness::{Keyword, Part, PartSyntax, TermCounts, keywords};
pub use kwic::{Context, Hit, Kwic, Matcher, sort_key};
pub use measures::{Contingency, keyness_log_likelihood, log_dice, log_ratio};
pub use pattern::{MAX_WINDOW, Pattern, PatternError};
pub use trend::{TermHits, Trend, TrendRow};

/// One value per thread of the current rayon pool, each locked only by its own thread, taken
/// back together at the end: for counters that merge, counting from many threads at once.
///
/// ```
/// use corpus_stats::{PerThread, TermCounts};
/// use rayon::prelude::*;
///
/// let counts = PerThread::new(TermCounts::default);
/// (0..10).into_par_iter().for_each(|_| counts.with(|_c: &mut TermCounts| {}));
/// assert_eq!(counts.into_inner().len(), rayon::current_num_threads());
/// ```
#[cfg(feature = "rayon")]
#[derive(Debug)]
pub struct PerThread<T> {
    values: Vec<std::sync::Mutex<T>>,
}

#[cfg(feature = "rayon")]
impl<T> PerThread<T> {
    /// One value made by `make` per thread of the current rayon pool.
    pub fn new(make: impl Fn() -> T) -> PerThread<T> {
        PerThread {
            values: (0..rayon::current_num_threads().max(1))
                .map(|_| std::sync::Mutex::new(make()))
                .collect(),
        }
    }

    /// Runs `f` on the calling thread's value (a thread outside the pool shares one).
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let i = rayon::current_thread_index().unwrap_or(0) % self.values.len();
        let mut value = self.values[i]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut value)
    }

    /// The values, in thread order.
    pub fn into_inner(self) -> Vec<T> {
        self.values
            .into_iter()
            .map(|v| {
                v.into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
            })
            .collect()
    }
}
