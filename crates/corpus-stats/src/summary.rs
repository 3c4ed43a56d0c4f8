//! Reading an accumulator: the summary, and the full sorted lists behind the CSV reports.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use corpus_core::Date;

use crate::periods::{Granularity, in_periods};
use crate::stats::DayCount;
use crate::vocabulary::{TermCount, unpair};
use crate::{CorpusStats, Counts};

/// Everything a corpus summary reports (with the `serde` feature, `Serialize`; the JSON of
/// `corpus stats --json` is the CLI's own).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Summary {
    /// Headline counts.
    pub counts: Counts,
    /// Inputs rejected (no document was made).
    pub rejected: u64,
    /// Warnings about documents that were kept (invalid UTF-8, a dropped date).
    pub warnings: u64,
    /// Body words per document, when there is at least one document.
    pub words_per_document: Option<Distribution>,
    /// Dates.
    pub dates: Dates,
    /// Vocabulary.
    pub vocabulary: Vocabulary,
    /// The most frequent related-link titles.
    pub top_related_links: Vec<Ranked>,
    /// The most frequent image-credit sources.
    pub top_image_credits: Vec<Ranked>,
    /// Headline counts per group, by group name, when grouping was asked for.
    pub groups: Vec<Group>,
    /// Headline counts per language (the group is the code: `en`, `und`), most documents
    /// first (ties by code).
    pub languages: Vec<Group>,
}

/// A distribution of per-document values: exact, with percentiles interpolated linearly between
/// the two nearest ranks (the default of numpy and pandas).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Distribution {
    /// The smallest value.
    pub min: u64,
    /// The 10th percentile.
    pub p10: f64,
    /// The median.
    pub median: f64,
    /// The mean.
    pub mean: f64,
    /// The 90th percentile.
    pub p90: f64,
    /// The largest value.
    pub max: u64,
}

/// Dates of the dated documents.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dates {
    /// The earliest date.
    pub first: Option<Date>,
    /// The latest date.
    pub last: Option<Date>,
    /// Documents and words per year, in order.
    pub years: Vec<Period>,
    /// Documents and words per month, in order.
    pub months: Vec<Period>,
    /// Documents and words per day, in order.
    pub days: Vec<Period>,
}

/// Documents and body words in one period (`1987`, `1987-03` or `1987-03-02`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Period {
    /// The period.
    pub period: String,
    /// Documents dated in it.
    pub documents: u64,
    /// Their body words.
    pub words: u64,
}

/// Vocabulary figures.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Vocabulary {
    /// Words of all bodies (every occurrence).
    pub tokens: u64,
    /// Distinct terms.
    pub types: u64,
    /// Types divided by tokens (0 for an empty corpus).
    pub type_token_ratio: f64,
    /// Terms that occur exactly once.
    pub hapax_legomena: u64,
    /// The most frequent terms, stop words left out.
    pub top_terms: Vec<Term>,
    /// The terms in the most documents, stop words left out.
    pub top_terms_by_documents: Vec<Term>,
    /// The most frequent pairs of adjacent terms in a block, neither a stop word.
    pub top_bigrams: Vec<Bigram>,
}

/// A term with its frequency.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Term {
    /// The term, normalised.
    pub term: String,
    /// Occurrences.
    pub count: u64,
    /// Documents it occurs in.
    pub documents: u64,
}

/// A bigram with its frequency.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Bigram {
    /// The first term.
    pub first: String,
    /// The second term.
    pub second: String,
    /// Occurrences.
    pub count: u64,
}

/// A name (a related-link title, a credit source) with how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Ranked {
    /// The name.
    pub name: String,
    /// Occurrences.
    pub count: u64,
}

/// Headline counts of one group.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Group {
    /// The group's name.
    pub group: String,
    /// Its counts.
    pub counts: Counts,
    /// Mean body words per document.
    pub mean_words: f64,
}

impl Group {
    fn of(group: String, counts: Counts) -> Group {
        let mean_words = if counts.documents == 0 {
            0.0
        } else {
            counts.words as f64 / counts.documents as f64
        };
        Group {
            group,
            counts,
            mean_words,
        }
    }
}

