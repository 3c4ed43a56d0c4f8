//! The archive benchmark: one day of generated documents against the index of an archive,
//! against deduplicating that day alone (the targets: at most 2x the time and 1.5x the peak
//! memory); `corpus index build` of the archive against a plain `corpus dedup` of it; the
//! index's bytes per document. News preset throughout.

use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use anyhow::Result;

use super::{Sample, Size, median, time_process};

/// Runs `args` `runs` times: the median time and the largest peak.
fn timed(corpus: &Path, args: &[&str], work: &Path, runs: usize) -> Result<Sample> {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let mut samples = Vec::new();
    for _ in 0..runs {
        samples.push(time_process(corpus, &args, work, &[])?.0);
    }
    Ok(Sample {
        seconds: median(samples.iter().map(|s| s.seconds).collect()),
        peak_kb: samples.iter().filter_map(|s| s.peak_kb).max(),
    })
}

/// The first `first` lines of `from` into `a`, the rest into `b`.
fn split(from: &Path, first: usize, a: &Path, b: &Path) -> Result<()> {
    let input = BufReader::new(fs::File::open(from)?);
    let mut out_a = BufWriter::new(fs::File::create(a)?);
    let mut out_b = BufWriter::new(fs::File::create(b)?);
    for (i, line) in input.lines().enumerate() {
        let out = if i < first { &mut out_a } else { &mut out_b };
        writeln!(out, "{}", line?)?;
    }
    out_a.flush()?;
    out_b.flush()?;
    Ok(())
}

pub(super) fn bench_archive(
    shared: &Path,
    work: &Path,
    corpus: &Path,
    size: Size,
    runs: usize,
) -> Result<String> {
    let (archive_docs, day_docs) = match size {
        Size::Smoke => (4_000, 500),
        Size::Full => (1_000_000, 50_000),
    };
    let dir = work.join(format!("archive-{archive_docs}"));
    crate::generate::once(&dir, archive_docs + day_docs, 3, false, shared)?;
    let (archive, day) = (dir.join("archive.jsonl"), dir.join("day.jsonl"));
    if !dir.join(".split").exists() {
        split(&dir.join("corpus.jsonl"), archive_docs, &archive, &day)?;
        fs::write(dir.join(".split"), "")?;
    }
    let idx = dir.join("archive.idx");
    let (archive, day, idx_arg) = (
        archive.to_string_lossy().into_owned(),
        day.to_string_lossy().into_owned(),
        idx.to_string_lossy().into_owned(),
    );
    // The archive's runs take a minute each at full size: fewer of them.
    let archive_runs = runs.min(2);
    let plain = timed(
        corpus,
        &["dedup", "--preset", "news", "-q", &archive],
        work,
        archive_runs,
    )?;
    let build = timed(
        corpus,
        &[
            "index", "build", "--preset", "news", "-q", &archive, "-o", &idx_arg,
        ],
        work,
        archive_runs,
    )?;
    let bytes = fs::metadata(&idx)?.len();
    // The day alone and against the index, alternating so that drift hits both.
    let (mut alone, mut against) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        alone.push(timed(
            corpus,
            &["dedup", "--preset", "news", "-q", &day],
            work,
            1,
        )?);
        against.push(timed(
            corpus,
            &["dedup", "--against", &idx_arg, "-q", &day],
            work,
            1,
        )?);
    }
    let summary = |s: &[Sample]| Sample {
        seconds: median(s.iter().map(|x| x.seconds).collect()),
        peak_kb: s.iter().filter_map(|x| x.peak_kb).max(),
    };
    let (alone, against) = (summary(&alone), summary(&against));
    let mb = |s: &Sample| {
        s.peak_kb.map_or_else(
            || "n/a".to_owned(),
            |kb| format!("{:.0} MB", kb as f64 / 1024.0),
        )
    };
    let memory_ratio = match (against.peak_kb, alone.peak_kb) {
        (Some(a), Some(b)) if b > 0 => format!("{:.2}x", a as f64 / b as f64),
        _ => "n/a".to_owned(),
    };
    eprintln!(
        "bench: archive: day alone {:.2} s, against {:.2} s; build {:.2} s, plain {:.2} s",
        alone.seconds, against.seconds, build.seconds, plain.seconds
    );
    let mut out = String::from(
        "| archive (news preset) | documents | time (median) | peak memory | ratio |\n|---|---:|---:|---:|---|\n",
    );
    out.push_str(&format!(
        "| `dedup` of one day alone | {day_docs} | {:.2} s | {} | reference |\n",
        alone.seconds,
        mb(&alone)
    ));
    out.push_str(&format!(
        "| `dedup --against` the index of {archive_docs} | {day_docs} | {:.2} s | {} | {:.2}x the time, {memory_ratio} the memory (targets: 2x, 1.5x) |\n",
        against.seconds,
        mb(&against),
        against.seconds / alone.seconds
    ));
    out.push_str(&format!(
        "| `dedup` of the archive | {archive_docs} | {:.2} s | {} | reference |\n",
        plain.seconds,
        mb(&plain)
    ));
    out.push_str(&format!(
        "| `index build` of the archive | {archive_docs} | {:.2} s | {} | {:.2}x the time; {:.0} bytes a document on disk |\n",
        build.seconds,
        mb(&build),
        build.seconds / plain.seconds,
        bytes as f64 / archive_docs as f64
    ));
    Ok(out)
}
