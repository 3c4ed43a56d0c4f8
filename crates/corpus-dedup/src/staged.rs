//! Deduplication in stages that each run on many machines, with the clusters of one run.
//!
//! 1. **Signatures**, one task per shard of the input: a [`Deduplicator`] of the shard's
//!    documents, written with [`Deduplicator::write_part`] (fingerprints, ids, paths, lines,
//!    dates, block hashes).
//! 2. **Pairs**, one task per share of the bands ([`candidates`] with `task` of `tasks`): every
//!    shard's part read back ([`ShardPart::read`]), the documents that can be kept banded, and
//!    every pair that shares a band (or a subject, for rewrites) checked ([`Candidate::check`])
//!    by the very test one run applies; only the pairs that pass are written ([`write_pairs`]).
//! 3. **Clusters**, one task: [`cluster_pairs`] visits the documents in the order of the
//!    [`Keep`](crate::Keep) policy, as [`cluster`](crate::cluster) does, over the small keys of
//!    every document ([`ClusterKey`]) and the pairs alone, never the signatures. A copy found
//!    by its key needs its similarity to the kept copy, the one figure no pair holds:
//!    [`PairClusters::needs`] lists those pairs, computed from the parts.
//! 4. **Kept copies**, one task per shard: [`Deduplicated::of_shards`](crate::Deduplicated::of_shards) of the shard's part and
//!    the clusters, and its [`kept_copies`](crate::Deduplicated::kept_copies) as in one run.
//!
//! Why the pairs give one run's clusters: a document joins the kept copy that passes the test
//! best among the kept copies of the last 64 documents that could be kept and share a band with
//! it, or among the last 8 kept copies of its subject dated within a day. Which documents are
//! copies found by their body or key depends only on the visiting order and the fingerprints
//! (the first to have a body or a key is never such a copy; a later identical body is one when
//! it passes the test against that first, which the pairs stage checks), so the documents that
//! can be kept are known before clustering, and a pair among them passes the test or not whatever else is
//! kept. The pairs stage writes every passing pair among them; the clusters stage knows, as it
//! visits, which are kept, and so picks the very kept copy one run picks.
//!
//! All part-files are versioned ([`PART_VERSION`]) and checked like `corpus-stats` parts: a
//! magic line, the kind, the version, a hash of the options, the payload's length, the
//! payload and its checksum; a part of other options, truncated or corrupt is an error
//! ([`PartError`]).

use std::io::{self, Read, Write};

use corpus_core::BlockKind;
use corpus_core::part::{Envelope, Get, OptionsHash, Put};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::cluster::{
    BUCKET_SCAN, REWRITE_DAYS, band_key, check, dense_date, dense_dates, lead_bands, pair_dates,
    visiting_order, within_window,
};
use crate::facts::OPENING;
use crate::workflow::{BlockHashes, Paths, Seen};
use crate::{DedupOptions, Deduplicator, Fingerprint};

mod clusters;

pub use self::clusters::{ClusterKey, Clusters, PairClusters, cluster_pairs, repeated_blocks};

/// The version of the part-files of a staged deduplication; another is refused
/// ([`PartError::Version`]).
pub const PART_VERSION: u32 = 5;

const MAGIC: &[u8; 18] = b"corpus-dedup part\n";

/// What a part-file holds: one kind cannot be read as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartKind {
    Shard = 1,
    Pairs = 2,
    Clusters = 3,
}

pub use corpus_core::part::PartError;

impl PartKind {
    /// The envelope of this kind of part.
    fn envelope(self) -> Envelope {
        Envelope {
            magic: MAGIC,
            name: self.name(),
            kind: self as u32,
            version: PART_VERSION,
        }
    }

    fn name(self) -> &'static str {
        match self {
            PartKind::Shard => "shard",
            PartKind::Pairs => "pairs",
            PartKind::Clusters => "clusters",
        }
    }
}

