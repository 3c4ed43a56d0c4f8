//! `corpus report`: one self-contained HTML page of a corpus's statistics and duplicates.
//!
//! The first pass feeds the statistics and the deduplication together, counted as `corpus
//! stats` and `corpus dedup --preset news` count them, so the page's figures are theirs (the
//! page embeds both commands' JSON). A second pass reads the input again for what the first
//! pass could not know: the top terms' hits over time, the titles of the largest clusters'
//! kept copies and the first text of each recurring line. With `--dedup`, the statistics count
//! the kept copies only: they move to the second pass, and the terms' hits to a third.
//!
//! The page holds aggregates and capped samples (the top rows of each table, the first
//! problems), never the corpus, so it stays small whatever the corpus's size. Its charts are
//! drawn by uPlot (`assets/uplot`, MIT, embedded in the binary) from the JSON in the page;
//! every figure is also in the page as text.

mod html;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use corpus_core::{Date, Document, Problem};
use corpus_dedup::{DedupResult, Deduplicated, Deduplicator, Reason, RepeatedBlock};
use corpus_stats::{CorpusStats, Pattern, ShardedStats, StatsOptions, Summary, TermHits};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::args::InputArgs;
use crate::args::PresetArg;
use crate::commands::{dedup, stats};
use crate::json::StatsJson;
use crate::output::{self, Outputs, Sink};
use crate::progress::Spinner;
use crate::report::Problems;
use crate::ui::Outcome;

/// Write one HTML page of charts and tables: volume over time, lengths, vocabulary,
/// boilerplate, duplicates
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus report news/ -o report.html
  corpus report wire.jsonl.gz --group-by meta.source -o report.html
  corpus report scrape.jsonl --dedup news -o report.html   figures count one copy per story

The page is one file with every script and style inline: it opens offline, from a laptop or
an email attachment.")]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    input: InputArgs,
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
    /// Rows of each table, and terms of the term chart (at most 10 of them)
    #[arg(long, default_value_t = 20, value_name = "N")]
    top: usize,
    /// Stop words left out of top terms and bigrams, as `corpus stats --stopwords`
    #[arg(long, default_value = "english", value_name = "LIST")]
    stopwords: String,
    /// A row of small charts, and the copies, per group: `year`, `month` or `meta.FIELD`
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
}

/// Terms drawn over time.
const TREND_TERMS: usize = 10;
/// Clusters listed.
const CLUSTERS: usize = 15;
/// Groups given a row of small charts (all are in the table).
const GROUP_ROWS: usize = 12;
/// Groups in the groups table.
const GROUPS_LISTED: usize = 100;

