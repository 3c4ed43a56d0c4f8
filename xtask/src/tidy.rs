//! Tidy checks, run as tests: the conventions of STYLE.md that a compiler does not enforce.

use std::fs;
use std::path::{Path, PathBuf};

use crate::root;

/// Every file below `dir` (skipping `target` and hidden folders), sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "target" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn rust_files() -> Vec<PathBuf> {
    let root = root();
    let mut all = files(&root.join("crates"));
    all.extend(files(&root.join("xtask")));
    all.retain(|p| p.extension().is_some_and(|e| e == "rs"));
    all
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn tidy_every_rust_file_opens_with_a_module_doc() {
    let missing: Vec<_> = rust_files()
        .into_iter()
        .filter(|p| {
            let text = read(p);
            let first = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or_default();
            !first.starts_with("//!")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "files without a `//!` opening line: {missing:#?}"
    );
}

#[test]
fn tidy_library_crates_deny_missing_docs() {
    for lib in library_crates() {
        let text = read(&root().join("crates").join(&lib).join("src/lib.rs"));
        assert!(
            text.contains("#![deny(missing_docs)]"),
            "{lib}: lib.rs lacks #![deny(missing_docs)]"
        );
    }
}

#[test]
fn tidy_no_pending_snapshots() {
    let pending: Vec<_> = files(&root())
        .into_iter()
        .filter(|p| {
            let name = p.to_string_lossy();
            name.ends_with(".snap.new") || name.ends_with(".pending-snap")
        })
        .collect();
    assert!(
        pending.is_empty(),
        "pending insta snapshots, review them: {pending:#?}"
    );
}

#[test]
fn tidy_no_ignored_or_should_panic_tests() {
    // Spelled in pieces so that this file does not match itself.
    let banned = [concat!("#[", "ignore"), concat!("#[", "should_panic")];
    let mut found = Vec::new();
    for path in rust_files() {
        let text = read(&path);
        for b in banned {
            if text.contains(b) {
                found.push(format!("{}: {b}", path.display()));
            }
        }
    }
    assert!(found.is_empty(), "tests must run and assert: {found:#?}");
}

/// The crates each crate may depend on, from STYLE.md: the CLI uses everything; the parser,
/// stats and dedup use only the core; nothing uses the CLI.
fn allowed(krate: &str) -> &'static [&'static str] {
    match krate {
        "corpus-core" => &[],
        "corpus-parser" | "corpus-stats" | "corpus-dedup" => &["corpus-core"],
        "corpus-cli" => &[
            "corpus-core",
            "corpus-parser",
            "corpus-stats",
            "corpus-dedup",
        ],
        _ => &[],
    }
}

/// Only the binary prints, parses arguments or uses anyhow.
const CLI_ONLY: &[&str] = &["clap", "indicatif", "anyhow"];

fn library_crates() -> Vec<String> {
    crates().into_iter().filter(|c| c != "corpus-cli").collect()
}

fn crates() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root().join("crates"))
        .expect("crates/ exists")
        .flatten()
        .filter(|e| e.path().join("Cargo.toml").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The names under `[dependencies]` and `[build-dependencies]` of a manifest (not dev ones).
fn dependencies(manifest: &str) -> Vec<String> {
    let mut deps = Vec::new();
    let mut in_deps = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]" || line == "[build-dependencies]";
            continue;
        }
        if in_deps
            && !line.is_empty()
            && !line.starts_with('#')
            && let Some(name) = line.split(['=', '.']).next()
        {
            deps.push(name.trim().to_owned());
        }
    }
    deps
}

#[test]
fn tidy_dependency_direction() {
    let mut wrong = Vec::new();
    for krate in crates() {
        let manifest = read(&root().join("crates").join(&krate).join("Cargo.toml"));
        for dep in dependencies(&manifest) {
            let internal = dep.starts_with("corpus-");
            if internal && !allowed(&krate).contains(&dep.as_str()) {
                wrong.push(format!("{krate} must not depend on {dep}"));
            }
            if krate != "corpus-cli" && CLI_ONLY.contains(&dep.as_str()) {
                wrong.push(format!(
                    "{krate} must not depend on {dep}: only the CLI does"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn tidy_includes_stay_inside_their_crate() {
    let mut outside = Vec::new();
    for krate in crates() {
        let crate_dir = root().join("crates").join(&krate);
        for path in files(&crate_dir)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        {
            let text = read(&path);
            for (i, _) in text.match_indices("include_") {
                let rest = &text[i..];
                let Some(open) = rest.find("!(\"") else {
                    continue;
                };
                if !rest[..open]
                    .chars()
                    .all(|c| c.is_ascii_alphabetic() || c == '_')
                {
                    continue;
                }
                let arg = &rest[open + 3..];
                let Some(close) = arg.find('"') else { continue };
                let target = normalise(
                    &path
                        .parent()
                        .expect("a file has a folder")
                        .join(&arg[..close]),
                );
                if !target.starts_with(&crate_dir) {
                    outside.push(format!("{} includes {}", path.display(), target.display()));
                }
            }
        }
    }
    assert!(
        outside.is_empty(),
        "include_*! outside the crate breaks cargo package: {outside:#?}"
    );
}

/// Resolves `..` and `.` without touching the filesystem.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn tidy_checks_see_violations() {
    // The checks above pass vacuously if their parsing is wrong; pin it on made-up input.
    let manifest = "[package]\nname = \"x\"\n[dependencies]\ncorpus-core.workspace = true\nclap = \"4\"\n[dev-dependencies]\ninsta = \"1\"\n";
    assert_eq!(dependencies(manifest), ["corpus-core", "clap"]);
    assert!(!allowed("corpus-stats").contains(&"corpus-dedup"));
    assert_eq!(
        normalise(Path::new("/a/b/../c/./d")),
        PathBuf::from("/a/c/d")
    );
    assert!(crates().contains(&"corpus-cli".to_owned()));
}
