//! Writing a generation: the new documents' records, appended to a copy of the previous
//! generation, renamed over it when whole.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use corpus_core::Date;
use corpus_core::part::Put;
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64;

use super::record::{BUCKETED, FIRST, KEPT, KEY, Record, SHINGLES, SUBJECT, TICKER, reason_code};
use super::{END, HEADER, INDEX_VERSION, Index, IndexError, IndexInfo, MAGIC, Segment};
use crate::cluster::{band_key, lead_bands, visiting_order};
use crate::{Assignment, DedupOptions, Deduplicated, Fingerprint, Reason};

/// The right to update an index: a lock on `NAME.lock` beside it, held until dropped. A second
/// writer is refused ([`IndexError::Locked`]); readers never take it. The lock is the
/// operating system's (`flock` on Unix), so a writer killed lets go of it.
#[derive(Debug)]
pub struct IndexLock {
    _file: File,
    index: PathBuf,
}

impl IndexLock {
    /// Takes the lock of the index at `index` (which need not exist yet).
    pub fn acquire(index: impl AsRef<Path>) -> Result<IndexLock, IndexError> {
        let index = index.as_ref();
        let lock = lock_path(index);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .map_err(|e| IndexError::io(&lock, e))?;
        match file.try_lock() {
            Ok(()) => Ok(IndexLock {
                _file: file,
                index: index.to_owned(),
            }),
            Err(std::fs::TryLockError::WouldBlock) => Err(IndexError::Locked {
                path: index.to_owned(),
                lock,
            }),
            Err(std::fs::TryLockError::Error(e)) => Err(IndexError::io(&lock, e)),
        }
    }

    /// The index it locks.
    pub fn index(&self) -> &Path {
        &self.index
    }
}

fn lock_path(index: &Path) -> PathBuf {
    let mut name = index.file_name().unwrap_or_default().to_owned();
    name.push(".lock");
    index.with_file_name(name)
}

/// Where a generation is written before it is renamed over the index: beside it, so that the
/// rename is atomic.
fn new_path(index: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(index.file_name().unwrap_or_default());
    name.push(".new");
    index.with_file_name(name)
}

/// What a run adds to an index: one document's part of a new segment.
pub(crate) struct Added<'a> {
    pub(crate) fingerprint: &'a Fingerprint,
    pub(crate) assignment: Assignment,
    pub(crate) bucketed: bool,
    pub(crate) first: bool,
    pub(crate) id: &'a str,
    pub(crate) path: &'a str,
    pub(crate) line: Option<u64>,
    pub(crate) label: Option<&'a str>,
}

/// A new segment's bytes and counts.
pub(crate) struct NewSegment {
    pub(crate) bytes: Vec<u8>,
    pub(crate) records_len: u64,
    pub(crate) records: u64,
    pub(crate) documents: u64,
    pub(crate) kept: u64,
    pub(crate) dates: (Option<Date>, Option<Date>),
    pub(crate) undated: u64,
    /// The field kept copies are named by, for a new index (an update keeps its index's).
    pub(crate) label_field: Option<String>,
}

