//! `cargo xtask bench`: our commands against a reference on the same files, in the same run.
//!
//! Every case times whole processes, several runs alternating ours and the reference so that
//! the machine's drift hits both, and quotes medians. Peak memory comes from GNU time
//! (`/usr/bin/time -f %M`) where it is installed. `--write` records the table in BENCHMARKS.md
//! with the machine, date and commit.
//!
//! Cases: `parse` and `stats` over the Reuters articles (a folder of 19,043 files) and over a
//! generated JSON Lines corpus (about 1 GB with `--size full`), against `wc -w` over the same
//! files with `LC_ALL=C.UTF-8` (multibyte-aware, as our word rules are Unicode-aware).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::generate::{GenOptions, OutFormat};

/// How big a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Size {
    /// Seconds: for CI, to prove the harness works.
    Smoke,
    /// The real thing: a generated corpus of about 1 GB.
    Full,
}

pub(crate) struct BenchOptions {
    pub(crate) what: String,
    pub(crate) size: Size,
    pub(crate) runs: usize,
    pub(crate) write: bool,
}

struct Case {
    name: String,
    input_bytes: u64,
    documents: u64,
    ours: Vec<Sample>,
    reference: Vec<Sample>,
    reference_name: &'static str,
}

#[derive(Clone, Copy)]
struct Sample {
    seconds: f64,
    peak_kb: Option<u64>,
}

