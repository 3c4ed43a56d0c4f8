//! `corpus status`: which shards of a sharded run are done, and the missing ones as an
//! `sbatch --array=` list to submit again.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::output::Sink;
use crate::run_dir::{RunDir, array_spec};
use crate::ui::Outcome;

/// Show which shards of a sharded run are done and which are missing
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus status --run /shared/runs/wire       done and missing shards
  sbatch --array=$(corpus status --run /shared/runs/wire --missing) stats.sbatch")]
pub(crate) struct StatusArgs {
    /// The run directory
    #[arg(long, value_name = "DIR")]
    run: PathBuf,
    /// Print only the missing shards, as an `sbatch --array=` list (nothing when none is)
    #[arg(long)]
    missing: bool,
}

pub(crate) fn run(args: &StatusArgs) -> Result<Outcome> {
    let (run, manifest) = RunDir::existing_any(&args.run)?;
    let command = manifest["command"].as_str().unwrap_or("?");
    // A deduplication runs in stages, each its own array; the first one not done is the one
    // to submit.
    let stages: Vec<(Option<&str>, RunDir)> = if command == "dedup" {
        let n = run.shards();
        [
            ("signatures", n),
            ("pairs", n),
            ("clusters", 1),
            ("kept", n),
        ]
        .into_iter()
        .map(|(name, tasks)| Ok((Some(name), run.stage(name, tasks)?)))
        .collect::<Result<_>>()?
    } else {
        vec![(None, run)]
    };
    let mut out = Sink::open(None)?;
    let pending = stages.iter().find(|(_, stage)| !stage.missing().is_empty());
    // A shard whose task runs now (it holds the shard's lock) is not to be submitted again.
    let idle = |stage: &RunDir| -> (Vec<u32>, Vec<u32>) {
        stage
            .missing()
            .into_iter()
            .partition(|&s| !stage.is_running(s))
    };
    if args.missing {
        let missing = pending.map(|(_, s)| idle(s).0).unwrap_or_default();
        writeln!(out, "{}", array_spec(&missing))?;
    } else {
        for (name, stage) in &stages {
            let (missing, running) = idle(stage);
            let done = stage.shards() as usize - missing.len() - running.len();
            let running = match running.len() {
                0 => String::new(),
                _ => format!(", running: {}", array_spec(&running)),
            };
            match name {
                None => writeln!(
                    out,
                    "corpus {command}: {done} of {} shards done{running}",
                    stage.shards()
                )?,
                Some(name) => writeln!(
                    out,
                    "corpus {command} --stage {name}: {done} of {} tasks done{running}",
                    stage.shards()
                )?,
            }
        }
        match pending {
            None => writeln!(
                out,
                "all done: corpus {command} --merge --run {}",
                args.run.display()
            )?,
            Some((name, stage)) => {
                let (missing, _) = idle(stage);
                let stage = name.map(|n| format!(" (--stage {n})")).unwrap_or_default();
                if missing.is_empty() {
                    writeln!(out, "running{stage}: wait for the tasks that run now")?;
                } else {
                    let missing = array_spec(&missing);
                    writeln!(out, "missing{stage}: {missing}")?;
                    writeln!(out, "resubmit: sbatch --array={missing} ...")?;
                }
            }
        }
    }
    out.flush()?;
    // Missing shards are what a script waiting on the run asks about.
    Ok(if pending.is_none() {
        Outcome::Success
    } else {
        Outcome::Problems
    })
}
