//! `corpus stats`: the summary table, `--json`, and the CSV reports of `--csv DIR`.
//!
//! CSV reports, each written whole or not at all (all of them only once the run has finished):
//!
//! | file | columns |
//! | --- | --- |
//! | `summary.csv` | `metric,value` |
//! | `documents.csv` | `id,path,line,date,lang,bytes,characters,words,sentences,paragraphs,headings,related_links,image_credits` |
//! | `terms.csv` | `term,count,documents,stopword` (every term) |
//! | `bigrams.csv` | `first,second,count` (every bigram seen at least twice, no stop words) |
//! | `dates.csv` | `granularity,period,documents,words` (`year` and `month` rows; `day` rows with `--per-day`) |
//! | `related.csv` | `title,count` |
//! | `credits.csv` | `source,count` |
//! | `problems.csv` | `kind,severity,path,line,column,message` |
//! | `groups.csv` | `group,documents,words,mean_words,sentences,paragraphs,headings,related_links,image_credits,undated` (with `--group-by`) |

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use corpus_core::Problem;
use corpus_stats::{CorpusStats, GroupBy, OutOfMemory, ShardedStats, StatsOptions, Summary};

use crate::args::InputArgs;
use crate::csv_out::CsvWriter;
use crate::output::{self, AtomicFile, Outputs, Sink};
use crate::progress::Spinner;
use crate::report::{Problems, read_each};
use crate::run_dir::{Manifest, RunDir, ShardProblems};
use crate::ui::Outcome;
use corpus_report::json::StatsJson;
use corpus_report::tables::{
    DOCUMENTS_HEADER, STATS_TABLES, Tables, document_row, write_stats_tables,
};
use corpus_report::text::StatsTable;

/// Summarise a corpus: counts, words per document, dates, vocabulary, boilerplate
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus stats news/                          the summary table of a folder
  corpus stats scrape.jsonl.gz --csv report/  also every CSV report, into report/
  corpus stats wire.csv --text-col body --group-by meta.source --json")]
pub(crate) struct StatsArgs {
    /// Print the summary as JSON instead of a table
    #[arg(long)]
    json: bool,
    /// Also write the CSV reports into DIR (created if needed)
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,
    /// Entries in each top list
    #[arg(long, default_value_t = 20, value_name = "N")]
    top: usize,
    /// Stop words left out of top terms and bigrams: `auto` (each document's own language's
    /// list, and ours for English in all), `english` (ours), `none`, a language's code (`de`,
    /// `fr`, `zh`: the stopwords-iso list), a FILE of words, or `LANG+FILE` for both
    #[arg(long, default_value = "auto", value_name = "LIST")]
    stopwords: String,
    /// Print the stop words of LANG (a code, `english`, or --stopwords's list when left out),
    /// one a line, and read nothing
    #[arg(long, value_name = "LANG", num_args = 0..=1, default_missing_value = "")]
    list_stopwords: Option<String>,
    /// Repeat the headline counts per group: `year`, `month`, `lang` or `meta.FIELD`
    #[arg(long, value_name = "KEY")]
    group_by: Option<String>,
    /// Report documents and words per day too (table, JSON and dates.csv)
    #[arg(long)]
    per_day: bool,
    /// Count only shard I of N (0-based) and write its part-files into --run DIR; without it,
    /// the shard comes from a scheduler's array index (Slurm, Kubernetes, AWS Batch)
    #[arg(long, value_name = "I/N", requires = "run", conflicts_with_all = ["json", "csv", "merge"])]
    shard: Option<corpus_parser::Shard>,
    /// How many shards, when a Kubernetes Indexed Job gives only the index
    /// (JOB_COMPLETION_INDEX)
    #[arg(long, value_name = "N", requires = "run", conflicts_with = "shard")]
    shards: Option<u32>,
    /// The run directory of a sharded run, on storage every task sees
    #[arg(long, value_name = "DIR")]
    run: Option<PathBuf>,
    /// Merge the part-files of every shard of --run DIR: the summary and reports of one run
    #[arg(long, requires = "run")]
    merge: bool,
    #[command(flatten)]
    input: InputArgs,
}

