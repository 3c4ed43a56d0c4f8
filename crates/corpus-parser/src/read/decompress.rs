//! Decompression (gzip, zstd, bzip2, xz, lz4 frames), recognised by magic bytes, and the problems a failed read becomes: a
//! corrupt or truncated stream under a decompressor, an unreadable file otherwise.

use std::io::{self, BufRead, BufReader, Read};

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
    Problem::new(
        ProblemKind::Io,
        shown,
        format!("cannot read: {}", lowercase_first(&err.to_string())),
    )
}

pub(crate) fn corrupt_problem(shown: &str, line: Option<u64>, err: &io::Error) -> Problem {
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
