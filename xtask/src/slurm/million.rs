//! `cargo xtask slurm --bench`: the million-document corpus through the cluster, timed.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::Cluster;
use super::dedup::{DEDUP_STAGES, dedup_script, submit_dedup};

/// The seconds a single run of `corpus ARGS FILES` takes, its stdout thrown away.
fn time_single(corpus: &Path, args: &[&str], files: &[&Path]) -> Result<f64> {
    let started = Instant::now();
    let status = Command::new(corpus)
        .args(args)
        .args(files)
        .stdout(Stdio::null())
        .status()?;
    if !status.success() {
        bail!("the single run failed: corpus {}", args.join(" "));
    }
    Ok(started.elapsed().as_secs_f64())
}

/// The seconds between the two times a task script printed (seconds since the epoch).
fn took(log: &Path) -> Result<f64> {
    let text = fs::read_to_string(log).with_context(|| format!("cannot read {}", log.display()))?;
    let mut numbers = text
        .split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok());
    let start = numbers.next().context("no start time")?;
    let end = numbers.next().context("no end time")?;
    Ok(end - start)
}

/// The longest time of the `tasks` tasks of an array whose logs are `logs/NAME-TASK.log`.
fn slowest_task(logs: &Path, name: &str, tasks: usize) -> Result<f64> {
    let mut longest: f64 = 0.0;
    for task in 0..tasks {
        longest = longest.max(took(&logs.join(format!("{name}-{task}.log")))?);
    }
    Ok(longest)
}

/// `corpus stats` of the generated 1M-document corpus (one JSON Lines file, read in 8 parts):
/// a single run against the array and the merge through Slurm, wall times and the slowest task.
pub(super) fn bench_million(
    cluster: &Cluster,
    root: &Path,
    work: &Path,
    corpus: &Path,
) -> Result<()> {
    let dir = crate::target_dir().join("bench/dedup-1000000");
    if !dir.join(".complete").exists() {
        let options = crate::generate::GenOptions {
            docs: 1_000_000,
            seed: 3,
            out: dir.clone(),
            format: crate::generate::OutFormat::Jsonl,
            copy_rate: 0.3,
            hard: false,
            foreign: None,
        };
        crate::generate::run(&options, &root.join("../shared/data"))?;
        fs::write(dir.join(".complete"), "")?;
    }
    let input = dir.join("corpus.jsonl");
    let c = corpus.display();
    let i = input.display();
    let mut singles = Vec::new();
    let mut sharded = Vec::new();
    let mut slowest = Vec::new();
    let mut merges = Vec::new();
    for round in 0..3 {
        singles.push(time_single(
            corpus,
            &["stats", "--quiet", "--json"],
            &[&input],
        )?);
        let run = work.join(format!("bench-run-{round}"));
        let _ = fs::remove_dir_all(&run);
        let logs = work.join(format!("bench-{round}"));
        let _ = fs::remove_dir_all(&logs);
        fs::create_dir_all(&logs)?;
        let script = logs.join("task.sbatch");
        fs::write(
            &script,
            format!(
                "#!/bin/sh
set -e
date +%s.%N
{c} stats --quiet --threads 1 --run {} {i}
date +%s.%N
",
                run.display()
            ),
        )?;
        let started = Instant::now();
        let array = cluster.array(
            "0-7",
            &logs.join("task"),
            &["--cpus-per-task=1"],
            &script,
            &run,
        )?;
        let merge = cluster.after(
            &array,
            &logs.join("merge.log"),
            &format!(
                "date +%s.%N; {c} stats --quiet --merge --run {} --json > /dev/null; date +%s.%N",
                run.display()
            ),
        )?;
        cluster.wait(&[&array, &merge], Duration::from_secs(1200))?;
        sharded.push(started.elapsed().as_secs_f64());
        let longest = slowest_task(&logs, "task", 8)?;
        slowest.push(longest);
        merges.push(took(&logs.join("merge.log"))?);
        eprintln!(
            "slurm: bench round {round}: single {:.2} s, 8 shards + merge {:.2} s (slowest task {longest:.2} s, merge {:.2} s)",
            singles[round], sharded[round], merges[round]
        );
    }
    let median = crate::bench::median;
    let dedup = bench_dedup_million(cluster, work, corpus, &input)?;
    println!(
        "| stats, 1,000,000 generated documents (one JSON Lines file) | wall time (median of 3) |\n|---|---:|\n\
         | single run (2 threads) | {:.2} s |\n\
         | 8 shards (1 thread each, 2 at a time) and merge, submit to merge done | {:.2} s |\n\
         | slowest shard task | {:.2} s |\n\
         | merge | {:.2} s |",
        median(singles),
        median(sharded),
        median(slowest),
        median(merges)
    );
    println!("\n{dedup}");
    Ok(())
}

