//! `corpus kwic`: every hit of a pattern with its context, sorted and cut as asked.

use std::collections::BinaryHeap;
use std::io::Write;
use std::ops::ControlFlow;

use anyhow::Result;
use corpus_stats::{Context, Granularity, Kwic, Matcher, Pattern, Trend, sort_key};
use serde_json::json;

use crate::args::InputArgs;
use crate::csv_out::CsvWriter;
use crate::output::Sink;
use crate::ui::Outcome;

use super::{
    Format, Source, ViewArgs, chars_window, copies_note, date_text, end, format, read,
    words_window, write_trend,
};

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