/// A hash of the options, field by field: a part made with other options is refused.
fn options_hash(o: &DedupOptions) -> u64 {
    let opt = |v: Option<f64>| v.map_or([0xFF; 8], f64::to_le_bytes);
    let (bands, rows) = o.bands.unwrap_or((0, 0));
    let key = match &o.key {
        None => String::new(),
        Some(k) => format!("{k:?}"),
    };
    OptionsHash::new()
        .field("ngram", (o.ngram as u64).to_le_bytes())
        .field("permutations", (o.permutations as u64).to_le_bytes())
        .field("threshold", o.threshold.to_le_bytes())
        .field(
            "bands",
            [(bands as u64).to_le_bytes(), (rows as u64).to_le_bytes()].concat(),
        )
        .field("seed", o.seed.to_le_bytes())
        .field("verify", format!("{:?}", o.verify))
        .field(
            "window_days",
            o.window_days.map_or(u64::MAX, u64::from).to_le_bytes(),
        )
        .field("keep", format!("{:?}", o.keep))
        .field("key", key)
        .field("recall", o.recall.to_le_bytes())
        .field("similarity", o.similarity.as_str())
        .field("max_changed_facts", opt(o.max_changed_facts))
        .field("min_length_ratio", o.min_length_ratio.to_le_bytes())
        .field("strip_dateline", [u8::from(o.strip_dateline)])
        .field("rewrite_threshold", opt(o.rewrite_threshold))
        .finish()
}

fn write_framed(
    out: &mut dyn Write,
    kind: PartKind,
    options: &DedupOptions,
    payload: Put,
) -> io::Result<()> {
    kind.envelope()
        .write(out, options_hash(options), &payload.into_bytes())
}

fn read_framed(
    input: &mut dyn Read,
    kind: PartKind,
    options: &DedupOptions,
) -> Result<Vec<u8>, PartError> {
    kind.envelope().read(input, options_hash(options))
}

const KINDS: [BlockKind; 4] = [
    BlockKind::Paragraph,
    BlockKind::Heading,
    BlockKind::RelatedLink,
    BlockKind::ImageCredit,
];

fn kind_code(kind: BlockKind) -> u8 {
    KINDS.iter().position(|&k| k == kind).unwrap_or(0) as u8
}

fn kind_of(code: u8) -> Result<BlockKind, PartError> {
    KINDS
        .get(usize::from(code))
        .copied()
        .ok_or(PartError::Corrupt("an unknown block kind"))
}

fn put_fingerprint(p: &mut Put, f: &Fingerprint) {
    p.u128(f.exact);
    p.u8(u8::from(f.key.is_some()));
    p.u128(f.key.unwrap_or(0));
    p.u32s(&f.signature);
    p.u8(u8::from(f.shingles.is_some()));
    p.u64s(f.shingles.as_deref().unwrap_or_default());
    p.date(f.date);
    p.u64(f.words);
    p.u32(f.distinct_shingles);
    p.u64s(&f.facts);
    p.opt_u64(f.subject);
    f.opening.iter().for_each(|&o| p.u32(o));
    p.u32s(&f.lead);
    p.u32s(&f.title);
    p.u8(u8::from(f.ticker.is_some()));
    f.ticker.unwrap_or_default().iter().for_each(|&t| p.u32(t));
}

fn get_fingerprint(g: &mut Get<'_>) -> Result<Fingerprint, PartError> {
    let exact = g.u128()?;
    let has_key = g.flag()?;
    let key = g.u128()?;
    let signature = g.u32s()?;
    let has_shingles = g.flag()?;
    let shingles = g.u64s()?;
    let date = g.date()?;
    let words = g.u64()?;
    let distinct_shingles = g.u32()?;
    let facts = g.u64s()?;
    let subject = g.opt_u64()?;
    let mut opening = [0u32; OPENING];
    for o in &mut opening {
        *o = g.u32()?;
    }
    let lead = g.u32s()?;
    let title = g.u32s()?;
    let has_ticker = g.flag()?;
    let ticker = [g.u32()?, g.u32()?];
    Ok(Fingerprint {
        exact,
        key: has_key.then_some(key),
        signature,
        shingles: has_shingles.then_some(shingles),
        date,
        words,
        distinct_shingles,
        facts,
        subject,
        opening,
        lead,
        title,
        ticker: has_ticker.then_some(ticker),
    })
}

