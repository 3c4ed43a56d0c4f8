//! Statistics of a news corpus, computed in one pass and mergeable across workers.
//!
//! [`CorpusStats`] is an accumulator: add documents with [`CorpusStats::add_document`] (and
//! problems with [`CorpusStats::add_problem`]), combine accumulators with
//! [`CorpusStats::merge`], then read a [`Summary`]. Merging is associative and commutative,
//! and every list in a summary is sorted with ties broken by name, so a corpus split in any
//! parts, over any number of threads or machines, gives exactly the single-threaded result.
//!
//! What is counted where: `bytes` and `characters` measure a document's whole source text (as
//! `wc -c` and `wc -m` would); words (UAX #29, [`corpus_core::words`]), sentences and terms come
//! from its *body* (paragraphs and headings), since related links and image credits are
//! boilerplate, counted on their own. Terms are words in [`corpus_core::normalize_word`] form.
//! Stop words ([`StopWords`]) are left out of the top-term and bigram lists only: tokens, types
//! and hapax legomena count every word.
//!
//! Memory grows with the vocabulary (terms, bigrams, link titles, credit sources), the number
//! of distinct days and distinct word counts, never with the text itself: 300-500 bytes a
//! distinct term with its bigrams. When a table cannot grow, counting stops with
//! [`OutOfMemory`] rather than the allocator aborting the process.
//!
//! # Part-files
//!
//! An accumulator can be written out ([`CorpusStats::write_part`]) and read back
//! ([`CorpusStats::read_part`]) to be merged in another process: the way sharded runs count
//! one shard per task and merge at the end. The form is versioned ([`PART_VERSION`]), carries
//! a hash of the options and a checksum, and lists every table sorted, so equal counts give
//! equal bytes; a truncated, corrupt or foreign part is a [`PartError`], never a smaller count.
//!
//! ```
//! use corpus_core::{Block, BlockKind, Document};
//! use corpus_stats::{CorpusStats, StatsOptions};
//!
//! let mut doc = Document::new("1", "1.txt", "Rain fell.");
//! doc.blocks = vec![Block::new(BlockKind::Paragraph, 0..10)];
//! let mut shard = CorpusStats::new(StatsOptions::default());
//! shard.add_document(&doc)?;
//! let mut file = Vec::new();
//! shard.write_part(&mut file)?;
//!
//! let mut total = CorpusStats::new(StatsOptions::default());
//! total.merge(CorpusStats::read_part(&mut &file[..], StatsOptions::default())?)?;
//! assert_eq!(total.summary(5), shard.summary(5));
//! assert!(CorpusStats::read_part(&mut &file[..file.len() - 1], StatsOptions::default()).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Example
//!
//! ```
//! use corpus_core::{Block, BlockKind, Document};
//! use corpus_stats::{CorpusStats, StatsOptions};
//!
//! let mut doc = Document::new("1", "1.txt", "Rain fell. Rain stopped.\n\nImage: AP");
//! doc.blocks = vec![Block::new(BlockKind::Paragraph, 0..24), Block::new(BlockKind::ImageCredit, 26..35)];
//!
//! let mut left = CorpusStats::new(StatsOptions::default());
//! let figures = left.add_document(&doc)?;
//! assert_eq!((figures.words, figures.sentences, figures.image_credits), (4, 2, 1));
//!
//! let mut right = CorpusStats::new(StatsOptions::default());
//! right.add_document(&doc)?;
//! left.merge(right)?;
//!
//! let summary = left.summary(10);
//! assert_eq!(summary.counts.documents, 2);
//! assert_eq!(summary.vocabulary.types, 3); // rain, fell, stopped
//! assert_eq!(summary.vocabulary.top_terms[0].term, "rain");
//! assert_eq!(summary.top_image_credits[0].name, "AP");
//! # Ok::<(), corpus_stats::OutOfMemory>(())
//! ```

#![deny(missing_docs)]

mod part;
mod periods;
#[cfg(feature = "rayon")]
mod sharded;
mod stats;
mod stopwords;
mod summary;
pub mod views;
mod vocabulary;

pub use crate::part::{PART_VERSION, PartError};
pub use crate::periods::{Granularity, Periods};
#[cfg(feature = "rayon")]
pub use crate::sharded::{PerThread, ShardedStats};
pub use crate::stats::{CorpusStats, Counts, GroupBy, StatsOptions};
pub use crate::stopwords::StopWords;
pub use crate::summary::{
    Bigram, Dates, Distribution, Group, Period, Ranked, Summary, Term, Vocabulary,
};
pub use crate::views::{
    ChartedTrend, Collocate, CollocationOptions, Collocations, Concordance, ConcordanceLine,
    Context, Contingency, DocumentHits, GroupTermCounts, Hit, Keyword, Kwic, MAX_WINDOW, Matcher,
    Measure, Part, PartSyntax, Pattern, PatternError, Picker, Sort, TermCounts, TermHits, Trend,
    TrendRow, keyness_log_likelihood, keywords, log_dice, log_ratio, sort_key, typical,
};
pub use crate::vocabulary::OutOfMemory;
