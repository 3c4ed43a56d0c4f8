//! `cargo xtask`: the workspace's automation, in Rust so that it runs wherever cargo does.
//!
//! - `cargo xtask ci`: every check CI runs, in order, stopping at the first failure.
//! - `cargo xtask gen --docs N [--seed S] [--format jsonl|articles|tar] [--copy-rate R] [--out DIR]`:
//!   a generated corpus with planted wire copies and `truth.csv` (default folder
//!   `target/gen/docs-N-seed-S`).
//! - `cargo xtask bench [parse|stats|report|dedup|views|memory|all] [--size smoke|full] [--runs N] [--write]`: the
//!   benchmarks, against references measured in the same run.
//! - `cargo xtask examples`: the libraries' examples on the Reuters articles, checked against
//!   what the `corpus` binary says of them.
//! - `cargo xtask man [--out FILE]`: the manual page of `corpus` (default
//!   `target/man/corpus.1`).
//! - `cargo xtask slurm`: sharded `corpus stats` on a one-node Slurm cluster started here
//!   (installing Debian's Slurm if needed), merged equal to a single run, also after a task was
//!   killed and resubmitted.
//! - `cargo xtask report-check [--save-screenshot]`: the page of `corpus report` in headless
//!   Chromium (installing Debian's if needed): every chart drew, no script error, the figures
//!   equal `corpus stats --json` and `corpus dedup --json`.
//! - `cargo xtask tune [--write]`: the dedup settings of `--preset news`, chosen on labelled data
//!   and recorded in TUNING.md.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bench;
mod bombs;
mod ci;
mod crowded;
mod examples;
mod generate;
mod languages_bench;
mod report_check;
#[cfg(test)]
#[path = "../../testdata/shared.rs"]
mod shared_data;
mod slurm;
#[cfg(test)]
mod tidy;
mod tune;
mod views_bench;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// The workspace's automation: CI, corpus generation, benchmarks, tuning
#[derive(Debug, Parser)]
#[command(name = "xtask", bin_name = "cargo xtask", max_term_width = 100)]
struct Xtask {
    #[command(subcommand)]
    command: Task,
}