/// The records of `docs` (in input order), written in visiting order; `leader_seq(k)` is the
/// record number of archived kept copy `k` (a cluster at `docs.len() + k`), `first_seq` the
/// number the first new record takes and `first_doc` the number of the first document (the
/// documents the index holds).
pub(crate) fn new_segment(
    docs: &[Added<'_>],
    leader_seq: impl Fn(usize) -> u64,
    (first_seq, first_doc): (u64, u64),
    options: &DedupOptions,
) -> NewSegment {
    let (bands, rows) = options.bands_rows();
    let layout = (bands, rows, lead_bands(options));
    let n = docs.len();
    let (order, _) = visiting_order(
        n,
        |i| (docs[i].fingerprint.date, docs[i].fingerprint.words),
        options.keep,
    );
    let mut seq_of = vec![u64::MAX; n];
    let mut next = first_seq;
    let (mut out, mut scratch) = (Put::new(), Put::new());
    let mut paths: Vec<&str> = Vec::new();
    let mut path_no: FxHashMap<&str, u32> = FxHashMap::default();
    let (mut kept, mut undated) = (0u64, 0u64);
    let (mut lo, mut hi): (Option<Date>, Option<Date>) = (None, None);
    for &i in &order {
        let d = &docs[i];
        let fp = d.fingerprint;
        let a = d.assignment;
        match fp.date {
            None => undated += 1,
            Some(date) => {
                lo = Some(lo.map_or(date, |l| l.min(date)));
                hi = Some(hi.map_or(date, |h| h.max(date)));
            }
        }
        let is_kept = a.reason == Reason::Kept;
        kept += u64::from(is_kept);
        let remembers_key = fp.key.is_some() && a.reason != Reason::Key;
        if !(is_kept || d.bucketed || d.first || remembers_key) {
            continue;
        }
        let mut flags = 0u8;
        let mut set = |flag: u8, on: bool| {
            if on {
                flags |= flag;
            }
        };
        set(KEPT, is_kept);
        set(BUCKETED, d.bucketed);
        set(FIRST, d.first);
        set(SUBJECT, is_kept && d.bucketed && fp.subject.is_some());
        set(KEY, remembers_key);
        set(TICKER, (is_kept || d.first) && fp.ticker.is_some());
        set(SHINGLES, is_kept && fp.shingles.is_some());
        let leader = if a.cluster < n {
            seq_of[a.cluster]
        } else {
            leader_seq(a.cluster - n)
        };
        let seq = next;
        next += 1;
        seq_of[i] = seq;
        let mut record = Record {
            flags,
            reason: reason_code(a.reason),
            leader_back: if is_kept { 0 } else { seq - leader.min(seq) },
            ..Record::default()
        };
        let f = &mut record.fp;
        f.date = fp.date;
        f.exact = fp.exact;
        f.key = fp.key;
        f.subject = fp.subject;
        if is_kept || d.first {
            f.title = fp.title.clone();
            f.ticker = fp.ticker;
            f.facts = fp.facts.clone();
            f.opening = fp.opening;
        }
        if is_kept {
            f.words = fp.words;
            f.distinct_shingles = fp.distinct_shingles;
            f.signature = fp.signature.clone();
            f.lead = fp.lead.clone();
            f.shingles = fp.shingles.clone();
            record.id = d.id.to_owned();
            record.line = d.line;
            record.label = d.label.map(str::to_owned);
            record.number = first_doc + i as u64;
            record.path = *path_no.entry(d.path).or_insert_with(|| {
                paths.push(d.path);
                (paths.len() - 1) as u32
            });
        } else if d.bucketed {
            record.bands = (0..layout.0 + layout.2)
                .filter_map(|b| band_key(fp, layout, b))
                .collect();
        }
        record.put(&mut out, &mut scratch);
    }
    let records_len = out.len() as u64;
    put_paths(&mut out, &paths);
    NewSegment {
        bytes: out.into_bytes(),
        records_len,
        records: next - first_seq,
        documents: n as u64,
        kept,
        dates: (lo, hi),
        undated,
        label_field: None,
    }
}

/// Each path as what it shares with the one before and the rest: the files of a folder differ
/// in their last few bytes.
pub(crate) fn put_paths(out: &mut Put, paths: &[&str]) {
    out.var(paths.len() as u64);
    let mut before: &[u8] = &[];
    for p in paths {
        let p = p.as_bytes();
        let shared = before.iter().zip(p).take_while(|(a, b)| a == b).count();
        out.var(shared as u64);
        out.var((p.len() - shared) as u64);
        out.extend(&p[shared..]);
        before = p;
    }
}

/// Writes a generation at `path`: `previous`'s segments (when updating) and `segment`, with
/// the options, counts and dates, into a file beside it renamed over it when whole. The
/// caller holds `lock`.
pub(crate) fn write_generation(
    lock: &IndexLock,
    previous: Option<&Index>,
    options: &DedupOptions,
    segment: NewSegment,
) -> Result<IndexInfo, IndexError> {
    let start = match previous {
        Some(p) => Start::Append(p),
        None => Start::Fresh,
    };
    write_start(lock, start, options, segment)
}

/// What a new generation starts from: nothing, the previous one's segments, or (a compaction)
/// the previous one's counts alone, its records all in the new segment.
pub(crate) enum Start<'a> {
    Fresh,
    Append(&'a Index),
    Replace(Box<IndexInfo>),
}

pub(crate) fn write_start(
    lock: &IndexLock,
    start: Start<'_>,
    options: &DedupOptions,
    segment: NewSegment,
) -> Result<IndexInfo, IndexError> {
    let path = lock.index();
    let tmp = new_path(path);
    let result = write_new(&tmp, start, options, segment);
    let info = match result {
        Ok(info) => info,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        IndexError::io(path, e)
    })?;
    // The rename is durable once the folder is.
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Ok(d) = File::open(dir.unwrap_or(Path::new("."))) {
        let _ = d.sync_all();
    }
    Ok(info)
}

