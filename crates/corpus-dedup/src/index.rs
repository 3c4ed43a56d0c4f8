//! The archive: what deduplication remembers of the documents it saw, on disk, so that each
//! new day's documents are deduplicated against everything kept before without reading the
//! archive's text again, and each copy names the archived document it copies.
//!
//! An [`Index`] is written by a run ([`Deduplicated::write_index`](crate::Deduplicated::write_index)) and read by later ones
//! ([`Deduplicator::finish_against`](crate::Deduplicator::finish_against)): for every archived document, what the checks of
//! [`cluster`](crate::cluster) need to decide about a later one (see the table in
//! `index/record.rs`: a kept copy's fingerprint and where it was read; a near copy's band
//! hashes, which hold its place in the buckets; a body's first document, its headline and
//! facts), in the order one run would have visited them.
//!
//! # The same decisions as one run
//!
//! A run against an index starts from the state one run over the archive would have reached
//! (the first document of each body, the cluster of each key, the last 64 documents of each
//! bucket, the last 8 kept copies of each subject), restricted to what the new documents
//! touch, and visits the new documents after the archive. So it gives each new document the
//! assignment one run over archive and new documents gives it when one run would visit the
//! archive first: with [`Keep::First`](crate::Keep::First) when the archive came first in
//! the input, with [`Keep::Earliest`](crate::Keep::Earliest) when no new document is dated
//! before the archive's last date (and the archive holds no undated document, which one run
//! visits last). A late-arriving article dated before the archive's last date is compared
//! with the archive as if it came after it: it is a copy of an archived story it copies, but
//! an archived copy of it stays the archive's kept copy. With
//! [`Keep::Longest`](crate::Keep::Longest) the archive's kept copies stay kept whatever their
//! length.
//!
//! # Read in place
//!
//! A run reads the index in one pass, in order, and keeps only what its own documents touch:
//! the bucket tails of its band hashes, the archived documents with its bodies, keys and
//! subjects, and the fingerprints of those that are candidates. Memory is that of the new
//! documents plus what they touch (and 8 bytes per archived record, to fetch them); the
//! archive's pages are read, never held.
//!
//! # On disk
//!
//! `corpus-dedup index\n`, the version (u32), then one segment per generation: its records
//! (in visiting order) and the paths its kept copies were read from; then a trailer (the
//! options, the generation, the counts, the date range, each segment's place, count and
//! checksum), its length, its checksum and `\nidx-end`. An update copies the previous
//! generation's segments into a new file beside it, appends the new documents' segment and a
//! new trailer, and renames the new file over the old one ([`IndexLock`]): a reader keeps
//! reading the generation it opened, an interrupted update leaves the previous index whole,
//! and a lock file (`NAME.lock`) refuses a second writer. Every segment is checked against its
//! checksum as it is read, so a corrupt index is an error, never a silent mismatch.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use corpus_core::Date;
use corpus_core::part::{Get, PartError, Put};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::DedupOptions;

mod against;
mod compact;
mod options;
mod record;
mod write;

use self::options::{differences, get_options, put_options};

pub(crate) use self::against::{ArchiveRead, Archived, Tracked, against};
pub use self::write::IndexLock;

/// The version of the index's form; another is refused ([`IndexError::Version`]).
pub const INDEX_VERSION: u32 = 2;

const MAGIC: &[u8; 19] = b"corpus-dedup index\n";
const HEADER: u64 = MAGIC.len() as u64 + 4;
const END: &[u8; 8] = b"\nidx-end";
/// The trailer's length, checksum and end mark.
const FOOTER: u64 = 8 + 8 + END.len() as u64;

