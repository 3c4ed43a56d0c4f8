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
        }
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

impl Progress for Spinner {
    fn batch(&self, documents: u64, bytes: u64) {
        let total = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.bar.inc(documents);
        self.bar
            .set_message(format!("{:.1} MB", total as f64 / 1e6));
    }
}

#[cfg(test)]
mod tests {
    use super::{Terminals, draws};

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