pub(crate) fn run(args: &ReportArgs) -> Result<Outcome> {
    if args.json && output::is_stdout(&args.output) {
        bail!("--json prints to standard output: write the page to a file with -o FILE");
    }
    let preset = args.dedup.unwrap_or(args.preset);
    let dedup_options = corpus_dedup::Preset::from(preset).options();
    let stats_options = StatsOptions {
        stopwords: stats::stopwords(&args.stopwords)?,
        group_by: stats::group_by(args.group_by.as_deref())?,
    };
    let mut inputs = args.input.inputs()?;
    let outputs_asked: Vec<&Path> = [Some(args.output.as_path()), args.input.problems.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    output::check_paths(&inputs, &outputs_asked)?;
    // Two passes at least: standard input is saved to a temporary file first.
    let _spooled = output::spool_stdin_inputs(&mut inputs)?;
    let read_options = args.input.read_options();
    let mut problems = args.input.problems()?;
    let one_copy = args.dedup.is_some();

    // First pass: the statistics (unless they count kept copies only) and the fingerprints.
    let stats = ShardedStats::new(stats_options.clone());
    let mut dedup = Deduplicator::new(dedup_options)?.count_repeated_blocks(args.min_docs);
    let preparer = dedup.preparer();
    let group_by = stats_options.group_by.clone();
    let mut docs = Docs::default();
    read_pass(
        args,
        &inputs,
        &read_options,
        |doc| {
            let words = (!one_copy).then(|| stats.add_document(&doc).map(|c| c.words));
            let groups = group_by.as_ref().map(|g| g.keys(&doc));
            (preparer.prepare(&doc), doc.date, words, groups)
        },
        |batch| -> Result<()> {
            for p in batch.problems {
                stats.add_problem(&p);
                problems.push(p);
            }
            for (prepared, date, words, groups) in batch.results {
                dedup.add(prepared);
                docs.push(date, words.transpose()?, groups.unwrap_or_default());
            }
            Ok(())
        },
    )?;
    let done = dedup.finish();
    let copies = one_copy.then(|| done.copies());
    // Whether `--dedup` leaves the document out of the figures.
    let left_out = |doc: &Document| copies.as_ref().is_some_and(|c| c.contains(doc));

    // Second pass: the kept copies' texts (and the statistics of the kept copies only).
    let clusters = largest_clusters(&done, CLUSTERS);
    let wanted: FxHashMap<usize, usize> = clusters
        .iter()
        .enumerate()
        .map(|(slot, c)| (c.kept, slot))
        .collect();
    let kept_stats = one_copy.then(|| ShardedStats::new(stats_options.clone()));
    // With --dedup the first pass counted only the problems.
    let (first_stats, problem_stats) = match stats.finish()? {
        s if one_copy => (None, Some(s)),
        s => (Some(s), None),
    };
    let trend_terms = first_stats
        .as_ref()
        .map(|s| top_terms(s, args.top.min(TREND_TERMS)));
    let hits = trend_terms.as_ref().map(|terms| term_hits(terms));
    let mut titles: Vec<Option<String>> = vec![None; clusters.len()];
    let mut trend_counts = TrendCounts::default();
    let mut kept = done.kept_copies(false);
    let mut index = 0usize;
    read_pass(
        args,
        &inputs,
        &read_options,
        |doc| {
            let is_copy = left_out(&doc);
            let words = match &kept_stats {
                Some(s) if !is_copy => Some(s.add_document(&doc).map(|c| c.words)),
                _ => None,
            };
            let counted = hits.as_ref().filter(|_| !is_copy).map(|h| h.count(&doc));
            (doc, words, counted)
        },
        |batch| -> Result<()> {
            // The problems were counted by the first pass.
            for (doc, words, counted) in batch.results {
                if let Some(&slot) = wanted.get(&index) {
                    titles[slot] = Some(headline(&doc));
                }
                if one_copy {
                    docs.set_words(index, words.transpose()?);
                }
                if let Some(counted) = counted {
                    trend_counts.add(docs.date(index), counted);
                }
                kept.next(doc)?;
                index += 1;
            }
            Ok(())
        },
    )?;
    let repeated = kept.finish()?;
    let total = match (first_stats, kept_stats, problem_stats) {
        (Some(s), _, _) => s,
        (None, Some(kept), Some(problems)) => {
            // The run's problems count whichever documents the figures count.
            let mut total = kept.finish()?;
            total.merge(problems)?;
            total
        }
        _ => unreachable!("the statistics are counted in one pass or the other"),
    };
    let trend_terms = match trend_terms {
        Some(t) => t,
        None => {
            // Third pass, with --dedup: the hits of the kept copies' top terms.
            let terms = top_terms(&total, args.top.min(TREND_TERMS));
            let hits = term_hits(&terms);
            let mut index = 0usize;
            read_pass(
                args,
                &inputs,
                &read_options,
                |doc| (!left_out(&doc)).then(|| hits.count(&doc)),
                |batch| -> Result<()> {
                    for counted in batch.results {
                        if let Some(counted) = counted {
                            trend_counts.add(docs.date(index), counted);
                        }
                        index += 1;
                    }
                    Ok(())
                },
            )?;
            terms
        }
    };
    let summary = total.summary(args.top);
    let page = Page::new(PageParts {
        args,
        inputs: &inputs,
        summary: &summary,
        problems: &problems,
        done: &done,
        docs: &docs,
        clusters,
        titles,
        repeated: &repeated,
        trend_terms,
        trend_counts: &trend_counts,
        one_copy: args.dedup,
    });
    let html = html::render(&page);
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
        Err(e) if problems_asked(args) && crate::ui::is_broken_pipe(&e) => {}
        other => other?,
    }
    problems.close_files(&mut outputs)?;
    outputs.commit()?;
    if let Some(json) = json {
        let mut out = Sink::open(None)?;
        writeln!(out, "{json}")?;
        out.flush()?;
    }
    let line = format!(
        "report of {}: {} ({} KB)",
        problems.counts(done.len() as u64),
        args.output.display(),
        html.len().div_ceil(1024)
    );
    Ok(args.input.finish(&problems, done.len() as u64, &line))
}

/// Whether the run writes a problems file, which a closed standard output must not cost.
fn problems_asked(args: &ReportArgs) -> bool {
    args.input.problems.is_some()
}