impl CorpusStats {
    /// The summary, with `top` entries in each top list.
    pub fn summary(&self, top: usize) -> Summary {
        let tokens = self.counts.words;
        let types = self.terms.len() as u64;
        Summary {
            counts: self.counts,
            rejected: self.rejected,
            warnings: self.warnings,
            words_per_document: distribution(&self.words_per_document),
            dates: Dates {
                first: self.days.keys().next().copied(),
                last: self.days.keys().next_back().copied(),
                years: self.periods(Granularity::Year),
                months: self.periods(Granularity::Month),
                days: self.periods(Granularity::Day),
            },
            vocabulary: Vocabulary {
                tokens,
                types,
                type_token_ratio: if tokens == 0 {
                    0.0
                } else {
                    types as f64 / tokens as f64
                },
                hapax_legomena: self.terms.iter().filter(|(_, t)| t.count == 1).count() as u64,
                top_terms: self.top_terms(top, |t| (t.count, t.documents)),
                top_terms_by_documents: self.top_terms(top, |t| (t.documents, t.count)),
                top_bigrams: self.top_bigrams(top, 1),
            },
            top_related_links: ranked(&self.related, top),
            top_image_credits: ranked(&self.credits, top),
            groups: self
                .groups
                .iter()
                .map(|(group, counts)| Group::of(group.clone(), *counts))
                .collect(),
            languages: {
                let mut languages: Vec<Group> = self
                    .languages
                    .iter()
                    .map(|(lang, counts)| Group::of(lang.to_string(), *counts))
                    .collect();
                languages.sort_by_key(|g| std::cmp::Reverse(g.counts.documents));
                languages
            },
        }
    }

    /// Every term, stop words included, most frequent first (ties by document frequency, then
    /// alphabetically).
    pub fn terms(&self) -> Vec<Term> {
        let mut all: Vec<Term> = self
            .terms
            .iter()
            .map(|(k, t)| Term {
                term: k.to_owned(),
                count: t.count,
                documents: t.documents,
            })
            .collect();
        all.sort_by(|a, b| {
            (Reverse(a.count), Reverse(a.documents), &a.term).cmp(&(
                Reverse(b.count),
                Reverse(b.documents),
                &b.term,
            ))
        });
        all
    }

    /// Every bigram seen at least `min_count` times, most frequent first (ties alphabetically).
    pub fn bigrams(&self, min_count: u64) -> Vec<Bigram> {
        self.top_bigrams(usize::MAX, min_count)
    }

    /// The `limit` most frequent bigrams seen at least `min_count` times, most frequent first
    /// (ties alphabetically): the head of [`CorpusStats::bigrams`].
    pub fn top_bigrams(&self, limit: usize, min_count: u64) -> Vec<Bigram> {
        // Millions of bigrams, a few of them wanted: find how often the last one wanted occurs
        // before looking up any term's text, then name only those as frequent.
        let counts = self
            .bigrams
            .iter()
            .map(|(_, n)| n)
            .filter(|&n| n >= min_count);
        let Some(floor) = floor(counts, limit) else {
            return Vec::new();
        };
        let named = self
            .bigrams
            .iter()
            .filter(|(_, n)| *n >= floor)
            .map(|(key, n)| {
                let (a, b) = unpair(key);
                (self.terms.name(a), self.terms.name(b), n)
            });
        smallest(named, limit, |(a, b, n)| (Reverse(*n), *a, *b))
            .into_iter()
            .map(|(a, b, count)| Bigram {
                first: a.to_owned(),
                second: b.to_owned(),
                count,
            })
            .collect()
    }

    /// Every related-link title with its count, most frequent first (ties alphabetically).
    pub fn related_links(&self) -> Vec<Ranked> {
        ranked(&self.related, usize::MAX)
    }

    /// Every image-credit source with its count, most frequent first (ties alphabetically).
    pub fn image_credits(&self) -> Vec<Ranked> {
        ranked(&self.credits, usize::MAX)
    }

    /// Documents and words per period, in date order, with zero rows for the empty periods
    /// between two dated ones, so that a time series shows its gaps: every gap of up to
    /// 400 days, 120 months or 100 years is filled, a longer one is
    /// left out (one stray date of `0001-01-01` would otherwise make millions of empty rows).
    pub fn periods(&self, granularity: Granularity) -> Vec<Period> {
        let days = self.days.iter().map(|(date, count)| (*date, *count));
        in_periods(days, granularity, |sum: &mut DayCount, day: &DayCount| {
            sum.documents += day.documents;
            sum.words += day.words;
        })
        .into_iter()
        .map(|(period, count)| Period {
            period,
            documents: count.documents,
            words: count.words,
        })
        .collect()
    }
}

