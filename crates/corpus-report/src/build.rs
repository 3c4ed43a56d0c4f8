//! The passes of a report over a corpus: the figures, the copies and what only a second read
//! can know.

use corpus_core::{Document, Problem};
use corpus_dedup::{
    Deduplicated, Deduplicator, Index, IndexError, InputChanged, OptionsError, RepeatedBlock,
};
use corpus_parser::{Input, Progress, ReadOptions, read_parallel};
use corpus_stats::{CorpusStats, OutOfMemory, Pattern, ShardedStats, Summary, TermHits, Trend};
use rustc_hash::FxHashMap;

use crate::ReportOptions;
use crate::page::{CLUSTERS, Cluster, Docs, headline, largest_clusters};

/// Terms drawn over time.
const TREND_TERMS: usize = 10;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The dedup options are not valid.
    #[error(transparent)]
    Options(#[from] OptionsError),
    /// The vocabulary outgrew the memory.
    #[error(transparent)]
    OutOfMemory(#[from] OutOfMemory),
    /// A later read of the input did not give the documents of the first.
    #[error("the input changed between two reads: {0}")]
    InputChanged(#[from] InputChanged),
    /// The index of the archive could not be read whole ([`Report::build_against`]).
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// A corpus's report: its statistics, its copies, and what the page draws of them (figures per
/// document, the top terms over time, the largest clusters' titles, the recurring lines). Made
/// by [`Report::build`]; shown by [`Report::page`].
#[derive(Debug)]
pub struct Report {
    pub(crate) options: ReportOptions,
    pub(crate) inputs: Vec<String>,
    pub(crate) summary: Summary,
    pub(crate) done: Deduplicated,
    pub(crate) docs: Docs,
    pub(crate) clusters: Vec<Cluster>,
    pub(crate) titles: Vec<Option<String>>,
    pub(crate) repeated: Vec<RepeatedBlock>,
    pub(crate) trend_terms: Vec<String>,
    pub(crate) trend: Trend,
    /// Documents the reading's selection left out (`ReadOptions::select`).
    pub(crate) left_out: u64,
    /// The index the copies were found against ([`Report::build_against`]).
    pub(crate) against: Option<Against>,
}

/// The index a report's copies were found against, as read.
#[derive(Debug)]
pub(crate) struct Against {
    pub(crate) index: String,
    pub(crate) generation: u64,
    pub(crate) documents: u64,
}

/// One read: [`read_parallel`] with every error of `consume` a [`ReportError`].
fn pass<T: Send>(
    inputs: &[Input],
    read: &ReadOptions,
    progress: &dyn Progress,
    map: impl Fn(Document) -> T + Sync,
    consume: impl FnMut(corpus_parser::Batch<T>) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    read_parallel(inputs, read, progress, map, consume)
}

impl Report {
    /// Reads `inputs` two or three times (they must give the same documents each time: spool
    /// standard input to a file first) and makes the report. The first read's problems go to
    /// `problem`, in input order; the later reads have the same ones.
    ///
    /// The first read feeds the statistics and the deduplication together, counted as
    /// [`CorpusStats`] and [`Deduplicator`] count them. The second reads the input again for
    /// what the first could not know: the top terms' hits over time, the titles of the largest
    /// clusters' kept copies and the first text of each recurring line. With
    /// [`ReportOptions::one_copy`], the statistics count the kept copies only: they move to
    /// the second read, and the terms' hits to a third.
    pub fn build(
        inputs: &[Input],
        read: &ReadOptions,
        options: ReportOptions,
        progress: &dyn Progress,
        problem: &mut dyn FnMut(Problem),
    ) -> Result<Report, ReportError> {
        Report::build_with(inputs, read, options, None, progress, problem)
    }

    /// [`Report::build`] of new documents against the index of an archive: copies are found
    /// as [`Deduplicator::finish_against`] finds them, with the index's options (they replace
    /// [`ReportOptions::dedup`]), and the figures count only what is new: the copies of the
    /// archive and of the documents' own stories are left out, as with
    /// [`ReportOptions::one_copy`]. The largest clusters include those kept by an archived
    /// document (its id and date as indexed; the headline of its first copy read), and the
    /// page says how many documents copy the archive.
    pub fn build_against(
        inputs: &[Input],
        read: &ReadOptions,
        mut options: ReportOptions,
        archive: &Index,
        progress: &dyn Progress,
        problem: &mut dyn FnMut(Problem),
    ) -> Result<Report, ReportError> {
        options.dedup = archive.options().clone();
        options.one_copy = true;
        Report::build_with(inputs, read, options, Some(archive), progress, problem)
    }

    fn build_with(
        inputs: &[Input],
        read: &ReadOptions,
        options: ReportOptions,
        archive: Option<&Index>,
        progress: &dyn Progress,
        problem: &mut dyn FnMut(Problem),
    ) -> Result<Report, ReportError> {
        let one_copy = options.one_copy;
        // First pass: the statistics (unless they count kept copies only) and the fingerprints.
        let stats = ShardedStats::new(options.stats.clone());
        let mut dedup =
            Deduplicator::new(options.dedup.clone())?.count_repeated_blocks(options.min_docs);
        // Against an index, documents are named by its field, as it was written.
        if let Some(field) = archive.and_then(|a| a.info().label_field.clone()) {
            dedup = dedup.labelled(field);
        }
        let preparer = dedup.preparer();
        let group_by = options.stats.group_by.clone();
        let mut docs = Docs::default();
        let mut left_out = 0;
        pass(
            inputs,
            read,
            progress,
            |doc| {
                let words = (!one_copy).then(|| stats.add_document(&doc).map(|c| c.words));
                let groups = group_by.as_ref().map(|g| g.keys(&doc));
                (preparer.prepare(&doc), doc.date, words, groups)
            },
            |batch| {
                left_out += batch.left_out;
                for p in batch.problems {
                    stats.add_problem(&p);
                    problem(p);
                }
                for (prepared, date, words, groups) in batch.results {
                    dedup.add(prepared);
                    docs.push(date, words.transpose()?, groups.unwrap_or_default());
                }
                Ok(())
            },
        )?;
        let done = match archive {
            None => dedup.finish(),
            Some(archive) => dedup.finish_against(archive)?,
        };
        docs.archived = done.archived().iter().map(|a| a.date).collect();
        let against = archive.map(|a| Against {
            index: a.path().display().to_string(),
            generation: a.info().generation,
            documents: a.info().documents,
        });
        let first = stats.finish()?;
        let clusters = largest_clusters(&done, CLUSTERS);
        let reads = Reads {
            inputs,
            read,
            progress,
        };
        let (later, total) = second_pass(&reads, &options, &done, &mut docs, &clusters, first)?;
        Ok(Report {
            inputs: inputs.iter().map(Input::name).collect(),
            summary: total.summary(options.top),
            clusters,
            titles: later.titles,
            done,
            docs,
            repeated: later.repeated,
            trend_terms: later.trend_terms,
            trend: later.trend,
            options,
            left_out,
            against,
        })
    }

    /// How many documents the reading's selection (`ReadOptions::select`) left out: read,
    /// and counted nowhere else.
    pub fn left_out(&self) -> u64 {
        self.left_out
    }
}

impl Report {
    /// Documents read.
    pub fn documents(&self) -> u64 {
        self.done.len() as u64
    }
}

/// What a report reads, and how.
struct Reads<'a> {
    inputs: &'a [Input],
    read: &'a ReadOptions,
    progress: &'a dyn Progress,
}

/// What the second read finds.
struct Later {
    titles: Vec<Option<String>>,
    repeated: Vec<RepeatedBlock>,
    trend_terms: Vec<String>,
    trend: Trend,
}

/// The second read (and the third, with one copy per story): what it finds, and the
/// statistics.
fn second_pass(
    reads: &Reads<'_>,
    options: &ReportOptions,
    done: &Deduplicated,
    docs: &mut Docs,
    clusters: &[Cluster],
    first: CorpusStats,
) -> Result<(Later, CorpusStats), ReportError> {
    let (inputs, read, progress) = (reads.inputs, reads.read, reads.progress);
    {
        let one_copy = options.one_copy;
        let copies = one_copy.then(|| done.copies());
        // Whether one copy per story leaves the document out of the figures.
        let left_out = |doc: &Document| copies.as_ref().is_some_and(|c| c.contains(doc));
        let wanted: FxHashMap<usize, usize> = clusters
            .iter()
            .enumerate()
            .map(|(slot, c)| (c.named_by(), slot))
            .collect();
        let kept_stats = one_copy.then(|| ShardedStats::new(options.stats.clone()));
        // With one copy per story the first pass counted only the problems.
        let (first_stats, problem_stats) = if one_copy {
            (None, Some(first))
        } else {
            (Some(first), None)
        };
        let trend_terms = first_stats
            .as_ref()
            .map(|s| top_terms(s, options.top.min(TREND_TERMS)));
        let hits = trend_terms.as_ref().map(|terms| term_hits(terms));
        let mut titles: Vec<Option<String>> = vec![None; clusters.len()];
        let mut trend = Trend::new();
        let mut kept = done.kept_copies(false);
        let mut index = 0usize;
        pass(
            inputs,
            read,
            progress,
            |doc| {
                let is_copy = left_out(&doc);
                let words = match &kept_stats {
                    Some(s) if !is_copy => Some(s.add_document(&doc).map(|c| c.words)),
                    _ => None,
                };
                let counted = hits.as_ref().filter(|_| !is_copy).map(|h| h.count(&doc));
                (doc, words, counted)
            },
            |batch| {
                // The problems were counted by the first pass.
                for (doc, words, counted) in batch.results {
                    if let Some(&slot) = wanted.get(&index) {
                        titles[slot] = Some(headline(&doc));
                    }
                    if one_copy {
                        docs.set_words(index, words.transpose()?);
                    }
                    if let Some((words, hits)) = counted
                        && let Some(date) = docs.date(index)
                    {
                        trend.add(Some(date), words, &hits);
                    }
                    kept.next(doc)?;
                    index += 1;
                }
                Ok(())
            },
        )?;
        let repeated = kept.finish()?;
        let total = match (first_stats, kept_stats, problem_stats) {
            (Some(s), _, _) => s,
            (None, Some(kept), Some(problems)) => {
                // The run's problems count whichever documents the figures count.
                let mut total = kept.finish()?;
                total.merge(problems)?;
                total
            }
            _ => unreachable!("the statistics are counted in one pass or the other"),
        };
        let trend_terms = match trend_terms {
            Some(t) => t,
            None => {
                // Third pass, with one copy per story: the hits of the kept copies' top terms.
                let terms = top_terms(&total, options.top.min(TREND_TERMS));
                let hits = term_hits(&terms);
                let docs = &*docs;
                let mut index = 0usize;
                pass(
                    inputs,
                    read,
                    progress,
                    |doc| (!left_out(&doc)).then(|| hits.count(&doc)),
                    |batch| {
                        for counted in batch.results {
                            if let Some((words, hits)) = counted
                                && let Some(date) = docs.date(index)
                            {
                                trend.add(Some(date), words, &hits);
                            }
                            index += 1;
                        }
                        Ok(())
                    },
                )?;
                terms
            }
        };
        let later = Later {
            titles,
            repeated,
            trend_terms,
            trend,
        };
        Ok((later, total))
    }
}

/// The most frequent terms (stop words left out), as the summary ranks them.
fn top_terms(stats: &CorpusStats, n: usize) -> Vec<String> {
    stats
        .summary(n)
        .vocabulary
        .top_terms
        .into_iter()
        .map(|t| t.term)
        .collect()
}

/// Counts each term as a word of its own: a term is a normalised word, never a pattern.
fn term_hits(terms: &[String]) -> TermHits {
    let patterns = terms
        .iter()
        .filter_map(|t| Pattern::parse(&t.replace('*', ""), false).ok())
        .collect();
    TermHits::new(patterns)
}
