//! Zip entries read from a stream by their local headers, for what the zip crate's stream
//! reader refuses: entries whose sizes and CRC follow their data in a data descriptor (flag
//! bit 3), as every streaming writer makes them, and encrypted entries, which are passed over.
//!
//! A deflated entry ends where its deflate stream does; a stored one where a descriptor
//! follows whose compressed size is the bytes before it and whose CRC is theirs (a signature in
//! the data itself fits neither). Either way the descriptor is checked, so a cut or damaged
//! entry is an error, as the zip crate makes it of an entry with its sizes in its header.

use std::io::{self, BufRead, Read};

const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
const DESCRIPTOR: &[u8; 4] = b"PK\x07\x08";

/// A local file header, as read.
pub(super) struct LocalHeader {
    /// Every byte of the header, signature to extra field: what the zip crate reads again.
    pub(super) bytes: Vec<u8>,
    pub(super) name: Vec<u8>,
    flags: u16,
    method: u16,
    compressed: u64,
    /// Sizes in the descriptor are 8 bytes each (a zip64 extra field in the header).
    zip64: bool,
}

fn invalid(why: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, why.into())
}

impl LocalHeader {
    /// The next entry's header; `None` at the central directory or the end of the stream.
    pub(super) fn read(r: &mut impl Read) -> io::Result<Option<LocalHeader>> {
        let mut magic = [0u8; 4];
        let mut got = 0;
        while got < 4 {
            match r.read(&mut magic[got..]) {
                Ok(0) if got == 0 => return Ok(None),
                Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        match u32::from_le_bytes(magic) {
            LOCAL => {}
            CENTRAL | END => return Ok(None),
            _ => return Err(invalid("not a zip entry where one was expected")),
        }
        let mut fixed = [0u8; 26];
        r.read_exact(&mut fixed)?;
        let u16_at = |i: usize| u16::from_le_bytes([fixed[i], fixed[i + 1]]);
        let u32_at =
            |i: usize| u32::from_le_bytes([fixed[i], fixed[i + 1], fixed[i + 2], fixed[i + 3]]);
        let (flags, method) = (u16_at(2), u16_at(4));
        let (mut compressed, size) = (u64::from(u32_at(14)), u32_at(18));
        let mut name = vec![0u8; usize::from(u16_at(22))];
        r.read_exact(&mut name)?;
        let mut extra = vec![0u8; usize::from(u16_at(24))];
        r.read_exact(&mut extra)?;
        // The zip64 extra field: the sizes that do not fit in 32 bits, uncompressed first.
        let mut zip64 = false;
        let mut at = 0;
        while at + 4 <= extra.len() {
            let id = u16::from_le_bytes([extra[at], extra[at + 1]]);
            let len = usize::from(u16::from_le_bytes([extra[at + 2], extra[at + 3]]));
            let body = extra.get(at + 4..at + 4 + len).unwrap_or_default();
            if id == 1 {
                zip64 = true;
                let mut fields = body
                    .chunks_exact(8)
                    .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default()));
                if size == u32::MAX {
                    fields.next();
                }
                if compressed == u64::from(u32::MAX)
                    && let Some(c) = fields.next()
                {
                    compressed = c;
                }
            }
            at += 4 + len;
        }
        let mut bytes = Vec::with_capacity(30 + name.len() + extra.len());
        bytes.extend_from_slice(&magic);
        bytes.extend_from_slice(&fixed);
        bytes.extend_from_slice(&name);
        bytes.extend_from_slice(&extra);
        Ok(Some(LocalHeader {
            bytes,
            name,
            flags,
            method,
            compressed,
            zip64,
        }))
    }

    pub(super) fn encrypted(&self) -> bool {
        self.flags & 1 != 0
    }

    /// Whether the sizes and CRC follow the data.
    pub(super) fn descriptor(&self) -> bool {
        self.flags & 8 != 0
    }