pub(crate) fn run(args: &StatsArgs) -> Result<Outcome> {
    let mut options = StatsOptions::default();
    (options.stopwords, options.stopwords_by_language) = crate::args::stopwords(&args.stopwords)?;
    options.group_by = crate::args::group_by(args.group_by.as_deref())?;
    if let Some(lang) = &args.list_stopwords {
        let list = match lang.as_str() {
            "" => options.stopwords.clone(),
            lang => crate::args::stopword_list(lang)?,
        };
        let mut out = Sink::open(None)?;
        for word in list.sorted() {
            writeln!(out, "{word}")?;
        }
        out.flush()?;
        return Ok(Outcome::Success);
    }
    if let Some(dir) = &args.run {
        refuse_selection_in_shards(&args.input)?;
        let run = if args.merge {
            merge(args, dir)
        } else {
            shard_task(args, options, dir)
        };
        // Any error of a sharded task or merge (a foreign run, a corrupt part, a full disk)
        // stops it with status 2, as every command's errors do; 1 is `--strict`'s.
        return run;
    }
    let inputs = args.input.inputs()?;
    let reports: Vec<PathBuf> = args
        .csv
        .iter()
        .flat_map(|dir| STATS_TABLES.map(|name| dir.join(name)))
        .collect();
    let outputs_asked: Vec<&Path> = reports
        .iter()
        .map(PathBuf::as_path)
        .chain(args.input.problems.as_deref())
        .collect();
    output::check_paths(&inputs, &outputs_asked)?;
    let read_options = args.input.read_options();
    let mut documents_csv = match &args.csv {
        Some(dir) => Some(documents_writer(dir)?),
        None => None,
    };
    let progress = Spinner::new(args.input.quiet, false).sized(&inputs);
    let mut problems = args.input.problems()?;
    if let Some(dir) = &args.csv {
        problems.stream_to(&dir.join("problems.csv"))?;
    }
    let stats = ShardedStats::new(options);
    let want_rows = documents_csv.is_some();
    // The document is counted and dropped in the task that parsed it: only its row for
    // documents.csv, when asked for, comes back to this thread.
    let count = |doc: corpus_core::Document| {
        let counts = stats.add_document(&doc)?;
        Ok::<_, OutOfMemory>(want_rows.then(|| document_row(doc, &counts)))
    };
    // Problems are counted as they come; only the first ones are kept.
    let mut counted = Counted {
        problems: &mut problems,
        stats: &stats,
    };
    read_each(
        &inputs,
        &read_options,
        &progress,
        &mut counted,
        count,
        |row| {
            if let (Some(w), Some(row)) = (documents_csv.as_mut(), row?) {
                w.write_record(&row)?;
            }
            Ok(())
        },
    )?;
    let total = stats.finish()?;
    progress.finish();
    report(args, &total, problems, documents_csv)
}

/// A sharded run reads every document: its tasks and merge do not yet carry the count of the
/// documents a selection leaves out, so `--where`, `--since` and `--until` are refused there
/// rather than left out of the summary.
pub(crate) fn refuse_selection_in_shards(input: &crate::args::InputArgs) -> Result<()> {
    if input.selects() {
        anyhow::bail!(
            "--where, --since and --until are not applied in sharded runs (--run) yet: select \
             the documents in one run, or split the input by hand"
        );
    }
    Ok(())
}

/// The run's problems, each counted in the statistics' figures too as it comes.
struct Counted<'a> {
    problems: &'a mut Problems,
    stats: &'a ShardedStats,
}

impl crate::report::Tally for Counted<'_> {
    fn leave_out(&mut self, documents: u64) {
        self.problems.leave_out(documents);
    }
}

impl Extend<Problem> for Counted<'_> {
    fn extend<I: IntoIterator<Item = Problem>>(&mut self, problems: I) {
        let stats = self.stats;
        self.problems
            .extend(problems.into_iter().inspect(|p| stats.add_problem(p)));
    }
}

/// The summary and reports of what was counted: one run's, or the shards' merged.
fn report(
    args: &StatsArgs,
    total: &CorpusStats,
    mut problems: Problems,
    documents_csv: Option<CsvWriter<AtomicFile>>,
) -> Result<Outcome> {
    let summary = total.summary(args.top);
    if let (Some(GroupBy::Meta(field)), [only]) = (&total.options().group_by, &summary.groups[..])
        && only.group == "(none)"
    {
        crate::ui::say(&format!(
            "warning: --group-by meta.{field}: no document has the field {field:?}; all are in (none)"
        ));
    }
    // Files first, all together: what happens to standard output then cannot cost them.
    let mut outputs = Outputs::default();
    if let (Some(dir), Some(documents)) = (&args.csv, documents_csv) {
        write_reports(dir, total, &summary, args.per_day, documents, &mut outputs)?;
    }
    problems.commit_with(outputs)?;
    let mut out = Sink::open(None)?;
    if args.json {
        serde_json::to_writer_pretty(
            &mut out,
            &StatsJson::new(&summary, args.per_day, problems.first())
                .with_left_out(problems.left_out()),
        )?;
        writeln!(out)?;
    } else if summary.counts.documents > 0 {
        // A run that read nothing says so (`finish`), rather than print a table of zeros.
        let mut table = StatsTable::default();
        table.per_day = args.per_day;
        table.top = args.top;
        table.group_by = args.group_by.as_deref();
        table.write(&mut out, &summary)?;
    }
    out.flush()?;
    let written = args
        .csv
        .as_ref()
        .map(|d| format!("; reports in {}", d.display()))
        .unwrap_or_default();
    Ok(args.input.finish(
        &problems,
        summary.counts.documents,
        &format!(
            "summarised {}{written}",
            problems.counts(summary.counts.documents)
        ),
    ))
}

