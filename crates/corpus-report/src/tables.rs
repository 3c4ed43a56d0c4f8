//! The CSV reports of `corpus stats --csv DIR`: what each file holds, row by row, written to
//! whatever [`Tables`] the caller gives (files, a database, memory).
//!
//! `documents.csv` (a row per document, as it is counted: [`DOCUMENTS_HEADER`],
//! [`document_row`]), `summary.csv` (`metric,value`: [`summary_metrics`]), `terms.csv`,
//! `bigrams.csv`, `dates.csv`, `related.csv`, `credits.csv`, `languages.csv` and, with groups,
//! `groups.csv`
//! ([`write_stats_tables`]). `problems.csv` is the caller's: problems are written as they come.
//! And the files of `corpus dedup`: `--clusters` ([`write_clusters`]) and `--lines`
//! ([`write_repeated_lines`]).

use std::io;

use corpus_core::{Date, Document};
use corpus_dedup::{Deduplicated, RepeatedBlock};
use corpus_stats::{CorpusStats, Counts, Granularity, Summary};

/// The files of a statistics report, in the order [`write_stats_tables`] writes them after
/// `documents.csv` (and with `problems.csv`, the caller's).
pub const STATS_TABLES: [&str; 10] = [
    "documents.csv",
    "summary.csv",
    "terms.csv",
    "bigrams.csv",
    "dates.csv",
    "related.csv",
    "credits.csv",
    "languages.csv",
    "groups.csv",
    "problems.csv",
];

/// Where tables go: one started after the other, rows to the last started.
pub trait Tables {
    /// Starts the table `name` (a file name: `terms.csv`) with its header.
    fn start(&mut self, name: &str, header: &[&str]) -> io::Result<()>;
    /// A row of the table last started.
    fn row(&mut self, fields: &[&str]) -> io::Result<()>;
}

/// The header of `documents.csv`.
pub const DOCUMENTS_HEADER: [&str; 13] = [
    "id",
    "path",
    "line",
    "date",
    "lang",
    "bytes",
    "characters",
    "words",
    "sentences",
    "paragraphs",
    "headings",
    "related_links",
    "image_credits",
];

/// A document's row in `documents.csv`, from its counts.
pub fn document_row(doc: Document, c: &Counts) -> [String; 13] {
    let line = doc.origin.line.map(|l| l.to_string()).unwrap_or_default();
    let date = doc.date.map(|d| d.to_string()).unwrap_or_default();
    let n = |v: u64| v.to_string();
    [
        doc.id,
        doc.origin.path,
        line,
        date,
        doc.lang.to_string(),
        n(c.bytes),
        n(c.characters),
        n(c.words),
        n(c.sentences),
        n(c.paragraphs),
        n(c.headings),
        n(c.related_links),
        n(c.image_credits),
    ]
}

/// Two decimals, as every CSV report writes a mean or a percentile.
pub fn decimal(x: f64) -> String {
    format!("{x:.2}")
}

/// The rows of `summary.csv` (and of the first section of `corpus stats`' table): the counts,
/// words per document, the first and last date, the vocabulary figures.
pub fn summary_metrics(s: &Summary) -> Vec<(String, String)> {
    let c = &s.counts;
    let mut m: Vec<(String, String)> = [
        ("documents", c.documents),
        ("rejected", s.rejected),
        ("warnings", s.warnings),
        ("undated", c.undated),
        ("bytes", c.bytes),
        ("characters", c.characters),
        ("words", c.words),
        ("sentences", c.sentences),
        ("paragraphs", c.paragraphs),
        ("headings", c.headings),
        ("related_links", c.related_links),
        ("image_credits", c.image_credits),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_string()))
    .collect();
    if let Some(d) = &s.words_per_document {
        m.push(("words_per_document_min".into(), d.min.to_string()));
        m.push(("words_per_document_p10".into(), decimal(d.p10)));
        m.push(("words_per_document_median".into(), decimal(d.median)));
        m.push(("words_per_document_mean".into(), decimal(d.mean)));
        m.push(("words_per_document_p90".into(), decimal(d.p90)));
        m.push(("words_per_document_max".into(), d.max.to_string()));
    }
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    m.push(("first_date".into(), date(s.dates.first)));
    m.push(("last_date".into(), date(s.dates.last)));
    let v = &s.vocabulary;
    m.push(("tokens".into(), v.tokens.to_string()));
    m.push(("types".into(), v.types.to_string()));
    m.push((
        "type_token_ratio".into(),
        format!("{:.4}", v.type_token_ratio),
    ));
    m.push(("hapax_legomena".into(), v.hapax_legomena.to_string()));
    m
}