/// Why an index cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The index.
        path: PathBuf,
        /// What failed.
        source: io::Error,
    },
    /// The file is not an index.
    #[error("{0}: not a corpus dedup index")]
    NotAnIndex(PathBuf),
    /// An index of another version of the form.
    #[error("{path}: index version {found}; this build reads version {expected}")]
    Version {
        /// The index.
        path: PathBuf,
        /// The version the file says it is.
        found: u32,
        /// The version this build reads.
        expected: u32,
    },
    /// The file ends before the index does (an interrupted copy).
    #[error("{0}: truncated: the file ends before the index does")]
    Truncated(PathBuf),
    /// The bytes do not match their checksum, or do not parse.
    #[error("{path}: corrupt: {why}")]
    Corrupt {
        /// The index.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
    /// The index was made with other options than the run's.
    #[error("{path}: made with other options than these: {differ}")]
    Options {
        /// The index.
        path: PathBuf,
        /// The options that differ, as `name: index's value, run's value`.
        differ: String,
    },
    /// Another process is updating the index.
    #[error("{path}: another process is updating it (it holds {lock}); try again when it ends")]
    Locked {
        /// The index.
        path: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },
    /// The deduplication was not made against this index, or kept no fingerprints to write.
    #[error("{path}: {why}")]
    Mismatch {
        /// The index.
        path: PathBuf,
        /// What does not match.
        why: &'static str,
    },
}

impl IndexError {
    fn io(path: &Path, source: io::Error) -> IndexError {
        IndexError::Io {
            path: path.to_owned(),
            source,
        }
    }

    fn corrupt(path: &Path, why: impl std::fmt::Display) -> IndexError {
        IndexError::Corrupt {
            path: path.to_owned(),
            why: why.to_string(),
        }
    }

    fn part(path: &Path, e: PartError) -> IndexError {
        match e {
            PartError::Io(e) => IndexError::io(path, e),
            PartError::Corrupt(why) => IndexError::corrupt(path, why),
            other => IndexError::corrupt(path, other),
        }
    }
}

/// One generation's documents: where its bytes are, how many records and documents it holds,
/// and the checksum of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segment {
    pub(crate) offset: u64,
    pub(crate) records_len: u64,
    pub(crate) paths_len: u64,
    pub(crate) records: u64,
    pub(crate) documents: u64,
    pub(crate) checksum: u64,
}

impl Segment {
    fn end(&self) -> u64 {
        self.offset + self.records_len + self.paths_len
    }
}

/// What an index holds, from its trailer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct IndexInfo {
    /// How many updates wrote it (1 for a new index).
    pub generation: u64,
    /// Documents deduplicated into it, copies included.
    pub documents: u64,
    /// Of which kept.
    pub kept: u64,
    /// Records stored: kept copies, near copies (their bands) and the first of each body.
    pub records: u64,
    /// The earliest and latest dates of its documents.
    pub first_date: Option<Date>,
    /// The latest date.
    pub last_date: Option<Date>,
    /// Documents without a date.
    pub undated: u64,
    /// Its size on disk, in bytes.
    pub bytes: u64,
    /// Generations kept as segments of their own.
    pub segments: usize,
    /// The options it was made with.
    pub options: DedupOptions,
    /// The metadata field its kept copies are also named by (the outlet, the source), when
    /// the run that made it named one ([`Deduplicator::labelled`](crate::Deduplicator::labelled)).
    pub label_field: Option<String>,
}

/// What each part of an index's records costs on disk, in bytes ([`Index::verify`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct IndexParts {
    /// Records read.
    pub records: u64,
    /// Each record's length, flags, reason, kept copy and date.
    pub headers: u64,
    /// Body hashes, keys and subjects.
    pub hashes: u64,
    /// Headline words and tickers, facts and openings (kept copies, the first of each body).
    pub facts: u64,
    /// MinHash signatures, leads' signatures, shingles, word and shingle counts (kept copies).
    pub signatures: u64,
    /// Ids, path numbers, lines, input numbers and field values (kept copies).
    pub identities: u64,
    /// Near copies' band hashes.
    pub bands: u64,
    /// The paths kept copies were read from, once per segment.
    pub paths: u64,
}

