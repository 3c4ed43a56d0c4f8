//! Decompression (gzip, zstd, bzip2, xz, lz4 frames), recognised by magic bytes, and the problems a failed read becomes: a
//! corrupt or truncated stream under a decompressor, an unreadable file otherwise.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;

use corpus_core::{Problem, ProblemKind};

/// A decoded input stream, and whether a decompressor sits under it (read errors then mean a
/// corrupt or truncated file rather than a failing disk).
pub(super) struct Decoded<'a> {
    pub(super) inner: BufReader<Box<dyn Read + 'a>>,
    pub(super) compressed: bool,
}

impl Decoded<'_> {
    pub(super) fn problem(&self, shown: &str, line: Option<u64>, err: &io::Error) -> Problem {
        let corrupt = self.compressed
            || matches!(
                err.kind(),
                io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof
            );
        if corrupt {
            corrupt_problem(shown, line, err)
        } else {
            io_problem(shown, err)
        }
    }
}

pub(super) enum Compression {
    Gzip,
    Zstd,
    Bzip2,
    Xz,
    Lz4,
    /// A compressed or archive format recognised but not read, by name.
    Unsupported(&'static str),
}

pub(super) fn magic(input: &mut impl BufRead) -> io::Result<Option<Compression>> {
    let head = input.fill_buf()?;
    const UNSUPPORTED: [(&[u8], &str); 4] = [
        (&[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], "7z"),
        (b"Rar!\x1a\x07", "rar"),
        (b"PK\x03\x04", "zip (name it .zip to read it as a folder)"),
        (b"%PDF-", "PDF"),
    ];
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        Some(Compression::Gzip)
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Some(Compression::Zstd)
    } else if head.starts_with(b"BZh") && head.get(3).is_some_and(|b| (b'1'..=b'9').contains(b)) {
        Some(Compression::Bzip2)
    } else if head.starts_with(&[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) {
        Some(Compression::Xz)
    } else if head.starts_with(&[0x04, 0x22, 0x4d, 0x18]) {
        Some(Compression::Lz4)
    } else {
        UNSUPPORTED
            .iter()
            .find(|(magic, _)| head.starts_with(magic))
            .map(|(_, name)| Compression::Unsupported(name))
    })
}

/// lz4 frames one after the other, as `cat a.lz4 b.lz4` makes and `lz4 -d` reads: the frame
/// decoder reads one frame, and ends it with a read of nothing.
pub(super) struct Lz4Frames<R: BufRead>(pub(super) lz4_flex::frame::FrameDecoder<R>);

impl<R: BufRead> Read for Lz4Frames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.0.read(buf)?;
            if n > 0 || buf.is_empty() || self.0.get_mut().fill_buf()?.is_empty() {
                return Ok(n);
            }
        }
    }
}

pub(crate) fn io_problem(shown: &str, err: &io::Error) -> Problem {
    if let Some(bomb) = bomb_of(err) {
        return bomb.problem(shown);
    }
    Problem::new(
        ProblemKind::Io,
        shown,
        format!("cannot read: {}", lowercase_first(&err.to_string())),
    )
}

pub(crate) fn corrupt_problem(shown: &str, line: Option<u64>, err: &io::Error) -> Problem {
    if let Some(bomb) = bomb_of(err) {
        return bomb.problem(shown);
    }
    let mut p = Problem::new(
        ProblemKind::Corrupt,
        shown,
        format!(
            "corrupt or truncated: {}; what came before was kept",
            lowercase_first(&err.to_string())
        ),
    );
    p.line = line;
    p
}

pub(crate) fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if !chars.clone().next().is_some_and(char::is_uppercase) => {
            c.to_lowercase().chain(chars).collect()
        }
        _ => s.to_owned(),
    }
}

/// How many bytes an input may decompress to, in all, per byte read of it: more than deflate's
/// best ratio (about 1,030), so a real file never meets it; archives in archives and bzip2 or
/// xz of zeros do.
pub(super) const MAX_RATIO: u64 = 1000;

