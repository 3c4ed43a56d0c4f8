//! `corpus dedup`: exact and near-duplicate clusters, the kept documents, and a summary.
//!
//! `--clusters FILE` is a CSV with the header `cluster,document,kept,similarity,reason,date,path,line`:
//! one row per document of every cluster that has copies (singletons are left out), the
//! cluster named by the id of its kept copy, `similarity` the Jaccard similarity to the kept
//! copy, `reason` one of `kept`, `exact`, `key`, `near`.
//!
//! `--lines FILE` is a CSV with the header `line,kind,documents,first_date,last_date`: every
//! normalised line or paragraph found in at least `--min-docs` kept documents (copies are not
//! counted, so a story's own paragraphs do not pass for boilerplate because it was reprinted),
//! most frequent first, with the text of its first occurrence.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use corpus_core::Document;
use corpus_dedup::{
    DedupOptions, Deduplicated, Deduplicator, Index, IndexLock, Keep, KeyField, RepeatedBlock,
    Similarity, Verify,
};
use corpus_parser::{DocumentColumns, Input, NoProgress, ParquetWriter};

mod staged;

use crate::args::{InputArgs, PresetArg};
use crate::csv_out::csv_file;
use crate::output::{self, AtomicFile, Outputs, Sink};
use crate::progress::Spinner;
use crate::report::read_each;
use crate::ui::Outcome;
use corpus_report::json::{ArchiveJson, DedupJson};

