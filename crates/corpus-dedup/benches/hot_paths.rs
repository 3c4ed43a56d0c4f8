//! Micro-benchmarks of fingerprinting (normalisation, shingling, MinHash) and clustering:
//! `cargo bench -p corpus-dedup`.

use corpus_core::{Block, BlockKind, Document};
use corpus_dedup::{DedupOptions, Fingerprinter, cluster};

fn main() {
    divan::main();
}

/// A document of about `words` words in one paragraph, varied by `seed`.
fn document(words: usize, seed: u64) -> Document {
    let vocabulary = [
        "river", "ferry", "council", "harbour", "budget", "bridge", "repair", "vessel", "petition",
        "summer", "service", "crossing", "mayor", "vote", "town", "cost",
    ];
    let mut state = seed;
    let text: Vec<&str> = (0..words)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            vocabulary[(state >> 60) as usize]
        })
        .collect();
    let text = text.join(" ");
    let mut doc = Document::new(seed.to_string(), "bench", text.clone());
    doc.blocks = vec![Block::new(BlockKind::Paragraph, 0..text.len())];
    doc
}

#[divan::bench(args = [50, 200, 1000])]
fn fingerprint(bencher: divan::Bencher<'_, '_>, words: usize) {
    let options = DedupOptions::default();
    let fingerprinter = Fingerprinter::new(&options);
    let doc = document(words, 7);
    bencher.bench(|| fingerprinter.fingerprint(divan::black_box(&doc)));
}

#[divan::bench]
fn cluster_10k(bencher: divan::Bencher<'_, '_>) {
    let options = DedupOptions::default();
    let fingerprinter = Fingerprinter::new(&options);
    let fingerprints: Vec<_> = (0..10_000)
        .map(|i| fingerprinter.fingerprint(&document(200, i)))
        .collect();
    bencher
        .counter(divan::counter::ItemsCount::new(10_000usize))
        .bench(|| cluster(divan::black_box(&fingerprints), &options));
}
