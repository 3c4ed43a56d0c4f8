//! `corpus eval`: pairwise precision, recall, F1 and adjusted Rand index of predicted clusters.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use corpus_dedup::evaluate;

use crate::Outcome;
use crate::output::Sink;

/// Score predicted clusters against true ones
#[derive(Debug, clap::Args)]
pub(crate) struct EvalArgs {
    /// The true clusters: CSV with columns `id` (or `document`) and `cluster`
    #[arg(long, value_name = "FILE")]
    truth: PathBuf,
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

pub(crate) fn run(args: &EvalArgs) -> Result<Outcome> {
    let truth = read_clusters(&args.truth)?;
    let pred = read_clusters(&args.pred)?;
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
