//! The JSON of the command line's `--json`: row types built from library values, so that the
//! wire format is written here, field by field, and a library can rename a field without
//! changing it. Field order is output order. Each type serialises with `serde_json` as the
//! command prints it.

use corpus_core::{Date, Problem};
use corpus_dedup::{
    DedupOptions, DedupResult, Evaluation, Keep, KeyField, PairEvaluation, Reason, Verify,
};
use corpus_stats::{Bigram, Counts, Distribution, Group, Period, Ranked, Summary, Term};
use serde::Serialize;

/// `corpus stats --json`: the summary and the first problems.
#[derive(Serialize)]
pub struct StatsJson<'a> {
    counts: CountsJson,
    rejected: u64,
    warnings: u64,
    /// Documents read and left out by the reading's selection (`--where`, `--since`,
    /// `--until`); written only when some were.
    #[serde(skip_serializing_if = "is_zero")]
    left_out: u64,
    words_per_document: Option<DistributionJson>,
    dates: DatesJson<'a>,
    vocabulary: VocabularyJson<'a>,
    top_related_links: Vec<RankedJson<'a>>,
    top_image_credits: Vec<RankedJson<'a>>,
    groups: Vec<GroupJson<'a>>,
    languages: Vec<GroupJson<'a>>,
    problems: &'a [Problem],
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl<'a> StatsJson<'a> {
    /// Says how many documents the reading's selection left out (`left_out`, after
    /// `warnings`, when not 0).
    pub fn with_left_out(mut self, documents: u64) -> StatsJson<'a> {
        self.left_out = documents;
        self
    }

    /// Keeps the `n` groups with the most documents (ties by name), in their order; the page
    /// of a corpus of a million outlets must not embed a million groups.
    pub fn keep_largest_groups(&mut self, n: usize) {
        if self.groups.len() <= n {
            return;
        }
        let mut order: Vec<usize> = (0..self.groups.len()).collect();
        order.sort_by(|&a, &b| {
            let (ga, gb) = (&self.groups[a], &self.groups[b]);
            gb.counts
                .documents
                .cmp(&ga.counts.documents)
                .then(ga.group.cmp(gb.group))
        });
        let mut keep = vec![false; self.groups.len()];
        order.iter().take(n).for_each(|&i| keep[i] = true);
        let mut at = 0;
        self.groups.retain(|_| {
            at += 1;
            keep[at - 1]
        });
    }

    /// The summary; day rows only when `per_day`.
    pub fn new(s: &'a Summary, per_day: bool, problems: &'a [Problem]) -> StatsJson<'a> {
        let v = &s.vocabulary;
        StatsJson {
            counts: CountsJson::from(&s.counts),
            rejected: s.rejected,
            warnings: s.warnings,
            left_out: 0,
            words_per_document: s.words_per_document.as_ref().map(DistributionJson::from),
            dates: DatesJson {
                first: s.dates.first,
                last: s.dates.last,
                years: periods(&s.dates.years),
                months: periods(&s.dates.months),
                days: if per_day {
                    periods(&s.dates.days)
                } else {
                    Vec::new()
                },
            },
            vocabulary: VocabularyJson {
                tokens: v.tokens,
                types: v.types,
                type_token_ratio: v.type_token_ratio,
                hapax_legomena: v.hapax_legomena,
                top_terms: v.top_terms.iter().map(TermJson::from).collect(),
                top_terms_by_documents: v
                    .top_terms_by_documents
                    .iter()
                    .map(TermJson::from)
                    .collect(),
                top_bigrams: v.top_bigrams.iter().map(BigramJson::from).collect(),
            },
            top_related_links: s.top_related_links.iter().map(RankedJson::from).collect(),
            top_image_credits: s.top_image_credits.iter().map(RankedJson::from).collect(),
            groups: s.groups.iter().map(GroupJson::from).collect(),
            languages: s.languages.iter().map(GroupJson::from).collect(),
            problems,
        }
    }
}

#[derive(Serialize)]
struct CountsJson {
    documents: u64,
    bytes: u64,
    characters: u64,
    words: u64,
    sentences: u64,
    paragraphs: u64,
    headings: u64,
    related_links: u64,
    image_credits: u64,
    undated: u64,
}

impl From<&Counts> for CountsJson {
    fn from(c: &Counts) -> CountsJson {
        CountsJson {
            documents: c.documents,
            bytes: c.bytes,
            characters: c.characters,
            words: c.words,
            sentences: c.sentences,
            paragraphs: c.paragraphs,
            headings: c.headings,
            related_links: c.related_links,
            image_credits: c.image_credits,
            undated: c.undated,
        }
    }
}