impl IndexParts {
    fn add(&mut self, r: &record::Record, len: u64) {
        use record::{FIRST, KEPT, SHINGLES};
        let list = |n: usize, size: u64| var_len(n as u64) + n as u64 * size;
        let f = &r.fp;
        let total = len + var_len(len);
        let mut hashes = 0;
        if r.flags & (KEPT | FIRST | record::BUCKETED) != 0 {
            hashes += 16;
        }
        hashes += 16 * u64::from(f.key.is_some()) + 8 * u64::from(f.subject.is_some());
        let mut facts = 0;
        if r.flags & (KEPT | FIRST) != 0 {
            facts += list(f.title.len(), 4)
                + 8 * u64::from(f.ticker.is_some())
                + list(f.facts.len(), 8)
                + 4 * crate::facts::OPENING as u64;
        }
        let (mut signatures, mut identities) = (0, 0);
        if r.flags & KEPT != 0 {
            signatures += var_len(f.words)
                + var_len(u64::from(f.distinct_shingles))
                + list(f.signature.len(), 4)
                + list(f.lead.len(), 4);
            if r.flags & SHINGLES != 0 {
                signatures += list(f.shingles.as_deref().map_or(0, <[u64]>::len), 8);
            }
            identities += list(r.id.len(), 1)
                + var_len(u64::from(r.path))
                + var_len(r.line.map_or(0, |l| l + 1))
                + var_len(r.number)
                + r.label
                    .as_ref()
                    .map_or(1, |l| var_len(l.len() as u64 + 1) + l.len() as u64);
        }
        let bands = if r.flags & KEPT == 0 && r.flags & record::BUCKETED != 0 {
            list(r.bands.len(), 8)
        } else {
            0
        };
        self.hashes += hashes;
        self.facts += facts;
        self.signatures += signatures;
        self.identities += identities;
        self.bands += bands;
        self.headers += total - hashes - facts - signatures - identities - bands;
    }
}

/// How many bytes [`Put::var`] takes for `v`.
fn var_len(v: u64) -> u64 {
    u64::from((64 - v.max(1).leading_zeros()).div_ceil(7))
}

/// An index opened for reading: see the [module docs](self).
#[derive(Debug)]
pub struct Index {
    path: PathBuf,
    file: File,
    info: IndexInfo,
    segments: Vec<Segment>,
}

