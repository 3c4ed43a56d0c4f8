//! Repeated lines: blocks that recur across documents, the boilerplate of news sites.

use corpus_core::{BlockKind, Date, Document, normalize};
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64;

/// How often one normalised block recurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCount {
    /// Documents that carry it (each counted once, however often it appears in one).
    pub documents: u64,
    /// The earliest date of those documents.
    pub first: Option<Date>,
    /// The latest date of those documents.
    pub last: Option<Date>,
    /// The kind of the block where it was first seen.
    pub kind: BlockKind,
}

/// The hash of each of a document's blocks in normal form ([`corpus_core::normalize`]), with
/// its kind: one entry per block, in order, `None` for a block with no words (it can never
/// be a repeated line). Aligned with `doc.blocks`, so a caller can tell which block a hash is.
pub fn block_hashes(doc: &Document) -> Vec<(Option<u64>, BlockKind)> {
    doc.blocks
        .iter()
        .map(|b| {
            let normal = normalize(doc.block_text(b));
            (
                (!normal.is_empty()).then(|| xxh3_64(normal.as_bytes())),
                b.kind,
            )
        })
        .collect()
}

/// Counts normalised blocks across documents to find the ones that recur in at least
/// `min_docs` of them: `Read: ...` links, `Image: AP` credits, newsletter footers.
///
/// Memory holds a hash and three numbers per distinct block, never the text; callers fetch the
/// text of the few repeated blocks when they need it.
#[derive(Debug, Clone, Default)]
pub struct RepeatedLines {
    min_docs: u64,
    counts: FxHashMap<u64, LineCount>,
}

impl RepeatedLines {
    /// A counter reporting blocks found in at least `min_docs` documents.
    pub fn new(min_docs: u64) -> RepeatedLines {
        RepeatedLines {
            min_docs: min_docs.max(1),
            counts: FxHashMap::default(),
        }
    }

    /// Counts one document's blocks (from [`block_hashes`]).
    pub fn add(&mut self, blocks: &[(Option<u64>, BlockKind)], date: Option<Date>) {
        let mut seen: Vec<u64> = Vec::with_capacity(blocks.len());
        for &(hash, kind) in blocks {
            let Some(hash) = hash else { continue };
            if seen.contains(&hash) {
                continue;
            }
            seen.push(hash);
            let c = self.counts.entry(hash).or_insert(LineCount {
                documents: 0,
                first: date,
                last: date,
                kind,
            });
            c.documents += 1;
            c.first = min_date(c.first, date);
            c.last = max_date(c.last, date);
        }
    }

    /// Whether a block hash recurs in at least `min_docs` documents.
    pub fn is_repeated(&self, hash: u64) -> bool {
        self.counts
            .get(&hash)
            .is_some_and(|c| c.documents >= self.min_docs)
    }

    /// The repeated blocks, most frequent first (ties by hash, so the order is stable).
    pub fn repeated(&self) -> Vec<(u64, LineCount)> {
        let mut out: Vec<(u64, LineCount)> = self
            .counts
            .iter()
            .filter(|(_, c)| c.documents >= self.min_docs)
            .map(|(h, c)| (*h, *c))
            .collect();
        out.sort_by_key(|(h, c)| (std::cmp::Reverse(c.documents), *h));
        out
    }
}

impl RepeatedLines {
    /// The least number of documents a repeated block is found in.
    pub fn min_docs(&self) -> u64 {
        self.min_docs
    }

    /// The same counter with only the repeated blocks: what a later stage needs to tell them.
    pub fn only_repeated(mut self) -> RepeatedLines {
        let min = self.min_docs;
        self.counts.retain(|_, c| c.documents >= min);
        self
    }

    /// A counter holding `counts` (block hash and count), as [`RepeatedLines::repeated`] gave
    /// them.
    pub fn from_counts(
        min_docs: u64,
        counts: impl IntoIterator<Item = (u64, LineCount)>,
    ) -> RepeatedLines {
        RepeatedLines {
            min_docs: min_docs.max(1),
            counts: counts.into_iter().collect(),
        }
    }
}

fn min_date(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_date(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}
