//! A run against an index: the state one run over the archive would have reached, restricted
//! to what the new documents touch, then the new documents visited after the archive.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::record::{BUCKETED, FIRST, KEPT, KEY, Record, SUBJECT, words32, words64};
use super::{Index, IndexError};
use crate::cluster::{
    Assignment, BUCKET_SCAN, MANY, SUBJECT_SCAN, State, band_key, band_key_of, kept_alone,
    lead_bands, visiting_order,
};
use crate::{DedupOptions, Fingerprint, Reason};

/// An archived kept copy that a new document's cluster is kept by.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Archived {
    /// Its record's number in the index: its place in the archive's visiting order.
    pub(crate) seq: u64,
    pub(crate) id: String,
    pub(crate) path: String,
    pub(crate) line: Option<u64>,
    pub(crate) date: Option<corpus_core::Date>,
    /// Its number in the input of one run over the archive.
    pub(crate) number: u64,
}

/// What a run against an index decided about its documents.
#[derive(Debug)]
pub(crate) struct Against {
    /// One per new document; a cluster at `n + k` (`n` new documents) is kept by
    /// `archived[k]`.
    pub(crate) assignments: Vec<Assignment>,
    pub(crate) archived: Vec<Archived>,
    /// Per new document: whether it joined the buckets, and whether it was the first visited
    /// with its body (what its record says when the index is updated).
    pub(crate) bucketed: Vec<bool>,
    pub(crate) first: Vec<bool>,
    /// The index's records when it was read, and its generation.
    pub(crate) records: u64,
    pub(crate) generation: u64,
}

/// The last `cap` of what was pushed, oldest first.
#[derive(Debug, Default, Clone)]
struct Tail(Vec<(u64, bool)>);

impl Tail {
    fn push(&mut self, item: (u64, bool), cap: usize) {
        if self.0.len() == 2 * cap {
            self.0.drain(..cap);
        }
        self.0.push(item);
    }

    fn last(&self, cap: usize) -> &[(u64, bool)] {
        &self.0[self.0.len().saturating_sub(cap)..]
    }
}

const NONE: u32 = u32::MAX;

