//! The clusters stage and after: the clusters from the passing pairs ([`cluster_pairs`]), as
//! the kept-copies stage and the merge read them ([`Clusters`]), each shard's
//! [`Deduplicated`] again ([`Deduplicated::of_shards`]), and the repeated blocks of the run.

use std::io::{self, Read, Write};

use corpus_core::Date;
use corpus_core::part::{Get, Put};
use rustc_hash::FxHashMap;

use super::{Pair, PartError, PartKind, ShardPart, kind_code, kind_of, read_framed, write_framed};
use crate::cluster::{
    REWRITE_DAYS, SUBJECT_SCAN, consider, dense_date, dense_dates, exact_joins, joined, kept_alone,
    similarity, visiting_order, within_window,
};
use crate::index::{ArchiveRead, Archived, Tracked};
use crate::workflow::{Indexed, Paths};
use crate::{
    Assignment, DedupOptions, DedupResult, Deduplicated, Fingerprint, LineCount, Reason,
    RepeatedBlock, RepeatedLines,
};

/// What the clusters stage needs of a document: its body and key hashes, subject, date and
/// length, and its similarity to itself (an exact copy's similarity to the kept copy).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterKey {
    exact: u128,
    key: Option<u128>,
    subject: Option<u64>,
    date: Option<Date>,
    words: u64,
    self_similarity: f64,
}

impl ClusterKey {
    /// The key of a document's fingerprint.
    pub fn of(fp: &Fingerprint, options: &DedupOptions) -> ClusterKey {
        ClusterKey {
            exact: fp.exact,
            key: fp.key,
            subject: fp.subject,
            date: fp.date,
            words: fp.words,
            self_similarity: similarity(fp, fp, options),
        }
    }
}

/// Where each document's similarity to its kept copy comes from, until all are known.
#[derive(Debug, Clone, Copy)]
enum SimilarityOf {
    Known,
    /// An exact copy: the similarity of the first document of its body.
    SameAs(usize),
}

/// The clusters of [`cluster_pairs`], but for the similarities of copies found by key.
#[derive(Debug)]
pub struct PairClusters {
    result: DedupResult,
    from: Vec<SimilarityOf>,
    needs: Vec<(usize, usize)>,
    tracked: Tracked,
}

impl PairClusters {
    /// The pairs (document, kept copy), in input order of the document, whose similarity
    /// [`PairClusters::finish`] needs: the copies found by their key.
    pub fn needs(&self) -> &[(usize, usize)] {
        &self.needs
    }

    /// The clusters, with `similarities[k]` the similarity of `needs()[k]` (as
    /// [`Fingerprint::similarity`] gives it): what [`cluster`](crate::cluster) gives for the
    /// same fingerprints.
    ///
    /// # Panics
    ///
    /// When `similarities` is not as long as [`PairClusters::needs`].
    pub fn finish(self, similarities: &[f64]) -> DedupResult {
        self.finish_tracked(similarities).0
    }

    /// [`PairClusters::finish`], and what an index records of each document.
    fn finish_tracked(mut self, similarities: &[f64]) -> (DedupResult, Tracked) {
        assert_eq!(
            similarities.len(),
            self.needs.len(),
            "one similarity per need"
        );
        for (&(doc, _), &s) in self.needs.iter().zip(similarities) {
            self.result.assignments[doc].similarity = s;
        }
        for (doc, from) in self.from.iter().enumerate() {
            if let SimilarityOf::SameAs(first) = *from {
                self.result.assignments[doc].similarity = self.result.assignments[first].similarity;
            }
        }
        (self.result, self.tracked)
    }
}

impl Fingerprint {
    /// The similarity of two documents as `options` measure it (Jaccard or containment,
    /// estimated or exact), as clustering compares them.
    pub fn similarity(&self, other: &Fingerprint, options: &DedupOptions) -> f64 {
        similarity(self, other, options)
    }
}

