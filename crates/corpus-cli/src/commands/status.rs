//! `corpus status`: which shards of a sharded run are done, and the missing ones as an
//! `sbatch --array=` list to submit again.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::Outcome;
use crate::output::Sink;
use crate::run_dir::{RunDir, array_spec};

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
    let missing = run.missing();
    let mut out = Sink::open(None)?;
    if args.missing {
        writeln!(out, "{}", array_spec(&missing))?;
    } else {
        let command = manifest["command"].as_str().unwrap_or("?");
        let done = run.shards() as usize - missing.len();
        writeln!(
            out,
            "corpus {command}: {done} of {} shards done",
            run.shards()
        )?;
        if missing.is_empty() {
            writeln!(
                out,
                "all done: corpus {command} --merge --run {}",
                args.run.display()
            )?;
        } else {
            writeln!(out, "missing: {}", array_spec(&missing))?;
            writeln!(out, "resubmit: sbatch --array={} ...", array_spec(&missing))?;
        }
    }
    out.flush()?;
    // Missing shards are what a script waiting on the run asks about.
    Ok(if missing.is_empty() {
        Outcome::Success
    } else {
        Outcome::Problems
    })
}