/// One read of the input on all cores, with a progress spinner: `corpus_parser::read_parallel`.
fn read_pass<T: Send>(
    args: &ReportArgs,
    inputs: &[corpus_parser::Input],
    options: &corpus_parser::ReadOptions,
    map: impl Fn(Document) -> T + Sync,
    consume: impl FnMut(corpus_parser::Batch<T>) -> Result<()>,
) -> Result<()> {
    let progress = Spinner::new(args.input.quiet, false);
    let result = corpus_parser::read_parallel(inputs, options, &progress, map, consume);
    progress.finish();
    result
}

/// A document's title, or else the start of its text: what a reader recognises it by.
fn headline(doc: &Document) -> String {
    const LONGEST: usize = 120;
    if let Some(title) = doc.title().map(str::trim).filter(|t| !t.is_empty()) {
        return title.to_owned();
    }
    let text = doc.body().next().unwrap_or(&doc.text);
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for w in words {
        if out.len() + w.len() + 1 > LONGEST {
            out.push_str(" …");
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The most frequent terms (stop words left out), as the summary ranks them.
fn top_terms(stats: &CorpusStats, n: usize) -> Vec<String> {
    stats
        .summary(n)
        .vocabulary
        .top_terms
        .into_iter()
        .map(|t| t.term)
        .collect()
}

/// Counts each term as a word of its own: a term is a normalised word, never a pattern.
fn term_hits(terms: &[String]) -> TermHits {
    let patterns = terms
        .iter()
        .filter_map(|t| Pattern::parse(&t.replace('*', ""), false).ok())
        .collect();
    TermHits::new(patterns)
}

/// What the page needs of each document, in input order: 10 bytes and its groups.
#[derive(Default)]
struct Docs {
    dates: Vec<Option<Date>>,
    /// Body words; `None` for a copy left out by `--dedup`.
    words: Vec<Option<u32>>,
    /// Per document, its groups (indices into `names`), flattened: `groups[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    groups: Vec<u32>,
    names: Vec<String>,
    by_name: FxHashMap<String, u32>,
}

impl Docs {
    fn push(&mut self, date: Option<Date>, words: Option<u64>, groups: Vec<String>) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.dates.push(date);
        self.words
            .push(words.map(|w| u32::try_from(w).unwrap_or(u32::MAX)));
        for name in groups {
            let id = match self.by_name.get(&name) {
                Some(&id) => id,
                None => {
                    let id = self.names.len() as u32;
                    self.by_name.insert(name.clone(), id);
                    self.names.push(name);
                    id
                }
            };
            self.groups.push(id);
        }
        self.starts.push(self.groups.len() as u32);
    }

    fn len(&self) -> usize {
        self.dates.len()
    }

    fn date(&self, i: usize) -> Option<Date> {
        self.dates.get(i).copied().flatten()
    }

    fn set_words(&mut self, i: usize, words: Option<u64>) {
        if let Some(w) = self.words.get_mut(i) {
            *w = words.map(|w| u32::try_from(w).unwrap_or(u32::MAX));
        }
    }

    fn groups_of(&self, i: usize) -> &[u32] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.groups[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// The top terms' words and hits per day, summed into the page's periods later.
#[derive(Default)]
struct TrendCounts {
    days: BTreeMap<Date, (u64, Vec<u64>)>,
}

impl TrendCounts {
    fn add(&mut self, date: Option<Date>, (words, hits): (u64, Vec<u64>)) {
        let Some(date) = date else { return };
        let (w, h) = self.days.entry(date).or_default();
        *w += words;
        h.resize(hits.len().max(h.len()), 0);
        for (a, b) in h.iter_mut().zip(hits) {
            *a += b;
        }
    }
}

/// A cluster with copies, for the table of the largest.
struct Cluster {
    /// The input index of the kept copy.
    kept: usize,
    members: Vec<usize>,
}

/// The `n` largest clusters with copies, largest first, then by their kept copy's input
/// order.
fn largest_clusters(done: &Deduplicated, n: usize) -> Vec<Cluster> {
    let mut members: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for (i, a) in done.result().assignments.iter().enumerate() {
        members.entry(a.cluster).or_default().push(i);
    }
    let mut clusters: Vec<Cluster> = members
        .into_iter()
        .filter(|(_, m)| m.len() > 1)
        .map(|(kept, members)| Cluster { kept, members })
        .collect();
    clusters.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.kept.cmp(&b.kept))
    });
    clusters.truncate(n);
    clusters
}

/// The length of the periods of a time chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Bin {
    Day,
    Week,
    Month,
    Year,
}

