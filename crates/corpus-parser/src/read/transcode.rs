//! Text in another encoding transcoded to UTF-8 as it streams, with what could not be decoded
//! counted: bytes that are not of the encoding (malformed Shift_JIS, an odd byte at the end of
//! UTF-16) become U+FFFD, as they must, and the reader says so, with the line of the first.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use corpus_core::{Problem, ProblemKind};

/// What a [`Transcoder`] replaced, read once the stream is done.
#[derive(Debug, Default)]
pub(super) struct Replaced {
    count: AtomicU64,
    /// The line (1-based) of the first replacement; 0 while there is none.
    first_line: AtomicU64,
}

impl Replaced {
    /// The warning for a stream that had replacements, if it had any.
    pub(super) fn warning(&self, shown: &str, encoding: &str) -> Option<Problem> {
        let count = self.count.load(Relaxed);
        (count > 0).then(|| {
            let plural = if count == 1 { "" } else { "s" };
            Problem::new(
                ProblemKind::InvalidUtf8,
                shown,
                format!(
                    "not valid {encoding}: {count} malformed sequence{plural} replaced with U+FFFD, the first on this line"
                ),
            )
            .at(self.first_line.load(Relaxed), None)
        })
    }
}

/// A reader of `inner`'s bytes in one encoding as UTF-8 (a byte-order mark, when there is one,
/// decides between UTF-8 and UTF-16 and is dropped).
pub(super) struct Transcoder<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Box<[u8]>,
    start: usize,
    end: usize,
    eof: bool,
    /// Decoded bytes not handed on yet.
    output: Box<[u8]>,
    out_start: usize,
    out_end: usize,
    finished: bool,
    /// Line breaks handed on so far, to place the first replacement.
    lines: u64,
    replaced: Arc<Replaced>,
}

impl<R: Read> Transcoder<R> {
    pub(super) fn new(
        inner: R,
        encoding: &'static encoding_rs::Encoding,
        replaced: Arc<Replaced>,
    ) -> Transcoder<R> {
        Transcoder {
            inner,
            decoder: encoding.new_decoder(),
            input: vec![0; 1 << 16].into_boxed_slice(),
            start: 0,
            end: 0,
            eof: false,
            output: vec![0; 3 << 16].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
            finished: false,
            lines: 0,
            replaced,
        }
    }

    /// Decodes the next piece into `output`; false at the end.
    fn decode_more(&mut self) -> io::Result<bool> {
        loop {
            if self.finished {
                return Ok(false);
            }
            if self.start == self.end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.eof = n == 0;
                (self.start, self.end) = (0, n);
            }
            let (result, read, written, replaced) = self.decoder.decode_to_utf8(
                &self.input[self.start..self.end],
                &mut self.output,
                self.eof,
            );
            self.start += read;
            let out = &self.output[..written];
            if replaced {
                let before = self.replaced.count.fetch_add(
                    out.windows(3)
                        .filter(|w| w == b"\xEF\xBF\xBD")
                        .count()
                        .max(1) as u64,
                    Relaxed,
                );
                if before == 0 {
                    let at = out
                        .windows(3)
                        .position(|w| w == b"\xEF\xBF\xBD")
                        .unwrap_or(0);
                    let line = self.lines + memchr::memchr_iter(b'\n', &out[..at]).count() as u64;
                    self.replaced.first_line.store(line + 1, Relaxed);
                }
            }
            self.lines += memchr::memchr_iter(b'\n', out).count() as u64;
            (self.out_start, self.out_end) = (0, written);
            if self.eof && result == encoding_rs::CoderResult::InputEmpty {
                self.finished = true;
            }
            if written > 0 {
                return Ok(true);
            }
        }
    }
}

impl<R: Read> Read for Transcoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_start == self.out_end && !self.decode_more()? {
            return Ok(0);
        }
        let n = (self.out_end - self.out_start).min(buf.len());
        buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}