/// Find exact and near-duplicate documents; write the kept ones and the clusters
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus dedup --preset news wire.jsonl.gz -o kept.jsonl --clusters clusters.csv
  corpus dedup crawl/ --key meta.url                 re-scraped URLs are copies too
  corpus dedup shards/*.parquet -o kept.parquet      Parquet in, Parquet out
  corpus dedup news/ --lines lines.csv -o kept.jsonl --strip-lines")]
pub(crate) struct DedupArgs {
    #[command(flatten)]
    settings: Settings,
    /// Deduplicate against the index of an archive (`corpus index build`): documents that copy
    /// an archived one are copies, and their cluster rows name it; the index's options are
    /// the run's
    #[arg(long, value_name = "INDEX")]
    against: Option<PathBuf>,
    /// With --against, add the run's documents to the index: a new generation, written whole
    /// and renamed into place, one writer at a time (a sharded run: at --merge)
    #[arg(long, requires = "against")]
    update: bool,
    /// Write the index of the run's documents to FILE (replaced whole), for later runs
    /// --against it: what `corpus index build` writes (a sharded run: at --merge)
    #[arg(long, value_name = "FILE", conflicts_with = "against")]
    write_index: Option<PathBuf>,
    /// Write the kept documents to FILE: as Parquet (zstd, the input's columns) when it ends
    /// in `.parquet`, else as JSON Lines
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Write the clusters with copies to FILE as CSV
    #[arg(long, value_name = "FILE")]
    clusters: Option<PathBuf>,
    /// Print the summary as JSON
    #[arg(long)]
    json: bool,
    /// A line or paragraph is repeated when at least N kept documents carry it
    #[arg(long, default_value_t = 5, value_name = "N")]
    min_docs: u64,
    /// Write the repeated lines to FILE as CSV
    #[arg(long, value_name = "FILE")]
    lines: Option<PathBuf>,
    /// Leave the repeated lines out of the documents written with --output
    #[arg(long)]
    strip_lines: bool,
    /// The run directory of a sharded run, on storage every task sees; with --stage, or
    /// --merge
    #[arg(long, value_name = "DIR")]
    run: Option<PathBuf>,
    /// The stage this task runs: `signatures`, `pairs`, `clusters`, `kept`, in that order,
    /// each a job array of the run's shards (`clusters`: one task)
    #[arg(long, value_enum, requires = "run", conflicts_with = "merge")]
    stage: Option<staged::Stage>,
    /// Run shard (or pairs task) I of N (0-based); without it, the index comes from a
    /// scheduler's array (Slurm, Kubernetes, AWS Batch)
    #[arg(long, value_name = "I/N", requires = "stage")]
    shard: Option<corpus_parser::Shard>,
    /// How many shards, when a Kubernetes Indexed Job gives only the index
    /// (JOB_COMPLETION_INDEX)
    #[arg(long, value_name = "N", requires = "stage", conflicts_with = "shard")]
    shards: Option<u32>,
    /// Write what one run writes from the stages of --run DIR: the summary, --output (the
    /// kept documents), --clusters, --lines
    #[arg(long, requires = "run")]
    merge: bool,
    #[command(flatten)]
    input: InputArgs,
}

/// The options of a deduplication: a preset and what is set beside it (`corpus dedup`,
/// `corpus index build`).
#[derive(Debug, clap::Args)]
pub(crate) struct Settings {
    /// Settings for a kind of corpus; explicit options override them [default: web]
    #[arg(long, value_enum)]
    preset: Option<PresetArg>,
    /// Words per shingle, 1 to 64 [default: 5; news: 2]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    ngram: Option<u32>,
    /// MinHash permutations, 1 to 8192 [default: 128]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=8192))]
    permutations: Option<u32>,
    /// Similarity from which documents are near copies [default: 0.8; news: 0.7]
    #[arg(long, value_name = "T")]
    threshold: Option<f64>,
    /// What is compared with the threshold [default: jaccard; news: containment]
    #[arg(long, value_enum)]
    similarity: Option<SimilarityArg>,
    /// Largest share of changed facts (names, figures, dates in shared contexts) near copies
    /// may have; `none` checks nothing [default: none; news: 0.3]
    #[arg(long, value_name = "SHARE")]
    max_changed_facts: Option<String>,
    /// Similarity from which a copy rewritten in other words is recognised by its facts (dated
    /// within a day, no fact changed, every figure and most names kept); `none` looks for
    /// none [default: none; news: 0.45]
    #[arg(long, value_name = "T")]
    rewrites: Option<String>,
    /// With --similarity containment, the shortest copy searched for, as a share of the
    /// longer document [default: 0.5; news: 0.75]
    #[arg(long, value_name = "SHARE")]
    min_length_ratio: Option<f64>,
    /// Whether a wire dateline (`LONDON (Reuters) - `) opening the body is compared or left out
    /// [default: keep; news: strip]
    #[arg(long, value_enum)]
    dateline: Option<DatelineArg>,
    /// Probability wanted that a pair at the threshold becomes a candidate, from which bands
    /// and rows are derived [default: 0.95]
    #[arg(long, value_name = "P")]
    recall: Option<f64>,
    /// LSH bands (with --rows; derived from the threshold and --recall by default)
    #[arg(long, value_name = "B", requires = "rows")]
    bands: Option<usize>,
    /// LSH rows per band (with --bands)
    #[arg(long, value_name = "R", requires = "bands")]
    rows: Option<usize>,
    /// Seed of the MinHash permutations [default: 1]
    #[arg(long)]
    seed: Option<u64>,
    /// Confirm candidates by the signature's estimate or by exact Jaccard of the shingles
    /// [default: estimate]
    #[arg(long, value_enum)]
    verify: Option<VerifyArg>,
    /// Compare only documents dated within DAYS of each other (undated: with all) [news: 3]
    #[arg(long, value_name = "DAYS")]
    window: Option<u32>,
    /// Which copy of a cluster is kept [default: earliest]
    #[arg(long, value_enum)]
    keep: Option<KeepArg>,
    /// Also group documents with equal KEY: `id`, `title` or `meta.FIELD`
    #[arg(long, value_name = "KEY")]
    key: Option<String>,
    /// Also name each document by `meta.FIELD` (the outlet, the source): a last column of
    /// --clusters, kept in an index for its archived copies [against an index: the index's]
    #[arg(long, value_name = "meta.FIELD")]
    field: Option<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum DatelineArg {
    /// Compare it with the rest of the text
    Keep,
    /// Leave it out: outlets add their own to a copy
    Strip,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum SimilarityArg {
    /// Shared shingles over all shingles (the classic measure)
    Jaccard,
    /// Shared shingles over the shorter document's: a cut copy is contained whole
    Containment,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum VerifyArg {
    /// The similarity the MinHash signatures estimate
    Estimate,
    /// The true Jaccard similarity of the shingle sets
    Exact,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum KeepArg {
    /// The earliest dated copy
    Earliest,
    /// The copy with the most words
    Longest,
    /// The first copy in input order
    First,
}

impl Settings {
    /// A deduplicator with `options`, naming documents by `--field` (against an index, by
    /// the index's field: another is an error).
    pub(crate) fn deduplicator(
        &self,
        options: DedupOptions,
        index: Option<&Index>,
    ) -> Result<Deduplicator> {
        let named = match self.field.as_deref() {
            None => None,
            Some(arg) => match arg.strip_prefix("meta.").filter(|f| !f.is_empty()) {
                Some(field) => Some(field.to_owned()),
                None => bail!("--field takes meta.FIELD, not {arg:?}"),
            },
        };
        let indexed = index.and_then(|i| i.info().label_field.clone());
        let field = match (index, named, indexed) {
            (Some(i), Some(named), indexed) if Some(&named) != indexed.as_ref() => bail!(
                "--field meta.{named}: {} names documents by {}; give its field or none",
                i.path().display(),
                indexed.map_or("no field".to_owned(), |f| format!("meta.{f}"))
            ),
            (_, named, indexed) => named.or(indexed),
        };
        let dedup = Deduplicator::new(options)?;
        Ok(match field {
            Some(f) => dedup.labelled(f),
            None => dedup,
        })
    }

    /// The preset, with the options given beside it on top. Against an index (`base`), the
    /// index's options stand for the preset unless one is named.
    pub(crate) fn options(&self, base: Option<&DedupOptions>) -> Result<DedupOptions> {
        let mut options = match (self.preset, base) {
            (None, Some(base)) => base.clone(),
            (preset, _) => corpus_dedup::Preset::from(preset.unwrap_or(PresetArg::Web)).options(),
        };
        if let Some(n) = self.ngram {
            options.ngram = n as usize;
        }
        if let Some(p) = self.permutations {
            options.permutations = p as usize;
        }
        if let Some(t) = self.threshold {
            options.threshold = t;
        }
        if let Some(r) = self.recall {
            options.recall = r;
        }
        if let Some(s) = self.similarity {
            options.similarity = match s {
                SimilarityArg::Jaccard => Similarity::Jaccard,
                SimilarityArg::Containment => Similarity::Containment,
            };
        }
        if let Some(m) = self.max_changed_facts.as_deref() {
            options.max_changed_facts = match m {
                "none" => None,
                share => Some(share.parse().map_err(|_| {
                    anyhow::anyhow!(
                        "--max-changed-facts takes a share from 0 to 1 or none, not {share:?}"
                    )
                })?),
            };
        }
        if let Some(m) = self.rewrites.as_deref() {
            options.rewrite_threshold = match m {
                "none" => None,
                t => Some(t.parse().map_err(|_| {
                    anyhow::anyhow!("--rewrites takes a similarity from 0 to 1 or none, not {t:?}")
                })?),
            };
        }
        if let Some(r) = self.min_length_ratio {
            options.min_length_ratio = r;
        }
        if let Some(d) = self.dateline {
            options.strip_dateline = matches!(d, DatelineArg::Strip);
        }
        if self.window.is_some() {
            options.window_days = self.window;
        }
        if self.bands.is_some() {
            options.bands = self.bands.zip(self.rows);
        }
        if let Some(seed) = self.seed {
            options.seed = seed;
        }
        if let Some(v) = self.verify {
            options.verify = match v {
                VerifyArg::Estimate => Verify::Estimate,
                VerifyArg::Exact => Verify::Exact,
            };
        }
        if let Some(k) = self.keep {
            options.keep = match k {
                KeepArg::Earliest => Keep::Earliest,
                KeepArg::Longest => Keep::Longest,
                KeepArg::First => Keep::First,
            };
        }
        options.key = match self.key.as_deref() {
            None => options.key,
            Some("id") => Some(KeyField::Id),
            Some("title") => Some(KeyField::Title),
            Some(other) => Some(KeyField::Meta(crate::args::meta_field(
                "--key",
                "id, title",
                other,
            )?)),
        };
        Ok(options)
    }
}

pub(crate) fn run(args: &DedupArgs) -> Result<Outcome> {
    let writes_index = args.update || args.write_index.is_some();
    if writes_index && args.run.is_some() && !args.merge {
        bail!("a sharded run writes its index at --merge: give --update or --write-index there");
    }
    // The lock first: the generation read is the one updated, whoever else writes.
    let lock = match (&args.against, args.update, &args.write_index) {
        (Some(path), true, _) | (None, _, Some(path)) => Some(super::index::lock_index(path)?),
        _ => None,
    };
    let index = args.against.as_deref().map(Index::open).transpose()?;
    let options = args.settings.options(index.as_ref().map(Index::options))?;
    if let Some(index) = &index {
        index.check_options(&options)?;
    }
    // The stages of a sharded run strip the kept parts; only the merge writes --output.
    if args.strip_lines && args.output.is_none() && args.run.is_none() {
        bail!(
            "--strip-lines leaves the repeated lines out of the documents written with --output FILE; give it"
        );
    }
    if let Some(dir) = &args.run {
        crate::commands::stats::refuse_selection_in_shards(&args.input)?;
        options.validate()?;
        // Any error of a sharded task or merge (a foreign run, a corrupt part, a full disk)
        // stops it with status 2, as every command's errors do; 1 is `--strict`'s.
        return staged::run(args, options, dir, (index.as_ref(), lock.as_ref()));
    }
    let mut inputs = args.input.inputs()?;
    output::check_paths(&inputs, &outputs_asked(args))?;
    // Writing the kept documents or the lines' texts reads the input a second time: standard
    // input is saved to a temporary file first (removed when the run ends).
    let second_pass_needed = args.output.is_some() || args.lines.is_some();
    let _spooled = if second_pass_needed {
        output::spool_stdin_inputs(&mut inputs)?
    } else {
        None
    };
    let read_options = args.input.read_options();
    let mut dedup = args.settings.deduplicator(options, index.as_ref())?;
    if args.lines.is_some() || args.strip_lines {
        dedup = dedup.count_repeated_blocks(args.min_docs);
    }
    if writes_index {
        dedup = dedup.indexing();
    }
    let parquet_out = args.output.as_deref().is_some_and(output::is_parquet);
    let (dedup, mut problems, columns) =
        first_pass(dedup, &args.input, &inputs, &read_options, parquet_out)?;
    let done = match &index {
        Some(index) => dedup.finish_against(index)?,
        None => dedup.finish(),
    };
    warn_if_no_key(args, &done);

    // Every output is renamed into place at the end, together, so that an interrupted run
    // never leaves new clusters beside old kept documents.
    let mut outputs = Outputs::default();
    if let Some(path) = &args.clusters {
        outputs.add(write_clusters(path, &done)?);
    }
    let mut stripped = 0;
    if second_pass_needed {
        let (blocks, n, kept) = second_pass(&done, args, &inputs, &read_options, &columns)?;
        stripped = n;
        outputs.extend(kept);
        if let Some(path) = &args.lines {
            outputs.add(write_lines(path, &blocks)?);
        }
    }
    problems.commit_with(outputs)?;
    let archive = write_index(&done, index.as_ref(), lock.as_ref())?;
    let repeated = done.repeated().map(|r| r.repeated().len());
    print_summary(args, &done, &problems, (repeated, archive), stripped)
}

/// Writes the run's index when asked (`lock`): extends `index` (--against --update) or
/// writes a new one (--write-index). Last, after every other output: the outputs of a run
/// whose update failed are those of a run against the index as it stays, and running it
/// again gives them again. Returns what the summary says of the archive, against one.
fn write_index(
    done: &Deduplicated,
    index: Option<&Index>,
    lock: Option<&IndexLock>,
) -> Result<Option<ArchiveJson>> {
    let Some(index) = index else {
        if let Some(lock) = lock {
            done.write_index(lock, None)?;
        }
        return Ok(None);
    };
    let info = match lock {
        Some(lock) => done.write_index(lock, Some(index))?,
        None => index.info().clone(),
    };
    Ok(Some(ArchiveJson {
        index: index.path().display().to_string(),
        archive_copies: done.archive_copies(),
        own_copies: done.len() - done.result().kept() - done.archive_copies(),
        updated: lock.is_some(),
        generation: info.generation,
        documents: info.documents,
    }))
}

/// The first pass: every document read, fingerprinted in the task that parsed it (while its
/// text is in cache) and added to `dedup`, with the problems met; and, when the kept
/// documents are written as Parquet (`parquet_out`), their columns, needed before the first
/// row.
pub(crate) fn first_pass(
    mut dedup: Deduplicator,
    input: &InputArgs,
    inputs: &[Input],
    read_options: &corpus_parser::ReadOptions,
    parquet_out: bool,
) -> Result<(Deduplicator, crate::report::Problems, DocumentColumns)> {
    let progress = Spinner::new(input.quiet, false).sized(inputs);
    let mut problems = input.problems()?;
    let preparer = dedup.preparer();
    let mut columns = DocumentColumns::new();
    let prepare = |doc: Document| {
        let seen = parquet_out.then(|| DocumentColumns::of(&doc));
        (preparer.prepare(&doc), seen)
    };
    read_each(
        inputs,
        read_options,
        &progress,
        &mut problems,
        prepare,
        |(prepared, seen)| {
            dedup.add(prepared);
            if let Some(seen) = seen {
                columns.merge(&seen);
            }
            Ok(())
        },
    )?;
    progress.finish();
    Ok((dedup, problems, columns))
}

/// Warns when `--key` named a field no document has: no copy could be found by it.
fn warn_if_no_key(args: &DedupArgs, done: &Deduplicated) {
    if let (Some(key), 0, false) = (&args.settings.key, done.keyed(), done.is_empty()) {
        crate::ui::say(&format!(
            "warning: --key {key}: no document has it, so no copy was found by key"
        ));
    }
}

/// Prints the summary (a table, or JSON) and the closing line: one run's, or a merge's.
/// The files a run or a merge writes: the kept documents, the clusters, the lines, the
/// problems.
fn outputs_asked(args: &DedupArgs) -> Vec<&Path> {
    [
        args.output.as_deref(),
        args.clusters.as_deref(),
        args.lines.as_deref(),
        args.input.problems.as_deref(),
        args.write_index.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn print_summary(
    args: &DedupArgs,
    done: &Deduplicated,
    problems: &crate::report::Problems,
    (repeated_lines, archive): (Option<usize>, Option<ArchiveJson>),
    stripped: u64,
) -> Result<Outcome> {
    let mut summary = DedupJson::new(done.result(), done.options());
    let of_archive = archive.as_ref().map(|a| a.archive_copies);
    if let Some(archive) = archive {
        summary.set_archive(archive);
    }
    if let Some(lines) = repeated_lines {
        summary.set_repeated_lines(lines);
    }
    if args.strip_lines {
        summary.set_lines_stripped(stripped);
    }
    // Standard output holds data when an output goes there (`-o -`, `--clusters -`): the
    // summary then goes to stderr, or nowhere with `-q`.
    let data_on_stdout = [&args.output, &args.clusters, &args.lines]
        .into_iter()
        .flatten()
        .any(|p| output::is_stdout(p));
    let mut table = Vec::new();
    if args.json {
        serde_json::to_writer_pretty(&mut table, &summary)?;
        writeln!(table)?;
    } else if !done.is_empty() {
        // A run that read nothing says so (`finish`), rather than print a table of zeros.
        summary.write_table(&mut table)?;
    }
    if !data_on_stdout {
        let mut out = Sink::open(None)?;
        out.write_all(&table)?;
        out.flush()?;
    } else if !args.input.quiet {
        crate::ui::say(String::from_utf8_lossy(&table).trim_end());
    }
    let of_archive = of_archive.map_or(String::new(), |n| format!(" ({n} of the archive)"));
    let line = format!(
        "deduplicated {}: {} kept, {} copies{of_archive}",
        problems.counts(done.len() as u64),
        summary.kept(),
        summary.copies()
    );
    Ok(args.input.finish(problems, done.len() as u64, &line))
}

pub(super) fn write_clusters(path: &Path, done: &Deduplicated) -> Result<AtomicFile> {
    csv_file(path, |t| corpus_report::tables::write_clusters(done, t))
}

/// Reads the input again: writes the kept documents in input order (without repeated lines
/// with `--strip-lines`) and collects the text of the first occurrence of every repeated line.
/// Returns the repeated lines, how many were stripped, and the file of kept documents, still
/// to be committed.
fn second_pass(
    done: &Deduplicated,
    args: &DedupArgs,
    inputs: &[Input],
    options: &corpus_parser::ReadOptions,
    columns: &DocumentColumns,
) -> Result<(Vec<RepeatedBlock>, u64, Option<AtomicFile>)> {
    let mut file = match args.output.as_deref() {
        None => None,
        Some(path) if output::is_parquet(path) => Some(Kept::Parquet(Box::new(
            ParquetWriter::new(AtomicFile::create(path)?, columns, &options.csv)?,
        ))),
        Some(path) => Some(Kept::JsonLines(AtomicFile::create(path)?)),
    };
    let mut kept = done.kept_copies(args.strip_lines);
    // The first pass reported the problems; the same input has the same ones.
    each_kept(inputs, options, &mut kept, |doc| {
        match file.as_mut() {
            Some(Kept::JsonLines(f)) => {
                serde_json::to_writer(&mut *f, &doc.with_body())?;
                f.write_all(b"\n")?;
            }
            Some(Kept::Parquet(w)) => w.write(&doc)?,
            None => {}
        }
        Ok(())
    })?;
    let stripped = kept.stripped();
    let blocks = kept.finish().map_err(nothing_written)?;
    let file = match file {
        None => None,
        Some(Kept::JsonLines(f)) => Some(f),
        Some(Kept::Parquet(w)) => Some(w.finish()?),
    };
    Ok((blocks, stripped, file))
}

/// The second pass: reads `inputs` again and hands each kept copy (the input must be the one
/// the first pass read) to `write`, in input order.
pub(super) fn each_kept(
    inputs: &[Input],
    options: &corpus_parser::ReadOptions,
    kept: &mut corpus_dedup::KeptCopies<'_>,
    mut write: impl FnMut(corpus_core::Document) -> Result<()>,
) -> Result<()> {
    corpus_parser::read_parallel(
        inputs,
        options,
        &NoProgress,
        |doc| doc,
        |batch| -> Result<()> {
            for doc in batch.results {
                if let Some(doc) = kept.next(doc).map_err(nothing_written)? {
                    write(doc)?;
                }
            }
            Ok(())
        },
    )
}

/// Where the kept documents go: canonical JSON Lines, or Parquet for a `.parquet` name.
enum Kept {
    JsonLines(AtomicFile),
    Parquet(Box<ParquetWriter<AtomicFile>>),
}

fn nothing_written(err: corpus_dedup::InputChanged) -> anyhow::Error {
    anyhow::anyhow!("{err}; nothing was written")
}

fn write_lines(path: &Path, blocks: &[RepeatedBlock]) -> Result<AtomicFile> {
    csv_file(path, |t| {
        corpus_report::tables::write_repeated_lines(blocks, t)
    })
}
