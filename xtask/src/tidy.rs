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
/// stats and dedup use only the core (stats and dedup never each other); the report sits
/// above them, where they meet; nothing uses the CLI.
fn allowed(krate: &str) -> &'static [&'static str] {
    match krate {
        "corpus-core" => &[],
        "corpus-parser" | "corpus-stats" | "corpus-dedup" => &["corpus-core"],
        "corpus-report" => &[
            "corpus-core",
            "corpus-parser",
            "corpus-stats",
            "corpus-dedup",
        ],
        "corpus-cli" => &[
            "corpus-core",
            "corpus-parser",
            "corpus-stats",
            "corpus-dedup",
            "corpus-report",
        ],
        _ => &[],
    }
}

/// Only the binary prints, parses arguments or uses anyhow.
const CLI_ONLY: &[&str] = &["clap", "indicatif", "anyhow"];

fn library_crates() -> Vec<String> {
    crates().into_iter().filter(|c| c != "corpus-cli").collect()
}

/// The workspace's packages, as `cargo metadata` describes them.
fn metadata() -> serde_json::Value {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
}

/// The crates under `crates/`, by package name, sorted.
fn crates() -> Vec<String> {
    let crates_dir = root().join("crates");
    let mut names: Vec<String> = packages(&metadata())
        .into_iter()
        .filter(|(_, dir, _)| dir.starts_with(&crates_dir))
        .map(|(name, _, _)| name)
        .collect();
    names.sort();
    names
}

/// Each package of a `cargo metadata` document: its name, its folder, and the names of its
/// normal and build dependencies (not dev ones).
fn packages(metadata: &serde_json::Value) -> Vec<(String, PathBuf, Vec<String>)> {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let manifest = PathBuf::from(text(&p["manifest_path"]));
            let dir = manifest.parent().map(Path::to_path_buf).unwrap_or_default();
            let deps = p["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|d| d["kind"].as_str() != Some("dev"))
                .map(|d| text(&d["name"]))
                .collect();
            (text(&p["name"]), dir, deps)
        })
        .collect()
}

/// The normal and build dependencies of one crate of the workspace.
fn dependencies(krate: &str) -> Vec<String> {
    packages(&metadata())
        .into_iter()
        .find(|(name, _, _)| name == krate)
        .map(|(_, _, deps)| deps)
        .unwrap_or_default()
}

/// The source files of a crate's library (`src/`), where the rules on threads and files
/// hold; tests and benchmarks may do as they need.
fn library_sources(krate: &str) -> Vec<PathBuf> {
    let src = root().join("crates").join(krate).join("src");
    files(&src)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| p.file_name().is_none_or(|n| n != "tests.rs"))
        .collect()
}

/// The places in the libraries' sources (but those `skip` names) where one of `words` is used,
/// outside comments, as `path:line: code`.
fn uses_in_libraries(words: &[&str], skip: impl Fn(&Path) -> bool) -> Vec<String> {
    let mut found = Vec::new();
    for krate in library_crates() {
        for path in library_sources(&krate) {
            if skip(&path) {
                continue;
            }
            for hit in uses(&read(&path), words) {
                found.push(format!("{}:{hit}", path.display()));
            }
        }
    }
    found
}

/// The places in `text` where one of `words` is used, outside comments.
fn uses(text: &str, words: &[&str]) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let code = line.split("//").next().unwrap_or_default();
            words.iter().any(|w| code.contains(w))
        })
        .map(|(i, line)| format!("{}: {}", i + 1, line.trim()))
        .collect()
}

/// What builds a thread pool: only the binary decides how many threads a run has.
const POOL_BUILDERS: &[&str] = &["ThreadPoolBuilder", "ThreadPool::new"];

/// What touches the filesystem.
const FILESYSTEM: &[&str] = &[
    "std::fs",
    "fs::",
    "File::",
    "OpenOptions",
    "walkdir",
    "tempfile",
];

#[test]
fn tidy_only_the_cli_builds_a_thread_pool() {
    let found = uses_in_libraries(POOL_BUILDERS, |_| false);
    assert!(
        found.is_empty(),
        "libraries run on their caller's pool and build none: {found:#?}"
    );
}

#[test]
fn tidy_only_the_reading_side_touches_the_filesystem() {
    let parser = root().join("crates/corpus-parser/src");
    let reading_side = |p: &Path| p == parser.join("read.rs") || p.starts_with(parser.join("read"));
    // The one other file a library owns: a dedup index (`corpus_dedup::index`), whose
    // generations are written beside it and renamed into place under a lock. That safety is
    // the library's to give every user of the crate, not each caller's to rebuild; the index
    // reads no corpus. Only its file handling is there: `index.rs` opens and reads it,
    // `index/write.rs` locks, writes and renames.
    let dedup = root().join("crates/corpus-dedup/src");
    let index_file = |p: &Path| p == dedup.join("index.rs") || p == dedup.join("index/write.rs");
    let found = uses_in_libraries(FILESYSTEM, |p| reading_side(p) || index_file(p));
    assert!(
        found.is_empty(),
        "only corpus-parser's reading side (read.rs, read/), a dedup index's file (index.rs, index/write.rs) and the CLI touch the filesystem: {found:#?}"
    );
}

#[test]
fn tidy_dependency_direction() {
    let mut wrong = Vec::new();
    for krate in crates() {
        for dep in dependencies(&krate) {
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
    let metadata = serde_json::json!({"packages": [{
        "name": "x",
        "manifest_path": "/w/crates/x/Cargo.toml",
        "dependencies": [
            {"name": "corpus-core", "kind": null},
            {"name": "clap", "kind": null},
            {"name": "cc", "kind": "build"},
            {"name": "insta", "kind": "dev"},
        ],
    }]});
    let (name, dir, deps) = &packages(&metadata)[0];
    assert_eq!(
        (name.as_str(), dir.as_path()),
        ("x", Path::new("/w/crates/x"))
    );
    assert_eq!(deps, &["corpus-core", "clap", "cc"]);
    assert!(dependencies("corpus-stats").contains(&"corpus-core".to_owned()));
    assert_eq!(
        uses("let p = rayon::ThreadPoolBuilder::new();", POOL_BUILDERS).len(),
        1
    );
    assert!(uses("// a ThreadPoolBuilder in a comment", POOL_BUILDERS).is_empty());
    assert_eq!(
        uses("x\nlet f = std::fs::File::open(p);", FILESYSTEM),
        ["2: let f = std::fs::File::open(p);"]
    );
    assert!(!allowed("corpus-stats").contains(&"corpus-dedup"));
    assert_eq!(
        normalise(Path::new("/a/b/../c/./d")),
        PathBuf::from("/a/c/d")
    );
    assert!(crates().contains(&"corpus-cli".to_owned()));
}
