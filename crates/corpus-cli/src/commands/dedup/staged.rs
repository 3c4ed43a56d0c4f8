//! `corpus dedup --run DIR --stage STAGE`: deduplication in stages, each a job array (or one
//! task) of its own, with the clusters, kept documents and reports of one run.
//!
//! ```text
//! DIR/manifest.json               the run: shards, inputs, every option that changes results
//! DIR/signatures/NNNNN/           shard.part (fingerprints, ids, paths, lines, dates, block
//!                                 hashes), problems.csv, positions.txt (problems before each
//!                                 document)
//! DIR/pairs/NNNNN/pairs.part      the passing pairs of the bands (and subjects) task N has
//! DIR/clusters/00000/clusters.part  every document's cluster, reason and similarity; the
//!                                 repeated blocks of the kept copies
//! DIR/kept/NNNNN/                 kept.jsonl (the shard's kept documents), examples.json (the
//!                                 first text of each repeated block in the shard)
//! DIR/done/STAGE/NNNNN.json       each task's completion marker: sizes and checksums
//! ```
//!
//! Every stage has as many tasks as the run has shards, but `clusters` (one). `--merge` writes
//! what one run writes: the summary, `-o` (the kept parts joined), `--clusters`, `--lines`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use corpus_dedup::{
    Clusters, DedupOptions, Deduplicated, Index, IndexLock, ShardPart, TaskPairs, read_all_pairs,
    repeated_blocks, task_pairs, write_pairs,
};
use serde_json::Value;

use super::{DedupArgs, each_kept, nothing_written, write_clusters, write_lines};
use crate::output::{AtomicFile, Outputs};
use crate::progress::Spinner;
use crate::run_dir::{Manifest, RunDir, ShardProblems, task_shard};
use crate::ui::Outcome;
use corpus_report::json::DedupOptionsJson;

/// The stages of a sharded deduplication, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Stage {
    /// Per shard: the fingerprints of its documents
    Signatures,
    /// Per share of the bands: the pairs of documents that pass, from every shard's signatures
    Pairs,
    /// One task: the clusters, from the pairs alone
    Clusters,
    /// Per shard: its kept documents
    Kept,
}

/// The options that change results, as the manifest records them; against an index, its
/// generation and size: every stage must read the one the run started with.
fn manifest_options(
    args: &DedupArgs,
    options: &DedupOptions,
    index: Option<&Index>,
) -> Result<Value> {
    let mut map = args.input.manifest_options();
    map.insert(
        "dedup".into(),
        serde_json::to_value(DedupOptionsJson::from(options))?,
    );
    if let Some(index) = index {
        let info = index.info();
        map.insert(
            "against".into(),
            serde_json::json!({"generation": info.generation, "records": info.records}),
        );
    }
    map.insert("min_docs".into(), args.min_docs.into());
    if let Some(field) = &args.settings.field {
        map.insert("field".into(), field.clone().into());
    }
    map.insert("strip_lines".into(), args.strip_lines.into());
    Ok(Value::Object(map))
}

/// The index a sharded run is made against (`--against`), and the lock of the one its merge
/// writes (`--update`, `--write-index`).
pub(crate) type IndexUse<'a> = (Option<&'a Index>, Option<&'a IndexLock>);

pub(crate) fn run(
    args: &DedupArgs,
    options: DedupOptions,
    dir: &Path,
    index: IndexUse<'_>,
) -> Result<Outcome> {
    if args
        .output
        .as_deref()
        .is_some_and(crate::output::is_parquet)
    {
        bail!(
            "a sharded run writes its kept documents as JSON Lines; write them as Parquet after the merge with `corpus parse KEPT.jsonl -o KEPT.parquet`"
        );
    }
    let recorded = manifest_options(args, &options, index.0)?;
    if args.merge {
        return merge(args, options, dir, &recorded, index);
    }
    match args.stage {
        None => bail!(
            "--run DIR needs --stage signatures, pairs, clusters or kept (in that order), or --merge"
        ),
        Some(Stage::Signatures) => signatures(args, options, dir, recorded, index.0),
        Some(Stage::Pairs) => pairs(args, options, dir, &recorded, index.0.is_some()),
        Some(Stage::Clusters) => clusters(args, options, dir, &recorded, index.0),
        Some(Stage::Kept) => kept(args, options, dir, recorded),
    }
}

