//! `corpus kwic`: every hit of a pattern with its context, sorted and cut as asked.

use std::io::Write;

use anyhow::Result;
use corpus_stats::{
    Concordance, ConcordanceLine, Context, Granularity, Kwic, Matcher, Pattern, Sort, Trend,
};
use serde_json::json;

use crate::args::InputArgs;
use crate::csv_out::CsvWriter;
use crate::output::Sink;
use crate::ui::Outcome;

use super::{
    Format, Source, ViewArgs, chars_window, date_text, end, format, read, words_window, write_trend,
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
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SortArg {
    Doc,
    Date,
    Left,
    Right,
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
    let source = Source::open(&args.input, &args.view)?;
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
            source.note()
        );
        return end(&args.input, problems, documents, &line);
    }
    let sort = match args.sort {
        SortArg::Doc => Sort::Input,
        SortArg::Date => Sort::Date,
        SortArg::Left => Sort::Left,
        SortArg::Right => Sort::Right,
    };
    let mut lines = Concordance::new(sort, args.limit);
    let mut writer = HitWriter::new(fmt);
    let picker = lines.picker();
    let (problems, documents) = read(
        &args.input,
        &source,
        |doc| picker.document_hits(&kwic, doc),
        |found| {
            let flow = lines.add(found, |line| writer.write(&mut out, line))?;
            Ok(flow.is_continue())
        },
    )?;
    lines.finish(|line| writer.write(&mut out, line))?;
    writer.finish(&mut out)?;
    out.flush()?;
    let (shown, hits) = (lines.shown(), lines.hits());
    let line = if lines.stopped() {
        format!(
            "{shown} hits shown; the read stopped there (--limit){}",
            source.note()
        )
    } else {
        format!(
            "{hits} hits in {} documents{}, {}{}",
            lines.documents_with_hits(),
            if shown < hits as usize {
                format!(" ({shown} shown)")
            } else {
                String::new()
            },
            problems.counts(documents),
            source.note()
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

    fn write(&mut self, out: &mut Sink, line: &ConcordanceLine) -> Result<()> {
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
