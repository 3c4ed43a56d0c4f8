//! The progress spinner: the library's [`Progress`] drawn with indicatif on stderr.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use corpus_parser::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A spinner counting documents and megabytes read, on stderr when stderr is a terminal and
/// `--quiet` is off; otherwise nothing is drawn.
pub(crate) struct Spinner {
    bar: ProgressBar,
    bytes: AtomicU64,
}

impl Spinner {
    pub(crate) fn new(quiet: bool) -> Spinner {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
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

impl Progress for Spinner {
    fn batch(&self, documents: u64, bytes: u64) {
        let total = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.bar.inc(documents);
        self.bar
            .set_message(format!("{:.1} MB", total as f64 / 1e6));
    }
}
