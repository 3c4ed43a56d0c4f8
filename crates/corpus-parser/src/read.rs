//! The reading side: inputs to records, streaming, through folders, archives and decompressors.
//!
//! Reading is split from parsing so that a caller can parse records in parallel: [`read`] walks
//! the inputs in a stable order on the calling thread and hands over [`Record`]s (one article
//! file, one JSON line, one CSV row) holding raw bytes; [`Record::parse`] turns each into a
//! document and its problems, on any thread. Only one record is held at a time, so memory does
//! not grow with the corpus.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use corpus_core::{Problem, ProblemKind};

use crate::Parsed;
use crate::article::parse_article_bytes;
use crate::decode::invalid_utf8;
use crate::jsonl::{parse_date_prefix, parse_json_line, record_document};

/// One input named by the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file, or a folder walked recursively in file-name order.
    Path(PathBuf),
    /// Standard input, named `-` in problems and origins.
    Stdin,
    /// Bytes already in memory, read as if they were a file of that name.
    Memory {
        /// The name, whose extension chooses the format as for a file.
        name: String,
        /// The content.
        bytes: Vec<u8>,
    },
}

impl Input {
    /// `-` is standard input; anything else is a path.
    pub fn from_arg(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }
}

/// The record formats, chosen by file extension unless [`ReadOptions::format`] says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Dated-article text, one article per file (`.txt`).
    Article,
    /// JSON Lines, one object per line (`.jsonl`, `.ndjson`).
    JsonLines,
    /// CSV with a header row (`.csv`).
    Csv,
}

/// Which CSV columns hold what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvOptions {
    /// The column holding the article text (required). Default `text`.
    pub text_col: String,
    /// The column holding the id; without it ids are `<file stem>:<line>`. Default `id`.
    pub id_col: String,
    /// The column holding the date (`YYYY-MM-DD` or a timestamp). Default `date`.
    pub date_col: String,
}

impl Default for CsvOptions {
    fn default() -> CsvOptions {
        CsvOptions {
            text_col: "text".into(),
            id_col: "id".into(),
            date_col: "date".into(),
        }
    }
}

/// How to read inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Read every file as this format instead of choosing by extension.
    pub format: Option<Format>,
    /// The CSV columns.
    pub csv: CsvOptions,
}

/// One unit of input, read but not yet parsed: an article file, a JSON line, a CSV row, or an
/// input that failed to be read at all.
#[derive(Debug)]
pub struct Record(Kind);

#[derive(Debug)]
enum Kind {
    Article {
        id: String,
        path: String,
        bytes: Vec<u8>,
    },
    /// An article file of a folder, not read yet: reading it is left to whoever parses the
    /// record, so that a folder of small files is read by every worker, not by one thread.
    ArticleFile {
        path: PathBuf,
        shown: String,
    },
    JsonLine {
        path: Arc<str>,
        stem: Arc<str>,
        line: u64,
        bytes: Vec<u8>,
    },
    CsvRow {
        columns: Arc<CsvColumns>,
        line: u64,
        row: csv::ByteRecord,
    },
    Failed(Problem),
}

#[derive(Debug)]
struct CsvColumns {
    path: String,
    stem: String,
    names: Vec<String>,
    text: usize,
    id: Option<usize>,
    date: Option<usize>,
}

impl Record {
    /// Parses the record. Never fails: what cannot be made a document is a problem.
    pub fn parse(self) -> Parsed {
        match self.0 {
            Kind::Article { id, path, bytes } => parse_article_bytes(&id, &path, bytes),
            Kind::ArticleFile { path, shown } => {
                // Read as the reader would have: one record, the article or the problem.
                let options = ReadOptions {
                    format: Some(Format::Article),
                    ..ReadOptions::default()
                };
                let mut record = None;
                Reader {
                    options: &options,
                    sink: &mut |r| record = Some(r),
                }
                .file(&path, &shown);
                record.map_or_else(
                    || Parsed {
                        document: None,
                        problems: vec![Problem::new(
                            ProblemKind::Io,
                            shown,
                            "cannot read: the file gave no record",
                        )],
                    },
                    Record::parse,
                )
            }
            Kind::JsonLine {
                path,
                stem,
                line,
                bytes,
            } => parse_json_line(&path, &stem, line, &bytes),
            Kind::CsvRow { columns, line, row } => parse_csv_row(&columns, line, &row),
            Kind::Failed(problem) => Parsed {
                document: None,
                problems: vec![problem],
            },
        }
    }

