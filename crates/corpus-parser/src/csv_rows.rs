//! CSV files: the header, rows as records, and the two ways a CSV file can swallow input
//! silently (a quoted field left open to the end of the file, a row longer than the limit).

use std::cell::RefCell;
use std::io::{self, Read};
use std::rc::Rc;
use std::sync::Arc;

use corpus_core::{Problem, ProblemKind};

use crate::Parsed;
use crate::decode::{invalid_utf8, listed, quoted};
use crate::jsonl::{Record, parse_date_prefix, record_document};
use crate::read::{CsvOptions, corrupt_problem, io_problem, lowercase_first};

/// Which columns of one CSV file hold what.
#[derive(Debug)]
pub(crate) struct CsvColumns {
    path: String,
    stem: String,
    names: Vec<String>,
    text: usize,
    id: Option<usize>,
    date: Option<usize>,
}

/// The rows of one CSV file, read one at a time.
pub(crate) struct CsvRows<'a> {
    reader: csv::Reader<Tail<'a>>,
    tail: Rc<RefCell<Kept>>,
    columns: Arc<CsvColumns>,
    shown: &'a str,
    compressed: bool,
    limit: u64,
    row: csv::ByteRecord,
    done: bool,
    /// Columns asked for by a name of their own that the header does not have.
    missing: Vec<Problem>,
    /// Where the reader's first byte and line are in the file: a reader is made anew after
    /// a row too long to read, at the row after it.
    base_byte: u64,
    base_line: u64,
}

/// A row, or the problem met instead of one.
pub(crate) type Row = Result<(Arc<CsvColumns>, u64, csv::ByteRecord), Box<Problem>>;

