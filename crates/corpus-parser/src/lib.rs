//! Reads news-article corpora into [`corpus_core::Document`]s, streaming, and never fails.
//!
//! Every input ends up either as a document or in a [`corpus_core::Problem`] that names the
//! file, line and reason: an unreadable file, a truncated gzip stream, a binary file, a JSON line
//! that is not an object, an empty file. Problems that do not cost the document (invalid UTF-8,
//! decoded lossily; a malformed date, dropped) come with the document they concern.
//!
//! The formats:
//!
//! - **dated-article text** (`.txt`), the seed format: an optional `date YYYY-MM-DD` header,
//!   the first paragraph on the header line, blocks separated by blank lines; see
//!   [`parse_article`] for the header and [`classify_blocks`] for how blocks are classified;
//! - **JSON Lines** (`.jsonl`, `.ndjson`), see [`parse_json_line`];
//! - **CSV** (`.csv`) with a header row, columns chosen by [`CsvOptions`];
//! - **Parquet** (`.parquet`, with the `parquet` feature), columns chosen by [`CsvOptions`] as
//!   for CSV, read row group by row group; documents are written as Parquet by
//!   `ParquetWriter`;
//! - **one document per line** (plain text, chosen with [`Format::Lines`]);
//! - any of them **gzip**-, **zstd**-, **bzip2**-, **xz**- or **lz4**-compressed, in **folders**, **tar** or
//!   **zip archives**, or on
//!   standard input; see [`read`].
//!
//! # Example
//!
//! ```
//! use corpus_core::BlockKind;
//! use corpus_parser::{Input, ReadOptions, read_documents};
//!
//! let article = " date 2021-03-08 Rockets hit the base.\n\nRead: Earlier story\n\nImage: AP\n";
//! let inputs = [Input::Memory { name: "001.txt".into(), bytes: article.as_bytes().to_vec() }];
//! let mut documents = Vec::new();
//! read_documents(&inputs, &ReadOptions::default(), &mut |parsed| {
//!     assert!(parsed.problems.is_empty());
//!     documents.extend(parsed.document);
//! });
//! let doc = &documents[0];
//! assert_eq!(doc.id, "001");
//! assert_eq!(doc.date.unwrap().to_string(), "2021-03-08");
//! let kinds: Vec<_> = doc.blocks.iter().map(|b| b.kind).collect();
//! assert_eq!(kinds, [BlockKind::Paragraph, BlockKind::RelatedLink, BlockKind::ImageCredit]);
//! assert_eq!(doc.body().next(), Some("Rockets hit the base."));
//! ```
//!
//! # Reading in parallel
//!
//! [`read_parallel`] (with the default `rayon` feature) reads on a thread of its own, parses on
//! the caller's rayon pool, runs the caller's work on each document in the task that parsed it,
//! and hands the results back in input order, so that what is computed from them does not
//! depend on the number of threads; a [`Progress`] hears how far it got. Without the feature,
//! [`read`] yields the unparsed [`Record`]s for a caller's own scheme.

#![deny(missing_docs)]

mod article;
mod csv_rows;
mod decode;
mod jsonl;
#[cfg(feature = "rayon")]
mod parallel;
#[cfg(feature = "parquet")]
mod parquet_write;
mod read;
mod select;
mod shard;
mod source;

use corpus_core::{Document, Problem};

pub use crate::article::{classify_blocks, parse_article, parse_article_bytes};
pub use crate::jsonl::parse_json_line;
#[cfg(feature = "rayon")]
pub use crate::parallel::{Batch, Flow, NoProgress, Progress, read_parallel};
#[cfg(feature = "parquet")]
pub use crate::parquet_write::{DERIVED_COLUMNS, DocumentColumns, ParquetWriter};
pub use crate::read::{
    CsvOptions, DEFAULT_MAX_RECORD_BYTES, Format, Input, ReadOptions, Record, count_files,
    is_corpus_file, read, read_documents,
};
pub use crate::select::{SelectError, Selection, Where};
pub use crate::shard::{Shard, ShardError};
pub use crate::source::{IdCheck, Source};
/// The encodings [`ReadOptions::encoding`] takes (re-exported from `encoding_rs`).
pub use encoding_rs::Encoding;

/// Whether `encoding` decodes no text at all: WHATWG's "replacement" encoding, which labels
/// such as `iso-2022-kr` and `hz-gb-2312` map to, turns every input into one U+FFFD. The
/// reader refuses it, input by input, with a problem.
pub fn decodes_nothing(encoding: &Encoding) -> bool {
    encoding == encoding_rs::REPLACEMENT
}

/// What one record parsed to: a document or not, and the problems met on the way.
///
/// When `document` is `None`, either `problems` holds at least one problem that
/// [rejects](corpus_core::Problem::rejects) the input, or `left_out` says the document was
/// read and is not in the selection ([`ReadOptions::select`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    /// The document, unless the input was rejected or left out.
    pub document: Option<Document>,
    /// Problems in input order: warnings about the document, or why it was rejected.
    pub problems: Vec<Problem>,
    /// The document was read, and left out by [`ReadOptions::select`]: counted, not a problem.
    pub left_out: bool,
}
