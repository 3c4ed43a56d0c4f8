//! Tests of the `corpus` binary: exit code, stdout and stderr, snapshotted together.

mod bad_input;
mod dedup;
mod dedup_shards;
mod index;
mod parse;
mod readme;
mod report;
mod select;
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

    /// Asserts that the run ended with `code` and that its stderr says `text`; shows the whole
    /// run where not.
    #[track_caller]
    pub(crate) fn assert_stderr(&self, code: i32, text: &str) {
        assert_eq!(self.code, code, "{}", self.render());
        assert!(self.stderr.contains(text), "{}", self.render());
    }
}

/// Runs `corpus` with `args` from the workspace root, with stdin empty.
pub(crate) fn corpus(args: &[&str]) -> Run {
    corpus_in(&root(), args, None)
}

/// Runs `corpus` with the words of `line` as its arguments (split at white space, as a shell
/// splits a line without quotes), from the workspace root.
pub(crate) fn corpus_line(line: &str) -> Run {
    corpus(&line.split_whitespace().collect::<Vec<_>>())
}

/// `corpus ARGS` to be started in `dir` (its stdio as the caller sets it).
pub(crate) fn command_in(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_corpus"));
    command.args(args).current_dir(dir);
    command
}

/// Runs `corpus` with `args` in `dir`, with `stdin` (or nothing) on standard input.
pub(crate) fn corpus_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = command_in(dir, args)
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

/// A scratch folder for one test, and the path of `name` in it, as an argument.
pub(crate) fn scratch(name: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name).to_string_lossy().into_owned();
    (dir, path)
}

/// Writes each `(name, text)` into `dir`; returns their paths, as arguments.
pub(crate) fn written<const N: usize>(dir: &Path, files: [(&str, &str); N]) -> [String; N] {
    files.map(|(name, text)| {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("written");
        path.to_str().expect("a UTF-8 temporary path").to_owned()
    })
}

/// Flips one byte in the middle of the file at `path`, as a disk or a copy might; returns its
/// bytes as they were, to put back.
pub(crate) fn corrupt(path: &Path) -> Vec<u8> {
    let good = std::fs::read(path).expect("the file to corrupt");
    let mut bad = good.clone();
    bad[good.len() / 2] ^= 0xff;
    std::fs::write(path, &bad).expect("written");
    good
}

/// `shared/data/<rel>` as an argument, relative to the workspace root when it is beside the
/// checkout; `None` when the corpora are not there (see `testdata/shared.rs`).
pub(crate) fn shared(rel: &str) -> Option<String> {
    shared_data::data(rel).map(|path| relative(&path))
}

/// The Reuters-21578 articles (one archive) as an argument; `None` when the shared corpora are
/// not there.
pub(crate) fn reuters() -> Option<String> {
    shared("reuters21578/reuters-articles.tar.gz")
}

/// The Reuters articles unpacked into `dir/reuters`, one file each, as a sharded run reads a
/// folder; `None` when the shared corpora are not there.
pub(crate) fn reuters_unpacked(dir: &Path) -> Option<PathBuf> {
    let archive = reuters()?;
    let unpacked = dir.join("reuters");
    std::fs::create_dir_all(&unpacked).expect("folder");
    let file = std::fs::File::open(root().join(archive)).expect("readable");
    tar::Archive::new(flate2::read::GzDecoder::new(file))
        .unpack(&unpacked)
        .expect("unpacked");
    Some(unpacked)
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