/// The `top` terms of `terms` by `key`, stop words left out (ties alphabetically).
impl CorpusStats {
    /// The `top` terms that are not stop words, by `key` (ties by the term).
    fn top_terms(&self, top: usize, key: impl Fn(&TermCount) -> (u64, u64)) -> Vec<Term> {
        // Counts first, as for bigrams: only terms as frequent as the last one wanted are
        // compared by their text.
        let keys = self
            .terms
            .iter()
            .filter(|(_, t)| !t.left_out())
            .map(|(_, t)| key(&t));
        let Some(floor) = floor(keys, top) else {
            return Vec::new();
        };
        let candidates = self
            .terms
            .iter()
            .filter(|(_, t)| !t.left_out() && key(t) >= floor);
        smallest(candidates, top, |(k, t)| {
            let (a, b) = key(t);
            (Reverse(a), Reverse(b), *k)
        })
        .into_iter()
        .map(|(k, t)| Term {
            term: k.to_owned(),
            count: t.count,
            documents: t.documents,
        })
        .collect()
    }
}

/// The `limit`-th largest of `keys` (the smallest, when there are no more than `limit`): what
/// an item must reach to be among the top `limit`. `None` when none is wanted or there is none.
fn floor<K: Ord + Copy>(keys: impl Iterator<Item = K>, limit: usize) -> Option<K> {
    // The `limit` largest keys in a min-heap: memory for the few wanted, not for every key
    // (a copy of millions of keys was as large as the table they came from).
    if limit == 0 {
        return None;
    }
    let mut largest = BinaryHeap::with_capacity(limit.min(1 << 16));
    for key in keys {
        if largest.len() < limit {
            largest.push(Reverse(key));
        } else if largest.peek().is_some_and(|Reverse(least)| key > *least) {
            largest.pop();
            largest.push(Reverse(key));
        }
    }
    largest.peek().map(|Reverse(least)| *least)
}

/// The `limit` smallest items by `key`, sorted; memory for those only, so that a top-20 of a
/// million terms neither copies nor sorts them all.
fn smallest<T, K: Ord>(
    items: impl IntoIterator<Item = T>,
    limit: usize,
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    /// An item ordered by its key alone.
    struct Keyed<K, T>(K, T);
    impl<K: Ord, T> PartialEq for Keyed<K, T> {
        fn eq(&self, other: &Self) -> bool {
            self.0 == other.0
        }
    }
    impl<K: Ord, T> Eq for Keyed<K, T> {}
    impl<K: Ord, T> PartialOrd for Keyed<K, T> {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }
    impl<K: Ord, T> Ord for Keyed<K, T> {
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            self.0.cmp(&other.0)
        }
    }
    if limit == 0 {
        return Vec::new();
    }
    let mut heap: BinaryHeap<Keyed<K, T>> = BinaryHeap::new();
    for item in items {
        let k = key(&item);
        if heap.len() == limit {
            if heap.peek().is_some_and(|top| k >= top.0) {
                continue;
            }
            heap.pop();
        }
        heap.push(Keyed(k, item));
    }
    heap.into_sorted_vec()
        .into_iter()
        .map(|Keyed(_, item)| item)
        .collect()
}

fn ranked(map: &rustc_hash::FxHashMap<Box<str>, u64>, limit: usize) -> Vec<Ranked> {
    let all = map.iter().map(|(k, n)| (&**k, *n));
    smallest(all, limit, |(k, n)| (Reverse(*n), *k))
        .into_iter()
        .map(|(k, n)| Ranked {
            name: k.to_owned(),
            count: n,
        })
        .collect()
}

/// The distribution described by a histogram (value → how many documents have it).
fn distribution(histogram: &BTreeMap<u64, u64>) -> Option<Distribution> {
    let n: u64 = histogram.values().sum();
    if n == 0 {
        return None;
    }
    let total: u128 = histogram
        .iter()
        .map(|(v, c)| u128::from(*v) * u128::from(*c))
        .sum();
    // The k-th smallest value (0-based).
    let nth = |k: u64| -> u64 {
        let mut seen = 0;
        for (v, c) in histogram {
            seen += c;
            if k < seen {
                return *v;
            }
        }
        histogram.keys().next_back().copied().unwrap_or(0)
    };
    let quantile = |p: f64| -> f64 {
        let h = (n - 1) as f64 * p;
        let lo = h.floor() as u64;
        let (a, b) = (nth(lo) as f64, nth((lo + 1).min(n - 1)) as f64);
        a + (h - lo as f64) * (b - a)
    };
    Some(Distribution {
        min: histogram.keys().next().copied().unwrap_or(0),
        p10: quantile(0.1),
        median: quantile(0.5),
        mean: total as f64 / n as f64,
        p90: quantile(0.9),
        max: histogram.keys().next_back().copied().unwrap_or(0),
    })
}

#[cfg(test)]
mod tests;
