//! The page model: everything `corpus report` shows, computed from a [`Report`](crate::Report)
//! and serialised as the page embeds it (and as `corpus report --json` prints it).

use std::collections::BTreeMap;
use std::path::Path;

use corpus_core::{Date, Document, Problem};
use corpus_dedup::{DedupResult, Deduplicated, Reason};
use corpus_stats::{Granularity, Periods, Summary};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::Report;
use crate::json::{ArchiveJson, DedupJson, StatsJson};

/// Clusters listed.
pub(crate) const CLUSTERS: usize = 15;
/// Groups given a row of small charts (all are in the table).
const GROUP_ROWS: usize = 12;
/// Groups in the groups table.
pub(crate) const GROUPS_LISTED: usize = 100;

/// The periods of the time charts as the page has them: the granularity, each period's first
/// day as seconds since 1970 (the charts' time axis) and its name, and the dates charted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PeriodsJson {
    pub(crate) bin: &'static str,
    pub(crate) x: Vec<i64>,
    pub(crate) labels: Vec<String>,
    pub(crate) first: Option<Date>,
    pub(crate) last: Option<Date>,
    #[serde(skip)]
    pub(crate) granularity: Granularity,
}

impl PeriodsJson {
    fn of(periods: &Periods) -> PeriodsJson {
        PeriodsJson {
            bin: match periods.granularity() {
                Granularity::Year => "year",
                Granularity::Month => "month",
                Granularity::Week => "week",
                _ => "day",
            },
            x: periods.starts().iter().map(|s| s * 86_400).collect(),
            labels: periods.labels(),
            first: periods.first(),
            last: periods.last(),
            granularity: periods.granularity(),
        }
    }
}

