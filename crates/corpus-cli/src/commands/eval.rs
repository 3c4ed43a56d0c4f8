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

/// The fields of `columns` (each one name or its synonyms) of every row of a CSV file, with the
/// row's line number, trimmed; an error saying what `needs` when a column is missing.
fn read_columns<const N: usize>(
    path: &Path,
    columns: [&[&str]; N],
    needs: &str,
) -> Result<Vec<(usize, [String; N])>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let header = reader.headers()?.clone();
    let found = columns.map(|names| header.iter().position(|h| names.contains(&h.trim())));
    if found.contains(&None) {
        bail!(
            "{}: needs columns {needs}, has {}",
            path.display(),
            header.iter().collect::<Vec<_>>().join(",")
        );
    }
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.with_context(|| format!("{}: line {line}", path.display()))?;
        let field = |k: Option<usize>| {
            k.and_then(|k| record.get(k))
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        out.push((line, found.map(field)));
    }
    Ok(out)
}

/// Reads `(document, cluster)` pairs from a CSV with a `cluster` column and an `id` or
/// `document` column. A document listed again in another cluster is a warning in `problems`:
/// its first cluster counts (as `evaluate` does), and the scores are then suspect.
fn read_clusters(path: &Path, problems: &mut Vec<String>) -> Result<Vec<(String, String)>> {
    let rows = read_columns(
        path,
        [&["id", "document"], &["cluster"]],
        "`id` (or `document`) and `cluster`",
    )?;
    let mut first: std::collections::HashMap<&str, (usize, &str)> = Default::default();
    for (line, [doc, cluster]) in &rows {
        let (first_line, first_cluster) = *first.entry(doc).or_insert((*line, cluster));
        if first_cluster != cluster {
            problems.push(format!(
                "{}:{line}: document {doc:?} is listed again, in cluster {cluster:?}; its first \
                 cluster {first_cluster:?} (line {first_line}) counts",
                path.display()
            ));
        }
    }
    Ok(rows
        .into_iter()
        .map(|(_, [doc, cluster])| (doc, cluster))
        .collect())
}

/// Reads `(a, b, is_copy)` from a CSV with columns `a`, `b` and `label`.
fn read_pairs(path: &Path) -> Result<Vec<(String, String, bool)>> {
    let rows = read_columns(path, [&["a"], &["b"], &["label"]], "`a`, `b` and `label`")?;
    rows.into_iter()
        .map(|(line, [a, b, label])| {
            let is_copy = match label.to_ascii_lowercase().as_str() {
                "copy" | "true" | "1" | "yes" => true,
                "different" | "false" | "0" | "no" => false,
                other => bail!(
                    "{}: line {line}: label {other:?} is not COPY or DIFFERENT",
                    path.display()
                ),
            };
            Ok((a, b, is_copy))
        })
        .collect()
}

pub(crate) fn run(args: &EvalArgs) -> Result<Outcome> {
    let mut problems = Vec::new();
    let pred = read_clusters(&args.pred, &mut problems)?;
    let scored = if let Some(pairs) = &args.pairs {
        let e = evaluate_pairs(&read_pairs(pairs)?, &pred);
        let rows = [
            ("pairs", e.pairs.to_string()),
            ("copies", e.copies.to_string()),
            ("found", e.true_positives.to_string()),
            ("missed", e.missed.to_string()),
            ("false merges", e.false_merges.to_string()),
            ("precision", format!("{:.4}", e.precision)),
            ("recall", format!("{:.4}", e.recall)),
            ("F1", format!("{:.4}", e.f1)),
        ];
        print(args.json, &PairEvaluationJson::from(&e), &rows)?;
        format!("{} labelled pairs", e.pairs)
    } else {
        let Some(truth) = &args.truth else {
            bail!("give --truth FILE or --pairs FILE");
        };
        let e = evaluate(&read_clusters(truth, &mut problems)?, &pred);
        let rows = [
            ("documents", e.documents.to_string()),
            ("true pairs", e.true_pairs.to_string()),
            ("predicted pairs", e.predicted_pairs.to_string()),
            ("precision", format!("{:.4}", e.precision)),
            ("recall", format!("{:.4}", e.recall)),
            ("F1", format!("{:.4}", e.f1)),
            ("ARI", format!("{:.4}", e.adjusted_rand_index)),
        ];
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
