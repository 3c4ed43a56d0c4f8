//! The page of `corpus report`: HTML with its style, its scripts and its data inline.
//!
//! Every figure is written as text (tables, the headline figures with `data-figure` names and
//! raw `data-value`s), and the charts are drawn from the same figures by `assets/report/report.js`
//! with uPlot. Text from the corpus (titles, lines, paths, group names) is escaped.

use std::fmt::Write;

use corpus_core::Date;
use corpus_dedup::Reason;

use corpus_stats::Granularity;

use crate::page::Page;

const UPLOT_JS: &str = include_str!("../assets/uplot/uPlot.iife.min.js");
const UPLOT_CSS: &str = include_str!("../assets/uplot/uPlot.min.css");
const UPLOT_LICENSE: &str = include_str!("../assets/uplot/LICENSE");
const PAGE_CSS: &str = include_str!("../assets/report/report.css");
const PAGE_JS: &str = include_str!("../assets/report/report.js");

/// Escapes text for HTML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `12,345`.
fn num(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `12.3 %` of `part` in `whole` (`0 %` of nothing).
fn share(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0 %".to_owned();
    }
    format!("{:.1} %", part as f64 * 100.0 / whole as f64)
}

fn date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "–".to_owned())
}

/// The page data as JSON safe inside a `<script>` element: no `<`, `>` or `&` in it.
fn script_json(page: &Page<'_>) -> String {
    let json = serde_json::to_string(page).unwrap_or_else(|_| "{}".to_owned());
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A table: headings (a leading `#` marks a numeric column) and rows of cells already
/// escaped. Numeric cells get their raw value for sorting.
/// `note` of the count `n` (written with thousands separators) when there is any; nothing when
/// it is 0.
fn when_some(n: u64, note: impl FnOnce(String) -> String) -> String {
    if n > 0 { note(num(n)) } else { String::new() }
}

/// [`table`] of `items`, a row each.
fn table_of<T>(out: &mut String, heads: &[&str], items: &[T], row: impl Fn(&T) -> Vec<Cell>) {
    let rows: Vec<Vec<Cell>> = items.iter().map(row).collect();
    table(out, heads, &rows);
}

fn table(out: &mut String, heads: &[&str], rows: &[Vec<Cell>]) {
    if rows.is_empty() {
        out.push_str("<p class=\"empty\">None.</p>\n");
        return;
    }
    out.push_str("<table class=\"sortable\"><thead><tr>");
    for h in heads {
        match h.strip_prefix('#') {
            Some(h) => {
                let _ = write!(out, "<th class=\"num\" scope=\"col\">{}</th>", esc(h));
            }
            None => {
                let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
            }
        }
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            match cell {
                Cell::Text(t) => {
                    let _ = write!(out, "<td class=\"text\">{}</td>", esc(t));
                }
                Cell::Num(n) => {
                    let _ = write!(out, "<td class=\"num\" data-value=\"{n}\">{}</td>", num(*n));
                }
                Cell::Nowrap(d) => {
                    let _ = write!(out, "<td class=\"nowrap\">{}</td>", esc(d));
                }
                Cell::Float(f, shown) => {
                    let _ = write!(
                        out,
                        "<td class=\"num\" data-value=\"{f}\">{}</td>",
                        esc(shown)
                    );
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

enum Cell {
    Text(String),
    Num(u64),
    /// A date, a span of dates or a short word: never wrapped.
    Nowrap(String),
    /// A number and how it is shown.
    Float(f64, String),
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// A headline figure that is a count: its raw value, and shown with thousands separators.
fn count(out: &mut String, (key, label): (&str, &str), n: u64, note: &str) {
    figure(out, key, label, &n.to_string(), &num(n), note);
}

/// One headline figure: a name, a raw value (for checks) and how it is shown.
fn figure(out: &mut String, key: &str, label: &str, value: &str, shown: &str, note: &str) {
    let note = if note.is_empty() {
        String::new()
    } else {
        format!(" <small>{}</small>", esc(note))
    };
    let _ = writeln!(
        out,
        "<div><dt>{}</dt><dd data-figure=\"{key}\" data-value=\"{}\">{}{note}</dd></div>",
        esc(label),
        esc(value),
        esc(shown)
    );
}

/// The page as one self-contained HTML file: every figure as text, the charts drawn by
/// uPlot from the JSON the page embeds, every script and style inline (it opens offline).
pub fn render_html(page: &Page<'_>) -> String {
    let mut out = String::with_capacity(256 * 1024);
    header(&mut out, page);
    overview(&mut out, page);
    volume(&mut out, page);
    length(&mut out, page);
    vocabulary(&mut out, page);
    boilerplate(&mut out, page);
    duplicates(&mut out, page);
    groups(&mut out, page);
    footer(&mut out, page);
    out
}

/// The page's head, its title and the sections' links.
fn header(out: &mut String, page: &Page<'_>) {
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"corpus {}\">\n<title>{} · corpus report</title>\n\
         <style>\n{UPLOT_CSS}\n{PAGE_CSS}</style>\n</head>\n<body>\n<main>",
        esc(page.version),
        esc(&page.title)
    );
    let found = match page.against {
        Some(index) => format!(
            "copies found against the archive <code>{}</code>, with its options · figures count only what is new (<code>--against</code>)",
            esc(index)
        ),
        None => format!(
            "copies found with <code>--preset {}</code>{}",
            page.preset,
            if page.one_copy_per_story {
                " · figures count one copy per story (<code>--dedup</code>)"
            } else {
                ""
            }
        ),
    };
    let _ = writeln!(
        out,
        "<header>\n<h1>{}</h1>\n<p>{} · {found}</p>",
        esc(&page.title),
        esc(&format!(
            "{} input{}",
            page.inputs.len(),
            if page.inputs.len() == 1 { "" } else { "s" }
        )),
    );
    out.push_str(
        "<nav><a href=\"#overview\">Overview</a><a href=\"#volume\">Volume over time</a>\
         <a href=\"#length\">Length</a><a href=\"#vocabulary\">Vocabulary</a>\
         <a href=\"#boilerplate\">Boilerplate</a><a href=\"#duplicates\">Duplicates</a>",
    );
    if !page.groups.is_empty() {
        out.push_str("<a href=\"#groups\">Groups</a>");
    }
    out.push_str("</nav>\n</header>\n<noscript><p class=\"note\">The charts need JavaScript; every figure they show is also in the tables.</p></noscript>\n");
}

/// The headline figures and the problems.
fn overview(out: &mut String, page: &Page<'_>) {
    let s = page.summary;
    let c = &s.counts;
    out.push_str("<section id=\"overview\">\n<h2>Overview</h2>\n<dl class=\"figures\">\n");
    count(out, ("documents", "Documents"), c.documents, "");
    count(out, ("words", "Words"), c.words, "");
    let span = match (s.dates.first, s.dates.last) {
        (Some(a), Some(b)) => format!("{a} – {b}"),
        _ => "no dates".to_owned(),
    };
    figure(out, "dates", "Dates", &span, &span, "");
    count(
        out,
        ("undated", "Undated"),
        c.undated,
        &share(c.undated, c.documents),
    );
    count(out, ("rejected", "Rejected inputs"), s.rejected, "");
    count(out, ("warnings", "Warnings"), s.warnings, "");
    let all = page.dedup_documents();
    let copies = page.dedup_copies();
    count(out, ("copies", "Copies"), copies, &share(copies, all));
    let clusters = page.dedup_clusters();
    count(out, ("clusters", "Stories with copies"), clusters, "");
    out.push_str("</dl>\n");
    problems(out, page);
    out.push_str("</section>\n");
}

/// Documents per period, copies stacked on kept copies.
fn volume(out: &mut String, page: &Page<'_>) {
    let v = &page.volume;
    let bin = match v.periods.granularity {
        Granularity::Week => "week (from Monday)",
        Granularity::Month => "month",
        Granularity::Year => "year",
        _ => "day",
    };
    let _ = writeln!(out, "<section id=\"volume\">\n<h2>Volume over time</h2>");
    if v.periods.x.is_empty() {
        out.push_str("<p class=\"empty\">No document has a date.</p>\n");
    } else {
        let _ = writeln!(
            out,
            "<figure><div class=\"chart\" data-chart=\"volume\" role=\"img\" aria-label=\"Documents per {bin}, copies stacked on kept copies\"></div>\
             <figcaption>Documents per {bin}, {} to {}: kept copies solid, copies hatched on top. Empty periods are drawn as gaps.{}{}</figcaption></figure>",
            date(v.periods.first),
            date(v.periods.last),
            when_some(v.outside, |n| format!(
                " {n} dated documents fall outside the charted span (the earliest and latest 0.5 %)."
            )),
            when_some(v.undated, |n| format!(
                " {n} undated documents are not drawn."
            )),
        );
        let rows: Vec<Vec<Cell>> = v
            .periods
            .labels
            .iter()
            .zip(v.kept.iter().zip(&v.copies))
            .map(|(l, (&k, &cp))| {
                vec![
                    text(l.clone()),
                    Cell::Num(k + cp),
                    Cell::Num(k),
                    Cell::Num(cp),
                ]
            })
            .collect();
        let _ = write!(
            out,
            "<details class=\"data\"><summary>The figures, per {bin} ({} periods, {} empty)</summary><div class=\"scroll\">",
            rows.len(),
            v.kept
                .iter()
                .zip(&v.copies)
                .filter(|(k, c)| **k + **c == 0)
                .count()
        );
        table(out, &["period", "#documents", "#kept", "#copies"], &rows);
        out.push_str("</div></details>\n");
    }
    out.push_str("</section>\n");
}

/// Words per document.
fn length(out: &mut String, page: &Page<'_>) {
    let s = page.summary;
    out.push_str("<section id=\"length\">\n<h2>Words per document</h2>\n");
    match &s.words_per_document {
        Some(d) if !page.words.counts.is_empty() => {
            let _ = writeln!(
                out,
                "<figure><div class=\"chart\" data-chart=\"words\" role=\"img\" aria-label=\"Histogram of words per document\"></div>\
                 <figcaption>Bins of {} words{}; the lines mark the 10th percentile, the median, the mean and the 90th percentile.</figcaption></figure>\n<dl class=\"figures\">",
                num(page.words.width),
                if page.words.open {
                    ", the last holding every longer document"
                } else {
                    ""
                }
            );
            count(out, ("words-min", "Shortest"), d.min, "words");
            for (key, label, value) in [
                ("words-p10", "10th percentile", d.p10),
                ("words-median", "Median", d.median),
                ("words-mean", "Mean", d.mean),
                ("words-p90", "90th percentile", d.p90),
            ] {
                figure(
                    out,
                    key,
                    label,
                    &value.to_string(),
                    &format!("{value:.1}"),
                    "words",
                );
            }
            count(out, ("words-max", "Longest"), d.max, "words");
            out.push_str("</dl>\n");
        }
        _ => out.push_str("<p class=\"empty\">No document.</p>\n"),
    }
    out.push_str("</section>\n");
}

/// Tokens, types, the top terms and bigrams, the top terms over time.
fn vocabulary(out: &mut String, page: &Page<'_>) {
    let s = page.summary;
    let v = &page.volume;
    let bin = bin_name(page);
    let voc = &s.vocabulary;
    out.push_str("<section id=\"vocabulary\">\n<h2>Vocabulary</h2>\n<dl class=\"figures\">\n");
    count(out, ("tokens", "Tokens"), voc.tokens, "");
    count(out, ("types", "Types"), voc.types, "");
    figure(
        out,
        "type-token-ratio",
        "Type-token ratio",
        &voc.type_token_ratio.to_string(),
        &format!("{:.4}", voc.type_token_ratio),
        "",
    );
    count(out, ("hapax", "Hapax legomena"), voc.hapax_legomena, "");
    out.push_str("</dl>\n<div class=\"two\">\n<div>\n<h3>Top terms</h3>\n");
    let heads = ["term", "#count", "#documents"];
    table_of(out, &heads, &voc.top_terms, |t| {
        vec![
            text(t.term.clone()),
            Cell::Num(t.count),
            Cell::Num(t.documents),
        ]
    });
    out.push_str("</div>\n<div>\n<h3>Top bigrams</h3>\n");
    table_of(out, &["bigram", "#count"], &voc.top_bigrams, |b| {
        vec![
            text(format!("{} {}", b.first, b.second)),
            Cell::Num(b.count),
        ]
    });
    out.push_str("</div>\n</div>\n");
    if !page.trend.terms.is_empty() && !v.periods.x.is_empty() {
        let _ = writeln!(
            out,
            "<h3>The top terms over time</h3>\n<p class=\"note\">Hits per million words, per {bin}; one chart per term, all on one scale.</p>\n<div class=\"small-multiples\">"
        );
        for (i, t) in page.trend.terms.iter().enumerate() {
            let _ = writeln!(
                out,
                "<figure><figcaption>{} <span>{} hits</span></figcaption><div class=\"chart\" data-chart=\"trend\" data-index=\"{i}\" data-small role=\"img\" aria-label=\"{} per million words over time\"></div></figure>",
                esc(&t.term),
                num(t.hits),
                esc(&t.term)
            );
        }
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
}

/// Related links, image credits and recurring lines.
fn boilerplate(out: &mut String, page: &Page<'_>) {
    let s = page.summary;
    out.push_str("<section id=\"boilerplate\">\n<h2>News boilerplate</h2>\n<div class=\"two\">\n<div>\n<h3>Related-link titles</h3>\n");
    table_of(out, &["title", "#count"], &s.top_related_links, |r| {
        vec![text(r.name.clone()), Cell::Num(r.count)]
    });
    out.push_str("</div>\n<div>\n<h3>Image-credit sources</h3>\n");
    table_of(out, &["source", "#count"], &s.top_image_credits, |r| {
        vec![text(r.name.clone()), Cell::Num(r.count)]
    });
    out.push_str("</div>\n</div>\n");
    let _ = writeln!(
        out,
        "<h3>Recurring lines</h3>\n<p class=\"note\">Lines and paragraphs carried by at least {} kept documents (copies are not counted): {}.</p>",
        page.min_docs,
        match (page.dedup.repeated_lines.unwrap_or(0), page.lines.len()) {
            (0, _) => "none".to_owned(),
            (all, shown) if all == shown => format!("{} in all", num(all as u64)),
            (all, shown) => format!(
                "{} in all, the first {} shown",
                num(all as u64),
                num(shown as u64)
            ),
        }
    );
    table_of(
        out,
        &["line", "kind", "#documents", "first", "last"],
        &page.lines,
        |l| {
            vec![
                text(l.text.clone()),
                Cell::Nowrap(l.kind.to_owned()),
                Cell::Num(l.documents),
                Cell::Nowrap(date(l.first)),
                Cell::Nowrap(date(l.last)),
            ]
        },
    );
    out.push_str("</section>\n");
}

/// Copies by kind, their lags and the largest clusters.
fn duplicates(out: &mut String, page: &Page<'_>) {
    let result = page.result;
    let all = page.dedup_documents();
    out.push_str("<section id=\"duplicates\">\n<h2>Duplicates</h2>\n<dl class=\"figures\">\n");
    count(
        out,
        ("kept", "Kept"),
        page.dedup_kept(),
        &share(page.dedup_kept(), all),
    );
    for (key, label, reason) in [
        ("exact-copies", "Exact copies", Reason::Exact),
        ("near-copies", "Near copies", Reason::Near),
        ("rewritten-copies", "Rewritten copies", Reason::Rewrite),
        ("key-copies", "Copies by key", Reason::Key),
    ] {
        let n = result.count(reason) as u64;
        count(out, (key, label), n, &share(n, all));
    }
    out.push_str("</dl>\n");
    let l = &page.lags;
    if !l.days.is_empty() {
        let _ = writeln!(
            out,
            "<figure><div class=\"chart\" data-chart=\"lags\" role=\"img\" aria-label=\"Copies by days from their kept copy\"></div>\
             <figcaption>When copies appear: days from the kept copy's date to each copy's (the end bins hold everything beyond {} days).{}</figcaption></figure>",
            crate::page::MAX_LAG,
            when_some(l.undated, |n| format!(
                " {n} copies are left out: they or their kept copy have no date."
            ))
        );
    }
    out.push_str("<h3>The largest clusters</h3>\n");
    let with_groups = page.group_by.is_some();
    let rows: Vec<Vec<Cell>> = page
        .clusters
        .iter()
        .map(|c| {
            let mut row = vec![
                Cell::Num(c.documents as u64),
                text(c.kept.clone()),
                text(c.title.clone().unwrap_or_default()),
                Cell::Nowrap(date(c.date)),
                Cell::Nowrap(format!("{} – {}", date(c.first), date(c.last))),
                Cell::Num(c.exact as u64),
                Cell::Num(c.near as u64),
            ];
            if with_groups {
                row.push(text(c.groups.join(", ")));
            }
            row
        })
        .collect();
    let mut heads = vec![
        "#documents",
        "kept copy",
        "title",
        "date",
        "dates",
        "#exact",
        "#near",
    ];
    if with_groups {
        heads.push("groups");
    }
    table(out, &heads, &rows);
    out.push_str("</section>\n");
}

/// Each group's figures and small charts.
fn groups(out: &mut String, page: &Page<'_>) {
    let v = &page.volume;
    let bin = bin_name(page);
    if !page.groups.is_empty() {
        let _ = write!(
            out,
            "<section id=\"groups\">\n<h2>Groups: <code>{}</code></h2>\n<p class=\"note\">{} groups; copies are documents of the group that copy a kept one, from elsewhere when that kept copy is in another group.</p>\n<div class=\"scroll\">",
            esc(page.group_by.unwrap_or_default()),
            num(page.groups_total as u64)
        );
        table_of(
            out,
            &[
                "group",
                "#documents",
                "#copies",
                "#share",
                "#from elsewhere",
            ],
            &page.groups,
            |g| {
                vec![
                    text(g.group.clone()),
                    Cell::Num(g.documents),
                    Cell::Num(g.copies),
                    Cell::Float(
                        g.copies as f64 / g.documents.max(1) as f64,
                        share(g.copies, g.documents),
                    ),
                    Cell::Num(g.copied_from_others),
                ]
            },
        );
        out.push_str("</div>\n");
        let charted = page.groups.iter().filter(|g| g.volume.is_some()).count();
        if charted > 0 {
            let _ = writeln!(
                out,
                "<h3>Each group over time and by length</h3>\n<p class=\"note\">The {charted} largest groups: documents per {bin}, and words per document in the bins of the histogram above.</p>"
            );
            let dated = !v.periods.x.is_empty();
            for (i, g) in page.groups.iter().enumerate().take(charted) {
                // An undated corpus has no time axis: said, as the main chart says it (an empty
                // chart of 1970 was drawn).
                let volume = if dated {
                    format!(
                        "<div class=\"chart\" data-chart=\"group-volume\" data-index=\"{i}\" data-small role=\"img\" aria-label=\"{} documents over time\"></div>",
                        esc(&g.group)
                    )
                } else {
                    "<p class=\"empty\">No document has a date.</p>".to_owned()
                };
                let _ = writeln!(
                    out,
                    "<div class=\"group-row\"><h3>{}<small>{} documents · {} copies</small></h3>\
                     {volume}\
                     <div class=\"chart\" data-chart=\"group-words\" data-index=\"{i}\" data-small role=\"img\" aria-label=\"{} words per document\"></div></div>",
                    esc(&g.group),
                    num(g.documents),
                    share(g.copies, g.documents),
                    esc(&g.group)
                );
            }
        }
        out.push_str("</section>\n");
    }
}

/// The footer, the page's data and its scripts.
fn footer(out: &mut String, page: &Page<'_>) {
    let _ = writeln!(
        out,
        "<footer><p>Made by <code>corpus report</code> {} from {}. Charts by uPlot (MIT licence, in the page's source).</p></footer>\n</main>",
        esc(page.version),
        // File names, not paths: a page is shared, and where its inputs lay on one machine
        // is nobody's business.
        esc(&page
            .inputs
            .iter()
            .map(|i| {
                std::path::Path::new(i)
                    .file_name()
                    .map_or_else(|| i.clone(), |n| n.to_string_lossy().into_owned())
            })
            .collect::<Vec<_>>()
            .join(", "))
    );
    let _ = writeln!(
        out,
        "<script type=\"application/json\" id=\"report-data\">{}</script>\n<script>\n/*\n{}*/\n{UPLOT_JS}\n</script>\n<script>\n{PAGE_JS}</script>\n</body>\n</html>",
        script_json(page),
        UPLOT_LICENSE.replace("*/", "* /")
    );
}

/// The charts' period, in words.
fn bin_name(page: &Page<'_>) -> &'static str {
    match page.volume.periods.granularity {
        Granularity::Week => "week (from Monday)",
        Granularity::Month => "month",
        Granularity::Year => "year",
        _ => "day",
    }
}

/// The problems, collapsed: the first ones with file, line and reason.
fn problems(out: &mut String, page: &Page<'_>) {
    let total = page.problems_total;
    let shown = page.problems();
    if total == 0 {
        out.push_str("<p class=\"note\">No problems: every input was read.</p>\n");
        return;
    }
    let _ = write!(
        out,
        "<details class=\"problems\"><summary>{} problem{} ({} rejected, {} warnings){}</summary><div class=\"scroll\">",
        num(total),
        if total == 1 { "" } else { "s" },
        num(page.summary.rejected),
        num(page.summary.warnings),
        if (shown.len() as u64) < total {
            format!(
                "; the first {} listed, all with --problems FILE",
                shown.len()
            )
        } else {
            String::new()
        }
    );
    let rows: Vec<Vec<Cell>> = shown
        .iter()
        .map(|p| {
            vec![
                text(if p.rejects() { "rejected" } else { "warning" }),
                text(p.kind.as_str()),
                text(p.path.clone()),
                text(p.line.map(|l| l.to_string()).unwrap_or_default()),
                text(p.message.clone()),
            ]
        })
        .collect();
    table(out, &["severity", "kind", "file", "line", "reason"], &rows);
    out.push_str("</div></details>\n");
}

#[cfg(test)]
mod tests {
    use super::{esc, num};

    #[test]
    fn text_is_escaped_and_numbers_grouped() {
        assert_eq!(
            esc("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(
            [0, 999, 1000, 21578, 1234567].map(num),
            ["0", "999", "1,000", "21,578", "1,234,567"]
        );
    }
}
