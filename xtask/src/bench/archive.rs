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
    let (days, rows) = days_against_one_run(corpus, &dir, work, 30)?;
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
    out.push_str(&format!(
        "\n{} documents in {days} days by date, each `dedup --against --update` the index of the days before: each day's cluster rows are one run's over them all ({rows} rows checked)\n",
        archive_docs + day_docs
    ));
    Ok(out)
}

/// The whole generated corpus of `dir` split by date into `days` files (`day-NN.jsonl`), then
/// deduplicated two ways: one run over the files in order, and the first as an index and
/// each later day against it with `--update`. Each day's cluster rows must be one run's rows
/// of that day's documents (the copies of the day, each after its cluster's kept copy,
/// archived or of the day), byte for byte: an error names the first day that differs.
/// Returns how many days there were and how many rows were compared.
fn days_against_one_run(
    corpus: &Path,
    dir: &Path,
    work: &Path,
    days: usize,
) -> Result<(usize, usize)> {
    let files = split_by_date(&dir.join("corpus.jsonl"), dir, days)?;
    let names: Vec<String> = files
        .iter()
        .map(|(f, _)| f.to_string_lossy().into_owned())
        .collect();
    let csv = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let one = csv("days-one.csv");
    let mut args = vec!["dedup", "--preset", "news", "-q", "--clusters", &one];
    args.extend(names.iter().map(String::as_str));
    run_quiet(corpus, &args, work)?;
    let one_rows = fs::read_to_string(&one)?;
    let idx = csv("days.idx");
    let _ = fs::remove_file(&idx);
    run_quiet(
        corpus,
        &[
            "index", "build", "--preset", "news", "-q", &names[0], "-o", &idx,
        ],
        work,
    )?;
    let mut rows = 0;
    for (day, (name, (_, ids))) in names.iter().zip(&files).enumerate().skip(1) {
        let out = csv("days-day.csv");
        run_quiet(
            corpus,
            &[
                "dedup",
                "--against",
                &idx,
                "--update",
                "-q",
                name,
                "--clusters",
                &out,
            ],
            work,
        )?;
        let got = fs::read_to_string(&out)?;
        let got: Vec<&str> = got.lines().skip(1).collect();
        let expected = rows_of_day(&one_rows, ids);
        if got != expected {
            let at = got.iter().zip(&expected).position(|(a, b)| a != b);
            anyhow::bail!(
                "day {day} of {days} against the index differs from one run: {} rows against {}, first difference at {at:?}",
                got.len(),
                expected.len()
            );
        }
        rows += got.len();
    }
    if rows == 0 {
        anyhow::bail!("no day had a copy: nothing was compared");
    }
    Ok((files.len(), rows))
}

/// Runs the corpus binary; fails with its stderr when it fails.
fn run_quiet(corpus: &Path, args: &[&str], work: &Path) -> Result<()> {
    let out = std::process::Command::new(corpus)
        .args(args)
        .current_dir(work)
        .stdout(std::process::Stdio::null())
        .output()?;
    if !out.status.success() {
        anyhow::bail!(
            "corpus {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

/// One run's rows (of `csv`, after its header) that the day of documents `day` reports: its
/// copies, each after the kept copy of its cluster (archived or of the day). A kept copy
/// whose copies come later is reported with them, the day they come.
fn rows_of_day<'a>(csv: &'a str, day: &std::collections::HashSet<String>) -> Vec<&'a str> {
    let rows: Vec<(&str, Vec<&str>)> = csv
        .lines()
        .skip(1)
        .map(|l| (l, l.split(',').collect()))
        .collect();
    let clusters: std::collections::HashSet<&str> = rows
        .iter()
        .filter(|(_, r)| r[2] == "false" && day.contains(r[1]))
        .map(|(_, r)| r[0])
        .collect();
    rows.iter()
        .filter(|(_, r)| clusters.contains(r[0]) && (r[2] == "true" || day.contains(r[1])))
        .map(|(l, _)| *l)
        .collect()
}

/// Splits the JSON Lines corpus `from` by date into `days` files of equal date spans in
/// `dir` (input order kept within each); returns each file and the ids it holds.
fn split_by_date(
    from: &Path,
    dir: &Path,
    days: usize,
) -> Result<Vec<(std::path::PathBuf, std::collections::HashSet<String>)>> {
    let date_of = |line: &str| -> Result<(String, i64)> {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let id = v["id"].as_str().unwrap_or_default().to_owned();
        let date = v["date"].as_str().unwrap_or_default();
        let day = corpus_core::Date::parse(date)
            .map_err(|e| anyhow::anyhow!("a generated document without a date: {id}: {e}"))?
            .days();
        Ok((id, day))
    };
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for line in BufReader::new(fs::File::open(from)?).lines() {
        let (_, day) = date_of(&line?)?;
        (lo, hi) = (lo.min(day), hi.max(day));
    }
    let span = (hi - lo + 1) as usize;
    let mut files = Vec::new();
    let mut outs = Vec::new();
    for d in 0..days {
        let path = dir.join(format!("day-{d:02}.jsonl"));
        outs.push(BufWriter::new(fs::File::create(&path)?));
        files.push((path, std::collections::HashSet::new()));
    }
    for line in BufReader::new(fs::File::open(from)?).lines() {
        let line = line?;
        let (id, day) = date_of(&line)?;
        let d = ((day - lo) as usize * days / span).min(days - 1);
        writeln!(outs[d], "{line}")?;
        files[d].1.insert(id);
    }
    for mut out in outs {
        out.flush()?;
    }
    Ok(files)
}
