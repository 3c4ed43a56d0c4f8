//! Part-files: an accumulator written out whole, to be read back and merged elsewhere (another
//! process, another machine, a later run), with the same result as one accumulator that
//! counted everything.
//!
//! The form is versioned ([`PART_VERSION`]) and checked: a magic line, the version, a hash of
//! the options (a part counted with other stop words or groups cannot be merged), the length of
//! the payload, the payload, and a checksum of it, so a truncated or corrupt part is an error,
//! never a silently smaller count. All integers are little-endian; the payload lists every
//! table in a sorted order, so the same counts make the same bytes at any thread count.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::Arc;

use corpus_core::Date;

use crate::stats::DayCount;
use crate::vocabulary::{pair, unpair};
use crate::{CorpusStats, Counts, GroupBy, StatsOptions};

/// The version of the part-file form written by [`CorpusStats::write_part`]; a part of
/// another version is refused ([`PartError::Version`]).
pub const PART_VERSION: u32 = 1;

/// The first bytes of every part-file.
const MAGIC: &[u8; 18] = b"corpus-stats part\n";

/// Why a part-file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PartError {
    /// Reading failed.
    #[error("cannot read the part: {0}")]
    Io(#[from] io::Error),
    /// The bytes do not start as a part-file does.
    #[error("not a corpus-stats part-file")]
    NotAPart,
    /// A part-file of another version.
    #[error("part-file version {found}, this build reads version {PART_VERSION}")]
    Version {
        /// The version the file says it is.
        found: u32,
    },
    /// The part was counted with other options (stop words, grouping).
    #[error("the part was counted with other options (stop words or grouping) than these")]
    Options,
    /// The file ends before the part does.
    #[error("truncated: the part ends before its {expected} bytes")]
    Truncated {
        /// The payload's length, as the header gives it.
        expected: u64,
    },
    /// The payload does not match its checksum, or does not parse.
    #[error("corrupt: {0}")]
    Corrupt(&'static str),
    /// The part's vocabulary does not fit in memory.
    #[error(transparent)]
    OutOfMemory(#[from] crate::OutOfMemory),
}

impl CorpusStats {
    /// Writes the accumulator as a part-file (see [the crate docs](crate#part-files)): every
    /// count, so that [`CorpusStats::read_part`] and [`CorpusStats::merge`] give exactly what
    /// one accumulator would have.
    pub fn write_part(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut p = Vec::new();
        put_counts(&mut p, &self.counts);
        put(&mut p, self.rejected);
        put(&mut p, self.warnings);
        put(&mut p, self.words_per_document.len() as u64);
        for (&words, &documents) in &self.words_per_document {
            put(&mut p, words);
            put(&mut p, documents);
        }
        put(&mut p, self.days.len() as u64);
        for (date, day) in &self.days {
            put(&mut p, date.days() as u64);
            put(&mut p, day.documents);
            put(&mut p, day.words);
        }
        // Terms sorted by text; bigrams by those positions.
        let mut terms: Vec<(usize, &str, crate::vocabulary::TermCount)> = self
            .terms
            .iter()
            .enumerate()
            .map(|(i, (word, t))| (i, word, t))
            .collect();
        terms.sort_unstable_by(|a, b| a.1.cmp(b.1));
        let mut position = vec![0u64; terms.len()];
        put(&mut p, terms.len() as u64);
        for (at, (index, word, t)) in terms.iter().enumerate() {
            position[*index] = at as u64;
            put_str(&mut p, word);
            put(&mut p, t.count);
            put(&mut p, t.documents);
            p.push(u8::from(t.stop));
        }
        let mut bigrams: Vec<(u64, u64, u64)> = self
            .bigrams
            .iter()
            .map(|(key, n)| {
                let (a, b) = unpair(key);
                (position[a], position[b], n)
            })
            .collect();
        bigrams.sort_unstable();
        put(&mut p, bigrams.len() as u64);
        for (a, b, n) in bigrams {
            put(&mut p, a);
            put(&mut p, b);
            put(&mut p, n);
        }
        for names in [&self.related, &self.credits] {
            let mut sorted: Vec<(&str, u64)> = names.iter().map(|(k, v)| (&**k, *v)).collect();
            sorted.sort_unstable();
            put(&mut p, sorted.len() as u64);
            for (name, n) in sorted {
                put_str(&mut p, name);
                put(&mut p, n);
            }
        }
        put(&mut p, self.groups.len() as u64);
        for (group, counts) in &self.groups {
            put_str(&mut p, group);
            put_counts(&mut p, counts);
        }
        out.write_all(MAGIC)?;
        out.write_all(&PART_VERSION.to_le_bytes())?;
        out.write_all(&options_hash(&self.options).to_le_bytes())?;
        out.write_all(&(p.len() as u64).to_le_bytes())?;
        out.write_all(&p)?;
        out.write_all(&checksum(&p).to_le_bytes())?;
        Ok(())
    }

    /// Reads a part-file written by [`CorpusStats::write_part`] with the same `options`, to
    /// merge with others.
    pub fn read_part(
        input: &mut dyn Read,
        options: StatsOptions,
    ) -> Result<CorpusStats, PartError> {
        let mut magic = [0u8; MAGIC.len()];
        read_exact(input, &mut magic).map_err(|_| PartError::NotAPart)?;
        if &magic != MAGIC {
            return Err(PartError::NotAPart);
        }
        let mut header = [0u8; 20];
        read_exact(input, &mut header).map_err(|_| PartError::NotAPart)?;
        let version = u32::from_le_bytes(header[..4].try_into().unwrap_or_default());
        if version != PART_VERSION {
            return Err(PartError::Version { found: version });
        }
        let hash = u64::from_le_bytes(header[4..12].try_into().unwrap_or_default());
        if hash != options_hash(&options) {
            return Err(PartError::Options);
        }
        let expected = u64::from_le_bytes(header[12..20].try_into().unwrap_or_default());
        // Read what there is, never more than the header says: a corrupt length costs no
        // memory it cannot find in the file.
        let mut payload = Vec::new();
        input
            .take(expected.saturating_add(8))
            .read_to_end(&mut payload)?;
        if (payload.len() as u64) < expected.saturating_add(8) {
            return Err(PartError::Truncated { expected });
        }
        let sum = payload.split_off(payload.len() - 8);
        if checksum(&payload).to_le_bytes() != sum[..] {
            return Err(PartError::Corrupt("the checksum does not match"));
        }
        let mut stats = CorpusStats::with_shared_options(Arc::new(options));
        let mut r = Reader(&payload);
        stats.counts = r.counts()?;
        stats.rejected = r.u64()?;
        stats.warnings = r.u64()?;
        for _ in 0..r.len()? {
            let (words, documents) = (r.u64()?, r.u64()?);
            stats.words_per_document.insert(words, documents);
        }
        for _ in 0..r.len()? {
            let date = Date::from_days(r.u64()? as i64)
                .ok_or(PartError::Corrupt("a date out of range"))?;
            let day = DayCount {
                documents: r.u64()?,
                words: r.u64()?,
            };
            stats.days.insert(date, day);
        }
        let n = r.len()?;
        let mut index = Vec::with_capacity(n);
        for _ in 0..n {
            let word = r.str()?;
            let (count, documents, stop) = (r.u64()?, r.u64()?, r.byte()? != 0);
            index.push(stats.terms.insert_counted(word, count, documents, stop)?);
        }
        let term = |at: u64| {
            index
                .get(at as usize)
                .copied()
                .ok_or(PartError::Corrupt("a bigram of no term"))
        };
        for _ in 0..r.len()? {
            let (a, b, n) = (term(r.u64()?)?, term(r.u64()?)?, r.u64()?);
            stats.bigrams.add(pair(a, b), n)?;
        }
        for names in [&mut stats.related, &mut stats.credits] {
            for _ in 0..r.len()? {
                let name = r.str()?.into();
                names.insert(name, r.u64()?);
            }
        }
        let mut groups = BTreeMap::new();
        for _ in 0..r.len()? {
            let group = r.str()?.to_owned();
            groups.insert(group, r.counts()?);
        }
        stats.groups = groups;
        if !r.0.is_empty() {
            return Err(PartError::Corrupt("bytes after the last table"));
        }
        Ok(stats)
    }
}

fn read_exact(input: &mut dyn Read, buf: &mut [u8]) -> io::Result<()> {
    input.read_exact(buf)
}

fn put(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_counts(out: &mut Vec<u8>, c: &Counts) {
    for v in [
        c.documents,
        c.bytes,
        c.characters,
        c.words,
        c.sentences,
        c.paragraphs,
        c.headings,
        c.related_links,
        c.image_credits,
        c.undated,
    ] {
        put(out, v);
    }
}

/// The payload, read from the front.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], PartError> {
        if self.0.len() < n {
            return Err(PartError::Corrupt("a table runs past the end"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u64(&mut self) -> Result<u64, PartError> {
        let bytes = self.take(8)?;
        Ok(u64::from_le_bytes(bytes.try_into().unwrap_or_default()))
    }

    fn byte(&mut self) -> Result<u8, PartError> {
        Ok(self.take(1)?[0])
    }

    /// A count of entries, each of at least one byte: never more than the bytes left.
    fn len(&mut self) -> Result<usize, PartError> {
        let n = self.u64()?;
        if n > self.0.len() as u64 {
            return Err(PartError::Corrupt("a table longer than the part"));
        }
        Ok(n as usize)
    }

    fn str(&mut self) -> Result<&'a str, PartError> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).map_err(|_| PartError::Corrupt("text that is not UTF-8"))
    }

    fn counts(&mut self) -> Result<Counts, PartError> {
        Ok(Counts {
            documents: self.u64()?,
            bytes: self.u64()?,
            characters: self.u64()?,
            words: self.u64()?,
            sentences: self.u64()?,
            paragraphs: self.u64()?,
            headings: self.u64()?,
            related_links: self.u64()?,
            image_credits: self.u64()?,
            undated: self.u64()?,
        })
    }
}

/// A hash of what the options change in the counts: the stop words and the grouping.
fn options_hash(options: &StatsOptions) -> u64 {
    let mut text = String::new();
    for w in options.stopwords.sorted() {
        text.push_str(w);
        text.push('\n');
    }
    text.push_str(match &options.group_by {
        None => "group none",
        Some(GroupBy::Year) => "group year",
        Some(GroupBy::Month) => "group month",
        Some(GroupBy::Meta(_)) => "group meta ",
    });
    if let Some(GroupBy::Meta(field)) = &options.group_by {
        text.push_str(field);
    }
    checksum(text.as_bytes())
}

/// FNV-1a over 64 bits, eight bytes at a time folded in by a multiply: a checksum against
/// truncation and corruption (not against tampering).
fn checksum(bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01B3;
    let mut h = 0xCBF2_9CE4_8422_2325u64 ^ bytes.len() as u64;
    let chunks = bytes.chunks_exact(8);
    let tail = chunks.remainder();
    for c in chunks {
        h = (h ^ u64::from_le_bytes(c.try_into().unwrap_or_default())).wrapping_mul(PRIME);
        h ^= h >> 29;
    }
    for &b in tail {
        h = (h ^ u64::from(b)).wrapping_mul(PRIME);
    }
    h
}