/// The clusters stage: the clusters of the documents of `keys` (the whole run's, in input
/// order) from the passing pairs of every pairs task, in any order and with repeats. Visits
/// the documents as [`cluster`](crate::cluster) does and picks the same kept copy for each;
/// only the similarities of copies found by key are left to fill ([`PairClusters`]).
///
/// # Panics
///
/// With 2^31 documents or more, as [`cluster`](crate::cluster).
pub fn cluster_pairs(
    keys: &[ClusterKey],
    mut pairs: Vec<Pair>,
    options: &DedupOptions,
) -> PairClusters {
    let n = keys.len();
    assert!(n < 1 << 31, "cluster takes fewer than 2^31 documents");
    let (bands, rows) = options.bands_rows();
    let (order, rank) = visiting_order(n, |i| (keys[i].date, keys[i].words), options.keep);
    let starts = index_pairs(&mut pairs, n);
    let dates = dense_dates(keys.iter().map(|k| k.date));
    let kept = Assignment {
        cluster: 0,
        reason: Reason::Kept,
        similarity: 1.0,
    };
    let mut assignments = vec![kept; n];
    let mut from = vec![SimilarityOf::Known; n];
    let mut needs = Vec::new();
    let mut is_kept = vec![false; n];
    // Per document, whether it joined the buckets in one run (neither a copy by its body nor
    // by its key): what an index written from the run records.
    let mut bucketed = vec![false; n];
    // Body → the first document visited with it; key → the cluster of the first with it.
    let mut first_of: FxHashMap<u128, usize> = FxHashMap::default();
    let mut by_key: FxHashMap<u128, usize> = FxHashMap::default();
    let mut subjects: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    let remember_key = |by_key: &mut FxHashMap<u128, usize>, k: &ClusterKey, leader: usize| {
        if let Some(key) = k.key {
            by_key.entry(key).or_insert(leader);
        }
    };
    for &i in &order {
        let k = &keys[i];
        let mine = &pairs[starts[i]..starts[i + 1]];
        // Whether `i` passed the test against `other` (the pairs stage wrote passing pairs).
        let passes = |other: usize| {
            mine.binary_search_by_key(&(other as u32), |p| p.earlier)
                .is_ok()
        };
        // An exact copy, as `cluster` tells one.
        let first = *first_of.entry(k.exact).or_insert(i);
        if first != i && passes(first) {
            let twin = assignments[first];
            let leader = twin.cluster;
            let leader_date = dense_date(&dates, leader);
            assignments[i] =
                if exact_joins(twin, first, (dense_date(&dates, i), leader_date), options) {
                    Assignment {
                        cluster: leader,
                        reason: Reason::Exact,
                        similarity: if first == leader {
                            keys[first].self_similarity
                        } else {
                            0.0
                        },
                    }
                } else {
                    kept_alone(i)
                };
            if assignments[i].reason == Reason::Exact && first != leader {
                from[i] = SimilarityOf::SameAs(first);
            }
            remember_key(&mut by_key, k, assignments[i].cluster);
            continue;
        }
        if let Some(&leader) = k.key.as_ref().and_then(|key| by_key.get(key)) {
            assignments[i] = Assignment {
                cluster: leader,
                reason: Reason::Key,
                similarity: 0.0,
            };
            needs.push((i, leader));
            continue;
        }
        bucketed[i] = true;
        let best = best_pair(
            mine,
            (
                &is_kept,
                k.subject.and_then(|s| subjects.get(&s)).map(Vec::as_slice),
            ),
            |leader| {
                within_window(
                    dense_date(&dates, i),
                    dense_date(&dates, leader),
                    Some(REWRITE_DAYS),
                )
            },
            &rank,
        );
        match best {
            Some((near, similarity, leader)) => {
                assignments[i] = joined(near, similarity, leader);
                remember_key(&mut by_key, k, leader);
            }
            None => {
                assignments[i] = kept_alone(i);
                is_kept[i] = true;
                remember_key(&mut by_key, k, i);
                if let Some(s) = k.subject {
                    subjects.entry(s).or_default().push(i as u32);
                }
            }
        }
    }
    let first = (0..n).map(|i| first_of[&keys[i].exact] == i).collect();
    PairClusters {
        result: DedupResult {
            assignments,
            bands,
            rows,
        },
        from,
        needs,
        tracked: Tracked { bucketed, first },
    }
}

