//! Reads corpora and prints the data of their report page as JSON on standard output: what
//! `corpus report FILE... -o page.html --json` prints (its `version` aside), with the HTML page
//! written to the file given by `--html FILE` first.
//!
//! `cargo run --release -p corpus-report --example page -- ../shared/data/reuters21578/reuters.jsonl.gz`

use corpus_dedup::Preset;
use corpus_parser::{Input, NoProgress, ReadOptions};
use corpus_report::{Report, ReportOptions, render_html};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1).peekable();
    let html = match args.peek().map(String::as_str) {
        Some("--html") => {
            args.next();
            args.next()
        }
        _ => None,
    };
    let inputs: Vec<Input> = args.map(|a| Input::from_arg(&a)).collect();
    let mut problems = Vec::new();
    let report = Report::build(
        &inputs,
        &ReadOptions::default(),
        ReportOptions::new(Preset::News),
        &NoProgress,
        &mut |p| problems.push(p),
    )?;
    // The page lists the first thousand problems, as the binary's does.
    let total = problems.len() as u64;
    problems.truncate(1000);
    let page = report.page(&problems, total, env!("CARGO_PKG_VERSION"));
    if let Some(path) = html {
        std::fs::write(path, render_html(&page))?;
    }
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &page)?;
    std::io::Write::write_all(&mut out, b"\n")?;
    Ok(())
}
