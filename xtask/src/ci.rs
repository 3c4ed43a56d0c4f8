//! `cargo xtask ci`: formatting, lints, tests, docs, tidy checks and packaging, in that order.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// Where `cargo package` verifies the libraries, apart from the workspace's own builds.
const PACKAGE_TARGET: &str = "target/package-check";

/// The library crates, each of which must package on its own.
const LIBRARIES: &[&str] = &[
    "corpus-core",
    "corpus-parser",
    "corpus-stats",
    "corpus-dedup",
    "corpus-report",
];

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
    // The parser as a library user gets it by default (no `parquet` feature, which the CLI
    // turns on for the workspace), and with no feature at all.
    step(
        "test corpus-parser alone",
        cargo(&["test", "--package", "corpus-parser", "--locked", "--quiet"]),
    )?;
    step(
        "clippy corpus-parser without features",
        cargo(&[
            "clippy",
            "--package",
            "corpus-parser",
            "--no-default-features",
            "--lib",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    let mut doc = cargo(&["doc", "--workspace", "--no-deps", "--locked"]);
    doc.env("RUSTDOCFLAGS", "-D warnings");
    step("doc", doc)?;
    // Each library alone, as docs.rs builds it: a link that resolves only beside the others
    // fails here.
    for lib in LIBRARIES {
        let mut doc = cargo(&[
            "doc",
            "--package",
            lib,
            "--all-features",
            "--no-deps",
            "--locked",
        ]);
        doc.env("RUSTDOCFLAGS", "-D warnings");
        step(&format!("doc {lib}"), doc)?;
    }
    unrendered_links()?;
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
    let home = private_cargo_home()?;
    let mut package = cargo(&["package", "--locked"]);
    package.env("CARGO_TARGET_DIR", crate::root().join(PACKAGE_TARGET));
    package.env("CARGO_HOME", &home);
    for lib in LIBRARIES {
        package.args(["--package", lib]);
    }
    if std::env::var_os("CI").is_none() {
        // Locally the tree may hold uncommitted work; CI checks a clean clone.
        package.arg("--allow-dirty");
    }
    step("package", package)?;
    // A crate user gets what the CLI gives: the examples against the binary on Reuters. These
    // two compare outputs, not speed: they run the test-profile build `cargo test` made (a release
    // build would add six minutes on 2 cores).
    let mut examples = cargo(&["xtask", "examples"]);
    examples.env("CORPUS_CHECK_PROFILE", "dev");
    step("examples", examples)?;
    // The benchmark harness at its smallest size: proves it still runs end to end, in seconds.
    let mut smoke = cargo(&["xtask", "bench", "all", "--size", "smoke"]);
    smoke.env("CORPUS_CHECK_PROFILE", "dev");
    step("bench (smoke)", smoke)?;
    eprintln!("ci: all checks passed in {:.0?}", started.elapsed());
    Ok(())
}

/// Fails when a library's rendered docs show a link as text (`[<code>corpus_core::Document</code>]`):
/// rustdoc leaves some unresolvable links as written without a warning.
fn unrendered_links() -> Result<()> {
    let docs = crate::target_dir().join("doc");
    let mut found = Vec::new();
    for lib in LIBRARIES {
        let dir = docs.join(lib.replace('-', "_"));
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "html") {
                    let html = std::fs::read_to_string(&path).unwrap_or_default();
                    if html.contains("[<code>") {
                        found.push(path.display().to_string());
                    }
                }
            }
        }
    }
    if !found.is_empty() {
        bail!("links rendered as text (`[<code>...`) in {found:#?}");
    }
    eprintln!("ci: no link rendered as text in the libraries' docs");
    Ok(())
}

/// A cargo home of the packaging's own, in `target/`, holding a copy of the user's registry
/// index and downloaded crates (and their cargo configuration).
///
/// To verify a crate that depends on another unpublished one, cargo packages both and serves
/// them from a local registry that stands in for crates.io, extracting them into
/// `$CARGO_HOME/registry/src` like downloaded crates. An extracted copy is reused while the
/// version stays the same, so a second run would build against the first run's sources, and
/// the crates compiled from them are reused too (registry sources count as immutable). Those
/// copies were once removed from the user's own cargo home, which a check must never change:
/// now they are made in this one, made anew each run, with its own target folder.
fn private_cargo_home() -> Result<PathBuf> {
    let root = crate::root();
    let home = root.join("target/package-home");
    for stale in [
        root.join("target/package"),
        root.join(PACKAGE_TARGET),
        home.clone(),
    ] {
        if stale.exists() {
            std::fs::remove_dir_all(&stale)
                .with_context(|| format!("cannot remove {}", stale.display()))?;
        }
    }
    std::fs::create_dir_all(home.join("registry"))?;
    let user = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(user) = user {
        // The index and the downloaded crates, so nothing is downloaded again: the index
        // copied (cargo rewrites its entries in place), the crates hard-linked where the file
        // system allows (cargo never rewrites a downloaded crate).
        for (part, link) in [("index", false), ("cache", true)] {
            let from = user.join("registry").join(part);
            if from.is_dir() {
                copy_tree(&from, &home.join("registry").join(part), link)?;
            }
        }
        for config in ["config.toml", "config"] {
            if user.join(config).is_file() {
                std::fs::copy(user.join(config), home.join(config))?;
            }
        }
    }
    Ok(home)
}

/// Copies the tree at `from` to `to`, files hard-linked where possible with `link`.
fn copy_tree(from: &Path, to: &Path, link: bool) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_tree(&source, &target, link)?;
        } else if kind.is_file() && !(link && std::fs::hard_link(&source, &target).is_ok()) {
            std::fs::copy(&source, &target)
                .with_context(|| format!("cannot copy {}", source.display()))?;
        }
    }
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
