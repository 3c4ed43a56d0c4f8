//! Fingerprints: exact hashes, keys, MinHash signatures over word n-grams, and the banding.

use crate::facts::OPENING;
use corpus_core::{Date, Document, normalize_into};
use xxhash_rust::xxh3::{xxh3_64, xxh3_128};

mod dateline;
pub(crate) use dateline::dateline_len;

/// Which copy of a cluster is kept, and so the order documents are visited in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Verify {
    /// By the Jaccard similarity the MinHash signatures estimate.
    #[default]
    Estimate,
    /// By the true Jaccard similarity of the shingle sets (keeps every set in memory).
    Exact,
}

/// What the similarity of two documents is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Similarity {
    /// The Jaccard similarity of the shingle sets: shared over all. The classic measure of
    /// datatrove and text-dedup; a copy cut to 60 % of its story scores at most 0.6.
    #[default]
    Jaccard,
    /// The share of the shorter document's shingles found in the longer one's, estimated from
    /// the signatures and the counts of distinct shingles: a copy cut to 60 % of its story,
    /// word for word, scores 1.
    Containment,
}

impl Similarity {
    /// The name printed in summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            Similarity::Jaccard => "jaccard",
            Similarity::Containment => "containment",
        }
    }
}

/// A field whose equal values make documents exact copies, as for re-scraped URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum KeyField {
    /// The document id.
    Id,
    /// The title ([`Document::title`]), normalised.
    Title,
    /// A metadata field, as JSON text.
    Meta(String),
}

/// Deduplication settings.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
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
    /// The probability wanted that LSH makes a pair exactly at the threshold a candidate, from
    /// which bands and rows are derived ([`bands_for_recall`]) unless given. Every candidate is
    /// verified, so a missed candidate is a missed copy while an extra one only costs a check.
    /// Default 0.95.
    pub recall: f64,
    /// The similarity compared with the threshold. Default [`Similarity::Jaccard`].
    pub similarity: Similarity,
    /// The largest share of changed facts two near copies may have: of the contexts where
    /// both have a name, figure or date, the share where it differs (see the crate docs).
    /// `None` (the default): not checked.
    pub max_changed_facts: Option<f64>,
    /// With [`Similarity::Containment`], the shortest copy searched for, as a share of the
    /// longer document's distinct shingles: LSH is tuned for the Jaccard similarity such a copy
    /// has at the threshold. Default 0.5.
    pub min_length_ratio: f64,
    /// Leave a wire dateline (`LONDON (Reuters) - `, `WASHINGTON, March 3 (AP) — `,
    /// `BERLIN (dpa) - `, `MADRID, 8 mar (EFE).- `, `МОСКВА, 8 марта. /ТАСС/. `,
    /// `القاهرة (رويترز) - `, `新华社北京3月8日电`) at the start of the body out of what is
    /// compared: outlets add their own to a copy. Default false; the news preset sets it.
    pub strip_dateline: bool,
    /// The similarity at or above which, though below the threshold, a document is a copy
    /// rewritten in other words when its facts say so: dated at most a day apart, no fact
    /// changed, every figure kept, most names kept (see the crate docs). `None` (the
    /// default): not looked for; the news preset sets 0.45.
    pub rewrite_threshold: Option<f64>,
}

impl Default for DedupOptions {
    /// The `web` preset: [`DedupOptions::web`].
    fn default() -> DedupOptions {
        DedupOptions::web()
    }
}

/// Why [`DedupOptions`] cannot be used, quoting the value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum OptionsError {
    /// The threshold is not in `0..=1`.
    #[error("threshold {0} is not a number from 0 to 1")]
    Threshold(f64),
    /// The recall wanted of the banding is not in `0..=1` (above 0).
    #[error("recall {0} is not a number above 0 and at most 1")]
    Recall(f64),
    /// The share of changed facts allowed is not in `0..=1`.
    #[error("share of changed facts {0} is not a number from 0 to 1")]
    ChangedFacts(f64),
    /// The rewrite threshold is not in `0..=1`.
    #[error("rewrite threshold {0} is not a number from 0 to 1")]
    RewriteThreshold(f64),
    /// The shortest copy searched for is not a share above 0 and at most 1.
    #[error("length ratio {0} is not a number above 0 and at most 1")]
    LengthRatio(f64),
    /// The n-gram length is not in `1..=64`.
    #[error("n-gram length {0} is not from 1 to 64")]
    Ngram(usize),
    /// The signature length is not in `1..=8192`.
    #[error("{0} permutations is not from 1 to 8192")]
    Permutations(usize),
    /// The bands and rows given do not fit the signature.
    #[error(
        "{bands} bands × {rows} rows must be at least 1 × 1 and at most the {permutations} permutations"
    )]
    Bands {
        /// Bands given.
        bands: usize,
        /// Rows given.
        rows: usize,
        /// The signature length.
        permutations: usize,
    },
}

