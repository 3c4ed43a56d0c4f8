//! Grouping fingerprints into clusters around their kept copy.

use std::cmp::Reverse;

use rustc_hash::FxHashMap;

use crate::facts::{
    changed_share, openings_agree, rewrite_agrees, share_a_figure, tickers_agree, titles_agree,
};
use crate::minhash::{
    DedupOptions, Fingerprint, Keep, LEAD_BINS, Similarity, Verify, containment, estimate, jaccard,
};

/// The most days apart a rewrite is dated from its original: a wire rewrites, updates and
/// expands its own story the same day or the next; a text on the same facts days later is a
/// follow-up. Copies dated further apart are checked harder ([`days_agree`]).
pub(crate) const REWRITE_DAYS: u32 = 1;

/// How much longer (in words) a copy dated more than [`REWRITE_DAYS`] after the other may be.
const MAX_LATER_GROWTH: f64 = 1.25;

/// The kept copies of one subject compared with a document: the last visited (with
/// [`Keep::Earliest`], the latest dated), so that a subject in the news every day costs a
/// bounded number of checks.
pub(crate) const SUBJECT_SCAN: usize = 8;

/// The documents of one LSH bucket a document is compared with: the last this many that could
/// be kept (in visiting order) that share the band, of which the kept copies are candidates.
///
/// Without a bound, a band that thousands of documents share costs their square: a million
/// headlines of one form (`Story N text here.`) or a crawl whose pages share a footer ran for
/// hours. A true copy shares most of its bands with its original, and with the
/// [`Keep::Earliest`] order the last documents of a bucket are the nearest in date, so what a
/// bound can miss is a copy whose every shared band is crowded by more than this many later
/// documents: on the benches it misses none (see the crate docs). Deterministic: the bucket's
/// order is the visiting order, the same at any thread count and in a staged run, whose pairs
/// stage pairs each document with the same ones ([`crate::candidates`]).
pub(crate) const BUCKET_SCAN: usize = 64;

/// The dense date of an undated document.
const UNDATED: i32 = i32::MIN;

/// Rows per band of the lead's signature.
const LEAD_ROWS: usize = 2;

/// Why a document is where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Reason {
    /// It is the copy its cluster keeps (alone, for a document without copies).
    Kept,
    /// Its normalised body is identical to the kept copy's or to another member's (and it
    /// passed the checks a near copy passes but the window: see the crate docs).
    Exact,
    /// Its key equals the kept copy's or another member's.
    Key,
    /// It is a near copy of the kept copy.
    Near,
    /// It is the kept copy's story rewritten: less similar than the threshold asks, but dated
    /// within a day of it with the same facts ([`DedupOptions::rewrite_threshold`]).
    Rewrite,
}

impl Reason {
    /// The reason's name, as in `clusters.csv` and JSON: `kept`, `exact`, `key`, `near`,
    /// `rewrite`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Kept => "kept",
            Reason::Exact => "exact",
            Reason::Key => "key",
            Reason::Near => "near",
            Reason::Rewrite => "rewrite",
        }
    }
}

/// Where one document ended up.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Assignment {
    /// The cluster: the input index of its kept copy.
    pub cluster: usize,
    /// Why.
    pub reason: Reason,
    /// Jaccard similarity to the kept copy (estimated, or exact with [`Verify::Exact`]); 1 for
    /// the kept copy and for exact copies.
    pub similarity: f64,
}

/// The result of [`cluster`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DedupResult {
    /// One assignment per fingerprint, in input order.
    pub assignments: Vec<Assignment>,
    /// The LSH bands and rows used.
    pub bands: usize,
    /// Rows per band.
    pub rows: usize,
}

impl DedupResult {
    /// How many documents are kept (one per cluster, singletons included).
    pub fn kept(&self) -> usize {
        self.assignments
            .iter()
            .filter(|a| a.reason == Reason::Kept)
            .count()
    }

    /// How many documents were grouped for `reason`.
    pub fn count(&self, reason: Reason) -> usize {
        self.assignments
            .iter()
            .filter(|a| a.reason == reason)
            .count()
    }

    /// How many clusters have more than one document (a cluster kept by an archived document,
    /// in a run against an index, has its archived copy too).
    pub fn clusters_with_copies(&self) -> usize {
        let n = self.assignments.len();
        let mut sizes: FxHashMap<usize, usize> = FxHashMap::default();
        for a in &self.assignments {
            *sizes.entry(a.cluster).or_default() += 1;
        }
        sizes.iter().filter(|&(&c, &k)| k > 1 || c >= n).count()
    }

