//! The reading side: inputs to records, streaming, through folders, archives and decompressors.
//!
//! Reading is split from parsing so that a caller can parse records in parallel: [`read`] walks
//! the inputs in a stable order on the calling thread and hands over [`Record`]s (one article
//! file, one JSON line, one CSV row) holding raw bytes; [`Record::parse`] turns each into a
//! document and its problems, on any thread. Only one record is held at a time, so memory does
//! not grow with the corpus.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use corpus_core::{Document, Lang, Problem, ProblemKind};

use crate::article::parse_article_bytes;
use crate::csv_rows::{CsvColumns, parse_csv_row};
use crate::jsonl::parse_json_line;
use crate::{Parsed, Source};

mod archive;
mod claim;
mod decompress;
mod inputs;
mod layouts;
use self::layouts::is_parquet_file;
#[cfg(feature = "parquet")]
mod parquet;
mod transcode;
mod zip_stream;

use self::archive::{is_tar_name, is_zip_name};
use self::claim::Claim;
use self::decompress::{Compression, Decoded, Lz4Frames, magic};
pub(crate) use self::decompress::{corrupt_problem, io_problem, lowercase_first};
pub use self::inputs::{
    CsvOptions, DEFAULT_MAX_RECORD_BYTES, Format, Input, ReadOptions, is_corpus_file,
};
use self::inputs::{shown_path, strip_compression};
pub(crate) use self::inputs::{stem, stem_of, without_extensions};

/// One unit of input, read but not yet parsed: an article file, a JSON line, a CSV row, or an
/// input that failed to be read at all.
#[derive(Debug)]
pub struct Record {
    kind: Kind,
    /// The language every document gets ([`ReadOptions::lang`]), set as the record is handed
    /// over.
    lang: Option<Lang>,
    /// The documents read ([`ReadOptions::select`]), unless every one is.
    select: Option<Arc<crate::Selection>>,
}

impl From<Kind> for Record {
    fn from(kind: Kind) -> Record {
        Record {
            kind,
            lang: None,
            select: None,
        }
    }
}

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
        /// The document's id, decided by the reader (see [`Reader::named`]).
        id: String,
        max_record_bytes: u64,
        encoding: Option<&'static encoding_rs::Encoding>,
    },
    JsonLine {
        path: Arc<str>,
        stem: Arc<str>,
        line: u64,
        bytes: Vec<u8>,
    },
    /// A line of a plain-text file read with [`Format::Lines`].
    TextLine {
        path: Arc<str>,
        stem: Arc<str>,
        line: u64,
        bytes: Vec<u8>,
    },
    CsvRow {
        columns: Arc<CsvColumns>,
        line: u64,
        row: ::csv::ByteRecord,
    },
    /// Row `index` of a batch of a Parquet file, its `row` in the file (1-based).
    #[cfg(feature = "parquet")]
    ParquetRow {
        columns: Arc<self::parquet::ParquetColumns>,
        batch: arrow_array::RecordBatch,
        index: usize,
        row: u64,
    },
    Failed(Problem),
}

impl Record {
    /// Parses the record. Never fails: what cannot be made a document is a problem.
    pub fn parse(self) -> Parsed {
        self.parse_measured().0
    }

    /// [`Record::parse`], and how many bytes of input the record held: [`Record::size`], or,
    /// for a folder's file read only now, the size read.
    /// A document the selection leaves out comes back `left_out`, with its problems.
    pub(crate) fn parse_measured(mut self) -> (Parsed, usize) {
        let (lang, select) = (self.lang, self.select.take());
        let (mut parsed, size) = self.parse_unassigned();
        if let Some(doc) = parsed.document.as_mut() {
            assign_lang(doc, lang);
        }
        if let Some(select) = select
            && parsed
                .document
                .as_ref()
                .is_some_and(|d| !select.contains(d))
        {
            parsed.document = None;
            parsed.left_out = true;
        }
        (parsed, size)
    }