/// `corpus dedup --clusters` (the default options, as `cargo xtask bench dedup`) of the 1M
/// documents: a single run against the four stages and the merge through Slurm; the slowest
/// task of each stage, and the clustering step's own time. Returns the table.
fn bench_dedup_million(
    cluster: &Cluster,
    work: &Path,
    corpus: &Path,
    input: &Path,
) -> Result<String> {
    let c = corpus.display();
    let mut singles = Vec::new();
    let mut sharded = Vec::new();
    let mut slowest: Vec<Vec<f64>> = vec![Vec::new(); DEDUP_STAGES.len()];
    let mut clustering = Vec::new();
    let mut merges = Vec::new();
    for round in 0..3 {
        let logs = work.join(format!("bench-dedup-{round}"));
        let _ = fs::remove_dir_all(&logs);
        fs::create_dir_all(&logs)?;
        let single = logs.join("single.csv");
        let args = ["dedup", "--quiet", "--clusters"];
        singles.push(time_single(corpus, &args, &[&single, input])?);
        let run = work.join(format!("bench-dedup-run-{round}"));
        let _ = fs::remove_dir_all(&run);
        let script = logs.join("task.sbatch");
        dedup_script(&script, corpus, "", input, "--threads 1")?;
        let merge = format!(
            "date +%s.%N; {c} dedup --quiet --merge --run {} --clusters {} > /dev/null; date +%s.%N",
            run.display(),
            logs.join("merged.csv").display()
        );
        let started = Instant::now();
        let one_cpu = ["--cpus-per-task=1"];
        let jobs = submit_dedup(cluster, &script, &run, &logs, None, &one_cpu, &merge)?;
        let refs: Vec<&str> = jobs.iter().map(String::as_str).collect();
        cluster.wait(&refs, Duration::from_secs(3600))?;
        sharded.push(started.elapsed().as_secs_f64());
        if fs::read(logs.join("single.csv"))? != fs::read(logs.join("merged.csv"))? {
            bail!("the 1M dedup merged is not the single run's clusters");
        }
        for (k, (stage, _)) in DEDUP_STAGES.iter().enumerate() {
            let tasks = if *stage == "clusters" { 1 } else { 8 };
            slowest[k].push(slowest_task(&logs, stage, tasks)?);
        }
        let marker: serde_json::Value =
            serde_json::from_slice(&fs::read(run.join("done/clusters/00000.json"))?)?;
        clustering.push(
            marker["summary"]["clustering_seconds"]
                .as_f64()
                .unwrap_or(0.0),
        );
        merges.push(took(&logs.join("merge.log"))?);
        eprintln!(
            "slurm: dedup bench round {round}: single {:.2} s, 4 stages + merge {:.2} s (slowest: signatures {:.2}, pairs {:.2}, clusters {:.2} of which clustering {:.2}, kept {:.2}; merge {:.2} s)",
            singles[round],
            sharded[round],
            slowest[0][round],
            slowest[1][round],
            slowest[2][round],
            clustering[round],
            slowest[3][round],
            merges[round]
        );
    }
    let median = crate::bench::median;
    let total = median(sharded.clone());
    let clustered = median(clustering.clone());
    let mut table = format!(
        "| dedup --clusters, 1,000,000 generated documents (one JSON Lines file) | wall time (median of 3) |\n|---|---:|\n\
         | single run (2 threads) | {:.2} s |\n\
         | 4 stages (arrays of 8, 1 thread each, 2 at a time) and merge, submit to merge done | {total:.2} s |\n",
        median(singles)
    );
    for (k, (stage, _)) in DEDUP_STAGES.iter().enumerate() {
        table.push_str(&format!(
            "| slowest {stage} task | {:.2} s |\n",
            median(slowest[k].clone())
        ));
    }
    table.push_str(&format!(
        "| clustering itself (in the clusters task) | {clustered:.2} s ({:.1} % of the sharded run) |\n| merge | {:.2} s |",
        100.0 * clustered / total,
        median(merges)
    ));
    Ok(table)
}
