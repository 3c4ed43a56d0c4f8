//! The linguist's views: `corpus kwic`, `corpus collocations`, `corpus keyness`, `corpus
//! trend`. Each reads its input once on all cores (twice with `--dedup`: the copies are found
//! first), counts or collects in the library's counters, and prints a table, CSV or JSON; the
//! figures are the same at any thread count.

use std::io::Write;

use anyhow::Result;
use corpus_core::Document;
use corpus_dedup::{Copies, Deduplicator};
use corpus_parser::Flow;

use crate::args::{InputArgs, PresetArg};
use crate::csv_out::CsvWriter;
use crate::output::Sink;
use crate::progress::Spinner;
use crate::report::{Problems, read_each};
use crate::ui::Outcome;
use corpus_report::text::{First, table};

mod collocations;
mod keyness;
mod kwic;
mod trend;

pub(crate) use collocations::{CollocationsArgs, collocations};
pub(crate) use keyness::{KeynessArgs, keyness};
pub(crate) use kwic::{KwicArgs, kwic};
pub(crate) use trend::{TrendArgs, trend};

/// The options every view has.
#[derive(Debug, clap::Args)]
pub(crate) struct ViewArgs {
    /// Print CSV
    #[arg(long, conflicts_with = "json")]
    csv: bool,
    /// Print JSON
    #[arg(long)]
    json: bool,
    /// Count one copy of each story: leave out the copies `corpus dedup` finds
    #[arg(long, value_enum, value_name = "PRESET")]
    dedup: Option<PresetArg>,
    /// Count only what is new: leave out the documents that copy an archived one or another
    /// of the input, as `corpus dedup --against INDEX` finds them (with the index's options)
    #[arg(long, value_name = "INDEX", conflicts_with = "dedup")]
    against: Option<std::path::PathBuf>,
}

/// What a view leaves out before counting: `--dedup`'s copies, or `--against`'s.
#[derive(Debug, Clone)]
pub(crate) enum Leave {
    Copies(PresetArg),
    NotNew(std::path::PathBuf),
}

impl ViewArgs {
    fn leave(&self) -> Option<Leave> {
        match (&self.against, self.dedup) {
            (Some(index), _) => Some(Leave::NotNew(index.clone())),
            (None, Some(preset)) => Some(Leave::Copies(preset)),
            (None, None) => None,
        }
    }
}

/// How a table of results is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Table,
    Csv,
    Json,
}

fn format(csv: bool, json: bool) -> Format {
    match (csv, json) {
        (true, _) => Format::Csv,
        (_, true) => Format::Json,
        _ => Format::Table,
    }
}

/// The copies `--dedup` or `--against` leaves out: a first pass of `corpus dedup` over the
/// input, against the index with `--against`.
fn find_copies(
    input: &InputArgs,
    inputs: &[corpus_parser::Input],
    leave: Option<&Leave>,
) -> Result<Option<Copies>> {
    let index = match leave {
        None => return Ok(None),
        Some(Leave::NotNew(path)) => Some(corpus_dedup::Index::open(path)?),
        Some(Leave::Copies(_)) => None,
    };
    let options = match (leave, &index) {
        (_, Some(index)) => index.options().clone(),
        (Some(Leave::Copies(preset)), None) => corpus_dedup::Preset::from(*preset).options(),
        _ => return Ok(None),
    };
    let mut dedup = Deduplicator::new(options)?;
    // Against an index, documents are named by its field, as it was written.
    if let Some(field) = index.as_ref().and_then(|i| i.info().label_field.clone()) {
        dedup = dedup.labelled(field);
    }
    let preparer = dedup.preparer();
    let progress = Spinner::new(input.quiet, false).sized(inputs);
    corpus_parser::read_parallel(
        inputs,
        &input.read_options(),
        &progress,
        |doc| preparer.prepare(&doc),
        |batch| -> Result<()> {
            batch.results.into_iter().for_each(|p| dedup.add(p));
            Ok(())
        },
    )?;
    progress.finish();
    let done = match &index {
        Some(index) => dedup.finish_against(index)?,
        None => dedup.finish(),
    };
    Ok(Some(done.copies()))
}

/// Reads the input on all cores: `map` on each document that is not a copy left out, `fold`
/// on the results in input order (with the documents' dates). Returns the problems and the
/// documents read (copies included), and whether `fold` stopped the read.
fn read<T: Send>(
    input: &InputArgs,
    source: &Source,
    map: impl Fn(&Document) -> T + Sync,
    fold: impl FnMut(T) -> Result<bool>,
) -> Result<(Problems, u64)> {
    let mut problems = input.problems()?;
    let documents = read_into(
        input,
        &source.inputs,
        &mut problems,
        source.copies.as_ref(),
        map,
        fold,
    )?;
    Ok((problems, documents))
}

/// A view's inputs, standard input saved to a file when `--dedup` reads them twice, and the
/// copies it leaves out.
struct Source {
    inputs: Vec<corpus_parser::Input>,
    copies: Option<Copies>,
    leave: Option<Leave>,
    _spooled: Option<tempfile::NamedTempFile>,
}

impl Source {
    fn open(input: &InputArgs, view: &ViewArgs) -> Result<Source> {
        Source::of(input, input.inputs()?, view)
    }

