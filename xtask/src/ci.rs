//! `cargo xtask ci`: formatting, lints, tests, docs, tidy checks and packaging, in that order.

use std::path::PathBuf;
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
    forget_packaged_copies()?;
    let mut package = cargo(&["package", "--locked"]);
    package.env("CARGO_TARGET_DIR", crate::root().join(PACKAGE_TARGET));
    for lib in LIBRARIES {
        package.args(["--package", lib]);
    }
    if std::env::var_os("CI").is_none() {
        // Locally the tree may hold uncommitted work; CI checks a clean clone.
        package.arg("--allow-dirty");
    }
    step("package", package)?;
    // A crate user gets what the CLI gives: the examples against the binary on Reuters. These
    // two compare outputs, not speed: they run the dev build `cargo test` made (a release
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

/// Removes the copies of our library crates that earlier `cargo package` runs left behind.
///
/// To verify a crate that depends on another unpublished one, cargo packages both and serves
/// them from a local registry that stands in for crates.io, extracting them into
/// `$CARGO_HOME/registry/src` like downloaded crates. An extracted copy is reused while the
/// version stays the same, so a second run would build against the first run's sources, and
/// the crates compiled from them are reused too (registry sources count as immutable): hence
/// the verification builds in a target folder of its own, removed here as well.
fn forget_packaged_copies() -> Result<()> {
    let mut stale = vec![
        crate::root().join("target/package"),
        crate::root().join(PACKAGE_TARGET),
    ];
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(home) = cargo_home {
        for kind in ["src", "cache"] {
            let Ok(registries) = std::fs::read_dir(home.join("registry").join(kind)) else {
                continue;
            };
            for registry in registries.flatten() {
                let Ok(entries) = std::fs::read_dir(registry.path()) else {
                    continue;
                };
                for entry in entries.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if LIBRARIES
                        .iter()
                        .any(|lib| name.starts_with(&format!("{lib}-")))
                    {
                        stale.push(entry.path());
                    }
                }
            }
        }
    }
    for path in stale.into_iter().filter(|p| p.exists()) {
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.with_context(|| format!("cannot remove {}", path.display()))?;
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
