//! `corpus collocations`: the words found near a node (or beside each other), scored.

use std::io::Write;

use anyhow::Result;
use corpus_stats::{CollocationOptions, Collocations, Measure, PerThread};

use crate::args::InputArgs;
use crate::csv_out::CsvWriter;
use crate::output::Sink;
use crate::ui::Outcome;
use corpus_report::text::{First, table};
use corpus_report::views::{collocations_json, write_collocations};

use super::{Format, Source, ViewArgs, end, format, read, window};

/// Find the words that go with a word (or the corpus's strongest bigrams), scored
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus collocations --node rates wire.jsonl.gz --window 3,3 --by ll --top 30
  corpus collocations --bigrams news/ --by logdice --min-freq 10 --csv > bigrams.csv")]
pub(crate) struct CollocationsArgs {
    /// The node word (`*` allowed: `econom*`); its collocates are the words within --window
    #[arg(long, value_name = "WORD", required_unless_present = "bigrams")]
    node: Option<String>,
    /// Without a node: the corpus's bigrams (adjacent words, neither a stop word)
    #[arg(long, conflicts_with = "node")]
    bigrams: bool,
    /// Words before and after the node: `L,R`
    #[arg(long, default_value = "5,5", value_name = "L,R", value_parser = window)]
    window: (usize, usize),
    /// The measure the results are ranked by
    #[arg(long, value_enum, default_value = "logdice")]
    by: MeasureArg,
    /// Pairs seen fewer times are left out
    #[arg(long, default_value_t = 3, value_name = "N")]
    min_freq: u64,
    /// Pairs in fewer documents are left out
    #[arg(long, default_value_t = 1, value_name = "N")]
    min_docs: u64,
    /// Rows shown (every row with --csv and --json)
    #[arg(long, default_value_t = 20, value_name = "N")]
    top: usize,
    /// Stop words, left out as collocates: as `corpus stats --stopwords` (`auto`: each
    /// document's own language's list, and ours for English in all)
    #[arg(long, default_value = "auto", value_name = "LIST")]
    stopwords: String,
    #[command(flatten)]
    view: ViewArgs,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MeasureArg {
    /// logDice (Sketch Engine): 14 + log2(2 f(xy) / (f(x) + f(y)))
    Logdice,
    /// Mutual information: log2(O11 N / (R1 C1))
    Mi,
    /// Log-likelihood G2 (Dunning)
    Ll,
    /// t-score
    T,
    /// The pair's frequency
    Freq,
}

pub(crate) fn collocations(args: &CollocationsArgs) -> Result<Outcome> {
    let mut options = match &args.node {
        Some(node) => CollocationOptions::node(node, args.window.0, args.window.1)?,
        None => CollocationOptions::bigrams(),
    };
    (options.stopwords, options.stopwords_by_language) = crate::args::stopwords(&args.stopwords)?;
    let measure = match args.by {
        MeasureArg::Logdice => Measure::LogDice,
        MeasureArg::Mi => Measure::Mi,
        MeasureArg::Ll => Measure::LogLikelihood,
        MeasureArg::T => Measure::TScore,
        MeasureArg::Freq => Measure::Frequency,
    };
    let source = Source::open(&args.input, &args.view)?;
    let counters = PerThread::new(|| Collocations::new(options.clone()));
    let (problems, documents) = read(
        &args.input,
        &source,
        |doc| counters.with(|c| c.add_document(doc)),
        // A vocabulary past the memory stops the reading.
        |counted| Ok(counted.map(|()| true)?),
    )?;
    let mut parts = counters.into_inner();
    parts.sort_by_key(|c| std::cmp::Reverse(c.words()));
    let mut total = parts.remove(0);
    for part in parts {
        total.merge(part)?;
    }
    let scored = total.scored(measure, args.min_freq, args.min_docs);
    let mut out = Sink::open(None)?;
    let fmt = format(args.view.csv, args.view.json);
    match fmt {
        Format::Csv => write_collocations(&scored, &mut CsvWriter::new(&mut out))?,
        Format::Json => {
            let json = collocations_json(
                args.node.as_deref(),
                total.words(),
                total.node_frequency(),
                &scored,
            );
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        Format::Table => {
            let mut rows = vec![
                [
                    if args.node.is_some() {
                        "collocate"
                    } else {
                        "bigram"
                    },
                    "freq",
                    "docs",
                    "logDice",
                    "MI",
                    "LL",
                    "t",
                ]
                .map(str::to_owned)
                .to_vec(),
            ];
            for c in scored.iter().take(args.top) {
                rows.push(vec![
                    if args.node.is_some() {
                        c.collocate.to_owned()
                    } else {
                        format!("{} {}", c.node, c.collocate)
                    },
                    c.table.o11.to_string(),
                    c.documents.to_string(),
                    format!("{:.2}", c.log_dice),
                    format!("{:.2}", c.mi),
                    format!("{:.1}", c.log_likelihood),
                    format!("{:.2}", c.t_score),
                ]);
            }
            table(&mut out, "", First::Left, &rows)?;
        }
    }
    out.flush()?;
    let what = match &args.node {
        Some(node) => format!(
            "{} collocates of {node:?} ({} hits)",
            scored.len(),
            total.node_frequency()
        ),
        None => format!("{} bigrams", scored.len()),
    };
    let line = format!(
        "{what} over {} words, {}{}",
        total.words(),
        problems.counts(documents),
        source.note()
    );
    end(&args.input, problems, documents, &line)
}
