//! `cargo xtask tune`: the grid that the dedup settings of `--preset news` are chosen from.
//!
//! Four data sets, so that no single one decides: the scoop set (real scraped AI news with
//! hand-labelled story clusters), the 449 Reuters pairs labelled by hand (both dev sets), and
//! two corpora of `cargo xtask gen --hard` (cut copies and hard negatives). Every setting of the
//! grid (similarity, threshold, share of changed facts) runs `corpus dedup --preset news` with
//! it on each and is scored by `corpus eval`, with the look-alikes merged where pairs are
//! labelled. The labelled pairs are also cross-validated (`corpus_dedup::cross_validate`): five
//! folds, each scored by the setting the grid's objective picks without it, so that the score
//! reported for the pairs is one no setting was chosen on. `--write` records the grid in
//! TUNING.md, keeping its `## Notes`.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

struct DataSet {
    name: &'static str,
    corpus: String,
    /// True clusters, where the set has them.
    truth: Option<std::path::PathBuf>,
    /// Pairs labelled copies or not, where the set has them.
    pairs: Option<std::path::PathBuf>,
}

pub(crate) fn run(write: bool) -> Result<()> {
    let root = crate::root();
    let shared = root.join("../shared/data");
    let work = crate::target_dir().join("tune");
    fs::create_dir_all(&work)?;
    let corpus = crate::bench::build_release(&root)?.join("corpus");

    let reuters = shared.join("reuters21578");
    let dev_sets = [
        reuters.join("labelled-pairs-dev.csv"),
        reuters.join("labelled-pairs-dev-2.csv"),
    ];
    let dev: Vec<Vec<(String, String, bool)>> = dev_sets
        .iter()
        .map(|p| read_pairs(p))
        .collect::<Result<_>>()?;
    let pooled: Vec<(String, String, bool)> = dev.concat();
    let sets = data_sets(&shared, &work)?;

    let pred = work.join("pred.csv");
    let mut rows: Vec<Row> = Vec::new();
    // Per setting: the clusters of the Reuters articles, for the labelled pairs.
    let mut reuters_clusters: Vec<Vec<(String, String)>> = Vec::new();
    let measures = [
        ("jaccard", 0.5),
        ("containment", 0.6),
        ("containment", 0.7),
        ("containment", 0.8),
    ];
    for (similarity, threshold) in measures {
        for facts in ["none", "0.2", "0.3", "0.4"] {
            let mut scores = Vec::new();
            for set in &sets {
                let mut cmd = Command::new(&corpus);
                cmd.args(["dedup", "--quiet", "--preset", "news", &set.corpus])
                    .arg("--clusters")
                    .arg(&pred)
                    .args(["--similarity", similarity, "--max-changed-facts", facts])
                    .args(["--threshold", &threshold.to_string()]);
                let out = cmd.output()?;
                if !out.status.success() {
                    bail!(
                        "corpus dedup failed on {}: {}",
                        set.name,
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
                if set.name == "Reuters pairs" {
                    // Both labelled sets, pooled, in-sample; cross-validated below.
                    let clusters = read_clusters(&pred)?;
                    let e = corpus_dedup::evaluate_pairs(&pooled, &clusters);
                    scores.push((e.f1, Some(e.false_merges)));
                    reuters_clusters.push(clusters);
                    continue;
                }
                // Clusters scored against the truth where there is one, else the pairs'; and
                // the labelled look-alikes merged, where there are any.
                let (pairs_f1, merged) = pairs_score(&corpus, set.pairs.as_deref(), &pred)?;
                let f1 = match &set.truth {
                    Some(truth) => crate::bench::score(&corpus, truth, &pred)?.0,
                    None => pairs_f1,
                };
                scores.push((f1, merged));
            }
            let mean = scores.iter().map(|s| s.0).sum::<f64>() / scores.len() as f64;
            eprintln!("tune: {similarity} {threshold}, facts {facts}: mean F1 {mean:.4}");
            rows.push(Row {
                similarity,
                threshold,
                facts,
                scores,
                mean,
            });
        }
    }
    let best = rows
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.mean.total_cmp(&b.1.mean))
        .map(|(i, _)| i)
        .context("an empty grid")?;
    let mut table = grid_table(&rows, &sets, best);
    table.push_str(&cross_validated(
        &rows,
        &sets,
        &dev,
        &pooled,
        &reuters_clusters,
    ));
    println!("{table}");
    if write {
        let text = format!(
            "# Dedup tuning\n\nWritten by `cargo xtask tune --write`; rerun it to refresh (the Notes section is kept). The grid runs `corpus dedup --preset news` (2-grams, 128 permutations, a 3-day window, containment's length ratio 0.75, earliest copy kept) with each similarity, threshold and share of changed facts below, on four data sets so that no single one decides:\n\n- scoop: real scraped AI news, hand-labelled story clusters (title and snippet text), scored against its clusters\n- Reuters pairs: the 449 hard pairs of Reuters articles labelled by hand (`shared/data/reuters21578/labelled-pairs-dev.csv` and `labelled-pairs-dev-2.csv`, pooled), over all of `reuters.jsonl.gz`, scored pair by pair (`corpus eval --pairs`), in-sample here and cross-validated below the grid; look-alikes merged = pairs labelled DIFFERENT put in one cluster\n- hard generated: `cargo xtask gen --hard --docs 20000` with seeds 11 and 12 (copies cut to 30-95 %, paragraphs dropped, words changed; hard negatives made from real notices), scored against the truth; look-alikes merged from `pairs.csv`\n\n{table}\n"
        );
        crate::bench::write_keeping_notes(&root.join("TUNING.md"), &text)?;
        eprintln!("tune: wrote TUNING.md");
    }
    Ok(())
}

/// The data sets the grid is scored on: scoop, the Reuters pairs, two hard generated corpora
/// (generated once into `work`).
fn data_sets(shared: &Path, work: &Path) -> Result<Vec<DataSet>> {
    let reuters = shared.join("reuters21578");
    let mut sets = vec![
        scoop(shared, work)?,
        DataSet {
            name: "Reuters pairs",
            corpus: reuters
                .join("reuters.jsonl.gz")
                .to_string_lossy()
                .into_owned(),
            truth: None,
            pairs: None,
        },
    ];
    for (name, seed) in [
        ("hard generated, seed 11", 11),
        ("hard generated, seed 12", 12),
    ] {
        let dir = work.join(format!("hard-{seed}"));
        crate::generate::once(&dir, 20_000, seed, true, shared)?;
        sets.push(DataSet {
            name,
            corpus: dir.join("corpus.jsonl").to_string_lossy().into_owned(),
            truth: Some(dir.join("truth.csv")),
            pairs: Some(dir.join("pairs.csv")),
        });
    }
    Ok(sets)
}

/// The grid as a Markdown table, the best setting marked.
fn grid_table(rows: &[Row], sets: &[DataSet], best: usize) -> String {
    let mut table = String::from("| similarity | threshold | max changed facts | ");
    for set in sets {
        table.push_str(&format!("{} F1 (look-alikes merged) | ", set.name));
    }
    table.push_str("mean F1 |\n|---|---:|---:|");
    table.push_str(&"---:|".repeat(sets.len() + 1));
    table.push('\n');
    for (i, r) in rows.iter().enumerate() {
        let mark = if i == best { " **best**" } else { "" };
        table.push_str(&format!(
            "| {} | {} | {} | ",
            r.similarity, r.threshold, r.facts
        ));
        for (f1, merged) in &r.scores {
            match merged {
                Some(m) => table.push_str(&format!("{f1:.4} ({m}) | ")),
                None => table.push_str(&format!("{f1:.4} | ")),
            }
        }
        table.push_str(&format!("{:.4}{mark} |\n", r.mean));
    }
    table
}

/// One setting of the grid and what it scored on each set.
struct Row {
    similarity: &'static str,
    threshold: f64,
    facts: &'static str,
    /// Per set: F1, and the labelled look-alikes merged where the set has pairs.
    scores: Vec<(f64, Option<u64>)>,
    mean: f64,
}

/// The setting of the grid that `--preset news` uses.
const PRESET: (&str, f64, &str) = ("containment", 0.7, "0.3");

/// Folds of the cross-validation.
const FOLDS: usize = 5;

/// The labelled pairs cross-validated: each fold scored by the setting the preset's rule picks
/// from the scores on the other folds, and the preset's in-sample scores on each labelled set
/// beside it.
fn cross_validated(
    rows: &[Row],
    sets: &[DataSet],
    dev: &[Vec<(String, String, bool)>],
    pooled: &[(String, String, bool)],
    clusters: &[Vec<(String, String)>],
) -> String {
    let reuters = sets
        .iter()
        .position(|s| s.name == "Reuters pairs")
        .unwrap_or(0);
    let others = |row: &Row| -> f64 {
        row.scores
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != reuters)
            .map(|(_, s)| s.0)
            .sum()
    };
    let n = sets.len() as f64;
    // The preset's rule (see TUNING.md's notes): among the settings within 0.01 of the best
    // mean F1, the one that merges the fewest labelled look-alikes, then the best mean F1.
    let choose = |training: &[corpus_dedup::PairEvaluation]| -> usize {
        let mean = |s: usize| (training[s].f1 + others(&rows[s])) / n;
        let best = (0..training.len()).map(mean).fold(f64::MIN, f64::max);
        (0..training.len())
            .filter(|&s| mean(s) >= best - 0.01)
            .min_by(|&a, &b| {
                training[a]
                    .false_merges
                    .cmp(&training[b].false_merges)
                    .then(mean(b).total_cmp(&mean(a)))
                    .then(a.cmp(&b))
            })
            .unwrap_or(0)
    };
    let cv = corpus_dedup::cross_validate(pooled, clusters, FOLDS, choose);
    let name = |s: usize| {
        let r = &rows[s];
        format!("{} {} / facts {}", r.similarity, r.threshold, r.facts)
    };
    let line = |e: &corpus_dedup::PairEvaluation| {
        format!(
            "{:.3} | {:.3} | {:.4} | {} of {}",
            e.precision,
            e.recall,
            e.f1,
            e.false_merges,
            e.pairs - e.copies
        )
    };
    let mut out = format!(
        "\n### Cross-validated on the labelled pairs\n\n{FOLDS} folds over both sets pooled \
         ({} pairs, stratified by label); each fold is scored by the setting the preset's rule \
         picks with the pairs' scores taken on the other folds only: among the settings within \
         0.01 of the best mean F1 over the four sets, the one that merges the fewest labelled \
         look-alikes, then the best mean F1.\n\n\
         | fold | chosen setting | precision | recall | F1 | look-alikes merged |\n\
         |---|---|---:|---:|---:|---:|\n",
        pooled.len()
    );
    for (k, (s, e)) in cv.folds.iter().enumerate() {
        out.push_str(&format!("| {} | {} | {} |\n", k + 1, name(*s), line(e)));
    }
    out.push_str(&format!(
        "| **held out, all folds** | | {} |\n",
        line(&cv.held_out)
    ));
    if let Some(p) = rows
        .iter()
        .position(|r| (r.similarity, r.threshold, r.facts) == PRESET)
    {
        out.push_str(&format!(
            "\nThe preset ({}), in-sample:\n\n| pairs | precision | recall | F1 | look-alikes merged |\n|---|---:|---:|---:|---:|\n",
            name(p)
        ));
        for (label, pairs) in [
            ("first set (245)", &dev[0]),
            ("second set (204)", &dev[1]),
            ("both", &pooled.to_vec()),
        ] {
            let e = corpus_dedup::evaluate_pairs(pairs, &clusters[p]);
            out.push_str(&format!("| {label} | {} |\n", line(&e)));
        }
    }
    out
}

