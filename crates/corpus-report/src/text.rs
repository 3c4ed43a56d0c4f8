//! The text of the commands' tables on a terminal: columns aligned by their width on screen,
//! and the summary table of `corpus stats`.

use std::io::{self, Write};

use corpus_dedup::{Evaluation, PairEvaluation};
use corpus_stats::{Counts, Summary};
use unicode_width::UnicodeWidthStr;

use crate::tables::{decimal, summary_metrics};

/// How a table's first column is aligned; the others are right-aligned (numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum First {
    /// Names: left-aligned.
    Left,
    /// Numbers like the rest: right-aligned.
    Right,
}

/// Writes rows as columns, two spaces apart, aligned by their width on a terminal (a CJK
/// character takes two columns, a combining mark none).
pub fn table(
    out: &mut dyn Write,
    indent: &str,
    first: First,
    rows: &[Vec<String>],
) -> io::Result<()> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::from(indent);
        for (i, cell) in row.iter().enumerate() {
            let pad = widths[i] - cell.width();
            if i > 0 {
                line.push_str("  ");
            }
            if i == 0 && first == First::Left {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', pad));
            } else {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(cell);
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// A row of cells from anything that displays.
pub fn row<const N: usize>(cells: [&dyn std::fmt::Display; N]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// The rows `corpus eval --pairs` prints: the pairs, copies found and missed, look-alikes
/// merged, and the scores.
pub fn pair_evaluation_rows(e: &PairEvaluation) -> Vec<(&'static str, String)> {
    [
        ("pairs", e.pairs.to_string()),
        ("copies", e.copies.to_string()),
        ("found", e.true_positives.to_string()),
        ("missed", e.missed.to_string()),
        ("false merges", e.false_merges.to_string()),
    ]
    .into_iter()
    .chain(scores(e.precision, e.recall, e.f1))
    .collect()
}

/// Precision, recall and F1, to four places.
fn scores(precision: f64, recall: f64, f1: f64) -> [(&'static str, String); 3] {
    [
        ("precision", format!("{precision:.4}")),
        ("recall", format!("{recall:.4}")),
        ("F1", format!("{f1:.4}")),
    ]
}

/// The rows `corpus eval --truth` prints: the documents, the pairs, and the scores.
pub fn evaluation_rows(e: &Evaluation) -> Vec<(&'static str, String)> {
    [
        ("documents", e.documents.to_string()),
        ("true pairs", e.true_pairs.to_string()),
        ("predicted pairs", e.predicted_pairs.to_string()),
    ]
    .into_iter()
    .chain(scores(e.precision, e.recall, e.f1))
    .chain([("ARI", format!("{:.4}", e.adjusted_rand_index))])
    .collect()
}

/// What the statistics table shows beyond the summary.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct StatsTable<'a> {
    /// The day rows too, not only the months.
    pub per_day: bool,
    /// Groups of a metadata field, and languages, listed before the others are added up in
    /// one row.
    pub top: usize,
    /// What the documents were grouped by, as given (`year`, `meta.source`).
    pub group_by: Option<&'a str>,
}

impl StatsTable<'_> {
    /// Writes the summary as `corpus stats` prints it: the counts, words per document, dates,
    /// the vocabulary, top terms and bigrams, boilerplate and groups, each a titled table.
    pub fn write(&self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        overview(out, s, self)?;
        languages(out, s, self)?;
        vocabulary(out, s)?;
        top_terms(out, s)?;
        lists(out, s)?;
        groups(out, s, self)
    }
}

/// The counts, words per document and the dates.
fn overview(out: &mut dyn Write, s: &Summary, options: &StatsTable<'_>) -> io::Result<()> {
    let c = &s.counts;
    writeln!(out, "Corpus")?;
    let rows: Vec<Vec<String>> = summary_metrics(s)
        .into_iter()
        .take(12)
        .map(|(k, v)| vec![k.replace('_', " "), v])
        .collect();
    table(out, "  ", First::Left, &rows)?;

    if let Some(d) = &s.words_per_document {
        writeln!(out, "\nWords per document")?;
        table(
            out,
            "  ",
            First::Right,
            &[
                ["min", "p10", "median", "mean", "p90", "max"]
                    .map(String::from)
                    .to_vec(),
                vec![
                    d.min.to_string(),
                    decimal(d.p10),
                    decimal(d.median),
                    decimal(d.mean),
                    decimal(d.p90),
                    d.max.to_string(),
                ],
            ],
        )?;
    }

    if let (Some(first), Some(last)) = (s.dates.first, s.dates.last) {
        writeln!(out, "\nDates {first} to {last} ({} undated)", c.undated)?;
        let mut tables = vec![("month", &s.dates.months)];
        if options.per_day {
            tables.push(("day", &s.dates.days));
        }
        for (i, (unit, periods)) in tables.into_iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            let mut rows = vec![row([&unit, &"documents", &"words"])];
            rows.extend(
                periods
                    .iter()
                    .map(|p| row([&p.period, &p.documents, &p.words])),
            );
            table(out, "  ", First::Left, &rows)?;
        }
    }
    Ok(())
}

/// The vocabulary figures.
fn vocabulary(out: &mut dyn Write, s: &Summary) -> io::Result<()> {
    let v = &s.vocabulary;
    writeln!(out, "\nVocabulary")?;
    table(
        out,
        "  ",
        First::Left,
        &[
            row([&"tokens", &v.tokens]),
            row([&"types", &v.types]),
            row([&"type-token ratio", &format!("{:.4}", v.type_token_ratio)]),
            row([&"hapax legomena", &v.hapax_legomena]),
        ],
    )?;
    Ok(())
}

/// The top terms, by count and by documents, side by side.
fn top_terms(out: &mut dyn Write, s: &Summary) -> io::Result<()> {
    let v = &s.vocabulary;
    if !v.top_terms.is_empty() {
        writeln!(out, "\nTop terms")?;
        let mut rows = vec![row([
            &"by count",
            &"count",
            &"docs",
            &"",
            &"by documents",
            &"docs",
            &"count",
        ])];
        for i in 0..v.top_terms.len().max(v.top_terms_by_documents.len()) {
            let mut r = Vec::new();
            for (list, first_is_count) in [(&v.top_terms, true), (&v.top_terms_by_documents, false)]
            {
                match list.get(i) {
                    Some(t) if first_is_count => {
                        r.extend([t.term.clone(), t.count.to_string(), t.documents.to_string()])
                    }
                    Some(t) => r.extend([
                        String::new(),
                        t.term.clone(),
                        t.documents.to_string(),
                        t.count.to_string(),
                    ]),
                    None => r.extend(if first_is_count {
                        vec![String::new(); 3]
                    } else {
                        vec![String::new(); 4]
                    }),
                }
            }
            rows.push(r);
        }
        table(out, "  ", First::Left, &rows)?;
    }
    Ok(())
}

/// The top bigrams, related-link titles and image credits.
fn lists(out: &mut dyn Write, s: &Summary) -> io::Result<()> {
    let v = &s.vocabulary;
    if !v.top_bigrams.is_empty() {
        writeln!(out, "\nTop bigrams")?;
        let rows: Vec<_> = v
            .top_bigrams
            .iter()
            .map(|b| row([&format!("{} {}", b.first, b.second), &b.count]))
            .collect();
        table(out, "  ", First::Left, &rows)?;
    }
    for (title, list) in [
        ("Related-link titles", &s.top_related_links),
        ("Image credits", &s.top_image_credits),
    ] {
        if !list.is_empty() {
            writeln!(out, "\n{title}")?;
            let rows: Vec<_> = list.iter().map(|r| row([&r.name, &r.count])).collect();
            table(out, "  ", First::Left, &rows)?;
        }
    }
    Ok(())
}

/// The languages, most documents first, the `--top` shown and the rest in one row.
fn languages(out: &mut dyn Write, s: &Summary, options: &StatsTable<'_>) -> io::Result<()> {
    if s.languages.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nLanguages")?;
    let mut rows = vec![row([&"lang", &"documents", &"words", &"mean words"])];
    let lang_row = |name: &str, documents: u64, words: u64| {
        let mean = if documents == 0 {
            0.0
        } else {
            words as f64 / documents as f64
        };
        row([&name, &documents, &words, &decimal(mean)])
    };
    let top = options.top.max(1);
    for g in s.languages.iter().take(top) {
        rows.push(lang_row(&g.group, g.counts.documents, g.counts.words));
    }
    if s.languages.len() > top {
        let rest = &s.languages[top..];
        let documents = rest.iter().map(|g| g.counts.documents).sum();
        let words = rest.iter().map(|g| g.counts.words).sum();
        rows.push(lang_row(
            &format!("({} others)", rest.len()),
            documents,
            words,
        ));
    }
    table(out, "  ", First::Left, &rows)
}

/// The groups, the largest of a metadata field first and the rest in one row.
fn groups(out: &mut dyn Write, s: &Summary, options: &StatsTable<'_>) -> io::Result<()> {
    if !s.groups.is_empty() {
        writeln!(out, "\nGroups by {}", options.group_by.unwrap_or_default())?;
        let mut rows = vec![row([
            &"group",
            &"documents",
            &"words",
            &"mean words",
            &"paragraphs",
            &"undated",
        ])];
        let group_row = |name: &str, c: &Counts| {
            let mean = if c.documents == 0 {
                0.0
            } else {
                c.words as f64 / c.documents as f64
            };
            row([
                &name,
                &c.documents,
                &c.words,
                &decimal(mean),
                &c.paragraphs,
                &c.undated,
            ])
        };
        let (shown, rest) = shown_groups(s, options);
        rows.extend(shown.iter().map(|g| group_row(&g.group, &g.counts)));
        if let Some(rest) = rest {
            rows.push(group_row(
                &format!("({} others)", rest.documents_groups),
                &rest.counts,
            ));
        }
        table(out, "  ", First::Left, &rows)?;
    }
    Ok(())
}

/// The groups left out of the table, added up.
struct Rest {
    documents_groups: usize,
    counts: Counts,
}

/// The groups the table shows: periods (`year`, `month`) all, in order; the groups of a
/// metadata field by documents, the `--top` first, the others in one row (groups.csv has all).
fn shown_groups<'s>(
    s: &'s Summary,
    options: &StatsTable<'_>,
) -> (Vec<&'s corpus_stats::Group>, Option<Rest>) {
    let by_field = options.group_by.is_some_and(|g| g.starts_with("meta."));
    let mut groups: Vec<&corpus_stats::Group> = s.groups.iter().collect();
    if !by_field || groups.len() <= options.top {
        return (groups, None);
    }
    groups.sort_by(|a, b| {
        b.counts
            .documents
            .cmp(&a.counts.documents)
            .then(a.group.cmp(&b.group))
    });
    let others = groups.split_off(options.top);
    let mut counts = Counts::default();
    for g in &others {
        counts += g.counts;
    }
    (
        groups,
        Some(Rest {
            documents_groups: others.len(),
            counts,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::{First, table};

    fn render(first: First, rows: &[&[&str]]) -> String {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect();
        let mut out = Vec::new();
        table(&mut out, "", first, &rows).expect("written");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn wide_characters_take_two_columns() {
        let text = render(First::Left, &[&["的", "1655"], &["news", "12"]]);
        assert_eq!(text, "的    1655\nnews    12\n");
    }

    #[test]
    fn a_table_of_numbers_is_right_aligned() {
        let text = render(First::Right, &[&["min", "p10"], &["56", "59.20"]]);
        assert_eq!(text, "min    p10\n 56  59.20\n");
    }
}