/// Deduplicates `today` (fingerprints in input order) against `index`: see [`super`].
pub(crate) fn against(
    index: &Index,
    today: Vec<Fingerprint>,
    options: &DedupOptions,
) -> Result<(Against, Vec<Fingerprint>), IndexError> {
    index.check_options(options)?;
    let (bands, rows) = options.bands_rows();
    let layout = (bands, rows, lead_bands(options));
    let all_bands = layout.0 + layout.2;

    // What the new documents look for in the archive.
    let mut wanted_bands: FxHashMap<u64, u32> = FxHashMap::default();
    let mut wanted_exact: FxHashMap<u128, u64> = FxHashMap::default();
    let mut wanted_keys: FxHashMap<u128, u64> = FxHashMap::default();
    let mut wanted_subjects: FxHashMap<u64, u32> = FxHashMap::default();
    let mut twin_of: FxHashMap<u128, usize> = FxHashMap::default();
    for (i, fp) in today.iter().enumerate() {
        for b in 0..all_bands {
            if let Some(k) = band_key(fp, layout, b) {
                wanted_bands.entry(k).or_insert(NONE);
            }
        }
        wanted_exact.entry(fp.exact).or_insert(u64::MAX);
        twin_of.entry(fp.exact).or_insert(i);
        if let Some(k) = fp.key {
            wanted_keys.entry(k).or_insert(u64::MAX);
        }
        if let Some(s) = fp.subject {
            wanted_subjects.entry(s).or_insert(NONE);
        }
    }

    // One pass over the archive, in its visiting order.
    let mut offsets: Vec<u64> = Vec::with_capacity(index.info.records as usize);
    let mut band_tails: Vec<Tail> = Vec::new();
    let mut subject_tails: Vec<Tail> = Vec::new();
    let (mut sig, mut lead) = (Vec::new(), Vec::new());
    index.scan(|seq, offset, body| {
        offsets.push(offset);
        let r = super::record::Glance::of(body)?;
        let kept = r.flags & KEPT != 0;
        if r.flags & BUCKETED != 0 {
            let mut touch = |key: u64| {
                if let Some(t) = wanted_bands.get_mut(&key) {
                    if *t == NONE {
                        *t = band_tails.len() as u32;
                        band_tails.push(Tail::default());
                    }
                    band_tails[*t as usize].push((seq, kept), BUCKET_SCAN);
                }
            };
            if kept {
                words32(r.signature, &mut sig);
                words32(r.lead, &mut lead);
                for b in 0..all_bands {
                    if let Some(k) = band_key_of((&sig, &lead), layout, b) {
                        touch(k);
                    }
                }
            } else {
                words64(r.bands).for_each(touch);
            }
        }
        if r.flags & FIRST != 0
            && let Some(first) = wanted_exact.get_mut(&r.exact)
            && *first == u64::MAX
        {
            *first = seq;
        }
        if r.flags & KEY != 0
            && let Some(leader) = r.key.and_then(|k| wanted_keys.get_mut(&k))
            && *leader == u64::MAX
        {
            *leader = seq - r.leader_back.min(seq);
        }
        if r.flags & SUBJECT != 0
            && let Some(t) = r.subject.and_then(|s| wanted_subjects.get_mut(&s))
        {
            if *t == NONE {
                *t = subject_tails.len() as u32;
                subject_tails.push(Tail::default());
            }
            subject_tails[*t as usize].push((seq, true), SUBJECT_SCAN);
        }
        Ok(())
    })?;
    let records = offsets.len() as u64;

    // The archived documents the new ones touch, read from their records: the kept copies
    // among the bucket and subject tails, the first of each body, each key's cluster, and
    // the kept copy of each of those.
    let mut loaded: BTreeMap<u64, Record> = BTreeMap::new();
    let mut want: Vec<u64> = Vec::new();
    want.extend(
        band_tails
            .iter()
            .flat_map(|t| t.last(BUCKET_SCAN))
            .filter(|(_, kept)| *kept)
            .map(|&(s, _)| s),
    );
    want.extend(
        subject_tails
            .iter()
            .flat_map(|t| t.last(SUBJECT_SCAN))
            .map(|&(s, _)| s),
    );
    want.extend(wanted_exact.values().copied().filter(|&s| s != u64::MAX));
    want.extend(wanted_keys.values().copied().filter(|&s| s != u64::MAX));
    while let Some(seq) = want.pop() {
        if loaded.contains_key(&seq) {
            continue;
        }
        let offset = *offsets
            .get(seq as usize)
            .ok_or_else(|| IndexError::corrupt(&index.path, "a record's kept copy is missing"))?;
        let r = index.record_at(offset)?;
        if r.leader_back > seq {
            return Err(IndexError::corrupt(
                &index.path,
                "a record's kept copy is before the first",
            ));
        }
        if r.leader_back != 0 {
            want.push(seq - r.leader_back);
        }
        loaded.insert(seq, r);
    }

    // Slots: the archived documents loaded, in their order, then one that stands for every
    // archived document that could have been kept but was not (it holds places in buckets),
    // then the new documents.
    let m = loaded.len();
    let sentinel = m;
    let base = m + 1;
    let n = today.len();
    if base + n >= MANY as usize {
        return Err(IndexError::Mismatch {
            path: index.path.clone(),
            why: "a run against an index takes fewer than 2^31 documents and touched records",
        });
    }
    let slot_of: FxHashMap<u64, usize> = loaded.keys().enumerate().map(|(i, &s)| (s, i)).collect();
    let mut fingerprints: Vec<Fingerprint> = Vec::with_capacity(base + n);
    let mut assignments: Vec<Assignment> = Vec::with_capacity(base + n);
    let mut rank: Vec<usize> = Vec::with_capacity(base + n);
    for (&seq, r) in &loaded {
        let kept = r.flags & KEPT != 0;
        let leader = slot_of
            .get(&(seq - r.leader_back))
            .copied()
            .ok_or_else(|| IndexError::corrupt(&index.path, "a record's kept copy is missing"))?;
        let fp = if kept {
            r.fp.clone()
        } else {
            // The first of a body, not kept: a new document with that body has the same
            // normalised text, so the same signature; its own headline, facts and date are
            // the record's.
            let twin = twin_of
                .get(&r.fp.exact)
                .map(|&i| &today[i])
                .ok_or_else(|| IndexError::corrupt(&index.path, "a body's first is unmatched"))?;
            Fingerprint {
                exact: r.fp.exact,
                date: r.fp.date,
                title: r.fp.title.clone(),
                ticker: r.fp.ticker,
                facts: r.fp.facts.clone(),
                opening: r.fp.opening,
                subject: None,
                key: None,
                ..twin.clone()
            }
        };
        fingerprints.push(fp);
        assignments.push(Assignment {
            cluster: leader,
            reason: super::record::reason_of(r.reason)
                .map_err(|e| IndexError::part(&index.path, e))?,
            similarity: 1.0,
        });
        rank.push(seq as usize);
    }
    fingerprints.push(Fingerprint::default());
    assignments.push(Assignment {
        cluster: sentinel,
        reason: Reason::Near,
        similarity: 0.0,
    });
    rank.push(usize::MAX);

    let mut state = State::new(0);
    for (key, t) in &wanted_bands {
        if *t == NONE {
            continue;
        }
        for &(seq, kept) in band_tails[*t as usize].last(BUCKET_SCAN) {
            let slot = if kept { slot_of[&seq] } else { sentinel };
            state.buckets.push(*key, slot as u32);
        }
    }
    for (subject, t) in &wanted_subjects {
        if *t == NONE {
            continue;
        }
        let list = subject_tails[*t as usize].last(SUBJECT_SCAN);
        state.subjects.insert(
            *subject,
            list.iter().map(|&(s, _)| slot_of[&s] as u32).collect(),
        );
    }
    for (exact, &seq) in &wanted_exact {
        if seq != u64::MAX {
            state.first_of.insert(*exact, slot_of[&seq]);
        }
    }
    for (key, &seq) in &wanted_keys {
        if seq != u64::MAX {
            state.keys.insert(*key, slot_of[&seq]);
        }
    }

    // The new documents, after the archive.
    let (order, local_rank) = visiting_order(n, |i| (today[i].date, today[i].words), options.keep);
    let after = usize::try_from(records).unwrap_or(usize::MAX);
    rank.extend(local_rank.iter().map(|&r| after + r));
    fingerprints.extend(today);
    assignments.extend((0..n).map(|i| kept_alone(base + i)));
    state.assignments = assignments;
    state.bucketed = vec![false; base + n];
    let order: Vec<usize> = order.into_iter().map(|i| base + i).collect();
    state.visit(&fingerprints, &order, &rank, options);

    // Back to the new documents' numbering; archived kept copies after them.
    let today = fingerprints.split_off(base);
    let mut archived: Vec<Archived> = Vec::new();
    let mut archived_at: FxHashMap<usize, usize> = FxHashMap::default();
    let mut paths: FxHashMap<usize, Vec<String>> = FxHashMap::default();
    let seqs: Vec<u64> = loaded.keys().copied().collect();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut a = state.assignments[base + i];
        if a.cluster >= base {
            a.cluster -= base;
        } else {
            let k = match archived_at.get(&a.cluster) {
                Some(&k) => k,
                None => {
                    let seq = seqs[a.cluster];
                    let r = &loaded[&seq];
                    let (segment, _) = index.segment_of(seq);
                    let paths = match paths.entry(segment) {
                        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(index.paths(segment)?)
                        }
                    };
                    let path = paths
                        .get(r.path as usize)
                        .cloned()
                        .ok_or_else(|| IndexError::corrupt(&index.path, "a path is missing"))?;
                    archived.push(Archived {
                        seq,
                        id: r.id.clone(),
                        path,
                        line: r.line,
                        date: r.fp.date,
                        number: r.number,
                    });
                    archived_at.insert(a.cluster, archived.len() - 1);
                    archived.len() - 1
                }
            };
            a.cluster = n + k;
        }
        out.push(a);
    }
    let first = (0..n)
        .map(|i| state.first_of.get(&today[i].exact) == Some(&(base + i)))
        .collect();
    let bucketed = state.bucketed.split_off(base);
    Ok((
        Against {
            assignments: out,
            archived,
            bucketed,
            first,
            records,
            generation: index.info.generation,
        },
        today,
    ))
}

#[cfg(test)]
mod tests {
    use super::Tail;

    #[test]
    fn a_tail_keeps_the_last_pushed_in_order() {
        let mut t = Tail::default();
        for i in 0..100 {
            t.push((i, i % 2 == 0), 8);
        }
        let last: Vec<u64> = t.last(8).iter().map(|&(s, _)| s).collect();
        assert_eq!(last, (92..100).collect::<Vec<_>>());
    }
}