    /// [`Record::parse_measured`] but for the language, left [`Lang::UND`].
    fn parse_unassigned(self) -> (Parsed, usize) {
        let size = self.size();
        let parsed = match self.kind {
            Kind::Article { id, path, bytes } => parse_article_bytes(
                Source {
                    path: &path,
                    name: &id,
                },
                bytes,
            ),
            Kind::ArticleFile {
                path,
                shown,
                id,
                max_record_bytes,
                encoding,
            } => {
                // Read as the reader would have: one record, the article or the problem.
                let options = ReadOptions {
                    format: Some(Format::Article),
                    max_record_bytes,
                    encoding,
                    ..ReadOptions::default()
                };
                let mut records = Vec::new();
                let mut keep = |r| {
                    records.push(r);
                    ControlFlow::Continue(())
                };
                let mut reader = Reader::new(&options, &mut keep);
                reader.pending = Some(id);
                reader.file(&path, &shown);
                // The article, or its problem, with any warning the reading made beside it
                // (bytes that were not of the encoding) as one result.
                let mut parsed = Parsed {
                    document: None,
                    problems: Vec::new(),
                    left_out: false,
                };
                let mut size = 0;
                for record in records {
                    let (one, bytes) = record.parse_unassigned();
                    size += bytes;
                    parsed.document = parsed.document.or(one.document);
                    parsed.problems.extend(one.problems);
                }
                if parsed.document.is_none() && parsed.problems.is_empty() {
                    parsed.problems.push(Problem::new(
                        ProblemKind::Io,
                        shown,
                        "cannot read: the file gave no record",
                    ));
                }
                return (parsed, size);
            }
            Kind::JsonLine {
                path,
                stem,
                line,
                bytes,
            } => parse_json_line(
                Source {
                    path: &path,
                    name: &stem,
                },
                line,
                &bytes,
            ),
            Kind::TextLine {
                path,
                stem,
                line,
                bytes,
            } => crate::jsonl::parse_text_line(
                Source {
                    path: &path,
                    name: &stem,
                },
                line,
                bytes,
            ),
            Kind::CsvRow { columns, line, row } => parse_csv_row(&columns, line, &row),
            #[cfg(feature = "parquet")]
            Kind::ParquetRow {
                columns,
                batch,
                index,
                row,
            } => self::parquet::parse_parquet_row(&columns, &batch, index, row),
            Kind::Failed(problem) => Parsed {
                document: None,
                problems: vec![problem],
                left_out: false,
            },
        };
        (parsed, size)
    }

    /// About how many bytes of input the record holds, for batching and progress.
    pub fn size(&self) -> usize {
        match &self.kind {
            Kind::Article { bytes, .. }
            | Kind::JsonLine { bytes, .. }
            | Kind::TextLine { bytes, .. } => bytes.len(),
            Kind::CsvRow { row, .. } => row.as_slice().len(),
            #[cfg(feature = "parquet")]
            Kind::ParquetRow {
                columns,
                batch,
                index,
                ..
            } => self::parquet::row_size(columns, batch, *index),
            // Not read yet (a stat per file would slow the one reader thread); batches are
            // then bounded by their number of records, and the size is known once parsed.
            Kind::ArticleFile { .. } | Kind::Failed(_) => 0,
        }
    }

    /// Whether the record is only a warning about an entry that was not read (it then stands
    /// for no input that could have been a document).
    fn is_skip(&self) -> bool {
        matches!(&self.kind, Kind::Failed(p) if p.kind == ProblemKind::Skipped)
    }
}

/// Gives `doc` its language, unless its input named one ([`crate::jsonl`] takes a `lang` or
/// `language` field): `fixed` when the options give one, otherwise the text's
/// ([`corpus_core::lang::detect`]).
fn assign_lang(doc: &mut Document, fixed: Option<Lang>) {
    if let Some(lang) = fixed {
        doc.lang = lang;
    } else if !doc.lang.is_known() {
        doc.lang = corpus_core::lang::detect(&doc.text);
    }
}

/// Reads every input in order and hands each record to `sink`.
///
/// Folders are walked recursively in file-name order, skipping hidden entries and, inside
/// folders and archives, files that are not corpus files (see [`is_corpus_file`]; skipped
/// files other than `README` and `LICENSE` files are reported as [`ProblemKind::Skipped`]
/// warnings, and so are entries that are not regular files). Gzip, zstd, bzip2, xz and lz4 are
/// recognised by their magic bytes, tar and zip archives by name (`.tar`, `.tar.gz`, `.tgz`,
/// `.tar.zst`, `.zip`) or, when the name says nothing, by content, and so is Parquet (`PAR1`); archives inside archives are read too, a few levels deep. A
/// named file whose extension says nothing is read as article text. An input that holds no
/// record at all (a folder with no corpus file) is an [`ProblemKind::Empty`] problem. Errors
/// of any kind become records that parse to a problem; this function itself never fails.
pub fn read(inputs: &[Input], options: &ReadOptions, sink: &mut dyn FnMut(Record)) {
    read_inputs(inputs, options, &mut |_| {}, &mut |record| {
        sink(record);
        ControlFlow::Continue(())
    });
}

