//! What a run over a news corpus reports: the JSON summaries of the `corpus` commands
//! ([`json`]), the CSV reports of its statistics ([`tables`]) and the one-page HTML report of a corpus's statistics and duplicates
//! ([`Report`], [`Page`], [`render_html`]).
//!
//! This crate sits above `corpus-stats` and `corpus-dedup`, where the two meet: they never
//! use each other. A report reads its input two or three times ([`Report::build`]): the first
//! read counts the statistics and finds the copies, the second reads what only the copies
//! tell (the largest clusters' titles, the recurring lines' texts, the top terms over time).
//! The [`Page`] holds aggregates and capped samples (the top rows of each table, the first
//! problems), never the corpus, so it stays small whatever the corpus's size; its charts are
//! drawn by uPlot (`assets/uplot`, MIT, embedded in the page) from the JSON in the page, and
//! every figure is also in the page as text.
//!
//! ```
//! use corpus_dedup::Preset;
//! use corpus_parser::{Input, NoProgress, ReadOptions};
//! use corpus_report::{Report, ReportOptions, render_html};
//!
//! let story = "Shares of Acme rose 5 pct on Monday after the company said profit doubled.";
//! let lines: String = ["a", "b", "c"]
//!     .iter()
//!     .map(|id| format!("{{\"id\":\"{id}\",\"date\":\"2024-03-0{}\",\"text\":\"{story}\"}}\n", id.len()))
//!     .collect();
//! let inputs = [Input::Memory { name: "wire.jsonl".into(), bytes: lines.into_bytes() }];
//! let mut problems = Vec::new();
//! let report = Report::build(
//!     &inputs,
//!     &ReadOptions::default(),
//!     ReportOptions::new(Preset::News),
//!     &NoProgress,
//!     &mut |p| problems.push(p),
//! )?;
//! let page = report.page(&problems, problems.len() as u64, "corpus 0.1.0");
//! let html = render_html(&page);
//! assert!(html.contains("wire.jsonl"));
//! let json = serde_json::to_value(&page)?;
//! assert_eq!(json["dedup"]["kept"], 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]

mod build;
mod html;
pub mod json;
mod page;
pub mod tables;
pub mod text;
pub mod views;

use corpus_dedup::{DedupOptions, Preset};
use corpus_stats::StatsOptions;

pub use crate::build::{Report, ReportError};
pub use crate::html::render_html;
pub use crate::page::Page;

/// How a report counts: the statistics' and the deduplication's options, and what the page
/// shows.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReportOptions {
    /// The statistics' options (stop words, groups).
    pub stats: StatsOptions,
    /// How copies are found.
    pub dedup: DedupOptions,
    /// The name of the preset the copies are found with, as the page says it.
    pub preset: String,
    /// Count one copy of each story: the figures, terms and boilerplate leave the copies out.
    pub one_copy: bool,
    /// Rows of each table, and terms of the term chart (at most 10 of them).
    pub top: usize,
    /// A line or paragraph is boilerplate when at least this many kept documents carry it.
    pub min_docs: u64,
    /// The page's title; the inputs' file names when `None`.
    pub title: Option<String>,
    /// What the documents are grouped by, as the user named it (`meta.source`), for the page;
    /// the groups themselves are [`StatsOptions::group_by`]'s.
    pub group_by: Option<String>,
}

impl ReportOptions {
    /// A report with copies found by `preset`, the default statistics, 20 rows a table and
    /// boilerplate in at least 5 documents.
    pub fn new(preset: Preset) -> ReportOptions {
        ReportOptions {
            stats: StatsOptions::default(),
            dedup: preset.options(),
            preset: preset.name().to_owned(),
            one_copy: false,
            top: 20,
            min_docs: 5,
            title: None,
            group_by: None,
        }
    }
}
