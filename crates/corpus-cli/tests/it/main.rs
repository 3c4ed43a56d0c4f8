//! Tests of the `corpus` binary: exit code, stdout and stderr, snapshotted together.

mod bad_input;
mod dedup;
mod dedup_shards;
mod parse;
mod readme;
mod report;
mod shards;
#[path = "../../../../testdata/shared.rs"]
pub(crate) mod shared_data;
mod stats;
mod views;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root, where tests run so that paths in output are relative and stable.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What one run of the binary did.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr in one text, for a snapshot.
    pub(crate) fn render(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `corpus` with `args` from the workspace root, with stdin empty.
pub(crate) fn corpus(args: &[&str]) -> Run {
    corpus_in(&root(), args, None)
}

/// Runs `corpus` with `args` in `dir`, with `stdin` (or nothing) on standard input.
pub(crate) fn corpus_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_corpus"))
        .args(args)
        .current_dir(dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        // The child may stop reading early; that is its business.
        let _ = std::io::Write::write_all(&mut pipe, bytes);
    }
    let out = child.wait_with_output().expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `shared/data/<rel>` as an argument, relative to the workspace root when it is beside the
/// checkout; `None` when the corpora are not there (see `testdata/shared.rs`).
pub(crate) fn shared(rel: &str) -> Option<String> {
    shared_data::data(rel).map(|path| relative(&path))
}

/// The seed article's folder as an argument, as for [`shared`].
pub(crate) fn seed() -> Option<String> {
    shared_data::seed().map(|path| relative(&path))
}

fn relative(path: &Path) -> String {
    let root = shared_data::workspace_root();
    match path.strip_prefix(&root) {
        Ok(rel) => rel.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}