impl Deduplicator {
    /// Writes what this deduplicator collected, one shard's first stage, as a part-file for
    /// [`ShardPart::read`]: every document's fingerprint, id, path, line and date, and its block
    /// hashes when repeated blocks are counted.
    pub fn write_part(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut p = Put::new();
        p.opt_u64(self.min_docs);
        p.str(self.label.as_deref().unwrap_or_default());
        p.u64(self.documents.len() as u64);
        p.u64(self.paths.0.len() as u64);
        for (first, path) in &self.paths.0 {
            p.u64(*first as u64);
            p.str(path);
        }
        for (i, (seen, fp)) in self.documents.iter().zip(&self.fingerprints).enumerate() {
            p.str(&seen.id);
            p.opt_u64(seen.line);
            p.date(seen.date);
            if self.label.is_some() {
                p.str(seen.label.as_deref().unwrap_or_default());
            }
            put_fingerprint(&mut p, fp);
            if self.min_docs.is_some() {
                let blocks = self.blocks.get(i).map_or(&[][..], Vec::as_slice);
                p.u64(blocks.len() as u64);
                for &(hash, kind) in blocks {
                    p.opt_u64(hash);
                    p.u8(kind_code(kind));
                }
            }
        }
        write_framed(out, PartKind::Shard, &self.options, p)
    }
}

/// One shard's first stage, read back: see [`Deduplicator::write_part`].
#[derive(Debug)]
pub struct ShardPart {
    min_docs: Option<u64>,
    /// The field documents are also named by ([`Deduplicator::labelled`]).
    pub(crate) label: Option<String>,
    /// Documents with a key, counted before the fingerprints may be taken out.
    keyed: usize,
    fingerprints: Vec<Fingerprint>,
    documents: Vec<Seen>,
    paths: Paths,
    blocks: Vec<BlockHashes>,
}

impl ShardPart {
    /// Reads a part written by [`Deduplicator::write_part`] with the same `options`.
    pub fn read(input: &mut dyn Read, options: &DedupOptions) -> Result<ShardPart, PartError> {
        let payload = read_framed(input, PartKind::Shard, options)?;
        let mut g = Get::new(&payload);
        let min_docs = g.opt_u64()?;
        let label = Some(g.str()?.to_owned()).filter(|f| !f.is_empty());
        let n = g.len(1)?;
        let runs = g.len(9)?;
        let mut paths = Paths::default();
        for _ in 0..runs {
            let first = g.u64()? as usize;
            let path = g.str()?;
            if paths.0.last().is_some_and(|(f, _)| *f >= first) || first >= n {
                return Err(PartError::Corrupt("paths out of order"));
            }
            paths.0.push((first, path.into()));
        }
        let labelled = label.is_some();
        let mut part = ShardPart {
            min_docs,
            label,
            keyed: 0,
            fingerprints: Vec::with_capacity(n),
            documents: Vec::with_capacity(n),
            paths,
            blocks: Vec::new(),
        };
        for _ in 0..n {
            let id = g.str()?;
            let line = g.opt_u64()?;
            let date = g.date()?;
            let label = if labelled {
                Some(g.str()?).filter(|l| !l.is_empty()).map(Into::into)
            } else {
                None
            };
            part.documents.push(Seen {
                id: id.to_owned(),
                line,
                date,
                label,
            });
            part.fingerprints.push(get_fingerprint(&mut g)?);
            if min_docs.is_some() {
                let count = g.len(10)?;
                let mut blocks = Vec::with_capacity(count);
                for _ in 0..count {
                    let hash = g.opt_u64()?;
                    blocks.push((hash, kind_of(g.u8()?)?));
                }
                part.blocks.push(blocks);
            }
        }
        g.end()?;
        part.keyed = part.fingerprints.iter().filter(|f| f.key.is_some()).count();
        Ok(part)
    }