/// The tuned settings, by name: [`DedupOptions::news`] and [`DedupOptions::web`].
///
/// ```
/// use corpus_dedup::{DedupOptions, Preset};
///
/// let preset: Preset = "news".parse()?;
/// assert_eq!(preset.options(), DedupOptions::news());
/// assert_eq!(preset.name(), "news");
/// assert!("wire".parse::<Preset>().is_err());
/// # Ok::<(), corpus_dedup::UnknownPreset>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Preset {
    /// [`DedupOptions::news`]: wire copies, cut and re-edited.
    News,
    /// [`DedupOptions::web`]: near-identical pages, as the LLM data tools find them.
    Web,
}

impl Preset {
    /// Every preset.
    pub const ALL: [Preset; 2] = [Preset::News, Preset::Web];

    /// The preset's options.
    pub fn options(self) -> DedupOptions {
        match self {
            Preset::News => DedupOptions::news(),
            Preset::Web => DedupOptions::web(),
        }
    }

    /// The preset's name: `news`, `web`.
    pub fn name(self) -> &'static str {
        match self {
            Preset::News => "news",
            Preset::Web => "web",
        }
    }
}

/// A name that is no [`Preset`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no preset is named {0:?} (the presets: news, web)")]
pub struct UnknownPreset(pub String);

impl std::str::FromStr for Preset {
    type Err = UnknownPreset;

    fn from_str(s: &str) -> Result<Preset, UnknownPreset> {
        Preset::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| UnknownPreset(s.to_owned()))
    }
}

impl DedupOptions {
    /// Web and LLM data, as datatrove and text-dedup do: 5-grams, 128 permutations, Jaccard
    /// threshold 0.8, no date window.
    pub fn web() -> DedupOptions {
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
            recall: 0.95,
            similarity: Similarity::Jaccard,
            max_changed_facts: None,
            min_length_ratio: 0.5,
            strip_dateline: false,
            rewrite_threshold: None,
        }
    }

    /// Wire copies in news: 2-grams, copies dated within 3 days of each other, datelines left
    /// out, containment of the shorter in the longer at least 0.7 (a cut copy is contained
    /// whole), at most 30 % of the facts they share a context for changed (two notices
    /// written from one template differ there), and rewrites of a story found by their facts
    /// down to 0.45. How it was chosen is in the workspace's TUNING.md.
    pub fn news() -> DedupOptions {
        DedupOptions {
            ngram: 2,
            threshold: 0.7,
            window_days: Some(3),
            similarity: Similarity::Containment,
            max_changed_facts: Some(0.3),
            min_length_ratio: 0.75,
            strip_dateline: true,
            rewrite_threshold: Some(0.45),
            ..DedupOptions::web()
        }
    }

    /// The Jaccard similarity LSH searches at: the threshold itself, or with
    /// [`Similarity::Containment`] the Jaccard similarity of a copy
    /// [`min_length_ratio`](DedupOptions::min_length_ratio) as long as the other and contained
    /// in it at the threshold.
    pub fn lsh_threshold(&self) -> f64 {
        match self.similarity {
            Similarity::Jaccard => self.threshold,
            Similarity::Containment => {
                let (t, r) = (self.threshold, self.min_length_ratio.clamp(0.01, 1.0));
                t * r / (1.0 + r - t * r)
            }
        }
    }

    /// Whether the options can be used; [`cluster`](crate::cluster) and [`Fingerprinter`]
    /// clamp values out of range instead of failing, so check first.
    pub fn validate(&self) -> Result<(), OptionsError> {
        if !(0.0..=1.0).contains(&self.threshold) {
            return Err(OptionsError::Threshold(self.threshold));
        }
        if !(self.recall > 0.0 && self.recall <= 1.0) {
            return Err(OptionsError::Recall(self.recall));
        }
        if let Some(x) = self.max_changed_facts
            && !(0.0..=1.0).contains(&x)
        {
            return Err(OptionsError::ChangedFacts(x));
        }
        if let Some(x) = self.rewrite_threshold
            && !(0.0..=1.0).contains(&x)
        {
            return Err(OptionsError::RewriteThreshold(x));
        }
        if !(self.min_length_ratio > 0.0 && self.min_length_ratio <= 1.0) {
            return Err(OptionsError::LengthRatio(self.min_length_ratio));
        }
        if !(1..=64).contains(&self.ngram) {
            return Err(OptionsError::Ngram(self.ngram));
        }
        if !(1..=8192).contains(&self.permutations) {
            return Err(OptionsError::Permutations(self.permutations));
        }
        if let Some((bands, rows)) = self.bands {
            let fits = bands
                .checked_mul(rows)
                .is_some_and(|n| n <= self.permutations);
            if bands == 0 || rows == 0 || !fits {
                return Err(OptionsError::Bands {
                    bands,
                    rows,
                    permutations: self.permutations,
                });
            }
        }
        Ok(())
    }

    /// The bands and rows in use: the ones given, or [`bands_for_recall`] for the
    /// [LSH threshold](DedupOptions::lsh_threshold) and the recall wanted.
    pub fn bands_rows(&self) -> (usize, usize) {
        self.bands.unwrap_or_else(|| {
            bands_for_recall(self.lsh_threshold(), self.permutations, self.recall)
        })
    }

    /// The probability that a pair exactly at the LSH threshold becomes a candidate.
    pub fn candidate_probability(&self) -> f64 {
        let (bands, rows) = self.bands_rows();
        candidate_probability(self.lsh_threshold(), bands, rows)
    }
}