/// Sorts the pairs by their later document, one entry per pair (banded when any task found it
/// by a band), those of documents past `n` left out; returns where each document's pairs
/// start: document `i`'s are `pairs[starts[i]..starts[i + 1]]`.
fn index_pairs(pairs: &mut Vec<Pair>, n: usize) -> Vec<usize> {
    pairs.sort_unstable_by_key(|p| (p.later, p.earlier, !p.banded));
    pairs.dedup_by_key(|p| (p.later, p.earlier));
    pairs.retain(|p| (p.later as usize) < n && (p.earlier as usize) < n);
    let mut starts = vec![0usize; n + 1];
    for p in pairs.iter() {
        starts[p.later as usize + 1] += 1;
    }
    for i in 0..n {
        starts[i + 1] += starts[i];
    }
    starts
}

/// The kept copy a document joins among its passing pairs (`mine`), as `cluster` picks it: the
/// best of the kept copies it shares a band with, and of the last [`SUBJECT_SCAN`] kept copies
/// of its subject (`subject`) dated within a day.
fn best_pair(
    mine: &[Pair],
    (is_kept, subject): (&[bool], Option<&[u32]>),
    within_a_day: impl Fn(usize) -> bool,
    rank: &[usize],
) -> Option<(bool, f64, usize)> {
    let mut best = None;
    for p in mine {
        let leader = p.earlier as usize;
        if p.banded && is_kept[leader] {
            consider(&mut best, (p.near, p.similarity, leader), rank);
        }
    }
    for &leader in subject.unwrap_or_default().iter().rev().take(SUBJECT_SCAN) {
        let leader = leader as usize;
        if !within_a_day(leader) {
            continue;
        }
        if let Ok(at) = mine.binary_search_by_key(&(leader as u32), |p| p.earlier) {
            let p = &mine[at];
            consider(&mut best, (p.near, p.similarity, leader), rank);
        }
    }
    best
}

/// The outcome of the clusters stage, as the kept-copies stage and the merge read it: the
/// clusters, and the repeated blocks of the kept copies when they were counted.
#[derive(Debug, Clone)]
pub struct Clusters {
    /// The clusters of the whole run.
    pub result: DedupResult,
    /// The repeated blocks (only those found in at least `min_docs` kept copies).
    pub repeated: Option<RepeatedLines>,
    /// What an index of the run records of each document, when the clusters stage tracked
    /// it ([`Clusters::from_pairs`], [`Clusters::against`]).
    pub(crate) tracked: Option<Tracked>,
    /// Against an index: the archived kept copies the clusters name.
    pub(crate) archive: Option<ArchiveRead>,
}