    /// How many documents the shard has.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// Whether the shard has none.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// The fingerprints, in the shard's input order.
    pub fn fingerprints(&self) -> &[Fingerprint] {
        &self.fingerprints
    }

    /// Takes the fingerprints out, leaving none: what the pairs stage keeps of each shard.
    pub fn take_fingerprints(&mut self) -> Vec<Fingerprint> {
        std::mem::take(&mut self.fingerprints)
    }

    /// The document ids, in the shard's input order.
    pub fn ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.documents.iter().map(|s| s.id.as_str())
    }

    /// Each document's id, path and line, in the shard's input order.
    pub fn origins(&self) -> impl Iterator<Item = (&str, &str, Option<u64>)> + '_ {
        self.documents
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), self.paths.of(i), s.line))
    }
}

/// A pair of documents to check, found by [`candidates`]: `later` is visited after `earlier`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Candidate {
    /// The document visited later, by its index in the run's input order.
    pub later: u32,
    /// The document visited earlier.
    pub earlier: u32,
    /// Whether they share a band of their signatures (else only a subject).
    pub banded: bool,
}

/// A pair that passed the test of one run ([`Candidate::check`]): `later` may join the cluster
/// `earlier` keeps, if `earlier` is kept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// The document visited later, by its index in the run's input order.
    pub later: u32,
    /// The document visited earlier.
    pub earlier: u32,
    /// Whether they share a band (else only a subject, which counts among the last kept copies
    /// of that subject only).
    pub banded: bool,
    /// A near copy (else a rewrite).
    pub near: bool,
    /// The similarity of the two.
    pub similarity: f64,
}

impl Candidate {
    /// The pair, when `later` passes the test for joining `earlier`'s cluster: the window, the
    /// similarity, the facts, the dates, as one run checks them. `fingerprints` are the run's,
    /// in input order.
    pub fn check(&self, fingerprints: &[Fingerprint], options: &DedupOptions) -> Option<Pair> {
        let (a, b) = (
            fingerprints.get(self.later as usize)?,
            fingerprints.get(self.earlier as usize)?,
        );
        let dates = dense_dates([a.date, b.date].into_iter());
        let (near, similarity) = check(
            a,
            b,
            pair_dates(a, b, (dense_date(&dates, 0), dense_date(&dates, 1))),
            options,
        )?;
        Some(Pair {
            later: self.later,
            earlier: self.earlier,
            banded: self.banded,
            near,
            similarity,
        })
    }
}

/// The documents that can be kept copies (and what each exact copy copies): not an exact copy
/// of the first document visited with its body, nor of a key. An identical body is an exact
/// copy when the two pass the test any pair passes (the window, the headlines); one that does
/// not is a document of its own. Which documents these are depends on the visiting order and
/// the fingerprints only, as in one run.
fn keepable(
    fingerprints: &[Fingerprint],
    order: &[usize],
    options: &DedupOptions,
) -> (Vec<bool>, Vec<Option<u32>>) {
    let mut first_of: FxHashMap<u128, usize> = FxHashMap::default();
    let mut keys: FxHashSet<u128> = FxHashSet::default();
    let dates = dense_dates(fingerprints.iter().map(|f| f.date));
    let mut out = vec![false; fingerprints.len()];
    let mut copy_of = vec![None; fingerprints.len()];
    for &i in order {
        let fp = &fingerprints[i];
        let first = *first_of.entry(fp.exact).or_insert(i);
        let exact_copy = first != i
            && check(
                fp,
                &fingerprints[first],
                pair_dates(
                    fp,
                    &fingerprints[first],
                    (dense_date(&dates, i), dense_date(&dates, first)),
                ),
                options,
            )
            .is_some();
        // Every document remembers its key, a copy by body too, as one run does.
        let new_key = fp.key.is_none_or(|k| keys.insert(k));
        out[i] = !exact_copy && new_key;
        if exact_copy {
            copy_of[i] = Some(first as u32);
        }
    }
    (out, copy_of)
}

