//! `corpus parse`: the parsed documents as canonical JSON Lines.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::args::InputArgs;
use crate::output::Sink;
use crate::{Outcome, pipeline, report};

/// Print the parsed documents as JSON Lines, one canonical document per line
#[derive(Debug, clap::Args)]
pub(crate) struct ParseArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Write the documents to FILE (whole or not at all) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub(crate) fn run(args: &ParseArgs) -> Result<Outcome> {
    let inputs = args.input.inputs();
    let options = args.input.read_options();
    let progress = pipeline::progress_bar(args.input.quiet);
    let mut sink = Sink::open(args.output.as_deref())?;
    let mut problems = Vec::new();
    let mut documents = 0u64;
    // Each document is serialised, and dropped, in the task that parsed it: this thread only
    // writes lines.
    let serialise = |doc: corpus_core::Document| serde_json::to_string(&doc);
    pipeline::map_batches(
        &inputs,
        &options,
        &progress,
        &mut problems,
        serialise,
        |lines| {
            for line in lines {
                sink.write_all(line?.as_bytes())?;
                sink.write_all(b"\n")?;
                documents += 1;
            }
            Ok(())
        },
    )?;
    progress.finish_and_clear();
    sink.finish()?;
    args.input.finish(
        &problems,
        &format!("parsed {}", report::counts(documents, &problems)),
    )
}
