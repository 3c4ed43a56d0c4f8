//! A run against an index: the state one run over the archive would have reached, restricted
//! to what the new documents touch, then the new documents visited after the archive.

use std::collections::{BTreeMap, VecDeque};

use corpus_core::part::PartError;

use rustc_hash::FxHashMap;

use super::record::{
    BUCKETED, COMPACT, FIRST, KEPT, KEY, Record, SUBJECT, UNDATED, words32, words64,
};
use super::{Index, IndexError};
use crate::cluster::{
    Assignment, BUCKET_SCAN, MANY, SUBJECT_SCAN, State, band_key, band_key_of, kept_alone,
    lead_bands, visiting_order,
};
use crate::{DedupOptions, Fingerprint};

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
    /// Its value of the index's label field.
    pub(crate) label: Option<String>,
}

/// What a run against an index decided about its documents.
#[derive(Debug)]
pub(crate) struct Against {
    /// One per new document; a cluster at `n + k` (`n` new documents) is kept by
    /// `archive.archived[k]`.
    pub(crate) assignments: Vec<Assignment>,
    /// Per new document: whether it joined the buckets, and whether it was the first visited
    /// with its body (what its record says when the index is updated).
    pub(crate) tracked: Tracked,
    pub(crate) archive: ArchiveRead,
}

/// Per document of a run: whether it joined the buckets, and whether it was the first visited
/// with its body; what its record in an index says of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tracked {
    pub(crate) bucketed: Vec<bool>,
    pub(crate) first: Vec<bool>,
}

/// What a run against an index took from it: the archived kept copies its clusters name, and
/// the index's records and generation when it was read (an update must extend that one).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ArchiveRead {
    pub(crate) archived: Vec<Archived>,
    pub(crate) records: u64,
    pub(crate) generation: u64,
}

/// A kept copy in a subject's list: its record's number (below [`MAX_RECORDS`]) and its dense
/// date.
#[derive(Debug, Clone, Copy)]
struct Entry {
    seq: u32,
    date: i32,
}

/// The most records a run against an index reads: their numbers are kept in 32 bits.
const MAX_RECORDS: u64 = 1 << 31;

impl Entry {
    fn new(seq: u64, date: i32) -> Entry {
        Entry {
            seq: seq as u32,
            date,
        }
    }

    fn seq(self) -> u64 {
        u64::from(self.seq)
    }
}

/// The last `cap` of what was pushed, oldest first.
#[derive(Debug, Default, Clone)]
struct Tail(VecDeque<Entry>);

impl Tail {
    fn push(&mut self, item: Entry, cap: usize) {
        if self.0.len() == cap {
            self.0.pop_front();
        }
        self.0.push_back(item);
    }

    fn last(&self) -> impl Iterator<Item = Entry> + '_ {
        self.0.iter().copied()
    }
}

/// The archive's buckets as the new documents see them: per band hash of theirs (by its number
/// in [`BandKeys`]), how many archived documents joined it, and those of them that can be
/// candidates (kept, within reach of the new documents' dates), each with its place (how many
/// joined before it). The others only hold places.
#[derive(Debug, Default)]
struct BandTails {
    pushed: Vec<u32>,
    candidates: FxHashMap<u32, Vec<(u32, u32)>>,
}

impl BandTails {
    fn push(&mut self, band: u32, seq: u64, candidate: bool) {
        let pushed = &mut self.pushed[band as usize];
        if candidate {
            let list = self.candidates.entry(band).or_default();
            list.push((seq as u32, *pushed));
            // Those more than a scan back can never be candidates again.
            if list.len() >= 2 * BUCKET_SCAN {
                let now = *pushed;
                list.retain(|&(_, at)| (now - at) < BUCKET_SCAN as u32);
            }
        }
        *pushed += 1;
    }

    /// The candidates of band hash `band` among its last [`BUCKET_SCAN`], with their ages (0:
    /// the last pushed).
    fn candidates(&self, band: u32) -> impl Iterator<Item = (u64, u32)> + '_ {
        let pushed = self.pushed[band as usize];
        self.candidates
            .get(&band)
            .into_iter()
            .flatten()
            .filter_map(move |&(seq, at)| {
                let age = pushed - 1 - at;
                ((age as usize) < BUCKET_SCAN).then_some((u64::from(seq), age))
            })
    }
}

/// The new documents' band hashes, each numbered by its place in `keys`: a table of 4-byte
/// entries (1.7 million hashes for 50,000 documents with the news preset), and a filter in
/// front of it, since most archived band hashes are none of the new documents' and a word in
/// cache says so before the table is probed.
#[derive(Debug, Default)]
struct BandKeys {
    keys: Vec<u64>,
    table: hashbrown::HashTable<u32>,
    filter: Vec<u64>,
    filter_shift: u32,
}