impl Bin {
    /// Days for a span of up to half a year, ISO weeks (from Monday) up to three years,
    /// months up to sixty, years past that.
    fn for_span(days: i64) -> Bin {
        if days <= 186 {
            Bin::Day
        } else if days <= 1098 {
            Bin::Week
        } else if days <= 21_915 {
            Bin::Month
        } else {
            Bin::Year
        }
    }

    /// The first day (days since 1970-01-01) of the period holding `day`.
    fn start(self, day: i64) -> i64 {
        let Some(date) = Date::from_days(day) else {
            return day;
        };
        let first = |y, m| Date::from_ymd(y, m, 1).map_or(day, Date::days);
        match self {
            Bin::Day => day,
            // 1970-01-01 was a Thursday: Monday is 3 days before.
            Bin::Week => day - (day + 3).rem_euclid(7),
            Bin::Month => first(date.year(), date.month()),
            Bin::Year => first(date.year(), 1),
        }
    }

    /// The first day of the period after the one starting on `start`.
    fn next(self, start: i64) -> i64 {
        let Some(date) = Date::from_days(start) else {
            return start + 1;
        };
        let (y, m) = (date.year(), date.month());
        let first = |y, m| Date::from_ymd(y, m, 1).map(Date::days);
        let next = match self {
            Bin::Day => Some(start + 1),
            Bin::Week => Some(start + 7),
            Bin::Month if m == 12 => first(y + 1, 1),
            Bin::Month => first(y, m + 1),
            Bin::Year => first(y + 1, 1),
        };
        next.unwrap_or(start + 1)
    }

    /// The period's name: `1987-03-02` (a day, or the Monday of a week), `1987-03`, `1987`.
    fn label(self, start: i64) -> String {
        let Some(d) = Date::from_days(start) else {
            return start.to_string();
        };
        match self {
            Bin::Day | Bin::Week => d.to_string(),
            Bin::Month => format!("{:04}-{:02}", d.year(), d.month()),
            Bin::Year => format!("{:04}", d.year()),
        }
    }
}

/// The longest span charted, in years.
const MAX_YEARS: i64 = 500;

/// The periods of the time charts: every period from the first to the last charted date,
/// the empty ones too.
#[derive(Debug, Clone, Serialize)]
struct Periods {
    bin: Bin,
    /// The first day of each period, as seconds since 1970 (the charts' time axis).
    x: Vec<i64>,
    labels: Vec<String>,
    /// The first day of each period. The charts cover every date, or, when the earliest and
    /// latest 0.5 % of the dated documents stretch the span to more than twice the rest's (and
    /// a month), the rest only; at most [`MAX_YEARS`]. So a stray `0001-01-01` does not
    /// flatten the chart, and a corpus whose dates are all in use loses none.
    #[serde(skip)]
    starts: Vec<i64>,
    first: Option<Date>,
    last: Option<Date>,
}

impl Periods {
    fn new(dates: &[Option<Date>]) -> Periods {
        let mut days: Vec<i64> = dates.iter().flatten().map(|d| d.days()).collect();
        days.sort_unstable();
        let mut periods = Periods {
            bin: Bin::Day,
            x: Vec::new(),
            labels: Vec::new(),
            starts: Vec::new(),
            first: None,
            last: None,
        };
        if days.is_empty() {
            return periods;
        }
        // All the dates, unless a few lie far out: then the earliest and latest 0.5 % go.
        let trim = days.len() / 200;
        let (mut a, mut b) = (trim, days.len() - 1 - trim);
        if days[days.len() - 1] - days[0] <= 2 * (days[b] - days[a]) + 31 {
            (a, b) = (0, days.len() - 1);
        }
        // Still too long (a few documents, one dated 0001-01-01): the dates farthest from the
        // median go until at most MAX_YEARS are left, so the page stays small.
        let median = days[days.len() / 2];
        while days[b] - days[a] > MAX_YEARS * 366 {
            if median - days[a] > days[b] - median {
                a += 1;
            } else {
                b -= 1;
            }
        }
        let (lo, hi) = (days[a], days[b]);
        let bin = Bin::for_span(hi - lo);
        periods.bin = bin;
        periods.first = Date::from_days(lo);
        periods.last = Date::from_days(hi);
        let mut start = bin.start(lo);
        while start <= hi {
            periods.starts.push(start);
            periods.x.push(start * 86_400);
            periods.labels.push(bin.label(start));
            start = bin.next(start);
        }
        periods
    }

    /// The period holding `date`, if it is charted.
    fn of(&self, date: Date) -> Option<usize> {
        let day = date.days();
        let (first, last) = (self.first?.days(), self.last?.days());
        if day < first || day > last {
            return None;
        }
        let start = self.bin.start(day);
        self.starts.binary_search(&start).ok()
    }
}