impl Index {
    /// Opens an index: checks its form, version and trailer (not yet every segment's
    /// checksum, which each read checks: see [`Index::verify`]).
    pub fn open(path: impl AsRef<Path>) -> Result<Index, IndexError> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| IndexError::io(path, e))?;
        let len = file.metadata().map_err(|e| IndexError::io(path, e))?.len();
        let mut head = [0u8; HEADER as usize];
        let got = read_up_to(&file, 0, &mut head).map_err(|e| IndexError::io(path, e))?;
        if got < MAGIC.len() || head[..MAGIC.len()] != MAGIC[..] {
            return Err(IndexError::NotAnIndex(path.to_owned()));
        }
        if got < head.len() {
            return Err(IndexError::Truncated(path.to_owned()));
        }
        let version = u32::from_le_bytes([head[19], head[20], head[21], head[22]]);
        if version != INDEX_VERSION {
            return Err(IndexError::Version {
                path: path.to_owned(),
                found: version,
                expected: INDEX_VERSION,
            });
        }
        if len < HEADER + FOOTER {
            return Err(IndexError::Truncated(path.to_owned()));
        }
        let mut foot = [0u8; FOOTER as usize];
        read_exact_at(&file, len - FOOTER, &mut foot).map_err(|e| IndexError::io(path, e))?;
        if foot[16..] != END[..] {
            return Err(IndexError::Truncated(path.to_owned()));
        }
        let trailer_len = u64::from_le_bytes(foot[..8].try_into().unwrap_or_default());
        let sum = u64::from_le_bytes(foot[8..16].try_into().unwrap_or_default());
        if trailer_len > len - HEADER - FOOTER {
            return Err(IndexError::corrupt(
                path,
                "its trailer's length is past its start",
            ));
        }
        let mut trailer = vec![0u8; trailer_len as usize];
        let at = len - FOOTER - trailer_len;
        read_exact_at(&file, at, &mut trailer).map_err(|e| IndexError::io(path, e))?;
        if xxh3_64(&trailer) != sum {
            return Err(IndexError::corrupt(
                path,
                "its trailer does not match its checksum",
            ));
        }
        let (mut info, segments) = read_trailer(&trailer).map_err(|e| IndexError::part(path, e))?;
        info.bytes = len;
        // The segments follow each other from the header to the trailer.
        let mut next = HEADER;
        for s in &segments {
            if s.offset != next {
                return Err(IndexError::corrupt(
                    path,
                    "its segments do not follow each other",
                ));
            }
            next = s.end();
        }
        if next != at {
            return Err(IndexError::corrupt(
                path,
                "its segments do not end at its trailer",
            ));
        }
        Ok(Index {
            path: path.to_owned(),
            file,
            info,
            segments,
        })
    }

    /// Where it was opened.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What it holds, from its trailer.
    pub fn info(&self) -> &IndexInfo {
        &self.info
    }

    /// The options it was made with: a run against it must use them.
    pub fn options(&self) -> &DedupOptions {
        &self.info.options
    }

    /// Checks that `options` are the index's: the error names each that differs.
    pub fn check_options(&self, options: &DedupOptions) -> Result<(), IndexError> {
        let differ = differences(&self.info.options, options);
        if differ.is_empty() {
            Ok(())
        } else {
            Err(IndexError::Options {
                path: self.path.clone(),
                differ,
            })
        }
    }

    /// Reads every record, checking every segment's checksum and every record's form: what a
    /// run reads, to the last byte. Returns what each part of the records costs on disk.
    pub fn verify(&self) -> Result<IndexParts, IndexError> {
        let mut parts = IndexParts::default();
        self.scan(|batch| {
            for &(_, _, body) in batch {
                let r = record::Record::get(body)?;
                if r.leader_back > parts.records {
                    return Err(PartError::Corrupt(
                        "a record's kept copy is before the first",
                    ));
                }
                parts.records += 1;
                parts.add(&r, body.len() as u64);
            }
            Ok(())
        })?;
        for (s, seg) in self.segments.iter().enumerate() {
            self.paths(s)?;
            parts.paths += seg.paths_len;
        }
        if parts.records != self.info.records {
            return Err(IndexError::corrupt(
                &self.path,
                format!(
                    "{} records, the trailer says {}",
                    parts.records, self.info.records
                ),
            ));
        }
        Ok(parts)
    }

    /// Calls `each` for every record in order, `(seq, offset, body)`, as batches of the
    /// records that one read of a few megabytes holds (so that a caller can look at a batch's
    /// records in parallel; the next read runs meanwhile), checking every segment against its
    /// checksum as it goes: an error at the end of a segment whose bytes do not match, before
    /// anything read from it is used in the caller's result.
    pub(crate) fn scan(
        &self,
        mut each: impl FnMut(&[(u64, u64, &[u8])]) -> Result<(), PartError> + Send,
    ) -> Result<(), IndexError> {
        const CHUNK: usize = 1 << 21;
        let io = |e: io::Error| IndexError::io(&self.path, e);
        let mut seq = 0u64;
        for s in &self.segments {
            let mut hasher = Xxh3::new();
            let mut file = &self.file;
            file.seek(SeekFrom::Start(s.offset)).map_err(io)?;
            let mut reader = file.take(s.records_len);
            let read = |reader: &mut io::Take<&File>| -> io::Result<Vec<u8>> {
                let mut raw = vec![0u8; CHUNK];
                let got = read_some(reader, &mut raw)?;
                raw.truncate(got);
                Ok(raw)
            };
            // `buf` holds whole records from its start and the beginning of the next; `base`
            // is the file offset of `buf[0]`.
            let mut buf = read(&mut reader).map_err(io)?;
            hasher.update(&buf);
            let mut base = s.offset;
            let mut records = 0u64;
            loop {
                let mut spans: Vec<(u64, u64, usize, usize)> = Vec::new();
                let mut start = 0usize;
                loop {
                    let mut g = Get::new(&buf[start..]);
                    let Ok(len) = g.var() else { break };
                    let head = buf.len() - start - g.rest().len();
                    let Some(end) = usize::try_from(len)
                        .ok()
                        .and_then(|l| (start + head).checked_add(l))
                        .filter(|&e| e <= buf.len())
                    else {
                        break;
                    };
                    spans.push((seq, base + start as u64, start + head, end));
                    seq += 1;
                    records += 1;
                    start = end;
                }
                let batch: Vec<(u64, u64, &[u8])> = spans
                    .iter()
                    .map(|&(q, o, a, b)| (q, o, &buf[a..b]))
                    .collect();
                let (done, next) = both(|| each(&batch), || read(&mut reader));
                done.map_err(|e| IndexError::part(&self.path, e))?;
                let next = next.map_err(io)?;
                hasher.update(&next);
                if next.is_empty() {
                    if start != buf.len() {
                        return Err(IndexError::corrupt(
                            &self.path,
                            "a segment ends inside a record",
                        ));
                    }
                    break;
                }
                let mut joined = Vec::with_capacity(buf.len() - start + next.len());
                joined.extend_from_slice(&buf[start..]);
                joined.extend_from_slice(&next);
                buf = joined;
                base += start as u64;
            }
            let mut paths = vec![0u8; 0];
            let mut file = &self.file;
            file.seek(SeekFrom::Start(s.offset + s.records_len))
                .map_err(io)?;
            file.take(s.paths_len).read_to_end(&mut paths).map_err(io)?;
            hasher.update(&paths);
            if hasher.digest() != s.checksum {
                return Err(IndexError::corrupt(
                    &self.path,
                    "a segment does not match its checksum",
                ));
            }
            if records != s.records {
                return Err(IndexError::corrupt(
                    &self.path,
                    "a segment holds other records than its trailer says",
                ));
            }
        }
        Ok(())
    }

    /// The record at `offset` (as [`Index::scan`] gave it).
    pub(crate) fn record_at(&self, offset: u64) -> Result<record::Record, IndexError> {
        let mut head = [0u8; 10];
        let got =
            read_up_to(&self.file, offset, &mut head).map_err(|e| IndexError::io(&self.path, e))?;
        let mut g = Get::new(&head[..got]);
        let len = g.var().map_err(|e| IndexError::part(&self.path, e))?;
        let skip = (got - g.rest().len()) as u64;
        let mut body = vec![0u8; usize::try_from(len).unwrap_or(usize::MAX).min(1 << 30)];
        read_exact_at(&self.file, offset + skip, &mut body)
            .map_err(|e| IndexError::io(&self.path, e))?;
        record::Record::get(&body).map_err(|e| IndexError::part(&self.path, e))
    }

    /// The segment that holds record `seq`, and its first record's number.
    pub(crate) fn segment_of(&self, seq: u64) -> (usize, u64) {
        let mut first = 0;
        for (i, s) in self.segments.iter().enumerate() {
            if seq < first + s.records {
                return (i, first);
            }
            first += s.records;
        }
        (self.segments.len().saturating_sub(1), first)
    }

    /// The paths of segment `s`'s kept copies.
    pub(crate) fn paths(&self, s: usize) -> Result<Vec<String>, IndexError> {
        let seg = &self.segments[s];
        let mut bytes = vec![0u8; usize::try_from(seg.paths_len).unwrap_or(0)];
        read_exact_at(&self.file, seg.offset + seg.records_len, &mut bytes)
            .map_err(|e| IndexError::io(&self.path, e))?;
        read_paths(&bytes).map_err(|e| IndexError::part(&self.path, e))
    }
}

