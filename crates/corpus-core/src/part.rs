//! The envelope of every part-file (the statistics of a shard, a deduplication stage's
//! output): what one process writes for another to read back, on another machine or later.
//!
//! A part is a magic line naming the crate that wrote it, the kind of part, the version of its
//! form, a hash of the options it was made with, the payload's length, the payload, and the
//! payload's checksum (xxh3). So a part of another kind, version or options is refused by
//! name, and a truncated or corrupt one is an error, never a silently smaller result. All
//! integers are little-endian. [`Put`] and [`Get`] write and read a payload's numbers and
//! texts; [`OptionsHash`] hashes options field by field, so that a new option does not change
//! the hash of the others.

use std::io::{self, Read, Write};

use xxhash_rust::xxh3::xxh3_64;

use crate::Date;

/// The form of one kind of part: its magic line, its kind and its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Envelope {
    /// The first bytes of the file: `corpus-stats part\n`.
    pub magic: &'static [u8],
    /// What a part of this kind is called in errors (`statistics`, `pairs`).
    pub name: &'static str,
    /// The kind of part, among those one crate writes.
    pub kind: u32,
    /// The version of the payload's form.
    pub version: u32,
}

/// Why a part-file could not be read: the one error of every crate's parts.
#[derive(Debug)]
#[non_exhaustive]
pub enum PartError {
    /// Reading failed.
    Io(io::Error),
    /// The bytes do not start as a part of this kind does; the kind it is not (`statistics`,
    /// `shard`, `pairs`, `clusters`).
    NotAPart(&'static str),
    /// A part of another version of the form.
    Version {
        /// The version the file says it is.
        found: u32,
        /// The version this build reads.
        expected: u32,
    },
    /// The part was made with other options.
    Options,
    /// The file ends before the part does.
    Truncated {
        /// The payload's length, as the header gives it.
        expected: u64,
    },
    /// The payload does not match its checksum, or does not parse.
    Corrupt(&'static str),
    /// What the part holds does not fit in memory (a vocabulary's terms, say).
    OutOfMemory(String),
}

impl std::fmt::Display for PartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PartError::Io(e) => write!(f, "cannot read the part: {e}"),
            PartError::NotAPart(kind) => write!(f, "not a corpus {kind} part-file"),
            PartError::Version { found, expected } => {
                write!(
                    f,
                    "part-file version {found}, this build reads version {expected}"
                )
            }
            PartError::Options => f.write_str("the part was made with other options than these"),
            PartError::Truncated { expected } => {
                write!(f, "truncated: the part ends before its {expected} bytes")
            }
            PartError::Corrupt(why) => write!(f, "corrupt: {why}"),
            PartError::OutOfMemory(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for PartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PartError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for PartError {
    fn from(e: io::Error) -> PartError {
        PartError::Io(e)
    }
}

impl Envelope {
    /// Writes `payload` in this envelope, made with options hashed to `options`.
    pub fn write(&self, out: &mut dyn Write, options: u64, payload: &[u8]) -> io::Result<()> {
        out.write_all(self.magic)?;
        out.write_all(&self.kind.to_le_bytes())?;
        out.write_all(&self.version.to_le_bytes())?;
        out.write_all(&options.to_le_bytes())?;
        out.write_all(&(payload.len() as u64).to_le_bytes())?;
        out.write_all(payload)?;
        out.write_all(&xxh3_64(payload).to_le_bytes())
    }

    /// Reads a part of this envelope made with options hashed to `options`: its payload,
    /// checked.
    pub fn read(&self, input: &mut dyn Read, options: u64) -> Result<Vec<u8>, PartError> {
        let m = self.magic.len();
        let mut header = vec![0u8; m + 24];
        let mut filled = 0;
        while filled < header.len() {
            match input.read(&mut header[filled..])? {
                0 => return Err(PartError::NotAPart(self.name)),
                n => filled += n,
            }
        }
        let word =
            |at: usize| u32::from_le_bytes(header[at..at + 4].try_into().unwrap_or_default());
        let long =
            |at: usize| u64::from_le_bytes(header[at..at + 8].try_into().unwrap_or_default());
        if &header[..m] != self.magic || word(m) != self.kind {
            return Err(PartError::NotAPart(self.name));
        }
        if word(m + 4) != self.version {
            return Err(PartError::Version {
                found: word(m + 4),
                expected: self.version,
            });
        }
        if long(m + 8) != options {
            return Err(PartError::Options);
        }
        let expected = long(m + 16);
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
        if xxh3_64(&payload).to_le_bytes() != sum[..] {
            return Err(PartError::Corrupt("its checksum does not match its bytes"));
        }
        Ok(payload)
    }
}

/// A hash of options, field by field: each field's name and value bytes.
#[derive(Debug, Clone, Default)]
pub struct OptionsHash(Vec<u8>);

impl OptionsHash {
    /// No field yet.
    pub fn new() -> OptionsHash {
        OptionsHash::default()
    }

    /// Adds a field.
    pub fn field(mut self, name: &str, value: impl AsRef<[u8]>) -> OptionsHash {
        let value = value.as_ref();
        self.0.extend_from_slice(name.as_bytes());
        self.0.push(0);
        self.0
            .extend_from_slice(&(value.len() as u64).to_le_bytes());
        self.0.extend_from_slice(value);
        self
    }

    /// The hash.
    pub fn finish(&self) -> u64 {
        xxh3_64(&self.0)
    }
}

/// Little-endian numbers, length-prefixed lists and texts into a payload.
#[derive(Debug, Clone, Default)]
pub struct Put(Vec<u8>);

impl Put {
    /// An empty payload.
    pub fn new() -> Put {
        Put::default()
    }

    /// The payload written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// A byte.
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }

    /// A 32-bit number.
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    /// A 64-bit number.
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    /// A 128-bit number.
    pub fn u128(&mut self, v: u128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    /// A float, by its bits.
    pub fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }

    /// A text: its length, then its bytes.
    pub fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    /// A number that may be missing.
    pub fn opt_u64(&mut self, v: Option<u64>) {
        self.u8(u8::from(v.is_some()));
        self.u64(v.unwrap_or(0));
    }

    /// A date that may be missing.
    pub fn date(&mut self, d: Option<Date>) {
        self.u8(u8::from(d.is_some()));
        self.u64(d.map_or(0, |d| d.days() as u64));
    }

    /// A list of 32-bit numbers.
    pub fn u32s(&mut self, v: &[u32]) {
        self.u64(v.len() as u64);
        v.iter().for_each(|&x| self.u32(x));
    }

    /// A list of 64-bit numbers.
    pub fn u64s(&mut self, v: &[u64]) {
        self.u64(v.len() as u64);
        v.iter().for_each(|&x| self.u64(x));
    }

    /// A number in as few bytes as it needs (LEB128: seven bits a byte), for the compact
    /// records of an index.
    pub fn var(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    /// A text with its length in as few bytes as it needs.
    pub fn var_str(&mut self, s: &str) {
        self.var(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    /// A list of 32-bit numbers with its length in as few bytes as it needs.
    pub fn var_u32s(&mut self, v: &[u32]) {
        self.var(v.len() as u64);
        v.iter().for_each(|&x| self.u32(x));
    }

    /// A list of 64-bit numbers with its length in as few bytes as it needs.
    pub fn var_u64s(&mut self, v: &[u64]) {
        self.var(v.len() as u64);
        v.iter().for_each(|&x| self.u64(x));
    }

    /// How many bytes are written.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing is written.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Bytes as they are.
    pub fn extend(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    /// Forgets what was written, keeping the memory.
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

/// Reads what [`Put`] wrote; every read is checked against the payload's end.
#[derive(Debug, Clone)]
pub struct Get<'a> {
    bytes: &'a [u8],
}

const SHORT: PartError = PartError::Corrupt("it ends inside a record");

impl<'a> Get<'a> {
    /// Reads `bytes` from the front.
    pub fn new(bytes: &'a [u8]) -> Get<'a> {
        Get { bytes }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], PartError> {
        if self.bytes.len() < n {
            return Err(SHORT);
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    /// A byte.
    pub fn u8(&mut self) -> Result<u8, PartError> {
        Ok(self.take(1)?[0])
    }

    /// A 32-bit number.
    pub fn u32(&mut self) -> Result<u32, PartError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().map_err(|_| SHORT)?,
        ))
    }

    /// A 64-bit number.
    pub fn u64(&mut self) -> Result<u64, PartError> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().map_err(|_| SHORT)?,
        ))
    }

    /// A 128-bit number.
    pub fn u128(&mut self) -> Result<u128, PartError> {
        Ok(u128::from_le_bytes(
            self.take(16)?.try_into().map_err(|_| SHORT)?,
        ))
    }

    /// A float.
    pub fn f64(&mut self) -> Result<f64, PartError> {
        Ok(f64::from_bits(self.u64()?))
    }

    /// A byte that must be 0 or 1.
    pub fn flag(&mut self) -> Result<bool, PartError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(PartError::Corrupt("a flag is neither 0 nor 1")),
        }
    }

    /// A count of items of at least `size` bytes each: never more than the payload can hold,
    /// so a corrupt count cannot ask for memory.
    pub fn len(&mut self, size: usize) -> Result<usize, PartError> {
        let n = self.u64()?;
        if n > (self.bytes.len() / size.max(1)) as u64 {
            return Err(PartError::Corrupt("a count is larger than the part"));
        }
        Ok(n as usize)
    }

    /// A text.
    pub fn str(&mut self) -> Result<&'a str, PartError> {
        let n = self.len(1)?;
        std::str::from_utf8(self.take(n)?).map_err(|_| PartError::Corrupt("a text is not UTF-8"))
    }

