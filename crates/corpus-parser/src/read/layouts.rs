//! The layouts a stream is read in, once decompressed and transcoded: a dated article, JSON
//! Lines, plain lines, CSV rows (Parquet is `parquet.rs`); which layout a file has, by its name
//! or its first bytes; and lines read with a cap on their length.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;

use corpus_core::{Problem, ProblemKind};

use super::archive::{ZIP_MAGIC, is_tar_name, is_zip_name};
use super::decompress::Decoded;
use super::{Kind, Layout, Reader, Record, Transcoded, strip_compression, transcode};
use crate::Format;
use crate::csv_rows::CsvRows;
use crate::decode::BOM;

impl Reader<'_> {
    /// Reads a stream of `layout`, decompressed and transcoded.
    pub(super) fn read_layout(
        &mut self,
        layout: Layout,
        shown: &str,
        id_name: &str,
        input: Decoded<'_>,
    ) {
        let id_name = id_name.to_owned();
        match layout {
            Layout::Tar => self.tar(shown, input),
            Layout::Zip => self.zip(shown, input),
            Layout::Records(Format::Article) => self.article(shown, id_name, input),
            Layout::Records(Format::JsonLines) => self.json_lines(shown, &id_name, input, true),
            Layout::Records(Format::Lines) => self.json_lines(shown, &id_name, input, false),
            Layout::Records(Format::Csv) => self.csv(shown, &id_name, input),
            Layout::Records(Format::Parquet) => self.parquet_in_stream(shown, &id_name, input),
        }
    }

    /// A Parquet file met in a stream (standard input, an archive member, compressed).
    pub(super) fn parquet_in_stream(&mut self, shown: &str, id_name: &str, input: Decoded<'_>) {
        #[cfg(feature = "parquet")]
        self.parquet_stream(shown, id_name, input.inner);
        #[cfg(not(feature = "parquet"))]
        {
            let _ = (id_name, input);
            self.fail(Problem::new(
                ProblemKind::Binary,
                shown,
                "unsupported format: Parquet (corpus-parser was built without its `parquet` feature); not read",
            ));
        }
    }

    /// The text of a records stream as UTF-8: transcoded from [`ReadOptions::encoding`] when one
    /// is given, or from UTF-16 when the stream opens with its byte-order mark; as it is
    /// otherwise (UTF-8, checked later, record by record).
    pub(super) fn transcoded<'s>(
        &self,
        mut input: Decoded<'s>,
    ) -> Result<Transcoded<'s>, (Decoded<'s>, io::Error)> {
        let utf16_bom = match input.inner.fill_buf() {
            Ok(head) => head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]),
            Err(err) => return Err((input, err)),
        };
        if self.options.encoding.is_none() && !utf16_bom {
            return Ok((input, None));
        }
        if self.options.encoding.is_some_and(crate::decodes_nothing) && !utf16_bom {
            let err = io::Error::new(
                io::ErrorKind::InvalidInput,
                "the encoding given is WHATWG's \"replacement\", which decodes no text; not read",
            );
            return Err((input, err));
        }
        let compressed = input.compressed;
        // A byte-order mark decides, as browsers do: UTF-16 by its mark when no encoding is
        // given, and any mark over the encoding given.
        let encoding = self.options.encoding.unwrap_or(encoding_rs::UTF_16LE);
        let replaced = Arc::new(transcode::Replaced::default());
        let reader = transcode::Transcoder::new(input.inner, encoding, replaced.clone());
        Ok((
            Decoded {
                inner: BufReader::with_capacity(1 << 16, Box::new(reader)),
                compressed,
            },
            Some(replaced),
        ))
    }

    /// Whether a file named `name` is read as one article whatever it holds (so that it makes
    /// exactly one record).
    pub(super) fn is_article_by_name(&self, name: &str) -> bool {
        matches!(
            self.layout_by_name(name),
            Some(Layout::Records(Format::Article))
        )
    }

    /// The layout a name (or `--format`) decides, if it does.
    pub(super) fn layout_by_name(&self, name: &str) -> Option<Layout> {
        if is_tar_name(name) {
            return Some(Layout::Tar);
        }
        if is_zip_name(name) {
            return Some(Layout::Zip);
        }
        if let Some(format) = self.options.format {
            return Some(Layout::Records(format));
        }
        let lower = name.to_ascii_lowercase();
        let inner = strip_compression(&lower);
        let format = if inner.ends_with(".jsonl") || inner.ends_with(".ndjson") {
            Format::JsonLines
        } else if inner.ends_with(".csv") {
            Format::Csv
        } else if inner.ends_with(".parquet") {
            Format::Parquet
        } else if inner.ends_with(".txt") {
            Format::Article
        } else {
            return None;
        };
        Some(Layout::Records(format))
    }

    pub(super) fn layout(&self, name: &str, input: &mut Decoded<'_>) -> io::Result<Layout> {
        if let Some(layout) = self.layout_by_name(name) {
            return Ok(layout);
        }
        // No telling extension (standard input, a file named by the user): look at the content.
        let head = input.inner.fill_buf()?;
        if head.len() > 262 && &head[257..262] == b"ustar" {
            return Ok(Layout::Tar);
        }
        if head.starts_with(ZIP_MAGIC) {
            return Ok(Layout::Zip);
        }
        if head.starts_with(PARQUET_MAGIC) {
            return Ok(Layout::Records(Format::Parquet));
        }
        let first = head
            .strip_prefix(BOM)
            .unwrap_or(head)
            .iter()
            .find(|b| !b.is_ascii_whitespace());
        Ok(Layout::Records(if first == Some(&b'{') {
            Format::JsonLines
        } else {
            Format::Article
        }))
    }

    pub(super) fn too_long(&self, shown: &str, what: &str) -> Problem {
        Problem::new(
            ProblemKind::TooLong,
            shown,
            format!(
                "{what} longer than {} bytes (--max-record-bytes); left out",
                self.options.max_record_bytes
            ),
        )
    }

    pub(super) fn article(&mut self, shown: &str, id: String, mut input: Decoded<'_>) {
        let limit = usize::try_from(self.options.max_record_bytes).unwrap_or(usize::MAX);
        let mut bytes = Vec::new();
        loop {
            let chunk = match input.inner.fill_buf() {
                Ok([]) => break,
                Ok(chunk) => chunk,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return self.fail(input.problem(shown, None, &err)),
            };
            if bytes.len() + chunk.len() > limit {
                let problem = self.too_long(shown, "article");
                return self.fail(problem);
            }
            extend_capped(&mut bytes, chunk, limit);
            let used = chunk.len();
            input.inner.consume(used);
        }
        self.emit(Record::from(Kind::Article {
            id,
            path: shown.to_owned(),
            bytes,
        }));
    }

    /// Reads a line format: JSON Lines (`json`) or plain text, a document a line.
    pub(super) fn json_lines(
        &mut self,
        shown: &str,
        id_name: &str,
        input: Decoded<'_>,
        json: bool,
    ) {
        self.lines_of(shown, id_name, input, json, None);
    }

    /// [`Reader::json_lines`], or, with `range`, only the lines that start in the next
    /// `budget` bytes of the input, numbered from `after` on (a shard's part of a big file).
    pub(super) fn lines_of(
        &mut self,
        shown: &str,
        id_name: &str,
        mut input: Decoded<'_>,
        json: bool,
        range: Option<(u64, u64)>,
    ) {
        let what = if json { "JSON line" } else { "line" };
        let path: Arc<str> = Arc::from(shown);
        let stem: Arc<str> = Arc::from(id_name);
        let limit = usize::try_from(self.options.max_record_bytes).unwrap_or(usize::MAX);
        let (mut line, budget) = range.unwrap_or((0, u64::MAX));
        let mut consumed = 0u64;
        // A part of a file may hold no line; the file's emptiness is its first part's to say.
        let mut any = range.is_some_and(|(after, _)| after > 0);
        loop {
            if consumed >= budget {
                break;
            }
            let mut bytes = Vec::new();
            match read_line_capped(&mut input.inner, &mut bytes, limit, &mut consumed) {
                Ok(Line::End) => break,
                Ok(Line::TooLong) => {
                    line += 1;
                    any = true;
                    let problem = self.too_long(shown, what).at(line, None);
                    self.fail(problem);
                }
                Ok(Line::Read) => {
                    line += 1;
                    if line == 1 && bytes.starts_with(BOM) {
                        bytes.drain(..BOM.len());
                    }
                    if bytes.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    any = true;
                    let (path, stem) = (path.clone(), stem.clone());
                    self.emit(Record::from(if json {
                        Kind::JsonLine {
                            path,
                            stem,
                            line,
                            bytes,
                        }
                    } else {
                        Kind::TextLine {
                            path,
                            stem,
                            line,
                            bytes,
                        }
                    }));
                }
                Err(err) => return self.fail(input.problem(shown, Some(line + 1), &err)),
            }
        }
        // The first part of a file read in parts says whether the whole file is empty: when
        // its own lines were blank, it looks on for any text in the later parts' bytes (it
        // stops at the first, so this costs a scan only of a file of blanks).
        if !any && range.is_some_and(|(after, _)| after == 0) && consumed >= budget {
            any = match has_text(&mut input.inner) {
                Ok(text) => text,
                Err(err) => return self.fail(input.problem(shown, Some(line + 1), &err)),
            };
        }
        if !any {
            self.fail(Problem::new(
                ProblemKind::Empty,
                shown,
                if json {
                    "empty: no JSON lines"
                } else {
                    "empty: no lines"
                },
            ));
        }
    }

    pub(super) fn csv(&mut self, shown: &str, id_name: &str, input: Decoded<'_>) {
        let compressed = input.compressed;
        let limit = self.options.max_record_bytes;
        let rows = CsvRows::new(
            shown,
            id_name,
            input.inner,
            compressed,
            limit,
            &self.options.csv,
        );
        let mut rows = match rows {
            Ok(rows) => rows,
            Err(problem) => return self.fail(*problem),
        };
        for warning in rows.header_warnings() {
            self.fail(warning);
        }
        let mut any = false;
        while let Some(result) = rows.next_row() {
            match result {
                Ok((columns, line, row)) => {
                    any = true;
                    self.emit(Record::from(Kind::CsvRow { columns, line, row }));
                }
                Err(problem) => {
                    any = true;
                    self.fail(*problem);
                }
            }
        }
        if !any {
            self.fail(Problem::new(
                ProblemKind::Empty,
                shown,
                "empty: no CSV rows after the header",
            ));
        }
    }
}