fn documents_writer(dir: &Path) -> Result<CsvWriter<AtomicFile>> {
    let mut w = CsvWriter::new(AtomicFile::create(&dir.join("documents.csv"))?);
    w.write_record(DOCUMENTS_HEADER)?;
    Ok(w)
}

/// The tables of a report as CSV files of `dir`, each written whole to a temporary file and
/// added to the run's outputs, renamed into place with them.
struct CsvFiles<'a> {
    dir: &'a Path,
    outputs: &'a mut Outputs,
    current: Option<CsvWriter<AtomicFile>>,
}

impl CsvFiles<'_> {
    fn finish(&mut self) {
        if let Some(w) = self.current.take() {
            self.outputs.add(w.into_inner());
        }
    }
}

impl Tables for CsvFiles<'_> {
    fn start(&mut self, name: &str, header: &[&str]) -> std::io::Result<()> {
        self.finish();
        let file = AtomicFile::create(&self.dir.join(name))
            .map_err(|e| std::io::Error::other(format!("{e:#}")))?;
        let mut w = CsvWriter::new(file);
        w.write_record(header)?;
        self.current = Some(w);
        Ok(())
    }

    fn row(&mut self, fields: &[&str]) -> std::io::Result<()> {
        match self.current.as_mut() {
            Some(w) => w.write_record(fields),
            None => Err(std::io::Error::other("a row before its table")),
        }
    }
}

/// Writes every CSV report but `problems.csv` (written as problems come) to a temporary file,
/// to be renamed into place with the run's other outputs.
fn write_reports(
    dir: &Path,
    total: &CorpusStats,
    summary: &Summary,
    per_day: bool,
    documents: CsvWriter<AtomicFile>,
    outputs: &mut Outputs,
) -> Result<()> {
    outputs.add(documents.into_inner());
    let mut files = CsvFiles {
        dir,
        outputs,
        current: None,
    };
    write_stats_tables(total, summary, per_day, &mut files)?;
    files.finish();
    Ok(())
}

/// The options of a sharded stats run that change what is counted, as its manifest keeps them.
fn manifest_options(args: &StatsArgs) -> serde_json::Map<String, serde_json::Value> {
    let mut options = args.input.manifest_options();
    let mut put = |k: &str, v: serde_json::Value| {
        options.insert(k.to_owned(), v);
    };
    put("stopwords", args.stopwords.clone().into());
    put("group_by", args.group_by.clone().into());
    put("check_ids", true.into());
    options
}

