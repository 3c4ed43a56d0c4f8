//! One value per thread of a rayon pool ([`PerThread`]), and the statistics counted so
//! ([`ShardedStats`]), merged once at the end.

use std::sync::Arc;

use corpus_core::{Document, Problem};

use crate::{CorpusStats, Counts, OutOfMemory, StatsOptions};

/// Statistics counted from many threads at once: one [`CorpusStats`] per thread of the current
/// rayon pool, each locked only by its own thread (so never contended), merged once by
/// [`ShardedStats::finish`].
///
/// Which thread counted which document does not matter: merging is associative and
/// commutative, so the result is the single-threaded one at any thread count. Made for the
/// `map` of [`corpus_parser::read_parallel`](https://docs.rs/corpus-parser), which runs on the
/// pool's threads:
///
/// ```
/// use corpus_core::Document;
/// use corpus_stats::{ShardedStats, StatsOptions};
/// use rayon::prelude::*;
///
/// let docs: Vec<Document> = (0..100)
///     .map(|i| Document::new(i.to_string(), "mem", "Rain fell."))
///     .collect();
/// let stats = ShardedStats::new(StatsOptions::default());
/// docs.par_iter().try_for_each(|doc| stats.add_document(doc).map(drop))?;
/// let total = stats.finish()?;
/// assert_eq!(total.counts().documents, 100);
/// # Ok::<(), corpus_stats::OutOfMemory>(())
/// ```
///
/// (Each document here has no blocks, so no words; see [`CorpusStats`] for one that has.)
#[derive(Debug)]
pub struct ShardedStats {
    options: Arc<StatsOptions>,
    shards: PerThread<CorpusStats>,
}

impl ShardedStats {
    /// One empty accumulator per thread of the current rayon pool (the one the caller runs
    /// in, or rayon's global pool).
    pub fn new(options: StatsOptions) -> ShardedStats {
        ShardedStats::with_shards(options, rayon::current_num_threads())
    }

    /// `shards` empty accumulators (at least one); a thread outside a pool, or one whose index
    /// is past the last shard, shares a shard with others.
    pub fn with_shards(options: StatsOptions, shards: usize) -> ShardedStats {
        let options = Arc::new(options);
        ShardedStats {
            shards: PerThread::with_count(shards, || {
                CorpusStats::with_shared_options(options.clone())
            }),
            options,
        }
    }

    /// The options the statistics are counted with.
    pub fn options(&self) -> &StatsOptions {
        &self.options
    }

    /// Counts one document in the calling thread's accumulator and returns its own figures.
    ///
    /// # Errors
    ///
    /// [`OutOfMemory`] as [`CorpusStats::add_document`]: stop counting and drop the whole.
    pub fn add_document(&self, doc: &Document) -> Result<Counts, OutOfMemory> {
        self.with_shard(|stats| stats.add_document(doc))
    }

    /// Counts a problem in the calling thread's accumulator.
    pub fn add_problem(&self, problem: &Problem) {
        self.with_shard(|stats| stats.add_problem(problem));
    }

    fn with_shard<T>(&self, f: impl FnOnce(&mut CorpusStats) -> T) -> T {
        // A panic while counting leaves the figures up to it: whole documents' but one, and a
        // panic is reported anyway.
        self.shards.with(f)
    }

    /// Merges the accumulators into one. The largest is the base the others merge into:
    /// merging costs what the merged-in side holds, and the result does not depend on the
    /// order.
    ///
    /// # Errors
    ///
    /// [`OutOfMemory`] when the merged vocabulary does not fit.
    pub fn finish(self) -> Result<CorpusStats, OutOfMemory> {
        let mut parts = self.shards.into_inner();
        parts.sort_by_key(|p| std::cmp::Reverse(p.counts().words));
        let mut parts = parts.into_iter();
        let mut total = parts
            .next()
            .unwrap_or_else(|| CorpusStats::with_shared_options(self.options.clone()));
        for part in parts {
            total.merge(part)?;
        }
        Ok(total)
    }
}

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
#[derive(Debug)]
pub struct PerThread<T> {
    values: Vec<std::sync::Mutex<T>>,
}

impl<T> PerThread<T> {
    /// One value made by `make` per thread of the current rayon pool.
    pub fn new(make: impl Fn() -> T) -> PerThread<T> {
        PerThread::with_count(rayon::current_num_threads(), make)
    }

    /// `count` values (at least one) made by `make`; a thread outside a pool, or one whose
    /// index is past the last value, shares a value with others.
    pub fn with_count(count: usize, make: impl Fn() -> T) -> PerThread<T> {
        PerThread {
            values: (0..count.max(1))
                .map(|_| std::sync::Mutex::new(make()))
                .collect(),
        }
    }

    /// Runs `f` on the calling thread's value (a thread outside the pool shares one). A panic
    /// in `f` poisons nothing: the value is used as it was left.
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