impl<'a> CsvRows<'a> {
    /// Reads the header. The problem, when there is none or it lacks the text column, rejects
    /// the file.
    /// `name` names the documents of rows without an id (`<name>:<line>`).
    pub(crate) fn new(
        shown: &'a str,
        name: &str,
        input: impl Read + 'a,
        compressed: bool,
        limit: u64,
        options: &CsvOptions,
    ) -> Result<CsvRows<'a>, Box<Problem>> {
        let tail = Rc::new(RefCell::new(Kept::default()));
        let wrapped = Tail {
            inner: Box::new(input),
            kept: tail.clone(),
            limit,
            pending: Vec::new(),
        };
        // Flexible: rows of another number of fields are told apart here, so that a reader
        // made anew after a row too long to read tells them as the first did.
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(wrapped);
        let header = match reader.byte_headers() {
            Ok(h) if !h.is_empty() => h.clone(),
            Ok(_) => {
                return Err(Box::new(Problem::new(
                    ProblemKind::Empty,
                    shown,
                    "empty: no CSV header",
                )));
            }
            Err(err) => {
                let problem = if is_too_long(&err) {
                    Problem::new(
                        ProblemKind::TooLong,
                        shown,
                        format!(
                            "CSV header longer than {limit} bytes (--max-record-bytes), perhaps a quote left open; the file was not read"
                        ),
                    )
                    .at(1, None)
                } else {
                    csv_problem(shown, compressed, &err)
                };
                return Err(Box::new(problem));
            }
        };
        let names: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_owned())
            .collect();
        let find = |col: &str| names.iter().position(|n| n == col);
        let Some(text) = find(&options.text_col) else {
            let message = format!(
                "no text column {} in the CSV header (columns: {})",
                quoted(&options.text_col),
                listed(names.iter().map(String::as_str))
            );
            return Err(Box::new(
                Problem::new(ProblemKind::BadCsv, shown, message).at(1, None),
            ));
        };
        tail.borrow_mut().forget_before(reader.position().byte());
        // The default id and date columns are often absent; one named on purpose is a typo.
        let defaults = CsvOptions::default();
        let mut missing = Vec::new();
        for (col, default, then) in [
            (&options.id_col, &defaults.id_col, "ids are <file>:<line>"),
            (
                &options.date_col,
                &defaults.date_col,
                "documents are undated",
            ),
        ] {
            if col != default && find(col).is_none() {
                missing.push(
                    Problem::new(
                        ProblemKind::Suspect,
                        shown,
                        format!("no column {} in the CSV header; {then}", quoted(col)),
                    )
                    .at(1, None),
                );
            }
        }
        let columns = Arc::new(CsvColumns {
            path: shown.to_owned(),
            stem: name.to_owned(),
            id: find(&options.id_col),
            date: find(&options.date_col),
            text,
            names,
        });
        Ok(CsvRows {
            reader,
            tail,
            columns,
            shown,
            compressed,
            limit,
            row: csv::ByteRecord::new(),
            done: false,
            missing,
            base_byte: 0,
            base_line: 0,
        })
    }

    /// Where the reader is in the file, in bytes.
    fn byte(&self) -> u64 {
        self.base_byte + self.reader.position().byte()
    }

    /// Warnings about the header: id or date columns named but not there.
    pub(crate) fn header_warnings(&mut self) -> Vec<Problem> {
        std::mem::take(&mut self.missing)
    }

    /// The next row, or `None` at the end of the file (or after an error that ends it).
    pub(crate) fn next_row(&mut self) -> Option<Row> {
        if self.done {
            return None;
        }
        let start_byte = self.byte();
        let start_line = self.base_line + self.reader.position().line();
        match self.reader.read_byte_record(&mut self.row) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => {
                // The reader places a row where the one before it ended, before any blank
                // line (or the `\n` of a `\r\n`): the row's own line is after those.
                let line = self.base_line
                    + self.row.position().map_or(0, csv::Position::line)
                    + self.tail.borrow().scan.leading;
                let end = self.byte();
                let unclosed = {
                    let kept = self.tail.borrow();
                    // Only a row that ends where the file does can hold a quote left open.
                    let at_eof = kept.eof && kept.end.is_none() && end == kept.read_to();
                    at_eof.then(|| kept.scan.unclosed()).flatten()
                };
                self.tail.borrow_mut().forget_before(end);
                if let Some(newlines) = unclosed {
                    self.done = true;
                    let opened = line + newlines;
                    return Some(Err(Box::new(
                        Problem::new(
                            ProblemKind::BadCsv,
                            self.shown,
                            format!(
                                "unclosed quote: the quoted field opened on line {opened} runs to the end of the file; its row (and every row after it) was not read"
                            ),
                        )
                        .at(opened, None),
                    )));
                }
                let fields = self.columns.names.len();
                if self.row.len() != fields {
                    return Some(Err(Box::new(
                        Problem::new(
                            ProblemKind::BadCsv,
                            self.shown,
                            format!(
                                "CSV row has {} fields, the header has {fields}; row skipped",
                                self.row.len()
                            ),
                        )
                        .at(line, None),
                    )));
                }
                if end - start_byte > self.limit {
                    return Some(Err(Box::new(
                        Problem::new(
                            ProblemKind::TooLong,
                            self.shown,
                            format!(
                                "CSV row longer than {} bytes (--max-record-bytes); left out",
                                self.limit
                            ),
                        )
                        .at(line, None),
                    )));
                }
                // Copied field by field: the reader's record keeps the buffer its longest row
                // needed, and a clone would copy all of it for every row.
                let row: csv::ByteRecord = self.row.iter().collect();
                Some(Ok((self.columns.clone(), line, row)))
            }
            Err(err) if is_too_long(&err) => Some(Err(Box::new(self.skip_row(start_line)))),
            Err(err) => {
                if matches!(err.kind(), csv::ErrorKind::Io(_)) {
                    self.done = true;
                }
                let end = self.byte();
                self.tail.borrow_mut().forget_before(end);
                let mut problem = csv_problem(self.shown, self.compressed, &err);
                problem.line = problem.line.map(|l| l + self.base_line);
                Some(Err(Box::new(problem)))
            }
        }
    }

    /// After the row that began on `line` outgrew the limit: its bytes read to its end and
    /// let go, without keeping them, and a reader made anew at the row after it. The problem
    /// says which; a row that never ends (a quote left open) ends the file.
    fn skip_row(&mut self, line: u64) -> Problem {
        let empty = Tail {
            inner: Box::new(io::empty()),
            kept: self.tail.clone(),
            limit: self.limit,
            pending: Vec::new(),
        };
        let old = std::mem::replace(&mut self.reader, csv::Reader::from_reader(empty));
        let mut tail = old.into_inner();
        // The record grew to the limit: let it go.
        self.row = csv::ByteRecord::new();
        // The row's bytes so far were scanned as they were read (and not kept): scan on to
        // its end.
        let mut chunk = Vec::new();
        let ended = loop {
            if let Some(end) = self.tail.borrow().end {
                break Some(end);
            }
            chunk.resize(1 << 16, 0);
            match tail.read_raw(&mut chunk) {
                Ok(0) | Err(_) => break None,
                Ok(n) => self.tail.borrow_mut().take(&chunk[..n]),
            }
        };
        // The row's own line, after blank lines before it (see `next_row`).
        let (start, line) = (line, line + self.tail.borrow().scan.leading);
        let Some(next) = ended else {
            self.done = true;
            return Problem::new(
                ProblemKind::TooLong,
                self.shown,
                format!(
                    "CSV row longer than {} bytes (--max-record-bytes), perhaps a quote left open; it runs to the end of the file, which was not read",
                    self.limit
                ),
            )
            .at(line, None);
        };
        let newlines = self.tail.borrow().scan.newlines;
        // What was read past the row is served again to the new reader, before the rest.
        let mut rest = self.tail.borrow_mut().restart(next);
        rest.append(&mut tail.pending);
        tail.pending = rest;
        self.base_byte = next;
        // The reader counts lines from 1: the row after this one's last line.
        self.base_line = start + newlines - 1;
        self.reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(tail);
        Problem::new(
            ProblemKind::TooLong,
            self.shown,
            format!(
                "CSV row longer than {} bytes (--max-record-bytes); left out, and the rows after it read",
                self.limit
            ),
        )
        .at(line, None)
    }
}
/// Finds where a CSV row ends (its line break outside quotes), fed its bytes in pieces, and
/// counts its line breaks: the CSV reader's rules (a quote opens a quoted field only at the
/// start of a field, `""` inside one is a quote).
#[derive(Default)]
struct RowEnd {
    started: bool,
    in_field: bool,
    quoted: bool,
    /// A quote met inside a quoted field: it closes the field unless a quote follows.
    quote: bool,
    newlines: u64,
    /// The line breaks before the row's first field: blank lines, and the `\n` of a `\r\n`
    /// the row before ended with (the CSV reader ends a row at its `\r`).
    leading: u64,
    /// The line breaks before the quote that opened the quoted field last opened.
    opened_after: u64,
}

