//! Fingerprints: exact hashes, keys, MinHash signatures over word n-grams, and the banding.

use corpus_core::{Document, normalize_into};
use serde::Serialize;
use xxhash_rust::xxh3::{xxh3_64, xxh3_128};

/// Which copy of a cluster is kept, and so the order documents are visited in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// The earliest dated (ties and undated documents: input order; undated come last).
    #[default]
    Earliest,
    /// The one with the most body words (ties: input order).
    Longest,
    /// The first in input order.
    First,
}

/// How a candidate pair is confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verify {
    /// By the Jaccard similarity the MinHash signatures estimate.
    #[default]
    Estimate,
    /// By the true Jaccard similarity of the shingle sets (keeps every set in memory).
    Exact,
}

/// A field whose equal values make documents exact copies, as for re-scraped URLs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyField {
    /// The document id.
    Id,
    /// The title ([`Document::title`]), normalised.
    Title,
    /// A metadata field, as JSON text.
    Meta(String),
}

/// Deduplication settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DedupOptions {
    /// Words per shingle. Default 5.
    pub ngram: usize,
    /// MinHash signature length (the bins of one-permutation hashing). Default 128.
    pub permutations: usize,
    /// Jaccard similarity at or above which two documents are near copies. Default 0.8.
    pub threshold: f64,
    /// LSH bands and rows per band; derived from the threshold when `None`.
    pub bands: Option<(usize, usize)>,
    /// Seed of the hash permutations. Default 1.
    pub seed: u64,
    /// How candidates are confirmed. Default [`Verify::Estimate`].
    pub verify: Verify,
    /// Compare only documents dated within this many days of each other (undated: all).
    pub window_days: Option<u32>,
    /// Which copy is kept. Default [`Keep::Earliest`].
    pub keep: Keep,
    /// Also group documents whose key is equal. Default none.
    pub key: Option<KeyField>,
}

impl Default for DedupOptions {
    fn default() -> DedupOptions {
        DedupOptions {
            ngram: 5,
            permutations: 128,
            threshold: 0.8,
            bands: None,
            seed: 1,
            verify: Verify::Estimate,
            window_days: None,
            keep: Keep::Earliest,
            key: None,
        }
    }
}

impl DedupOptions {
    /// The bands and rows in use: the ones given, or [`optimal_bands`] for the threshold.
    pub fn bands_rows(&self) -> (usize, usize) {
        self.bands
            .unwrap_or_else(|| optimal_bands(self.threshold, self.permutations))
    }
}

/// What deduplication needs of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// 128-bit hash of the normalised body.
    pub exact: u128,
    /// 128-bit hash of the key, when a key field is set and the document has one.
    pub key: Option<u128>,
    /// MinHash signature (empty when the body has no words).
    pub signature: Box<[u32]>,
    /// Sorted distinct shingle hashes, with [`Verify::Exact`] only.
    pub shingles: Option<Box<[u64]>>,
    /// Date as days since 1970-01-01.
    pub date: Option<i64>,
    /// Body words.
    pub words: u64,
}

/// Computes fingerprints with fixed settings; cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Fingerprinter {
    ngram: usize,
    /// Signature length: bins of the one permutation.
    bins: usize,
    /// Seeds the permutation and the densification sequence.
    seed: u64,
    exact_shingles: bool,
    key: Option<KeyField>,
}

impl Fingerprinter {
    /// A fingerprinter for `options`.
    pub fn new(options: &DedupOptions) -> Fingerprinter {
        Fingerprinter {
            ngram: options.ngram.max(1),
            bins: options.permutations.max(1),
            seed: mix(options.seed ^ 0xD1B5_4A32_D192_ED03),
            exact_shingles: options.verify == Verify::Exact,
            key: options.key.clone(),
        }
    }

    /// The fingerprint of one document's body.
    pub fn fingerprint(&self, doc: &Document) -> Fingerprint {
        let mut normal = String::with_capacity(doc.text.len());
        for block in doc.body() {
            normalize_into(block, &mut normal);
        }
        let shingles = self.shingles(&normal);
        let signature = if shingles.is_empty() {
            Box::default()
        } else {
            self.signature(&shingles)
        };
        let words = if normal.is_empty() {
            0
        } else {
            normal.bytes().filter(|&b| b == b' ').count() as u64 + 1
        };
        let key = self
            .key
            .as_ref()
            .and_then(|k| key_text(k, doc))
            .map(|k| xxh3_128(k.as_bytes()));
        let shingles = self.exact_shingles.then(|| {
            let mut s = shingles;
            s.sort_unstable();
            s.dedup();
            s.into_boxed_slice()
        });
        Fingerprint {
            exact: xxh3_128(normal.as_bytes()),
            key,
            signature,
            shingles,
            date: doc.date.map(|d| d.days()),
            words,
        }
    }

