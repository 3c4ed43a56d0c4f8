//! `corpus parse`: the parsed documents as canonical JSON Lines, or as Parquet.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::args::InputArgs;
use crate::ui::Outcome;
use corpus_parser::{DocumentColumns, Input, NoProgress, ParquetWriter};

use crate::output::{self, AtomicFile, Outputs, Sink};
use crate::progress::Spinner;
use crate::report::read_each;

/// Print the parsed documents as JSON Lines, one canonical document per line
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus parse article.txt | jq .blocks
  corpus parse archive.tar.gz -o documents.jsonl --problems problems.csv
  corpus parse news.jsonl.gz -o news.parquet           any corpus to Parquet")]
pub(crate) struct ParseArgs {
    /// Write the documents to FILE (whole or not at all) instead of standard output: as
    /// Parquet (zstd) when it ends in `.parquet`
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
}

pub(crate) fn run(args: &ParseArgs) -> Result<Outcome> {
    let inputs = args.input.inputs()?;
    let outputs_asked: Vec<&Path> = [args.output.as_deref(), args.input.problems.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    output::check_paths(&inputs, &outputs_asked)?;
    if let Some(path) = args
        .output
        .as_deref()
        .filter(|p| crate::output::is_parquet(p))
    {
        return to_parquet(args, inputs, path);
    }
    let options = args.input.read_options();
    let progress = Spinner::new(args.input.quiet, args.output.is_none()).sized(&inputs);
    let mut sink = Sink::open(args.output.as_deref())?;
    let mut problems = args.input.problems()?;
    // When standard output closes early (`| head`), a run that also writes files goes on
    // without it, so that the files are whole; otherwise it stops there.
    let to_stdout = matches!(sink, Sink::Stdout(_));
    let go_on_without_stdout = to_stdout && args.input.problems.is_some();
    let mut stdout_closed = false;
    // Each document is serialised, and dropped, in the task that parsed it: this thread only
    // writes lines.
    let serialise = |doc: corpus_core::Document| serde_json::to_string(&doc.with_body());
    let documents = read_each(
        &inputs,
        &options,
        &progress,
        &mut problems,
        serialise,
        |line| {
            let line = line?;
            if stdout_closed {
                return Ok(());
            }
            let written = sink
                .write_all(line.as_bytes())
                .and_then(|()| sink.write_all(b"\n"));
            match written {
                Err(e) if e.kind() == ErrorKind::BrokenPipe && go_on_without_stdout => {
                    stdout_closed = true;
                    Ok(())
                }
                other => Ok(other?),
            }
        },
    )?;
    progress.finish();
    let mut outputs = Outputs::default();
    match sink.finish(&mut outputs) {
        Err(e) if go_on_without_stdout && crate::ui::is_broken_pipe(&e) => {}
        other => other?,
    }
    let summary = format!("parsed {}", problems.counts(documents));
    args.input.end(problems, outputs, documents, &summary)
}

/// `-o FILE.parquet`: the documents' columns are learnt in a first pass (a Parquet file's
/// schema comes before its rows), the rows written in a second; standard input is saved to a
/// temporary file for that. Problems are those of the first pass.
fn to_parquet(args: &ParseArgs, mut inputs: Vec<Input>, path: &Path) -> Result<Outcome> {
    let _spooled = output::spool_stdin_inputs(&mut inputs)?;
    let options = args.input.read_options();
    let progress = Spinner::new(args.input.quiet, false);
    let mut problems = args.input.problems()?;
    let mut columns = DocumentColumns::new();
    let observe = |doc: corpus_core::Document| DocumentColumns::of(&doc);
    let merge = |seen: DocumentColumns| {
        columns.merge(&seen);
        Ok(())
    };
    let documents = read_each(&inputs, &options, &progress, &mut problems, observe, merge)?;
    progress.finish();
    let mut writer = ParquetWriter::new(AtomicFile::create(path)?, &columns, &options.csv)?;
    let mut written = 0u64;
    corpus_parser::read_parallel(
        &inputs,
        &options,
        &NoProgress,
        |doc| doc,
        |batch| -> Result<()> {
            for doc in batch.results {
                writer.write(&doc)?;
                written += 1;
            }
            Ok(())
        },
    )?;
    if written != documents {
        anyhow::bail!(
            "the input changed while it was read: {documents} documents, then {written}; nothing was written"
        );
    }
    let mut outputs = Outputs::default();
    outputs.add(writer.finish()?);
    let summary = format!("parsed {}", problems.counts(documents));
    args.input.end(problems, outputs, documents, &summary)
}
