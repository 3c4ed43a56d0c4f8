//! One archived document's record: what later runs need of it, in as few bytes as it takes.
//!
//! A record starts with its length (so a scan skips what it does not read), then a byte of
//! flags, the reason it was grouped, its kept copy (as how many records back), its date, and
//! what its flags say it has:
//!
//! | part | bytes | who has it |
//! | --- | ---: | --- |
//! | length, flags, reason, kept copy, date | 4 + 1-5 | every record |
//! | body hash | 16 | every record but a key's |
//! | key | 16 | with `--key`, the documents that remember theirs |
//! | subject | 8 | kept copies a rewrite can find by their subject |
//! | headline words, ticker | 1 + 4 a word, 8 | the first of a body, kept copies |
//! | words, shingles, MinHash signature, lead, facts, opening | 2-6 + 4 a bin (512 at 128) + 64 + 8 a fact + 16 | kept copies |
//! | id, path, line, number in the input | its length + 3-10 | kept copies |
//! | band hashes | 8 a band (400 with the news preset) | near copies and rewrites, which stay in their buckets |
//!
//! A near copy's bands are kept, not its signature: it is never a candidate again, but it
//! holds its place in the buckets a later document is compared with ([`crate::cluster`]
//! scans the last 64 of each). A body's first document need not keep its signature: a later
//! identical body has the same one (its normalised text is the same), but not always the same
//! facts (they read capitals), so those are kept.

use corpus_core::Date;
use corpus_core::part::{Get, PartError, Put};

use crate::facts::OPENING;
use crate::{Fingerprint, Reason};

/// Kept: a cluster's kept copy, with its whole fingerprint and where it was read.
pub(crate) const KEPT: u8 = 1;
/// In the buckets: it could be kept when it was visited (kept, near copy or rewrite).
pub(crate) const BUCKETED: u8 = 2;
/// The first document visited with its body.
pub(crate) const FIRST: u8 = 4;
/// Among its subject's kept copies.
pub(crate) const SUBJECT: u8 = 8;
/// It remembered its key for later key copies.
pub(crate) const KEY: u8 = 16;
/// Its headline has a stock ticker.
pub(crate) const TICKER: u8 = 32;
/// Its fingerprint has its shingles (with exact verification).
pub(crate) const SHINGLES: u8 = 64;
/// A kept copy compacted out of the window ([`crate::Index::compact`]): it keeps what finds
/// its exact copies and where it was read, not its signature (a later identical body has the
/// same one).
pub(crate) const COMPACT: u8 = 128;

/// The dense date of an undated record.
pub(crate) const UNDATED: i32 = i32::MIN;

/// What one archived document left: see the module docs. `fp` holds the parts of the
/// fingerprint its flags say it has (a body's first document: its headline, facts and
/// opening; a kept copy: all).
#[derive(Debug, Clone, Default)]
pub(crate) struct Record {
    pub(crate) flags: u8,
    pub(crate) reason: u8,
    /// How many records back its kept copy is (0: itself).
    pub(crate) leader_back: u64,
    pub(crate) fp: Fingerprint,
    /// Kept copies: where it was read.
    pub(crate) id: String,
    pub(crate) path: u32,
    pub(crate) line: Option<u64>,
    /// Kept copies: its number among every document the index was fed (its place in one
    /// run's input, with the archive first).
    pub(crate) number: u64,
    /// Kept copies: their value of the index's label field.
    pub(crate) label: Option<String>,
    /// Near copies: their band hashes.
    pub(crate) bands: Box<[u64]>,
}

pub(crate) fn reason_code(r: Reason) -> u8 {
    match r {
        Reason::Kept => 0,
        Reason::Exact => 1,
        Reason::Key => 2,
        Reason::Near => 3,
        Reason::Rewrite => 4,
    }
}

pub(crate) fn reason_of(code: u8) -> Result<Reason, PartError> {
    Ok(match code {
        0 => Reason::Kept,
        1 => Reason::Exact,
        2 => Reason::Key,
        3 => Reason::Near,
        4 => Reason::Rewrite,
        _ => return Err(PartError::Corrupt("an unknown reason")),
    })
}

