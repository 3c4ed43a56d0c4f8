//! What every command shares with the user: a line on standard error, how a run ended (the
//! exit status), and telling a closed pipe from a failure.

/// How a run ended, when it ended normally.
pub(crate) enum Outcome {
    Success,
    /// Finished, but `--strict` was given and some input had a problem.
    Problems,
}

/// Writes a line to stderr, best effort: a closed or full stderr is no reason to fail a run
/// whose results went elsewhere.
pub(crate) fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Whether the error is standard output closing early (`corpus parse | head`): not a failure.
/// The io error may come wrapped, by serde_json or csv.
pub(crate) fn is_broken_pipe(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == BrokenPipe)
            || e.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(BrokenPipe))
            || e.downcast_ref::<csv::Error>().is_some_and(
                |e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
            )
    })
}
