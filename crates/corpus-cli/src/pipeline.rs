//! The batch pipeline every command runs: one thread reads records in input order, the rayon
//! pool parses and maps them in batches, and the caller consumes the results in input order.
//!
//! Memory holds at most a few batches (a few MB of input each), whatever the corpus size, and
//! because results are consumed in input order, output is the same at any thread count.

use std::sync::mpsc;
use std::time::Duration;

use corpus_core::{Document, Problem};
use corpus_parser::{Input, Parsed, ReadOptions, Record};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

/// Bytes of input gathered before a batch is handed to the pool.
const BATCH_BYTES: usize = 1 << 20;
/// Records gathered before a batch is handed to the pool, whatever their size.
const BATCH_RECORDS: usize = 1024;
/// Batches read ahead of the workers.
const BATCHES_AHEAD: usize = 2;

/// Reads `inputs`, parses the records of each batch on the rayon pool, and hands each batch's
/// documents to `consume`, batch after batch, in input order. Problems go to `problems`, in
/// input order too, as they come. `consume` may itself use the pool on its batch.
pub(crate) fn for_each_batch<C>(
    inputs: &[Input],
    options: &ReadOptions,
    progress: &ProgressBar,
    problems: &mut dyn FnMut(Problem),
    consume: C,
) -> anyhow::Result<()>
where
    C: FnMut(Vec<Document>) -> anyhow::Result<()>,
{
    map_batches(inputs, options, progress, problems, |doc| doc, consume)
}

/// [`for_each_batch`] with a `map` applied to each document on the pool in the task that
/// parsed it, while its text is still in the processor's cache; `consume` gets the results in
/// input order.
pub(crate) fn map_batches<T, M, C>(
    inputs: &[Input],
    options: &ReadOptions,
    progress: &ProgressBar,
    problems: &mut dyn FnMut(Problem),
    map: M,
    mut consume: C,
) -> anyhow::Result<()>
where
    T: Send,
    M: Fn(Document) -> T + Sync,
    C: FnMut(Vec<T>) -> anyhow::Result<()>,
{
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<Vec<Record>>(BATCHES_AHEAD);
        scope.spawn(move || {
            let mut batch = Vec::new();
            let mut bytes = 0;
            corpus_parser::read(inputs, options, &mut |record| {
                bytes += record.size();
                batch.push(record);
                if bytes >= BATCH_BYTES || batch.len() >= BATCH_RECORDS {
                    bytes = 0;
                    // The receiver only hangs up when consuming failed; stop reading then.
                    let _ = tx.send(std::mem::take(&mut batch));
                }
            });
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
        });
        let mut bytes_read = 0usize;
        for batch in rx {
            bytes_read += batch.iter().map(Record::size).sum::<usize>();
            let parsed: Vec<(Option<T>, Vec<Problem>)> = batch
                .into_par_iter()
                .map(|record| {
                    let Parsed { document, problems } = record.parse();
                    (document.map(&map), problems)
                })
                .collect();
            let mut results = Vec::with_capacity(parsed.len());
            for (result, p) in parsed {
                p.into_iter().for_each(&mut *problems);
                results.extend(result);
            }
            progress.inc(results.len() as u64);
            consume(results)?;
            progress.set_message(format!("{:.1} MB", bytes_read as f64 / 1e6));
        }
        Ok(())
    })
}

/// A spinner counting documents on stderr when stderr is a terminal and `quiet` is off;
/// otherwise a bar that draws nothing.
pub(crate) fn progress_bar(quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} documents, {msg} read ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