    /// About how many bytes of input the record holds, for batching.
    pub fn size(&self) -> usize {
        match &self.0 {
            Kind::Article { bytes, .. } | Kind::JsonLine { bytes, .. } => bytes.len(),
            Kind::CsvRow { row, .. } => row.as_slice().len(),
            // Not read yet; batches are then bounded by their number of records.
            Kind::ArticleFile { .. } | Kind::Failed(_) => 0,
        }
    }
}

/// Reads every input in order and hands each record to `sink`.
///
/// Folders are walked recursively in file-name order, skipping hidden entries and, inside
/// folders and archives, files that are not corpus files (see [`is_corpus_file`]). Gzip and
/// zstd are recognised by their magic bytes, tar archives by name (`.tar`, `.tar.gz`, `.tgz`,
/// `.tar.zst`) or, on standard input, by content. A named file whose extension says nothing is
/// read as article text. Errors of any kind become records that parse to a problem; this
/// function itself never fails.
pub fn read(inputs: &[Input], options: &ReadOptions, sink: &mut dyn FnMut(Record)) {
    let mut reader = Reader { options, sink };
    for input in inputs {
        match input {
            Input::Path(path) => reader.path(path),
            Input::Stdin => {
                let stdin = io::stdin();
                reader.stream("-", "-", Box::new(stdin.lock()));
            }
            Input::Memory { name, bytes } => reader.stream(name, name, Box::new(&bytes[..])),
        }
    }
}

/// Reads and parses every input in order on the calling thread, handing over each result.
pub fn read_documents(inputs: &[Input], options: &ReadOptions, sink: &mut dyn FnMut(Parsed)) {
    read(inputs, options, &mut |record| sink(record.parse()));
}

/// Whether a file found in a folder or archive is read: its name ends in `.txt`, `.jsonl`,
/// `.ndjson`, `.csv`, `.tar` or `.tgz` (ignoring case), possibly followed by `.gz` or `.zst`,
/// and it is not hidden nor a `README` or `LICENSE` file shipped beside the data.
pub fn is_corpus_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with('.') || lower.starts_with("readme") || lower.starts_with("license") {
        return false;
    }
    let inner = strip_compression(&lower);
    [".txt", ".jsonl", ".ndjson", ".csv", ".tar", ".tgz"]
        .iter()
        .any(|ext| inner.ends_with(ext))
}

fn strip_compression(name: &str) -> &str {
    name.strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .unwrap_or(name)
}

/// The document id a file gives: its name without compression and format extensions.
fn stem(name: &str) -> String {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let lower = file.to_ascii_lowercase();
    let inner_len = strip_compression(&lower).len();
    let inner = &file[..inner_len];
    match inner.rfind('.') {
        Some(dot) if dot > 0 => inner[..dot].to_owned(),
        _ => inner.to_owned(),
    }
}

enum Layout {
    Tar,
    Records(Format),
}

struct Reader<'a> {
    options: &'a ReadOptions,
    sink: &'a mut dyn FnMut(Record),
}