/// The paths of a segment: each as the length of what it shares with the one before, and the
/// rest.
fn read_paths(bytes: &[u8]) -> Result<Vec<String>, PartError> {
    let mut g = Get::new(bytes);
    let n = g.var_len(2)?;
    let mut paths: Vec<String> = Vec::with_capacity(n);
    let mut before: Vec<u8> = Vec::new();
    for _ in 0..n {
        let shared = usize::try_from(g.var()?).unwrap_or(usize::MAX);
        let rest = g.var_len(1)?;
        if shared > before.len() {
            return Err(PartError::Corrupt(
                "a path shares more than the one before has",
            ));
        }
        before.truncate(shared);
        before.extend_from_slice(&g.rest()[..rest]);
        g.skip(rest)?;
        let path =
            std::str::from_utf8(&before).map_err(|_| PartError::Corrupt("a path is not UTF-8"))?;
        paths.push(path.to_owned());
    }
    g.end()?;
    Ok(paths)
}

/// Runs `a` and `b`, at once on the caller's thread pool when there is one.
fn both<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    #[cfg(feature = "rayon")]
    {
        rayon::join(a, b)
    }
    #[cfg(not(feature = "rayon"))]
    {
        (a(), b())
    }
}

/// Reads until `buf` is full or the input ends; how many bytes were read.
fn read_some(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn read_up_to(mut file: &File, at: u64, buf: &mut [u8]) -> io::Result<usize> {
    file.seek(SeekFrom::Start(at))?;
    read_some(&mut file, buf)
}

fn read_exact_at(mut file: &File, at: u64, buf: &mut [u8]) -> io::Result<()> {
    file.seek(SeekFrom::Start(at))?;
    file.read_exact(buf)
}

fn put_trailer(p: &mut Put, info: &IndexInfo, segments: &[Segment]) {
    put_options(p, &info.options);
    p.str(info.label_field.as_deref().unwrap_or_default());
    p.u64(info.generation);
    p.u64(info.documents);
    p.u64(info.kept);
    p.u64(info.records);
    p.u32(record::dense(info.first_date) as u32);
    p.u32(record::dense(info.last_date) as u32);
    p.u64(info.undated);
    p.u64(segments.len() as u64);
    for s in segments {
        p.u64(s.offset);
        p.u64(s.records_len);
        p.u64(s.paths_len);
        p.u64(s.records);
        p.u64(s.documents);
        p.u64(s.checksum);
    }
}

fn read_trailer(bytes: &[u8]) -> Result<(IndexInfo, Vec<Segment>), PartError> {
    let mut g = Get::new(bytes);
    let options = get_options(&mut g)?;
    let label_field = Some(g.str()?.to_owned()).filter(|f| !f.is_empty());
    let generation = g.u64()?;
    let documents = g.u64()?;
    let kept = g.u64()?;
    let records = g.u64()?;
    let first_date = record::undense(g.u32()? as i32)?;
    let last_date = record::undense(g.u32()? as i32)?;
    let undated = g.u64()?;
    let n = g.len(48)?;
    let segments = (0..n)
        .map(|_| {
            Ok(Segment {
                offset: g.u64()?,
                records_len: g.u64()?,
                paths_len: g.u64()?,
                records: g.u64()?,
                documents: g.u64()?,
                checksum: g.u64()?,
            })
        })
        .collect::<Result<Vec<_>, PartError>>()?;
    g.end()?;
    if segments.iter().map(|s| s.records).sum::<u64>() != records {
        return Err(PartError::Corrupt(
            "its segments hold other records than it says",
        ));
    }
    Ok((
        IndexInfo {
            generation,
            documents,
            kept,
            records,
            first_date,
            last_date,
            undated,
            bytes: 0,
            segments: segments.len(),
            options,
            label_field,
        },
        segments,
    ))
}

#[cfg(test)]
mod tests;
