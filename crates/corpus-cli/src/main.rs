//! The `corpus` command: glue between the command line and the corpus libraries.
//!
//! Exit status: 0 on success, 1 when `--strict` and some input had a problem, 2 on a usage
//! error or when the run could not finish (an output file could not be written).

// The binary is the one place that prints; the print lints guard the libraries.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod commands;
mod csv_out;
mod output;
mod progress;
mod report;
mod run_dir;
mod sample;
mod ui;

use std::process::ExitCode;

use clap::Parser;

use crate::commands::{dedup, eval, parse, stats, status, views};
use crate::ui::{Outcome, is_broken_pipe, say};

/// Statistics, deduplication and parsing for news-article corpora
#[derive(Debug, Parser)]
#[command(name = "corpus", version = VERSION, about, max_term_width = 100)]
struct Cli {
    /// Worker threads, 1 to 1024 (default: all cores); results are the same for any number
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    threads: Option<u32>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    Stats(stats::StatsArgs),
    Dedup(Box<dedup::DedupArgs>),
    Index(commands::index::IndexArgs),
    Eval(eval::EvalArgs),
    Parse(parse::ParseArgs),
    Status(status::StatusArgs),
    Kwic(views::KwicArgs),
    Collocations(views::CollocationsArgs),
    Keyness(views::KeynessArgs),
    Trend(views::TrendArgs),
    Report(commands::report::ReportArgs),
    /// Print a completion script for a shell
    #[command(
        after_help = "Examples:\n  corpus completions bash > ~/.local/share/bash-completion/completions/corpus\n  corpus completions zsh > ~/.zfunc/_corpus\n  corpus completions fish > ~/.config/fish/completions/corpus.fish"
    )]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), as `cargo xtask man` writes it: the command's, or one
    /// subcommand's (`corpus-stats(1)`)
    #[command(hide = true)]
    Manpage {
        /// The subcommand whose page to print
        command: Option<String>,
    },
}

/// The version, with the commit it was built from when the build could ask git (`build.rs`).
const VERSION: &str = env!("CORPUS_VERSION");

fn main() -> ExitCode {
    let cli = Cli::parse();
    output::handle_signals();
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = cli.threads {
        pool = pool.num_threads(n as usize);
    }
    let result = pool.build().map_err(anyhow::Error::from).and_then(|pool| {
        pool.install(|| match &cli.command {
            Command::Stats(args) => stats::run(args),
            Command::Dedup(args) => dedup::run(args),
            Command::Index(args) => commands::index::run(args),
            Command::Eval(args) => eval::run(args),
            Command::Parse(args) => parse::run(args),
            Command::Status(args) => status::run(args),
            Command::Kwic(args) => views::kwic(args),
            Command::Collocations(args) => views::collocations(args),
            Command::Keyness(args) => views::keyness(args),
            Command::Trend(args) => views::trend(args),
            Command::Report(args) => commands::report::run(args),
            Command::Completions { shell } => completions(*shell),
            Command::Manpage { command } => manpage(command.as_deref()),
        })
    });
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            say(&format!("error: {err:#}"));
            ExitCode::from(2)
        }
    }
}

fn completions(shell: clap_complete::Shell) -> anyhow::Result<Outcome> {
    use clap::CommandFactory;
    use std::io::Write;
    // Made in memory, then written: clap_complete panics when its writer fails, as a closed
    // pipe (`corpus completions zsh | head -1`) makes it.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "corpus", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(Outcome::Success)
}

fn manpage(command: Option<&str>) -> anyhow::Result<Outcome> {
    use clap::CommandFactory;
    let mut out = std::io::stdout().lock();
    let mut cli = Cli::command();
    let page = match command {
        None => cli,
        Some(name) => {
            cli.build();
            // Built, a subcommand is named as the main page lists it (`corpus-stats`).
            cli.find_subcommand(name)
                .ok_or_else(|| anyhow::anyhow!("no command is called {name:?}"))?
                .clone()
        }
    };
    clap_mangen::Man::new(page).render(&mut out)?;
    Ok(Outcome::Success)
}