pub(crate) fn dense(date: Option<Date>) -> i32 {
    date.and_then(|d| i32::try_from(d.days()).ok())
        .unwrap_or(UNDATED)
}

pub(crate) fn undense(days: i32) -> Result<Option<Date>, PartError> {
    if days == UNDATED {
        return Ok(None);
    }
    Date::from_days(i64::from(days))
        .map(Some)
        .ok_or(PartError::Corrupt("a date is out of range"))
}

impl Record {
    /// Appends the record, its length first, to `out`; `body` is scratch space.
    pub(crate) fn put(&self, out: &mut Put, body: &mut Put) {
        body.clear();
        let (b, f) = (body, &self.fp);
        b.u8(self.flags);
        b.u8(self.reason);
        b.var(self.leader_back);
        b.u32(dense(f.date) as u32);
        if self.flags & (KEPT | FIRST | BUCKETED) != 0 {
            b.u128(f.exact);
        }
        if self.flags & KEY != 0 {
            b.u128(f.key.unwrap_or(0));
        }
        if self.flags & SUBJECT != 0 {
            b.u64(f.subject.unwrap_or(0));
        }
        if self.flags & (KEPT | FIRST) != 0 {
            b.var_u32s(&f.title);
            if self.flags & TICKER != 0 {
                let [t, n] = f.ticker.unwrap_or_default();
                b.u32(t);
                b.u32(n);
            }
            b.var_u64s(&f.facts);
            f.opening.iter().for_each(|&o| b.u32(o));
        }
        if self.flags & KEPT != 0 {
            if self.flags & COMPACT == 0 {
                b.var(f.words);
                b.var(u64::from(f.distinct_shingles));
                b.var_u32s(&f.signature);
                b.var_u32s(&f.lead);
                if self.flags & SHINGLES != 0 {
                    b.var_u64s(f.shingles.as_deref().unwrap_or_default());
                }
            }
            b.var_str(&self.id);
            b.var(u64::from(self.path));
            b.var(self.line.map_or(0, |l| l.saturating_add(1)));
            b.var(self.number);
            // One byte when there is none: 0; else the length plus one, then the bytes.
            match &self.label {
                None => b.var(0),
                Some(l) => {
                    b.var(l.len() as u64 + 1);
                    b.extend(l.as_bytes());
                }
            }
        } else if self.flags & BUCKETED != 0 {
            b.var_u64s(&self.bands);
        }
        out.var(b.len() as u64);
        out.extend(b.as_bytes());
    }

    /// Reads one record's body (what follows its length).
    pub(crate) fn get(bytes: &[u8]) -> Result<Record, PartError> {
        let mut g = Get::new(bytes);
        let flags = g.u8()?;
        let reason = g.u8()?;
        reason_of(reason)?;
        let leader_back = g.var()?;
        let mut r = Record {
            flags,
            reason,
            leader_back,
            ..Record::default()
        };
        let f = &mut r.fp;
        f.date = undense(g.u32()? as i32)?;
        if flags & (KEPT | FIRST | BUCKETED) != 0 {
            f.exact = g.u128()?;
        }
        if flags & KEY != 0 {
            f.key = Some(g.u128()?);
        }
        if flags & SUBJECT != 0 {
            f.subject = Some(g.u64()?);
        }
        if flags & (KEPT | FIRST) != 0 {
            f.title = g.var_u32s()?;
            if flags & TICKER != 0 {
                f.ticker = Some([g.u32()?, g.u32()?]);
            }
            f.facts = g.var_u64s()?;
            for o in &mut f.opening {
                *o = g.u32()?;
            }
        }
        if flags & KEPT != 0 {
            if flags & COMPACT == 0 {
                f.words = g.var()?;
                f.distinct_shingles = u32::try_from(g.var()?)
                    .map_err(|_| PartError::Corrupt("a count of shingles is out of range"))?;
                f.signature = g.var_u32s()?;
                f.lead = g.var_u32s()?;
                if flags & SHINGLES != 0 {
                    f.shingles = Some(g.var_u64s()?);
                }
            }
            r.id = g.var_str()?.to_owned();
            r.path = u32::try_from(g.var()?)
                .map_err(|_| PartError::Corrupt("a path number is out of range"))?;
            r.line = g.var()?.checked_sub(1);
            r.number = g.var()?;
            r.label = match g.var()? {
                0 => None,
                n => {
                    let len = usize::try_from(n - 1)
                        .map_err(|_| PartError::Corrupt("a label is too long"))?;
                    let rest = g.rest();
                    g.skip(len)?;
                    let text = std::str::from_utf8(&rest[..len])
                        .map_err(|_| PartError::Corrupt("a label is not UTF-8"))?;
                    Some(text.to_owned())
                }
            };
        } else if flags & BUCKETED != 0 {
            r.bands = g.var_u64s()?;
        }
        g.end()?;
        Ok(r)
    }
}

