//! Sets `CORPUS_VERSION`: the package version, and the commit it was built from when git can
//! say (`0.1.0 (1a2b3c4)`, with `-modified` for a tree with changes). A build without git, or
//! from a packaged crate, is the version alone: this never fails.

use std::process::Command;

fn main() {
    let version = env!("CARGO_PKG_VERSION");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let full = match git(&["rev-parse", "--short=9", "HEAD"]) {
        Some(commit) if !commit.is_empty() => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            let modified = if dirty { "-modified" } else { "" };
            format!("{version} ({commit}{modified})")
        }
        _ => version.to_owned(),
    };
    println!("cargo:rustc-env=CORPUS_VERSION={full}");
    // Again when the commit moves; the index changes with every staged edit.
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        println!("cargo:rerun-if-changed={dir}/HEAD");
        println!("cargo:rerun-if-changed={dir}/index");
        if let Some(head) = git(&["symbolic-ref", "-q", "HEAD"]) {
            println!("cargo:rerun-if-changed={dir}/{head}");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
