//! Options every command shares: inputs, format, CSV columns, threads, problems, strictness.

use std::path::PathBuf;

use anyhow::Result;
use corpus_core::Problem;
use corpus_parser::{CsvOptions, Format, Input, ReadOptions};

use crate::{Outcome, report, sample};

/// The options of every command that reads a corpus.
#[derive(Debug, clap::Args)]
pub(crate) struct InputArgs {
    /// Files, folders (walked recursively) or `-` for standard input; none reads the built-in
    /// sample corpus
    #[arg(value_name = "INPUT")]
    pub(crate) inputs: Vec<String>,
    /// Read every file as this format instead of choosing by extension
    #[arg(long, value_enum)]
    pub(crate) format: Option<FormatArg>,
    /// CSV column holding the text
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub(crate) text_col: String,
    /// CSV column holding the id
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub(crate) id_col: String,
    /// CSV column holding the date
    #[arg(long, default_value = "date", value_name = "NAME")]
    pub(crate) date_col: String,
    /// Write every problem (file, line, reason) to FILE as CSV
    #[arg(long, value_name = "FILE")]
    pub(crate) problems: Option<PathBuf>,
    /// Exit with status 1 when any input had a problem
    #[arg(long)]
    pub(crate) strict: bool,
    /// Print no progress and no summary on stderr (problems are still printed)
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

/// The `--format` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum FormatArg {
    /// Dated-article text, one article per file
    Article,
    /// JSON Lines
    Jsonl,
    /// CSV with a header row
    Csv,
}

impl InputArgs {
    pub(crate) fn inputs(&self) -> Vec<Input> {
        if self.inputs.is_empty() {
            sample::inputs()
        } else {
            self.inputs.iter().map(|a| Input::from_arg(a)).collect()
        }
    }

    pub(crate) fn read_options(&self) -> ReadOptions {
        ReadOptions {
            format: self.format.map(|f| match f {
                FormatArg::Article => Format::Article,
                FormatArg::Jsonl => Format::JsonLines,
                FormatArg::Csv => Format::Csv,
            }),
            csv: CsvOptions {
                text_col: self.text_col.clone(),
                id_col: self.id_col.clone(),
                date_col: self.date_col.clone(),
            },
        }
    }

    /// Reports the problems and the summary line on stderr, writes `--problems`, and decides
    /// the exit status.
    pub(crate) fn finish(&self, problems: &[Problem], summary: &str) -> Result<Outcome> {
        report::print_problems(problems, self.problems.as_deref());
        if let Some(path) = &self.problems {
            report::write_problems_csv(path, problems)?;
        }
        if !self.quiet {
            eprintln!("{summary}");
        }
        Ok(if self.strict && !problems.is_empty() {
            Outcome::Problems
        } else {
            Outcome::Success
        })
    }
}

/// The FIELD of a `meta.FIELD` argument (`--group-by`, `--key`), if that is its shape.
pub(crate) fn meta_field(arg: &str) -> Option<String> {
    arg.strip_prefix("meta.")
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
}