/// The candidate pairs of task `task` of `tasks` (0-based) of the pairs stage, sorted: every
/// pair of documents that can be kept copies sharing a band of those the task has (band `b`
/// goes to task `b % tasks`), and, with rewrites looked for, every pair of one subject (a
/// subject to the task its hash picks) dated within a day. `fingerprints` are the whole
/// run's, in input order.
///
/// A document is paired with the last [`BUCKET_SCAN`](crate::cluster) documents before it
/// that share a band, as one run compares them, so a band that many documents share costs
/// their number times that bound, not their square.
pub fn candidates(
    fingerprints: &[Fingerprint],
    options: &DedupOptions,
    task: usize,
    tasks: usize,
) -> Vec<Candidate> {
    let tasks = tasks.max(1);
    let n = fingerprints.len();
    let (order, _) = visiting_order(
        n,
        |i| (fingerprints[i].date, fingerprints[i].words),
        options.keep,
    );
    let (keepable, copy_of) = keepable(fingerprints, &order, options);
    let (bands, rows) = options.bands_rows();
    let lead = lead_bands(options);
    let total_bands = bands + lead;
    let mut out: Vec<Candidate> = Vec::new();
    // Per band: (band hash, place in the visiting order, document), sorted, so that each
    // bucket is a run in visiting order.
    let mut keyed: Vec<(u64, u32, u32)> = Vec::new();
    for band in (0..total_bands).filter(|b| b % tasks == task) {
        keyed.clear();
        keyed.extend(order.iter().enumerate().filter_map(|(r, &i)| {
            let key = band_key(&fingerprints[i], (bands, rows, lead), band)?;
            keepable[i].then_some((key, r as u32, i as u32))
        }));
        keyed.sort_unstable();
        for run in keyed.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
            for (p, &(_, _, later)) in run.iter().enumerate() {
                // The bucket's last documents before this one, as one run compares them.
                let from = p.saturating_sub(BUCKET_SCAN);
                out.extend(run[from..p].iter().map(|&(_, _, earlier)| Candidate {
                    later,
                    earlier,
                    banded: true,
                }));
            }
        }
    }
    if options.rewrite_threshold.is_some() {
        let dates = dense_dates(fingerprints.iter().map(|f| f.date));
        let mut subjects: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        for &i in &order {
            if let (true, Some(s)) = (keepable[i], fingerprints[i].subject)
                && (s % tasks as u64) as usize == task
            {
                subjects.entry(s).or_default().push(i as u32);
            }
        }
        for list in subjects.values().filter(|l| l.len() > 1) {
            for (p, &later) in list.iter().enumerate() {
                let day = dense_date(&dates, later as usize);
                out.extend(
                    list[..p]
                        .iter()
                        .filter(|&&e| {
                            within_window(day, dense_date(&dates, e as usize), Some(REWRITE_DAYS))
                        })
                        .map(|&earlier| Candidate {
                            later,
                            earlier,
                            banded: false,
                        }),
                );
            }
        }
    }
    // An exact copy is checked against the document it copies.
    out.extend(
        copy_of
            .iter()
            .enumerate()
            .filter_map(|(i, first)| Some((i as u32, (*first)?)))
            .filter(|(i, _)| *i as usize % tasks == task)
            .map(|(later, earlier)| Candidate {
                later,
                earlier,
                banded: true,
            }),
    );
    // One entry per pair, banded when any band found it.
    out.sort_unstable_by_key(|c| (c.later, c.earlier, !c.banded));
    out.dedup_by_key(|c| (c.later, c.earlier));
    out
}

