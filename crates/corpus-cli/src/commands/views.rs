//! The linguist's views: `corpus kwic`, `corpus collocations`, `corpus keyness`, `corpus
//! trend`. Each reads its input once on all cores (twice with `--dedup`: the copies are found
//! first), counts or collects in the library's counters, and prints a table, CSV or JSON; the
//! figures are the same at any thread count.

use std::collections::BinaryHeap;
use std::io::Write;
use std::ops::ControlFlow;

use anyhow::{Result, bail};
use corpus_core::Document;
use corpus_dedup::{Deduplicator, Reason};
use corpus_stats::{
    CollocationOptions, Collocations, Context, Granularity, Kwic, Matcher, Measure, Part, Pattern,
    PerThread, TermCounts, TermHits, Trend, keywords, sort_key,
};
use rustc_hash::FxHashSet;
use serde_json::json;

use crate::args::{InputArgs, PresetArg};
use crate::csv_out::CsvWriter;
use crate::output::Sink;
use crate::progress::Spinner;
use crate::report::Problems;
use crate::table::{First, table};
use crate::ui::Outcome;

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

/// A document's place, to tell a copy found by the first pass in the second.
pub(crate) fn origin_key(doc: &Document) -> u64 {
    let mut key = Vec::with_capacity(doc.id.len() + doc.origin.path.len() + 12);
    key.extend_from_slice(doc.id.as_bytes());
    key.push(0);
    key.extend_from_slice(doc.origin.path.as_bytes());
    key.push(0);
    key.extend_from_slice(&doc.origin.line.unwrap_or(0).to_le_bytes());
    xxhash_rust::xxh3::xxh3_64(&key)
}

/// The copies `--dedup` leaves out: a first pass of `corpus dedup` over the input.
struct Copies {
    keys: FxHashSet<u64>,
    count: usize,
}

impl Copies {
    fn find_in(
        input: &InputArgs,
        inputs: &[corpus_parser::Input],
        dedup: Option<PresetArg>,
    ) -> Result<Option<Copies>> {
        let Some(preset) = dedup else {
            return Ok(None);
        };
        let options = corpus_dedup::Preset::from(preset).options();
        let mut dedup = Deduplicator::new(options)?;
        let preparer = dedup.preparer();
        let progress = Spinner::new(input.quiet, false);
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
        let done = dedup.finish();
        let mut keys = FxHashSet::default();
        for row in done.cluster_rows() {
            if row.reason != Reason::Kept {
                let mut doc = Document::new(row.document, row.path, "");
                doc.origin.line = row.line;
                keys.insert(origin_key(&doc));
            }
        }
        let count = keys.len();
        Ok(Some(Copies { keys, count }))
    }

    fn is_copy(copies: Option<&Copies>, doc: &Document) -> bool {
        copies.is_some_and(|c| c.keys.contains(&origin_key(doc)))
    }
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
    _spooled: Option<tempfile::NamedTempFile>,
}

impl Source {
    fn open(input: &InputArgs, dedup: Option<PresetArg>) -> Result<Source> {
        Source::of(input, input.inputs()?, dedup)
    }