/// What was read of the input being read and decompressed from it, every layer counted (a
/// member of an archive in an archive counts at each level). Past [`MAX_RATIO`] times the bytes
/// read, plus four times the record limit, reading stops with an error: a decompression bomb.
#[derive(Debug)]
pub(super) struct Budget {
    read: std::sync::atomic::AtomicU64,
    inflated: std::sync::atomic::AtomicU64,
    floor: u64,
    /// Whether the input went past its budget: nothing more of it is read.
    exceeded: std::sync::atomic::AtomicBool,
    /// Whether the reader was told to stop (the consumer has what it wants): every read from
    /// then on ends its stream, so that no input is read further.
    stopped: std::sync::atomic::AtomicBool,
}

impl Budget {
    pub(super) fn new(max_record_bytes: u64) -> Budget {
        Budget {
            read: 0.into(),
            inflated: 0.into(),
            floor: max_record_bytes.saturating_mul(4),
            exceeded: false.into(),
            stopped: false.into(),
        }
    }

    /// Stops the reading: every stream counted against this budget ends at its next read.
    pub(super) fn stop(&self) {
        self.stopped
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether the reading was stopped.
    pub(super) fn stopped(&self) -> bool {
        self.stopped.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether the input being read went past its budget (its one problem is made).
    pub(super) fn exceeded(&self) -> bool {
        self.exceeded.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A new input begins.
    pub(super) fn start(&self) {
        use std::sync::atomic::Ordering::Relaxed;
        self.read.store(0, Relaxed);
        self.inflated.store(0, Relaxed);
        self.exceeded.store(false, Relaxed);
    }
}

/// A reader that counts what passes through it into a [`Budget`]: the input's own bytes, or
/// bytes decompressed from it (refused past the budget).
pub(super) struct Counted<R> {
    inner: R,
    budget: Arc<Budget>,
    inflating: bool,
}

impl<R: Read> Counted<R> {
    pub(super) fn read_of(inner: R, budget: Arc<Budget>) -> Counted<R> {
        Counted {
            inner,
            budget,
            inflating: false,
        }
    }

    pub(super) fn inflated(inner: R, budget: Arc<Budget>) -> Counted<R> {
        Counted {
            inner,
            budget,
            inflating: true,
        }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use std::sync::atomic::Ordering::Relaxed;
        if self.budget.stopped() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        let b = &self.budget;
        if !self.inflating {
            b.read.fetch_add(n as u64, Relaxed);
            return Ok(n);
        }
        let inflated = b.inflated.fetch_add(n as u64, Relaxed) + n as u64;
        let read = b.read.load(Relaxed);
        if inflated > read.saturating_mul(MAX_RATIO).saturating_add(b.floor) {
            b.exceeded.store(true, Relaxed);
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                Bomb { inflated, read },
            ));
        }
        Ok(n)
    }
}

/// The error of an input that decompressed past its [`Budget`].
#[derive(Debug)]
struct Bomb {
    inflated: u64,
    read: u64,
}

impl std::fmt::Display for Bomb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a decompression bomb: {} bytes decompressed from {} read, more than {MAX_RATIO} times as many (and four times --max-record-bytes); the rest of the input was not read",
            self.inflated, self.read
        )
    }
}

impl std::error::Error for Bomb {}

impl Bomb {
    fn problem(&self, shown: &str) -> Problem {
        Problem::new(ProblemKind::TooLong, shown, self.to_string())
    }
}

/// The [`Bomb`] an error is, however many readers wrapped it on its way up.
fn bomb_of(err: &io::Error) -> Option<&Bomb> {
    let inner = err.get_ref()?;
    inner
        .downcast_ref::<Bomb>()
        .or_else(|| inner.downcast_ref::<io::Error>().and_then(bomb_of))
}