/// What a task of the pairs stage found ([`task_pairs`]).
#[derive(Debug, Clone, Default)]
pub struct TaskPairs {
    /// The pairs that passed the test, for [`write_pairs`].
    pub pairs: Vec<Pair>,
    /// The candidate pairs checked.
    pub candidates: usize,
}

/// Task `task` of `tasks` of the pairs stage, on the caller's rayon pool: its share of the
/// bands and subjects split again among the pool's threads (band `b` and subject `s` go to
/// piece `task + tasks × k` of `tasks × threads`, which together are the task's), their
/// [`candidates`] found and each [checked](Candidate::check). The pairs come in an order that
/// depends on the pool's size; [`cluster_pairs`] takes them in any order.
#[cfg(feature = "rayon")]
pub fn task_pairs(
    fingerprints: &[Fingerprint],
    options: &DedupOptions,
    task: usize,
    tasks: usize,
) -> TaskPairs {
    use rayon::prelude::*;
    let threads = rayon::current_num_threads();
    let found: Vec<Vec<Candidate>> = (0..threads)
        .into_par_iter()
        .map(|k| candidates(fingerprints, options, task + tasks * k, tasks * threads))
        .collect();
    let pairs = found
        .par_iter()
        .flat_map_iter(|list| list.iter().filter_map(|c| c.check(fingerprints, options)))
        .collect();
    TaskPairs {
        pairs,
        candidates: found.iter().map(Vec::len).sum(),
    }
}

/// Reads the first stage's parts (one per shard, in shard order) on the caller's rayon pool:
/// each part, or why it could not be read, in the order given.
#[cfg(feature = "rayon")]
pub fn read_parts<R: Read + Send>(
    parts: Vec<R>,
    options: &DedupOptions,
) -> Vec<Result<ShardPart, PartError>> {
    use rayon::prelude::*;
    parts
        .into_par_iter()
        .map(|mut r| ShardPart::read(&mut r, options))
        .collect()
}

/// Reads the pairs stage's parts on the caller's rayon pool: each task's pairs, or why its
/// part could not be read, in the order given.
#[cfg(feature = "rayon")]
pub fn read_all_pairs<R: Read + Send>(
    parts: Vec<R>,
    options: &DedupOptions,
) -> Vec<Result<Vec<Pair>, PartError>> {
    use rayon::prelude::*;
    parts
        .into_par_iter()
        .map(|mut r| read_pairs(&mut r, options))
        .collect()
}

/// Writes the passing pairs of a pairs task as a part-file for [`read_pairs`].
pub fn write_pairs(pairs: &[Pair], options: &DedupOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut p = Put::new();
    p.u64(pairs.len() as u64);
    for pair in pairs {
        p.u32(pair.later);
        p.u32(pair.earlier);
        p.u8(u8::from(pair.banded) | (u8::from(pair.near) << 1));
        p.f64(pair.similarity);
    }
    write_framed(out, PartKind::Pairs, options, p)
}

/// Reads a part written by [`write_pairs`] with the same `options`.
pub fn read_pairs(input: &mut dyn Read, options: &DedupOptions) -> Result<Vec<Pair>, PartError> {
    let payload = read_framed(input, PartKind::Pairs, options)?;
    let mut g = Get::new(&payload);
    let n = g.len(17)?;
    let mut pairs = Vec::with_capacity(n);
    for _ in 0..n {
        let later = g.u32()?;
        let earlier = g.u32()?;
        let flags = g.u8()?;
        if flags > 3 {
            return Err(PartError::Corrupt("unknown pair flags"));
        }
        pairs.push(Pair {
            later,
            earlier,
            banded: flags & 1 != 0,
            near: flags & 2 != 0,
            similarity: g.f64()?,
        });
    }
    g.end()?;
    Ok(pairs)
}