impl Reader<'_> {
    fn fail(&mut self, problem: Problem) {
        (self.sink)(Record(Kind::Failed(problem)));
    }

    fn path(&mut self, path: &Path) {
        let shown = path.display().to_string();
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => self.walk(path),
            Ok(_) => self.file(path, &shown),
            Err(err) => self.fail(io_problem(&shown, &err)),
        }
    }

    fn walk(&mut self, root: &Path) {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    let name = entry.file_name().to_string_lossy();
                    if is_corpus_file(&name) {
                        let shown = entry.path().display().to_string();
                        if self.is_article_by_name(&name) {
                            (self.sink)(Record(Kind::ArticleFile {
                                path: entry.into_path(),
                                shown,
                            }));
                        } else {
                            self.file(entry.path(), &shown);
                        }
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    let shown = err
                        .path()
                        .map_or_else(|| root.display().to_string(), |p| p.display().to_string());
                    let message = lowercase_first(&err.to_string());
                    self.fail(Problem::new(
                        ProblemKind::Io,
                        shown,
                        format!("cannot read: {message}"),
                    ));
                }
            }
        }
    }

    fn file(&mut self, path: &Path, shown: &str) {
        match File::open(path) {
            Ok(file) => {
                // A folder of articles is thousands of files of a few kilobytes: buffers sized
                // for each, not 64 KB apiece.
                let size = file.metadata().map_or(u64::MAX, |m| m.len());
                self.stream_sized(shown, shown, Box::new(file), size);
            }
            Err(err) => self.fail(io_problem(shown, &err)),
        }
    }

    /// Reads one stream: undoes compression, then reads it as a tar archive or as records.
    /// `name` chooses the format; `shown` names it in origins and problems.
    fn stream(&mut self, shown: &str, name: &str, raw: Box<dyn Read + '_>) {
        self.stream_sized(shown, name, raw, u64::MAX);
    }

    /// [`Reader::stream`] of a stream of `size` bytes (`u64::MAX` if unknown), with buffers no
    /// larger than it needs.
    fn stream_sized(&mut self, shown: &str, name: &str, raw: Box<dyn Read + '_>, size: u64) {
        const BUFFER: u64 = 1 << 16;
        // Room for the whole stream and the read that finds its end; at least a page.
        let capacity = size.saturating_add(1).clamp(4096, BUFFER) as usize;
        let mut buffered = BufReader::with_capacity(capacity, raw);
        let compressed = match magic(&mut buffered) {
            Ok(m) => m,
            Err(err) => return self.fail(io_problem(shown, &err)),
        };
        let decoded: Box<dyn Read + '_> = match compressed {
            Some(Compression::Gzip) => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
            Some(Compression::Zstd) => match zstd::stream::read::Decoder::with_buffer(buffered) {
                Ok(d) => Box::new(d),
                Err(err) => return self.fail(corrupt_problem(shown, None, &err)),
            },
            None => Box::new(buffered),
        };
        // Decompressed, a stream may be any size.
        let capacity = if compressed.is_some() {
            BUFFER as usize
        } else {
            capacity
        };
        let mut input = Source {
            inner: BufReader::with_capacity(capacity, decoded),
            compressed: compressed.is_some(),
        };
        let layout = match self.layout(name, &mut input) {
            Ok(layout) => layout,
            Err(err) => return self.fail(input.problem(shown, None, &err)),
        };
        match layout {
            Layout::Tar => self.tar(shown, input),
            Layout::Records(Format::Article) => self.article(shown, name, input),
            Layout::Records(Format::JsonLines) => self.json_lines(shown, name, input),
            Layout::Records(Format::Csv) => self.csv(shown, name, input),
        }
    }

    /// Whether a file named `name` is read as one article whatever it holds (so that it makes
    /// exactly one record).
    fn is_article_by_name(&self, name: &str) -> bool {
        matches!(
            self.layout_by_name(name),
            Some(Layout::Records(Format::Article))
        )
    }

    /// The layout a name (or `--format`) decides, if it does.
    fn layout_by_name(&self, name: &str) -> Option<Layout> {
        if is_tar_name(name) {
            return Some(Layout::Tar);
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
        } else if inner.ends_with(".txt") {
            Format::Article
        } else {
            return None;
        };
        Some(Layout::Records(format))
    }

    fn layout(&self, name: &str, input: &mut Source<'_>) -> io::Result<Layout> {
        if let Some(layout) = self.layout_by_name(name) {
            return Ok(layout);
        }
        // No telling extension (standard input, a file named by the user): look at the content.
        let head = input.inner.fill_buf()?;
        if head.len() > 262 && &head[257..262] == b"ustar" {
            return Ok(Layout::Tar);
        }
        let first = head.iter().find(|b| !b.is_ascii_whitespace());
        Ok(Layout::Records(if first == Some(&b'{') {
            Format::JsonLines
        } else {
            Format::Article
        }))
    }

    fn article(&mut self, shown: &str, name: &str, mut input: Source<'_>) {
        let mut bytes = Vec::new();
        match input.inner.read_to_end(&mut bytes) {
            Ok(_) => (self.sink)(Record(Kind::Article {
                id: stem(name),
                path: shown.to_owned(),
                bytes,
            })),
            Err(err) => self.fail(input.problem(shown, None, &err)),
        }
    }

    fn json_lines(&mut self, shown: &str, name: &str, mut input: Source<'_>) {
        let path: Arc<str> = Arc::from(shown);
        let stem: Arc<str> = Arc::from(stem(name));
        let mut line = 0u64;
        let mut any = false;
        loop {
            let mut bytes = Vec::new();
            match input.inner.read_until(b'\n', &mut bytes) {
                Ok(0) => break,
                Ok(_) => {
                    line += 1;
                    if bytes.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    any = true;
                    (self.sink)(Record(Kind::JsonLine {
                        path: path.clone(),
                        stem: stem.clone(),
                        line,
                        bytes,
                    }));
                }
                Err(err) => return self.fail(input.problem(shown, Some(line + 1), &err)),
            }
        }
        if !any {
            self.fail(Problem::new(
                ProblemKind::Empty,
                shown,
                "empty: no JSON lines",
            ));
        }
    }

    fn csv(&mut self, shown: &str, name: &str, input: Source<'_>) {
        let compressed = input.compressed;
        let mut reader = csv::ReaderBuilder::new().from_reader(input.inner);
        let header = match reader.byte_headers() {
            Ok(h) if !h.is_empty() => h.clone(),
            Ok(_) => {
                return self.fail(Problem::new(
                    ProblemKind::Empty,
                    shown,
                    "empty: no CSV header",
                ));
            }
            Err(err) => return self.fail(csv_problem(shown, compressed, &err)),
        };
        let names: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_owned())
            .collect();
        let find = |col: &str| names.iter().position(|n| n == col);
        let csv = &self.options.csv;
        let Some(text) = find(&csv.text_col) else {
            let message = format!(
                "no text column {:?} in the CSV header (columns: {})",
                csv.text_col,
                names.join(", ")
            );
            return self.fail(Problem::new(ProblemKind::BadCsv, shown, message).at(1, None));
        };
        let columns = Arc::new(CsvColumns {
            path: shown.to_owned(),
            stem: stem(name),
            id: find(&csv.id_col),
            date: find(&csv.date_col),
            text,
            names,
        });
        let mut any = false;
        let mut row = csv::ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut row) {
                Ok(false) => break,
                Ok(true) => {
                    any = true;
                    let line = row.position().map_or(0, csv::Position::line);
                    (self.sink)(Record(Kind::CsvRow {
                        columns: columns.clone(),
                        line,
                        row: row.clone(),
                    }));
                }
                Err(err) => {
                    let stop = matches!(err.kind(), csv::ErrorKind::Io(_));
                    self.fail(csv_problem(shown, compressed, &err));
                    if stop {
                        break;
                    }
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

    fn tar(&mut self, shown: &str, input: Source<'_>) {
        let compressed = input.compressed;
        let mut archive = tar::Archive::new(input.inner);
        let entries = match archive.entries() {
            Ok(entries) => entries,
            Err(err) => return self.fail(corrupt_problem(shown, None, &err)),
        };
        let mut any = false;
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => return self.fail(corrupt_problem(shown, None, &err)),
            };
            any = true;
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let member = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let file = member.rsplit('/').next().unwrap_or(&member);
            let in_hidden = member.split('/').any(|part| part.starts_with('.'));
            if in_hidden || !is_corpus_file(file) || is_tar_name(file) {
                continue;
            }
            let member_shown = format!("{shown}/{}", member.trim_start_matches("./"));
            // A corrupt stream breaks the entry being read and every entry after it: stop.
            let mut broken = false;
            let mut guard = Broken {
                inner: entry,
                broken: &mut broken,
                compressed,
            };
            self.stream(&member_shown, file, Box::new(&mut guard));
            if broken {
                return;
            }
        }
        if !any {
            self.fail(Problem::new(
                ProblemKind::Empty,
                shown,
                "empty: the archive holds no files",
            ));
        }
    }
}

