//! The progress spinner: the library's [`Progress`] drawn with indicatif on stderr.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use corpus_parser::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A spinner counting documents and megabytes read, on stderr when stderr is a terminal and
/// `--quiet` is off, and not while documents stream to a terminal on stdout (the spinner's line
/// would be glued to theirs); otherwise nothing is drawn.
pub(crate) struct Spinner {
    bar: ProgressBar,
    bytes: AtomicU64,
    /// Documents read, when the bar counts bytes of a known total ([`Spinner::sized`]).
    documents: AtomicU64,
    /// The bytes the inputs hold, when known: the bar then shows a share and the time left.
    total: Option<u64>,
}

impl Spinner {
    /// `streams_stdout`: the command writes its results to stdout while it reads.
    pub(crate) fn new(quiet: bool, streams_stdout: bool) -> Spinner {
        use std::io::IsTerminal;
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let terminals = Terminals {
            stderr: std::io::stderr().is_terminal(),
            stdout: std::io::stdout().is_terminal(),
        };
        if !draws(quiet, terminals, streams_stdout) {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} documents, {msg} read ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Spinner {
            bar,
            bytes: AtomicU64::new(0),
            documents: AtomicU64::new(0),
            total: None,
        }
    }

    /// For one read of `inputs`: when their size is known (files whose bytes are the text's:
    /// not compressed, not archives, not Parquet, not folders or standard input), the spinner
    /// becomes a bar with the share read and the time left.
    pub(crate) fn sized(mut self, inputs: &[corpus_parser::Input]) -> Spinner {
        if let Some(total) = known_size(inputs).filter(|&t| t > 0) {
            self.total = Some(total);
            self.bar.set_length(total);
            self.bar.set_style(
                ProgressStyle::with_template(
                    "{wide_bar} {percent:>3}% · {msg} · {elapsed} so far, {eta} left",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            self.bar.set_message("0 documents");
        }
        self
    }

    /// Clears the spinner from the terminal.
    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Which of the standard streams are terminals.
#[derive(Debug, Clone, Copy)]
struct Terminals {
    stderr: bool,
    stdout: bool,
}

/// Whether the spinner is drawn.
fn draws(quiet: bool, terminals: Terminals, streams_stdout: bool) -> bool {
    !quiet && terminals.stderr && !(streams_stdout && terminals.stdout)
}

/// The bytes of `inputs` when each is a file whose size is the text's: a name that says JSON
/// Lines, JSON, CSV, TSV or text (no compression, archive or Parquet); `None` otherwise.
fn known_size(inputs: &[corpus_parser::Input]) -> Option<u64> {
    const PLAIN: [&str; 6] = [".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".txt"];
    let mut total = 0u64;
    for input in inputs {
        let corpus_parser::Input::Path(path) = input else {
            return None;
        };
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if !PLAIN.iter().any(|ext| name.ends_with(ext)) {
            return None;
        }
        let meta = std::fs::metadata(path)
            .ok()
            .filter(std::fs::Metadata::is_file)?;
        total += meta.len();
    }
    Some(total)
}

impl Progress for Spinner {
    fn batch(&self, documents: u64, bytes: u64) {
        let read = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        match self.total {
            None => {
                self.bar.inc(documents);
                self.bar.set_message(format!("{:.1} MB", read as f64 / 1e6));
            }
            Some(total) => {
                let docs = self.documents.fetch_add(documents, Ordering::Relaxed) + documents;
                self.bar.set_position(read.min(total));
                self.bar.set_message(format!(
                    "{docs} documents, {:.1} of {:.1} MB",
                    read.min(total) as f64 / 1e6,
                    total as f64 / 1e6
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Terminals, draws, known_size};
    use corpus_parser::Input;

    #[test]
    fn the_size_is_known_for_plain_files_only() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
        let wire = root.join("views/wire.jsonl");
        let size = std::fs::metadata(&wire).map(|m| m.len()).ok();
        assert!(size.is_some());
        assert_eq!(known_size(&[Input::Path(wire.clone())]), size);
        let twice = size.map(|s| 2 * s);
        assert_eq!(
            known_size(&[Input::Path(wire.clone()), Input::Path(wire.clone())]),
            twice
        );
        // A folder, a compressed file, standard input: unknown.
        assert_eq!(known_size(&[Input::Path(root.join("views"))]), None);
        assert_eq!(
            known_size(&[Input::Path(root.join("parser/ok/compressed.txt.gz"))]),
            None
        );
        assert_eq!(known_size(&[Input::Stdin, Input::Path(wire)]), None);
    }

    #[test]
    fn no_spinner_beside_documents_streaming_to_the_same_terminal() {
        let both = Terminals {
            stderr: true,
            stdout: true,
        };
        let piped = Terminals {
            stderr: true,
            stdout: false,
        };
        assert!(!draws(false, both, true), "corpus parse on a terminal");
        assert!(draws(false, piped, true), "corpus parse | jq");
        assert!(
            draws(false, both, false),
            "corpus stats: the table comes after"
        );
        assert!(!draws(true, piped, false), "--quiet");
        let logged = Terminals {
            stderr: false,
            stdout: true,
        };
        assert!(!draws(false, logged, false), "stderr to a file");
    }
}