    /// How many documents copy an archived document (cluster numbers past the documents, in
    /// a run against an index).
    pub fn archive_copies(&self) -> usize {
        let n = self.assignments.len();
        self.assignments.iter().filter(|a| a.cluster >= n).count()
    }
}

/// Groups documents into clusters; see the crate docs for the rules. Deterministic: the same
/// fingerprints and options always give the same result.
///
/// # Panics
///
/// With 2^31 documents or more (about 2 TB of fingerprints): kept copies are numbered in 31 bits.
pub fn cluster(fingerprints: &[Fingerprint], options: &DedupOptions) -> DedupResult {
    clustered(fingerprints, options, false).0
}

/// [`cluster`], and per document whether it joined the buckets and whether it was the first
/// visited with its body: what an index records of it.
pub(crate) fn cluster_tracked(
    fingerprints: &[Fingerprint],
    options: &DedupOptions,
) -> (DedupResult, crate::index::Tracked) {
    clustered(fingerprints, options, true)
}

fn clustered(
    fingerprints: &[Fingerprint],
    options: &DedupOptions,
    track: bool,
) -> (DedupResult, crate::index::Tracked) {
    let (bands, rows) = options.bands_rows();
    let n = fingerprints.len();
    assert!(n < MANY as usize, "cluster takes fewer than 2^31 documents");
    let (order, rank) = visiting_order(
        n,
        |i| (fingerprints[i].date, fingerprints[i].words),
        options.keep,
    );
    let mut state = State::new(n);
    if track {
        state.bucketed = vec![false; n];
    }
    state.visit(fingerprints, &order, &rank, options);
    let first = if track {
        (0..n)
            .map(|i| state.first_of.get(&fingerprints[i].exact) == Some(&i))
            .collect()
    } else {
        Vec::new()
    };
    let result = DedupResult {
        assignments: state.assignments,
        bands,
        rows,
    };
    let tracked = crate::index::Tracked {
        bucketed: state.bucketed,
        first,
    };
    (result, tracked)
}

/// What clustering remembers of the documents visited so far: where each went, the first
/// document of each body and the cluster of each key, the buckets of the documents that could
/// be kept, and the kept copies of each subject. One run starts from nothing ([`cluster`]); a
/// run against an archive starts from the part of the archive's state its documents touch
/// ([`crate::index`]), and so makes the decisions one run over archive and new documents makes.
#[derive(Default)]
pub(crate) struct State {
    /// Per document (slot): where it went. Slots of documents not yet visited hold anything.
    pub(crate) assignments: Vec<Assignment>,
    /// Body hash → the first document visited with it.
    pub(crate) first_of: FxHashMap<u128, usize>,
    /// Key → the cluster of the first document visited with it.
    pub(crate) keys: FxHashMap<u128, usize>,
    /// Per band: band hash → the documents that could be kept whose signature has it, in
    /// visiting order; the lead's bands follow the main signature's.
    pub(crate) buckets: Buckets,
    /// Kept copies by subject, in visiting order, when rewrites are looked for.
    pub(crate) subjects: FxHashMap<u64, Vec<u32>>,
    /// Per document, whether it joined the buckets (what an index records of it); empty when
    /// not asked.
    pub(crate) bucketed: Vec<bool>,
}

impl State {
    /// Nothing visited yet, among `n` documents.
    pub(crate) fn new(n: usize) -> State {
        State {
            assignments: vec![kept_alone(0); n],
            ..State::default()
        }
    }

