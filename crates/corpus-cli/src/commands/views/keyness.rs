//! `corpus keyness`: the words typical of a target part against a reference.

use std::io::Write;

use anyhow::{Result, bail};
use corpus_stats::{GroupBy, GroupTermCounts, Part, PerThread, TermCounts, keywords, typical};

use crate::args::InputArgs;
use crate::csv_out::CsvWriter;
use crate::output::Sink;
use crate::ui::Outcome;
use corpus_report::text::{First, table};
use corpus_report::views::{
    GroupKeywords, group_keywords_json, keywords_json, write_group_keywords, write_keywords,
};

use super::{Format, Source, ViewArgs, end, format, read, read_into};

/// Find the words typical of one part of a corpus against another (keywords)
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus keyness wire.jsonl.gz --target 1987-03 --reference 1987-04
  corpus keyness news/ --target meta.section=business
  corpus keyness bbc.jsonl.gz --target meta.topic       each topic against the rest
  corpus keyness march.jsonl --target 1987 --reference-input april.jsonl --csv > key.csv")]
pub(crate) struct KeynessArgs {
    /// The part: a date, month or year (`1987-03`), a range of them (`1987-03-01..1987-03-15`),
    /// or `meta.FIELD=VALUE`; or, to see each group against the rest in one run, `meta.FIELD`,
    /// `year`, `month` or `lang`
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
    /// Stop words, never keywords: as `corpus stats --stopwords` (`auto`: each document's own
    /// language's list, and ours for English in all; `none` keeps every word)
    #[arg(long, default_value = "auto", value_name = "LIST")]
    stopwords: String,
    #[command(flatten)]
    view: ViewArgs,
    #[command(flatten)]
    input: InputArgs,
}

/// The groups `--target` names, when it names groups rather than a part: `meta.FIELD`
/// without a value, `year`, `month`, `lang`.
fn groups_named(target: &str) -> Result<Option<GroupBy>> {
    let is_groups = matches!(target, "year" | "month" | "lang")
        || (target.starts_with("meta.") && !target.contains('='));
    if !is_groups {
        return Ok(None);
    }
    crate::args::group_by(Some(target))
}

pub(crate) fn keyness(args: &KeynessArgs) -> Result<Outcome> {
    if let Some(by) = groups_named(&args.target)? {
        if args.reference.is_some() || !args.reference_input.is_empty() {
            bail!(
                "--target {} sets each group against the rest of the corpus: give no reference",
                args.target
            );
        }
        return by_group(args, by);
    }
    let target = Part::parse(&args.target)?;
    let reference = args.reference.as_deref().map(Part::parse).transpose()?;
    let mut source = Source::open(&args.input, &args.view)?;
    let (stopwords, by_language) = crate::args::stopwords(&args.stopwords)?;
    let counts = || TermCounts::with_stopwords(stopwords.clone(), by_language);
    let counters = PerThread::new(|| (counts(), counts()));
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
        let other = Source::of(&args.input, others, &args.view)?;
        documents += read_into(
            &args.input,
            &other.inputs,
            &mut problems,
            other.copies.as_ref(),
            |doc| counters.with(|(_, r)| r.add_document(doc)),
            |counted| Ok(counted.map(|()| true)?),
        )?;
        if let (Some(c), Some(o)) = (source.copies.as_mut(), other.copies) {
            c.merge(o);
        }
    }
    let (mut t, mut r) = (counts(), counts());
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
    let (positive, negative) = typical(&key, &t, &r);
    let mut out = Sink::open(None)?;
    match format(args.view.csv, args.view.json) {
        Format::Csv => write_keywords(&positive, &negative, &mut CsvWriter::new(&mut out))?,
        Format::Json => {
            let json = keywords_json(&args.target, (&t, &r), &positive, &negative);
            serde_json::to_writer_pretty(&mut out, &json)?;
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
                let header = ["word", "target", "reference", "LL", "log ratio"];
                keyword_table(&mut out, header, list.iter().copied().take(args.top))?;
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
        source.note()
    );
    end(&args.input, problems, documents, &line)
}

/// `--target meta.FIELD` (or `year`, `month`, `lang`): each group against the rest of the
/// corpus, counted in one read.
fn by_group(args: &KeynessArgs, by: GroupBy) -> Result<Outcome> {
    let source = Source::open(&args.input, &args.view)?;
    let (stopwords, by_language) = crate::args::stopwords(&args.stopwords)?;
    let empty = TermCounts::with_stopwords(stopwords, by_language);
    let counters = PerThread::new(|| GroupTermCounts::new(by.clone(), empty.clone()));
    let (problems, documents) = read(
        &args.input,
        &source,
        |doc| counters.with(|c| c.add_document(doc)),
        |counted| Ok(counted.map(|()| true)?),
    )?;
    let mut counts = GroupTermCounts::new(by.clone(), empty.clone());
    for part in counters.into_inner() {
        counts.merge(part)?;
    }
    let groups: Vec<GroupKeywords<'_>> = counts
        .groups()
        .into_iter()
        .map(|(group, c)| GroupKeywords {
            group,
            counts: c,
            rest: counts.rest_of_size(c),
            typical: counts.typical_of(c, args.min_freq),
        })
        .collect();
    if groups.is_empty() {
        bail!(
            "no document was read, so there is no group of {}",
            args.target
        );
    }
    let mut out = Sink::open(None)?;
    match format(args.view.csv, args.view.json) {
        Format::Csv => write_group_keywords(&groups, &mut CsvWriter::new(&mut out))?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &group_keywords_json(&args.target, &groups))?;
            writeln!(out)?;
        }
        Format::Table => {
            for g in &groups {
                writeln!(
                    out,
                    "typical of {} ({} documents) against the rest ({} documents)",
                    g.group,
                    g.counts.documents(),
                    g.rest.0
                )?;
                let header = ["word", "group", "rest", "LL", "log ratio"];
                keyword_table(&mut out, header, g.typical.iter().take(args.top))?;
            }
        }
    }
    out.flush()?;
    let line = format!(
        "{} groups of {} in {} words; {}{}",
        groups.len(),
        args.target,
        counts.all().words(),
        problems.counts(documents),
        source.note()
    );
    end(&args.input, problems, documents, &line)
}

/// A table of keywords under `header`: each word, its two frequencies, G² and Log Ratio.
fn keyword_table<'k>(
    out: &mut Sink,
    header: [&str; 5],
    list: impl Iterator<Item = &'k corpus_stats::Keyword>,
) -> Result<()> {
    let mut rows = vec![header.map(str::to_owned).to_vec()];
    for k in list {
        rows.push(vec![
            k.word.clone(),
            k.target.to_string(),
            k.reference.to_string(),
            format!("{:.1}", k.log_likelihood),
            format!("{:+.2}", k.log_ratio),
        ]);
    }
    table(out, "  ", First::Left, &rows)?;
    Ok(())
}