/// Documents per period: the kept copies and the copies, stacked.
#[derive(Debug, Serialize)]
struct Volume {
    periods: Periods,
    kept: Vec<u64>,
    copies: Vec<u64>,
    /// Dated documents outside the charted span.
    outside: u64,
    undated: u64,
}

/// A histogram of words per document, with the percentiles of `corpus stats`.
#[derive(Debug, Default, Serialize)]
struct Histogram {
    /// The lower edge of each bin; the bins are `width` wide, the last one open.
    edges: Vec<u64>,
    width: u64,
    counts: Vec<u64>,
    /// Whether the last bin holds every longer document too.
    open: bool,
}

impl Histogram {
    /// About 40 bins up to the 99th percentile, a round width (1, 2 or 5 times a power of 10),
    /// the longer documents in the last bin.
    fn new(values: &mut [u32]) -> Histogram {
        if values.is_empty() {
            return Histogram::default();
        }
        values.sort_unstable();
        let p99 = u64::from(values[(values.len() - 1) * 99 / 100]);
        let max = u64::from(values[values.len() - 1]);
        let width = round_width(p99.div_ceil(40).max(1));
        let bins = (p99 / width + 1) as usize;
        Histogram {
            edges: (0..bins as u64).map(|b| b * width).collect(),
            width,
            counts: vec![0; bins],
            open: max >= bins as u64 * width,
        }
    }

    /// The same bins, empty.
    fn like(&self) -> Histogram {
        Histogram {
            edges: self.edges.clone(),
            width: self.width,
            counts: vec![0; self.counts.len()],
            open: self.open,
        }
    }

    fn add(&mut self, words: u32) {
        if self.counts.is_empty() {
            return;
        }
        let bin = (u64::from(words) / self.width).min(self.counts.len() as u64 - 1);
        self.counts[bin as usize] += 1;
    }
}

/// The smallest of 1, 2, 5, 10, 20, 50, ... that is at least `w`.
fn round_width(w: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if step * m >= w {
                return step * m;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// The top terms per million words, per period.
#[derive(Debug, Serialize)]
struct Trend {
    terms: Vec<TrendTerm>,
}

#[derive(Debug, Serialize)]
struct TrendTerm {
    term: String,
    hits: u64,
    /// `None` for a period without words: a gap in the line, not a zero.
    per_million: Vec<Option<f64>>,
}

/// Days from each copy's kept copy to it: the spread of syndication.
#[derive(Debug, Default, Serialize)]
struct Lags {
    /// Days after the kept copy; the first and last bins hold every lag beyond them.
    days: Vec<i64>,
    copies: Vec<u64>,
    /// Copies whose date or whose kept copy's date is unknown.
    undated: u64,
}

/// Lags beyond this many days are counted in the last bin.
const MAX_LAG: i64 = 30;

/// A row of the largest clusters' table.
#[derive(Debug, Serialize)]
struct ClusterRow {
    kept: String,
    title: Option<String>,
    date: Option<Date>,
    documents: usize,
    exact: usize,
    near: usize,
    /// The earliest and latest date of the cluster's documents.
    first: Option<Date>,
    last: Option<Date>,
    /// The groups of its documents (with `--group-by`), most documents first.
    groups: Vec<String>,
}

/// A recurring line.
#[derive(Debug, Serialize)]
struct LineRow {
    text: String,
    kind: &'static str,
    documents: u64,
    first: Option<Date>,
    last: Option<Date>,
}

/// A group's figures and small charts.
#[derive(Debug, Serialize)]
struct GroupRow {
    group: String,
    documents: u64,
    /// Its documents that are copies.
    copies: u64,
    /// Its copies of a story whose kept copy is in no document of this group: syndicated from
    /// elsewhere.
    copied_from_others: u64,
    /// Documents per period (the volume chart's periods), when it has a row of charts.
    #[serde(skip_serializing_if = "Option::is_none")]
    volume: Option<Vec<u64>>,
    /// Words per document (the histogram's bins), when it has a row of charts.
    #[serde(skip_serializing_if = "Option::is_none")]
    words: Option<Vec<u64>>,
}

/// What the page is made from.
struct PageParts<'a> {
    args: &'a ReportArgs,
    inputs: &'a [corpus_parser::Input],
    summary: &'a Summary,
    problems: &'a Problems,
    done: &'a Deduplicated,
    docs: &'a Docs,
    clusters: Vec<Cluster>,
    titles: Vec<Option<String>>,
    repeated: &'a [RepeatedBlock],
    trend_terms: Vec<String>,
    trend_counts: &'a TrendCounts,
    one_copy: Option<PresetArg>,
}

/// Everything the page shows, as embedded in it (and printed by `--json`): `stats` is what
/// `corpus stats --json` prints, `dedup` what `corpus dedup --json --lines FILE` prints.
#[derive(Serialize)]
pub(crate) struct Page<'a> {
    title: String,
    version: &'static str,
    inputs: Vec<String>,
    /// The preset copies were found with.
    preset: &'static str,
    /// Whether the figures count one copy per story (`--dedup`).
    one_copy_per_story: bool,
    group_by: Option<&'a str>,
    stats: StatsJson<'a>,
    dedup: dedup::Summary<'a>,
    /// Problems in all, of which `stats.problems` lists the first.
    problems_total: u64,
    volume: Volume,
    words: Histogram,
    trend: Trend,
    lags: Lags,
    clusters: Vec<ClusterRow>,
    lines: Vec<LineRow>,
    /// Every group's figures, most documents first (capped); the first have charts.
    groups: Vec<GroupRow>,
    /// Groups in all.
    groups_total: usize,
    #[serde(skip)]
    summary: &'a Summary,
    #[serde(skip)]
    result: &'a DedupResult,
    #[serde(skip)]
    first_problems: &'a [Problem],
    #[serde(skip)]
    min_docs: u64,
}