    /// Visits the documents of `order` (slots of `fingerprints`), each document's place in the
    /// visiting order in `rank`, and says where each goes.
    pub(crate) fn visit(
        &mut self,
        fingerprints: &[Fingerprint],
        order: &[usize],
        rank: &[usize],
        options: &DedupOptions,
    ) {
        let State {
            assignments,
            first_of,
            keys,
            buckets,
            subjects,
            bucketed,
        } = self;
        let (bands, rows) = options.bands_rows();
        // Computed once: deriving the bands costs a search (it once cost a tenth of a
        // millisecond per document, when it was done per document).
        let layout = (bands, rows, lead_bands(options));
        let n = fingerprints.len();
        let mut candidates: Vec<u32> = Vec::new();
        // The document (plus one) a kept copy was last gathered as a candidate for: a
        // candidate found in several bands is checked once, without sorting the list.
        let mut gathered = vec![0u32; n];
        // The dates in a dense array: the window is checked for every candidate, and reading
        // it from the fingerprints cost a cache miss each (a quarter of the time on a
        // million). Days fit in 32 bits for any calendar date; `UNDATED` marks none (or one
        // out of range, compared with all as an undated one is).
        let dates = dense_dates(fingerprints.iter().map(|f| f.date));
        let date_of = |i: usize| dense_date(&dates, i);
        for &i in order {
            let fp = &fingerprints[i];
            let similarity_to = |leader: usize| similarity(fp, &fingerprints[leader], options);
            let passes = |other: usize| {
                let o = &fingerprints[other];
                let dates = pair_dates(fp, o, (date_of(i), date_of(other)));
                check(fp, o, dates, options).is_some()
            };
            // An identical body is a copy of the first document visited with it when the two
            // pass the test any pair passes but the window ([`pair_dates`]; the headlines:
            // identical notices of two companies are not copies), and it joins that one's
            // cluster when [`exact_joins`] says: no chains, as for any copy.
            let first = *first_of.entry(fp.exact).or_insert(i);
            if first != i && passes(first) {
                let twin = assignments[first];
                let leader = twin.cluster;
                assignments[i] = if exact_joins(twin, first, (date_of(i), date_of(leader)), options)
                {
                    Assignment {
                        cluster: leader,
                        reason: Reason::Exact,
                        similarity: similarity_to(leader),
                    }
                } else {
                    // Out of its kept copy's reach: a cluster of its own, found by no
                    // later document (an exact copy is not among the documents that
                    // could be kept).
                    kept_alone(i)
                };
                remember_key(keys, fp, assignments[i].cluster);
                continue;
            }
            if let Some(&leader) = fp.key.as_ref().and_then(|k| keys.get(k)) {
                assignments[i] = Assignment {
                    cluster: leader,
                    reason: Reason::Key,
                    similarity: similarity_to(leader),
                };
                continue;
            }
            let mut band_keys: Vec<u64> = Vec::new();
            band_keys.extend((0..layout.0 + layout.2).filter_map(|b| band_key(fp, layout, b)));
            gather_candidates(
                (&mut candidates, &mut gathered, i as u32 + 1),
                (buckets, &band_keys),
                fp.subject.and_then(|s| subjects.get(&s)).map(Vec::as_slice),
                |leader| assignments[leader].reason == Reason::Kept,
                |leader| within_window(date_of(i), date_of(leader), Some(REWRITE_DAYS)),
            );
            let best = best_of(
                (fp, fingerprints),
                &candidates,
                |leader| (date_of(i), date_of(leader)),
                (options, rank),
            );
            // Every document that could be kept joins its buckets, kept or not, so that which
            // documents a later one is compared with depends on the visiting order alone.
            for key in band_keys {
                buckets.push(key, i as u32);
            }
            if let Some(b) = bucketed.get_mut(i) {
                *b = true;
            }
            match best {
                Some((near, similarity, leader)) => {
                    assignments[i] = joined(near, similarity, leader);
                    remember_key(keys, fp, leader);
                }
                None => {
                    assignments[i] = kept_alone(i);
                    remember_key(keys, fp, i);
                    if let Some(s) = fp.subject {
                        subjects.entry(s).or_default().push(i as u32);
                    }
                }
            }
        }
    }
}

/// Whether an exact copy of `first`, which is where `twin` says, joins its cluster, given the
/// copy's and the kept copy's dates: always when `first` is the kept copy (or a copy by key);
/// else when dated within the window that let `first` in (a day for a rewrite), so that a
/// copy of a member is as near its kept copy as the member had to be. The rule for copies days
/// apart (not much longer) is not applied again: the copy is its member's text, and scoop's
/// re-scraped items, dated by the day they were found, fall to it (F1 0.9065 with it, 0.9131
/// without).
pub(crate) fn exact_joins(
    twin: Assignment,
    first: usize,
    (date, leader_date): (Option<i64>, Option<i64>),
    options: &DedupOptions,
) -> bool {
    let reach = match twin.reason {
        Reason::Rewrite => Some(REWRITE_DAYS),
        _ => options.window_days,
    };
    twin.cluster == first || twin.reason == Reason::Key || within_window(date, leader_date, reach)
}

