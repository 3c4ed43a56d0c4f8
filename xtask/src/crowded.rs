//! The worst cases of work per document (`cargo xtask bench crowded`): inputs that once made
//! deduplication quadratic or a concordance hold many times its document.
//!
//! - `Story N text here.` for N up to n, with `--preset news`: one-line documents whose lead
//!   bands are all alike, so one LSH bucket holds them all;
//! - n pages of one 300-word template with 100 words of their own, with `--preset web`: the
//!   template's bands are shared by every page;
//! - `corpus kwic word` over one document of millions of `word`s, with `--limit 1` and with
//!   `--count`.
//!
//! Each deduplication is timed at n, 2n, 4n, ... 16n; its time from n to 16n must grow no
//! faster than n log n (a factor of 16 log(16n) / log(n), with a fifth more for the machine's
//! noise), and
//! with `--size full` the 40,000-document cases must take under 1 s (news) and 2 s (web). The
//! concordance's peak memory must stay under 3 times its document's size.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Result, bail};

use crate::bench::{Size, median, time_process};

/// Words of the template every templated page shares, and of each page's own.
const TEMPLATE_WORDS: usize = 300;
const OWN_WORDS: usize = 100;

pub(crate) fn bench(work: &Path, corpus: &Path, size: Size, runs: usize) -> Result<String> {
    let dir = work.join("crowded");
    fs::create_dir_all(&dir)?;
    let (sizes, doc_mib): (&[usize], usize) = match size {
        Size::Smoke => (&[2_000, 8_000], 8),
        Size::Full => (&[10_000, 20_000, 40_000, 80_000, 160_000], 200),
    };
    let mut out = String::from(
        "| crowded bands | preset | documents | time (median) | peak memory | time / first size's |\n|---|---|---:|---:|---:|---:|\n",
    );
    let mut failures = Vec::new();
    for (label, preset) in [
        ("`Story N text here.`", "news"),
        ("one template, 100 words own", "web"),
    ] {
        let mut first: Option<(usize, f64)> = None;
        for &n in sizes {
            let path = dir.join(format!("{preset}-{n}.jsonl"));
            if !path.exists() {
                write_corpus(&path, n, preset == "web")?;
            }
            let args: Vec<String> = ["dedup", "-q", "--preset", preset]
                .iter()
                .map(|a| (*a).to_owned())
                .chain([path.to_string_lossy().into_owned()])
                .collect();
            let mut times = Vec::new();
            let mut peak = None;
            for _ in 0..runs {
                let (sample, _) = time_process(corpus, &args, work, &[])?;
                times.push(sample.seconds);
                peak = peak.max(sample.peak_kb);
            }
            let t = median(times);
            eprintln!("bench: crowded {preset} {n}: {t:.2} s");
            let (n0, t0) = *first.get_or_insert((n, t));
            let growth = t / t0.max(1e-3);
            let ratio = n as f64 / n0 as f64;
            let bound = 1.2 * ratio * (n as f64).ln() / (n0 as f64).ln();
            // Judged from the first size to the last (steps between are noise-prone), and not
            // on times under a tenth of a second, which are the process starting.
            if Some(&n) == sizes.last() && n > n0 && t > 0.1 && growth > bound {
                failures.push(format!(
                    "{preset} dedup of {n} crowded documents took {growth:.1}x the time of {n0} (n log n allows {bound:.1}x)"
                ));
            }
            let limit = match preset {
                "news" => 1.0,
                _ => 2.0,
            };
            if size == Size::Full && n == 40_000 && t > limit {
                failures.push(format!(
                    "{preset} dedup of 40,000 crowded documents took {t:.2} s, over {limit} s"
                ));
            }
            out.push_str(&format!(
                "| {label} | {preset} | {n} | {t:.2} s | {} | {growth:.1}x |\n",
                peak.map_or_else(
                    || "n/a".to_owned(),
                    |kb| format!("{:.0} MB", kb as f64 / 1024.0)
                ),
            ));
        }
    }
    // One document of `doc_mib` MiB of `word `: every word a hit.
    let big = dir.join(format!("word-{doc_mib}m.txt"));
    if !big.exists() {
        let mut w = BufWriter::new(fs::File::create(&big)?);
        w.write_all(b" date 2021-01-01 ")?;
        let block = b"word ".repeat(1 << 18);
        for _ in 0..doc_mib * 4 / 5 {
            w.write_all(&block)?;
        }
        w.write_all(b"\n")?;
        w.flush()?;
    }
    let doc_kb = fs::metadata(&big)?.len() / 1024;
    out.push_str(
        "\n| concordance of one document | document | time | peak memory | bound (3x the document) |\n|---|---:|---:|---:|---:|\n",
    );
    for extra in [["--limit", "1"], ["--count", "--csv"]] {
        let mut args: Vec<String> = vec!["kwic".into(), "-q".into(), "word".into()];
        args.push(big.to_string_lossy().into_owned());
        args.extend(extra.iter().map(|a| (*a).to_owned()));
        let (sample, _) = time_process(corpus, &args, work, &[])?;
        let peak = sample.peak_kb;
        if peak.is_some_and(|kb| kb > 3 * doc_kb) {
            failures.push(format!(
                "kwic {} of a {doc_kb} KB document peaked at {} KB, over 3x",
                extra.join(" "),
                peak.unwrap_or_default()
            ));
        }
        out.push_str(&format!(
            "| `kwic word {}` | {:.0} MB | {:.2} s | {} | {:.0} MB |\n",
            extra.join(" "),
            doc_kb as f64 / 1024.0,
            sample.seconds,
            peak.map_or_else(
                || "n/a (no GNU time)".to_owned(),
                |kb| format!("{:.0} MB", kb as f64 / 1024.0)
            ),
            3.0 * doc_kb as f64 / 1024.0,
        ));
    }
    if !failures.is_empty() {
        bail!("crowded cases: {}", failures.join("; "));
    }
    Ok(out)
}

/// `n` one-line stories, or `n` pages of one template with words of their own (a fixed
/// generator: the same bytes every time).
fn write_corpus(path: &Path, n: usize, templated: bool) -> Result<()> {
    let mut w = BufWriter::new(fs::File::create(path)?);
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut word = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        format!("w{}", state % 50_000)
    };
    let template: Vec<String> = (0..TEMPLATE_WORDS).map(|_| word()).collect();
    let template = template.join(" ");
    for i in 0..n {
        let text = if templated {
            let own: Vec<String> = (0..OWN_WORDS).map(|_| word()).collect();
            format!("{template} {}", own.join(" "))
        } else {
            format!("Story {i} text here.")
        };
        writeln!(w, "{{\"id\":\"{i}\",\"text\":\"{text}\"}}")?;
    }
    w.flush()?;
    Ok(())
}