    /// Reads past the entry's data (and descriptor) without keeping it.
    pub(super) fn skip<R: BufRead>(&self, r: &mut Pushback<R>) -> io::Result<()> {
        if !self.descriptor() {
            let skipped = io::copy(&mut r.take(self.compressed), &mut io::sink())?;
            if skipped < self.compressed {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            return Ok(());
        }
        if self.encrypted() {
            return Err(invalid(
                "an encrypted entry whose size follows its data: where it ends cannot be found, nor the entries after it",
            ));
        }
        io::copy(&mut self.entry(r)?, &mut io::sink()).map(|_| ())
    }

    /// The entry's data, decompressed, for an entry with a descriptor: checked against it at
    /// its end.
    pub(super) fn entry<'r, R: BufRead>(
        &self,
        r: &'r mut Pushback<R>,
    ) -> io::Result<DescribedEntry<'r, R>> {
        let body = match self.method {
            0 => Body::Stored(Stored {
                window: Vec::new(),
                start: 0,
                end: None,
            }),
            8 => Body::Deflated(flate2::Decompress::new(false)),
            other => {
                return Err(invalid(format!(
                    "zip compression method {other} in an entry whose size follows its data; deflate and stored are read"
                )));
            }
        };
        Ok(DescribedEntry {
            r,
            body,
            crc: crc32fast::Hasher::new(),
            read: 0,
            compressed: 0,
            zip64: self.zip64,
            done: false,
        })
    }
}

enum Body {
    Stored(Stored),
    Deflated(flate2::Decompress),
}

/// A stored entry's bytes not yet handed on, and where its descriptor was found in them.
struct Stored {
    window: Vec<u8>,
    start: usize,
    end: Option<usize>,
}

/// An entry with a data descriptor, decompressed as it is read.
pub(super) struct DescribedEntry<'r, R> {
    r: &'r mut Pushback<R>,
    body: Body,
    crc: crc32fast::Hasher,
    /// Bytes handed on (uncompressed).
    read: u64,
    /// Bytes of the archive the entry's data took.
    compressed: u64,
    zip64: bool,
    done: bool,
}

impl<R: BufRead> DescribedEntry<'_, R> {
    /// The descriptor's length after its signature: CRC and two sizes.
    fn fields(&self) -> usize {
        if self.zip64 { 20 } else { 12 }
    }

    /// Reads and checks the descriptor after a deflate stream.
    fn check_descriptor(&mut self) -> io::Result<()> {
        let mut head = [0u8; 4];
        self.r.read_exact(&mut head)?;
        let mut fields = vec![0u8; self.fields()];
        if &head == DESCRIPTOR {
            self.r.read_exact(&mut fields)?;
        } else {
            // The signature is optional: the four bytes were the CRC.
            fields[..4].copy_from_slice(&head);
            self.r.read_exact(&mut fields[4..])?;
        }
        let (crc, compressed, size) = descriptor_fields(&fields);
        if crc != self.crc.clone().finalize() || compressed != self.compressed || size != self.read
        {
            return Err(invalid(format!(
                "the entry's data descriptor does not fit its data (CRC {crc:08x}, {size} bytes; read CRC {:08x}, {} bytes)",
                self.crc.clone().finalize(),
                self.read
            )));
        }
        Ok(())
    }
}