impl Clusters {
    /// The clusters stage whole, on the caller's rayon pool: every document's key from the
    /// shards' parts (in shard order), [`cluster_pairs`] over the passing pairs of every pairs
    /// task, the similarities of copies found by key from the fingerprints, and the clusters
    /// with the shards' repeated blocks. The fingerprints are dropped from `shards` as soon as
    /// they are not needed.
    #[cfg(feature = "rayon")]
    pub fn from_pairs(
        shards: &mut [ShardPart],
        pairs: Vec<Pair>,
        options: &DedupOptions,
    ) -> Clusters {
        use rayon::prelude::*;
        let keys: Vec<ClusterKey> = shards
            .par_iter()
            .flat_map_iter(|s| s.fingerprints().iter().map(|f| ClusterKey::of(f, options)))
            .collect();
        // The signatures are needed again only for copies found by their key.
        let fingerprints: Vec<Fingerprint> = if options.key.is_some() {
            shards
                .iter_mut()
                .flat_map(ShardPart::take_fingerprints)
                .collect()
        } else {
            shards.iter_mut().for_each(|s| drop(s.take_fingerprints()));
            Vec::new()
        };
        let found = cluster_pairs(&keys, pairs, options);
        let similarities: Vec<f64> = found
            .needs()
            .iter()
            .map(|&(doc, leader)| fingerprints[doc].similarity(&fingerprints[leader], options))
            .collect();
        let (result, tracked) = found.finish_tracked(&similarities);
        let mut clusters = Clusters::new(result, shards);
        clusters.tracked = Some(tracked);
        clusters
    }

    /// The clusters stage of a run against an index: the shards' documents (every shard, in
    /// order, their fingerprints taken) clustered against `archive` as
    /// [`Deduplicator::finish_against`](crate::Deduplicator::finish_against) clusters one
    /// run's, in this one task (no pairs are needed: the archive's candidates are found in
    /// the index). Costs the memory of every fingerprint, as a pairs task does.
    ///
    /// # Errors
    ///
    /// When the index was made with other options, or cannot be read whole.
    pub fn against(
        shards: &mut [ShardPart],
        archive: &crate::Index,
        options: &DedupOptions,
    ) -> Result<Clusters, crate::IndexError> {
        let label = shards.first().and_then(|s| s.label.as_ref());
        if archive.info().label_field.as_ref() != label {
            return Err(crate::IndexError::Mismatch {
                path: archive.path().to_owned(),
                why: "the run names documents by another field than the index (Deduplicator::labelled)",
            });
        }
        let fingerprints: Vec<Fingerprint> = shards
            .iter_mut()
            .flat_map(ShardPart::take_fingerprints)
            .collect();
        let (against, _) = crate::index::against(archive, fingerprints, options)?;
        let (bands, rows) = options.bands_rows();
        let result = DedupResult {
            assignments: against.assignments,
            bands,
            rows,
        };
        let mut clusters = Clusters::new(result, shards);
        clusters.tracked = Some(against.tracked);
        clusters.archive = Some(against.archive);
        Ok(clusters)
    }

    /// The clusters of `result`, with the repeated blocks of its kept copies counted over
    /// `shards` (the run's, in order) when they were counted in the first stage.
    pub fn new(result: DedupResult, shards: &[ShardPart]) -> Clusters {
        let min_docs = shards.first().and_then(|s| s.min_docs);
        let repeated = min_docs.map(|min_docs| {
            let mut lines = RepeatedLines::new(min_docs);
            let mut at = 0;
            for shard in shards {
                for (blocks, seen) in shard.blocks.iter().zip(&shard.documents) {
                    if result.assignments.get(at).map(|a| a.reason) == Some(Reason::Kept) {
                        lines.add(blocks, seen.date);
                    }
                    at += 1;
                }
            }
            lines.only_repeated()
        });
        Clusters {
            result,
            repeated,
            tracked: None,
            archive: None,
        }
    }

