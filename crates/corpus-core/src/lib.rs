//! The document model of the corpus toolkit, and the text functions every other crate shares.
//!
//! A corpus is a stream of [`Document`]s plus a list of [`Problem`]s: every input either becomes a
//! document or is named in a problem, so nothing is lost silently. A document keeps its source
//! text whole and describes its structure as [`Block`]s, each a byte span of that text classified
//! by [`BlockKind`]: paragraphs and headings are the *body*, which statistics and deduplication
//! look at; related-article links and image credits are news boilerplate, counted on their own.
//!
//! The text functions live here so that statistics and deduplication agree exactly on what a word
//! is ([`words`], Unicode word boundaries, UAX #29), what a sentence is ([`sentences`]) and when
//! two texts are the same ([`normalize`]).
//!
//! [`lang`] tells a text's language ([`lang::detect`]); a document carries it as a [`Lang`].
//!
//! This crate opens no file: reading files is `corpus-parser`'s job. [`part`] is the envelope
//! of the part-files other crates write, on the streams they are given.
//!
//! # Example
//!
//! ```
//! use corpus_core::{Block, BlockKind, Date, Document, normalize, words};
//!
//! let text = "Markets rally\n\nShares rose on Monday.\n\nImage: AP";
//! let mut doc = Document::new("001", "example.txt", text);
//! doc.date = Some(Date::parse("2021-03-08").unwrap());
//! doc.blocks = vec![
//!     Block::new(BlockKind::Heading, 0..13),
//!     Block::new(BlockKind::Paragraph, 15..37),
//!     Block::new(BlockKind::ImageCredit, 39..48),
//! ];
//! assert_eq!(doc.body().collect::<Vec<_>>(), ["Markets rally", "Shares rose on Monday."]);
//! assert_eq!(doc.image_credits().collect::<Vec<_>>(), ["AP"]);
//! assert_eq!(words("Shares rose on Monday.").count(), 4);
//! assert_eq!(normalize("Shares  ROSE, on Monday!"), "shares rose on monday");
//! ```

#![deny(missing_docs)]

mod date;
mod document;
pub mod lang;
pub mod part;
mod problem;
mod text;

pub use crate::date::{Date, DateError};
pub use crate::document::{Block, BlockKind, Document, Origin, WithBody};
pub use crate::lang::Lang;
pub use crate::problem::{Problem, ProblemKind};
pub use crate::text::{
    NormalWord, for_each_normal_word, normalize, normalize_into, normalize_word, sentence_count,
    sentences, words,
};
