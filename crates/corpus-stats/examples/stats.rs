//! Reads corpora in parallel and prints the headline figures of their summary as JSON: the
//! numbers `corpus stats --json` reports under the same names.
//!
//! `cargo run --release -p corpus-stats --example stats -- ../shared/data/reuters21578/reuters-articles.tar.gz`

#![allow(clippy::print_stdout)]

use corpus_parser::{Input, NoProgress, ReadOptions, read_parallel};
use corpus_stats::{ShardedStats, StatsOptions};

fn main() -> Result<(), corpus_stats::OutOfMemory> {
    let inputs: Vec<Input> = std::env::args()
        .skip(1)
        .map(|a| Input::from_arg(&a))
        .collect();
    // One accumulator per pool thread; each document is counted where it was parsed.
    let stats = ShardedStats::new(StatsOptions::default());
    let read = read_parallel(
        &inputs,
        &ReadOptions::default(),
        &NoProgress,
        |doc| stats.add_document(&doc).map(drop),
        |batch| {
            batch.problems.iter().for_each(|p| stats.add_problem(p));
            // A vocabulary past the memory stops the reading.
            batch.results.into_iter().collect::<Result<(), _>>()
        },
    );
    read?;
    let summary = stats.finish()?.summary(3);
    let (c, v) = (&summary.counts, &summary.vocabulary);
    let date = |d: Option<corpus_core::Date>| d.map(|d| d.to_string());
    let top: Vec<&str> = v.top_terms.iter().map(|t| t.term.as_str()).collect();
    let json = serde_json::json!({
        "documents": c.documents, "rejected": summary.rejected, "words": c.words,
        "sentences": c.sentences, "paragraphs": c.paragraphs, "types": v.types,
        "hapax_legomena": v.hapax_legomena, "first": date(summary.dates.first),
        "last": date(summary.dates.last), "top_terms": top,
    });
    println!("{json}");
    Ok(())
}
