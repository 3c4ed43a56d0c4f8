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
//! of distinct days and distinct word counts, never with the text itself.
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
//! let figures = left.add_document(&doc);
//! assert_eq!((figures.words, figures.sentences, figures.image_credits), (4, 2, 1));
//!
//! let mut right = CorpusStats::new(StatsOptions::default());
//! right.add_document(&doc);
//! left.merge(right);
//!
//! let summary = left.summary(10);
//! assert_eq!(summary.counts.documents, 2);
//! assert_eq!(summary.vocabulary.types, 3); // rain, fell, stopped
//! assert_eq!(summary.vocabulary.top_terms[0].term, "rain");
//! assert_eq!(summary.top_image_credits[0].name, "AP");
//! ```

#![deny(missing_docs)]

#[cfg(feature = "rayon")]
mod sharded;
mod stats;
mod stopwords;
mod summary;
mod vocabulary;

#[cfg(feature = "rayon")]
pub use crate::sharded::ShardedStats;
pub use crate::stats::{CorpusStats, Counts, GroupBy, StatsOptions};
pub use crate::stopwords::StopWords;
pub use crate::summary::{
    Bigram, Dates, Distribution, Granularity, Group, Period, Ranked, Summary, Term, Vocabulary,
};