    /// A number that may be missing.
    pub fn opt_u64(&mut self) -> Result<Option<u64>, PartError> {
        let some = self.flag()?;
        let v = self.u64()?;
        Ok(some.then_some(v))
    }

    /// A date that may be missing.
    pub fn date(&mut self) -> Result<Option<Date>, PartError> {
        let some = self.flag()?;
        let days = self.u64()? as i64;
        if !some {
            return Ok(None);
        }
        Date::from_days(days)
            .map(Some)
            .ok_or(PartError::Corrupt("a date is out of range"))
    }

    /// A list of 32-bit numbers.
    pub fn u32s(&mut self) -> Result<Box<[u32]>, PartError> {
        let n = self.len(4)?;
        (0..n).map(|_| self.u32()).collect()
    }

    /// A list of 64-bit numbers.
    pub fn u64s(&mut self) -> Result<Box<[u64]>, PartError> {
        let n = self.len(8)?;
        (0..n).map(|_| self.u64()).collect()
    }

    /// A number written with [`Put::var`].
    pub fn var(&mut self) -> Result<u64, PartError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(PartError::Corrupt("a number is longer than 64 bits"))
    }

    /// A count written with [`Put::var`], of items of at least `size` bytes each: never more
    /// than the payload can hold.
    pub fn var_len(&mut self, size: usize) -> Result<usize, PartError> {
        let n = self.var()?;
        if n > (self.bytes.len() / size.max(1)) as u64 {
            return Err(PartError::Corrupt("a count is larger than the part"));
        }
        Ok(n as usize)
    }

    /// A text written with [`Put::var_str`].
    pub fn var_str(&mut self) -> Result<&'a str, PartError> {
        let n = self.var_len(1)?;
        std::str::from_utf8(self.take(n)?).map_err(|_| PartError::Corrupt("a text is not UTF-8"))
    }

    /// A list written with [`Put::var_u32s`].
    pub fn var_u32s(&mut self) -> Result<Box<[u32]>, PartError> {
        let n = self.var_len(4)?;
        (0..n).map(|_| self.u32()).collect()
    }

    /// A list written with [`Put::var_u64s`].
    pub fn var_u64s(&mut self) -> Result<Box<[u64]>, PartError> {
        let n = self.var_len(8)?;
        (0..n).map(|_| self.u64()).collect()
    }

    /// Skips `n` bytes.
    pub fn skip(&mut self, n: usize) -> Result<(), PartError> {
        self.take(n).map(|_| ())
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        self.bytes
    }

    /// Whether the payload is read to its end: bytes after the last record are corruption.
    pub fn end(&self) -> Result<(), PartError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(PartError::Corrupt("bytes after the last record"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Envelope, Get, OptionsHash, PartError, Put};

    #[test]
    fn compact_numbers_read_back() {
        let mut p = Put::new();
        let values = [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX];
        values.iter().for_each(|&v| p.var(v));
        p.var_str("día");
        p.var_u32s(&[7, 8]);
        let bytes = p.into_bytes();
        let mut g = Get::new(&bytes);
        for v in values {
            assert_eq!(g.var().unwrap(), v);
        }
        assert_eq!(g.var_str().unwrap(), "día");
        assert_eq!(&*g.var_u32s().unwrap(), &[7, 8]);
        g.end().unwrap();
        // Eleven bytes with the high bit set is no number; a count past the end is refused.
        assert!(Get::new(&[0xFF; 11]).var().is_err());
        assert!(Get::new(&[5, 1]).var_u32s().is_err());
    }

    const TEST: Envelope = Envelope {
        magic: b"corpus-test part\n",
        name: "test",
        kind: 2,
        version: 7,
    };

    #[test]
    fn a_part_reads_back_and_every_damage_is_named() {
        let mut p = Put::new();
        p.u64(42);
        p.str("Reuters");
        p.u32s(&[1, 2, 3]);
        let options = OptionsHash::new()
            .field("ngram", 2u64.to_le_bytes())
            .finish();
        let mut file = Vec::new();
        TEST.write(&mut file, options, &p.into_bytes())
            .expect("in memory");
        let payload = TEST.read(&mut &file[..], options).expect("whole");
        let mut g = Get::new(&payload);
        assert_eq!(g.u64().ok(), Some(42));
        assert_eq!(g.str().ok(), Some("Reuters"));
        assert_eq!(g.u32s().ok().as_deref(), Some(&[1, 2, 3][..]));
        assert!(g.end().is_ok());
        let other = OptionsHash::new()
            .field("ngram", 5u64.to_le_bytes())
            .finish();
        assert!(matches!(
            TEST.read(&mut &file[..], other),
            Err(PartError::Options)
        ));
        let newer = Envelope { version: 8, ..TEST };
        assert!(matches!(
            newer.read(&mut &file[..], options),
            Err(PartError::Version { found: 7, .. })
        ));
        let kind = Envelope { kind: 3, ..TEST };
        assert!(matches!(
            kind.read(&mut &file[..], options),
            Err(PartError::NotAPart("test"))
        ));
        assert!(matches!(
            TEST.read(&mut &file[..file.len() - 3], options),
            Err(PartError::Truncated { .. })
        ));
        let mut flipped = file.clone();
        let at = flipped.len() - 12;
        flipped[at] ^= 1;
        assert!(matches!(
            TEST.read(&mut &flipped[..], options),
            Err(PartError::Corrupt(_))
        ));
        // A corrupt count asks for no memory.
        let huge = u64::MAX.to_le_bytes();
        let mut g = Get::new(&huge);
        assert!(matches!(g.len(1), Err(PartError::Corrupt(_))));
    }
}
