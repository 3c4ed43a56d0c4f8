//! `cargo xtask tune`: the grid that the dedup settings of `--preset news` are chosen from.
//!
//! Four data sets, so that no single one decides: the scoop set (real scraped AI news with
//! hand-labelled story clusters), the 245 Reuters pairs labelled by hand, and two corpora of
//! `cargo xtask gen --hard` (cut copies and hard negatives). Every setting of the grid
//! (similarity, threshold, share of changed facts) runs `corpus dedup --preset news` with it on
//! each and is scored by `corpus eval`, with the look-alikes merged where pairs are labelled.
//! `--write` records the grid in TUNING.md, keeping its `## Notes`.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::generate::{GenOptions, OutFormat};

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
    let mut sets = vec![
        scoop(&shared, &work)?,
        DataSet {
            name: "Reuters pairs",
            corpus: reuters
                .join("reuters.jsonl.gz")
                .to_string_lossy()
                .into_owned(),
            truth: None,
            pairs: Some(reuters.join("labelled-pairs-dev.csv")),
        },
    ];
    for (name, seed) in [
        ("hard generated, seed 11", 11),
        ("hard generated, seed 12", 12),
    ] {
        let dir = work.join(format!("hard-{seed}"));
        if !dir.join(".complete").exists() {
            let options = GenOptions {
                docs: 20_000,
                seed,
                out: dir.clone(),
                format: OutFormat::Jsonl,
                copy_rate: 0.3,
                hard: true,
            };
            crate::generate::run(&options, &shared)?;
            fs::write(dir.join(".complete"), "")?;
        }
        sets.push(DataSet {
            name,
            corpus: dir.join("corpus.jsonl").to_string_lossy().into_owned(),
            truth: Some(dir.join("truth.csv")),
            pairs: Some(dir.join("pairs.csv")),
        });
    }

    let pred = work.join("pred.csv");
    let mut rows: Vec<Row> = Vec::new();
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
    let mut table = String::from("| similarity | threshold | max changed facts | ");
    for set in &sets {
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
    println!("{table}");
    if write {
        let text = format!(
            "# Dedup tuning\n\nWritten by `cargo xtask tune --write`; rerun it to refresh (the Notes section is kept). The grid runs `corpus dedup --preset news` (2-grams, 128 permutations, a 3-day window, containment's length ratio 0.75, earliest copy kept) with each similarity, threshold and share of changed facts below, on four data sets so that no single one decides:\n\n- scoop: real scraped AI news, hand-labelled story clusters (title and snippet text), scored against its clusters\n- Reuters pairs: the 245 hard pairs of Reuters articles labelled by hand (`shared/data/reuters21578/labelled-pairs-dev.csv`), over all of `reuters.jsonl.gz`, scored pair by pair (`corpus eval --pairs`); look-alikes merged = pairs labelled DIFFERENT put in one cluster\n- hard generated: `cargo xtask gen --hard --docs 20000` with seeds 11 and 12 (copies cut to 30-95 %, paragraphs dropped, words changed; hard negatives made from real notices), scored against the truth; look-alikes merged from `pairs.csv`\n\n{table}\n"
        );
        crate::bench::write_keeping_notes(&root.join("TUNING.md"), &text)?;
        eprintln!("tune: wrote TUNING.md");
    }
    Ok(())
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