#[derive(Debug, clap::Subcommand)]
enum Task {
    /// Every check CI runs, in order, stopping at the first failure
    Ci,
    /// The libraries' examples on the Reuters articles, checked against the corpus binary
    Examples,
    /// A generated news corpus with planted wire copies and its truth
    Gen(GenArgs),
    /// The benchmarks, against references measured in the same run
    Bench(BenchArgs),
    /// The manual page of `corpus`, written to target/man/corpus.1 (or --out)
    Man {
        /// Where to write it
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Sharded runs on a one-node Slurm cluster started on this machine
    Slurm {
        /// Also time `corpus stats` of the generated 1M-document corpus: a single run against
        /// 8 shards and the merge through Slurm
        #[arg(long)]
        bench: bool,
    },
    /// The page of `corpus report` in headless Chromium, checked against the JSON
    ReportCheck {
        /// Also write docs/report.png, the README's picture
        #[arg(long)]
        save_screenshot: bool,
    },
    /// The dedup settings of `--preset news`, chosen on labelled data
    Tune {
        /// Record the grid in TUNING.md
        #[arg(long)]
        write: bool,
    },
}

#[derive(Debug, clap::Args)]
struct GenArgs {
    /// Documents to generate
    #[arg(long, value_name = "N")]
    docs: usize,
    /// Seed: the same arguments give the same bytes
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write [default: target/gen/docs-N-seed-S]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// How to write the corpus: jsonl, articles (a folder) or tar
    #[arg(long, default_value = "jsonl")]
    format: String,
    /// Share of documents that are wire copies of an earlier original
    #[arg(long, default_value_t = 0.3, value_name = "R")]
    copy_rate: f64,
    /// Harder copies and hard negatives, with pairs.csv
    #[arg(long)]
    hard: bool,
    /// Generate from the documents of --from FILE in this language (`de`, `zh`), with its
    /// wires' datelines
    #[arg(long, value_name = "CODE", requires = "from")]
    lang: Option<String>,
    /// A corpus file (JSON Lines with `text`, or any input `corpus` reads) whose documents
    /// in --lang are the base, instead of Reuters and BBC
    #[arg(long, value_name = "FILE", requires = "lang")]
    from: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct BenchArgs {
    /// What to measure
    #[arg(default_value = "all", value_parser = ["all", "parse", "stats", "report", "dedup", "views", "languages", "memory", "crowded", "archive"])]
    what: String,
    /// smoke (seconds, for CI) or full (about 1 GB)
    #[arg(long, default_value = "full", value_parser = ["smoke", "full"])]
    size: String,
    /// Runs of each measurement (the median is reported)
    #[arg(long, default_value_t = 3, value_name = "N")]
    runs: usize,
    /// Record the table in BENCHMARKS.md
    #[arg(long)]
    write: bool,
}

fn main() -> ExitCode {
    let result = match Xtask::parse().command {
        Task::Ci => ci::run(),
        Task::Examples => examples::run(),
        Task::Slurm { bench } => slurm::run(bench),
        Task::ReportCheck { save_screenshot } => report_check::run(save_screenshot),
        Task::Gen(args) => {
            gen_options(args).and_then(|o| generate::run(&o, &root().join("../shared/data")))
        }
        Task::Bench(args) => bench::run(&bench::BenchOptions {
            what: args.what,
            size: if args.size == "smoke" {
                bench::Size::Smoke
            } else {
                bench::Size::Full
            },
            runs: args.runs,
            write: args.write,
        }),
        Task::Man { out } => man(out.unwrap_or_else(|| target_dir().join("man/corpus.1"))),
        Task::Tune { write } => tune::run(write),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the manual page the binary renders (`corpus manpage`, from its clap definition).
fn man(out: PathBuf) -> anyhow::Result<()> {
    use anyhow::{Context, bail};
    let page = |command: Option<&str>| -> anyhow::Result<Vec<u8>> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let run = std::process::Command::new(cargo)
            .args([
                "run",
                "--quiet",
                "--locked",
                "--package",
                "corpus-cli",
                "--",
                "manpage",
            ])
            .args(command)
            .current_dir(root())
            .output()
            .context("cannot run cargo")?;
        if !run.status.success() {
            bail!(
                "corpus manpage failed: {}",
                String::from_utf8_lossy(&run.stderr)
            );
        }
        Ok(run.stdout)
    };
    let main = page(None)?;
    let dir = out.parent().unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir)?;
    std::fs::write(&out, &main).with_context(|| format!("cannot write {}", out.display()))?;
    // Every page the main page's list names (`corpus\-stats(1)`), beside it.
    let listed = String::from_utf8_lossy(&main).into_owned();
    for line in listed.lines() {
        let Some(name) = line
            .strip_prefix("corpus\\-")
            .and_then(|l| l.strip_suffix("(1)"))
        else {
            continue;
        };
        let path = dir.join(format!("corpus-{name}.1"));
        std::fs::write(&path, page(Some(name))?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!(
        "man: {} (read it with `man -l {}`)",
        out.display(),
        out.display()
    );
    Ok(())
}

fn gen_options(args: GenArgs) -> anyhow::Result<generate::GenOptions> {
    let out = args.out.unwrap_or_else(|| {
        target_dir()
            .join("gen")
            .join(format!("docs-{}-seed-{}", args.docs, args.seed))
    });
    Ok(generate::GenOptions {
        docs: args.docs,
        seed: args.seed,
        out,
        format: generate::OutFormat::parse(&args.format)?,
        copy_rate: args.copy_rate,
        hard: args.hard,
        foreign: match (args.lang, args.from) {
            (Some(code), Some(from)) => Some(generate::Foreign {
                lang: corpus_core::Lang::from_tag(&code)
                    .ok_or_else(|| anyhow::anyhow!("--lang {code:?} is not a language code"))?,
                from,
            }),
            _ => None,
        },
    })
}

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// The Reuters-21578 articles beside the checkout; `None`, with a line naming `check` and the
/// path looked at, when they are not there (a check that needs them is skipped, not failed).
pub(crate) fn reuters_articles(check: &str) -> Option<PathBuf> {
    let archive = root().join("../shared/data/reuters21578/reuters-articles.tar.gz");
    if archive.exists() {
        return Some(archive);
    }
    eprintln!(
        "{check}: skipped: the Reuters articles are not at {}",
        archive.display()
    );
    None
}

/// Where cargo builds: `CARGO_TARGET_DIR` (relative to the workspace root when relative), or
/// `target` in the workspace root.
pub(crate) fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{Task, Xtask, gen_options};

    #[test]
    fn gen_needs_only_the_number_of_documents() {
        let Task::Gen(args) = Xtask::try_parse_from(["xtask", "gen", "--docs", "100000"])
            .expect("parses")
            .command
        else {
            panic!("not gen");
        };
        let options = gen_options(args).expect("options");
        assert!(
            options.out.ends_with("gen/docs-100000-seed-1"),
            "{}",
            options.out.display()
        );
        assert_eq!(
            (options.seed, options.copy_rate, options.hard),
            (1, 0.3, false)
        );
    }

    #[test]
    fn help_is_help_and_mistakes_are_usage_errors() {
        for args in [&["xtask", "--help"][..], &["xtask", "gen", "--help"]] {
            let err = Xtask::try_parse_from(args).expect_err("help stops the parse");
            assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp, "{args:?}");
        }
        let err = Xtask::try_parse_from(["xtask", "bench", "everything"]).expect_err("no such");
        assert_eq!(err.kind(), clap::error::ErrorKind::InvalidValue);
    }

    #[test]
    fn cargo_xtask_shows_its_build() {
        let config = std::fs::read_to_string(crate::root().join(".cargo/config.toml"))
            .expect(".cargo/config.toml");
        let alias = config
            .lines()
            .find(|l| l.starts_with("xtask"))
            .expect("the xtask alias");
        assert!(!alias.contains("--quiet"), "{alias}");
    }
}