/// What deduplication needs of one document. The default is the fingerprint of an empty,
/// undated document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprint {
    /// 128-bit hash of the normalised body.
    pub exact: u128,
    /// 128-bit hash of the key, when a key field is set and the document has one.
    pub key: Option<u128>,
    /// MinHash signature (empty when the body has no words).
    pub signature: Box<[u32]>,
    /// Sorted distinct shingle hashes, with [`Verify::Exact`] only.
    pub shingles: Option<Box<[u64]>>,
    /// The document's date, for the window and for keeping the earliest copy.
    pub date: Option<Date>,
    /// Body words.
    pub words: u64,
    /// Distinct shingles, with [`Similarity::Containment`] only (0 otherwise).
    pub distinct_shingles: u32,
    /// The facts (names, figures, dates in their contexts) with
    /// [`DedupOptions::max_changed_facts`] or [`DedupOptions::rewrite_threshold`] only: at
    /// most 64, 8 bytes each.
    pub facts: Box<[u64]>,
    /// A hash of the story's first two names, with [`DedupOptions::rewrite_threshold`] only:
    /// rewrites keep their subject, and are looked for among the documents of the same
    /// subject dated within a day.
    pub subject: Option<u64>,
    /// The word hashes of the story's first four facts in reading order (0 past the last),
    /// with facts only: a rewrite opens on its original's facts.
    pub opening: [u32; OPENING],
    /// A MinHash signature of 16 bins over the lead (the first 32 shingles), with
    /// [`Similarity::Containment`] only: a copy cut from the end keeps its lead, so LSH also
    /// bands this, and finds copies cut shorter than the length ratio its main bands search at.
    pub lead: Box<[u32]>,
    /// The words of the document's title (its `title` field, or a first heading), its subject
    /// first, with facts only: empty without a title. Two notices from one template differ
    /// in the company their headline names (see the crate docs).
    pub title: Box<[u32]>,
    /// The headline's stock ticker without its exchange suffix (`<ACM.O>` is `ACM`) and the
    /// first word of the name it tags, hashed, with facts only: two tickers before two names
    /// are two companies.
    pub ticker: Option<[u32; 2]>,
}

/// Shingles of a document's lead: about its first 30 words.
pub(crate) const LEAD_SHINGLES: usize = 32;
/// Length of the lead's signature: 8 bands of 2 rows.
pub(crate) const LEAD_BINS: usize = 16;

