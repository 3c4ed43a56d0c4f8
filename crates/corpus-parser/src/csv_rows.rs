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
        };
        let mut reader = csv::ReaderBuilder::new().from_reader(wrapped);
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
                return Err(Box::new(
                    too_long(&err, shown, limit, 1)
                        .unwrap_or_else(|| csv_problem(shown, compressed, &err)),
                ));
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
        })
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
        let start = self.reader.position().clone();
        match self.reader.read_byte_record(&mut self.row) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => {
                let line = self.row.position().map_or(0, csv::Position::line);
                let unclosed = {
                    let kept = self.tail.borrow();
                    let end = self.reader.position().byte();
                    // Only a row that ends where the file does can hold a quote left open.
                    let at_eof = kept.eof && end == kept.offset + kept.bytes.len() as u64;
                    at_eof.then(|| {
                        let from = start.byte().saturating_sub(kept.offset);
                        let from = usize::try_from(from).unwrap_or(usize::MAX);
                        kept.bytes.get(from..).and_then(unclosed_quote)
                    })
                }
                .flatten();
                self.tail
                    .borrow_mut()
                    .forget_before(self.reader.position().byte());
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
                let length = self.reader.position().byte() - start.byte();
                if length > self.limit {
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
                Some(Ok((self.columns.clone(), line, self.row.clone())))
            }
            Err(err) => {
                let line = start.line();
                if let Some(p) = too_long(&err, self.shown, self.limit, line) {
                    self.done = true;
                    return Some(Err(Box::new(p)));
                }
                if matches!(err.kind(), csv::ErrorKind::Io(_)) {
                    self.done = true;
                }
                self.tail
                    .borrow_mut()
                    .forget_before(self.reader.position().byte());
                Some(Err(Box::new(csv_problem(
                    self.shown,
                    self.compressed,
                    &err,
                ))))
            }
        }
    }
}

/// The bytes read since the start of the row being read (and what the CSV reader read ahead).
#[derive(Default)]
struct Kept {
    bytes: Vec<u8>,
    /// Where `bytes` starts in the file.
    offset: u64,
    /// Whether the end of the file was reached.
    eof: bool,
}

impl Kept {
    fn forget_before(&mut self, at: u64) {
        let n = usize::try_from(at.saturating_sub(self.offset)).unwrap_or(usize::MAX);
        let n = n.min(self.bytes.len());
        self.bytes.drain(..n);
        self.offset += n as u64;
    }
}

/// Reads for the CSV reader and keeps what it read since the current row began, so that a row
/// that ends at the end of the file can be checked for an unclosed quote, and a row longer
/// than the limit can be stopped before it fills memory.
struct Tail<'a> {
    inner: Box<dyn Read + 'a>,
    kept: Rc<RefCell<Kept>>,
    limit: u64,
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
        let n = self.inner.read(buf)?;
        let mut kept = self.kept.borrow_mut();
        kept.eof |= n == 0 && !buf.is_empty();
        kept.bytes.extend_from_slice(&buf[..n]);
        if kept.bytes.len() as u64 > self.limit.saturating_add(buf.len() as u64) {
            return Err(io::Error::other(RowTooLong));
        }
        Ok(n)
    }
}

/// The problem for a row that outgrew the limit, if that is what `err` is.
fn too_long(err: &csv::Error, shown: &str, limit: u64, line: u64) -> Option<Problem> {
    let csv::ErrorKind::Io(io_err) = err.kind() else {
        return None;
    };
    io_err.get_ref()?.downcast_ref::<RowTooLong>()?;
    Some(
        Problem::new(
            ProblemKind::TooLong,
            shown,
            format!(
                "CSV row longer than {limit} bytes (--max-record-bytes), perhaps a quote left open; the rest of the file was not read"
            ),
        )
        .at(line, None),
    )
}

/// Whether a row's raw bytes, read to the end of the file, end inside a quoted field; if so,
/// how many line breaks come before the quote that opened it. Follows the CSV reader's rules:
/// a quote opens a quoted field only at the start of a field, `""` inside one is a quote.
fn unclosed_quote(raw: &[u8]) -> Option<u64> {
    let mut at_field_start = true;
    let mut i = 0;
    let mut newlines = 0u64;
    while i < raw.len() {
        let b = raw[i];
        if at_field_start && b == b'"' {
            let opened_after = newlines;
            i += 1;
            loop {
                match memchr::memchr(b'"', &raw[i..]) {
                    None => return Some(opened_after),
                    Some(q) => {
                        i += q + 1;
                        if raw.get(i) == Some(&b'"') {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            at_field_start = false;
            continue;
        }
        at_field_start = b == b',' || b == b'\n' || b == b'\r';
        if b == b'\n' {
            newlines += 1;
        }
        i += 1;
    }
    None
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
