//! Problems: what went wrong with an input, where, and whether its document was kept.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Something wrong with an input, located as precisely as the input allows.
///
/// A problem either *rejects* its input (no document was made: an unreadable file, a binary
/// file, a JSON line that is not an object) or is a *warning* about a document that was kept
/// (invalid UTF-8 decoded lossily, a malformed date dropped). [`ProblemKind::rejects`] says which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// What kind of problem it is.
    pub kind: ProblemKind,
    /// The file (as the user named it; `archive.tar/member` inside archives; `-` for stdin).
    pub path: String,
    /// The 1-based line, where known.
    pub line: Option<u64>,
    /// The 1-based column in characters, where known.
    pub column: Option<u64>,
    /// What is wrong, quoting the offending value; lowercase, no trailing period.
    pub message: String,
}

/// The kinds of [`Problem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// The file could not be opened or read, or vanished while being read.
    Io,
    /// A compressed stream or archive is corrupt or truncated.
    Corrupt,
    /// The input holds NUL bytes: it is not text.
    Binary,
    /// The input holds no text at all.
    Empty,
    /// The input was not valid UTF-8; it was decoded with U+FFFD replacement characters.
    InvalidUtf8,
    /// A date is malformed or impossible; the document was kept without one.
    BadDate,
    /// A JSON Lines record is not a JSON object with a text.
    BadJson,
    /// A CSV record could not be read or lacks the text column.
    BadCsv,
    /// A Parquet file lacks the text column or its text column holds no strings, or a row group
    /// is compressed with a codec that is not read (brotli, LZO).
    BadParquet,
    /// The input's format could not be told from its name.
    UnknownFormat,
    /// A record (an article, a JSON line, a CSV row) is longer than the reader's limit; it was
    /// left out, and reading went on with the next one where the format allows.
    TooLong,
    /// An entry of a folder or archive was not read: not a regular file, not a corpus file by
    /// its name, or an archive nested too deep. Hidden, `README` and `LICENSE` files are skipped
    /// without a problem.
    Skipped,
    /// Something was read but is suspect: a duplicate JSON key (the last value was kept), an
    /// archive member whose path leaves the archive (read under a path inside it), a CSV header
    /// without the id or date column named.
    Suspect,
}

impl ProblemKind {
    /// Whether a problem of this kind means the input produced no document.
    pub fn rejects(self) -> bool {
        !matches!(
            self,
            ProblemKind::InvalidUtf8
                | ProblemKind::BadDate
                | ProblemKind::Skipped
                | ProblemKind::Suspect
        )
    }

    /// The snake_case name used in JSON and CSV output.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Io => "io",
            ProblemKind::Corrupt => "corrupt",
            ProblemKind::Binary => "binary",
            ProblemKind::Empty => "empty",
            ProblemKind::InvalidUtf8 => "invalid_utf8",
            ProblemKind::BadDate => "bad_date",
            ProblemKind::BadJson => "bad_json",
            ProblemKind::BadCsv => "bad_csv",
            ProblemKind::BadParquet => "bad_parquet",
            ProblemKind::UnknownFormat => "unknown_format",
            ProblemKind::TooLong => "too_long",
            ProblemKind::Skipped => "skipped",
            ProblemKind::Suspect => "suspect",
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Problem {
    /// A problem with a whole file, at no particular line.
    pub fn new(kind: ProblemKind, path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            kind,
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// The same problem, placed at a 1-based line (and column, when known).
    pub fn at(mut self, line: u64, column: Option<u64>) -> Problem {
        self.line = Some(line);
        self.column = column;
        self
    }

    /// Whether the input this problem is about produced no document.
    pub fn rejects(&self) -> bool {
        self.kind.rejects()
    }
}

/// `path:line:column: message`, leaving out what is not known, as compilers do.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}