fn is_tar_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let inner = strip_compression(&lower);
    inner.ends_with(".tar") || inner.ends_with(".tgz")
}

/// A reader that remembers whether it failed, so that a broken archive is read no further.
struct Broken<'b, R> {
    inner: R,
    broken: &'b mut bool,
    compressed: bool,
}

impl<R: Read> Read for Broken<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner
            .read(buf)
            .inspect_err(|_| *self.broken = true)
            .map_err(|err| {
                if self.compressed {
                    io::Error::new(io::ErrorKind::InvalidData, err)
                } else {
                    err
                }
            })
    }
}

/// A decoded input stream, and whether a decompressor sits under it (read errors then mean a
/// corrupt or truncated file rather than a failing disk).
struct Source<'a> {
    inner: BufReader<Box<dyn Read + 'a>>,
    compressed: bool,
}

impl Source<'_> {
    fn problem(&self, shown: &str, line: Option<u64>, err: &io::Error) -> Problem {
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

enum Compression {
    Gzip,
    Zstd,
}

fn magic(input: &mut impl BufRead) -> io::Result<Option<Compression>> {
    let head = input.fill_buf()?;
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        Some(Compression::Gzip)
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Some(Compression::Zstd)
    } else {
        None
    })
}

fn io_problem(shown: &str, err: &io::Error) -> Problem {
    Problem::new(
        ProblemKind::Io,
        shown,
        format!("cannot read: {}", lowercase_first(&err.to_string())),
    )
}