/// One task of a sharded run: counts its shard and writes the part-files, then the marker.
fn shard_task(args: &StatsArgs, options: StatsOptions, dir: &Path) -> Result<Outcome> {
    let (shard, from) = crate::run_dir::task_shard(args.shard, args.shards, dir)?;
    let inputs = args.input.inputs()?;
    let manifest = Manifest {
        command: "stats",
        shards: shard.count(),
        files: corpus_parser::count_files(&inputs),
        inputs: args.input.inputs.clone(),
        options: manifest_options(args),
    };
    let run = RunDir::for_task(dir, &manifest)?;
    let index = shard.index();
    if run.is_done(index) {
        if !args.input.quiet {
            crate::ui::say(&format!(
                "shard {shard} ({from}) is done already ({}); skipped",
                run.shard_dir(index).display()
            ));
        }
        return Ok(Outcome::Success);
    }
    let temp = run.start_shard(index)?;
    // Each row of documents.csv says where its duplicate-id warning would go.
    let (read_options, mut problems) = args.input.shard_reading(shard, &temp)?;
    let progress = Spinner::new(args.input.quiet, false);
    let mut documents_csv = CsvWriter::new(AtomicFile::create(&temp.join("documents.csv"))?);
    let stats = ShardedStats::new(options);
    let count = |doc: corpus_core::Document| {
        let counts = stats.add_document(&doc)?;
        Ok::<_, OutOfMemory>(document_row(doc, &counts))
    };
    let mut documents = 0u64;
    corpus_parser::read_parallel(
        &inputs,
        &read_options,
        &progress,
        count,
        |batch| -> Result<()> {
            let before = problems.total();
            problems.extend(batch.problems.into_iter().inspect(|p| stats.add_problem(p)));
            for (row, at) in batch.results.into_iter().zip(&batch.problems_before) {
                let row = row?;
                documents += 1;
                let at = (before + *at as u64).to_string();
                documents_csv.write_record(row.iter().map(String::as_str).chain([at.as_str()]))?;
            }
            Ok(())
        },
    )?;
    progress.finish();
    let total = stats.finish()?;
    let mut outputs = Outputs::default();
    let mut part = AtomicFile::create(&temp.join("stats.part"))?;
    total.write_part(&mut part)?;
    outputs.add(part);
    outputs.add(documents_csv.into_inner());
    problems.commit_with(outputs)?;
    let summary = serde_json::json!({"documents": documents, "problems": problems.total()});
    run.commit_shard(temp, summary)?;
    problems.print(args.input.problems.as_deref(), args.input.quiet);
    if !args.input.quiet {
        crate::ui::say(&format!(
            "shard {shard} ({from}): summarised {}; part-files in {}",
            problems.counts(documents),
            run.shard_dir(index).display()
        ));
    }
    Ok(if args.input.strict && problems.total() > 0 {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

/// `--merge`: every shard's part-files, checked against their markers before any is read,
/// merged in shard order into the summary and reports of one run.
fn merge(args: &StatsArgs, dir: &Path) -> Result<Outcome> {
    let (run, manifest) = RunDir::existing(dir, "stats")?;
    let outputs_asked: Vec<&Path> = [args.csv.as_deref(), args.input.problems.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    run.refuse_outputs_inside(&outputs_asked)?;
    let dirs = run.verified()?;
    // What changes the counts is the run's, from its manifest.
    let recorded = &manifest["options"];
    let mut options = StatsOptions::default();
    (options.stopwords, options.stopwords_by_language) =
        crate::args::stopwords(recorded["stopwords"].as_str().unwrap_or("auto"))?;
    options.group_by = crate::args::group_by(recorded["group_by"].as_str())?;
    let mut problems = args.input.problems()?;
    let mut documents_csv = match &args.csv {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot make {}", dir.display()))?;
            problems.stream_to(&dir.join("problems.csv"))?;
            Some(documents_writer(dir)?)
        }
        None => None,
    };
    let mut total: Option<CorpusStats> = None;
    let check_ids = recorded["check_ids"] != false;
    let mut ids = corpus_parser::IdCheck::default();
    let mut warnings = Vec::new();
    for shard_dir in &dirs {
        let path = shard_dir.join("stats.part");
        let mut file = std::fs::File::open(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let part = CorpusStats::read_part(&mut file, options.clone())
            .with_context(|| format!("{}", path.display()))?;
        match total.as_mut() {
            Some(t) => t.merge(part)?,
            None => total = Some(part),
        }
        let mut shard_problems = ShardProblems::read(&shard_dir.join("problems.csv"))?;
        let path = shard_dir.join("documents.csv");
        let mut rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        for row in rows.byte_records() {
            let row = row.with_context(|| format!("{}", path.display()))?;
            // A document's row, and where its problems end.
            let width = DOCUMENTS_HEADER.len();
            if row.len() != width + 1 {
                bail!("{}: not a shard's documents.csv", path.display());
            }
            let (fields, at) = (row.iter().take(width).collect::<Vec<_>>(), row.get(width));
            let at: u64 = at
                .and_then(|a| std::str::from_utf8(a).ok()?.parse().ok())
                .with_context(|| format!("{}: no problem position", path.display()))?;
            let text = |i: usize| String::from_utf8_lossy(fields[i]).into_owned();
            let origin = (text(0), text(1), text(2).parse().ok());
            let ids = check_ids.then_some(&mut ids);
            if let Some(w) = shard_problems.before_document(&mut problems, at, ids, origin)? {
                warnings.push(w);
            }
            if let Some(w) = documents_csv.as_mut() {
                w.write_record(&fields)?;
            }
        }
        shard_problems.finish(&mut problems);
    }
    let mut total = total.context("the run has no shards")?;
    warnings.iter().for_each(|w| total.add_problem(w));
    report(args, &total, problems, documents_csv)
}