impl RowEnd {
    /// The index in `bytes` of the line break that ends the row, if it is there.
    fn feed(&mut self, bytes: &[u8]) -> Option<usize> {
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                self.newlines += 1;
            }
            if self.quote {
                self.quote = false;
                if b == b'"' {
                    continue;
                }
                self.quoted = false;
            }
            if self.quoted {
                self.quote = b == b'"';
                continue;
            }
            match b {
                b'"' if !self.in_field => {
                    self.quoted = true;
                    self.in_field = true;
                    self.opened_after = self.newlines;
                }
                b',' => self.in_field = false,
                // Line breaks before the row's first field are blank lines, passed over.
                b'\n' | b'\r' if self.started => return Some(i),
                b'\n' => {
                    self.leading += 1;
                    continue;
                }
                b'\r' => continue,
                _ => self.in_field = true,
            }
            self.started = true;
        }
        None
    }

    /// Whether the bytes fed so far, which run to the end of the file, end inside a quoted
    /// field; if so, how many line breaks of the row come before the quote that opened it.
    fn unclosed(&self) -> Option<u64> {
        // A quote last in the file closes its field.
        (self.quoted && !self.quote).then(|| self.opened_after - self.leading)
    }
}

/// What the CSV reader has read of the row it is reading, scanned as it comes and not kept
/// (a row can be as long as the limit), and the bytes it read ahead past the row's end.
#[derive(Default)]
struct Kept {
    /// Where the row begins in the file.
    offset: u64,
    /// The row's bytes read so far, scanned for its end and for quotes.
    scan: RowEnd,
    /// How many bytes of the row the scanner has seen.
    scanned: u64,
    /// Where the row ends in the file (past its line break), once the scanner found it.
    end: Option<u64>,
    /// Bytes read past the row's end, from `ahead_at` on; the CSV reader reads ahead.
    ahead: Vec<u8>,
    ahead_at: usize,
    /// Whether the end of the file was reached.
    eof: bool,
}

impl Kept {
    /// Takes bytes just read: the row's are scanned, those past its end kept.
    fn take(&mut self, mut bytes: &[u8]) {
        if self.end.is_none() {
            let Some(i) = self.scan.feed(bytes) else {
                self.scanned += bytes.len() as u64;
                return;
            };
            self.scanned += i as u64 + 1;
            self.end = Some(self.offset + self.scanned);
            bytes = &bytes[i + 1..];
        }
        if self.ahead_at > 0 && self.ahead_at * 2 >= self.ahead.len() {
            // Moved down only when half is spent: a byte is moved a bounded number of times
            // however short the rows.
            self.ahead.drain(..self.ahead_at);
            self.ahead_at = 0;
        }
        self.ahead.extend_from_slice(bytes);
    }

    /// Where in the file the bytes read so far end.
    fn read_to(&self) -> u64 {
        self.end.unwrap_or(self.offset + self.scanned) + (self.ahead.len() - self.ahead_at) as u64
    }

