//! Reads corpora in parallel, deduplicates them with the `news` preset, and writes the
//! clusters report on standard output: the file `corpus dedup --preset news --clusters FILE`
//! writes, byte for byte.
//!
//! `cargo run --release -p corpus-dedup --example clusters -- ../shared/data/reuters21578/reuters-articles.tar.gz`

use corpus_dedup::{ClusterRow, DedupOptions, Deduplicator};
use corpus_parser::{Input, NoProgress, ReadOptions, read_parallel};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inputs: Vec<Input> = std::env::args()
        .skip(1)
        .map(|a| Input::from_arg(&a))
        .collect();
    let mut dedup = Deduplicator::new(DedupOptions::news())?;
    // Fingerprints are computed on the pool; the deduplicator takes them in input order.
    let preparer = dedup.preparer();
    let prepare = |doc: corpus_core::Document| preparer.prepare(&doc);
    read_parallel(
        &inputs,
        &ReadOptions::default(),
        &NoProgress,
        prepare,
        |batch| {
            batch.results.into_iter().for_each(|p| dedup.add(p));
            Ok::<(), std::convert::Infallible>(())
        },
    )?;
    let done = dedup.finish();
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    out.write_record(ClusterRow::HEADER)?;
    for row in done.cluster_rows() {
        out.write_record(row.fields())?;
    }
    out.flush()?;
    Ok(())
}