fn spread(key: u64) -> u64 {
    (key ^ (key >> 31)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl BandKeys {
    fn insert(&mut self, key: u64) {
        let keys = &self.keys;
        if self
            .table
            .find(spread(key), |&i| keys[i as usize] == key)
            .is_none()
        {
            let i = self.keys.len() as u32;
            self.keys.push(key);
            let keys = &self.keys;
            self.table
                .insert_unique(spread(key), i, |&i| spread(keys[i as usize]));
        }
    }

    /// Builds the filter, once every hash is in: a word per hash chosen by its high bits,
    /// three bits set in it by its low ones, 8 bits a hash (2 MB for 1.7 million, about the
    /// second-level cache of a core; 4 % of the hashes it has not pass it).
    fn seal(&mut self) {
        let words = (self.keys.len() / 8).next_power_of_two().max(64);
        self.filter = vec![0; words];
        self.filter_shift = 64 - words.trailing_zeros();
        for i in 0..self.keys.len() {
            let (word, bits) = self.bits(self.keys[i]);
            self.filter[word] |= bits;
        }
    }

    /// The word of the filter for `key`, and its three bits.
    fn bits(&self, key: u64) -> (usize, u64) {
        let h = key.rotate_left(17).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
        let bits = (1 << (h & 63)) | (1 << ((h >> 6) & 63)) | (1 << ((h >> 12) & 63));
        ((h >> self.filter_shift) as usize, bits)
    }

    fn find(&self, key: u64) -> Option<u32> {
        let (word, bits) = self.bits(key);
        if self.filter[word] & bits != bits {
            return None;
        }
        self.table
            .find(spread(key), |&i| self.keys[i as usize] == key)
            .copied()
    }
}

/// What the new documents look for in the archive: their band hashes, bodies (to the first
/// archived record with it), keys (to their cluster's kept copy) and subjects (to their
/// tails, [`NONE`] until the archive has one).
#[derive(Debug, Default)]
struct Wanted {
    bands: BandKeys,
    exact: FxHashMap<u128, u64>,
    keys: FxHashMap<u128, u64>,
    subjects: FxHashMap<u64, u32>,
}

/// What one archived record holds that the new documents look for.
#[derive(Debug, Clone, Copy)]
enum Hit {
    /// A band hash (its number in [`BandKeys`]): whether the record is kept, and its date.
    Band(u32, bool, i32),
    /// The first of a body.
    First(u128),
    /// A key, and its cluster's kept copy.
    Key(u128, u64),
    /// A kept copy of a subject, and its date.
    Subject(u64, i32),
}

/// The hits of one record (`seq`, its `body`) among what is `wanted`, its bands and subject
/// only when `placed` (see [`against`]); `sig` and `lead` are scratch space.
fn glance(
    (body, seq, placed): (&[u8], u64, bool),
    (wanted, layout): (&Wanted, (usize, usize, usize)),
    (sig, lead): (&mut Vec<u32>, &mut Vec<u32>),
    hits: &mut Vec<(u64, Hit)>,
) -> Result<(), PartError> {
    let r = super::record::Glance::of(body)?;
    let kept = r.flags & KEPT != 0;
    if placed && r.flags & BUCKETED != 0 {
        let mut touch = |key: u64| {
            if let Some(band) = wanted.bands.find(key) {
                hits.push((seq, Hit::Band(band, kept, r.date)));
            }
        };
        if kept {
            words32(r.signature, sig);
            words32(r.lead, lead);
            for b in 0..layout.0 + layout.2 {
                if let Some(k) = band_key_of((sig, lead), layout, b) {
                    touch(k);
                }
            }
        } else {
            words64(r.bands).for_each(touch);
        }
    }
    if r.flags & FIRST != 0 && wanted.exact.contains_key(&r.exact) {
        hits.push((seq, Hit::First(r.exact)));
    }
    if r.flags & KEY != 0
        && let Some(k) = r.key.filter(|k| wanted.keys.contains_key(k))
    {
        if r.leader_back > seq {
            return Err(PartError::Corrupt(
                "a record's kept copy is before the first",
            ));
        }
        hits.push((seq, Hit::Key(k, seq - r.leader_back)));
    }
    if placed
        && r.flags & SUBJECT != 0
        && let Some(subject) = r.subject.filter(|s| wanted.subjects.contains_key(s))
    {
        hits.push((seq, Hit::Subject(subject, r.date)));
    }
    Ok(())
}

/// Which archived kept copies in buckets and subjects' lists the new documents can be
/// compared with, by date: every candidate out of the window of the new document it is found
/// for fails the test before anything else is read, so one that is out of the window of
/// every new document (all dated) need not be read; it stands in the buckets as a kept copy
/// dated out of everyone's reach ([`Reach::far`]).
#[derive(Debug, Clone, Copy)]
struct Reach {
    /// The new documents' dates, when all are dated and a window is set: `(first, last,
    /// window)`.
    range: Option<(i32, i32, i32)>,
}

impl Reach {
    fn of(today: &[Fingerprint], options: &DedupOptions) -> Reach {
        let window = options.window_days.and_then(|w| i32::try_from(w).ok());
        let dates: Option<Vec<i32>> = today
            .iter()
            .map(|f| f.date.map(|d| super::record::dense(Some(d))))
            .collect();
        let range = match (window, dates) {
            (Some(w), Some(dates)) if !dates.is_empty() && !dates.contains(&UNDATED) => {
                let lo = dates.iter().copied().min().unwrap_or(0);
                let hi = dates.iter().copied().max().unwrap_or(0);
                Some((lo, hi, w))
            }
            _ => None,
        };
        Reach { range }
    }

    /// Whether an archived document dated `date` can pass the test against a new one.
    fn reaches(&self, date: i32) -> bool {
        match self.range {
            None => true,
            Some(_) if date == UNDATED => true,
            Some((lo, hi, w)) => {
                i64::from(date) >= i64::from(lo) - i64::from(w)
                    && i64::from(date) <= i64::from(hi) + i64::from(w)
            }
        }
    }

    /// A date out of the window of every new document.
    fn far(&self) -> Option<corpus_core::Date> {
        let (lo, hi, w) = self.range?;
        let far = i64::from(lo) - (i64::from(hi) - i64::from(lo)) - i64::from(w) - 1;
        corpus_core::Date::from_days(far)
            .or_else(|| corpus_core::Date::from_days(i64::from(hi) + i64::from(w) + 1))
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

    let reach = Reach::of(&today, options);
    // What the new documents look for in the archive.
    let mut wanted = Wanted::default();
    let mut twin_of: FxHashMap<u128, usize> = FxHashMap::default();
    for (i, fp) in today.iter().enumerate() {
        for b in 0..all_bands {
            if let Some(k) = band_key(fp, layout, b) {
                wanted.bands.insert(k);
            }
        }
        wanted.exact.entry(fp.exact).or_insert(u64::MAX);
        twin_of.entry(fp.exact).or_insert(i);
        if let Some(k) = fp.key {
            wanted.keys.entry(k).or_insert(u64::MAX);
        }
        if let Some(s) = fp.subject {
            wanted.subjects.entry(s).or_insert(NONE);
        }
    }

    // One pass over the archive, in its visiting order.
    let mut offsets: Vec<u64> = Vec::with_capacity(index.info.records as usize);
    wanted.bands.seal();
    if index.info.records >= MAX_RECORDS {
        return Err(IndexError::Mismatch {
            path: index.path.clone(),
            why: "a run against an index reads fewer than 2^31 records",
        });
    }
    let mut band_tails = BandTails {
        pushed: vec![0; wanted.bands.keys.len()],
        candidates: FxHashMap::default(),
    };
    let mut subject_tails: Vec<Tail> = Vec::new();
    // The first record within reach of the new documents' dates: the records before it can
    // only hold places in buckets and subjects' lists before every candidate, which no count
    // of places after a candidate sees, so their bands and subjects are not looked up. (An
    // archive visited by date, as `--keep earliest` visits it, is mostly before it.)
    let mut placed_from: Option<u64> = None;
    index.scan(|batch| {
        offsets.extend(batch.iter().map(|&(_, offset, _)| offset));
        if placed_from.is_none() {
            for &(seq, _, body) in batch {
                if reach.reaches(super::record::Glance::date_of(body)?) {
                    placed_from = Some(seq);
                    break;
                }
            }
        }
        let from = placed_from.unwrap_or(u64::MAX);
        let look = |records: &[(u64, u64, &[u8])]| -> Result<Vec<(u64, Hit)>, PartError> {
            let (mut sig, mut lead, mut hits) = (Vec::new(), Vec::new(), Vec::new());
            for &(seq, _, body) in records {
                let placed = seq >= from;
                glance(
                    (body, seq, placed),
                    (&wanted, layout),
                    (&mut sig, &mut lead),
                    &mut hits,
                )?;
            }
            Ok(hits)
        };
        // The records of a batch looked at in parallel, their hits taken in order.
        #[cfg(feature = "rayon")]
        let found: Vec<Vec<(u64, Hit)>> = {
            use rayon::prelude::*;
            batch.par_chunks(512).map(look).collect::<Result<_, _>>()?
        };
        #[cfg(not(feature = "rayon"))]
        let found: Vec<Vec<(u64, Hit)>> = vec![look(batch)?];
        for (seq, hit) in found.into_iter().flatten() {
            match hit {
                Hit::Band(band, kept, date) => {
                    band_tails.push(band, seq, kept && reach.reaches(date));
                }
                Hit::First(exact) => {
                    if let Some(first) = wanted.exact.get_mut(&exact)
                        && *first == u64::MAX
                    {
                        *first = seq;
                    }
                }
                Hit::Key(key, leader) => {
                    if let Some(l) = wanted.keys.get_mut(&key)
                        && *l == u64::MAX
                    {
                        *l = leader;
                    }
                }
                Hit::Subject(subject, date) => {
                    if let Some(t) = wanted.subjects.get_mut(&subject) {
                        if *t == NONE {
                            *t = subject_tails.len() as u32;
                            subject_tails.push(Tail::default());
                        }
                        subject_tails[*t as usize].push(Entry::new(seq, date), SUBJECT_SCAN);
                    }
                }
            }
        }
        Ok(())
    })?;
    let records = offsets.len() as u64;

    // The archived documents the new ones touch, read from their records: the kept copies
    // among the bucket and subject tails within reach of their dates, the first of each
    // body, each key's cluster, and the kept copy of each of those.
    let mut loaded: BTreeMap<u64, Record> = BTreeMap::new();
    let mut want: Vec<u64> = Vec::new();
    want.extend(
        band_tails
            .candidates
            .keys()
            .flat_map(|&band| band_tails.candidates(band))
            .map(|(seq, _)| seq),
    );
    want.extend(
        subject_tails
            .iter()
            .flat_map(Tail::last)
            .filter(|e| reach.reaches(e.date))
            .map(Entry::seq),
    );
    want.extend(wanted.exact.values().copied().filter(|&s| s != u64::MAX));
    want.extend(wanted.keys.values().copied().filter(|&s| s != u64::MAX));
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
    // kept copy of a subject's list out of reach, then the new documents. (The archive's
    // buckets keep their candidates with their ages: [`Buckets::prior`].)
    let m = loaded.len();
    let far = m;
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
        let twin = twin_of.get(&r.fp.exact).map(|&i| &today[i]);
        let fp = if kept && r.flags & COMPACT == 0 {
            r.fp.clone()
        } else if kept {
            // A kept copy compacted out of the window: it is read as the first of its body
            // (or as the kept copy of a copy out of its reach, whose signature is never read),
            // and a new document with that body has its signature.
            let mut fp = r.fp.clone();
            if let Some(twin) = twin {
                fp.words = twin.words;
                fp.distinct_shingles = twin.distinct_shingles;
                fp.signature = twin.signature.clone();
                fp.lead = twin.lead.clone();
                fp.shingles = twin.shingles.clone();
            }
            fp
        } else {
            // The first of a body, not kept: a new document with that body has the same
            // normalised text, so the same signature; its own headline, facts and date are
            // the record's.
            let twin = twin
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
    fingerprints.push(Fingerprint {
        date: reach.far(),
        ..Fingerprint::default()
    });
    assignments.push(kept_alone(far));
    rank.push(usize::MAX);

    let mut state = State::new(0);
    for &band in band_tails.candidates.keys() {
        let archived: Vec<(u32, u32)> = band_tails
            .candidates(band)
            .map(|(seq, age)| (slot_of[&seq] as u32, age))
            .collect();
        if !archived.is_empty() {
            let key = wanted.bands.keys[band as usize];
            state.buckets.prior.insert(key, archived);
        }
    }
    for (subject, t) in &wanted.subjects {
        if *t == NONE {
            continue;
        }
        let slots = subject_tails[*t as usize]
            .last()
            .map(|e| slot_of.get(&e.seq()).map_or(far, |&slot| slot) as u32)
            .collect();
        state.subjects.insert(*subject, slots);
    }
    for (exact, &seq) in &wanted.exact {
        if seq != u64::MAX {
            state.first_of.insert(*exact, slot_of[&seq]);
        }
    }
    for (key, &seq) in &wanted.keys {
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
                        label: r.label.clone(),
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
            tracked: Tracked { bucketed, first },
            archive: ArchiveRead {
                archived,
                records,
                generation: index.info.generation,
            },
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
            t.push(super::Entry::new(i, 0), 8);
        }
        let last: Vec<u64> = t.last().map(super::Entry::seq).collect();
        assert_eq!(last, (92..100).collect::<Vec<_>>());
    }
}
