//! What can be read and how: the inputs a user names, the read options, and how files are
//! named (which are corpus files, the id a file gives, paths shown with non-UTF-8 bytes
//! escaped).

use std::path::{Path, PathBuf};

/// One input named by the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file, or a folder walked recursively in file-name order.
    Path(PathBuf),
    /// Standard input, named `-` in problems and origins.
    Stdin,
    /// A file read as if it were named `name`: its format is chosen, and its documents and
    /// problems are named, by `name` (standard input saved to a temporary file for a second
    /// pass is `Named { path, name: "-" }`).
    Named {
        /// Where the bytes are.
        path: PathBuf,
        /// What to call them.
        name: String,
    },
    /// Bytes already in memory, read as if they were a file of that name.
    Memory {
        /// The name, whose extension chooses the format as for a file.
        name: String,
        /// The content.
        bytes: Vec<u8>,
    },
}

impl Input {
    /// The input's name as origins and problems show it: the path as given (bytes that are
    /// not UTF-8 written `\xNN`), `-` for standard input, or the name given.
    pub fn name(&self) -> String {
        match self {
            Input::Path(path) => shown_path(path),
            Input::Stdin => "-".to_owned(),
            Input::Named { name, .. } | Input::Memory { name, .. } => name.clone(),
        }
    }

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
    /// Plain text, each non-empty line a document named `<file stem>:<line>` (the shape of
    /// many research corpora and of fastText and gensim inputs); only by choice, never by
    /// extension.
    Lines,
    /// Parquet (`.parquet`, or a file that opens with `PAR1`), columns chosen by
    /// [`CsvOptions`] as for CSV, rows numbered from 1 (a document without an id is
    /// `<file stem>:<row>`). Needs the `parquet` feature; without it a Parquet file is an
    /// `unsupported format` problem.
    Parquet,
}

/// Which CSV columns hold what.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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

/// The default of [`ReadOptions::max_record_bytes`]: 256 MiB.
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 256 << 20;

/// How to read inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadOptions {
    /// Read every file as this format instead of choosing by extension.
    pub format: Option<Format>,
    /// The CSV columns.
    pub csv: CsvOptions,
    /// The longest record read, in bytes (decompressed): a longer article, JSON line or CSV
    /// row is a [`ProblemKind::TooLong`](corpus_core::ProblemKind::TooLong) problem, so that memory stays bounded whatever the
    /// input holds (a gzip bomb, `/dev/zero`). Default [`DEFAULT_MAX_RECORD_BYTES`].
    pub max_record_bytes: u64,
    /// Warn of a document whose id an earlier one of the run had ([`IdCheck`](crate::IdCheck),
    /// in [`read_documents`](crate::read_documents) and `read_parallel`): joins, `--key id`
    /// and scoring rely on unique ids. Costs 8 to 16 bytes per document. Default true.
    pub check_ids: bool,
    /// The encoding of text that is not UTF-8 (`encoding_rs::WINDOWS_1252`, found by a label
    /// such as `latin1` with `Encoding::for_label`): every record stream (not archives
    /// themselves) is transcoded to UTF-8 as it is read. A byte-order mark overrides it. Without
    /// it, UTF-16 is recognised by its byte-order mark and anything else is read as UTF-8, an
    /// invalid sequence being a located warning. Default none.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Read only this shard's files (see [`Shard`](crate::Shard)): the inputs are walked whole
    /// first, for the list of files, and again as they are read, for names, so that every
    /// document has the id and the problems of a single run. Default none: everything.
    pub shard: Option<crate::Shard>,
    /// The language of every document (`--lang`), instead of each document's own `lang` or
    /// `language` field or, where it has none, the language told from its text
    /// ([`corpus_core::lang::detect`]). Default none.
    pub lang: Option<corpus_core::Lang>,
    /// Which documents are read (`--where`, `--since`, `--until`): the others are parsed and
    /// left out before anything is counted, each [`Parsed::left_out`](crate::Parsed). Default:
    /// every document.
    pub select: crate::Selection,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            format: None,
            csv: CsvOptions::default(),
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            check_ids: true,
            encoding: None,
            shard: None,
            lang: None,
            select: crate::Selection::default(),
        }
    }
}

/// Whether a file found in a folder or archive is read: its name ends in `.txt`, `.jsonl`,
/// `.ndjson`, `.csv`, `.tar` or `.tgz` (ignoring case), possibly followed by `.gz`, `.zst`, `.bz2`, `.xz` or `.lz4`,
/// and it is not hidden nor a `README` or `LICENSE` file shipped beside the data.
pub fn is_corpus_file(name: &str) -> bool {
    !is_skipped_silently(name) && has_corpus_extension(name)
}

/// Hidden files and the `README` and `LICENSE` files shipped beside data: skipped without a
/// word, since they are never meant as documents.
pub(super) fn is_skipped_silently(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with('.') || lower.starts_with("readme") || lower.starts_with("license")
}

pub(super) fn has_corpus_extension(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let inner = strip_compression(&lower);
    [
        ".txt", ".jsonl", ".ndjson", ".csv", ".parquet", ".tar", ".tgz", ".zip",
    ]
    .iter()
    .any(|ext| inner.ends_with(ext))
}

pub(super) fn strip_compression(name: &str) -> &str {
    [".gz", ".zst", ".bz2", ".xz", ".lz4"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .unwrap_or(name)
}

/// The document id a file gives: its name without compression and format extensions.
pub(crate) fn stem(name: &str) -> String {
    stem_of(name).to_owned()
}

/// A path without the compression and format extensions of its last part (`sport/001.txt.gz`
/// is `sport/001`).
pub(crate) fn without_extensions(path: &str) -> String {
    match path.rfind('/') {
        Some(slash) => format!("{}/{}", &path[..slash], stem_of(&path[slash + 1..])),
        None => stem_of(path).to_owned(),
    }
}

/// [`stem`], borrowed.
pub(crate) fn stem_of(name: &str) -> &str {
    // Not at `\` on Unix: it is a character of names there, and of the `\xNN` escapes.
    let file = name
        .rsplit(|c| c == '/' || (cfg!(windows) && c == '\\'))
        .next()
        .unwrap_or(name);
    let lower = file.to_ascii_lowercase();
    let inner_len = strip_compression(&lower).len();
    let inner = &file[..inner_len];
    match inner.rfind('.') {
        Some(dot) if dot > 0 => &inner[..dot],
        _ => inner,
    }
}

/// Bytes as text, with every byte that is not part of valid UTF-8 written `\xNN`, so that two
/// names that differ only in such bytes stay apart.
pub(super) fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// A path as it is shown in origins and problems: as given, non-UTF-8 bytes escaped.
pub(super) fn shown_path(path: &Path) -> String {
    os_text(path.as_os_str())
}

#[cfg(unix)]
pub(super) fn os_text(s: &std::ffi::OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    escape_bytes(s.as_bytes())
}

#[cfg(not(unix))]
pub(super) fn os_text(s: &std::ffi::OsStr) -> String {
    s.to_string_lossy().into_owned()
}
