//! What the linguist's views print as CSV and JSON (`corpus collocations`, `corpus keyness`,
//! `corpus trend` and `corpus kwic --count`):
//! the rows of each, written to any [`Tables`], and the JSON documents, field by field.

use std::io;

use corpus_stats::{Collocate, Keyword, TermCounts, TrendRow};
use serde_json::{Value, json};

use crate::tables::Tables;

/// The header of `corpus collocations --csv`.
pub const COLLOCATIONS_HEADER: [&str; 14] = [
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

/// The rows of `corpus collocations --csv`: every scored pair, with its table and measures.
pub fn write_collocations(scored: &[Collocate<'_>], out: &mut dyn Tables) -> io::Result<()> {
    use std::fmt::Write as _;
    out.start("collocations.csv", &COLLOCATIONS_HEADER)?;
    // One buffer per field, reused: a million rows are a million times 14 strings.
    let mut fields: Vec<String> = vec![String::new(); COLLOCATIONS_HEADER.len()];
    for c in scored {
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
            let _ = write!(field, "{n}");
        }
        let measures = [c.log_dice, c.mi, c.log_likelihood, c.t_score];
        for (field, x) in fields[10..].iter_mut().zip(measures) {
            let _ = write!(field, "{x}");
        }
        let row: Vec<&str> = fields.iter().map(String::as_str).collect();
        out.row(&row)?;
    }
    Ok(())
}

/// `corpus collocations --json`: the node (none for bigrams), the words counted, the node's
/// frequency and every scored pair.
pub fn collocations_json(
    node: Option<&str>,
    words: u64,
    node_frequency: u64,
    scored: &[Collocate<'_>],
) -> Value {
    let rows: Vec<Value> = scored
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
    json!({
        "node": node, "words": words, "node_frequency": node_frequency,
        "collocations": rows,
    })
}

/// The rows of `corpus keyness --csv`: the words typical of the target, then those typical of
/// the reference, each with its side.
pub fn write_keywords(
    target: &[&Keyword],
    reference: &[&Keyword],
    out: &mut dyn Tables,
) -> io::Result<()> {
    start_keywords(out, ["word", "key"])?;
    for (side, list) in [("target", target), ("reference", reference)] {
        for k in list {
            keyword_row(out, [&k.word, side], k)?;
        }
    }
    Ok(())
}

/// Starts the keywords' CSV: `first` (the two columns before the figures), then the figures'
/// columns, in [`keyword_row`]'s order.
fn start_keywords(out: &mut dyn Tables, first: [&str; 2]) -> io::Result<()> {
    let mut header = first.to_vec();
    header.extend([
        "target",
        "target_documents",
        "reference",
        "reference_documents",
        "log_likelihood",
        "log_ratio",
    ]);
    out.start("keyness.csv", &header)
}

/// A keyword's row of the CSV: `first` (the word and its side, or its group and the word),
/// then its frequency and documents in the target and in the reference, its G² and its Log
/// Ratio.
fn keyword_row(out: &mut dyn Tables, first: [&str; 2], k: &Keyword) -> io::Result<()> {
    let figures = [
        k.target.to_string(),
        k.target_documents.to_string(),
        k.reference.to_string(),
        k.reference_documents.to_string(),
        k.log_likelihood.to_string(),
        k.log_ratio.to_string(),
    ];
    let mut cells: Vec<&str> = first.to_vec();
    cells.extend(figures.iter().map(String::as_str));
    out.row(&cells)
}

/// A keyword as the JSON gives it.
fn keyword_json(k: &Keyword) -> Value {
    json!({
        "word": k.word, "target": k.target, "target_documents": k.target_documents,
        "reference": k.reference, "reference_documents": k.reference_documents,
        "log_likelihood": k.log_likelihood, "log_ratio": k.log_ratio,
    })
}

/// One group's keywords against the rest of the corpus (`corpus keyness --target meta.FIELD`):
/// its name, its counts and the rest's, the words typical of it.
#[derive(Debug)]
pub struct GroupKeywords<'a> {
    /// The group's name (a value of the field).
    pub group: &'a str,
    /// The group's counts.
    pub counts: &'a TermCounts,
    /// The rest's documents and words.
    pub rest: (u64, u64),
    /// The words typical of the group, most typical first.
    pub typical: Vec<Keyword>,
}

/// `corpus keyness --target meta.FIELD --csv`: per group, the words typical of it against the
/// rest of the corpus, one row each.
pub fn write_group_keywords(groups: &[GroupKeywords<'_>], out: &mut dyn Tables) -> io::Result<()> {
    start_keywords(out, ["group", "word"])?;
    for g in groups {
        for k in &g.typical {
            keyword_row(out, [g.group, &k.word], k)?;
        }
    }
    Ok(())
}

/// `corpus keyness --target meta.FIELD --json`: what groups the corpus (`by`), and per group
/// its size, the rest's and the words typical of it.
pub fn group_keywords_json(by: &str, groups: &[GroupKeywords<'_>]) -> Value {
    let groups: Vec<Value> = groups
        .iter()
        .map(|g| {
            let typical: Vec<Value> = g.typical.iter().map(keyword_json).collect();
            json!({
                "group": g.group,
                "documents": g.counts.documents(),
                "words": g.counts.words(),
                "rest": {"documents": g.rest.0, "words": g.rest.1},
                "typical": typical,
            })
        })
        .collect();
    json!({"by": by, "groups": groups})
}

/// `corpus keyness --json`: the two parts' sizes (the target named by `part`) and the words
/// typical of each.
pub fn keywords_json(
    part: &str,
    (t, r): (&TermCounts, &TermCounts),
    target: &[&Keyword],
    reference: &[&Keyword],
) -> Value {
    let rows = |list: &[&Keyword]| -> Vec<Value> { list.iter().map(|k| keyword_json(k)).collect() };
    json!({
        "target": {"part": part, "documents": t.documents(), "words": t.words()},
        "reference": {"documents": r.documents(), "words": r.words()},
        "typical_of_target": rows(target),
        "typical_of_reference": rows(reference),
    })
}

/// The rows of `corpus trend --csv --wide`: per period (and group), the period's documents
/// and words, then one column per term (`terms`, as the rows name them) with its hits per
/// million words (empty for a period without words). `rows` are [`Trend::rows`]' (each
/// period's terms together, in `terms`' order), a group's after another's.
///
/// [`Trend::rows`]: corpus_stats::Trend::rows
pub fn write_trend_wide(
    rows: &[TrendRow],
    terms: &[String],
    out: &mut dyn Tables,
) -> io::Result<()> {
    let grouped = rows.iter().any(|r| r.group.is_some());
    let mut header = vec!["group", "period", "period_documents", "words"];
    header.extend(terms.iter().map(String::as_str));
    out.start("trend.csv", &header[usize::from(!grouped)..])?;
    for period in rows.chunks(terms.len().max(1)) {
        let first = &period[0];
        let mut row = vec![
            first.group.clone().unwrap_or_default(),
            first.period.clone(),
            first.period_documents.to_string(),
            first.words.to_string(),
        ];
        row.extend(period.iter().map(|r| {
            r.per_million
                .map_or_else(String::new, |p| format!("{p:.3}"))
        }));
        let fields: Vec<&str> = row.iter().map(String::as_str).collect();
        out.row(&fields[usize::from(!grouped)..])?;
    }
    Ok(())
}

/// The rows of `corpus trend --csv`: per period and term, the hits, the documents with a hit,
/// the period's documents and words, and the hits per million words (empty for a period
/// without words: a chart shows a gap, not a zero).
pub fn write_trend(rows: &[TrendRow], out: &mut dyn Tables) -> io::Result<()> {
    // A `group` column first when the rows are a trend per group.
    let grouped = rows.iter().any(|r| r.group.is_some());
    let header = [
        "group",
        "period",
        "term",
        "hits",
        "documents",
        "period_documents",
        "words",
        "per_million",
    ];
    out.start("trend.csv", &header[usize::from(!grouped)..])?;
    for r in rows {
        let row = [
            r.group.as_deref().unwrap_or_default(),
            &r.period,
            &r.term,
            &r.hits.to_string(),
            &r.documents.to_string(),
            &r.period_documents.to_string(),
            &r.words.to_string(),
            &r.per_million
                .map_or_else(String::new, |p| format!("{p:.3}")),
        ];
        out.row(&row[usize::from(!grouped)..])?;
    }
    Ok(())
}

/// `corpus trend --json`: the rows, the rate rounded to a thousandth (`null` for a period
/// without words).
pub fn trend_json(rows: &[TrendRow]) -> Value {
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            let mut row = json!({
                "period": r.period, "term": r.term, "hits": r.hits, "documents": r.documents,
                "period_documents": r.period_documents, "words": r.words,
                "per_million": r.per_million.map(|p| (p * 1000.0).round() / 1000.0),
            });
            if let (Some(group), Value::Object(fields)) = (&r.group, &mut row) {
                fields.insert("group".into(), json!(group));
            }
            row
        })
        .collect();
    Value::Array(rows)
}
