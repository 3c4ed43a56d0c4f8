//! `cargo xtask`: the workspace's automation, in Rust so that it runs wherever cargo does.
//!
//! - `cargo xtask ci`: every check CI runs, in order, stopping at the first failure.
//! - `cargo xtask gen --docs N [--seed S] [--format jsonl|articles|tar] [--copy-rate R] [--out DIR]`:
//!   a generated corpus with planted wire copies and `truth.csv` (default folder
//!   `target/gen/docs-N-seed-S`).
//! - `cargo xtask bench [parse|stats|dedup|memory|all] [--size smoke|full] [--runs N] [--write]`: the
//!   benchmarks, against references measured in the same run.
//! - `cargo xtask examples`: the libraries' examples on the Reuters articles, checked against
//!   what the `corpus` binary says of them.
//! - `cargo xtask tune [--write]`: the dedup settings of `--preset news`, chosen on labelled data
//!   and recorded in TUNING.md.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bench;
mod bombs;
mod ci;
mod examples;
mod generate;
#[cfg(test)]
#[path = "../../testdata/shared.rs"]
mod shared_data;
#[cfg(test)]
mod tidy;
mod tune;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci::run(),
        Some("gen") => {
            gen_args(&args[1..]).and_then(|o| generate::run(&o, &root().join("../shared/data")))
        }
        Some("bench") => bench_args(&args[1..]).and_then(|o| bench::run(&o)),
        Some("examples") => examples::run(),
        Some("tune") => tune::run(args.iter().any(|a| a == "--write")),
        _ => {
            eprintln!(
                "usage: cargo xtask ci | examples | gen --docs N [--out DIR] [--seed S] [--format F] | bench [WHAT] [--size S]"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The value after `flag`, if the flag is there.
fn flag<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

fn gen_args(args: &[String]) -> anyhow::Result<generate::GenOptions> {
    use anyhow::Context;
    let docs = flag(args, "--docs")
        .context("gen needs --docs N")?
        .parse()
        .context("--docs takes a number")?;
    let out = PathBuf::from(flag(args, "--out").context("gen needs --out DIR")?);
    Ok(generate::GenOptions {
        docs,
        seed: flag(args, "--seed")
            .unwrap_or("1")
            .parse()
            .context("--seed takes a number")?,
        out,
        format: generate::OutFormat::parse(flag(args, "--format").unwrap_or("jsonl"))?,
        copy_rate: flag(args, "--copy-rate")
            .unwrap_or("0.3")
            .parse()
            .context("--copy-rate takes a number")?,
        hard: args.iter().any(|a| a == "--hard"),
    })
}

fn bench_args(args: &[String]) -> anyhow::Result<bench::BenchOptions> {
    use anyhow::{Context, bail};
    let what = args
        .first()
        .filter(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "all".into());
    if !["all", "parse", "stats", "dedup", "memory"].contains(&what.as_str()) {
        bail!("bench takes parse, stats, dedup, memory or all, not {what:?}");
    }
    let size = match flag(args, "--size").unwrap_or("full") {
        "smoke" => bench::Size::Smoke,
        "full" => bench::Size::Full,
        other => bail!("--size takes smoke or full, not {other:?}"),
    };
    Ok(bench::BenchOptions {
        what,
        size,
        runs: flag(args, "--runs")
            .unwrap_or("3")
            .parse()
            .context("--runs takes a number")?,
        write: args.iter().any(|a| a == "--write"),
    })
}

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Where cargo builds: `CARGO_TARGET_DIR` (relative to the workspace root when relative), or
/// `target` in the workspace root.
pub(crate) fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}
