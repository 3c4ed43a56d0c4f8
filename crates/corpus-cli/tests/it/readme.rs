//! The README's examples, run as written: every `$ corpus ...` (and `$ cat ...`) line of a
//! `console` block is run in a scratch folder laid out like a checkout (`testdata/` and
//! `../shared` linked in), and what it prints (stdout and stderr, in order; stdout alone for a
//! pipeline) must be the lines that follow it, a line `...` standing for any number of lines. `cargo` lines are left to CI,
//! which runs them itself.

use std::path::Path;
use std::process::Command;

use crate::{root, shared_data};

/// One example: the command and the lines the README says it prints.
struct Example {
    line: usize,
    command: String,
    expected: Vec<String>,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_console = false;
    for (i, line) in readme.lines().enumerate() {
        if line.starts_with("```") {
            in_console = line == "```console";
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            let command = command.split("  #").next().unwrap_or(command).trim();
            out.push(Example {
                line: i + 1,
                command: command.to_owned(),
                expected: Vec::new(),
            });
        } else if let Some(example) = out.last_mut() {
            example.expected.push(line.to_owned());
        }
    }
    out
}

/// Whether `actual` is `expected`, each `...` line of which stands for any number of lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.trim() == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => {
            actual.first().is_some_and(|a| a == first) && matches(rest, &actual[1..])
        }
    }
}

fn has(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) {
    std::os::unix::fs::symlink(target, at).expect("a symbolic link");
}

#[cfg(unix)]
#[test]
fn readme_examples_print_what_the_readme_says() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let examples = examples(&readme);
    assert!(examples.len() >= 6, "the README's examples were not found");
    let scratch = tempfile::tempdir().expect("temp dir");
    let checkout = scratch.path().join("main");
    std::fs::create_dir(&checkout).expect("made");
    link(&root().join("testdata"), &checkout.join("testdata"));
    let shared = shared_data::data_root();
    let shared_there = shared.exists();
    if let Some(shared) = shared.parent().filter(|_| shared_there) {
        link(shared, &scratch.path().join("shared"));
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_corpus"))
        .parent()
        .expect("a folder");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for e in &examples {
        let skip = if e.command.starts_with("cargo ") {
            Some("CI runs cargo itself")
        } else if e.command.contains("../shared") && !shared_there {
            Some("the corpora are not there")
        } else if e.command.contains("| jq") && !has("jq") {
            Some("jq is not installed")
        } else {
            None
        };
        if let Some(why) = skip {
            eprintln!("README.md:{}: not run ({why}): {}", e.line, e.command);
            continue;
        }
        // Stdout and stderr in the order they were written; in a pipeline the last command's
        // output and the others' stderr would race, so there only stdout is compared.
        let script = if e.command.contains(" | ") {
            format!("{} 2>/dev/null", e.command)
        } else {
            format!("{{ {}; }} 2>&1", e.command)
        };
        let out = Command::new("sh")
            .arg("-c")
            .arg(script)
            .current_dir(&checkout)
            .env("PATH", &path)
            .output()
            .expect("sh runs");
        let text = String::from_utf8_lossy(&out.stdout);
        let actual: Vec<&str> = text.lines().collect();
        assert!(
            matches(&e.expected, &actual),
            "README.md:{}: `{}` prints\n{}\n--- but the README says\n{}",
            e.line,
            e.command,
            text,
            e.expected.join("\n")
        );
        ran += 1;
    }
    assert!(ran >= 4, "only {ran} examples ran");
}

#[test]
fn the_example_matcher_takes_dots_for_any_lines() {
    let lines = |s: &[&str]| s.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
    assert!(matches(&lines(&["a", "...", "d"]), &["a", "b", "c", "d"]));
    assert!(matches(&lines(&["a", "  ...", "b"]), &["a", "b"]));
    assert!(!matches(&lines(&["a", "d"]), &["a", "b", "d"]));
    assert!(!matches(&lines(&["a"]), &["a", "b"]));
    let found = examples("text\n```console\n$ corpus x  # note\nout\n$ cat y\n```\n$ not this\n");
    assert_eq!(found.len(), 2);
    assert_eq!(
        (found[0].command.as_str(), found[0].expected.len()),
        ("corpus x", 1)
    );
}
