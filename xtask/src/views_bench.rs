//! `cargo xtask bench views`: `corpus kwic` and `corpus collocations` against NLTK doing the
//! same (`xtask/peers/nltk_views.py`: `Text.concordance_list`, `BigramCollocationFinder` with
//! `likelihood_ratio`), whole process, on the Reuters articles and the generated corpus; and
//! our scores against NLTK's `likelihood_ratio` and `pmi` over the same counts.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::bench::{Sample, median, time_command, time_process};

/// The node words whose collocation scores are checked against NLTK's.
const CHECKED: [&str; 3] = ["oil", "rates", "shares"];

fn arg(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn peak(samples: &[Sample]) -> String {
    samples.iter().filter_map(|s| s.peak_kb).max().map_or_else(
        || "n/a".to_owned(),
        |kb| format!("{:.0} MB", kb as f64 / 1024.0),
    )
}

/// The table of the views' figures; fails when a score differs from NLTK's.
pub(crate) fn bench(
    root: &Path,
    work: &Path,
    corpus: &Path,
    python: &Path,
    reuters: &Path,
    generated: &Path,
    runs: usize,
) -> Result<String> {
    // NLTK takes minutes on the full corpus: it runs once.
    let nltk_runs = 1;
    let script = root.join("xtask/peers/nltk_views.py");
    let mut out = format!(
        "| view | input | corpus (median of {runs}) | NLTK (median of {nltk_runs}) | ratio (NLTK / corpus) | corpus peak | NLTK peak | corpus found | NLTK found |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n"
    );
    for (label, input) in [
        ("Reuters (JSON Lines, gzip)", reuters),
        ("generated JSON Lines", generated),
    ] {
        let size = fs::metadata(input)?.len() as f64 / 1e6;
        let cases: [(&str, Vec<String>, Vec<String>); 2] = [
            (
                "kwic `oil` (every hit, CSV)",
                vec!["kwic".into(), "oil".into(), arg(input), "--csv".into()],
                vec![arg(&script), "kwic".into(), "oil".into(), arg(input)],
            ),
            (
                "bigram collocations by G2, min freq 3",
                vec![
                    "collocations".into(),
                    "--bigrams".into(),
                    arg(input),
                    "--stopwords".into(),
                    "none".into(),
                    "--min-freq".into(),
                    "3".into(),
                    "--by".into(),
                    "ll".into(),
                    "--csv".into(),
                ],
                vec![arg(&script), "bigrams".into(), arg(input)],
            ),
        ];
        for (name, ours_args, nltk_args) in cases {
            let output = work.join("views-output.csv");
            let mut ours = Vec::new();
            for _ in 0..runs {
                let sink = fs::File::create(&output)?;
                ours.push(time_command(corpus, &ours_args, work, &[], Stdio::from(sink), 0)?.0);
            }
            let found = fs::read(&output)?.iter().filter(|&&b| b == b'\n').count() - 1;
            let mut nltk = Vec::new();
            let mut nltk_found = String::new();
            for _ in 0..nltk_runs {
                let (sample, stdout) = time_process(python, &nltk_args, work, &[])?;
                nltk_found = String::from_utf8_lossy(&stdout).trim().to_owned();
                nltk.push(sample);
            }
            let (a, b) = (
                median(ours.iter().map(|s| s.seconds).collect()),
                median(nltk.iter().map(|s| s.seconds).collect()),
            );
            eprintln!("bench: views: {name}, {label}: corpus {a:.2} s, NLTK {b:.2} s");
            out.push_str(&format!(
                "| {name} | {label}, {size:.0} MB | {a:.2} s | {b:.2} s | {:.1} | {} | {} | {found} | {nltk_found} |\n",
                b / a,
                peak(&ours),
                peak(&nltk),
            ));
        }
    }
    let checked = check_scores(root, work, corpus, python, reuters)?;
    out.push_str(&format!(
        "\nScores checked against NLTK 3.10.4 (`likelihood_ratio` and `pmi` of the same o11, r1, c1, n; relative to the value, at least 1) on Reuters: {}.\n",
        checked.join("; ")
    ));
    Ok(out)
}

/// The collocation scores on Reuters checked against NLTK's from the same four counts of each
/// row: what was checked, and the largest difference, per list.
fn check_scores(
    root: &Path,
    work: &Path,
    corpus: &Path,
    python: &Path,
    reuters: &Path,
) -> Result<Vec<String>> {
    let mut checked = Vec::new();
    let mut lists: Vec<(String, Vec<String>)> = CHECKED
        .iter()
        .map(|w| {
            (
                format!("--node {w}"),
                vec![
                    "--node".to_owned(),
                    (*w).to_owned(),
                    "--min-freq".into(),
                    "1".into(),
                ],
            )
        })
        .collect();
    lists.push((
        "--bigrams".into(),
        vec!["--bigrams".into(), "--min-freq".into(), "1".into()],
    ));
    for (what, extra) in lists {
        let csv = work.join("views-scores.csv");
        let mut args = vec![
            "collocations".to_owned(),
            "-q".into(),
            arg(reuters),
            "--csv".into(),
        ];
        args.extend(extra);
        args.extend(["--stopwords".into(), "none".into()]);
        let status = Command::new(corpus)
            .args(&args)
            .stdout(fs::File::create(&csv)?)
            .status()?;
        if !status.success() {
            bail!("corpus collocations {what} failed");
        }
        let check = Command::new(python)
            .arg(root.join("xtask/peers/nltk_views.py"))
            .arg("check")
            .arg(&csv)
            .output()?;
        if !check.status.success() {
            bail!(
                "the NLTK check failed: {}",
                String::from_utf8_lossy(&check.stderr)
            );
        }
        let said = String::from_utf8_lossy(&check.stdout).trim().to_owned();
        let (rows, worst) = said
            .split_once(' ')
            .and_then(|(r, w)| Some((r.parse::<u64>().ok()?, w.parse::<f64>().ok()?)))
            .with_context(|| format!("the NLTK check printed {said:?}"))?;
        if rows == 0 || worst > 1e-9 {
            bail!(
                "collocations {what} on Reuters: {rows} rows, scores differ from NLTK's by up to {worst:e}"
            );
        }
        eprintln!("bench: views: {what}: {rows} scores equal NLTK's within {worst:e}");
        checked.push(format!(
            "`{what}` {rows} pairs, largest difference {worst:.1e}"
        ));
    }
    Ok(checked)
}