/// The dates a pair is checked with: none for two identical bodies, which the window does not
/// part. A scraper dates an item by the day it found it: scoop's re-scraped posts are dated 4
/// and 5 days after the first (F1 0.91 with, 0.72 without). What this lets through: an
/// identical notice of an event that recurs (`The Bundesbank left credit policies unchanged`,
/// 14 and 28 days apart), unless the headlines tell them apart.
pub(crate) fn pair_dates(
    a: &Fingerprint,
    b: &Fingerprint,
    dates: (Option<i64>, Option<i64>),
) -> (Option<i64>, Option<i64>) {
    if a.exact == b.exact {
        (None, None)
    } else {
        dates
    }
}

/// The assignment of a document that joins `leader`'s cluster as a near copy or a rewrite.
pub(crate) fn joined(near: bool, similarity: f64, leader: usize) -> Assignment {
    Assignment {
        cluster: leader,
        reason: if near { Reason::Near } else { Reason::Rewrite },
        similarity,
    }
}

/// The assignment of a document kept, alone so far.
pub(crate) fn kept_alone(i: usize) -> Assignment {
    Assignment {
        cluster: i,
        reason: Reason::Kept,
        similarity: 1.0,
    }
}

/// The order documents are visited in (the [`Keep`] policy's, ties in input order), and each
/// document's place in it; `key(i)` gives document `i`'s date and words.
pub(crate) fn visiting_order(
    n: usize,
    key: impl Fn(usize) -> (Option<corpus_core::Date>, u64),
    keep: Keep,
) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..n).collect();
    match keep {
        Keep::Earliest => order.sort_by_key(|&i| {
            let date = key(i).0;
            (date.is_none(), date, i)
        }),
        Keep::Longest => order.sort_by_key(|&i| (Reverse(key(i).1), i)),
        Keep::First => {}
    }
    // Where each document stands in the visiting order, to break ties between kept copies.
    let mut rank = vec![0usize; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    (order, rank)
}

/// Dates as days in a dense array, [`UNDATED`] for none (or one out of range, compared with
/// all as an undated one is).
pub(crate) fn dense_dates(dates: impl Iterator<Item = Option<corpus_core::Date>>) -> Vec<i32> {
    dates
        .map(|d| {
            d.and_then(|d| i32::try_from(d.days()).ok())
                .unwrap_or(UNDATED)
        })
        .collect()
}

pub(crate) fn dense_date(dates: &[i32], i: usize) -> Option<i64> {
    Some(i64::from(dates[i])).filter(|&d| d != i64::from(UNDATED))
}

/// Whether `fp` may join the cluster kept by `other`, given their dense dates: `None` when
/// not, else whether as a near copy (or a rewrite) and its similarity. The one test every
/// candidate passes, in one run and in the pairs of a sharded one alike.
pub(crate) fn check(
    fp: &Fingerprint,
    other: &Fingerprint,
    (date, other_date): (Option<i64>, Option<i64>),
    options: &DedupOptions,
) -> Option<(bool, f64)> {
    if !within_window(date, other_date, options.window_days) {
        return None;
    }
    if !tickers_agree(fp.ticker, other.ticker)
        || !titles_agree((&fp.title, &fp.facts), (&other.title, &other.facts))
    {
        return None;
    }
    let s = similarity(fp, other, options);
    let near =
        s >= options.threshold && facts_agree(fp, other, options) && days_agree(fp, other, options);
    let rewrite = !near
        && options.rewrite_threshold.is_some_and(|t| s >= t)
        && openings_agree(&fp.opening, &other.opening)
        && within_window(date, other_date, Some(REWRITE_DAYS))
        && rewrite_agrees(&fp.facts, &other.facts);
    (near || rewrite).then_some((near, s))
}

