//! The dedup stages over the Reuters articles on the cluster, against one run.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::{Cluster, killed, same, the_killed_shard};

/// The outputs of a dedup run written into `dir`: the summary, kept documents, clusters, lines.
fn dedup_outputs(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    ["dedup.json", "kept.jsonl", "clusters.csv", "lines.csv"]
        .into_iter()
        .map(|name| {
            let path = dir.join(name);
            Ok((
                name.to_owned(),
                fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?,
            ))
        })
        .collect()
}

/// The stages of a sharded dedup: name and array (`clusters` is one task).
pub(super) const DEDUP_STAGES: [(&str, &str); 4] = [
    ("signatures", "0-7%2"),
    ("pairs", "0-7%2"),
    ("clusters", "0"),
    ("kept", "0-7%2"),
];

/// Writes the task script of every dedup stage (the stage from `$STAGE`): with `KILL_TASK`
/// set, that signatures task is killed with SIGKILL once it has started, as for stats.
pub(super) fn dedup_script(
    path: &Path,
    corpus: &Path,
    options: &str,
    input: &Path,
    threads: &str,
) -> Result<()> {
    let (c, i) = (corpus.display(), input.display());
    let command = format!("{c} dedup --quiet {threads} {options} --run \"$1\" --stage $STAGE $in");
    fs::write(
        path,
        format!(
            "#!/bin/sh\nset -e\ndate +%s.%N\n\
             case \"$STAGE\" in signatures|kept) in={i};; *) in=;; esac\n\
             if [ \"$STAGE\" = signatures ] && [ \"$SLURM_ARRAY_TASK_ID\" = \"${{KILL_TASK:-none}}\" ]; then\n{}fi\n\
             {command}\n\
             date +%s.%N\n",
            killed(&command, "signatures")
        ),
    )?;
    Ok(())
}

/// Submits the stages (the first as `first_array` when given), each after the one before (`afterok`), then the merge
/// (`merge`, a shell command); the job ids, the merge's last.
pub(super) fn submit_dedup(
    cluster: &Cluster,
    script: &Path,
    run: &Path,
    logs: &Path,
    first_array: Option<&str>,
    extra: &[&str],
    merge: &str,
) -> Result<Vec<String>> {
    let mut jobs: Vec<String> = Vec::new();
    for (k, (stage, spec)) in DEDUP_STAGES.iter().enumerate() {
        let spec = if k == 0 {
            first_array.unwrap_or(spec)
        } else {
            spec
        };
        let export = format!("--export=ALL,STAGE={stage}");
        let mut args: Vec<String> = vec![export];
        if let Some(kill) = extra.iter().find(|e| e.starts_with("KILL_TASK=")) {
            args[0] = format!("{},{kill}", args[0]);
        }
        args.extend(
            extra
                .iter()
                .filter(|e| !e.starts_with("KILL_TASK="))
                .map(|e| e.to_string()),
        );
        if let Some(before) = jobs.last() {
            args.push(format!("--dependency=afterok:{before}"));
            args.push("--kill-on-invalid-dep=yes".into());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let id = cluster.array(spec, &logs.join(stage), &args, script, run)?;
        jobs.push(id);
    }
    let last = jobs.last().context("no stage submitted")?.clone();
    jobs.push(cluster.after(&last, &logs.join("merge.log"), merge)?);
    Ok(jobs)
}

/// `corpus dedup --preset news` of the Reuters articles in 8 shards through the four stages
/// and the merge, each stage an array after the one before; then with signatures task 3
/// killed, resubmitted from `corpus status --missing`. Both equal the single run, byte for
/// byte.
pub(super) fn dedup_on_reuters(
    cluster: &Cluster,
    work: &Path,
    corpus: &Path,
    reuters: &Path,
) -> Result<()> {
    let c = corpus.display();
    let options = "--preset news --min-docs 3";
    let single = work.join("dedup-single");
    fs::create_dir_all(&single)?;
    let merge_into = |run: &Path, out: &Path| -> Result<String> {
        fs::create_dir_all(out)?;
        let (r, o) = (run.display(), out.display());
        Ok(format!(
            "{c} dedup --quiet {options} --merge --run {r} --json -o {o}/kept.jsonl --clusters {o}/clusters.csv --lines {o}/lines.csv > {o}/dedup.json"
        ))
    };
    let s = single.display();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{c} dedup --quiet {options} --json -o {s}/kept.jsonl --clusters {s}/clusters.csv --lines {s}/lines.csv {} > {s}/dedup.json",
            reuters.display()
        ))
        .status()?;
    if !status.success() {
        bail!("the single dedup run failed");
    }
    let single = dedup_outputs(&single)?;
    let script = work.join("dedup.sbatch");
    dedup_script(&script, corpus, options, reuters, "")?;
    // Submits the stages and the merge of `run` (logs in `logs`) and waits for them.
    let submit_and_wait = |run: &Path, out: &Path, logs: &str, again: Option<&str>, extra| {
        let logs = work.join(logs);
        fs::create_dir_all(&logs)?;
        let merge = merge_into(run, out)?;
        let jobs = submit_dedup(cluster, &script, run, &logs, again, extra, &merge)?;
        eprintln!("slurm: dedup: submitted {}", jobs.join(", "));
        let refs: Vec<&str> = jobs.iter().map(String::as_str).collect();
        cluster.wait(&refs, Duration::from_secs(600))
    };

    // The four stages (arrays of 8, 2 at a time, each afterok) and the merge.
    let (run, out) = (work.join("dedup-run-1"), work.join("dedup-merged-1"));
    let started = Instant::now();
    submit_and_wait(&run, &out, "dedup-logs-1", None, &[])?;
    eprintln!(
        "slurm: dedup: stages and merge done in {:.1?}",
        started.elapsed()
    );
    same(
        &dedup_outputs(&out)?,
        &single,
        "dedup: 8 shards in 4 stages merged",
    )?;

    // Signatures task 3 killed: every later stage is cancelled; status names the task; its
    // resubmission and the stages after it complete the run.
    let (run, out) = (work.join("dedup-run-2"), work.join("dedup-merged-2"));
    submit_and_wait(&run, &out, "dedup-logs-2", None, &["KILL_TASK=3"])?;
    if out.join("dedup.json").exists() && fs::metadata(out.join("dedup.json"))?.len() > 0 {
        bail!("the dedup merge ran although a task had failed");
    }
    let status = Command::new(corpus)
        .args(["status", "--run"])
        .arg(&run)
        .output()?;
    eprint!(
        "slurm: corpus status:\n{}",
        String::from_utf8_lossy(&status.stdout)
    );
    let missing = the_killed_shard(corpus, &run)?;
    eprintln!(
        "slurm: dedup: resubmitting signatures --array={missing}, then the later stages and the merge"
    );
    submit_and_wait(&run, &out, "dedup-logs-3", Some(&missing), &[])?;
    same(
        &dedup_outputs(&out)?,
        &single,
        "dedup: after signatures task 3 was killed and resubmitted",
    )?;
    Ok(())
}
