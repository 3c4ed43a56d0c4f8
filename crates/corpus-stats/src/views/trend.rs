//! A term's frequency over time: documents and hits per period, raw and per million words.

use std::collections::BTreeMap;

use corpus_core::{Date, Document};

use super::pattern::{Pattern, spans};
use crate::periods::in_periods;
use crate::{Granularity, Periods};

/// The hits of some patterns in a document, and its words: what a [`Trend`] adds up.
///
/// ```
/// use corpus_core::{Block, BlockKind, Document};
/// use corpus_stats::{Pattern, TermHits};
///
/// let text = "Oil rose. Crude oil and oil futures rose.";
/// let mut doc = Document::new("a", "mem", text);
/// doc.blocks = vec![Block::new(BlockKind::Paragraph, 0..text.len())];
/// let hits = TermHits::new(vec![Pattern::parse("oil", false)?, Pattern::parse("crude oil", false)?]);
/// assert_eq!(hits.count(&doc), (8, vec![3, 1]));
/// # Ok::<(), corpus_stats::PatternError>(())
/// ```
#[derive(Debug, Clone)]
pub struct TermHits {
    patterns: Vec<Pattern>,
}

impl TermHits {
    /// Counts the hits of `patterns` (each its own count; a phrase's words in a row).
    pub fn new(patterns: Vec<Pattern>) -> TermHits {
        TermHits { patterns }
    }

    /// The patterns.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// The words of `doc`'s paragraphs and headings, and the hits of each pattern in them.
    pub fn count(&self, doc: &Document) -> (u64, Vec<u64>) {
        let mut hits = vec![0u64; self.patterns.len()];
        let mut words = 0u64;
        let mut normal = String::new();
        // Per pattern, the first word a new hit may start at: hits do not overlap.
        let mut free = vec![0usize; self.patterns.len()];
        for text in doc.body() {
            let spans = spans(text);
            words += spans.len() as u64;
            free.iter_mut().for_each(|f| *f = 0);
            for (i, &(s, e)) in spans.iter().enumerate() {
                let word = &text[s..e];
                normal.clear();
                corpus_core::normalize_word(word, &mut normal);
                for (k, p) in self.patterns.iter().enumerate() {
                    let form = if p.case() { word } else { normal.as_str() };
                    if free[k] <= i && p.first_matches(form) && p.matches_at_spans(text, &spans, i)
                    {
                        hits[k] += 1;
                        free[k] = i + p.len();
                    }
                }
            }
        }
        (words, hits)
    }
}

#[derive(Debug, Clone, Default)]
struct Counts {
    documents: u64,
    words: u64,
    /// Per term: hits, and documents with a hit.
    hits: Vec<u64>,
    with: Vec<u64>,
}

impl Counts {
    fn add(&mut self, words: u64, hits: &[u64]) {
        self.documents += 1;
        self.words += words;
        self.hits.resize(hits.len(), 0);
        self.with.resize(hits.len(), 0);
        for (i, &h) in hits.iter().enumerate() {
            self.hits[i] += h;
            self.with[i] += u64::from(h > 0);
        }
    }

    fn absorb(&mut self, other: &Counts) {
        self.documents += other.documents;
        self.words += other.words;
        self.hits.resize(other.hits.len().max(self.hits.len()), 0);
        self.with.resize(other.with.len().max(self.with.len()), 0);
        for (i, (&h, &w)) in other.hits.iter().zip(&other.with).enumerate() {
            self.hits[i] += h;
            self.with[i] += w;
        }
    }
}

/// One row of a trend: a period and a term.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendRow {
    /// The group of the documents counted (a trend per group, as
    /// [`GroupBy::keys`](crate::GroupBy::keys) names them); `None` for the whole corpus.
    pub group: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `undated` for the documents without a date.
    pub period: String,
    /// The term, as given.
    pub term: String,
    /// Hits of the term.
    pub hits: u64,
    /// Documents with a hit.
    pub documents: u64,
    /// Documents of the period.
    pub period_documents: u64,
    /// Words of the period.
    pub words: u64,
    /// Hits per million words of the period; `None` for a period without words (no document,
    /// or only empty ones), where a rate says nothing: 0 would chart a word vanishing from the
    /// news when the news itself is missing.
    pub per_million: Option<f64>,
}

/// A trend summed into the periods of a chart ([`Trend::charted`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartedTrend {
    /// Words of the dated documents of each period.
    pub words: Vec<u64>,
    /// Per term, its hits in each period.
    pub hits: Vec<Vec<u64>>,
    /// Per term, its hits in every dated document, charted or not (a stray date's too).
    pub dated_hits: Vec<u64>,
}