/// The kept copies a document is compared with, each once (`gathered` holds, per kept copy, the
/// `stamp` of the document it was last gathered for): those among the last [`BUCKET_SCAN`]
/// documents that could be kept and share a band with it, and the last [`SUBJECT_SCAN`] kept
/// copies of its subject (`subject`) dated within a day, for rewrites.
fn gather_candidates(
    (candidates, gathered, stamp): (&mut Vec<u32>, &mut [u32], u32),
    (buckets, band_keys): (&Buckets, &[u64]),
    subject: Option<&[u32]>,
    is_kept: impl Fn(usize) -> bool,
    within_a_day: impl Fn(usize) -> bool,
) {
    candidates.clear();
    for &key in band_keys {
        buckets.for_each_last(key, BUCKET_SCAN, |leader| {
            let seen = &mut gathered[leader as usize];
            if *seen != stamp && is_kept(leader as usize) {
                *seen = stamp;
                candidates.push(leader);
            }
        });
    }
    for &leader in subject.unwrap_or_default().iter().rev().take(SUBJECT_SCAN) {
        if !within_a_day(leader as usize) {
            continue;
        }
        let seen = &mut gathered[leader as usize];
        if *seen != stamp {
            *seen = stamp;
            candidates.push(leader);
        }
    }
}

/// The most similar of `candidates` that `fp` passes the test against (near copies before
/// rewrites, ties to the kept copy visited first): `(near, similarity, kept copy)`.
fn best_of(
    (fp, fingerprints): (&Fingerprint, &[Fingerprint]),
    candidates: &[u32],
    dates: impl Fn(usize) -> (Option<i64>, Option<i64>),
    (options, rank): (&DedupOptions, &[usize]),
) -> Option<(bool, f64, usize)> {
    let mut best = None;
    for &leader in candidates {
        let leader = leader as usize;
        if let Some((near, s)) = check(fp, &fingerprints[leader], dates(leader), options) {
            consider(&mut best, (near, s, leader), rank);
        }
    }
    best
}

/// Keeps the better of `best` and `candidate` (near, similarity, kept copy): near copies before
/// rewrites, then the more similar; ties go to the kept copy visited first, whatever the order
/// the candidates came in.
pub(crate) fn consider(
    best: &mut Option<(bool, f64, usize)>,
    (near, s, leader): (bool, f64, usize),
    rank: &[usize],
) {
    if best.is_none_or(|(bn, bs, bl)| {
        (near, s) > (bn, bs) || ((near, s) == (bn, bs) && rank[leader] < rank[bl])
    }) {
        *best = Some((near, s, leader));
    }
}

/// The key of one band (`band` of the main signature's `bands`, then of the lead's) of a
/// document's signature; `None` when the signature is too short.
pub(crate) fn band_key(
    fp: &Fingerprint,
    layout: (usize, usize, usize),
    band: usize,
) -> Option<u64> {
    band_key_of((&fp.signature, &fp.lead), layout, band)
}

/// [`band_key`] of a signature and a lead's signature, as an index stores them.
pub(crate) fn band_key_of(
    (signature, lead): (&[u32], &[u32]),
    (bands, rows, lead_bands): (usize, usize, usize),
    band: usize,
) -> Option<u64> {
    if band < bands {
        (signature.len() >= bands * rows && rows > 0)
            .then(|| band_hash(&signature[band * rows..(band + 1) * rows], band))
    } else {
        let b = band - bands;
        (lead.len() == LEAD_BINS && b < lead_bands)
            .then(|| band_hash(&lead[b * LEAD_ROWS..(b + 1) * LEAD_ROWS], band))
    }
}

/// How many bands the lead's signature adds: with containment only.
pub(crate) fn lead_bands(options: &DedupOptions) -> usize {
    if options.similarity == Similarity::Containment {
        LEAD_BINS / LEAD_ROWS
    } else {
        0
    }
}

/// Kept copies by band hash. Most buckets hold one kept copy: the table holds it inline; a
/// bucket of more is a list of its own, kept contiguous so that reading it costs one miss. (A
/// `Vec` per bucket cost 50 allocations per kept copy with the news preset and 40 % of the
/// memory of a 100,000-document run; a list threaded through one arena cost a cache miss per
/// entry on the buckets that hold many.)
#[derive(Default)]
pub(crate) struct Buckets {
    /// A kept copy's index, or `MANY | i` for the bucket `lists[i]`.
    heads: FxHashMap<u64, u32>,
    lists: Vec<Vec<u32>>,
    /// Against an index: per band hash, the archived kept copies that can be candidates, each
    /// with how many documents joined the bucket after it in the archive (its age). The rest
    /// of the archive's bucket only holds places, which the ages count.
    pub(crate) prior: FxHashMap<u64, Vec<(u32, u32)>>,
}

/// The mark of a bucket of several kept copies: document indices stay below it, which
/// [`cluster`] checks.
pub(crate) const MANY: u32 = 1 << 31;