/// Writes every table of a statistics report but `documents.csv` and `problems.csv`:
/// `summary.csv`, `terms.csv` (every term, with whether it is a stop word), `bigrams.csv` (every
/// pair seen at least twice), `dates.csv` (years, months and, with `per_day`, days, the empty
/// periods between dated ones included), `related.csv`, `credits.csv`, `languages.csv`
/// (documents and words per language, most documents first) and, when the documents were
/// grouped, `groups.csv`.
pub fn write_stats_tables(
    total: &CorpusStats,
    summary: &Summary,
    per_day: bool,
    out: &mut dyn Tables,
) -> io::Result<()> {
    out.start("summary.csv", &["metric", "value"])?;
    for (metric, value) in summary_metrics(summary) {
        out.row(&[&metric, &value])?;
    }
    let stop = &total.options().stopwords;
    out.start("terms.csv", &["term", "count", "documents", "stopword"])?;
    for t in total.terms() {
        let is_stop = if stop.contains(&t.term) {
            "true"
        } else {
            "false"
        };
        out.row(&[
            &t.term,
            &t.count.to_string(),
            &t.documents.to_string(),
            is_stop,
        ])?;
    }
    out.start("bigrams.csv", &["first", "second", "count"])?;
    for b in total.bigrams(2) {
        out.row(&[&b.first, &b.second, &b.count.to_string()])?;
    }
    out.start(
        "dates.csv",
        &["granularity", "period", "documents", "words"],
    )?;
    let mut granularities = vec![("year", Granularity::Year), ("month", Granularity::Month)];
    if per_day {
        granularities.push(("day", Granularity::Day));
    }
    for (name, g) in granularities {
        for p in total.periods(g) {
            out.row(&[
                name,
                &p.period,
                &p.documents.to_string(),
                &p.words.to_string(),
            ])?;
        }
    }
    for (file, column, rows) in [
        ("related.csv", "title", total.related_links()),
        ("credits.csv", "source", total.image_credits()),
    ] {
        out.start(file, &[column, "count"])?;
        for r in rows {
            out.row(&[&r.name, &r.count.to_string()])?;
        }
    }
    out.start(
        "languages.csv",
        &["lang", "documents", "words", "mean_words"],
    )?;
    for g in &summary.languages {
        out.row(&[
            &g.group,
            &g.counts.documents.to_string(),
            &g.counts.words.to_string(),
            &decimal(g.mean_words),
        ])?;
    }
    if !summary.groups.is_empty() {
        write_groups(summary, out)?;
    }
    Ok(())
}

/// `groups.csv`: every group's counts.
fn write_groups(summary: &Summary, out: &mut dyn Tables) -> io::Result<()> {
    out.start(
        "groups.csv",
        &[
            "group",
            "documents",
            "words",
            "mean_words",
            "sentences",
            "paragraphs",
            "headings",
            "related_links",
            "image_credits",
            "undated",
        ],
    )?;
    for g in &summary.groups {
        // Every count but bytes and characters, the mean words after the words.
        let n = g.counts.values().map(|v| v.to_string());
        let mean = decimal(g.mean_words);
        out.row(&[
            &g.group, &n[0], &n[3], &mean, &n[4], &n[5], &n[6], &n[7], &n[8], &n[9],
        ])?;
    }
    Ok(())
}

/// `corpus dedup --clusters FILE`: a row per document ([`corpus_dedup::ClusterRow`]); with
/// documents named by a metadata field ([`Deduplicated::label_field`]), its value in a last
/// column `meta.FIELD`.
pub fn write_clusters(done: &Deduplicated, out: &mut dyn Tables) -> io::Result<()> {
    let Some(field) = done.label_field() else {
        out.start("clusters.csv", &corpus_dedup::ClusterRow::HEADER)?;
        for row in done.cluster_rows() {
            let fields = row.fields();
            out.row(&fields.each_ref().map(String::as_str))?;
        }
        return Ok(());
    };
    // Documents named by a metadata field too: its values, in a last column `meta.FIELD`.
    let column = format!("meta.{field}");
    let mut header = corpus_dedup::ClusterRow::HEADER.to_vec();
    header.push(&column);
    out.start("clusters.csv", &header)?;
    for row in done.cluster_rows() {
        let fields = row.fields();
        let mut cells: Vec<&str> = fields.iter().map(String::as_str).collect();
        cells.push(row.label.unwrap_or_default());
        out.row(&cells)?;
    }
    Ok(())
}

/// `corpus dedup --lines FILE`: every repeated line or paragraph, most frequent first, with
/// its kind, the kept documents carrying it and its first and last date.
pub fn write_repeated_lines(blocks: &[RepeatedBlock], out: &mut dyn Tables) -> io::Result<()> {
    out.start(
        "lines.csv",
        &["line", "kind", "documents", "first_date", "last_date"],
    )?;
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    for b in blocks {
        let c = &b.count;
        out.row(&[
            &b.text,
            c.kind.as_str(),
            &c.documents.to_string(),
            &date(c.first),
            &date(c.last),
        ])?;
    }
    Ok(())
}