/// Computes fingerprints with fixed settings; cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Fingerprinter {
    ngram: usize,
    /// Signature length: bins of the one permutation.
    bins: usize,
    /// Seeds the permutation and the densification sequence.
    seed: u64,
    exact_shingles: bool,
    count_shingles: bool,
    facts: bool,
    subjects: bool,
    strip_dateline: bool,
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
            count_shingles: options.similarity == Similarity::Containment,
            facts: options.max_changed_facts.is_some() || options.rewrite_threshold.is_some(),
            subjects: options.rewrite_threshold.is_some(),
            strip_dateline: options.strip_dateline,
            key: options.key.clone(),
        }
    }

    /// The fingerprint of one document's body: its paragraphs and headings
    /// ([`Document::body`]), its date, and its key when [`DedupOptions::key`] is set.
    pub fn fingerprint(&self, doc: &Document) -> Fingerprint {
        let key = self.key.as_ref().and_then(|k| key_text(k, doc));
        let mut fp = self.fingerprint_body(doc.body(), doc.date, key.as_deref());
        if self.facts
            && let Some(title) = doc.title()
        {
            fp.title = crate::facts::title_words(title);
            fp.ticker = crate::facts::title_ticker(title);
        }
        fp
    }

    /// [`Fingerprinter::fingerprint_body`] with a title (a headline): with facts, the words
    /// the title holds are compared too.
    pub fn fingerprint_titled<'a>(
        &self,
        title: Option<&str>,
        body: impl IntoIterator<Item = &'a str>,
        date: Option<Date>,
        key: Option<&str>,
    ) -> Fingerprint {
        let mut fp = self.fingerprint_body(body, date, key);
        if let Some(title) = title.filter(|_| self.facts) {
            fp.title = crate::facts::title_words(title);
            fp.ticker = crate::facts::title_ticker(title);
        }
        fp
    }

    /// The fingerprint of a body given as text, for documents that are not a
    /// [`Document`]: `body` yields its blocks (paragraphs, or the whole text as one), `key`
    /// is the value of [`DedupOptions::key`] as text (the caller reads it; `None` when the
    /// document has none).
    ///
    /// ```
    /// use corpus_dedup::{DedupOptions, Fingerprinter, cluster};
    ///
    /// let options = DedupOptions::news();
    /// let fingerprinter = Fingerprinter::new(&options);
    /// let story = "Shares of Acme rose 5 pct to 12 dlrs on Monday after the company said \
    ///              quarterly profit doubled on strong sales of its new widget line.";
    /// let fingerprints = [
    ///     fingerprinter.fingerprint_body([story], None, None),
    ///     fingerprinter.fingerprint_body([story, "Reporting by J. Doe"], None, None),
    /// ];
    /// let result = cluster(&fingerprints, &options);
    /// assert_eq!(result.kept(), 1);
    /// ```
    pub fn fingerprint_body<'a>(
        &self,
        body: impl IntoIterator<Item = &'a str>,
        date: Option<Date>,
        key: Option<&str>,
    ) -> Fingerprint {
        // The body as compared: without a leading dateline when asked.
        let body: Vec<&str> = body
            .into_iter()
            .enumerate()
            .map(|(i, block)| {
                if i == 0 && self.strip_dateline {
                    &block[dateline_len(block)..]
                } else {
                    block
                }
            })
            .collect();
        let mut normal = String::with_capacity(body.iter().map(|b| b.len() + 1).sum());
        for block in &body {
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
        let key = key.map(|k| xxh3_128(k.as_bytes()));
        let lead = if self.count_shingles && !shingles.is_empty() {
            let lead = &shingles[..shingles.len().min(LEAD_SHINGLES)];
            densified(lead, LEAD_BINS, self.seed ^ 0x1EAD)
        } else {
            Box::default()
        };
        let mut shingles = shingles;
        if self.exact_shingles || self.count_shingles {
            shingles.sort_unstable();
            shingles.dedup();
        }
        let distinct_shingles = if self.count_shingles {
            u32::try_from(shingles.len()).unwrap_or(u32::MAX)
        } else {
            0
        };
        let shingles = self.exact_shingles.then(|| shingles.into_boxed_slice());
        let (facts, subject, opening) = if self.facts {
            crate::facts::facts(&body, &normal)
        } else {
            (Box::default(), None, [0; OPENING])
        };
        Fingerprint {
            exact: xxh3_128(normal.as_bytes()),
            key,
            signature,
            shingles,
            date,
            words,
            distinct_shingles,
            facts,
            subject: subject.filter(|_| self.subjects),
            opening,
            lead,
            title: Box::default(),
            ticker: None,
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
        densified(shingles, self.bins, self.seed)
    }
}

/// A one-permutation MinHash signature of `k` bins over `shingles` (not empty), densified.
fn densified(shingles: &[u64], k: usize, seed: u64) -> Box<[u32]> {
    let mut sig = vec![u32::MAX; k];
    let mut filled = vec![false; k];
    for &s in shingles {
        // One permutation, split into k bins: the bin from the high bits, the value from the
        // low bits of a seeded remix of the shingle hash.
        let h = mix(s ^ seed);
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
            let c = bin_of(mix(seed ^ ((j as u64) << 32) ^ attempt), k);
            if filled[c] {
                sig[j] = sig[c];
                break;
            }
            attempt += 1;
        }
    }
    sig.into_boxed_slice()
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

/// The containment of the smaller of two sets in the larger, from their Jaccard similarity `j`
/// and sizes: `|A ∩ B| = j (|A| + |B|) / (1 + j)`, over the smaller size; at most 1.
pub fn containment(j: f64, a: u32, b: u32) -> f64 {
    let small = a.min(b);
    if small == 0 {
        return 0.0;
    }
    let both = j * (f64::from(a) + f64::from(b)) / (1.0 + j);
    (both / f64::from(small)).min(1.0)
}

/// The Jaccard similarity of two sorted sets without repeats.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let both = crate::facts::shared(a, b);
    let union = a.len() + b.len() - both;
    if union == 0 {
        1.0
    } else {
        both as f64 / union as f64
    }
}