pub(crate) fn run(options: &BenchOptions) -> Result<()> {
    let root = crate::root();
    let shared = root.join("../shared/data");
    let work = root.join("target/bench");
    fs::create_dir_all(&work)?;
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--locked", "--package", "corpus-cli"])
        .current_dir(&root)
        .status()?;
    if !status.success() {
        bail!("cannot build the release binary");
    }
    let corpus = root.join("target/release/corpus");

    let reuters = work.join("reuters");
    if !reuters.join(".complete").exists() {
        eprintln!(
            "bench: unpacking the Reuters articles into {}",
            reuters.display()
        );
        let _ = fs::remove_dir_all(&reuters);
        fs::create_dir_all(&reuters)?;
        let ok = Command::new("tar")
            .arg("xzf")
            .arg(shared.join("reuters21578/reuters-articles.tar.gz"))
            .arg("-C")
            .arg(&reuters)
            .status()?;
        if !ok.success() {
            bail!("cannot unpack the Reuters articles");
        }
        fs::write(reuters.join(".complete"), "")?;
    }
    let (gen_docs, gen_name) = match options.size {
        Size::Smoke => (2_000, "gen-smoke"),
        Size::Full => (820_000, "gen-full"),
    };
    let generated = work.join(gen_name);
    if !generated.join(".complete").exists() {
        eprintln!(
            "bench: generating {gen_docs} documents into {}",
            generated.display()
        );
        let started = Instant::now();
        let options_gen = GenOptions {
            docs: gen_docs,
            seed: 1,
            out: generated.clone(),
            format: OutFormat::Jsonl,
            copy_rate: 0.3,
        };
        crate::generate::run(&options_gen, &shared)?;
        fs::write(generated.join(".complete"), "")?;
        eprintln!("bench: generated in {:.0?}", started.elapsed());
    }
    let jsonl = generated.join("corpus.jsonl");

    let reuters_files = files_under(&reuters.join("reuters-articles"))?;
    let list = work.join("reuters-files.list");
    let mut nul_separated = Vec::new();
    for f in &reuters_files {
        nul_separated.extend_from_slice(f.to_string_lossy().as_bytes());
        nul_separated.push(0);
    }
    fs::write(&list, nul_separated)?;
    let reuters_bytes: u64 = reuters_files
        .iter()
        .map(|f| fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    let jsonl_bytes = fs::metadata(&jsonl)?.len();

    let runs = match options.size {
        Size::Smoke => 1,
        Size::Full => options.runs,
    };
    let mut cases = Vec::new();
    let inputs: [(&str, &Path, u64, Vec<String>); 2] = [
        (
            "Reuters articles (folder)",
            &reuters,
            reuters_bytes,
            vec!["--files0-from".into(), list.to_string_lossy().into_owned()],
        ),
        (
            "generated JSON Lines",
            &jsonl,
            jsonl_bytes,
            vec![jsonl.to_string_lossy().into_owned()],
        ),
    ];
    for command in ["parse", "stats"] {
        if options.what != "all" && options.what != command {
            continue;
        }
        for (label, input, bytes, wc_args) in &inputs {
            let input = input.to_string_lossy().into_owned();
            let ours_args: Vec<String> = match command {
                "parse" => vec!["parse".into(), "--quiet".into(), input.clone()],
                _ => vec![
                    "stats".into(),
                    "--quiet".into(),
                    "--json".into(),
                    input.clone(),
                ],
            };
            let mut case = Case {
                name: format!("{command}: {label}"),
                input_bytes: *bytes,
                documents: 0,
                ours: Vec::new(),
                reference: Vec::new(),
                reference_name: "wc -w",
            };
            for _ in 0..runs {
                let (sample, stdout) = time_process(&corpus, &ours_args, &work, &[])?;
                if case.documents == 0 {
                    case.documents = count_documents(command, &stdout);
                }
                case.ours.push(sample);
                let (sample, _) =
                    time_process(Path::new("wc"), wc_args, &work, &[("LC_ALL", "C.UTF-8")])?;
                case.reference.push(sample);
            }
            eprintln!("bench: {} done", case.name);
            cases.push(case);
        }
    }
    if options.what == "dedup" {
        eprintln!("bench: dedup is not built yet (issue 4); nothing to measure");
    }
    let table = render(&cases, runs);
    println!("{table}");
    if options.write {
        write_benchmarks_md(&root, &table, options.size)?;
    }
    Ok(())
}

fn count_documents(command: &str, stdout: &[u8]) -> u64 {
    match command {
        "parse" => stdout.iter().filter(|&&b| b == b'\n').count() as u64,
        _ => serde_json::from_slice::<serde_json::Value>(stdout)
            .ok()
            .and_then(|v| v["counts"]["documents"].as_u64())
            .unwrap_or(0),
    }
}

fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

/// Runs a process to the end, timing it and, with GNU time, measuring its peak memory.
/// Standard output is kept (for counting documents); standard error is discarded.
fn time_process(
    program: &Path,
    args: &[String],
    work: &Path,
    env: &[(&str, &str)],
) -> Result<(Sample, Vec<u8>)> {
    let gnu_time = Path::new("/usr/bin/time");
    let peak_file = work.join("peak.txt");
    let mut cmd = if gnu_time.exists() {
        let mut c = Command::new(gnu_time);
        c.arg("-f").arg("%M").arg("-o").arg(&peak_file).arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let out = cmd
        .output()
        .with_context(|| format!("cannot run {}", program.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    if !out.status.success() {
        bail!(
            "{} {} failed: {}",
            program.display(),
            args.join(" "),
            out.status
        );
    }
    let peak_kb = if gnu_time.exists() {
        fs::read_to_string(&peak_file)
            .ok()
            .and_then(|s| s.trim().parse().ok())
    } else {
        None
    };
    Ok((Sample { seconds, peak_kb }, out.stdout))
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

fn render(cases: &[Case], runs: usize) -> String {
    let mut out = format!(
        "| case | input | documents | ours (median of {runs}) | reference | ratio (reference / ours) | MB/s | documents/s | peak memory |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    );
    for c in cases {
        let ours = median(c.ours.iter().map(|s| s.seconds).collect());
        let reference = median(c.reference.iter().map(|s| s.seconds).collect());
        let peak = c.ours.iter().filter_map(|s| s.peak_kb).max();
        out.push_str(&format!(
            "| {} | {:.1} MB | {} | {:.2} s | {} {:.2} s | {:.2} | {:.0} | {:.0} | {} |\n",
            c.name,
            c.input_bytes as f64 / 1e6,
            c.documents,
            ours,
            c.reference_name,
            reference,
            reference / ours,
            c.input_bytes as f64 / 1e6 / ours,
            c.documents as f64 / ours,
            peak.map_or_else(
                || "n/a".to_owned(),
                |kb| format!("{:.0} MB", kb as f64 / 1024.0)
            ),
        ));
    }
    out
}

fn write_benchmarks_md(root: &Path, table: &str, size: Size) -> Result<()> {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let date = Command::new("date")
        .arg("-u")
        .arg("+%Y-%m-%d")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let text = format!(
        "# Benchmarks\n\nWritten by `cargo xtask bench all --write` ({size:?} size); rerun it to refresh. Ratios above 1 mean we are faster than the reference measured in the same run.\n\n- machine: {cpu}, {cores} cores\n- date: {date}\n- commit: {commit}\n- reference: `wc -w` with `LC_ALL=C.UTF-8` over the same files\n\n{table}"
    );
    fs::write(root.join("BENCHMARKS.md"), text)?;
    eprintln!("bench: wrote BENCHMARKS.md");
    Ok(())
}