impl Page<'_> {
    fn dedup_documents(&self) -> u64 {
        self.result.assignments.len() as u64
    }

    fn dedup_kept(&self) -> u64 {
        self.result.kept() as u64
    }

    fn dedup_copies(&self) -> u64 {
        self.dedup_documents() - self.dedup_kept()
    }

    fn dedup_clusters(&self) -> u64 {
        self.result.clusters_with_copies() as u64
    }

    fn problems(&self) -> &[Problem] {
        self.first_problems
    }
}

impl<'a> Page<'a> {
    fn new(p: PageParts<'a>) -> Page<'a> {
        let assignments = &p.done.result().assignments;
        let is_copy = |i: usize| assignments.get(i).is_some_and(|a| a.reason != Reason::Kept);
        let periods = Periods::new(&p.docs.dates);
        let n = periods.x.len();
        let mut volume = Volume {
            periods: periods.clone(),
            kept: vec![0; n],
            copies: vec![0; n],
            outside: 0,
            undated: 0,
        };
        for i in 0..p.docs.len() {
            match p.docs.date(i) {
                None => volume.undated += 1,
                Some(d) => match periods.of(d) {
                    None => volume.outside += 1,
                    Some(k) if is_copy(i) => volume.copies[k] += 1,
                    Some(k) => volume.kept[k] += 1,
                },
            }
        }

        let mut counted: Vec<u32> = p.docs.words.iter().flatten().copied().collect();
        let mut words = Histogram::new(&mut counted);
        for &w in p.docs.words.iter().flatten() {
            words.add(w);
        }

        let trend = Trend {
            terms: p
                .trend_terms
                .iter()
                .enumerate()
                .map(|(t, term)| {
                    let mut hits = vec![0u64; n];
                    let mut total = vec![0u64; n];
                    let mut all = 0;
                    for (date, (w, h)) in &p.trend_counts.days {
                        let got = h.get(t).copied().unwrap_or(0);
                        all += got;
                        if let Some(k) = periods.of(*date) {
                            hits[k] += got;
                            total[k] += w;
                        }
                    }
                    TrendTerm {
                        term: term.clone(),
                        hits: all,
                        per_million: hits
                            .iter()
                            .zip(&total)
                            .map(|(&h, &w)| {
                                (w > 0).then(|| (h as f64 * 1e6 / w as f64 * 10.0).round() / 10.0)
                            })
                            .collect(),
                    }
                })
                .collect(),
        };

        let mut lag_counts: BTreeMap<i64, u64> = BTreeMap::new();
        let mut lags = Lags::default();
        for (i, a) in assignments.iter().enumerate() {
            if a.reason == Reason::Kept {
                continue;
            }
            match (p.docs.date(i), p.docs.date(a.cluster)) {
                (Some(d), Some(k)) => {
                    let lag = (d.days() - k.days()).clamp(-MAX_LAG, MAX_LAG);
                    *lag_counts.entry(lag).or_default() += 1;
                }
                _ => lags.undated += 1,
            }
        }
        if let (Some((&lo, _)), Some((&hi, _))) =
            (lag_counts.first_key_value(), lag_counts.last_key_value())
        {
            let (lo, hi) = (lo.min(0), hi.max(0));
            lags.days = (lo..=hi).collect();
            lags.copies = (lo..=hi)
                .map(|d| lag_counts.get(&d).copied().unwrap_or(0))
                .collect();
        }

        let group_name = |id: u32| p.docs.names[id as usize].clone();
        let clusters = p
            .clusters
            .iter()
            .zip(p.titles)
            .map(|(c, title)| {
                let dates: Vec<Date> = c.members.iter().filter_map(|&i| p.docs.date(i)).collect();
                let mut groups: BTreeMap<u32, usize> = BTreeMap::new();
                for &i in &c.members {
                    for &g in p.docs.groups_of(i) {
                        *groups.entry(g).or_default() += 1;
                    }
                }
                let mut groups: Vec<(u32, usize)> = groups.into_iter().collect();
                groups.sort_by(|a, b| {
                    b.1.cmp(&a.1)
                        .then_with(|| p.docs.names[a.0 as usize].cmp(&p.docs.names[b.0 as usize]))
                });
                let reason = |r: Reason| {
                    c.members
                        .iter()
                        .filter(|&&i| assignments[i].reason == r)
                        .count()
                };
                ClusterRow {
                    kept: p.done.id(c.kept).unwrap_or_default().to_owned(),
                    title,
                    date: p.docs.date(c.kept),
                    documents: c.members.len(),
                    exact: reason(Reason::Exact),
                    near: reason(Reason::Near) + reason(Reason::Rewrite) + reason(Reason::Key),
                    first: dates.iter().min().copied(),
                    last: dates.iter().max().copied(),
                    groups: groups.into_iter().map(|(g, _)| group_name(g)).collect(),
                }
            })
            .collect();

        let lines = p
            .repeated
            .iter()
            .take(p.args.top)
            .map(|b| LineRow {
                text: b.text.clone(),
                kind: b.count.kind.as_str(),
                documents: b.count.documents,
                first: b.count.first,
                last: b.count.last,
            })
            .collect();

        // Per group: documents, copies, copies of other groups' stories.
        let g = p.docs.names.len();
        let mut rows: Vec<GroupRow> = (0..g as u32)
            .map(|id| GroupRow {
                group: group_name(id),
                documents: 0,
                copies: 0,
                copied_from_others: 0,
                volume: None,
                words: None,
            })
            .collect();
        for (i, a) in assignments.iter().enumerate() {
            for &id in p.docs.groups_of(i) {
                let row = &mut rows[id as usize];
                row.documents += 1;
                if a.reason != Reason::Kept {
                    row.copies += 1;
                    if !p.docs.groups_of(a.cluster).contains(&id) {
                        row.copied_from_others += 1;
                    }
                }
            }
        }
        let mut order: Vec<usize> = (0..g).collect();
        order.sort_by(|&a, &b| {
            rows[b]
                .documents
                .cmp(&rows[a].documents)
                .then(rows[a].group.cmp(&rows[b].group))
        });
        let charted: FxHashMap<u32, usize> = order
            .iter()
            .take(GROUP_ROWS)
            .enumerate()
            .map(|(slot, &id)| (id as u32, slot))
            .collect();
        let mut group_volume = vec![vec![0u64; n]; charted.len()];
        let mut group_words: Vec<Histogram> = (0..charted.len()).map(|_| words.like()).collect();
        for i in 0..p.docs.len() {
            for id in p.docs.groups_of(i) {
                if let Some(&slot) = charted.get(id) {
                    if let Some(k) = p.docs.date(i).and_then(|d| periods.of(d)) {
                        group_volume[slot][k] += 1;
                    }
                    if let Some(w) = p.docs.words[i] {
                        group_words[slot].add(w);
                    }
                }
            }
        }
        let mut rows: Vec<Option<GroupRow>> = rows.into_iter().map(Some).collect();
        let groups_total = g;
        let groups: Vec<GroupRow> = order
            .iter()
            .take(GROUPS_LISTED)
            .enumerate()
            .filter_map(|(slot, &id)| {
                let mut row = rows[id].take()?;
                if slot < GROUP_ROWS {
                    row.volume = Some(std::mem::take(&mut group_volume[slot]));
                    row.words = Some(std::mem::take(&mut group_words[slot].counts));
                }
                Some(row)
            })
            .collect();

        let mut dedup_summary = dedup::Summary::new(p.done.result(), p.done.options());
        dedup_summary.repeated_lines = Some(p.repeated.len());
        let preset = corpus_dedup::Preset::from(p.one_copy.unwrap_or(p.args.preset)).name();
        let inputs: Vec<String> = p.inputs.iter().map(|i| i.name()).collect();
        let names: Vec<&str> = inputs
            .iter()
            .map(|i| {
                Path::new(i)
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or(i)
            })
            .collect();
        Page {
            title: p.args.title.clone().unwrap_or_else(|| names.join(", ")),
            version: crate::VERSION,
            inputs,
            preset,
            one_copy_per_story: p.one_copy.is_some(),
            group_by: p.args.group_by.as_deref(),
            stats: {
                // The groups the page lists; `groups_total` says how many there are.
                let mut stats = StatsJson::new(p.summary, false, p.problems.first());
                stats.keep_largest_groups(GROUPS_LISTED);
                stats
            },
            dedup: dedup_summary,
            problems_total: p.problems.total(),
            volume,
            words,
            trend,
            lags,
            clusters,
            lines,
            groups,
            groups_total,
            summary: p.summary,
            result: p.done.result(),
            first_problems: p.problems.first(),
            min_docs: p.args.min_docs,
        }
    }
}

#[cfg(test)]
mod tests {
    use corpus_core::Date;