    /// Hashes of the word n-grams of a normalised text (words joined by single spaces). A text
    /// of fewer words than `ngram` is one shingle.
    fn shingles(&self, normal: &str) -> Vec<u64> {
        if normal.is_empty() {
            return Vec::new();
        }
        let bytes = normal.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b' ')
                .map(|(i, _)| i + 1),
        );
        let n = self.ngram;
        if starts.len() <= n {
            return vec![xxh3_64(bytes)];
        }
        (0..=starts.len() - n)
            .map(|i| {
                let end = starts.get(i + n).map_or(bytes.len(), |s| s - 1);
                xxh3_64(&bytes[starts[i]..end])
            })
            .collect()
    }

    fn signature(&self, shingles: &[u64]) -> Box<[u32]> {
        let k = self.bins;
        let mut sig = vec![u32::MAX; k];
        let mut filled = vec![false; k];
        for &s in shingles {
            // One permutation, split into k bins: the bin from the high bits, the value from the
            // low bits of a seeded remix of the shingle hash.
            let h = mix(s ^ self.seed);
            let bin = bin_of(h, k);
            let value = h as u32;
            if value < sig[bin] {
                sig[bin] = value;
            }
            filled[bin] = true;
        }
        // Optimal densification: an empty bin takes the value of the first filled bin in a
        // sequence fixed by its index and the seed, the same for every document, so that two
        // documents agree on it exactly as often as on a real bin.
        for j in 0..k {
            if filled[j] {
                continue;
            }
            let mut attempt = 0u64;
            loop {
                let c = bin_of(mix(self.seed ^ ((j as u64) << 32) ^ attempt), k);
                if filled[c] {
                    sig[j] = sig[c];
                    break;
                }
                attempt += 1;
            }
        }
        sig.into_boxed_slice()
    }
}

/// A bin in `0..k` from the high half of a hash, by multiplication rather than division.
fn bin_of(h: u64, k: usize) -> usize {
    (((h >> 32) * k as u64) >> 32) as usize
}

/// SplitMix64's finaliser: a fast, well-mixing bijection of `u64`.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn key_text(key: &KeyField, doc: &Document) -> Option<String> {
    match key {
        KeyField::Id => Some(doc.id.clone()),
        KeyField::Title => doc
            .title()
            .map(corpus_core::normalize)
            .filter(|t| !t.is_empty()),
        KeyField::Meta(field) => match doc.metadata.get(field) {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) if s.is_empty() => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(v) => Some(v.to_string()),
        },
    }
}

/// The Jaccard similarity two signatures estimate: the share of positions where they agree.
pub fn estimate(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len() as f64
}

/// The Jaccard similarity of two sorted sets without repeats.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        1.0
    } else {
        both as f64 / union as f64
    }
}

/// The bands and rows (`bands × rows ≤ permutations`) that minimise the sum of the false
/// positive and false negative probability areas around `threshold`, as datasketch does:
/// pairs below the threshold that share a band, and pairs above it that share none.
pub fn optimal_bands(threshold: f64, permutations: usize) -> (usize, usize) {
    let area = |f: &dyn Fn(f64) -> f64, from: f64, to: f64| {
        let steps = 200;
        let h = (to - from) / steps as f64;
        (0..steps)
            .map(|i| f(from + (i as f64 + 0.5) * h))
            .sum::<f64>()
            * h
    };
    let mut best = (1, permutations.max(1));
    let mut best_error = f64::INFINITY;
    for bands in 1..=permutations.max(1) {
        for rows in 1..=permutations / bands {
            let p = |s: f64| 1.0 - (1.0 - s.powi(rows as i32)).powi(bands as i32);
            let fp = area(&|s| p(s), 0.0, threshold);
            let fn_ = area(&|s| 1.0 - p(s), threshold, 1.0);
            let error = fp + fn_;
            if error < best_error {
                best_error = error;
                best = (bands, rows);
            }
        }
    }
    best
}
