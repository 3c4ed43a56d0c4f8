//! Compaction: the near-copy data of documents older than the window needs (signatures, band
//! hashes, places in buckets and subjects' lists) dropped, what finds exact copies and names
//! the kept copies kept.

use corpus_core::part::Put;

use super::record::{BUCKETED, COMPACT, FIRST, KEPT, KEY, Record, SHINGLES, SUBJECT, dense};
use super::write::{IndexLock, NewSegment, Start, put_paths, write_start};
use super::{Index, IndexError, IndexInfo};

impl Index {
    /// Writes the index again as one segment (a new generation, as an update is written),
    /// dropping what the documents dated more than `keep_days` before its last date left for
    /// near copies: their signatures and band hashes, their places in buckets and subjects'
    /// lists. Exact copies of them are found for ever, and the copies of later documents
    /// named as before.
    ///
    /// A run against the compacted index decides as one run over everything for new
    /// documents dated on or after the index's last date (as [`crate::index`] promises for
    /// an index not compacted) when `keep_days` is at least the window: older documents are
    /// out of every such document's reach, and their places in a bucket come before every
    /// candidate, where no count sees them. With `--key`, kept copies keep their signatures
    /// (a key copy's similarity to its kept copy is read from them).
    ///
    /// # Errors
    ///
    /// When the index has no window (every document is in reach of every other), `keep_days`
    /// is less than the window, `lock` locks another index, or reading or writing fails.
    pub fn compact(&self, lock: &IndexLock, keep_days: u32) -> Result<IndexInfo, IndexError> {
        let mismatch = |why| IndexError::Mismatch {
            path: self.path.clone(),
            why,
        };
        let options = &self.info.options;
        let Some(window) = options.window_days else {
            return Err(mismatch(
                "the index has no window: every document is in reach of every later one",
            ));
        };
        if keep_days < window {
            return Err(mismatch("the days kept must be at least the window's"));
        }
        if lock.index() != self.path {
            return Err(mismatch("the lock is another index's"));
        }
        let cutoff = self
            .info
            .last_date
            .map(|d| i64::from(dense(Some(d))) - i64::from(keep_days));
        let keep_signatures = options.key.is_some();
        // Every segment's paths in one list.
        let mut paths: Vec<String> = Vec::new();
        let mut path_base: Vec<u32> = Vec::new();
        for s in 0..self.segments.len() {
            path_base.push(paths.len() as u32);
            paths.extend(self.paths(s)?);
        }
        let mut new_seq: Vec<u64> = Vec::with_capacity(self.info.records as usize);
        let (mut out, mut scratch) = (Put::new(), Put::new());
        let mut next = 0u64;
        self.scan(|batch| {
            for &(seq, _, body) in batch {
                let mut r = Record::get(body)?;
                let old = match (cutoff, r.fp.date) {
                    (Some(cutoff), Some(d)) => i64::from(dense(Some(d))) < cutoff,
                    _ => false,
                };
                if old {
                    r.flags &= !(BUCKETED | SUBJECT);
                    r.bands = Box::default();
                    if r.flags & KEPT != 0 && !keep_signatures {
                        r.flags = (r.flags | COMPACT) & !SHINGLES;
                    }
                    if r.flags & (KEPT | FIRST | KEY) == 0 {
                        new_seq.push(u64::MAX);
                        continue;
                    }
                }
                if r.flags & KEPT != 0 {
                    r.path += path_base[self.segment_of(seq).0];
                }
                let leader =
                    seq.checked_sub(r.leader_back)
                        .ok_or(corpus_core::part::PartError::Corrupt(
                            "a record's kept copy is before the first",
                        ))?;
                let new_leader = new_seq.get(leader as usize).copied().unwrap_or(next);
                r.leader_back = if r.leader_back == 0 {
                    0
                } else {
                    next - new_leader
                };
                new_seq.push(next);
                r.put(&mut out, &mut scratch);
                next += 1;
            }
            Ok(())
        })?;
        let records_len = out.len() as u64;
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        put_paths(&mut out, &refs);
        let segment = NewSegment {
            bytes: out.into_bytes(),
            records_len,
            records: next,
            documents: 0,
            kept: 0,
            dates: (None, None),
            undated: 0,
            label_field: None,
        };
        write_start(
            lock,
            Start::Replace(Box::new(self.info.clone())),
            options,
            segment,
        )
    }
}