    use super::{Bin, Histogram, Periods, round_width};

    fn day(s: &str) -> Option<Date> {
        Date::parse(s).ok()
    }

    #[test]
    fn periods_follow_the_span_and_keep_the_empty_ones() {
        let short = Periods::new(&[day("1987-03-02"), None, day("1987-03-05")]);
        assert_eq!(short.bin, Bin::Day);
        assert_eq!(
            short.labels,
            ["1987-03-02", "1987-03-03", "1987-03-04", "1987-03-05"]
        );
        let year = Periods::new(&[day("1987-02-26"), day("1987-10-20")]);
        assert_eq!(year.bin, Bin::Week);
        // 1987-02-26 was a Thursday: its week starts on Monday the 23rd.
        assert_eq!(year.labels.first().map(String::as_str), Some("1987-02-23"));
        assert_eq!(year.labels.last().map(String::as_str), Some("1987-10-19"));
        assert_eq!(year.labels.len(), 35);
        // Evenly spread dates are all charted: none is an outlier.
        let even: Vec<Option<Date>> = (0..1000).map(|d| Date::from_days(18_000 + d)).collect();
        assert_eq!(Periods::new(&even).labels.len(), 1000_usize.div_ceil(7) + 1);
        let decade = Periods::new(&[day("2001-12-31"), day("2010-01-01")]);
        assert_eq!(decade.bin, Bin::Month);
        assert_eq!(decade.labels.len(), 8 * 12 + 1 + 1);
        assert_eq!(
            decade.of(Date::parse("2005-06-15").unwrap()),
            Some(1 + 3 * 12 + 5)
        );
    }

