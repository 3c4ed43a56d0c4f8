//! `corpus eval`: pairwise precision, recall, F1 and adjusted Rand index of predicted clusters,
//! against true clusters (`--truth`) or pairs labelled by hand (`--pairs`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use corpus_dedup::{evaluate, evaluate_pairs};

use crate::Outcome;
use crate::output::Sink;

/// Score predicted clusters against true ones, or against labelled pairs
#[derive(Debug, clap::Args)]
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
}

/// Reads `(document, cluster)` pairs from a CSV with a `cluster` column and an `id` or
/// `document` column.
fn read_clusters(path: &Path) -> Result<Vec<(String, String)>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let header = reader.headers()?.clone();
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.trim()));
    let (Some(doc), Some(cluster)) = (find(&["id", "document"]), find(&["cluster"])) else {
        bail!(
            "{}: needs columns `id` (or `document`) and `cluster`, has {}",
            path.display(),
            header.iter().collect::<Vec<_>>().join(",")
        );
    };
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("{}: line {}", path.display(), i + 2))?;
        out.push((
            record.get(doc).unwrap_or_default().to_owned(),
            record.get(cluster).unwrap_or_default().to_owned(),
        ));
    }
    Ok(out)
}

/// Reads `(a, b, is_copy)` from a CSV with columns `a`, `b` and `label`.
fn read_pairs(path: &Path) -> Result<Vec<(String, String, bool)>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let header = reader.headers()?.clone();
    let find = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(a), Some(b), Some(label)) = (find("a"), find("b"), find("label")) else {
        bail!(
            "{}: needs columns `a`, `b` and `label`, has {}",
            path.display(),
            header.iter().collect::<Vec<_>>().join(",")
        );
    };
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.with_context(|| format!("{}: line {line}", path.display()))?;
        let field = |k: usize| record.get(k).unwrap_or_default().trim().to_owned();
        let is_copy = match field(label).to_ascii_lowercase().as_str() {
            "copy" | "true" | "1" | "yes" => true,
            "different" | "false" | "0" | "no" => false,
            other => bail!(
                "{}: line {line}: label {other:?} is not COPY or DIFFERENT",
                path.display()
            ),
        };
        out.push((field(a), field(b), is_copy));
    }
    Ok(out)
}

pub(crate) fn run(args: &EvalArgs) -> Result<Outcome> {
    let pred = read_clusters(&args.pred)?;
    if let Some(pairs) = &args.pairs {
        let e = evaluate_pairs(&read_pairs(pairs)?, &pred);
        let mut out = Sink::open(None)?;
        if args.json {
            serde_json::to_writer_pretty(&mut out, &e)?;
            writeln!(out)?;
        } else {
            writeln!(out, "pairs            {}", e.pairs)?;
            writeln!(out, "copies           {}", e.copies)?;
            writeln!(out, "found            {}", e.true_positives)?;
            writeln!(out, "missed           {}", e.missed)?;
            writeln!(out, "false merges     {}", e.false_merges)?;
            writeln!(out, "precision        {:.4}", e.precision)?;
            writeln!(out, "recall           {:.4}", e.recall)?;
            writeln!(out, "F1               {:.4}", e.f1)?;
        }
        out.flush()?;
        return Ok(Outcome::Success);
    }
    let Some(truth) = &args.truth else {
        bail!("give --truth FILE or --pairs FILE");
    };
    let truth = read_clusters(truth)?;
    let e = evaluate(&truth, &pred);
    let mut out = Sink::open(None)?;
    if args.json {
        serde_json::to_writer_pretty(&mut out, &e)?;
        writeln!(out)?;
    } else {
        writeln!(out, "documents        {}", e.documents)?;
        writeln!(out, "true pairs       {}", e.true_pairs)?;
        writeln!(out, "predicted pairs  {}", e.predicted_pairs)?;
        writeln!(out, "precision        {:.4}", e.precision)?;
        writeln!(out, "recall           {:.4}", e.recall)?;
        writeln!(out, "F1               {:.4}", e.f1)?;
        writeln!(out, "ARI              {:.4}", e.adjusted_rand_index)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}