/// Hits of terms per day, summed into periods ([`Trend::rows`]); add documents in any order.
#[derive(Debug, Clone, Default)]
pub struct Trend {
    days: BTreeMap<Date, Counts>,
    undated: Counts,
}

impl Trend {
    /// An empty trend.
    pub fn new() -> Trend {
        Trend::default()
    }

    /// Adds one document: its date, its words and its hits per term ([`TermHits::count`]).
    pub fn add(&mut self, date: Option<Date>, words: u64, hits: &[u64]) {
        match date {
            Some(d) => self.days.entry(d).or_default().add(words, hits),
            None => self.undated.add(words, hits),
        }
    }

    /// Undated documents added.
    pub fn undated(&self) -> u64 {
        self.undated.documents
    }

    /// The dated documents' words and hits summed into the periods of a chart ([`Periods`]),
    /// for `terms` terms: what a chart of the terms per million words draws.
    pub fn charted(&self, periods: &Periods, terms: usize) -> ChartedTrend {
        let n = periods.len();
        let mut out = ChartedTrend {
            words: vec![0; n],
            hits: vec![vec![0; n]; terms],
            dated_hits: vec![0; terms],
        };
        for (date, counts) in &self.days {
            let k = periods.of(*date);
            if let Some(k) = k {
                out.words[k] += counts.words;
            }
            for t in 0..terms {
                let got = counts.hits.get(t).copied().unwrap_or(0);
                out.dated_hits[t] += got;
                if let Some(k) = k {
                    out.hits[t][k] += got;
                }
            }
        }
        out
    }

    /// Rows per period and term (`terms` names them, in order), in date order, with the
    /// empty periods between dated ones (gaps as [`CorpusStats::periods`](crate::CorpusStats::periods)
    /// fills them), then the undated documents' rows, if any.
    pub fn rows(&self, granularity: Granularity, terms: &[String]) -> Vec<TrendRow> {
        let days = self
            .days
            .iter()
            .map(|(date, counts)| (*date, counts.clone()));
        let mut periods: Vec<(String, Counts)> = in_periods(days, granularity, Counts::absorb);
        if self.undated.documents > 0 {
            periods.push(("undated".to_owned(), self.undated.clone()));
        }
        let mut out = Vec::with_capacity(periods.len() * terms.len());
        for (period, counts) in &periods {
            for (t, term) in terms.iter().enumerate() {
                let hits = counts.hits.get(t).copied().unwrap_or(0);
                out.push(TrendRow {
                    group: None,
                    period: period.clone(),
                    term: term.clone(),
                    hits,
                    documents: counts.with.get(t).copied().unwrap_or(0),
                    period_documents: counts.documents,
                    words: counts.words,
                    per_million: (counts.words > 0)
                        .then(|| hits as f64 * 1e6 / counts.words as f64),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use corpus_core::Date;

    use super::Trend;
    use crate::Granularity;

    #[test]
    fn rows_show_the_empty_periods_and_the_undated_last() {
        let day = |s: &str| Date::parse(s).ok();
        let mut t = Trend::new();
        t.add(day("1987-04-02"), 200, &[1, 0]);
        t.add(day("1987-02-10"), 100, &[2, 1]);
        t.add(day("1987-02-20"), 300, &[0, 0]);
        t.add(None, 50, &[5, 0]);
        let terms = ["oil".to_owned(), "gas".to_owned()];
        let rows = t.rows(Granularity::Month, &terms);
        let shown: Vec<(&str, &str, u64, u64, u64, u64)> = rows
            .iter()
            .map(|r| {
                (
                    r.period.as_str(),
                    r.term.as_str(),
                    r.hits,
                    r.documents,
                    r.period_documents,
                    r.words,
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("1987-02", "oil", 2, 1, 2, 400),
                ("1987-02", "gas", 1, 1, 2, 400),
                ("1987-03", "oil", 0, 0, 0, 0),
                ("1987-03", "gas", 0, 0, 0, 0),
                ("1987-04", "oil", 1, 1, 1, 200),
                ("1987-04", "gas", 0, 0, 1, 200),
                ("undated", "oil", 5, 1, 1, 50),
                ("undated", "gas", 0, 0, 1, 50),
            ]
        );
        assert_eq!(rows[0].per_million, Some(5000.0));
        assert_eq!(rows[2].per_million, None, "an empty period has no rate");
        assert_eq!(
            rows[5].per_million,
            Some(0.0),
            "a word absent from a period's news"
        );
        assert_eq!(t.undated(), 1);
    }
}