/// A document's title, or else the start of its text: what a reader recognises it by.
pub(crate) fn headline(doc: &Document) -> String {
    const LONGEST: usize = 120;
    if let Some(title) = doc.title().map(str::trim).filter(|t| !t.is_empty()) {
        return title.to_owned();
    }
    let text = doc.body().next().unwrap_or(&doc.text);
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for w in words {
        if out.len() + w.len() + 1 > LONGEST {
            out.push_str(" …");
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// What the page needs of each document, in input order: 10 bytes and its groups.
#[derive(Debug, Default)]
pub(crate) struct Docs {
    pub(crate) dates: Vec<Option<Date>>,
    /// Body words; `None` for a copy left out by `--dedup`.
    pub(crate) words: Vec<Option<u32>>,
    /// Per document, its groups (indices into `names`), flattened: `groups[starts[i]..starts[i + 1]]`.
    pub(crate) starts: Vec<u32>,
    pub(crate) groups: Vec<u32>,
    pub(crate) names: Vec<String>,
    pub(crate) by_name: FxHashMap<String, u32>,
    /// Against an index, the dates of the archived kept copies the clusters name: cluster
    /// `len() + k` is kept by the `k`th.
    pub(crate) archived: Vec<Option<Date>>,
}

impl Docs {
    pub(crate) fn push(&mut self, date: Option<Date>, words: Option<u64>, groups: Vec<String>) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.dates.push(date);
        self.words
            .push(words.map(|w| u32::try_from(w).unwrap_or(u32::MAX)));
        for name in groups {
            let id = match self.by_name.get(&name) {
                Some(&id) => id,
                None => {
                    let id = self.names.len() as u32;
                    self.by_name.insert(name.clone(), id);
                    self.names.push(name);
                    id
                }
            };
            self.groups.push(id);
        }
        self.starts.push(self.groups.len() as u32);
    }

    pub(crate) fn len(&self) -> usize {
        self.dates.len()
    }

    /// The date of document `i`, or, past the documents, of an archived kept copy.
    pub(crate) fn date(&self, i: usize) -> Option<Date> {
        match i.checked_sub(self.dates.len()) {
            None => self.dates[i],
            Some(k) => self.archived.get(k).copied().flatten(),
        }
    }

    pub(crate) fn set_words(&mut self, i: usize, words: Option<u64>) {
        if let Some(w) = self.words.get_mut(i) {
            *w = words.map(|w| u32::try_from(w).unwrap_or(u32::MAX));
        }
    }

    pub(crate) fn groups_of(&self, i: usize) -> &[u32] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.groups[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// A cluster with copies, for the table of the largest.
#[derive(Debug)]
pub(crate) struct Cluster {
    /// The input index of the kept copy; past the documents, an archived kept copy's
    /// cluster ([`Deduplicated::archived`]).
    pub(crate) kept: usize,
    /// The documents read of the cluster, in input order (the kept copy among them, unless
    /// it is archived).
    pub(crate) members: Vec<usize>,
    /// Whether an archived document keeps it.
    archived: bool,
}

impl Cluster {
    /// Whether an archived document keeps it.
    pub(crate) fn archived(&self) -> bool {
        self.archived
    }

    /// Its documents, an archived kept copy counted.
    pub(crate) fn size(&self) -> usize {
        self.members.len() + usize::from(self.archived())
    }

    /// The document read whose headline names it: the kept copy, or the first copy of an
    /// archived one (the index keeps no text).
    pub(crate) fn named_by(&self) -> usize {
        if self.archived {
            self.members[0]
        } else {
            self.kept
        }
    }
}

/// The `n` largest clusters with copies (against an index, those of archived kept copies
/// too), largest first, then by their kept copy's input order (archived ones last).
pub(crate) fn largest_clusters(done: &Deduplicated, n: usize) -> Vec<Cluster> {
    let mut members: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    let assignments = &done.result().assignments;
    for (i, a) in assignments.iter().enumerate() {
        members.entry(a.cluster).or_default().push(i);
    }
    let mut clusters: Vec<Cluster> = members
        .into_iter()
        .map(|(kept, members)| Cluster {
            kept,
            members,
            archived: kept >= assignments.len(),
        })
        .filter(|c| c.size() > 1)
        .collect();
    clusters.sort_by(|a, b| b.size().cmp(&a.size()).then(a.kept.cmp(&b.kept)));
    clusters.truncate(n);
    clusters
}

/// Documents per period: the kept copies and the copies, stacked.
#[derive(Debug, Serialize)]
pub(crate) struct Volume {
    pub(crate) periods: PeriodsJson,
    pub(crate) kept: Vec<u64>,
    pub(crate) copies: Vec<u64>,
    /// Dated documents outside the charted span.
    pub(crate) outside: u64,
    pub(crate) undated: u64,
}

/// A histogram of words per document, with the percentiles of `corpus stats`.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Histogram {
    /// The lower edge of each bin; the bins are `width` wide, the last one open.
    pub(crate) edges: Vec<u64>,
    pub(crate) width: u64,
    pub(crate) counts: Vec<u64>,
    /// Whether the last bin holds every longer document too.
    pub(crate) open: bool,
}

impl Histogram {
    /// About 40 bins up to the 99th percentile, a round width (1, 2 or 5 times a power of 10),
    /// the longer documents in the last bin.
    pub(crate) fn new(values: &mut [u32]) -> Histogram {
        if values.is_empty() {
            return Histogram::default();
        }
        values.sort_unstable();
        let p99 = u64::from(values[(values.len() - 1) * 99 / 100]);
        let max = u64::from(values[values.len() - 1]);
        let width = round_width(p99.div_ceil(40).max(1));
        let bins = (p99 / width + 1) as usize;
        Histogram {
            edges: (0..bins as u64).map(|b| b * width).collect(),
            width,
            counts: vec![0; bins],
            open: max >= bins as u64 * width,
        }
    }

    /// The same bins, empty.
    pub(crate) fn like(&self) -> Histogram {
        Histogram {
            edges: self.edges.clone(),
            width: self.width,
            counts: vec![0; self.counts.len()],
            open: self.open,
        }
    }

    pub(crate) fn add(&mut self, words: u32) {
        if self.counts.is_empty() {
            return;
        }
        let bin = (u64::from(words) / self.width).min(self.counts.len() as u64 - 1);
        self.counts[bin as usize] += 1;
    }
}

/// The smallest of 1, 2, 5, 10, 20, 50, ... that is at least `w`.
fn round_width(w: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if step * m >= w {
                return step * m;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// The top terms per million words, per period.
#[derive(Debug, Serialize)]
pub(crate) struct Trend {
    pub(crate) terms: Vec<TrendTerm>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TrendTerm {
    pub(crate) term: String,
    pub(crate) hits: u64,
    /// `None` for a period without words: a gap in the line, not a zero.
    pub(crate) per_million: Vec<Option<f64>>,
}

/// Days from each copy's kept copy to it: the spread of syndication.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Lags {
    /// Days after the kept copy; the first and last bins hold every lag beyond them.
    pub(crate) days: Vec<i64>,
    pub(crate) copies: Vec<u64>,
    /// Copies whose date or whose kept copy's date is unknown.
    pub(crate) undated: u64,
}

/// Lags beyond this many days are counted in the last bin.
pub(crate) const MAX_LAG: i64 = 30;

/// A row of the largest clusters' table.
#[derive(Debug, Serialize)]
pub(crate) struct ClusterRow {
    pub(crate) kept: String,
    pub(crate) title: Option<String>,
    pub(crate) date: Option<Date>,
    pub(crate) documents: usize,
    pub(crate) exact: usize,
    pub(crate) near: usize,
    /// The earliest and latest date of the cluster's documents.
    pub(crate) first: Option<Date>,
    pub(crate) last: Option<Date>,
    /// The groups of its documents (with `--group-by`), most documents first.
    pub(crate) groups: Vec<String>,
}

/// A recurring line.
#[derive(Debug, Serialize)]
pub(crate) struct LineRow {
    pub(crate) text: String,
    pub(crate) kind: &'static str,
    pub(crate) documents: u64,
    pub(crate) first: Option<Date>,
    pub(crate) last: Option<Date>,
}

/// A group's figures and small charts.
#[derive(Debug, Serialize)]
pub(crate) struct GroupRow {
    pub(crate) group: String,
    pub(crate) documents: u64,
    /// Its documents that are copies.
    pub(crate) copies: u64,
    /// Its copies of a story whose kept copy is in no document of this group: syndicated from
    /// elsewhere.
    pub(crate) copied_from_others: u64,
    /// Documents per period (the volume chart's periods), when it has a row of charts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) volume: Option<Vec<u64>>,
    /// Words per document (the histogram's bins), when it has a row of charts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) words: Option<Vec<u64>>,
}

/// Everything the page shows, as embedded in it (and printed by `corpus report --json`):
/// `stats` is what `corpus stats --json` prints, `dedup` what `corpus dedup --json --lines FILE`
/// prints. Made by [`Report::page`]; drawn by [`render_html`](crate::render_html).
#[derive(Serialize)]
pub struct Page<'a> {
    pub(crate) title: String,
    pub(crate) version: &'a str,
    pub(crate) inputs: Vec<String>,
    /// The preset copies were found with.
    pub(crate) preset: &'a str,
    /// The index of the archive they were found against, as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) against: Option<&'a str>,
    /// Whether the figures count one copy per story (`--dedup`).
    pub(crate) one_copy_per_story: bool,
    pub(crate) group_by: Option<&'a str>,
    pub(crate) stats: StatsJson<'a>,
    pub(crate) dedup: DedupJson<'a>,
    /// Problems in all, of which `stats.problems` lists the first.
    pub(crate) problems_total: u64,
    pub(crate) volume: Volume,
    pub(crate) words: Histogram,
    pub(crate) trend: Trend,
    pub(crate) lags: Lags,
    pub(crate) clusters: Vec<ClusterRow>,
    pub(crate) lines: Vec<LineRow>,
    /// Every group's figures, most documents first (capped); the first have charts.
    pub(crate) groups: Vec<GroupRow>,
    /// Groups in all.
    pub(crate) groups_total: usize,
    #[serde(skip)]
    pub(crate) summary: &'a Summary,
    #[serde(skip)]
    pub(crate) result: &'a DedupResult,
    #[serde(skip)]
    pub(crate) first_problems: &'a [Problem],
    #[serde(skip)]
    pub(crate) min_docs: u64,
}

impl Page<'_> {
    pub(crate) fn dedup_documents(&self) -> u64 {
        self.result.assignments.len() as u64
    }

    pub(crate) fn dedup_kept(&self) -> u64 {
        self.result.kept() as u64
    }

    pub(crate) fn dedup_copies(&self) -> u64 {
        self.dedup_documents() - self.dedup_kept()
    }

    pub(crate) fn dedup_clusters(&self) -> u64 {
        self.result.clusters_with_copies() as u64
    }

    pub(crate) fn problems(&self) -> &[Problem] {
        self.first_problems
    }
}

impl Report {
    /// The page of this report. `problems` are the first problems of the run (the page lists
    /// them) and `problems_total` how many there were; `version` names the program that made
    /// the page, in its footer.
    pub fn page<'a>(
        &'a self,
        problems: &'a [Problem],
        problems_total: u64,
        version: &'a str,
    ) -> Page<'a> {
        let periods = Periods::new(&self.docs.dates);
        let words = words_histogram(&self.docs);
        let (groups, groups_total) = group_rows(self, &periods, &words);
        let mut dedup = DedupJson::new(self.done.result(), self.done.options());
        dedup.set_repeated_lines(self.repeated.len());
        if let Some(a) = &self.against {
            let archive_copies = self.done.archive_copies();
            dedup.set_archive(ArchiveJson {
                index: a.index.clone(),
                archive_copies,
                own_copies: self.done.len() - self.done.result().kept() - archive_copies,
                updated: false,
                generation: a.generation,
                documents: a.documents,
            });
        }
        let inputs = self.inputs.clone();
        let names: Vec<&str> = inputs
            .iter()
            .map(|i| {
                Path::new(i)
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or(i)
            })
            .collect();
        let title = self
            .options
            .title
            .clone()
            .unwrap_or_else(|| names.join(", "));
        Page {
            title,
            version,
            inputs,
            preset: &self.options.preset,
            against: self.against.as_ref().map(|a| a.index.as_str()),
            one_copy_per_story: self.options.one_copy,
            group_by: self.options.group_by.as_deref(),
            stats: {
                // The groups the page lists; `groups_total` says how many there are.
                let mut stats = StatsJson::new(&self.summary, false, problems);
                stats.keep_largest_groups(GROUPS_LISTED);
                stats
            },
            dedup,
            problems_total,
            volume: volume(&self.docs, &self.done, &periods),
            trend: trend(self, &periods),
            lags: lags(&self.docs, &self.done),
            clusters: cluster_rows(self),
            lines: self
                .repeated
                .iter()
                .take(self.options.top)
                .map(|b| LineRow {
                    text: b.text.clone(),
                    kind: b.count.kind.as_str(),
                    documents: b.count.documents,
                    first: b.count.first,
                    last: b.count.last,
                })
                .collect(),
            words,
            groups,
            groups_total,
            summary: &self.summary,
            result: self.done.result(),
            first_problems: problems,
            min_docs: self.options.min_docs,
        }
    }
}

fn is_copy(done: &Deduplicated, i: usize) -> bool {
    done.result()
        .assignments
        .get(i)
        .is_some_and(|a| a.reason != Reason::Kept)
}

/// Documents per period, kept copies and copies apart.
fn volume(docs: &Docs, done: &Deduplicated, periods: &Periods) -> Volume {
    let n = periods.len();
    let mut volume = Volume {
        periods: PeriodsJson::of(periods),
        kept: vec![0; n],
        copies: vec![0; n],
        outside: 0,
        undated: 0,
    };
    for i in 0..docs.len() {
        match docs.date(i) {
            None => volume.undated += 1,
            Some(d) => match periods.of(d) {
                None => volume.outside += 1,
                Some(k) if is_copy(done, i) => volume.copies[k] += 1,
                Some(k) => volume.kept[k] += 1,
            },
        }
    }
    volume
}

fn words_histogram(docs: &Docs) -> Histogram {
    let mut counted: Vec<u32> = docs.words.iter().flatten().copied().collect();
    let mut words = Histogram::new(&mut counted);
    for &w in docs.words.iter().flatten() {
        words.add(w);
    }
    words
}

/// The top terms per million words of each period, rounded to a tenth.
fn trend(report: &Report, periods: &Periods) -> Trend {
    let charted = report.trend.charted(periods, report.trend_terms.len());
    Trend {
        terms: report
            .trend_terms
            .iter()
            .enumerate()
            .map(|(t, term)| TrendTerm {
                term: term.clone(),
                hits: charted.dated_hits[t],
                per_million: charted.hits[t]
                    .iter()
                    .zip(&charted.words)
                    .map(|(&h, &w)| {
                        (w > 0).then(|| (h as f64 * 1e6 / w as f64 * 10.0).round() / 10.0)
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Days from each copy's kept copy to it.
fn lags(docs: &Docs, done: &Deduplicated) -> Lags {
    let mut lag_counts: BTreeMap<i64, u64> = BTreeMap::new();
    let mut lags = Lags::default();
    for (i, a) in done.result().assignments.iter().enumerate() {
        if a.reason == Reason::Kept {
            continue;
        }
        match (docs.date(i), docs.date(a.cluster)) {
            (Some(d), Some(k)) => {
                let lag = (d.days() - k.days()).clamp(-MAX_LAG, MAX_LAG);
                *lag_counts.entry(lag).or_default() += 1;
            }
            _ => lags.undated += 1,
        }
    }
    if let (Some((&lo, _)), Some((&hi, _))) =
        (lag_counts.first_key_value(), lag_counts.last_key_value())
    {
        let (lo, hi) = (lo.min(0), hi.max(0));
        lags.days = (lo..=hi).collect();
        lags.copies = (lo..=hi)
            .map(|d| lag_counts.get(&d).copied().unwrap_or(0))
            .collect();
    }
    lags
}

/// The largest clusters' rows.
fn cluster_rows(report: &Report) -> Vec<ClusterRow> {
    let docs = &report.docs;
    let assignments = &report.done.result().assignments;
    report
        .clusters
        .iter()
        .zip(&report.titles)
        .map(|(c, title)| {
            let dates: Vec<Date> = c
                .members
                .iter()
                .chain(c.archived().then_some(&c.kept))
                .filter_map(|&i| docs.date(i))
                .collect();
            let mut groups: BTreeMap<u32, usize> = BTreeMap::new();
            for &i in &c.members {
                for &g in docs.groups_of(i) {
                    *groups.entry(g).or_default() += 1;
                }
            }
            let mut groups: Vec<(u32, usize)> = groups.into_iter().collect();
            groups.sort_by(|a, b| {
                b.1.cmp(&a.1)
                    .then_with(|| docs.names[a.0 as usize].cmp(&docs.names[b.0 as usize]))
            });
            let reason = |r: Reason| {
                c.members
                    .iter()
                    .filter(|&&i| assignments[i].reason == r)
                    .count()
            };
            ClusterRow {
                kept: report.done.id(c.kept).unwrap_or_default().to_owned(),
                title: title.clone(),
                date: docs.date(c.kept),
                documents: c.size(),
                exact: reason(Reason::Exact),
                near: reason(Reason::Near) + reason(Reason::Rewrite) + reason(Reason::Key),
                first: dates.iter().min().copied(),
                last: dates.iter().max().copied(),
                groups: groups
                    .into_iter()
                    .map(|(g, _)| docs.names[g as usize].clone())
                    .collect(),
            }
        })
        .collect()
}

/// Per group: documents, copies, copies of other groups' stories; the largest groups' small
/// charts. Returns the rows listed and how many groups there are.
fn group_rows(report: &Report, periods: &Periods, words: &Histogram) -> (Vec<GroupRow>, usize) {
    let docs = &report.docs;
    let g = docs.names.len();
    let mut rows: Vec<GroupRow> = (0..g)
        .map(|id| GroupRow {
            group: docs.names[id].clone(),
            documents: 0,
            copies: 0,
            copied_from_others: 0,
            volume: None,
            words: None,
        })
        .collect();
    for (i, a) in report.done.result().assignments.iter().enumerate() {
        for &id in docs.groups_of(i) {
            let row = &mut rows[id as usize];
            row.documents += 1;
            if a.reason != Reason::Kept {
                row.copies += 1;
                // An archived kept copy's groups are not indexed: its copies are counted
                // as copies, not as copies of other groups' stories.
                if a.cluster < docs.len() && !docs.groups_of(a.cluster).contains(&id) {
                    row.copied_from_others += 1;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..g).collect();
    order.sort_by(|&a, &b| {
        rows[b]
            .documents
            .cmp(&rows[a].documents)
            .then(rows[a].group.cmp(&rows[b].group))
    });
    let charted: FxHashMap<u32, usize> = order
        .iter()
        .take(GROUP_ROWS)
        .enumerate()
        .map(|(slot, &id)| (id as u32, slot))
        .collect();
    let mut group_volume = vec![vec![0u64; periods.len()]; charted.len()];
    let mut group_words: Vec<Histogram> = (0..charted.len()).map(|_| words.like()).collect();
    for i in 0..docs.len() {
        for id in docs.groups_of(i) {
            if let Some(&slot) = charted.get(id) {
                if let Some(k) = docs.date(i).and_then(|d| periods.of(d)) {
                    group_volume[slot][k] += 1;
                }
                if let Some(w) = docs.words[i] {
                    group_words[slot].add(w);
                }
            }
        }
    }
    let mut rows: Vec<Option<GroupRow>> = rows.into_iter().map(Some).collect();
    let listed = order
        .iter()
        .take(GROUPS_LISTED)
        .enumerate()
        .filter_map(|(slot, &id)| {
            let mut row = rows[id].take()?;
            if slot < GROUP_ROWS {
                row.volume = Some(std::mem::take(&mut group_volume[slot]));
                row.words = Some(std::mem::take(&mut group_words[slot].counts));
            }
            Some(row)
        })
        .collect();
    (listed, g)
}

#[cfg(test)]
mod tests {
    use super::{Histogram, round_width};

    #[test]
    fn histogram_bins_are_round_and_the_last_is_open() {
        assert_eq!(
            [1, 3, 10, 11, 40, 99, 101, 4000].map(round_width),
            [1, 5, 10, 20, 50, 100, 200, 5000]
        );
        let mut words: Vec<u32> = (0..1000).collect();
        words.push(100_000);
        let mut h = Histogram::new(&mut words);
        assert_eq!(h.width, 50);
        assert!(h.open);
        for &w in &words {
            h.add(w);
        }
        assert_eq!(h.counts.iter().sum::<u64>(), 1001);
        assert_eq!(h.counts[0], 50);
        assert_eq!(
            h.counts.last().copied(),
            Some(1001 - 50 * (h.counts.len() as u64 - 1))
        );
    }
}
