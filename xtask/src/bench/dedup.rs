//! The dedup benchmark: `corpus dedup` against the peers on the generated corpus, timed and scored.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::{Sample, Size, median, peers_python, score, time_process};

/// A dedup run: time, peak memory and scores against the generated truth.
struct DedupRow {
    tool: String,
    documents: u64,
    sample: Sample,
    f1: f64,
    ari: f64,
}

/// `corpus dedup` against datasketch and rensa on one generated file (same settings: 5-grams,
/// 128 permutations, threshold 0.8), then `corpus dedup` alone on larger ones.
pub(super) fn bench_dedup(
    root: &Path,
    shared: &Path,
    work: &Path,
    corpus: &Path,
    size: Size,
    runs: usize,
) -> Result<String> {
    let sizes: &[(usize, bool)] = match size {
        Size::Smoke => &[(1_000, true)],
        // Peers on 20k documents (datasketch needs about half a minute for them); us alone on
        // 100k and a million.
        Size::Full => &[(20_000, true), (100_000, false), (1_000_000, false)],
    };
    let python = peers_python(work);
    let mut rows = Vec::new();
    for &(docs, with_peers) in sizes {
        let dir = work.join(format!("dedup-{docs}"));
        crate::generate::once(&dir, docs, 3, false, shared)?;
        let jsonl = dir.join("corpus.jsonl").to_string_lossy().into_owned();
        let truth = dir.join("truth.csv");
        let pred = work.join("pred.csv");
        let pred_arg = pred.to_string_lossy().into_owned();
        let mut tools: Vec<(String, PathBuf, Vec<String>)> = vec![(
            "corpus dedup".into(),
            corpus.to_path_buf(),
            vec![
                "dedup".into(),
                "--quiet".into(),
                jsonl.clone(),
                "--clusters".into(),
                pred_arg.clone(),
            ],
        )];
        if with_peers {
            match &python {
                Ok(py) => {
                    for peer in ["rensa", "datasketch"] {
                        let script = root
                            .join(format!("xtask/peers/{peer}_dedup.py"))
                            .to_string_lossy()
                            .into_owned();
                        tools.push((
                            format!("{peer} (Python)"),
                            py.clone(),
                            vec![script, jsonl.clone(), pred_arg.clone()],
                        ));
                    }
                }
                Err(why) => eprintln!("bench: peers skipped: {why:#}"),
            }
        }
        for (tool, program, args) in tools {
            let peer_runs = if tool.starts_with("datasketch") {
                1
            } else {
                runs
            };
            let mut samples = Vec::new();
            for _ in 0..peer_runs {
                samples.push(time_process(&program, &args, work, &[])?.0);
            }
            let e = score(corpus, &truth, &pred)?;
            let seconds = median(samples.iter().map(|s| s.seconds).collect());
            let peak_kb = samples.iter().filter_map(|s| s.peak_kb).max();
            eprintln!("bench: dedup {docs} with {tool}: {seconds:.2} s");
            rows.push(DedupRow {
                tool,
                documents: docs as u64,
                sample: Sample { seconds, peak_kb },
                f1: e.0,
                ari: e.1,
            });
        }
    }
    let mut out = String::from(
        "| dedup (5-grams, 128 permutations, 0.8) | documents | time (median) | documents/s | vs rensa | vs datasketch | F1 | ARI | peak memory |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in &rows {
        let rate = r.documents as f64 / r.sample.seconds;
        let versus = |peer: &str| {
            rows.iter()
                .find(|o| o.tool.starts_with(peer) && o.documents == r.documents)
                .map_or_else(
                    || "".to_owned(),
                    |o| format!("{:.1}x", rate / (o.documents as f64 / o.sample.seconds)),
                )
        };
        out.push_str(&format!(
            "| {} | {} | {:.2} s | {:.0} | {} | {} | {:.4} | {:.4} | {} |\n",
            r.tool,
            r.documents,
            r.sample.seconds,
            rate,
            versus("rensa"),
            versus("datasketch"),
            r.f1,
            r.ari,
            r.sample.peak_kb.map_or_else(
                || "n/a".to_owned(),
                |kb| format!("{:.0} MB", kb as f64 / 1024.0)
            ),
        ));
    }
    Ok(out)
}