/// Whether the rest of `input` holds a byte that is not ASCII white space.
pub(super) fn has_text(input: &mut dyn BufRead) -> io::Result<bool> {
    loop {
        let chunk = match input.fill_buf() {
            Ok([]) => return Ok(false),
            Ok(chunk) => chunk,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if chunk.iter().any(|b| !b.is_ascii_whitespace()) {
            return Ok(true);
        }
        let len = chunk.len();
        input.consume(len);
    }
}

/// Parquet's magic bytes, at both ends of every file.
pub(super) const PARQUET_MAGIC: &[u8] = b"PAR1";

/// Whether a file opens with Parquet's magic bytes; it is rewound either way.
pub(super) fn is_parquet_file(file: &mut File) -> io::Result<bool> {
    use std::io::{Seek, SeekFrom};
    let mut head = [0u8; 4];
    let mut got = 0;
    while got < head.len() {
        match file.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    file.seek(SeekFrom::Start(0))?;
    Ok(got == head.len() && head == PARQUET_MAGIC)
}

/// What [`read_line_capped`] found.
pub(super) enum Line {
    /// A line (with its `\n`, if it had one) is in the buffer.
    Read,
    /// The line was longer than the limit; it was read past and dropped.
    TooLong,
    /// The end of the input.
    End,
}

/// Reads one line into `out`, or past it when it is longer than `limit` bytes, so that one
/// endless line costs no more memory than the limit.
pub(super) fn read_line_capped(
    input: &mut impl BufRead,
    out: &mut Vec<u8>,
    limit: usize,
    consumed: &mut u64,
) -> io::Result<Line> {
    let mut too_long = false;
    let mut read_any = false;
    loop {
        let available = match input.fill_buf() {
            Ok(b) => b,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            break;
        }
        read_any = true;
        let (chunk, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let used = chunk.len();
        // The limit is on the line's content, its line feed aside.
        let content = used - usize::from(done);
        if !too_long {
            if out.len() + content > limit {
                too_long = true;
                *out = Vec::new();
            } else {
                extend_capped(out, chunk, limit);
            }
        }
        input.consume(used);
        *consumed += used as u64;
        if done {
            break;
        }
    }
    Ok(match (read_any, too_long) {
        (false, _) => Line::End,
        (true, true) => Line::TooLong,
        (true, false) => Line::Read,
    })
}

/// Appends `chunk` to a record's bytes, growing the buffer by doubling as `Vec` does, but
/// never past `limit` (plus a line feed), so that a record near the limit costs the limit, not
/// twice it.
pub(super) fn extend_capped(out: &mut Vec<u8>, chunk: &[u8], limit: usize) {
    let needed = out.len() + chunk.len();
    if needed > out.capacity() {
        let grown = out.capacity().saturating_mul(2);
        let target = grown.min(limit.saturating_add(1)).max(needed);
        out.reserve_exact(target - out.len());
    }
    out.extend_from_slice(chunk);
}