/// Skips a task whose marker is there; says so.
fn done_already(args: &DedupArgs, stage: &RunDir, index: u32, what: &str) -> bool {
    if !stage.is_done(index) {
        return false;
    }
    if !args.input.quiet {
        crate::ui::say(&format!(
            "{what} is done already ({}); skipped",
            stage.shard_dir(index).display()
        ));
    }
    true
}

fn say_done(args: &DedupArgs, what: &str) {
    if !args.input.quiet {
        crate::ui::say(what);
    }
}

fn open(path: &Path) -> Result<std::io::BufReader<std::fs::File>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(std::io::BufReader::with_capacity(1 << 20, file))
}

/// Every shard's first-stage part, in shard order, read on all cores.
fn read_shards(run: &RunDir, options: &DedupOptions) -> Result<Vec<ShardPart>> {
    let paths: Vec<PathBuf> = run
        .stage("signatures", run.shards())?
        .verified()?
        .into_iter()
        .map(|d| d.join("shard.part"))
        .collect();
    let files = paths.iter().map(|p| open(p)).collect::<Result<Vec<_>>>()?;
    corpus_dedup::read_parts(files, options)
        .into_iter()
        .zip(&paths)
        .map(|(part, path)| part.with_context(|| format!("{}", path.display())))
        .collect()
}

/// A task of a stage that reads the inputs (`signatures`, `kept`).
struct InputTask {
    shard: corpus_parser::Shard,
    run: RunDir,
    stage: RunDir,
    inputs: Vec<corpus_parser::Input>,
    /// The task, as its messages name it.
    what: String,
}

/// The task of `stage` this one is: its shard, the run (its manifest written, or checked
/// against this task's), the stage; `None` when it is done already (and said so).
fn input_task(
    args: &DedupArgs,
    dir: &Path,
    recorded: Value,
    stage: &str,
    what: &str,
) -> Result<Option<InputTask>> {
    let (shard, from) = task_shard(args.shard, args.shards, dir)?;
    let inputs = args.input.inputs()?;
    let Value::Object(recorded) = recorded else {
        unreachable!("the options are an object")
    };
    let manifest = Manifest {
        command: "dedup",
        shards: shard.count(),
        files: corpus_parser::count_files(&inputs),
        inputs: args.input.inputs.clone(),
        options: recorded,
    };
    let run = RunDir::for_task(dir, &manifest)?;
    let stage = run.stage(stage, run.shards())?;
    let what = format!("{what} of shard {shard} ({from})");
    if done_already(args, &stage, shard.index(), &what) {
        return Ok(None);
    }
    Ok(Some(InputTask {
        shard,
        run,
        stage,
        inputs,
        what,
    }))
}

