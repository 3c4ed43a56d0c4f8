//! `corpus eval`: pairwise precision, recall, F1 and adjusted Rand index of predicted clusters,
//! against true clusters (`--truth`) or pairs labelled by hand (`--pairs`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use corpus_dedup::{evaluate, evaluate_pairs};

use crate::output::Sink;
use crate::ui::Outcome;
use corpus_report::json::{EvaluationJson, PairEvaluationJson};

/// Score predicted clusters against true ones, or against labelled pairs
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  corpus eval --truth truth.csv --pred clusters.csv
  corpus eval --pairs labelled-pairs.csv --pred clusters.csv --json")]
pub(crate) struct EvalArgs {
    /// The true clusters: CSV with columns `id` (or `document`) and `cluster`
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "pairs",
        conflicts_with = "pairs"
    )]
    truth: Option<PathBuf>,
    /// Pairs labelled by hand: CSV with columns `a`, `b` and `label` (`COPY` or `DIFFERENT`;
    /// also `true`/`false`, `1`/`0`); a pair is predicted a copy when both share a cluster
    #[arg(long, value_name = "FILE")]
    pairs: Option<PathBuf>,
    /// The predicted clusters: the same shape, or the `--clusters` file of `corpus dedup`
    #[arg(long, value_name = "FILE")]
    pred: PathBuf,
    /// Print the scores as JSON
    #[arg(long)]
    json: bool,
    /// Exit with status 1 when a file had a problem (a document listed in two clusters)
    #[arg(long)]
    strict: bool,
    /// Print no summary on stderr (problems are still printed)
    #[arg(short, long)]
    quiet: bool,
}

/// Problems printed before the rest are only counted.
const SHOWN_PROBLEMS: usize = 10;

/// Reads `(document, cluster)` pairs from a clusters CSV ([`corpus_dedup::read_clusters`]); a
/// document listed again in another cluster is a warning in `problems`.
fn read_clusters(path: &Path, problems: &mut Vec<String>) -> Result<Vec<(String, String)>> {
    let labels =
        corpus_dedup::read_clusters(open(path)?).with_context(|| format!("{}", path.display()))?;
    for r in labels.relisted {
        problems.push(format!(
            "{}:{}: document {:?} is listed again, in cluster {:?}; its first cluster {:?} (line {}) counts",
            path.display(),
            r.line,
            r.document,
            r.cluster,
            r.first_cluster,
            r.first_line
        ));
    }
    Ok(labels.rows)
}

/// Reads `(a, b, is_copy)` from a labelled pairs CSV ([`corpus_dedup::read_labelled_pairs`]).
fn read_pairs(path: &Path) -> Result<Vec<(String, String, bool)>> {
    corpus_dedup::read_labelled_pairs(open(path)?).with_context(|| format!("{}", path.display()))
}

fn open(path: &Path) -> Result<std::fs::File> {
    std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))
}

pub(crate) fn run(args: &EvalArgs) -> Result<Outcome> {
    let mut problems = Vec::new();
    let pred = read_clusters(&args.pred, &mut problems)?;
    let scored = if let Some(pairs) = &args.pairs {
        let e = evaluate_pairs(&read_pairs(pairs)?, &pred);
        let rows = corpus_report::text::pair_evaluation_rows(&e);
        print(args.json, &PairEvaluationJson::from(&e), &rows)?;
        format!("{} labelled pairs", e.pairs)
    } else {
        let Some(truth) = &args.truth else {
            bail!("give --truth FILE or --pairs FILE");
        };
        let e = evaluate(&read_clusters(truth, &mut problems)?, &pred);
        let rows = corpus_report::text::evaluation_rows(&e);
        print(args.json, &EvaluationJson::from(&e), &rows)?;
        format!("{} documents", e.documents)
    };
    for p in problems.iter().take(SHOWN_PROBLEMS) {
        crate::ui::say(&format!("warning: {p}"));
    }
    if problems.len() > SHOWN_PROBLEMS {
        crate::ui::say(&format!(
            "... and {} more problems",
            problems.len() - SHOWN_PROBLEMS
        ));
    }
    if !args.quiet {
        crate::ui::say(&format!("scored {scored}, {} problems", problems.len()));
    }
    Ok(if args.strict && !problems.is_empty() {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

/// The scores on stdout: as JSON, or as rows of a name and a value in columns.
fn print(json: bool, scores: &impl serde::Serialize, rows: &[(&str, String)]) -> Result<()> {
    let mut out = Sink::open(None)?;
    if json {
        serde_json::to_writer_pretty(&mut out, scores)?;
        writeln!(out)?;
    } else {
        for (name, value) in rows {
            writeln!(out, "{name:<16} {value}")?;
        }
    }
    out.flush()?;
    Ok(())
}