#[derive(Serialize)]
struct DistributionJson {
    min: u64,
    p10: f64,
    median: f64,
    mean: f64,
    p90: f64,
    max: u64,
}

impl From<&Distribution> for DistributionJson {
    fn from(d: &Distribution) -> DistributionJson {
        DistributionJson {
            min: d.min,
            p10: d.p10,
            median: d.median,
            mean: d.mean,
            p90: d.p90,
            max: d.max,
        }
    }
}

#[derive(Serialize)]
struct DatesJson<'a> {
    first: Option<Date>,
    last: Option<Date>,
    years: Vec<PeriodJson<'a>>,
    months: Vec<PeriodJson<'a>>,
    days: Vec<PeriodJson<'a>>,
}

#[derive(Serialize)]
struct PeriodJson<'a> {
    period: &'a str,
    documents: u64,
    words: u64,
}

fn periods(list: &[Period]) -> Vec<PeriodJson<'_>> {
    list.iter()
        .map(|p| PeriodJson {
            period: &p.period,
            documents: p.documents,
            words: p.words,
        })
        .collect()
}

#[derive(Serialize)]
struct VocabularyJson<'a> {
    tokens: u64,
    types: u64,
    type_token_ratio: f64,
    hapax_legomena: u64,
    top_terms: Vec<TermJson<'a>>,
    top_terms_by_documents: Vec<TermJson<'a>>,
    top_bigrams: Vec<BigramJson<'a>>,
}

#[derive(Serialize)]
struct TermJson<'a> {
    term: &'a str,
    count: u64,
    documents: u64,
}

impl<'a> From<&'a Term> for TermJson<'a> {
    fn from(t: &'a Term) -> TermJson<'a> {
        TermJson {
            term: &t.term,
            count: t.count,
            documents: t.documents,
        }
    }
}

#[derive(Serialize)]
struct BigramJson<'a> {
    first: &'a str,
    second: &'a str,
    count: u64,
}

impl<'a> From<&'a Bigram> for BigramJson<'a> {
    fn from(b: &'a Bigram) -> BigramJson<'a> {
        BigramJson {
            first: &b.first,
            second: &b.second,
            count: b.count,
        }
    }
}

#[derive(Serialize)]
struct RankedJson<'a> {
    name: &'a str,
    count: u64,
}

impl<'a> From<&'a Ranked> for RankedJson<'a> {
    fn from(r: &'a Ranked) -> RankedJson<'a> {
        RankedJson {
            name: &r.name,
            count: r.count,
        }
    }
}

#[derive(Serialize)]
struct GroupJson<'a> {
    group: &'a str,
    counts: CountsJson,
    mean_words: f64,
}

impl<'a> From<&'a Group> for GroupJson<'a> {
    fn from(g: &'a Group) -> GroupJson<'a> {
        GroupJson {
            group: &g.group,
            counts: CountsJson::from(&g.counts),
            mean_words: g.mean_words,
        }
    }
}

/// A run against an index, in `corpus dedup --json`.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveJson {
    /// The index, as given.
    pub index: String,
    /// Documents that copy an archived document.
    pub archive_copies: usize,
    /// Documents that copy another of the run's documents.
    pub own_copies: usize,
    /// Whether the run added its documents to the index.
    pub updated: bool,
    /// The index's generation, after the update or as read.
    pub generation: u64,
    /// Documents the index holds, after the update or as read.
    pub documents: u64,
}

/// `corpus dedup --json`: the clusters' counts, the LSH settings and the options (the report
/// embeds it too).
#[derive(Serialize)]
pub struct DedupJson<'a> {
    documents: usize,
    kept: usize,
    exact_copies: usize,
    key_copies: usize,
    near_copies: usize,
    rewritten_copies: usize,
    clusters_with_copies: usize,
    /// Against an index: the copies of archived documents, and of this run's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    archive: Option<ArchiveJson>,
    /// Lines found in at least `--min-docs` kept documents, when asked for.
    pub(crate) repeated_lines: Option<usize>,
    /// Lines left out of the written documents, with `--strip-lines`.
    lines_stripped: Option<u64>,
    bands: usize,
    rows: usize,
    /// The probability that a pair exactly at the threshold became a candidate.
    candidate_probability: f64,
    options: DedupOptionsJson<'a>,
    /// The options as the library has them, for the table.
    #[serde(skip)]
    settings: &'a DedupOptions,
}