impl Buckets {
    pub(crate) fn push(&mut self, key: u64, leader: u32) {
        match self.heads.entry(key) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(leader);
            }
            std::collections::hash_map::Entry::Occupied(mut e) => {
                let head = *e.get();
                if head & MANY != 0 {
                    self.lists[(head & !MANY) as usize].push(leader);
                } else {
                    e.insert(MANY | self.lists.len() as u32);
                    self.lists.push(vec![head, leader]);
                }
            }
        }
    }

    /// The last `last` documents pushed with `key` (after an archive's, [`Buckets::prior`]),
    /// oldest first.
    fn for_each_last(&self, key: u64, last: usize, mut f: impl FnMut(u32)) {
        let list: &[u32] = match self.heads.get(&key) {
            None => &[],
            Some(&head) if head & MANY != 0 => &self.lists[(head & !MANY) as usize],
            Some(leader) => std::slice::from_ref(leader),
        };
        if !self.prior.is_empty()
            && let Some(archived) = self.prior.get(&key)
        {
            for &(slot, age) in archived {
                if (age as usize).saturating_add(list.len()) < last {
                    f(slot);
                }
            }
        }
        list[list.len().saturating_sub(last)..]
            .iter()
            .for_each(|&l| f(l));
    }
}

fn remember_key(keys: &mut FxHashMap<u128, usize>, fp: &Fingerprint, leader: usize) {
    if let Some(k) = fp.key {
        keys.entry(k).or_insert(leader);
    }
}

/// The similarity `options` ask for, of two documents.
///
/// Two documents of at most `ngram` words each have one shingle each, their whole text: their
/// signatures are that shingle's 32-bit value in every bin, so two different texts whose values
/// collide (one pair in four billion; a million one-word documents hold about a hundred such
/// pairs) would look identical. Their 128-bit body hashes say exactly whether they are.
pub(crate) fn similarity(a: &Fingerprint, b: &Fingerprint, options: &DedupOptions) -> f64 {
    let ngram = options.ngram as u64;
    if a.words <= ngram && b.words <= ngram && a.exact != b.exact {
        return 0.0;
    }
    let j = match (options.verify, &a.shingles, &b.shingles) {
        (Verify::Exact, Some(x), Some(y)) => jaccard(x, y),
        _ => estimate(&a.signature, &b.signature),
    };
    match options.similarity {
        Similarity::Jaccard => j,
        Similarity::Containment => containment(j, a.distinct_shingles, b.distinct_shingles),
    }
}

/// Whether two documents' facts allow them to be copies: few enough of the facts they have in
/// shared contexts differ.
fn facts_agree(a: &Fingerprint, b: &Fingerprint, options: &DedupOptions) -> bool {
    match options.max_changed_facts {
        None => true,
        Some(max) => changed_share(&a.facts, &b.facts).is_none_or(|changed| changed <= max),
    }
}

/// With facts checked, whether two documents' dates allow them to be copies: within
/// [`REWRITE_DAYS`] always; further apart, only when the later is not much longer (a copy is
/// the story as it was, or cut; a later text holding it whole and adding to it is the next
/// report) and, when both have figures, they share one (a series repeats its template with
/// new figures).
fn days_agree(a: &Fingerprint, b: &Fingerprint, options: &DedupOptions) -> bool {
    if options.max_changed_facts.is_none() {
        return true;
    }
    let (Some(da), Some(db)) = (a.date, b.date) else {
        return true;
    };
    let (da, db) = (da.days(), db.days());
    if (da - db).abs() <= i64::from(REWRITE_DAYS) {
        return true;
    }
    let (earlier, later) = if da < db { (a, b) } else { (b, a) };
    later.words as f64 <= MAX_LATER_GROWTH * earlier.words as f64
        && share_a_figure(&a.facts, &b.facts)
}

pub(crate) fn within_window(a: Option<i64>, b: Option<i64>, window: Option<u32>) -> bool {
    match (a, b, window) {
        (Some(a), Some(b), Some(w)) => (a - b).abs() <= i64::from(w),
        _ => true,
    }
}

fn band_hash(rows: &[u32], band: usize) -> u64 {
    let mut h = 0xCBF2_9CE4_8422_2325u64 ^ band as u64;
    for &r in rows {
        h = (h ^ u64::from(r))
            .wrapping_mul(0x0000_0100_0000_01B3)
            .rotate_left(17);
    }
    h
}

#[cfg(test)]
mod tests;
