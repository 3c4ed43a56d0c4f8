//! `cargo xtask bench languages`: what telling each document's language costs `corpus stats`
//! (against `--lang en`, which tells none, on the same generated English corpus, in the same
//! run), and `corpus stats` of Chinese news against counting its words with jieba in Python
//! (`xtask/peers/word_referees.py`), whole process, on the SemEval Chinese texts repeated.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::bench::{Case, Size, time_process};

/// Times the SemEval Chinese texts are repeated: about 20 MB for a full run, 0.4 MB for a smoke
/// run.
fn zh_copies(size: Size) -> usize {
    match size {
        Size::Full => 100,
        Size::Smoke => 2,
    }
}

fn arg(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// The two cases; the Chinese one only where the SemEval data and the peers' Python are.
pub(crate) fn bench(
    root: &Path,
    shared: &Path,
    work: &Path,
    corpus: &Path,
    python: Option<&Path>,
    generated: &Path,
    (size, runs): (Size, usize),
) -> Result<Vec<Case>> {
    let bytes = fs::metadata(generated)?.len();
    let mut told = Case::new(
        "stats: generated JSON Lines, each language told".into(),
        bytes,
        "stats --lang en (none told)",
    );
    let stats = |extra: &[&str], input: &Path| {
        let mut a: Vec<String> = vec!["stats".into(), "--quiet".into(), "--json".into()];
        a.extend(extra.iter().map(|s| (*s).to_owned()));
        a.push(arg(input));
        a
    };
    for _ in 0..runs {
        let (sample, stdout) = time_process(corpus, &stats(&[], generated), work, &[])?;
        told.documents = crate::bench::stats_documents(&stdout);
        told.ours.push(sample);
        let none_told = stats(&["--lang", "en"], generated);
        told.reference
            .push(time_process(corpus, &none_told, work, &[])?.0);
    }
    eprintln!("bench: {} done", told.name);
    let mut cases = vec![told];

    let semeval = shared.join("semeval2022_task8_news_similarity/training_set.csv.gz");
    let Some(python) = python.filter(|_| semeval.exists()) else {
        eprintln!("bench: Chinese words skipped: no SemEval data or no peers' Python");
        return Ok(cases);
    };
    let copies = zh_copies(size);
    let zh = chinese_corpus(corpus, &semeval, work, copies)?;
    let bytes = fs::metadata(&zh)?.len();
    let mut chinese = Case::new(
        format!("stats: SemEval Chinese news x{copies} (JSON Lines)"),
        bytes,
        "jieba 0.42.1 counting words (Python)",
    );
    let script = root.join("xtask/peers/word_referees.py");
    let jieba_args = [arg(&script), "jsonl".into(), "zh".into(), arg(&zh)];
    for _ in 0..runs {
        let (sample, stdout) = time_process(corpus, &stats(&[], &zh), work, &[])?;
        chinese.documents = crate::bench::stats_documents(&stdout);
        chinese.ours.push(sample);
        chinese
            .reference
            .push(time_process(python, &jieba_args, work, &[])?.0);
    }
    eprintln!("bench: {} done", chinese.name);
    cases.push(chinese);
    Ok(cases)
}

/// The SemEval training texts labelled Chinese, `copies` times over with ids of their own, as
/// JSON Lines (made once): read by `corpus parse`, so that the texts are what stats reads.
fn chinese_corpus(
    corpus: &Path,
    semeval: &Path,
    work: &Path,
    copies: usize,
) -> Result<std::path::PathBuf> {
    let out = work.join(format!("semeval-zh-x{copies}.jsonl"));
    if out.exists() {
        return Ok(out);
    }
    let mut texts = Vec::new();
    for side in ["1", "2"] {
        let run = std::process::Command::new(corpus)
            .args(["parse", "--quiet", "--text-col"])
            .arg(format!("text{side}"))
            .arg(semeval)
            .output()
            .context("corpus parse of the SemEval pairs")?;
        for line in String::from_utf8_lossy(&run.stdout).lines() {
            let doc: serde_json::Value = serde_json::from_str(line)?;
            if doc["metadata"][format!("lang{side}")] == "zh" {
                texts.push(doc["text"].as_str().unwrap_or_default().to_owned());
            }
        }
    }
    let tmp = out.with_extension("tmp");
    let mut file = std::io::BufWriter::new(fs::File::create(&tmp)?);
    for copy in 0..copies {
        for (i, text) in texts.iter().enumerate() {
            let line = serde_json::json!({"id": format!("zh-{copy}-{i}"), "text": text});
            writeln!(file, "{line}")?;
        }
    }
    file.flush()?;
    drop(file);
    fs::rename(&tmp, &out)?;
    Ok(out)
}