impl DedupJson<'_> {
    /// The summary of `result`, found with `options`.
    pub fn new<'a>(result: &DedupResult, options: &'a DedupOptions) -> DedupJson<'a> {
        DedupJson {
            documents: result.assignments.len(),
            kept: result.kept(),
            exact_copies: result.count(Reason::Exact),
            key_copies: result.count(Reason::Key),
            near_copies: result.count(Reason::Near),
            rewritten_copies: result.count(Reason::Rewrite),
            clusters_with_copies: result.clusters_with_copies(),
            archive: None,
            repeated_lines: None,
            lines_stripped: None,
            bands: result.bands,
            rows: result.rows,
            candidate_probability: options.candidate_probability(),
            options: DedupOptionsJson::from(options),
            settings: options,
        }
    }

    /// Against an index: how many documents copy an archived one (the rest of the copies copy
    /// this run's own), the index, and its generation and documents after the run (with
    /// `--update`) or as read.
    pub fn set_archive(&mut self, archive: ArchiveJson) {
        self.archive = Some(archive);
    }

    /// Lines found in at least `min_docs` kept documents (when they were counted).
    pub fn set_repeated_lines(&mut self, lines: usize) {
        self.repeated_lines = Some(lines);
    }

    /// Lines left out of the written documents (when they were stripped).
    pub fn set_lines_stripped(&mut self, lines: u64) {
        self.lines_stripped = Some(lines);
    }

    /// Documents kept.
    pub fn kept(&self) -> usize {
        self.kept
    }

    /// Copies of every kind.
    pub fn copies(&self) -> usize {
        self.exact_copies + self.key_copies + self.near_copies + self.rewritten_copies
    }

    /// The summary as `corpus dedup` prints it: the rows ([`DedupJson::rows`]) in aligned
    /// columns.
    pub fn write_table(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let rows: Vec<Vec<String>> = self
            .rows()
            .into_iter()
            .map(|(k, v)| vec![k.to_owned(), v])
            .collect();
        crate::text::table(out, "", crate::text::First::Left, &rows)
    }

    /// The summary as the rows of a two-column table: name and value.
    pub fn rows(&self) -> Vec<(&'static str, String)> {
        let mut rows = vec![
            ("documents", self.documents.to_string()),
            ("kept", self.kept.to_string()),
            ("exact copies", self.exact_copies.to_string()),
            ("key copies", self.key_copies.to_string()),
            ("near copies", self.near_copies.to_string()),
            ("rewritten copies", self.rewritten_copies.to_string()),
            (
                "clusters with copies",
                self.clusters_with_copies.to_string(),
            ),
            ("bands x rows", format!("{} x {}", self.bands, self.rows)),
            (
                "found at threshold",
                format!("{:.3}", self.candidate_probability),
            ),
            ("similarity", self.settings.similarity.as_str().to_owned()),
            ("threshold", self.settings.threshold.to_string()),
            ("n-gram", self.settings.ngram.to_string()),
            ("permutations", self.settings.permutations.to_string()),
        ];
        if let Some(a) = &self.archive {
            rows.insert(2, ("copies of the archive", a.archive_copies.to_string()));
            rows.insert(3, ("copies of their own", a.own_copies.to_string()));
            let verb = if a.updated { "updated to" } else { "read at" };
            rows.push((
                "index",
                format!(
                    "{}, {verb} generation {}, {} documents",
                    a.index, a.generation, a.documents
                ),
            ));
        }
        if let Some(n) = self.repeated_lines {
            rows.push(("repeated lines", n.to_string()));
        }
        if let Some(n) = self.lines_stripped {
            rows.push(("lines stripped", n.to_string()));
        }
        rows
    }
}

/// The options in `corpus dedup --json`, as the user can set them.
#[derive(Serialize)]
pub struct DedupOptionsJson<'a> {
    ngram: usize,
    permutations: usize,
    threshold: f64,
    /// `[bands, rows]` when given, `null` when derived.
    bands: Option<[usize; 2]>,
    seed: u64,
    verify: &'static str,
    window_days: Option<u32>,
    keep: &'static str,
    key: Option<KeyJson<'a>>,
    recall: f64,
    similarity: &'static str,
    max_changed_facts: Option<f64>,
    min_length_ratio: f64,
    strip_dateline: bool,
    rewrite_threshold: Option<f64>,
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum KeyJson<'a> {
    Id,
    Title,
    Meta(&'a str),
}

impl<'a> From<&'a DedupOptions> for DedupOptionsJson<'a> {
    fn from(o: &'a DedupOptions) -> DedupOptionsJson<'a> {
        DedupOptionsJson {
            ngram: o.ngram,
            permutations: o.permutations,
            threshold: o.threshold,
            bands: o.bands.map(|(b, r)| [b, r]),
            seed: o.seed,
            verify: match o.verify {
                Verify::Estimate => "estimate",
                Verify::Exact => "exact",
            },
            window_days: o.window_days,
            keep: match o.keep {
                Keep::Earliest => "earliest",
                Keep::Longest => "longest",
                Keep::First => "first",
            },
            key: o.key.as_ref().map(|k| match k {
                KeyField::Id => KeyJson::Id,
                KeyField::Title => KeyJson::Title,
                KeyField::Meta(field) => KeyJson::Meta(field),
            }),
            recall: o.recall,
            similarity: o.similarity.as_str(),
            max_changed_facts: o.max_changed_facts,
            min_length_ratio: o.min_length_ratio,
            strip_dateline: o.strip_dateline,
            rewrite_threshold: o.rewrite_threshold,
        }
    }
}

