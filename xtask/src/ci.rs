//! `cargo xtask ci`: formatting, lints, tests, docs, tidy checks and packaging, in that order.

use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// The library crates, each of which must package on its own.
const LIBRARIES: &[&str] = &["corpus-core", "corpus-parser"];

pub(crate) fn run() -> Result<()> {
    let started = Instant::now();
    step("format", cargo(&["fmt", "--all", "--check"]))?;
    step(
        "clippy",
        cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    step("test", cargo(&["test", "--workspace", "--locked"]))?;
    let mut doc = cargo(&["doc", "--workspace", "--no-deps", "--locked"]);
    doc.env("RUSTDOCFLAGS", "-D warnings");
    step("doc", doc)?;
    step(
        "tidy",
        cargo(&[
            "test",
            "--package",
            "xtask",
            "--locked",
            "--quiet",
            "--",
            "tidy",
        ]),
    )?;
    // Packaging builds each library from its packaged sources alone, which catches files
    // reached from outside the crate and dependencies the workspace hides.
    let mut package = cargo(&["package", "--locked"]);
    for lib in LIBRARIES {
        package.args(["--package", lib]);
    }
    if std::env::var_os("CI").is_none() {
        // Locally the tree may hold uncommitted work; CI checks a clean clone.
        package.arg("--allow-dirty");
    }
    step("package", package)?;
    eprintln!("ci: all checks passed in {:.0?}", started.elapsed());
    Ok(())
}

fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args).current_dir(crate::root());
    cmd
}

fn step(name: &str, mut cmd: Command) -> Result<()> {
    eprintln!("ci: {name}");
    let started = Instant::now();
    let status = cmd
        .status()
        .with_context(|| format!("cannot run {cmd:?}"))?;
    if !status.success() {
        bail!("{name} failed ({status})");
    }
    eprintln!("ci: {name} ok ({:.0?})", started.elapsed());
    Ok(())
}
