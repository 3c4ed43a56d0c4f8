//! `corpus index`: the index of an archive, which `corpus dedup --against` deduplicates each
//! new day's documents against (see `corpus_dedup::index`).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use corpus_dedup::{Index, IndexLock};
use corpus_report::json::IndexJson;

use crate::args::InputArgs;
use crate::commands::dedup::{Settings, first_pass};
use crate::output::{self, Outputs, Sink};
use crate::ui::Outcome;

/// Build, inspect and check the index of an archive, for `corpus dedup --against`
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus index build --preset news archive/ -o archive.idx
  corpus dedup --against archive.idx --update today/ -o kept.jsonl --clusters clusters.csv
  corpus index info archive.idx
  corpus index verify archive.idx
  corpus index compact archive.idx --keep-days 30")]
pub(crate) struct IndexArgs {
    #[command(subcommand)]
    command: IndexCommand,
}

#[derive(Debug, clap::Subcommand)]
enum IndexCommand {
    Build(Box<BuildArgs>),
    Info(InfoArgs),
    Verify(VerifyArgs),
    Compact(CompactArgs),
}

/// Drop the near-copy data of documents older than the days kept (exact copies of them are
/// found for ever): a new generation, written whole, one writer at a time
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus index compact archive.idx --keep-days 30")]
struct CompactArgs {
    /// The index
    index: PathBuf,
    /// Keep near-copy data of the documents dated this many days before the index's last date
    /// and later; at least the window (news: 3)
    #[arg(long, value_name = "N")]
    keep_days: u32,
    /// Print the index's summary as JSON
    #[arg(long)]
    json: bool,
}

/// Deduplicate an archive and write its index: what later runs need of every document (its
/// kept copies, its copies' places), not their text
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus index build --preset news archive/ -o archive.idx
  corpus index build --preset news --keep first 2024/ 2025/ -o archive.idx")]
struct BuildArgs {
    #[command(flatten)]
    settings: Settings,
    /// The index to write (replaced whole when it exists)
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// Print the index's summary as JSON
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    input: InputArgs,
}

/// Print what an index holds: documents, kept copies, dates, size, options
#[derive(Debug, clap::Args)]
struct InfoArgs {
    /// The index
    index: PathBuf,
    /// Print it as JSON
    #[arg(long)]
    json: bool,
}

/// Read every byte of an index and check it: its form, its checksums, every record
#[derive(Debug, clap::Args)]
struct VerifyArgs {
    /// The index
    index: PathBuf,
}

pub(crate) fn run(args: &IndexArgs) -> Result<Outcome> {
    match &args.command {
        IndexCommand::Build(args) => build(args),
        IndexCommand::Info(args) => info(args),
        IndexCommand::Verify(args) => verify(args),
        IndexCommand::Compact(args) => compact(args),
    }
}

fn compact(args: &CompactArgs) -> Result<Outcome> {
    let lock = IndexLock::acquire(&args.index)?;
    let index = Index::open(&args.index)?;
    let before = index.info().bytes;
    let info = index.compact(&lock, args.keep_days)?;
    print_info(&IndexJson::new(&args.index, &info), args.json)?;
    crate::ui::say(&format!(
        "compacted {}: {before} bytes to {}, {:.0} a document",
        args.index.display(),
        info.bytes,
        info.bytes as f64 / info.documents.max(1) as f64
    ));
    Ok(Outcome::Success)
}

/// The lock of the index to write at `path`: a file, never standard output.
pub(crate) fn lock_index(path: &std::path::Path) -> Result<IndexLock> {
    if output::is_stdout(path) {
        anyhow::bail!(
            "an index is written to a file, which later runs read in place: give a path, not -"
        );
    }
    Ok(IndexLock::acquire(path)?)
}

fn build(args: &BuildArgs) -> Result<Outcome> {
    let options = args.settings.options(None)?;
    let lock = lock_index(&args.output)?;
    let inputs = args.input.inputs()?;
    output::check_paths(&inputs, &[args.output.as_path()])?;
    let read_options = args.input.read_options();
    let dedup = args.settings.deduplicator(options, None)?.indexing();
    let (dedup, mut problems, _) = first_pass(dedup, &args.input, &inputs, &read_options, false)?;
    let done = dedup.finish();
    let info = done.write_index(&lock, None)?;
    problems.commit_with(Outputs::default())?;
    print_info(&IndexJson::new(&args.output, &info), args.json)?;
    let line = format!(
        "indexed {}: {} kept, {} copies; {} bytes, {:.0} a document",
        problems.counts(done.len() as u64),
        info.kept,
        info.documents - info.kept,
        info.bytes,
        info.bytes as f64 / info.documents.max(1) as f64
    );
    Ok(args.input.finish(&problems, done.len() as u64, &line))
}

fn info(args: &InfoArgs) -> Result<Outcome> {
    let index = Index::open(&args.index)?;
    print_info(&IndexJson::new(&args.index, index.info()), args.json)?;
    Ok(Outcome::Success)
}

fn verify(args: &VerifyArgs) -> Result<Outcome> {
    let index = Index::open(&args.index)?;
    let parts = index.verify()?;
    let info = index.info();
    let mut out = Sink::open(None)?;
    writeln!(
        out,
        "{}: whole: {} records of {} documents in {} segments, every checksum matches",
        args.index.display(),
        parts.records,
        info.documents,
        info.segments
    )?;
    let per = |b: u64| format!("{:.1}", b as f64 / info.documents.max(1) as f64);
    let mut rows = vec![vec![
        "part".to_owned(),
        "bytes".to_owned(),
        "a document".to_owned(),
    ]];
    for (name, bytes) in [
        ("record headers", parts.headers),
        ("body hashes, keys, subjects", parts.hashes),
        ("headlines, facts, openings", parts.facts),
        ("signatures", parts.signatures),
        ("ids and places", parts.identities),
        ("near copies' bands", parts.bands),
        ("paths", parts.paths),
        ("whole file", info.bytes),
    ] {
        rows.push(vec![name.to_owned(), bytes.to_string(), per(bytes)]);
    }
    corpus_report::text::table(&mut out, "", corpus_report::text::First::Left, &rows)?;
    out.flush()?;
    Ok(Outcome::Success)
}

fn print_info(summary: &IndexJson<'_>, json: bool) -> Result<()> {
    let mut out = Sink::open(None)?;
    if json {
        serde_json::to_writer_pretty(&mut out, summary)?;
        writeln!(out)?;
    } else {
        summary.write_table(&mut out)?;
    }
    out.flush()?;
    Ok(())
}
