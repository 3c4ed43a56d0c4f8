//! Problems as the user sees them: a few lines on stderr, every one in a CSV file on request.
//!
//! `problems.csv` columns: `kind` (see `corpus_core::ProblemKind`), `severity` (`rejected`: the
//! input produced no document; `warning`: the document was kept), `path`, `line`, `column`
//! (empty when unknown), `message`.
//!
//! Problems are written to their files as they come and only the first [`KEPT`] are held in
//! memory, so that an input of fifty million bad lines costs counts, not a list.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use corpus_core::{Document, Problem, ProblemKind};
use corpus_parser::{Flow, Input, Progress, ReadOptions};

use crate::csv_out::CsvWriter;
use crate::output::{AtomicFile, Outputs};

/// Problems listed one by one on stderr before the rest are only counted.
const SHOWN: usize = 20;
/// Problems held in memory, for stderr and `--json`; the files get every one.
pub(crate) const KEPT: usize = 1000;

/// The header of problems CSV files.
const PROBLEMS_HEADER: [&str; 6] = ["kind", "severity", "path", "line", "column", "message"];

/// Every problem of a run: counted, the first ones kept, all of them streamed to the files
/// asked for.
#[derive(Default)]
pub(crate) struct Problems {
    first: Vec<Problem>,
    total: u64,
    rejected: u64,
    by_kind: BTreeMap<ProblemKind, u64>,
    files: Vec<CsvWriter<AtomicFile>>,
    /// The first failure to write a problem, reported when the run finishes.
    error: Option<std::io::Error>,
    /// Documents read and left out by `--where`, `--since`, `--until`: counted here, with the
    /// problems, as what the run read but did not count; they are no problem.
    left_out: u64,
}

/// Reads `inputs` with [`corpus_parser::read_parallel`]: every problem into `problems` as it
/// comes, `map` on each document in the task that parsed it, `each` on the results here, in
/// input order, until it says [`Flow::Stop`]. Returns the documents read.
pub(crate) fn read_each<T: Send, F: Into<Flow>>(
    inputs: &[Input],
    options: &ReadOptions,
    progress: &dyn Progress,
    problems: &mut impl Tally,
    map: impl Fn(Document) -> T + Sync,
    mut each: impl FnMut(T) -> Result<F>,
) -> Result<u64> {
    let mut documents = 0u64;
    corpus_parser::read_parallel(inputs, options, progress, map, |batch| -> Result<Flow> {
        problems.extend(batch.problems);
        problems.leave_out(batch.left_out);
        for result in batch.results {
            documents += 1;
            if each(result)?.into() == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    })?;
    Ok(documents)
}

/// Where a read's problems go, and the count of the documents its selection left out.
pub(crate) trait Tally: Extend<Problem> {
    /// Counts documents the selection left out.
    fn leave_out(&mut self, documents: u64);
}

impl Tally for Problems {
    fn leave_out(&mut self, documents: u64) {
        self.left_out += documents;
    }
}

impl Extend<Problem> for Problems {
    fn extend<I: IntoIterator<Item = Problem>>(&mut self, problems: I) {
        problems.into_iter().for_each(|p| self.push(p));
    }
}

impl Problems {
    /// Writes every problem, from now on, to a CSV file at `path` (committed with the run's
    /// other outputs).
    pub(crate) fn stream_to(&mut self, path: &Path) -> Result<()> {
        let mut w = CsvWriter::new(AtomicFile::create(path)?);
        w.write_record(PROBLEMS_HEADER)
            .with_context(|| format!("cannot write {}", path.display()))?;
        self.files.push(w);
        Ok(())
    }

    pub(crate) fn push(&mut self, p: Problem) {
        self.total += 1;
        if p.rejects() {
            self.rejected += 1;
        }
        *self.by_kind.entry(p.kind).or_default() += 1;
        for w in &mut self.files {
            if let Err(err) = write_problem(w, &p) {
                self.error.get_or_insert(err);
            }
        }
        if self.first.len() < KEPT {
            self.first.push(p);
        }
    }

    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// How many documents the selection left out.
    pub(crate) fn left_out(&self) -> u64 {
        self.left_out
    }

    /// The first [`KEPT`] problems, in input order.
    pub(crate) fn first(&self) -> &[Problem] {
        &self.first
    }

    /// Commits the problem files with the run's other `outputs`, all of them or none: the one
    /// end of every run that writes files.
    pub(crate) fn commit_with(&mut self, mut outputs: Outputs) -> Result<()> {
        if let Some(err) = self.error.take() {
            return Err(anyhow::Error::from(err).context("cannot write the problems file"));
        }
        for w in self.files.drain(..) {
            outputs.add(w.into_inner());
        }
        outputs.commit()
    }

    /// Says the first problems on stderr, and how many more there are; nothing with `quiet`
    /// (`-q`: only what stops a run is said; the problems are in the output's counts and in
    /// `--problems FILE`).
    pub(crate) fn print(&self, problems_file: Option<&Path>, quiet: bool) {
        if quiet {
            return;
        }
        for p in self.first.iter().take(SHOWN) {
            crate::ui::say(&format!(
                "{}: {p}",
                if p.rejects() { "error" } else { "warning" }
            ));
        }
        if self.total > SHOWN as u64 {
            let more = self.total - SHOWN as u64;
            let hint = match problems_file {
                Some(f) => format!("all are in {}", f.display()),
                None => "list them all with --problems FILE".to_owned(),
            };
            let kinds: Vec<String> = self
                .by_kind
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            crate::ui::say(&format!(
                "... and {more} more problems ({hint}); by kind: {}",
                kinds.join(", ")
            ));
        }
    }

    /// `N documents, N problems (N rejected)`, pluralised, and how many entries of folders
    /// and archives were skipped, when some were.
    pub(crate) fn counts(&self, documents: u64) -> String {
        let s = |n: u64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let skipped = match self.by_kind.get(&ProblemKind::Skipped) {
            Some(1) => "; skipped 1 entry that is not a corpus file".to_owned(),
            Some(&n) if n > 1 => format!("; skipped {n} entries that are not corpus files"),
            _ => String::new(),
        };
        let left_out = match self.left_out {
            0 => String::new(),
            n => format!(
                "; {} left out by --where, --since, --until",
                s(n, "document")
            ),
        };
        format!(
            "{}, {} ({} rejected){skipped}{left_out}",
            s(documents, "document"),
            s(self.total, "problem"),
            self.rejected
        )
    }
}

fn write_problem(w: &mut CsvWriter<AtomicFile>, p: &Problem) -> std::io::Result<()> {
    let line = p.line.map(|l| l.to_string()).unwrap_or_default();
    let column = p.column.map(|c| c.to_string()).unwrap_or_default();
    w.write_record([
        p.kind.as_str(),
        severity(p),
        &p.path,
        &line,
        &column,
        &p.message,
    ])
}

fn severity(p: &Problem) -> &'static str {
    if p.rejects() { "rejected" } else { "warning" }
}
