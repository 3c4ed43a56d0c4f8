//! `corpus trend`: hits of terms per period, per million words.

use std::io::Write;

use anyhow::{Result, bail};
use corpus_stats::{Granularity, Pattern, TermHits, Trend};

use crate::args::InputArgs;
use crate::csv_out::CsvWriter;
use crate::output::Sink;

use crate::ui::Outcome;

use super::{Source, ViewArgs, end, format, read, write_trend};

/// Show how often terms appear over time: documents and hits per period, per million words
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus trend 'oil,crude oil' wire.jsonl.gz --by month --csv > oil.csv")]
pub(crate) struct TrendArgs {
    /// The terms, comma-separated: words or phrases, `*` in a word for any letters
    #[arg(value_name = "TERMS")]
    terms: String,
    /// The period
    #[arg(long, value_enum, default_value = "month")]
    by: ByArg,
    /// Match case as written
    #[arg(long)]
    case: bool,
    /// A trend per group: `year`, `month`, `lang` or `meta.FIELD` (a document in a list's
    /// every item), in a `group` column
    #[arg(long, value_name = "KEY")]
    group_by: Option<String>,
    /// With --csv: a row per period, a column per term (its hits per million words)
    #[arg(long, requires = "csv")]
    wide: bool,
    #[command(flatten)]
    view: ViewArgs,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ByArg {
    Day,
    /// ISO weeks, from Monday, named by their Monday
    Week,
    Month,
    Year,
}

pub(crate) fn trend(args: &TrendArgs) -> Result<Outcome> {
    let terms: Vec<String> = args
        .terms
        .split(',')
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    if terms.is_empty() {
        bail!(
            "no term in {:?}: give words or phrases, comma-separated",
            args.terms
        );
    }
    let patterns = terms
        .iter()
        .map(|t| Pattern::parse(t, args.case))
        .collect::<Result<Vec<_>, _>>()?;
    let hits = TermHits::new(patterns);
    let group_by = crate::args::group_by(args.group_by.as_deref())?;
    let source = Source::open(&args.input, &args.view)?;
    let mut trend = Trend::new();
    // A trend per group, by name, when asked; `trend` holds the whole corpus either way.
    let mut groups: std::collections::BTreeMap<String, Trend> = Default::default();
    let (problems, documents) = read(
        &args.input,
        &source,
        |doc| {
            let keys = group_by.as_ref().map(|g| g.keys(doc)).unwrap_or_default();
            (doc.date, hits.count(doc), keys)
        },
        |(date, (words, found), keys)| {
            trend.add(date, words, &found);
            for key in keys {
                groups.entry(key).or_default().add(date, words, &found);
            }
            Ok(true)
        },
    )?;
    let granularity = match args.by {
        ByArg::Day => Granularity::Day,
        ByArg::Week => Granularity::Week,
        ByArg::Month => Granularity::Month,
        ByArg::Year => Granularity::Year,
    };
    let rows = if group_by.is_some() {
        let mut rows = Vec::new();
        for (group, t) in &groups {
            rows.extend(t.rows(granularity, &terms).into_iter().map(|mut r| {
                r.group = Some(group.clone());
                r
            }));
        }
        rows
    } else {
        trend.rows(granularity, &terms)
    };
    let mut out = Sink::open(None)?;
    if args.wide {
        corpus_report::views::write_trend_wide(&rows, &terms, &mut CsvWriter::new(&mut out))?;
    } else {
        write_trend(&mut out, format(args.view.csv, args.view.json), &rows, true)?;
    }
    out.flush()?;
    let total: u64 = rows.iter().map(|r| r.hits).sum();
    let line = format!(
        "{total} hits of {} term{}, {}{}{}",
        terms.len(),
        if terms.len() == 1 { "" } else { "s" },
        problems.counts(documents),
        if trend.undated() > 0 {
            format!("; {} undated documents in `undated`", trend.undated())
        } else {
            String::new()
        },
        source.note()
    );
    end(&args.input, problems, documents, &line)
}