/// `(a, b, is_copy)` of a labelled pairs file.
fn read_pairs(path: &Path) -> Result<Vec<(String, String, bool)>> {
    let file = fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    corpus_dedup::read_labelled_pairs(file).with_context(|| format!("{}", path.display()))
}

/// `(document, cluster)` from a `--clusters` file.
fn read_clusters(path: &Path) -> Result<Vec<(String, String)>> {
    let file = fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let labels =
        corpus_dedup::read_clusters(file).with_context(|| format!("{}", path.display()))?;
    Ok(labels.rows)
}

/// F1 against labelled pairs and the look-alikes merged (`None` without pairs).
fn pairs_score(corpus: &Path, pairs: Option<&Path>, pred: &Path) -> Result<(f64, Option<u64>)> {
    let Some(pairs) = pairs else {
        return Ok((0.0, None));
    };
    let out = Command::new(corpus)
        .args(["eval", "--json", "--pairs"])
        .arg(pairs)
        .arg("--pred")
        .arg(pred)
        .output()?;
    if !out.status.success() {
        bail!(
            "corpus eval failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let e: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    Ok((e["f1"].as_f64().unwrap_or(0.0), e["false_merges"].as_u64()))
}

/// The scoop fixtures as JSON Lines (title, blank line, snippet) and `truth.csv`.
fn scoop(shared: &Path, work: &Path) -> Result<DataSet> {
    let dir = work.join("scoop");
    let corpus = dir.join("corpus.jsonl");
    let truth = dir.join("truth.csv");
    if !dir.join(".complete").exists() {
        fs::create_dir_all(&dir)?;
        crate::bench::untar(
            &shared.join("scoop_ai_news_dedup/scoop-testdata.tar.gz"),
            &dir,
        )?;
        let items =
            fs::read_to_string(dir.join("testdata/ground_truth/dedup_ground_truth_items.jsonl"))?;
        let mut out = std::io::BufWriter::new(fs::File::create(&corpus)?);
        let mut labels = std::io::BufWriter::new(fs::File::create(&truth)?);
        writeln!(labels, "id,cluster")?;
        for line in items.lines().filter(|l| !l.trim().is_empty()) {
            let item: serde_json::Value = serde_json::from_str(line)?;
            let file = item["file"].as_str().context("an item without a file")?;
            let story = item["story_gt_id"]
                .as_str()
                .context("an item without a story")?;
            let raw: serde_json::Value =
                serde_json::from_str(&fs::read_to_string(dir.join(file))?)?;
            let title = raw["title"].as_str().unwrap_or_default().trim();
            let body = raw["body_text"].as_str().unwrap_or_default().trim();
            let text = if body.is_empty() {
                title.to_owned()
            } else {
                format!("{title}\n\n{body}")
            };
            let record = serde_json::json!({ "id": file, "text": text, "date": raw["published_at"], "metadata": { "source": raw["source"] } });
            writeln!(out, "{record}")?;
            writeln!(labels, "{file},{story}")?;
        }
        out.flush()?;
        labels.flush()?;
        fs::write(dir.join(".complete"), "")?;
    }
    Ok(DataSet {
        name: "scoop",
        corpus: corpus.to_string_lossy().into_owned(),
        truth: Some(truth),
        pairs: None,
    })
}