/// The few parts of a record a scan reads, without copying its lists: see [`crate::index`].
pub(crate) struct Glance<'a> {
    pub(crate) flags: u8,
    pub(crate) leader_back: u64,
    /// The dense date ([`UNDATED`] for none).
    pub(crate) date: i32,
    pub(crate) exact: u128,
    pub(crate) key: Option<u128>,
    pub(crate) subject: Option<u64>,
    /// Kept copies: the signature and the lead's, as little-endian bytes.
    pub(crate) signature: &'a [u8],
    pub(crate) lead: &'a [u8],
    /// Near copies: their band hashes, as little-endian bytes.
    pub(crate) bands: &'a [u8],
}

impl<'a> Glance<'a> {
    /// The dense date of a record, from its body.
    pub(crate) fn date_of(bytes: &[u8]) -> Result<i32, PartError> {
        let mut g = Get::new(bytes);
        g.skip(2)?;
        g.var()?;
        Ok(g.u32()? as i32)
    }

    /// Reads what a scan needs of one record's body.
    pub(crate) fn of(bytes: &'a [u8]) -> Result<Glance<'a>, PartError> {
        let mut g = Get::new(bytes);
        let flags = g.u8()?;
        reason_of(g.u8()?)?;
        let leader_back = g.var()?;
        let date = g.u32()? as i32;
        let mut glance = Glance {
            flags,
            leader_back,
            date,
            exact: 0,
            key: None,
            subject: None,
            signature: &[],
            lead: &[],
            bands: &[],
        };
        if flags & (KEPT | FIRST | BUCKETED) != 0 {
            glance.exact = g.u128()?;
        }
        if flags & KEY != 0 {
            glance.key = Some(g.u128()?);
        }
        if flags & SUBJECT != 0 {
            glance.subject = Some(g.u64()?);
        }
        if flags & (KEPT | FIRST) != 0 {
            list(&mut g, 4)?;
            if flags & TICKER != 0 {
                g.skip(8)?;
            }
            list(&mut g, 8)?;
            g.skip(4 * OPENING)?;
        }
        if flags & KEPT != 0 {
            // A compacted kept copy is in no bucket: it has no signature to read.
            if flags & COMPACT == 0 {
                g.var()?;
                g.var()?;
                glance.signature = list(&mut g, 4)?;
                glance.lead = list(&mut g, 4)?;
            }
        } else if flags & BUCKETED != 0 {
            glance.bands = list(&mut g, 8)?;
        }
        Ok(glance)
    }
}

/// The bytes of a list of `size`-byte numbers written with its length first.
fn list<'a>(g: &mut Get<'a>, size: usize) -> Result<&'a [u8], PartError> {
    let n = g.var_len(size)?;
    let rest = g.rest();
    g.skip(n * size)?;
    Ok(&rest[..n * size])
}

/// Little-endian 32-bit numbers from their bytes.
pub(crate) fn words32(bytes: &[u8], into: &mut Vec<u32>) {
    into.clear();
    into.extend(
        bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
    );
}

/// Little-endian 64-bit numbers from their bytes.
pub(crate) fn words64(bytes: &[u8]) -> impl Iterator<Item = u64> + '_ {
    bytes.chunks_exact(8).map(|c| {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        u64::from_le_bytes(w)
    })
}