    fn of(
        input: &InputArgs,
        mut inputs: Vec<corpus_parser::Input>,
        dedup: Option<PresetArg>,
    ) -> Result<Source> {
        let spooled = match dedup {
            Some(_) => crate::output::spool_stdin_inputs(&mut inputs)?,
            None => None,
        };
        let copies = Copies::find_in(input, &inputs, dedup)?;
        Ok(Source {
            inputs,
            copies,
            _spooled: spooled,
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
    let progress = Spinner::new(input.quiet, false);
    let mut documents = 0u64;
    let result = corpus_parser::read_parallel(
        inputs,
        &input.read_options(),
        &progress,
        |doc| (!Copies::is_copy(copies, &doc)).then(|| map(&doc)),
        |batch| -> Result<()> {
            batch.problems.into_iter().for_each(|p| problems.push(p));
            for result in batch.results {
                documents += 1;
                if let Some(value) = result
                    && !fold(value)?
                {
                    return Err(Enough.into());
                }
            }
            Ok(())
        },
    );
    progress.finish();
    match result {
        Ok(()) => {}
        Err(err) if err.downcast_ref::<Enough>().is_some() => {}
        Err(err) => return Err(err),
    }
    Ok(documents)
}

/// The end of a view's run: the problems file (`--problems FILE`) written, then the problems
/// and the summary said and the exit status decided.
fn end(input: &InputArgs, mut problems: Problems, documents: u64, line: &str) -> Result<Outcome> {
    let mut outputs = crate::output::Outputs::default();
    problems.close_files(&mut outputs)?;
    outputs.commit()?;
    Ok(input.finish(&problems, documents, line))
}

/// The read was stopped on purpose: enough hits.
#[derive(Debug)]
struct Enough;

impl std::fmt::Display for Enough {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("enough")
    }
}

impl std::error::Error for Enough {}

fn copies_note(copies: Option<&Copies>) -> String {
    copies.map_or_else(String::new, |c| {
        format!("; {} copies left out (--dedup)", c.count)
    })
}

fn date_text(doc_date: Option<corpus_core::Date>) -> String {
    doc_date.map(|d| d.to_string()).unwrap_or_default()
}

/// Show every hit of a word, phrase or pattern with its context (a concordance)
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus kwic 'interest rate*' wire.jsonl.gz --window 6 --sort right --limit 50")]
pub(crate) struct KwicArgs {
    /// What to find: a word, a phrase, `*` in a word for any letters; a regular expression
    /// with --regex
    #[arg(value_name = "PATTERN")]
    pattern: String,
    #[command(flatten)]
    input: InputArgs,
    /// PATTERN is a regular expression, matched in each paragraph's text
    #[arg(long)]
    regex: bool,
    /// Match case as written (by default `Oil` finds `oil` and `OIL`)
    #[arg(long)]
    case: bool,
    /// Words of context on each side (at most 1000)
    #[arg(long, default_value_t = 5, value_name = "N", conflicts_with = "chars", value_parser = words_window)]
    window: usize,
    /// Characters of context on each side, instead of words (at most 100000)
    #[arg(long, value_name = "N", value_parser = chars_window)]
    chars: Option<usize>,
    /// Order of the hits: input order (`doc`), by date, or by the words left or right of the
    /// hit (nearest first)
    #[arg(long, value_enum, default_value = "doc")]
    sort: SortArg,
    /// Show only the first N hits (in the --sort order); with `doc`, the read stops there
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Only count: hits and documents per month
    #[arg(long, conflicts_with_all = ["sort", "limit"])]
    count: bool,
    #[command(flatten)]
    view: ViewArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SortArg {
    Doc,
    Date,
    Left,
    Right,
}

/// A hit's sort key in its document: the key of [`Line`], and its place among the document's
/// hits for ties.
type DocKey = ((Vec<String>, Option<corpus_core::Date>), usize);

/// One hit with what is shown of its document, and its place in the input for ties.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    key: (Vec<String>, Option<corpus_core::Date>),
    at: (u64, usize),
    id: String,
    date: Option<corpus_core::Date>,
    path: String,
    line: Option<u64>,
    hit: corpus_stats::Hit,
}

impl Ord for Line {
    fn cmp(&self, other: &Line) -> std::cmp::Ordering {
        // Undated last when sorting by date.
        let date = |l: &Line| (l.key.1.is_none(), l.key.1);
        (&self.key.0, date(self), self.at).cmp(&(&other.key.0, date(other), other.at))
    }
}

impl PartialOrd for Line {
    fn partial_cmp(&self, other: &Line) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

pub(crate) fn kwic(args: &KwicArgs) -> Result<Outcome> {
    let matcher = if args.regex {
        Matcher::regex(&args.pattern, args.case)?
    } else {
        Matcher::Pattern(Pattern::parse(&args.pattern, args.case)?)
    };
    let context = match args.chars {
        Some(n) => Context::Chars(n),
        None => Context::Words(args.window),
    };
    let kwic = Kwic::new(matcher, context);
    let source = Source::open(&args.input, args.view.dedup)?;
    let mut out = Sink::open(None)?;
    let fmt = format(args.view.csv, args.view.json);
    if args.count {
        let mut trend = Trend::new();
        let (problems, documents) = read(
            &args.input,
            &source,
            |doc| {
                let words: u64 = doc
                    .body()
                    .map(|t| corpus_core::words(t).count() as u64)
                    .sum();
                (doc.date, words, kwic.count(doc))
            },
            |(date, words, hits)| {
                trend.add(date, words, &[hits]);
                Ok(true)
            },
        )?;
        let rows = trend.rows(Granularity::Month, std::slice::from_ref(&args.pattern));
        let hits: u64 = rows.iter().map(|r| r.hits).sum();
        let docs: u64 = rows.iter().map(|r| r.documents).sum();
        write_trend(&mut out, fmt, &rows, false)?;
        out.flush()?;
        let line = format!(
            "{hits} hits in {docs} documents, {}{}",
            problems.counts(documents),
            copies_note(source.copies.as_ref())
        );
        return end(&args.input, problems, documents, &line);
    }
    let sorted = args.sort != SortArg::Doc;
    let limit = args.limit.unwrap_or(usize::MAX);
    // Sorted: the best `limit` kept in a heap (the largest on top, dropped first); in input
    // order: written as they come, the read stopped at the limit.
    let mut heap: BinaryHeap<Line> = BinaryHeap::new();
    let mut writer = HitWriter::new(fmt);
    let mut shown = 0usize;
    let mut hits = 0u64;
    let mut with_hits = 0u64;
    let mut serial = 0u64;
    let mut stopped = false;
    let key_of = |hit: &corpus_stats::Hit, date| match args.sort {
        SortArg::Left => (sort_key(&hit.left, true), None),
        SortArg::Right => (sort_key(&hit.right, false), None),
        SortArg::Date => (Vec::new(), date),
        SortArg::Doc => (Vec::new(), None),
    };
    let (problems, documents) = read(
        &args.input,
        &source,
        |doc| {
            // A document's hits, at most `limit` of them (its best by the sort, or its first):
            // a document of millions of hits holds no more than the output shows.
            let mut total = 0u64;
            // The keys of the hits kept (the worst on top), each with its slot in `kept`.
            let mut best: BinaryHeap<(DocKey, usize)> = BinaryHeap::new();
            let mut kept: Vec<Option<corpus_stats::Hit>> = Vec::new();
            kwic.for_each_hit(doc, |hit| {
                let key = (key_of(&hit, doc.date), total as usize);
                total += 1;
                if best.len() < limit {
                    best.push((key, kept.len()));
                    kept.push(Some(hit));
                } else if !sorted {
                    return ControlFlow::Break(());
                } else if let Some(mut worst) = best.peek_mut()
                    && key < worst.0
                {
                    // The worst kept hit gives its place (the heap is put in order on drop).
                    kept[worst.1] = Some(hit);
                    worst.0 = key;
                }
                ControlFlow::Continue(())
            });
            (total > 0).then(|| {
                let mut order = best.into_vec();
                order.sort_by_key(|(key, _)| key.1);
                let hits: Vec<_> = order
                    .into_iter()
                    .filter_map(|(key, slot)| Some((key, kept[slot].take()?)))
                    .collect();
                (
                    doc.id.clone(),
                    doc.date,
                    doc.origin.path.clone(),
                    doc.origin.line,
                    total,
                    hits,
                )
            })
        },
        |found| {
            serial += 1;
            let Some((id, date, path, line, total, found)) = found else {
                return Ok(true);
            };
            with_hits += 1;
            hits += total;
            for ((key, i), hit) in found {
                let line = Line {
                    key,
                    at: (serial, i),
                    id: id.clone(),
                    date,
                    path: path.clone(),
                    line,
                    hit,
                };
                if sorted {
                    heap.push(line);
                    if heap.len() > limit {
                        heap.pop();
                    }
                } else {
                    writer.write(&mut out, &line)?;
                    shown += 1;
                    if shown >= limit {
                        stopped = true;
                        return Ok(false);
                    }
                }
            }
            Ok(true)
        },
    )?;
    if sorted {
        for line in heap.into_sorted_vec() {
            writer.write(&mut out, &line)?;
            shown += 1;
        }
    }
    writer.finish(&mut out)?;
    out.flush()?;
    let line = if stopped {
        format!(
            "{shown} hits shown; the read stopped there (--limit){}",
            copies_note(source.copies.as_ref())
        )
    } else {
        format!(
            "{hits} hits in {with_hits} documents{}, {}{}",
            if shown < hits as usize {
                format!(" ({shown} shown)")
            } else {
                String::new()
            },
            problems.counts(documents),
            copies_note(source.copies.as_ref())
        )
    };
    end(&args.input, problems, documents, &line)
}

/// Writes hits as they come: an aligned line each, CSV rows, or the items of a JSON array.
struct HitWriter {
    format: Format,
    started: bool,
}

/// Characters of context shown on each side in the table.
const TABLE_CONTEXT: usize = 40;

impl HitWriter {
    fn new(format: Format) -> HitWriter {
        HitWriter {
            format,
            started: false,
        }
    }

    fn write(&mut self, out: &mut Sink, line: &Line) -> Result<()> {
        let first = !self.started;
        self.started = true;
        let h = &line.hit;
        match self.format {
            Format::Table => {
                let left = clip_left(&h.left, TABLE_CONTEXT);
                let right = clip_right(&h.right, TABLE_CONTEXT);
                let pad = TABLE_CONTEXT
                    .saturating_sub(unicode_width::UnicodeWidthStr::width(left.as_str()));
                writeln!(
                    out,
                    "{}  {:<10}  {}{left}  {}  {right}",
                    line.id,
                    date_text(line.date),
                    " ".repeat(pad),
                    h.matched
                )?;
            }
            Format::Csv => {
                let mut w = CsvWriter::new(&mut *out);
                if first {
                    w.write_record([
                        "id", "date", "block", "left", "match", "right", "path", "line",
                    ])?;
                }
                w.write_record([
                    line.id.as_str(),
                    &date_text(line.date),
                    h.kind.as_str(),
                    &h.left,
                    &h.matched,
                    &h.right,
                    &line.path,
                    &line.line.map(|l| l.to_string()).unwrap_or_default(),
                ])?;
            }
            Format::Json => {
                out.write_all(if first { b"[\n  " } else { b",\n  " })?;
                let value = json!({
                    "id": line.id,
                    "date": line.date.map(|d| d.to_string()),
                    "block": h.kind.as_str(),
                    "left": h.left,
                    "match": h.matched,
                    "right": h.right,
                    "path": line.path,
                    "line": line.line,
                });
                serde_json::to_writer(&mut *out, &value)?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut Sink) -> Result<()> {
        match self.format {
            Format::Json if self.started => out.write_all(b"\n]\n")?,
            Format::Json => out.write_all(b"[]\n")?,
            Format::Csv if !self.started => {
                CsvWriter::new(&mut *out).write_record([
                    "id", "date", "block", "left", "match", "right", "path", "line",
                ])?;
            }
            _ => {}
        }
        Ok(())
    }
}

/// The last `n` characters of `text`, `…` before them when cut.
fn clip_left(text: &str, n: usize) -> String {
    let count = text.chars().count();
    if count <= n {
        return text.to_owned();
    }
    let skip = count - (n - 1);
    format!("…{}", text.chars().skip(skip).collect::<String>())
}

/// The first `n` characters of `text`, `…` after them when cut.
fn clip_right(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_owned();
    }
    format!("{}…", text.chars().take(n - 1).collect::<String>())
}

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
    #[command(flatten)]
    input: InputArgs,
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
    /// Stop words, left out as collocates: `english`, `none`, or a FILE of words
    #[arg(long, default_value = "english", value_name = "LIST")]
    stopwords: String,
    #[command(flatten)]
    view: ViewArgs,
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

/// A number of words on a side, at most [`corpus_stats::MAX_WINDOW`].
fn words_window(arg: &str) -> Result<usize, String> {
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

/// The most characters of context on a side.
const MAX_CHARS: usize = 100_000;

fn chars_window(arg: &str) -> Result<usize, String> {
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

fn window(arg: &str) -> Result<(usize, usize), String> {
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

pub(crate) fn collocations(args: &CollocationsArgs) -> Result<Outcome> {
    let mut options = match &args.node {
        Some(node) => CollocationOptions::node(node, args.window.0, args.window.1)?,
        None => CollocationOptions::bigrams(),
    };
    options.stopwords = super::stats::stopwords(&args.stopwords)?;
    let measure = match args.by {
        MeasureArg::Logdice => Measure::LogDice,
        MeasureArg::Mi => Measure::Mi,
        MeasureArg::Ll => Measure::LogLikelihood,
        MeasureArg::T => Measure::TScore,
        MeasureArg::Freq => Measure::Frequency,
    };
    let source = Source::open(&args.input, args.view.dedup)?;
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
    let header = [
        "node",
        "collocate",
        "frequency",
        "documents",
        "node_frequency",
        "collocate_frequency",
        "o11",
        "r1",
        "c1",
        "n",
        "log_dice",
        "mi",
        "log_likelihood",
        "t_score",
    ];
    match fmt {
        Format::Csv => {
            let mut w = CsvWriter::new(&mut out);
            w.write_record(header)?;
            // One buffer per field, reused: a million rows are a million times 14 strings.
            let mut fields: Vec<String> = vec![String::new(); header.len()];
            for c in &scored {
                use std::fmt::Write as _;
                fields.iter_mut().for_each(String::clear);
                fields[0].push_str(c.node);
                fields[1].push_str(c.collocate);
                let numbers = [
                    c.table.o11,
                    c.documents,
                    c.node_frequency,
                    c.collocate_frequency,
                    c.table.o11,
                    c.table.r1,
                    c.table.c1,
                    c.table.n,
                ];
                for (field, n) in fields[2..10].iter_mut().zip(numbers) {
                    write!(field, "{n}")?;
                }
                for (field, x) in
                    fields[10..]
                        .iter_mut()
                        .zip([c.log_dice, c.mi, c.log_likelihood, c.t_score])
                {
                    write!(field, "{x}")?;
                }
                w.write_record(&fields)?;
            }
        }
        Format::Json => {
            let rows: Vec<serde_json::Value> = scored
                .iter()
                .map(|c| {
                    json!({
                        "node": c.node, "collocate": c.collocate, "frequency": c.table.o11,
                        "documents": c.documents, "node_frequency": c.node_frequency,
                        "collocate_frequency": c.collocate_frequency,
                        "table": {"o11": c.table.o11, "r1": c.table.r1, "c1": c.table.c1, "n": c.table.n},
                        "log_dice": c.log_dice, "mi": c.mi, "log_likelihood": c.log_likelihood,
                        "t_score": c.t_score,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(
                &mut out,
                &json!({
                    "node": args.node, "words": total.words(), "node_frequency": total.node_frequency(),
                    "collocations": rows,
                }),
            )?;
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
        copies_note(source.copies.as_ref())
    );
    end(&args.input, problems, documents, &line)
}

/// Find the words typical of one part of a corpus against another (keywords)
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus keyness wire.jsonl.gz --target 1987-03 --reference 1987-04
  corpus keyness news/ --target meta.section=business
  corpus keyness march.jsonl --target 1987 --reference-input april.jsonl --csv > key.csv")]
pub(crate) struct KeynessArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The part: a date, month or year (`1987-03`), a range of them (`1987-03-01..1987-03-15`),
    /// or `meta.FIELD=VALUE`
    #[arg(long, value_name = "PART")]
    target: String,
    /// The part compared with (by default every document outside the target)
    #[arg(long, value_name = "PART", conflicts_with = "reference_input")]
    reference: Option<String>,
    /// A second corpus as the reference, all of it
    #[arg(long, value_name = "INPUT", num_args = 1..)]
    reference_input: Vec<String>,
    /// Words found fewer times in the two together are left out
    #[arg(long, default_value_t = 5, value_name = "N")]
    min_freq: u64,
    /// Rows of each list shown (every word with --csv and --json)
    #[arg(long, default_value_t = 20, value_name = "N")]
    top: usize,
    #[command(flatten)]
    view: ViewArgs,
}

pub(crate) fn keyness(args: &KeynessArgs) -> Result<Outcome> {
    let target = Part::parse(&args.target)?;
    let reference = args.reference.as_deref().map(Part::parse).transpose()?;
    let mut source = Source::open(&args.input, args.view.dedup)?;
    let counters = PerThread::new(|| (TermCounts::default(), TermCounts::default()));
    let second_corpus = !args.reference_input.is_empty();
    let (mut problems, mut documents) = read(
        &args.input,
        &source,
        |doc| {
            let side = if target.contains(doc) {
                Some(true)
            } else if second_corpus {
                None
            } else {
                match &reference {
                    Some(r) => r.contains(doc).then_some(false),
                    None => Some(false),
                }
            };
            match side {
                Some(is_target) => counters.with(|(t, r)| {
                    if is_target {
                        t.add_document(doc)
                    } else {
                        r.add_document(doc)
                    }
                }),
                None => Ok(()),
            }
        },
        |counted| Ok(counted.map(|()| true)?),
    )?;
    if second_corpus {
        let others: Vec<corpus_parser::Input> = args
            .reference_input
            .iter()
            .map(|a| corpus_parser::Input::from_arg(a))
            .collect();
        let other = Source::of(&args.input, others, args.view.dedup)?;
        documents += read_into(
            &args.input,
            &other.inputs,
            &mut problems,
            other.copies.as_ref(),
            |doc| counters.with(|(_, r)| r.add_document(doc)),
            |counted| Ok(counted.map(|()| true)?),
        )?;
        if let (Some(c), Some(o)) = (source.copies.as_mut(), other.copies) {
            c.count += o.count;
        }
    }
    let (mut t, mut r) = (TermCounts::default(), TermCounts::default());
    for (pt, pr) in counters.into_inner() {
        t.merge(pt)?;
        r.merge(pr)?;
    }
    if t.documents() == 0 {
        bail!("no document is in the target {:?}", args.target);
    }
    if r.documents() == 0 {
        bail!("no document is in the reference");
    }
    let key = keywords(&t, &r, args.min_freq);
    // Words as frequent in both, relatively, are typical of neither.
    let positive: Vec<_> = key.iter().filter(|k| relative(k, &t, &r).is_gt()).collect();
    let negative: Vec<_> = key.iter().filter(|k| relative(k, &t, &r).is_lt()).collect();
    let mut out = Sink::open(None)?;
    match format(args.view.csv, args.view.json) {
        Format::Csv => {
            let mut w = CsvWriter::new(&mut out);
            w.write_record([
                "word",
                "key",
                "target",
                "target_documents",
                "reference",
                "reference_documents",
                "log_likelihood",
                "log_ratio",
            ])?;
            for (side, list) in [("target", &positive), ("reference", &negative)] {
                for k in list.iter() {
                    w.write_record([
                        k.word.clone(),
                        side.to_owned(),
                        k.target.to_string(),
                        k.target_documents.to_string(),
                        k.reference.to_string(),
                        k.reference_documents.to_string(),
                        k.log_likelihood.to_string(),
                        k.log_ratio.to_string(),
                    ])?;
                }
            }
        }
        Format::Json => {
            let rows = |list: &[&corpus_stats::Keyword]| -> Vec<serde_json::Value> {
                list.iter().map(|k| json!({
                    "word": k.word, "target": k.target, "target_documents": k.target_documents,
                    "reference": k.reference, "reference_documents": k.reference_documents,
                    "log_likelihood": k.log_likelihood, "log_ratio": k.log_ratio,
                })).collect()
            };
            serde_json::to_writer_pretty(
                &mut out,
                &json!({
                    "target": {"part": args.target, "documents": t.documents(), "words": t.words()},
                    "reference": {"documents": r.documents(), "words": r.words()},
                    "typical_of_target": rows(&positive),
                    "typical_of_reference": rows(&negative),
                }),
            )?;
            writeln!(out)?;
        }
        Format::Table => {
            for (title, list) in [
                (
                    format!("typical of the target ({})", args.target),
                    &positive,
                ),
                ("typical of the reference".to_owned(), &negative),
            ] {
                writeln!(out, "{title}")?;
                let mut rows = vec![
                    ["word", "target", "reference", "LL", "log ratio"]
                        .map(str::to_owned)
                        .to_vec(),
                ];
                for k in list.iter().take(args.top) {
                    rows.push(vec![
                        k.word.clone(),
                        k.target.to_string(),
                        k.reference.to_string(),
                        format!("{:.1}", k.log_likelihood),
                        format!("{:+.2}", k.log_ratio),
                    ]);
                }
                table(&mut out, "  ", First::Left, &rows)?;
            }
        }
    }
    out.flush()?;
    let line = format!(
        "target: {} documents, {} words; reference: {} documents, {} words; {}{}",
        t.documents(),
        t.words(),
        r.documents(),
        r.words(),
        problems.counts(documents),
        copies_note(source.copies.as_ref())
    );
    end(&args.input, problems, documents, &line)
}

/// How a keyword's relative frequency in the target compares with the reference's.
fn relative(k: &corpus_stats::Keyword, t: &TermCounts, r: &TermCounts) -> std::cmp::Ordering {
    (u128::from(k.target) * u128::from(r.words()))
        .cmp(&(u128::from(k.reference) * u128::from(t.words())))
}

/// Show how often terms appear over time: documents and hits per period, per million words
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus trend 'oil,crude oil' wire.jsonl.gz --by month --csv > oil.csv")]
pub(crate) struct TrendArgs {
    /// The terms, comma-separated: words or phrases, `*` in a word for any letters
    #[arg(value_name = "TERMS")]
    terms: String,
    #[command(flatten)]
    input: InputArgs,
    /// The period
    #[arg(long, value_enum, default_value = "month")]
    by: ByArg,
    /// Match case as written
    #[arg(long)]
    case: bool,
    #[command(flatten)]
    view: ViewArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ByArg {
    Day,
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
    let source = Source::open(&args.input, args.view.dedup)?;
    let mut trend = Trend::new();
    let (problems, documents) = read(
        &args.input,
        &source,
        |doc| (doc.date, hits.count(doc)),
        |(date, (words, found))| {
            trend.add(date, words, &found);
            Ok(true)
        },
    )?;
    let granularity = match args.by {
        ByArg::Day => Granularity::Day,
        ByArg::Month => Granularity::Month,
        ByArg::Year => Granularity::Year,
    };
    let rows = trend.rows(granularity, &terms);
    let mut out = Sink::open(None)?;
    write_trend(&mut out, format(args.view.csv, args.view.json), &rows, true)?;
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
        copies_note(source.copies.as_ref())
    );
    end(&args.input, problems, documents, &line)
}

fn write_trend(
    out: &mut Sink,
    fmt: Format,
    rows: &[corpus_stats::TrendRow],
    terms: bool,
) -> Result<()> {
    match fmt {
        Format::Csv => {
            let mut w = CsvWriter::new(&mut *out);
            w.write_record([
                "period",
                "term",
                "hits",
                "documents",
                "period_documents",
                "words",
                "per_million",
            ])?;
            for r in rows {
                w.write_record([
                    r.period.clone(),
                    r.term.clone(),
                    r.hits.to_string(),
                    r.documents.to_string(),
                    r.period_documents.to_string(),
                    r.words.to_string(),
                    // An empty period: no rate (a chart shows a gap, not a zero).
                    r.per_million
                        .map_or_else(String::new, |p| format!("{p:.3}")),
                ])?;
            }
        }
        Format::Json => {
            let rows: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| json!({
                    "period": r.period, "term": r.term, "hits": r.hits, "documents": r.documents,
                    "period_documents": r.period_documents, "words": r.words,
                    "per_million": r.per_million.map(|p| (p * 1000.0).round() / 1000.0),
                }))
                .collect();
            serde_json::to_writer_pretty(&mut *out, &rows)?;
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
            for r in rows {
                table_rows.push(vec![
                    r.period.clone(),
                    if terms { r.term.clone() } else { String::new() },
                    r.hits.to_string(),
                    r.documents.to_string(),
                    r.per_million
                        .map_or_else(|| "no documents".to_owned(), |p| format!("{p:.1}")),
                ]);
            }
            if !terms {
                for row in &mut table_rows {
                    row.remove(1);
                }
            }
            table(out, "", First::Left, &table_rows)?;
        }
    }
    Ok(())
}
