//! The collocates of a word in corpora read in parallel, counted on every thread and merged:
//! prints `[collocate, frequency, log_dice, log_likelihood]` a line, best logDice first: the rows
//! and figures of `corpus collocations --node WORD --json` (window 5,5, English stop words left
//! out, seen at least 3 times).
//!
//! `cargo run --release -p corpus-stats --example collocations -- rates ../shared/data/reuters21578/reuters-articles.tar.gz`

#![allow(clippy::print_stdout)]

use corpus_parser::{Input, NoProgress, ReadOptions, read_parallel};
use corpus_stats::{CollocationOptions, Collocations, Measure, PerThread, StopWords};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let node = args.next().ok_or("usage: collocations WORD INPUT...")?;
    let inputs: Vec<Input> = args.map(|a| Input::from_arg(&a)).collect();
    let mut options = CollocationOptions::node(&node, 5, 5)?;
    options.stopwords = StopWords::english();
    // One counter per pool thread; each document is counted where it was parsed.
    let counters = PerThread::new(|| Collocations::new(options.clone()));
    let read = read_parallel(
        &inputs,
        &ReadOptions::default(),
        &NoProgress,
        |doc| counters.with(|c| c.add_document(&doc)),
        // A vocabulary past the memory stops the reading.
        |batch| batch.results.into_iter().collect::<Result<(), _>>(),
    );
    read?;
    let mut parts = counters.into_inner().into_iter();
    let mut total = parts.next().ok_or("no counter")?;
    for part in parts {
        total.merge(part)?;
    }
    for c in total.scored(Measure::LogDice, 3, 1) {
        let row = serde_json::json!([c.collocate, c.table.o11, c.log_dice, c.log_likelihood]);
        println!("{row}");
    }
    Ok(())
}
