//! Problems as the user sees them: a few lines on stderr, every one in a CSV file on request.
//!
//! `problems.csv` columns: `kind` (see `corpus_core::ProblemKind`), `severity` (`rejected`: the
//! input produced no document; `warning`: the document was kept), `path`, `line`, `column`
//! (empty when unknown), `message`.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use corpus_core::Problem;

use crate::output::AtomicFile;

/// Problems listed one by one on stderr before the rest are only counted.
const SHOWN: usize = 20;

/// The header of problems CSV files.
pub(crate) const PROBLEMS_HEADER: [&str; 6] =
    ["kind", "severity", "path", "line", "column", "message"];

/// Writes every problem to CSV, whole or not at all.
pub(crate) fn write_problems_csv(path: &Path, problems: &[Problem]) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    {
        let mut w = csv::Writer::from_writer(&mut file);
        w.write_record(PROBLEMS_HEADER)?;
        for p in problems {
            let line = p.line.map(|l| l.to_string()).unwrap_or_default();
            let column = p.column.map(|c| c.to_string()).unwrap_or_default();
            w.write_record([
                p.kind.as_str(),
                severity(p),
                &p.path,
                &line,
                &column,
                &p.message,
            ])?;
        }
        w.flush()?;
    }
    file.commit()
}

pub(crate) fn severity(p: &Problem) -> &'static str {
    if p.rejects() { "rejected" } else { "warning" }
}

/// Prints the first problems to stderr, one line each, then how many more there were.
pub(crate) fn print_problems(problems: &[Problem], problems_file: Option<&Path>) {
    let mut err = std::io::stderr().lock();
    for p in problems.iter().take(SHOWN) {
        let _ = writeln!(
            err,
            "{}: {p}",
            if p.rejects() { "error" } else { "warning" }
        );
    }
    if problems.len() > SHOWN {
        let more = problems.len() - SHOWN;
        let hint = match problems_file {
            Some(f) => format!("all are in {}", f.display()),
            None => "list them all with --problems FILE".to_owned(),
        };
        let _ = writeln!(err, "... and {more} more problems ({hint})");
    }
}

/// `N documents, N problems (N rejected)`, pluralised.
pub(crate) fn counts(documents: u64, problems: &[Problem]) -> String {
    let rejected = problems.iter().filter(|p| p.rejects()).count();
    let s = |n: u64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {} ({rejected} rejected)",
        s(documents, "document"),
        s(problems.len() as u64, "problem")
    )
}