    fn of(
        input: &InputArgs,
        mut inputs: Vec<corpus_parser::Input>,
        view: &ViewArgs,
    ) -> Result<Source> {
        let leave = view.leave();
        let spooled = match leave {
            Some(_) => crate::output::spool_stdin_inputs(&mut inputs)?,
            None => None,
        };
        let copies = find_copies(input, &inputs, leave.as_ref())?;
        Ok(Source {
            inputs,
            copies,
            leave,
            _spooled: spooled,
        })
    }

    /// What the summary says of the copies left out.
    fn note(&self) -> String {
        let flag = match &self.leave {
            Some(Leave::NotNew(_)) => "--against",
            _ => "--dedup",
        };
        self.copies.as_ref().map_or_else(String::new, |c| {
            format!("; {} copies left out ({flag})", c.len())
        })
    }
}

/// [`read`] of `inputs`, its problems added to `problems`.
fn read_into<T: Send>(
    input: &InputArgs,
    inputs: &[corpus_parser::Input],
    problems: &mut Problems,
    copies: Option<&Copies>,
    map: impl Fn(&Document) -> T + Sync,
    mut fold: impl FnMut(T) -> Result<bool>,
) -> Result<u64> {
    let progress = Spinner::new(input.quiet, false).sized(inputs);
    let documents = read_each(
        inputs,
        &input.read_options(),
        &progress,
        problems,
        |doc| (!copies.is_some_and(|c| c.contains(&doc))).then(|| map(&doc)),
        |result| match result {
            Some(value) => Ok(if fold(value)? {
                Flow::Continue
            } else {
                Flow::Stop
            }),
            None => Ok(Flow::Continue),
        },
    );
    progress.finish();
    documents
}

/// The end of a view's run: the problems file (`--problems FILE`) written, then the problems
/// and the summary said and the exit status decided.
fn end(input: &InputArgs, problems: Problems, documents: u64, line: &str) -> Result<Outcome> {
    input.end(problems, crate::output::Outputs::default(), documents, line)
}

fn date_text(doc_date: Option<corpus_core::Date>) -> String {
    doc_date.map(|d| d.to_string()).unwrap_or_default()
}

/// A number of words on a side, at most [`corpus_stats::MAX_WINDOW`].
pub(super) fn words_window(arg: &str) -> Result<usize, String> {
    let n: usize = arg
        .trim()
        .parse()
        .map_err(|_| format!("{arg:?} is not a number of words"))?;
    if n > corpus_stats::MAX_WINDOW {
        return Err(format!(
            "{n} words on a side is more than the {} a view reads",
            corpus_stats::MAX_WINDOW
        ));
    }
    Ok(n)
}

pub(super) fn chars_window(arg: &str) -> Result<usize, String> {
    let n: usize = arg
        .trim()
        .parse()
        .map_err(|_| format!("{arg:?} is not a number of characters"))?;
    if n > MAX_CHARS {
        return Err(format!(
            "{n} characters on a side is more than the {MAX_CHARS} a concordance shows"
        ));
    }
    Ok(n)
}

pub(super) fn window(arg: &str) -> Result<(usize, usize), String> {
    let bad = || format!("{arg:?} is not L,R (words before and after, such as 5,5)");
    let (l, r) = arg.split_once(',').ok_or_else(bad)?;
    let (l, r): (usize, usize) = (
        words_window(l).map_err(|e| format!("{arg:?}: {e}"))?,
        words_window(r).map_err(|e| format!("{arg:?}: {e}"))?,
    );
    if l + r == 0 {
        return Err(format!("{arg:?}: a window of no words finds nothing"));
    }
    Ok((l, r))
}

/// The most characters of context on a side.
pub(super) const MAX_CHARS: usize = 100_000;

/// Trend rows as a table, CSV or JSON (`terms`: a column per term).
fn write_trend(
    out: &mut Sink,
    fmt: Format,
    rows: &[corpus_stats::TrendRow],
    terms: bool,
) -> Result<()> {
    match fmt {
        Format::Csv => corpus_report::views::write_trend(rows, &mut CsvWriter::new(&mut *out))?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &corpus_report::views::trend_json(rows))?;
            writeln!(out)?;
        }
        Format::Table => {
            let mut table_rows = vec![
                if terms {
                    ["period", "term", "hits", "docs", "per million"]
                } else {
                    ["period", "", "hits", "docs", "per million"]
                }
                .map(str::to_owned)
                .to_vec(),
            ];
            let grouped = rows.iter().any(|r| r.group.is_some());
            if grouped {
                table_rows[0].insert(0, "group".to_owned());
            }
            for r in rows {
                let group = r.group.clone().into_iter().filter(|_| grouped);
                table_rows.push(
                    group
                        .chain([
                            r.period.clone(),
                            if terms { r.term.clone() } else { String::new() },
                            r.hits.to_string(),
                            r.documents.to_string(),
                            r.per_million
                                .map_or_else(|| "no documents".to_owned(), |p| format!("{p:.1}")),
                        ])
                        .collect(),
                );
            }
            if !terms {
                for row in &mut table_rows {
                    row.remove(1 + usize::from(grouped));
                }
            }
            table(out, "", First::Left, &table_rows)?;
        }
    }
    Ok(())
}