fn corrupt_problem(shown: &str, line: Option<u64>, err: &io::Error) -> Problem {
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

fn csv_problem(shown: &str, compressed: bool, err: &csv::Error) -> Problem {
    let line = err.position().map(csv::Position::line);
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("CSV row has {len} fields, the header has {expected_len}; row skipped")
        }
        csv::ErrorKind::Io(io_err) => {
            let mut p = if compressed {
                corrupt_problem(shown, line, io_err)
            } else {
                io_problem(shown, io_err)
            };
            p.line = p.line.or(line);
            return p;
        }
        _ => lowercase_first(&err.to_string()),
    };
    let mut p = Problem::new(ProblemKind::BadCsv, shown, message);
    p.line = line;
    p
}

fn parse_csv_row(columns: &CsvColumns, line: u64, row: &csv::ByteRecord) -> Parsed {
    let mut problems = Vec::new();
    let mut field = |i: usize| -> String {
        let bytes = row.get(i).unwrap_or_default();
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_owned(),
            Err(_) => {
                let mut w = invalid_utf8(bytes, &columns.path);
                w.line = Some(line);
                w.column = None;
                problems.push(w);
                String::from_utf8_lossy(bytes).into_owned()
            }
        }
    };
    let text = field(columns.text);
    if text.trim().is_empty() {
        problems.push(
            Problem::new(
                ProblemKind::Empty,
                &columns.path,
                format!(
                    "empty: column {:?} holds no text",
                    columns.names[columns.text]
                ),
            )
            .at(line, None),
        );
        return Parsed {
            document: None,
            problems,
        };
    }
    let id = columns
        .id
        .map(&mut field)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("{}:{line}", columns.stem));
    let date_text = columns.date.map(&mut field).unwrap_or_default();
    let mut metadata = serde_json::Map::new();
    for (i, name) in columns.names.iter().enumerate() {
        if Some(i) != columns.id && Some(i) != columns.date && i != columns.text {
            let value = field(i);
            metadata.insert(name.clone(), serde_json::Value::String(value));
        }
    }
    let mut date = None;
    if !date_text.trim().is_empty() {
        match parse_date_prefix(&date_text) {
            Ok(d) => date = Some(d),
            Err(message) => problems.push(
                Problem::new(
                    ProblemKind::BadDate,
                    &columns.path,
                    format!(
                        "column {:?}: {message}; document kept without a date",
                        columns.names[columns.date.unwrap_or(0)]
                    ),
                )
                .at(line, None),
            ),
        }
    }
    record_document(id, &columns.path, line, text, date, metadata, problems)
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if !chars.clone().next().is_some_and(char::is_uppercase) => {
            c.to_lowercase().chain(chars).collect()
        }
        _ => s.to_owned(),
    }
}

#[cfg(test)]
mod tests;