/// The probability that LSH with `bands` bands of `rows` rows makes a pair of Jaccard
/// similarity `s` a candidate: that at least one band agrees in every row.
pub fn candidate_probability(s: f64, bands: usize, rows: usize) -> f64 {
    let rows = i32::try_from(rows).unwrap_or(i32::MAX);
    let bands = i32::try_from(bands).unwrap_or(i32::MAX);
    1.0 - (1.0 - s.powi(rows)).powi(bands)
}

/// The area under `f` from `from` to `to`, by the midpoint rule.
fn area(f: &dyn Fn(f64) -> f64, from: f64, to: f64) -> f64 {
    let steps = 200;
    let h = (to - from) / steps as f64;
    (0..steps)
        .map(|i| f(from + (i as f64 + 0.5) * h))
        .sum::<f64>()
        * h
}

/// The bands and rows (`bands × rows ≤ permutations`) under which a pair exactly at
/// `threshold` becomes a candidate with probability at least `recall`, and that make the
/// fewest candidates below the threshold (the smallest area under the candidate probability
/// from 0 to the threshold). Where no banding reaches `recall`, the one that comes closest.
///
/// This is the rule for a search whose candidates are all verified: a pair that never becomes
/// a candidate is lost, one that does but is not a copy costs one check. (datasketch's rule,
/// [`optimal_bands`], weighs the two errors equally, as if candidates were the answer; at 0.8
/// with 128 permutations it finds a pair at the threshold 40 % of the time, this one 98 %.)
pub fn bands_for_recall(threshold: f64, permutations: usize, recall: f64) -> (usize, usize) {
    let permutations = permutations.max(1);
    let mut best = (permutations, 1);
    let mut best_key = (false, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for rows in 1..=permutations {
        let bands = permutations / rows;
        let p = candidate_probability(threshold, bands, rows);
        let checks = area(&|s| candidate_probability(s, bands, rows), 0.0, threshold);
        // Reaching the recall first; then the fewest checks; short of it, the most recall.
        let key = if p >= recall {
            (true, -checks, p)
        } else {
            (false, p, -checks)
        };
        if key > best_key {
            best_key = key;
            best = (bands, rows);
        }
    }
    best
}

/// The bands and rows (`bands × rows ≤ permutations`) that minimise the sum of the false
/// positive and false negative probability areas around `threshold`, as datasketch does:
/// pairs below the threshold that share a band, and pairs above it that share none.
pub fn optimal_bands(threshold: f64, permutations: usize) -> (usize, usize) {
    let mut best = (1, permutations.max(1));
    let mut best_error = f64::INFINITY;
    for bands in 1..=permutations.max(1) {
        for rows in 1..=permutations / bands {
            let p = |s: f64| candidate_probability(s, bands, rows);
            let fp = area(&p, 0.0, threshold);
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

#[cfg(test)]
mod tests;