    /// The CSV reader is done with the row (or the header), which ended at `at`: the next
    /// row begins there, and what was read of it is scanned.
    fn forget_before(&mut self, at: u64) {
        self.start_row(at);
        let ahead = &self.ahead[self.ahead_at..];
        match self.scan.feed(ahead) {
            Some(i) => {
                self.scanned = i as u64 + 1;
                self.end = Some(self.offset + self.scanned);
                self.ahead_at += i + 1;
            }
            None => {
                self.scanned = ahead.len() as u64;
                self.ahead_at = self.ahead.len();
            }
        }
    }

    /// Starts a row at `at` with nothing of it scanned; the bytes read past `at` are left
    /// in `ahead`, from `ahead_at`.
    fn start_row(&mut self, at: u64) {
        // The bytes kept ahead begin where the row the scanner saw ended. The scanner and the
        // CSV reader follow the same rules, so `at` is there or (after `\r\n`) a byte on.
        let kept_from = self.end.unwrap_or(self.offset + self.scanned);
        let skip = usize::try_from(at.saturating_sub(kept_from)).unwrap_or(usize::MAX);
        self.ahead_at = self.ahead_at.saturating_add(skip).min(self.ahead.len());
        self.offset = at.max(kept_from);
        self.scan = RowEnd::default();
        self.scanned = 0;
        self.end = None;
    }

    /// Starts a row at `at`, and returns the bytes read past it instead of scanning them.
    fn restart(&mut self, at: u64) -> Vec<u8> {
        self.start_row(at);
        let rest = self.ahead.split_off(self.ahead_at);
        self.ahead.clear();
        self.ahead_at = 0;
        rest
    }
}

/// Reads for the CSV reader and keeps what it read since the current row began, so that a row
/// that ends at the end of the file can be checked for an unclosed quote, and a row longer
/// than the limit can be stopped before it fills memory.
struct Tail<'a> {
    inner: Box<dyn Read + 'a>,
    kept: Rc<RefCell<Kept>>,
    limit: u64,
    /// Bytes read past a row too long to read, served before the rest.
    pending: Vec<u8>,
}

/// The error a [`Tail`] returns when a row outgrows the limit.
#[derive(Debug)]
struct RowTooLong;

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("row too long")
    }
}

impl std::error::Error for RowTooLong {}

impl Read for Tail<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = if self.pending.is_empty() {
            self.inner.read(buf)?
        } else {
            let n = self.pending.len().min(buf.len());
            buf[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            n
        };
        let mut kept = self.kept.borrow_mut();
        kept.eof |= n == 0 && !buf.is_empty();
        kept.take(&buf[..n]);
        if kept.end.is_none() && kept.scanned > self.limit {
            return Err(io::Error::other(RowTooLong));
        }
        Ok(n)
    }
}

impl Tail<'_> {
    /// Reads without scanning: what was put back first, then the input.
    fn read_raw(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pending.is_empty() {
            return self.inner.read(buf);
        }
        let n = self.pending.len().min(buf.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

/// Whether `err` is a row outgrowing the limit.
fn is_too_long(err: &csv::Error) -> bool {
    match err.kind() {
        csv::ErrorKind::Io(io_err) => io_err
            .get_ref()
            .is_some_and(|e| e.downcast_ref::<RowTooLong>().is_some()),
        _ => false,
    }
}

fn csv_problem(shown: &str, compressed: bool, err: &csv::Error) -> Problem {
    let line = err.position().map(csv::Position::line);
    let message = match err.kind() {
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

pub(crate) fn parse_csv_row(columns: &CsvColumns, line: u64, row: &csv::ByteRecord) -> Parsed {
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
                    "empty: column {} holds no text",
                    quoted(&columns.names[columns.text])
                ),
            )
            .at(line, None),
        );
        return Parsed {
            document: None,
            problems,
            left_out: false,
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
        let column = quoted(&columns.names[columns.date.unwrap_or(0)]);
        match parse_date_prefix(&date_text) {
            Ok((d, warning)) => {
                date = Some(d);
                if let Some(w) = warning {
                    problems.push(
                        Problem::new(
                            ProblemKind::BadDate,
                            &columns.path,
                            format!("column {column}: {w}"),
                        )
                        .at(line, None),
                    );
                }
            }
            Err(message) => problems.push(
                Problem::new(
                    ProblemKind::BadDate,
                    &columns.path,
                    format!("column {column}: {message}; document kept without a date"),
                )
                .at(line, None),
            ),
        }
    }
    let record = Record {
        id,
        path: &columns.path,
        line,
        text,
        date,
        metadata,
        blocks: None,
    };
    record_document(record, problems)
}