fn write_new(
    tmp: &Path,
    start: Start<'_>,
    options: &DedupOptions,
    segment: NewSegment,
) -> Result<IndexInfo, IndexError> {
    let io = |e: io::Error| IndexError::io(tmp, e);
    let file = File::create(tmp).map_err(io)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let (mut info, mut segments) = match start {
        Start::Replace(info) => {
            let info = *info;
            out.write_all(MAGIC).map_err(io)?;
            out.write_all(&INDEX_VERSION.to_le_bytes()).map_err(io)?;
            (info, Vec::new())
        }
        Start::Append(prev) => {
            let end = prev.segments.last().map_or(HEADER, Segment::end);
            out.flush().map_err(io)?;
            let mut from = &prev.file;
            use std::io::Seek;
            from.seek(std::io::SeekFrom::Start(0))
                .map_err(|e| IndexError::io(&prev.path, e))?;
            let copied = io::copy(&mut from.take(end), out.get_mut()).map_err(io)?;
            if copied != end {
                return Err(IndexError::Truncated(prev.path.clone()));
            }
            (prev.info.clone(), prev.segments.clone())
        }
        Start::Fresh => {
            out.write_all(MAGIC).map_err(io)?;
            out.write_all(&INDEX_VERSION.to_le_bytes()).map_err(io)?;
            let info = IndexInfo {
                generation: 0,
                documents: 0,
                kept: 0,
                records: 0,
                first_date: None,
                last_date: None,
                undated: 0,
                bytes: 0,
                segments: 0,
                options: options.clone(),
                label_field: segment.label_field.clone(),
            };
            (info, Vec::new())
        }
    };
    let offset = segments.last().map_or(HEADER, Segment::end);
    out.write_all(&segment.bytes).map_err(io)?;
    segments.push(Segment {
        offset,
        records_len: segment.records_len,
        paths_len: segment.bytes.len() as u64 - segment.records_len,
        records: segment.records,
        documents: segment.documents,
        checksum: xxh3_64(&segment.bytes),
    });
    info.generation += 1;
    info.documents += segment.documents;
    info.kept += segment.kept;
    info.records = segments.iter().map(|s| s.records).sum();
    info.undated += segment.undated;
    let (lo, hi) = segment.dates;
    info.first_date = match (info.first_date, lo) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    info.last_date = match (info.last_date, hi) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    info.segments = segments.len();
    let mut trailer = Put::new();
    super::put_trailer(&mut trailer, &info, &segments);
    let trailer = trailer.into_bytes();
    out.write_all(&trailer).map_err(io)?;
    out.write_all(&(trailer.len() as u64).to_le_bytes())
        .map_err(io)?;
    out.write_all(&xxh3_64(&trailer).to_le_bytes())
        .map_err(io)?;
    out.write_all(END).map_err(io)?;
    let file = out.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    info.bytes = file.metadata().map_err(io)?.len();
    Ok(info)
}

impl Deduplicated {
    /// Writes the run as an index at the path `lock` locks: a new index of this run's
    /// documents, or, for a run against `previous` ([`Deduplicator::finish_against`](crate::Deduplicator::finish_against)), the
    /// next generation of that index, its documents added. The new generation is written
    /// beside the index and renamed over it when whole: an interrupted write leaves the index
    /// as it was.
    ///
    /// # Errors
    ///
    /// When the run kept no fingerprints ([`Deduplicator::indexing`](crate::Deduplicator::indexing)), was not made against
    /// `previous` (or was, and `previous` is not given), the index changed since the run read
    /// it, or writing fails.
    pub fn write_index(
        &self,
        lock: &IndexLock,
        previous: Option<&Index>,
    ) -> Result<IndexInfo, IndexError> {
        let path = lock.index();
        let mismatch = |why| IndexError::Mismatch {
            path: path.to_owned(),
            why,
        };
        let indexed = self.indexed.as_ref().ok_or_else(|| {
            mismatch("the run kept no fingerprints to write (Deduplicator::indexing)")
        })?;
        let (first_seq, first_doc) = match (&self.against, previous) {
            (None, None) => (0, 0),
            (Some(a), Some(p)) => {
                let info = p.info();
                if a.generation != info.generation || a.records != info.records {
                    return Err(mismatch("the run was made against another generation"));
                }
                (info.records, info.documents)
            }
            (None, Some(_)) => return Err(mismatch("the run was not made against this index")),
            (Some(_), None) => return Err(mismatch("the run was made against an index")),
        };
        if let Some(p) = previous {
            p.check_options(&self.options)?;
            if p.info().label_field != self.label {
                return Err(mismatch(
                    "the run names documents by another field than the index",
                ));
            }
        }
        let docs: Vec<Added<'_>> = (0..self.len())
            .map(|i| Added {
                fingerprint: &indexed.fingerprints[i],
                assignment: self.result.assignments[i],
                bucketed: indexed.tracked.bucketed[i],
                first: indexed.tracked.first[i],
                id: &self.documents[i].id,
                path: self.paths.of(i),
                line: self.documents[i].line,
                label: self.documents[i].label.as_deref(),
            })
            .collect();
        let archived = self.against.as_ref().map(|a| &a.archived);
        let mut segment = new_segment(
            &docs,
            |k| archived.map_or(0, |a| a[k].seq),
            (first_seq, first_doc),
            &self.options,
        );
        segment.label_field = self.label.clone();
        write_generation(lock, previous, &self.options, segment)
    }
}