    /// Writes the clusters as a part-file for [`Clusters::read`].
    pub fn write(&self, options: &DedupOptions, out: &mut dyn Write) -> io::Result<()> {
        let mut p = Put::new();
        p.u64(self.result.bands as u64);
        p.u64(self.result.rows as u64);
        p.u64(self.result.assignments.len() as u64);
        for a in &self.result.assignments {
            p.u64(a.cluster as u64);
            p.u8(reason_code(a.reason));
            p.f64(a.similarity);
        }
        match &self.repeated {
            None => p.u8(0),
            Some(lines) => {
                p.u8(1);
                p.u64(lines.min_docs());
                let repeated = lines.repeated();
                p.u64(repeated.len() as u64);
                for (hash, c) in repeated {
                    p.u64(hash);
                    p.u64(c.documents);
                    p.date(c.first);
                    p.date(c.last);
                    p.u8(kind_code(c.kind));
                }
            }
        }
        match &self.tracked {
            None => p.u8(0),
            Some(t) => {
                p.u8(1);
                for (&b, &f) in t.bucketed.iter().zip(&t.first) {
                    p.u8(u8::from(b) | u8::from(f) << 1);
                }
            }
        }
        match &self.archive {
            None => p.u8(0),
            Some(a) => {
                p.u8(1);
                p.u64(a.records);
                p.u64(a.generation);
                p.u64(a.archived.len() as u64);
                for d in &a.archived {
                    p.u64(d.seq);
                    p.str(&d.id);
                    p.str(&d.path);
                    p.opt_u64(d.line);
                    p.date(d.date);
                    p.u64(d.number);
                    p.str(d.label.as_deref().unwrap_or_default());
                }
            }
        }
        write_framed(out, PartKind::Clusters, options, p)
    }

    /// Reads a part written by [`Clusters::write`] with the same `options`.
    pub fn read(input: &mut dyn Read, options: &DedupOptions) -> Result<Clusters, PartError> {
        let payload = read_framed(input, PartKind::Clusters, options)?;
        let mut g = Get::new(&payload);
        let bands = g.u64()? as usize;
        let rows = g.u64()? as usize;
        let n = g.len(17)?;
        let mut assignments = Vec::with_capacity(n);
        for _ in 0..n {
            // Checked once the archived kept copies (numbered after the run's) are read.
            let cluster = g.u64()? as usize;
            let reason = reason_of(g.u8()?)?;
            assignments.push(Assignment {
                cluster,
                reason,
                similarity: g.f64()?,
            });
        }
        let repeated = if g.flag()? {
            let min_docs = g.u64()?;
            let count = g.len(35)?;
            let mut lines = Vec::with_capacity(count);
            for _ in 0..count {
                let hash = g.u64()?;
                let documents = g.u64()?;
                let first = g.date()?;
                let last = g.date()?;
                let kind = kind_of(g.u8()?)?;
                lines.push((
                    hash,
                    LineCount {
                        documents,
                        first,
                        last,
                        kind,
                    },
                ));
            }
            Some(RepeatedLines::from_counts(min_docs, lines))
        } else {
            None
        };
        let tracked = if g.flag()? {
            let mut t = Tracked::default();
            for _ in 0..n {
                let bits = g.u8()?;
                if bits > 3 {
                    return Err(PartError::Corrupt("unknown bits of a document's record"));
                }
                t.bucketed.push(bits & 1 != 0);
                t.first.push(bits & 2 != 0);
            }
            Some(t)
        } else {
            None
        };
        let archive = if g.flag()? {
            let records = g.u64()?;
            let generation = g.u64()?;
            let count = g.len(8 * 4)?;
            let mut archived = Vec::with_capacity(count);
            for _ in 0..count {
                archived.push(Archived {
                    seq: g.u64()?,
                    id: g.str()?.to_owned(),
                    path: g.str()?.to_owned(),
                    line: g.opt_u64()?,
                    date: g.date()?,
                    number: g.u64()?,
                    label: Some(g.str()?.to_owned()).filter(|l| !l.is_empty()),
                });
            }
            Some(ArchiveRead {
                archived,
                records,
                generation,
            })
        } else {
            None
        };
        let clusters_end = n + archive.as_ref().map_or(0, |a| a.archived.len());
        if assignments.iter().any(|a| a.cluster >= clusters_end) {
            return Err(PartError::Corrupt("a cluster outside the run"));
        }
        g.end()?;
        Ok(Clusters {
            result: DedupResult {
                assignments,
                bands,
                rows,
            },
            repeated,
            tracked,
            archive,
        })
    }
}

