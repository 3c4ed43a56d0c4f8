//! Where the tests find the real corpora (`shared/data`) and the seed article
//! (`shared/seed`): the one helper every test crate includes by path
//! (`#[path = ".../testdata/shared.rs"] mod shared;`), so that all of them honour
//! `CORPUS_SHARED_DATA` and skip the same way.
//!
//! The corpora may only be read, never copied here (see their SOURCE.md). A clone without
//! them still passes `cargo test`: a test that needs them returns early, after one line on
//! stderr that says so. When the data folder is there but a file in it is missing, the test
//! fails instead: a renamed corpus must not turn into a silently skipped test.

#![allow(dead_code, unreachable_pub, clippy::print_stderr)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// The workspace root: the nearest folder above the crate that holds `Cargo.lock`.
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").exists())
        .unwrap_or(manifest)
        .to_path_buf()
}

/// The corpora folder: `CORPUS_SHARED_DATA` when set, otherwise `shared/data` beside the
/// checkout.
pub fn data_root() -> PathBuf {
    match std::env::var_os("CORPUS_SHARED_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("../shared/data"),
    }
}

/// `rel` inside the corpora folder, or `None` (the caller returns: the test is skipped) when
/// there is no corpora folder at all.
///
/// # Panics
///
/// When the corpora folder exists but `rel` is not in it.
pub fn data(rel: &str) -> Option<PathBuf> {
    let root = data_root();
    found(&root, &root.join(rel))
}

/// The seed article's folder (`shared/seed`, beside the corpora folder), or `None` as for
/// [`data`].
pub fn seed() -> Option<PathBuf> {
    let root = data_root();
    let seed = root
        .parent()
        .map_or_else(|| root.join("../seed"), |p| p.join("seed"));
    found(&root, &seed)
}

fn found(root: &Path, path: &Path) -> Option<PathBuf> {
    if path.exists() {
        return Some(path.to_path_buf());
    }
    assert!(
        !root.exists(),
        "{} is missing from {}: the corpora folder is there, so this is a broken path, not a \
         skipped test",
        path.display(),
        root.display()
    );
    // Past the test harness's capture, so that `cargo test` shows it.
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {} is not there (set CORPUS_SHARED_DATA to the corpora folder)",
        path.display()
    );
    None
}