/// [`read`], telling `started` of each input as its reading starts; reading stops at once when
/// `sink` breaks (nothing more is read, decompressed or handed over).
pub(crate) fn read_inputs(
    inputs: &[Input],
    options: &ReadOptions,
    started: &mut dyn FnMut(&Input),
    sink: &mut dyn FnMut(Record) -> ControlFlow<()>,
) {
    let plan = options.shard.map(|shard| {
        let (files, per_input) = self::archive::count_files(inputs, None);
        // Fewer files than shards: the big line files are read in parts, one per shard.
        if files < u64::from(shard.count()) {
            let mut nothing = |_: Record| ControlFlow::Continue(());
            let planner = Reader::new(options, &mut nothing);
            (
                shard,
                true,
                self::archive::count_files(inputs, Some(&planner)),
            )
        } else {
            (shard, false, (files, per_input))
        }
    });
    let mut reader = Reader::new(options, sink);
    reader.shard = plan.as_ref().map(|(shard, _, (files, _))| (*shard, *files));
    reader.split = plan.as_ref().is_some_and(|(_, split, _)| *split);
    let plan = plan.map(|(shard, _, counted)| (shard, counted));
    for (k, input) in inputs.iter().enumerate() {
        if reader.budget.stopped() {
            break;
        }
        started(input);
        let before = reader.records;
        let shown = match input {
            Input::Path(path) => {
                reader.path(path);
                shown_path(path)
            }
            Input::Named { path, name } => {
                reader.named(name, name);
                if reader.claim() {
                    match File::open(path) {
                        Ok(file) => reader.open_file(file, name, name),
                        Err(err) => reader.fail(io_problem(name, &err)),
                    }
                }
                name.clone()
            }
            Input::Stdin => {
                reader.named("-", "-");
                if reader.claim() {
                    let stdin = io::stdin();
                    reader.stream("-", "-", Box::new(stdin.lock()));
                }
                "-".to_owned()
            }
            Input::Memory { name, bytes } => {
                reader.named(name, name);
                if reader.claim() {
                    reader.stream(name, name, Box::new(&bytes[..]));
                }
                name.clone()
            }
        };
        reader.pending = None;
        // Sharded, an input without a corpus file is the problem of the shard where its files
        // would have been (the last one, for one at the end of the run).
        let empty = match &plan {
            None => reader.records == before,
            Some((shard, (files, per_input))) => {
                let (start, any) = per_input[k];
                let last = shard.index() + 1 == shard.count();
                !any && (shard.has(start, *files) || (start >= *files && last))
            }
        };
        if empty {
            reader.fail(Problem::new(
                ProblemKind::Empty,
                shown,
                "empty: no corpus file was found here to read",
            ));
        }
    }
}

/// How many files a sharded run of these inputs shares out (see [`Shard`](crate::Shard)):
/// every regular file the reader meets, folders walked, archives one file each.
pub fn count_files(inputs: &[Input]) -> u64 {
    self::archive::count_files(inputs, None).0
}

/// Reads and parses every input in order on the calling thread, handing over each result.
///
/// With [`ReadOptions::check_ids`], a document whose id an earlier one had comes with a warning.
pub fn read_documents(inputs: &[Input], options: &ReadOptions, sink: &mut dyn FnMut(Parsed)) {
    let mut ids = options.check_ids.then(crate::IdCheck::default);
    read(inputs, options, &mut |record| {
        let mut parsed = record.parse();
        if let (Some(ids), Some(doc)) = (ids.as_mut(), parsed.document.as_ref()) {
            parsed.problems.extend(ids.check(doc));
        }
        sink(parsed)
    });
}
/// A stream as UTF-8, and what its transcoding replaced when it was transcoded.
type Transcoded<'s> = (Decoded<'s>, Option<Arc<transcode::Replaced>>);

enum Layout {
    Tar,
    Zip,
    Records(Format),
}