    #[test]
    fn a_stray_date_is_left_out_of_the_charted_span() {
        let mut dates: Vec<Option<Date>> = (1..=28)
            .flat_map(|d| std::iter::repeat_n(day(&format!("2024-02-{d:02}")), 10))
            .collect();
        dates.push(day("0001-01-01"));
        let p = Periods::new(&dates);
        assert_eq!(p.bin, Bin::Day);
        assert_eq!(p.labels.len(), 28);
        assert_eq!(p.of(Date::parse("0001-01-01").unwrap()), None);
        // Too few documents for the 0.5 % to leave any out: the farthest from the median go.
        let p = Periods::new(&[
            day("0001-01-01"),
            day("2024-02-01"),
            day("2024-02-03"),
            day("9999-12-31"),
        ]);
        assert_eq!(p.bin, Bin::Day);
        assert_eq!(p.labels.len(), 3);
    }

    #[test]
    fn histogram_bins_are_round_and_the_last_is_open() {
        assert_eq!(
            [1, 3, 10, 11, 40, 99, 101, 4000].map(round_width),
            [1, 5, 10, 20, 50, 100, 200, 5000]
        );
        let mut words: Vec<u32> = (0..1000).collect();
        words.push(100_000);
        let mut h = Histogram::new(&mut words);
        assert_eq!(h.width, 50);
        assert!(h.open);
        for &w in &words {
            h.add(w);
        }
        assert_eq!(h.counts.iter().sum::<u64>(), 1001);
        assert_eq!(h.counts[0], 50);
        assert_eq!(
            h.counts.last().copied(),
            Some(1001 - 50 * (h.counts.len() as u64 - 1))
        );
    }
}