/// CRC, compressed size and size of a descriptor's fields after its signature.
fn descriptor_fields(fields: &[u8]) -> (u32, u64, u64) {
    let crc = u32::from_le_bytes([fields[0], fields[1], fields[2], fields[3]]);
    let size = |b: &[u8]| {
        let mut v = [0u8; 8];
        v[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(v)
    };
    if fields.len() == 20 {
        (crc, size(&fields[4..12]), size(&fields[12..20]))
    } else {
        (crc, size(&fields[4..8]), size(&fields[8..12]))
    }
}

impl<R: BufRead> Read for DescribedEntry<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.done || out.is_empty() {
            return Ok(0);
        }
        let fields = self.fields();
        let n = match &mut self.body {
            Body::Deflated(inflate) => loop {
                let input = self.r.fill_buf()?;
                let at_end = input.is_empty();
                let (in_before, out_before) = (inflate.total_in(), inflate.total_out());
                let status = inflate
                    .decompress(input, out, flate2::FlushDecompress::None)
                    .map_err(|e| invalid(format!("corrupt deflate data: {e}")))?;
                let used = (inflate.total_in() - in_before) as usize;
                let made = (inflate.total_out() - out_before) as usize;
                self.r.consume(used);
                self.compressed += used as u64;
                if made > 0 {
                    break made;
                }
                if status == flate2::Status::StreamEnd {
                    break 0;
                }
                if at_end {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the archive ends inside this entry",
                    ));
                }
            },
            Body::Stored(stored) => {
                let need = 4 + fields;
                loop {
                    if let Some(end) = stored.end {
                        let n = (end - stored.start).min(out.len());
                        out[..n].copy_from_slice(&stored.window[stored.start..stored.start + n]);
                        stored.start += n;
                        if n > 0 {
                            self.compressed += n as u64;
                        }
                        break n;
                    }
                    // Look for a descriptor that fits what came before it.
                    let mut found = None;
                    let mut emit = stored.window.len().saturating_sub(need - 1);
                    let mut from = stored.start;
                    while let Some(p) = find(&stored.window[from..], DESCRIPTOR).map(|p| from + p) {
                        if p + need > stored.window.len() {
                            emit = emit.min(p);
                            break;
                        }
                        let (crc, compressed, size) =
                            descriptor_fields(&stored.window[p + 4..p + need]);
                        let before = (p - stored.start) as u64;
                        let mut check = self.crc.clone();
                        check.update(&stored.window[stored.start..p]);
                        if compressed == size
                            && size == self.read + before
                            && crc == check.finalize()
                        {
                            found = Some(p);
                            break;
                        }
                        from = p + 1;
                    }
                    if let Some(p) = found {
                        stored.end = Some(p);
                        let rest = stored.window.split_off(p + need);
                        self.r.unread(&rest);
                        stored.window.truncate(p);
                        continue;
                    }
                    if emit > stored.start {
                        let n = (emit - stored.start).min(out.len());
                        out[..n].copy_from_slice(&stored.window[stored.start..stored.start + n]);
                        stored.start += n;
                        self.compressed += n as u64;
                        break n;
                    }
                    // More bytes: drop what was handed on, then read.
                    stored.window.drain(..stored.start);
                    stored.start = 0;
                    let mut chunk = [0u8; 1 << 14];
                    let got = self.r.read(&mut chunk)?;
                    if got == 0 {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "the archive ends inside this entry, before its data descriptor",
                        ));
                    }
                    stored.window.extend_from_slice(&chunk[..got]);
                }
            }
        };
        if n == 0 {
            self.done = true;
            match self.body {
                Body::Deflated(_) => self.check_descriptor()?,
                Body::Stored(_) => {}
            }
            return Ok(0);
        }
        self.crc.update(&out[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// A reader that can be handed back bytes it gave too many of: the end of a stored entry is
/// found by reading past it.
pub(super) struct Pushback<R> {
    back: Vec<u8>,
    at: usize,
    inner: R,
}

impl<R: BufRead> Pushback<R> {
    pub(super) fn new(inner: R) -> Pushback<R> {
        Pushback {
            back: Vec::new(),
            at: 0,
            inner,
        }
    }

    /// Puts `bytes` back in front of what is still to be read.
    fn unread(&mut self, bytes: &[u8]) {
        let mut back = bytes.to_vec();
        back.extend_from_slice(&self.back[self.at..]);
        self.back = back;
        self.at = 0;
    }
}

impl<R: BufRead> Read for Pushback<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.at < self.back.len() {
            let n = (self.back.len() - self.at).min(out.len());
            out[..n].copy_from_slice(&self.back[self.at..self.at + n]);
            self.at += n;
            return Ok(n);
        }
        self.inner.read(out)
    }
}

impl<R: BufRead> BufRead for Pushback<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at < self.back.len() {
            return Ok(&self.back[self.at..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if self.at < self.back.len() {
            self.at = (self.at + amount).min(self.back.len());
        } else {
            self.inner.consume(amount);
        }
    }
}
