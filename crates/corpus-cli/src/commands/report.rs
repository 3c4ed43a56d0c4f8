//! `corpus report`: one self-contained HTML page of a corpus's statistics and duplicates,
//! made by `corpus_report` (the passes, the page model and its HTML); this command reads the
//! arguments and writes the page.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use corpus_report::{Report, ReportOptions, render_html};

use crate::args::{InputArgs, PresetArg};
use crate::output::{self, Outputs, Sink};
use crate::progress::Spinner;
use crate::ui::Outcome;

/// Write one HTML page of charts and tables: volume over time, lengths, vocabulary,
/// boilerplate, duplicates
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus report news/ -o report.html
  corpus report wire.jsonl.gz --group-by meta.source -o report.html
  corpus report scrape.jsonl --dedup news -o report.html   figures count one copy per story
  corpus report today/ --against archive.idx -o today.html  figures count only what is new

The page is one file with every script and style inline: it opens offline, from a laptop or
an email attachment.")]
pub(crate) struct ReportArgs {
    /// Write the page to FILE (`-`: standard output)
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// How copies are found, as `corpus dedup --preset`
    #[arg(long, value_enum, default_value = "news", value_name = "PRESET")]
    preset: PresetArg,
    /// Count one copy of each story: the figures, terms and boilerplate leave out the copies
    /// found with PRESET (which then replaces --preset)
    #[arg(long, value_enum, value_name = "PRESET")]
    dedup: Option<PresetArg>,
    /// Count only what is new: copies of the archive indexed at INDEX (`corpus index build`)
    /// and of the documents' own stories are left out, found with the index's options
    #[arg(long, value_name = "INDEX", conflicts_with_all = ["dedup", "preset"])]
    against: Option<PathBuf>,
    /// Rows of each table, and terms of the term chart (at most 10 of them)
    #[arg(long, default_value_t = 20, value_name = "N")]
    top: usize,
    /// Stop words left out of top terms and bigrams, as `corpus stats --stopwords`
    #[arg(long, default_value = "auto", value_name = "LIST")]
    stopwords: String,
    /// A row of small charts, and the copies, per group: `year`, `month`, `lang` or `meta.FIELD`
    #[arg(long, value_name = "KEY")]
    group_by: Option<String>,
    /// A line or paragraph is boilerplate when at least N kept documents carry it
    #[arg(long, default_value_t = 5, value_name = "N")]
    min_docs: u64,
    /// The page's title [default: the inputs' names]
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
    /// Also print the data the page shows as JSON on standard output
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    input: InputArgs,
}

pub(crate) fn run(args: &ReportArgs) -> Result<Outcome> {
    if args.json && output::is_stdout(&args.output) {
        bail!("--json prints to standard output: write the page to a file with -o FILE");
    }
    let preset = corpus_dedup::Preset::from(args.dedup.unwrap_or(args.preset));
    let mut options = ReportOptions::new(preset);
    (options.stats.stopwords, options.stats.stopwords_by_language) =
        crate::args::stopwords(&args.stopwords)?;
    options.stats.group_by = crate::args::group_by(args.group_by.as_deref())?;
    options.one_copy = args.dedup.is_some();
    options.top = args.top;
    options.min_docs = args.min_docs;
    options.title = args.title.clone();
    options.group_by = args.group_by.clone();
    let mut inputs = args.input.inputs()?;
    let outputs_asked: Vec<&std::path::Path> =
        [Some(args.output.as_path()), args.input.problems.as_deref()]
            .into_iter()
            .flatten()
            .collect();
    output::check_paths(&inputs, &outputs_asked)?;
    // Two passes at least: standard input is saved to a temporary file first.
    let _spooled = output::spool_stdin_inputs(&mut inputs)?;
    let mut problems = args.input.problems()?;
    let progress = Spinner::new(args.input.quiet, false);
    let index = args
        .against
        .as_deref()
        .map(corpus_dedup::Index::open)
        .transpose()?;
    let read_options = args.input.read_options();
    let mut problem = |p| problems.push(p);
    let report = match &index {
        None => Report::build(&inputs, &read_options, options, &progress, &mut problem),
        Some(index) => Report::build_against(
            &inputs,
            &read_options,
            options,
            index,
            &progress,
            &mut problem,
        ),
    };
    progress.finish();
    let report = report?;
    crate::report::Tally::leave_out(&mut problems, report.left_out());
    let documents = report.documents();
    let page = report.page(problems.first(), problems.total(), crate::VERSION);
    let html = render_html(&page);
    let json = args
        .json
        .then(|| serde_json::to_string_pretty(&page))
        .transpose()?;
    drop(page);
    let mut outputs = Outputs::default();
    let mut out = Sink::open(Some(&args.output))?;
    // A page sent to a pipe that closed early still leaves the problems file written, as
    // parse and stats do.
    let sent = out
        .write_all(html.as_bytes())
        .map_err(anyhow::Error::from)
        .and_then(|()| out.finish(&mut outputs));
    match sent {
        Err(e) if args.input.problems.is_some() && crate::ui::is_broken_pipe(&e) => {}
        other => other?,
    }
    problems.commit_with(outputs)?;
    if let Some(json) = json {
        let mut out = Sink::open(None)?;
        writeln!(out, "{json}")?;
        out.flush()?;
    }
    let line = format!(
        "report of {}: {} ({} KB)",
        problems.counts(documents),
        args.output.display(),
        html.len().div_ceil(1024)
    );
    Ok(args.input.finish(&problems, documents, &line))
}