struct Reader<'a> {
    options: &'a ReadOptions,
    sink: &'a mut dyn FnMut(Record) -> ControlFlow<()>,
    /// Records handed over that stand for an input (all but skip warnings).
    records: u64,
    /// How many archives the stream being read is inside.
    depth: usize,
    /// The names documents got from their files so far (see [`Reader::named`]).
    names: HashSet<String>,
    /// The name for the documents of the stream about to be read, when decided.
    pending: Option<String>,
    /// The shard read and the run's number of files (parts); the position of the next file.
    shard: Option<(crate::Shard, u64)>,
    position: u64,
    /// Whether plain line files are read in parts: a sharded run with fewer files than shards.
    split: bool,
    /// Bytes read of the input being read and bytes decompressed from it (every layer).
    budget: Arc<decompress::Budget>,
    /// [`ReadOptions::select`], shared by the records, unless it selects every document.
    select: Option<Arc<crate::Selection>>,
}

impl<'a> Reader<'a> {
    fn new(
        options: &'a ReadOptions,
        sink: &'a mut dyn FnMut(Record) -> ControlFlow<()>,
    ) -> Reader<'a> {
        Reader {
            options,
            sink,
            records: 0,
            depth: 0,
            names: HashSet::new(),
            pending: None,
            shard: None,
            position: 0,
            split: false,
            budget: Arc::new(decompress::Budget::new(options.max_record_bytes)),
            select: (!options.select.is_all()).then(|| Arc::new(options.select.clone())),
        }
    }

    /// Decides the name the documents of the next stream get from their file (an article's
    /// id, the `<name>:<line>` of a line without one): the file's stem, unless an earlier file
    /// of the run had it (`business/001.txt`, then `sport/001.txt`); then its path `relative`
    /// to the input named, without extensions (`sport/001`), or with them when that was taken
    /// too (`news.txt.xz` beside `news.txt.gz`).
    fn named(&mut self, file: &str, relative: &str) {
        // An archive names no document (its members do), nor takes a name from one.
        self.pending =
            (!is_tar_name(file) && !is_zip_name(file)).then(|| self.name_for(file, relative));
    }

    /// The name [`Reader::named`] decides, taken from the run's names.
    fn name_for(&mut self, file: &str, relative: &str) -> String {
        let stem = stem(file);
        if self.names.insert(stem.clone()) {
            return stem;
        }
        let qualified = without_extensions(relative);
        if self.names.insert(qualified.clone()) {
            return qualified;
        }
        // Beside a file of the same stem (`compressed.txt.gz`, `compressed.txt.xz`): the path
        // as it is. The same file read twice keeps its name (and the duplicate-id warning).
        self.names.insert(relative.to_owned());
        relative.to_owned()
    }

    fn emit(&mut self, mut record: Record) {
        record.lang = self.options.lang;
        record.select.clone_from(&self.select);
        if self.budget.stopped() {
            return;
        }
        if !record.is_skip() {
            self.records += 1;
        }
        if (self.sink)(record).is_break() {
            self.budget.stop();
        }
    }

    fn fail(&mut self, problem: Problem) {
        self.emit(Record::from(Kind::Failed(problem)));
    }

    fn skip(&mut self, shown: &str, why: &str) {
        self.fail(Problem::new(
            ProblemKind::Skipped,
            shown,
            format!("skipped: {why}"),
        ));
    }

    fn path(&mut self, path: &Path) {
        let shown = shown_path(path);
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => self.walk(path),
            Ok(_) => {
                self.named(&shown, &shown);
                match self.claim_file(Some(path), &shown) {
                    Claim::Whole => self.file(path, &shown),
                    Claim::Part { from, to, of } => self.file_part(path, &shown, from, to, of),
                    Claim::None => {}
                }
            }
            Err(err) => {
                if self.claim() {
                    self.fail(io_problem(&shown, &err));
                }
            }
        }
    }

    fn file(&mut self, path: &Path, shown: &str) {
        match File::open(path) {
            Ok(file) => self.open_file(file, shown, shown),
            Err(err) => self.fail(io_problem(shown, &err)),
        }
    }

    /// Reads an open file, named `name`: a Parquet file in place, anything else as a stream.
    fn open_file(&mut self, mut file: File, shown: &str, name: &str) {
        if self.may_be_parquet(name) {
            match is_parquet_file(&mut file) {
                #[cfg(feature = "parquet")]
                Ok(true) => {
                    let id_name = self.pending.take().unwrap_or_else(|| stem(name));
                    return self.parquet(shown, &id_name, file);
                }
                Ok(_) => {}
                Err(err) => return self.fail(io_problem(shown, &err)),
            }
        }
        // A folder of articles is thousands of files of a few kilobytes: buffers sized for
        // each, not 64 KB apiece.
        let size = file.metadata().map_or(u64::MAX, |m| m.len());
        self.stream_sized(shown, name, Box::new(file), size);
    }

    /// Whether a file of this name is Parquet if its content says so: its name (or
    /// `--format`) says Parquet, or says nothing.
    fn may_be_parquet(&self, name: &str) -> bool {
        match self.layout_by_name(name) {
            None => true,
            Some(Layout::Records(Format::Parquet)) => true,
            Some(_) => false,
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
        // What this stream's documents are named by; an archive's members decide their own.
        let id_name = self.pending.take().unwrap_or_else(|| stem(name));
        // Room for the whole stream and the read that finds its end; at least a page.
        let capacity = size.saturating_add(1).clamp(4096, BUFFER) as usize;
        // What a stream may decompress is bounded by what was read of its input: an input's
        // own bytes are counted at the top, and every decompressed byte or archive member's
        // byte below it (archives in archives multiply: 145 KB of nested zips once inflated
        // 73 GB).
        let raw: Box<dyn Read + '_> = if self.depth == 0 {
            self.budget.start();
            Box::new(decompress::Counted::read_of(raw, self.budget.clone()))
        } else {
            Box::new(decompress::Counted::inflated(raw, self.budget.clone()))
        };
        let mut buffered = BufReader::with_capacity(capacity, raw);
        let compressed = match magic(&mut buffered) {
            // A zip is read as a folder when its name says so or says nothing; named `.txt`, it
            // would be one article of binary.
            Ok(Some(Compression::Unsupported(what)))
                if what.starts_with("zip")
                    && (is_zip_name(name) || self.layout_by_name(name).is_none()) =>
            {
                None
            }
            Ok(m) => m,
            Err(err) => return self.fail(io_problem(shown, &err)),
        };
        let budget = self.budget.clone();
        let decoded: Box<dyn Read + '_> = match compressed {
            Some(Compression::Gzip) => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
            Some(Compression::Bzip2) => Box::new(bzip2::bufread::MultiBzDecoder::new(buffered)),
            Some(Compression::Xz) => {
                Box::new(liblzma::bufread::XzDecoder::new_multi_decoder(buffered))
            }
            // Frames one after the other (`cat a.lz4 b.lz4`) are read on, as lz4 -d does.
            Some(Compression::Lz4) => {
                Box::new(Lz4Frames(lz4_flex::frame::FrameDecoder::new(buffered)))
            }
            Some(Compression::Unsupported(what)) => {
                return self.fail(Problem::new(
                    ProblemKind::Binary,
                    shown,
                    format!("unsupported format: {what}; not read"),
                ));
            }
            Some(Compression::Zstd) => match zstd::stream::read::Decoder::with_buffer(buffered) {
                Ok(d) => Box::new(d),
                Err(err) => return self.fail(corrupt_problem(shown, None, &err)),
            },
            None => Box::new(buffered),
        };
        let decoded: Box<dyn Read + '_> = if compressed.is_some() {
            Box::new(decompress::Counted::inflated(decoded, budget))
        } else {
            decoded
        };
        // Decompressed, a stream may be any size.
        let capacity = if compressed.is_some() {
            BUFFER as usize
        } else {
            capacity
        };
        let mut input = Decoded {
            inner: BufReader::with_capacity(capacity, decoded),
            compressed: compressed.is_some(),
        };
        let layout = match self.layout(name, &mut input) {
            Ok(layout) => layout,
            Err(err) => return self.fail(input.problem(shown, None, &err)),
        };
        if matches!(layout, Layout::Records(Format::Parquet)) {
            return self.parquet_in_stream(shown, &id_name, input);
        }
        let mut replaced = None;
        if matches!(layout, Layout::Records(_)) {
            input = match self.transcoded(input) {
                Ok((input, r)) => {
                    replaced = r;
                    input
                }
                Err((input, err)) => return self.fail(input.problem(shown, None, &err)),
            };
        }
        self.read_layout(layout, shown, &id_name, input);
        // Bytes that were not of the encoding: one warning for the stream, at the first.
        let encoding = self.options.encoding.map_or("UTF-16", |e| e.name());
        if let Some(warning) = replaced.and_then(|r| r.warning(shown, encoding)) {
            self.fail(warning);
        }
    }
}

#[cfg(test)]
mod tests;