/// `corpus eval --json` against true clusters.
#[derive(Serialize)]
pub struct EvaluationJson {
    documents: u64,
    true_positives: u64,
    predicted_pairs: u64,
    true_pairs: u64,
    precision: f64,
    recall: f64,
    f1: f64,
    adjusted_rand_index: f64,
}

impl From<&Evaluation> for EvaluationJson {
    fn from(e: &Evaluation) -> EvaluationJson {
        EvaluationJson {
            documents: e.documents,
            true_positives: e.true_positives,
            predicted_pairs: e.predicted_pairs,
            true_pairs: e.true_pairs,
            precision: e.precision,
            recall: e.recall,
            f1: e.f1,
            adjusted_rand_index: e.adjusted_rand_index,
        }
    }
}

/// `corpus eval --json` against labelled pairs.
#[derive(Serialize)]
pub struct PairEvaluationJson {
    pairs: u64,
    copies: u64,
    true_positives: u64,
    false_merges: u64,
    missed: u64,
    precision: f64,
    recall: f64,
    f1: f64,
}

impl From<&PairEvaluation> for PairEvaluationJson {
    fn from(e: &PairEvaluation) -> PairEvaluationJson {
        PairEvaluationJson {
            pairs: e.pairs,
            copies: e.copies,
            true_positives: e.true_positives,
            false_merges: e.false_merges,
            missed: e.missed,
            precision: e.precision,
            recall: e.recall,
            f1: e.f1,
        }
    }
}

/// `corpus index info --json` (and `index build --json`): what an index holds.
#[derive(Serialize)]
pub struct IndexJson<'a> {
    index: String,
    generation: u64,
    documents: u64,
    kept: u64,
    records: u64,
    first_date: Option<String>,
    last_date: Option<String>,
    undated: u64,
    bytes: u64,
    bytes_per_document: f64,
    segments: usize,
    options: DedupOptionsJson<'a>,
    /// The metadata field its kept copies are also named by, as `meta.FIELD`.
    field: Option<String>,
}

impl<'a> IndexJson<'a> {
    /// The summary of the index at `path`, as its trailer says.
    pub fn new(path: &std::path::Path, info: &'a corpus_dedup::IndexInfo) -> IndexJson<'a> {
        IndexJson {
            index: path.display().to_string(),
            generation: info.generation,
            documents: info.documents,
            kept: info.kept,
            records: info.records,
            first_date: info.first_date.map(|d| d.to_string()),
            last_date: info.last_date.map(|d| d.to_string()),
            undated: info.undated,
            bytes: info.bytes,
            bytes_per_document: info.bytes as f64 / info.documents.max(1) as f64,
            segments: info.segments,
            options: DedupOptionsJson::from(&info.options),
            field: info.label_field.as_ref().map(|f| format!("meta.{f}")),
        }
    }

    /// The summary as a two-column table.
    pub fn write_table(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let dates = match (&self.first_date, &self.last_date) {
            (Some(a), Some(b)) => format!("{a} to {b}"),
            _ => "none".to_owned(),
        };
        let o = &self.options;
        let rows: Vec<Vec<String>> = [
            ("index", self.index.clone()),
            ("generation", self.generation.to_string()),
            ("documents", self.documents.to_string()),
            ("kept", self.kept.to_string()),
            ("records", self.records.to_string()),
            ("dates", dates),
            ("undated", self.undated.to_string()),
            (
                "size",
                format!(
                    "{} bytes, {:.0} a document",
                    self.bytes, self.bytes_per_document
                ),
            ),
            ("segments", self.segments.to_string()),
            (
                "options",
                format!(
                    "{}, threshold {}, {}-grams, {} permutations, keep {}, window {}",
                    o.similarity,
                    o.threshold,
                    o.ngram,
                    o.permutations,
                    o.keep,
                    o.window_days
                        .map_or("none".to_owned(), |d| format!("{d} days"))
                ),
            ),
            (
                "field",
                self.field.clone().unwrap_or_else(|| "none".to_owned()),
            ),
        ]
        .into_iter()
        .map(|(k, v)| vec![k.to_owned(), v])
        .collect();
        crate::text::table(out, "", crate::text::First::Left, &rows)
    }
}