const REASONS: [Reason; 5] = [
    Reason::Kept,
    Reason::Exact,
    Reason::Key,
    Reason::Near,
    Reason::Rewrite,
];

fn reason_code(r: Reason) -> u8 {
    REASONS.iter().position(|&x| x == r).unwrap_or(0) as u8
}

fn reason_of(code: u8) -> Result<Reason, PartError> {
    REASONS
        .get(usize::from(code))
        .copied()
        .ok_or(PartError::Corrupt("an unknown reason"))
}

impl Deduplicated {
    /// The deduplication of consecutive shards of a staged run, from the clusters of the whole
    /// run: `offset` is the input index of the first shard's first document. With every shard
    /// (offset 0), it is the run's: [`Deduplicated::cluster_rows`] gives one run's rows (naming
    /// the archived kept copies of a run [`Clusters::against`] an index), and, when the shards
    /// still hold their fingerprints and the clusters stage tracked what an index records
    /// ([`Clusters::from_pairs`], [`Clusters::against`]), [`Deduplicated::write_index`] writes
    /// the run's index or extends the one it was run against. With one shard, its
    /// [`kept_copies`](Deduplicated::kept_copies) take that shard's documents again and give
    /// its kept copies; the rest (the counts) is the whole run's.
    ///
    /// # Errors
    ///
    /// When the shards hold more documents than the clusters from `offset`.
    pub fn of_shards(
        options: DedupOptions,
        clusters: &Clusters,
        offset: usize,
        shards: Vec<ShardPart>,
    ) -> Result<Deduplicated, PartError> {
        let n: usize = shards.iter().map(ShardPart::len).sum();
        let assignments = clusters
            .result
            .assignments
            .get(offset..offset + n)
            .ok_or(PartError::Corrupt("more documents than the clusters hold"))?;
        let whole = offset == 0 && n == clusters.result.assignments.len();
        let mut documents = Vec::with_capacity(n);
        let mut paths = Paths::default();
        let mut blocks = Vec::new();
        let mut fingerprints = Vec::new();
        let mut keyed = 0;
        let label = shards.first().and_then(|s| s.label.clone());
        for mut shard in shards {
            if whole && clusters.tracked.is_some() {
                fingerprints.append(&mut shard.take_fingerprints());
            }
            let base = documents.len();
            for (first, path) in shard.paths.0 {
                paths.push(base + first, path.into_string());
            }
            keyed += shard.keyed;
            documents.extend(shard.documents);
            blocks.extend(shard.blocks);
        }
        let mut result = clusters.result.clone();
        if !whole {
            result.assignments = assignments.to_vec();
        }
        // Clusters past the run's documents are archived kept copies, numbered after the
        // whole run's: only the whole run names them.
        let against = clusters.archive.clone().filter(|_| whole);
        let indexed = clusters
            .tracked
            .clone()
            .filter(|_| whole && fingerprints.len() == n)
            .map(|tracked| Indexed {
                fingerprints,
                tracked,
            });
        Ok(Deduplicated {
            options,
            result,
            documents,
            paths,
            blocks,
            repeated: clusters.repeated.clone(),
            keyed,
            against,
            indexed,
            label,
        })
    }
}

/// The repeated blocks of a run from their counts and the text of each one's first occurrence
/// in a kept copy (`examples`, the first of a hash winning): most frequent first, then by
/// text, as [`KeptCopies::finish`](crate::KeptCopies::finish) gives them.
pub fn repeated_blocks(
    repeated: &RepeatedLines,
    examples: impl IntoIterator<Item = (u64, String)>,
) -> Vec<RepeatedBlock> {
    let mut texts: FxHashMap<u64, String> = FxHashMap::default();
    for (h, text) in examples {
        texts.entry(h).or_insert(text);
    }
    crate::workflow::sorted_blocks(repeated, &texts)
}