/// The first stage: the shard's documents fingerprinted, as one run does.
fn signatures(
    args: &DedupArgs,
    options: DedupOptions,
    dir: &Path,
    recorded: Value,
    against: Option<&Index>,
) -> Result<Outcome> {
    let Some(task) = input_task(args, dir, recorded, "signatures", "signatures")? else {
        return Ok(Outcome::Success);
    };
    let (stage, inputs, what) = (task.stage, task.inputs, task.what);
    let shard = task.shard;
    let index = shard.index();
    let temp = stage.start_shard(index)?;
    let (read_options, mut problems) = args.input.shard_reading(shard, &temp)?;
    let progress = Spinner::new(args.input.quiet, false);
    // Block hashes are always kept: whether `--lines` is asked is the merge's to say.
    let mut dedup = args
        .settings
        .deduplicator(options, against)?
        .count_repeated_blocks(args.min_docs);
    let preparer = dedup.preparer();
    let mut positions = String::new();
    corpus_parser::read_parallel(
        &inputs,
        &read_options,
        &progress,
        |doc| preparer.prepare(&doc),
        |batch| -> Result<()> {
            let before = problems.total();
            problems.extend(batch.problems);
            for (prepared, at) in batch.results.into_iter().zip(&batch.problems_before) {
                dedup.add(prepared);
                positions.push_str(&(before + *at as u64).to_string());
                positions.push('\n');
            }
            Ok(())
        },
    )?;
    progress.finish();
    let documents = dedup.len();
    let mut outputs = Outputs::default();
    let mut part = AtomicFile::create(&temp.join("shard.part"))?;
    dedup.write_part(&mut part)?;
    outputs.add(part);
    let mut pos = AtomicFile::create(&temp.join("positions.txt"))?;
    pos.write_all(positions.as_bytes())?;
    outputs.add(pos);
    problems.commit_with(outputs)?;
    let summary = serde_json::json!({"documents": documents, "problems": problems.total()});
    stage.commit_shard(temp, summary)?;
    problems.print(args.input.problems.as_deref(), args.input.quiet);
    say_done(
        args,
        &format!(
            "{what}: {}; part-files in {}",
            problems.counts(documents as u64),
            stage.shard_dir(index).display()
        ),
    );
    Ok(if args.input.strict && problems.total() > 0 {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

/// The second stage: the passing pairs of this task's share of the bands. Against an index,
/// none: the clusters stage finds the run's candidates with the archive's.
fn pairs(
    args: &DedupArgs,
    options: DedupOptions,
    dir: &Path,
    recorded: &Value,
    against: bool,
) -> Result<Outcome> {
    let run = RunDir::for_later_stage(dir, "dedup", recorded)?;
    let (task, from) = task_shard(args.shard, args.shards, dir)?;
    if task.count() != run.shards() {
        bail!(
            "the pairs stage has as many tasks as the run has shards ({}), not {}",
            run.shards(),
            task.count()
        );
    }
    let stage = run.stage("pairs", run.shards())?;
    let index = task.index();
    let what = format!("pairs task {task} ({from})");
    if done_already(args, &stage, index, &what) {
        return Ok(Outcome::Success);
    }
    let mut fingerprints = Vec::new();
    if !against {
        for mut shard in read_shards(&run, &options)? {
            fingerprints.append(&mut shard.take_fingerprints());
        }
    }
    let temp = stage.start_shard(index)?;
    let TaskPairs {
        pairs: passed,
        candidates: considered,
    } = task_pairs(
        &fingerprints,
        &options,
        index as usize,
        run.shards() as usize,
    );
    let mut outputs = Outputs::default();
    let mut part = AtomicFile::create(&temp.join("pairs.part"))?;
    write_pairs(&passed, &options, &mut part)?;
    outputs.add(part);
    outputs.commit()?;
    let summary = serde_json::json!({"candidates": considered, "pairs": passed.len()});
    stage.commit_shard(temp, summary)?;
    say_done(
        args,
        &format!(
            "{what}: {} pairs of {considered} candidates over {} documents; part-file in {}",
            passed.len(),
            fingerprints.len(),
            stage.shard_dir(index).display()
        ),
    );
    Ok(Outcome::Success)
}

/// The third stage, one task: the clusters from the pairs.
fn clusters(
    args: &DedupArgs,
    options: DedupOptions,
    dir: &Path,
    recorded: &Value,
    against: Option<&Index>,
) -> Result<Outcome> {
    let run = RunDir::for_later_stage(dir, "dedup", recorded)?;
    let stage = run.stage("clusters", 1)?;
    if done_already(args, &stage, 0, "the clusters stage") {
        return Ok(Outcome::Success);
    }
    let pair_dirs = run.stage("pairs", run.shards())?.verified()?;
    let mut shards = read_shards(&run, &options)?;
    let paths: Vec<PathBuf> = pair_dirs.iter().map(|d| d.join("pairs.part")).collect();
    let files = paths.iter().map(|p| open(p)).collect::<Result<Vec<_>>>()?;
    let mut pairs = Vec::new();
    for (found, path) in read_all_pairs(files, &options).into_iter().zip(&paths) {
        pairs.append(&mut found.with_context(|| format!("{}", path.display()))?);
    }
    let documents: usize = shards.iter().map(|s| s.fingerprints().len()).sum();
    let started = std::time::Instant::now();
    let clusters = match against {
        None => Clusters::from_pairs(&mut shards, pairs, &options),
        Some(index) => Clusters::against(&mut shards, index, &options)?,
    };
    let clustering = started.elapsed();
    let temp = stage.start_shard(0)?;
    let mut outputs = Outputs::default();
    let mut part = AtomicFile::create(&temp.join("clusters.part"))?;
    clusters.write(&options, &mut part)?;
    outputs.add(part);
    outputs.commit()?;
    let summary = serde_json::json!({
        "documents": documents,
        "kept": clusters.result.kept(),
        "clustering_seconds": clustering.as_secs_f64(),
    });
    stage.commit_shard(temp, summary)?;
    say_done(
        args,
        &format!(
            "clusters: {} kept of {} documents, clustered in {:.2}s; part-file in {}",
            clusters.result.kept(),
            documents,
            clustering.as_secs_f64(),
            stage.shard_dir(0).display()
        ),
    );
    Ok(Outcome::Success)
}

/// How many documents each shard has, from the first stage's markers.
fn shard_sizes(run: &RunDir) -> Result<Vec<usize>> {
    let stage = run.stage("signatures", run.shards())?;
    stage.verified()?;
    (0..run.shards())
        .map(|s| {
            let summary = stage.marker_summary(s)?;
            summary["documents"]
                .as_u64()
                .map(|n| n as usize)
                .with_context(|| format!("shard {s}'s marker gives no number of documents"))
        })
        .collect()
}

fn read_clusters(run: &RunDir, options: &DedupOptions) -> Result<Clusters> {
    let dir = run.stage("clusters", 1)?.verified()?.remove(0);
    let path = dir.join("clusters.part");
    Clusters::read(&mut open(&path)?, options).with_context(|| format!("{}", path.display()))
}

/// The fourth stage: the shard's documents read again, its kept copies written.
fn kept(args: &DedupArgs, options: DedupOptions, dir: &Path, recorded: Value) -> Result<Outcome> {
    let Some(InputTask {
        shard,
        run,
        stage,
        inputs,
        what,
    }) = input_task(args, dir, recorded, "kept", "kept documents")?
    else {
        return Ok(Outcome::Success);
    };
    let index = shard.index();
    let clusters = read_clusters(&run, &options)?;
    let sizes = shard_sizes(&run)?;
    let offset: usize = sizes[..index as usize].iter().sum();
    let part_path = run
        .stage("signatures", run.shards())?
        .shard_dir(index)
        .join("shard.part");
    let part = ShardPart::read(&mut open(&part_path)?, &options)
        .with_context(|| format!("{}", part_path.display()))?;
    let done = Deduplicated::of_shards(options, &clusters, offset, vec![part])
        .with_context(|| format!("{}", part_path.display()))?;
    let temp = stage.start_shard(index)?;
    let mut file = AtomicFile::create(&temp.join("kept.jsonl"))?;
    let mut kept = done.kept_copies(args.strip_lines);
    let mut read_options = args.input.read_options();
    read_options.shard = Some(shard);
    read_options.check_ids = false;
    let mut written = 0u64;
    each_kept(&inputs, &read_options, &mut kept, |doc| {
        serde_json::to_writer(&mut file, &doc.with_body())?;
        file.write_all(b"\n")?;
        written += 1;
        Ok(())
    })?;
    let stripped = kept.stripped();
    let examples = kept.finish_examples().map_err(nothing_written)?;
    let mut ex = AtomicFile::create(&temp.join("examples.json"))?;
    serde_json::to_writer(&mut ex, &examples)?;
    let mut outputs = Outputs::default();
    outputs.add(file);
    outputs.add(ex);
    outputs.commit()?;
    let summary = serde_json::json!({"kept": written, "stripped": stripped});
    stage.commit_shard(temp, summary)?;
    say_done(
        args,
        &format!(
            "{what}: {written} kept; in {}",
            stage.shard_dir(index).display()
        ),
    );
    Ok(Outcome::Success)
}

/// `--merge`: every stage verified, then what one run prints and writes.
fn merge(
    args: &DedupArgs,
    options: DedupOptions,
    dir: &Path,
    recorded: &Value,
    (index, lock): IndexUse<'_>,
) -> Result<Outcome> {
    let run = RunDir::for_later_stage(dir, "dedup", recorded)?;
    run.refuse_outputs_inside(&super::outputs_asked(args))?;
    let kept_stage = run.stage("kept", run.shards())?;
    let kept_dirs = kept_stage.verified()?;
    let clusters = read_clusters(&run, &options)?;
    let signature_dirs = run.stage("signatures", run.shards())?.verified()?;
    let mut shards = read_shards(&run, &options)?;
    // The fingerprints are the index's, when one is written.
    if lock.is_none() {
        shards.iter_mut().for_each(|s| drop(s.take_fingerprints()));
    }
    // The problems of every shard, with the duplicate-id warnings of the whole run where one
    // run puts them: after the problems that came before the document.
    let mut problems = args.input.problems()?;
    let mut ids = corpus_parser::IdCheck::default();
    for (shard, shard_dir) in shards.iter().zip(&signature_dirs) {
        let mut shard_problems = ShardProblems::read(&shard_dir.join("problems.csv"))?;
        let positions_path = shard_dir.join("positions.txt");
        let positions = std::fs::read_to_string(&positions_path)
            .with_context(|| format!("cannot read {}", positions_path.display()))?;
        let mut positions = positions.lines();
        for (id, path, line) in shard.origins() {
            let at: u64 = positions
                .next()
                .and_then(|p| p.parse().ok())
                .with_context(|| {
                    format!(
                        "{}: fewer positions than documents",
                        positions_path.display()
                    )
                })?;
            let origin = (id.to_owned(), path.to_owned(), line);
            shard_problems.before_document(&mut problems, at, Some(&mut ids), origin)?;
        }
        shard_problems.finish(&mut problems);
    }
    let done = Deduplicated::of_shards(options, &clusters, 0, shards)
        .context("the clusters do not fit the shards")?;
    super::warn_if_no_key(args, &done);
    let mut outputs = Outputs::default();
    if let Some(path) = &args.clusters {
        outputs.add(write_clusters(path, &done)?);
    }
    let mut stripped = 0;
    let mut examples: Vec<(u64, String)> = Vec::new();
    for (s, d) in kept_dirs.iter().enumerate() {
        let path = d.join("examples.json");
        let mut shard_examples: Vec<(u64, String)> =
            serde_json::from_reader(open(&path)?).with_context(|| format!("{}", path.display()))?;
        examples.append(&mut shard_examples);
        stripped += kept_stage.marker_summary(s as u32)?["stripped"]
            .as_u64()
            .unwrap_or(0);
    }
    if let Some(path) = &args.output {
        let mut out = AtomicFile::create(path)?;
        for d in &kept_dirs {
            std::io::copy(&mut open(&d.join("kept.jsonl"))?, &mut out)?;
        }
        outputs.add(out);
    }
    if let (Some(path), Some(repeated)) = (&args.lines, done.repeated()) {
        outputs.add(write_lines(path, &repeated_blocks(repeated, examples))?);
    }
    problems.commit_with(outputs)?;
    let archive = super::write_index(&done, index, lock)?;
    // Block hashes are always kept in a sharded run; the repeated lines are reported when
    // asked for, as in one run.
    let counting = args.lines.is_some() || args.strip_lines;
    let repeated = done
        .repeated()
        .filter(|_| counting)
        .map(|r| r.repeated().len());
    super::print_summary(args, &done, &problems, (repeated, archive), stripped)
}
