//! `cargo xtask bench`: our commands against a reference on the same files, in the same run.
//!
//! Every case times whole processes, several runs alternating ours and the reference so that
//! the machine's drift hits both, and quotes medians. Peak memory comes from GNU time
//! (`/usr/bin/time -f %M`) where it is installed. `--write` records the table in BENCHMARKS.md
//! with the machine, date and commit.
//!
//! Cases: `parse` and `stats` over the Reuters articles (a folder of 19,043 files) and over a
//! generated JSON Lines corpus (about 1 GB with `--size full`), against `wc -w` over the same
//! files with `LC_ALL=C.UTF-8` (multibyte-aware, as our word rules are Unicode-aware); `parse`
//! over that corpus as Parquet, written by pyarrow, against pyarrow reading its text column and
//! against `parse` of the JSON Lines.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use self::archive::bench_archive;
use self::dedup::bench_dedup;

mod archive;
mod dedup;

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

pub(crate) struct Case {
    pub(crate) name: String,
    input_bytes: u64,
    pub(crate) documents: u64,
    pub(crate) ours: Vec<Sample>,
    pub(crate) reference: Vec<Sample>,
    reference_name: &'static str,
}

impl Case {
    /// A case with no sample yet.
    pub(crate) fn new(name: String, input_bytes: u64, reference_name: &'static str) -> Case {
        Case {
            name,
            input_bytes,
            documents: 0,
            ours: Vec::new(),
            reference: Vec::new(),
            reference_name,
        }
    }
}

#[derive(Clone, Copy)]
pub(crate) struct Sample {
    pub(crate) seconds: f64,
    pub(crate) peak_kb: Option<u64>,
}

pub(crate) fn run(options: &BenchOptions) -> Result<()> {
    let root = crate::root();
    let shared = root.join("../shared/data");
    let work = crate::target_dir().join("bench");
    fs::create_dir_all(&work)?;
    // Timings need release; the smoke run only proves the harness runs end to end.
    let bin = match options.size {
        Size::Full => build_release(&root)?,
        Size::Smoke => build_checked(&root)?,
    };
    let corpus = bin.join("corpus");

    let (reuters, generated) = bench_inputs(&shared, &work, options.size)?;
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
            let case = bench_command(
                command,
                (label, input, *bytes, wc_args),
                &corpus,
                &work,
                runs,
            )?;
            eprintln!("bench: {} done", case.name);
            cases.push(case);
        }
    }
    if options.what == "all" || options.what == "report" {
        for (label, input, bytes, _) in &inputs {
            cases.push(bench_report(&corpus, &work, label, input, *bytes, runs)?);
        }
    }
    if options.what == "all" || options.what == "parse" {
        match peers_python(&work) {
            Ok(python) => cases.extend(bench_parquet(
                &root, &work, &corpus, &python, &jsonl, &generated, runs,
            )?),
            Err(why) => eprintln!("bench: Parquet skipped: {why:#}"),
        }
    }
    if options.what == "all" || options.what == "languages" {
        let python = peers_python(&work)
            .inspect_err(|why| eprintln!("bench: no peers' Python: {why:#}"))
            .ok();
        cases.extend(crate::languages_bench::bench(
            &root,
            &shared,
            &work,
            &corpus,
            python.as_deref(),
            &jsonl,
            (options.size, runs),
        )?);
    }
    let mut dedup_table = String::new();
    if options.what == "all" || options.what == "dedup" {
        dedup_table = bench_dedup(&root, &shared, &work, &corpus, options.size, runs)?;
    }
    let mut views_table = String::new();
    if options.what == "all" || options.what == "views" {
        match peers_python(&work) {
            Ok(python) => {
                views_table = crate::views_bench::bench(
                    &root,
                    &work,
                    &corpus,
                    &python,
                    &shared.join("reuters21578/reuters.jsonl.gz"),
                    &jsonl,
                    runs,
                )?;
            }
            Err(why) => eprintln!("bench: views skipped: {why:#}"),
        }
    }
    let mut memory_table = String::new();
    if options.what == "all" || options.what == "memory" {
        memory_table = crate::bombs::bench(&work, &corpus, options.size)?;
    }
    let mut crowded_table = String::new();
    if options.what == "all" || options.what == "crowded" {
        crowded_table = crate::crowded::bench(&work, &corpus, options.size, runs)?;
    }
    let mut archive_table = String::new();
    if options.what == "all" || options.what == "archive" {
        archive_table = bench_archive(&shared, &work, &corpus, options.size, runs)?;
    }
    let memory_table = format!("{memory_table}\n{crowded_table}\n{archive_table}");
    let table = render(&cases, runs);
    println!("{table}\n{dedup_table}\n{views_table}\n{memory_table}");
    if options.write {
        write_benchmarks_md(
            &root,
            &table,
            &format!("{dedup_table}\n{views_table}\n{memory_table}"),
            options.size,
        )?;
    }
    Ok(())
}

/// The inputs of the benchmarks, made once: the Reuters articles unpacked into a folder, and
/// a generated corpus (2,000 documents for a smoke run, 820,000 for a full one).
fn bench_inputs(shared: &Path, work: &Path, size: Size) -> Result<(PathBuf, PathBuf)> {
    let reuters = work.join("reuters");
    if !reuters.join(".complete").exists() {
        eprintln!(
            "bench: unpacking the Reuters articles into {}",
            reuters.display()
        );
        let _ = fs::remove_dir_all(&reuters);
        fs::create_dir_all(&reuters)?;
        untar(
            &shared.join("reuters21578/reuters-articles.tar.gz"),
            &reuters,
        )?;
        fs::write(reuters.join(".complete"), "")?;
    }
    let (gen_docs, gen_name) = match size {
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
        crate::generate::once(&generated, gen_docs, 1, false, shared)?;
        eprintln!("bench: generated in {:.0?}", started.elapsed());
    }
    Ok((reuters, generated))
}

/// `corpus parse` or `corpus stats` (`command`) over one input, against `wc -w` over the same
/// bytes, `runs` times each, alternating.
fn bench_command(
    command: &str,
    (label, input, bytes, wc_args): (&str, &Path, u64, &[String]),
    corpus: &Path,
    work: &Path,
    runs: usize,
) -> Result<Case> {
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
    let mut case = Case::new(format!("{command}: {label}"), bytes, "wc -w");
    // parse writes its documents to a file, as a user would: captured in this
    // process's memory, a gigabyte of output would time the harness, not the command.
    let output = (command == "parse").then(|| work.join("parse-output.jsonl"));
    for _ in 0..runs {
        let (sample, stdout) = match &output {
            Some(file) => {
                let sink = fs::File::create(file)
                    .with_context(|| format!("cannot write {}", file.display()))?;
                time_command(corpus, &ours_args, work, &[], Stdio::from(sink), 0)?
            }
            None => time_process(corpus, &ours_args, work, &[])?,
        };
        if case.documents == 0 {
            case.documents = match &output {
                Some(file) => fs::read(file)?.iter().filter(|&&b| b == b'\n').count() as u64,
                None => stats_documents(&stdout),
            };
        }
        case.ours.push(sample);
        let (sample, _) = time_process(Path::new("wc"), wc_args, work, &[("LC_ALL", "C.UTF-8")])?;
        case.reference.push(sample);
    }
    if let Some(file) = &output {
        let _ = fs::remove_file(file);
    }
    Ok(case)
}

/// `corpus report` against what it stands for: `corpus stats --json` plus `corpus dedup
/// --preset news --json --lines FILE` (the page shows the recurring lines too) over the same
/// input, one after the other in each run.
fn bench_report(
    corpus: &Path,
    work: &Path,
    label: &str,
    input: &Path,
    bytes: u64,
    runs: usize,
) -> Result<Case> {
    let input = input.to_string_lossy().into_owned();
    let page = work.join("report.html");
    let lines = work.join("report-lines.csv");
    let ours: Vec<String> = vec![
        "report".into(),
        "--quiet".into(),
        input.clone(),
        "-o".into(),
        page.to_string_lossy().into_owned(),
    ];
    let stats: Vec<String> = vec![
        "stats".into(),
        "--quiet".into(),
        "--json".into(),
        input.clone(),
    ];
    let dedup: Vec<String> = vec![
        "dedup".into(),
        "--quiet".into(),
        "--preset".into(),
        "news".into(),
        "--json".into(),
        "--lines".into(),
        lines.to_string_lossy().into_owned(),
        input,
    ];
    let mut case = Case::new(format!("report: {label}"), bytes, "stats + dedup");
    for _ in 0..runs {
        let (sample, _) = time_process(corpus, &ours, work, &[])?;
        case.ours.push(sample);
        let (a, stdout) = time_process(corpus, &stats, work, &[])?;
        let (b, _) = time_process(corpus, &dedup, work, &[])?;
        case.documents = stats_documents(&stdout);
        case.reference.push(Sample {
            seconds: a.seconds + b.seconds,
            peak_kb: a.peak_kb.max(b.peak_kb),
        });
    }
    let size = fs::metadata(&page).map_or(0, |m| m.len());
    eprintln!(
        "bench: {} done; the page is {} KB",
        case.name,
        size.div_ceil(1024)
    );
    if size > 2 << 20 {
        bail!(
            "the report page of {label} is {} KB, over 2 MB",
            size / 1024
        );
    }
    let _ = fs::remove_file(&page);
    let _ = fs::remove_file(&lines);
    Ok(case)
}

/// Unpacks a `.tar.gz` into a folder with the system's tar.
pub(crate) fn untar(archive: &Path, into: &Path) -> Result<()> {
    let ok = Command::new("tar")
        .arg("xzf")
        .arg(archive)
        .arg("-C")
        .arg(into)
        .status()?;
    if !ok.success() {
        bail!("cannot unpack {}", archive.display());
    }
    Ok(())
}

/// Builds the binary and the libraries' examples that the benchmarks, the tuning and the Slurm
/// and report checks run, in the release profile; the directory they are in. One build for all
/// of them, since another set of targets resolves other features and builds the dependencies
/// again (three minutes of CI on 2 cores).
pub(crate) fn build_release(root: &Path) -> Result<PathBuf> {
    build_profile(root, true)
}

/// [`build_release`], or the test profile (in `target/debug`) when `CORPUS_CHECK_PROFILE=dev`:
/// what `cargo xtask ci` and `.ci/run` ask for the checks that compare outputs (the examples,
/// the benchmark smoke run, Slurm, the report in a browser), which `cargo test` has built
/// already. Measurements
/// (`bench --size full`, `tune`) always build release.
pub(crate) fn build_checked(root: &Path) -> Result<PathBuf> {
    let dev = std::env::var("CORPUS_CHECK_PROFILE").is_ok_and(|p| p == "dev");
    build_profile(root, !dev)
}

fn build_profile(root: &Path, release: bool) -> Result<PathBuf> {
    let mut build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    build.args(["build", "--locked", "--examples", "--bins"]);
    // The test profile, not dev: its dependencies are optimised (dev leaves them unoptimised
    // for a quick first build), so the checks measure what the tests measure, and `cargo
    // test` has built it already.
    build.args(["--profile", if release { "release" } else { "test" }]);
    let status = build
        .args([
            "-p",
            "corpus-core",
            "-p",
            "corpus-parser",
            "-p",
            "corpus-stats",
        ])
        .args([
            "-p",
            "corpus-dedup",
            "-p",
            "corpus-report",
            "-p",
            "corpus-cli",
        ])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("cannot build the binary and the examples");
    }
    Ok(crate::target_dir().join(if release { "release" } else { "debug" }))
}

/// `corpus parse` over the generated corpus as Parquet (written by pyarrow, as Python
/// pipelines write it), against pyarrow reading its text column and against `corpus parse`
/// over the same documents as JSON Lines, alternating the three in every run.
fn bench_parquet(
    root: &Path,
    work: &Path,
    corpus: &Path,
    python: &Path,
    jsonl: &Path,
    generated: &Path,
    runs: usize,
) -> Result<Vec<Case>> {
    let parquet = generated.join("corpus.parquet");
    if !parquet.exists() {
        eprintln!("bench: writing {} with pyarrow", parquet.display());
        let partial = generated.join("corpus.parquet.partial");
        let status = Command::new(python)
            .arg(root.join("xtask/peers/to_parquet.py"))
            .arg(jsonl)
            .arg(&partial)
            .status()?;
        if !status.success() {
            bail!("pyarrow could not write {}", partial.display());
        }
        fs::rename(&partial, &parquet)?;
    }
    let arg = |p: &Path| p.to_string_lossy().into_owned();
    let output = work.join("parse-output.jsonl");
    let parse = |input: &Path| -> Result<Sample> {
        let sink = fs::File::create(&output)
            .with_context(|| format!("cannot write {}", output.display()))?;
        let args = vec!["parse".into(), "--quiet".into(), arg(input)];
        Ok(time_command(corpus, &args, work, &[], Stdio::from(sink), 0)?.0)
    };
    let reader = vec![
        arg(&root.join("xtask/peers/pyarrow_read.py")),
        arg(&parquet),
    ];
    let mut ours = Vec::new();
    let mut pyarrow = Vec::new();
    let mut from_jsonl = Vec::new();
    let mut documents = 0;
    let mut read_by_pyarrow = 0;
    for _ in 0..runs {
        ours.push(parse(&parquet)?);
        if documents == 0 {
            documents = fs::read(&output)?.iter().filter(|&&b| b == b'\n').count() as u64;
        }
        let (sample, stdout) = time_process(python, &reader, work, &[])?;
        read_by_pyarrow = String::from_utf8_lossy(&stdout)
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        pyarrow.push(sample);
        from_jsonl.push(parse(jsonl)?);
    }
    let _ = fs::remove_file(&output);
    if read_by_pyarrow != documents {
        bail!("pyarrow read {read_by_pyarrow} rows, corpus parse {documents} documents");
    }
    eprintln!("bench: Parquet done");
    let bytes = fs::metadata(&parquet)?.len();
    Ok(vec![
        Case {
            name: "parse: generated Parquet (pyarrow, snappy)".into(),
            input_bytes: bytes,
            documents,
            ours: ours.clone(),
            reference: pyarrow,
            reference_name: "pyarrow iter_batches",
        },
        Case {
            name: "parse: generated Parquet vs the same as JSON Lines".into(),
            input_bytes: bytes,
            documents,
            ours,
            reference: from_jsonl,
            reference_name: "corpus parse of the JSON Lines",
        },
    ])
}

/// F1 and ARI of predicted clusters against the truth, by `corpus eval --json`.
pub(crate) fn score(corpus: &Path, truth: &Path, pred: &Path) -> Result<(f64, f64)> {
    let out = Command::new(corpus)
        .arg("eval")
        .arg("--json")
        .arg("--truth")
        .arg(truth)
        .arg("--pred")
        .arg(pred)
        .output()?;
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).context("corpus eval printed no JSON")?;
    Ok((
        v["f1"].as_f64().unwrap_or(0.0),
        v["adjusted_rand_index"].as_f64().unwrap_or(0.0),
    ))
}

/// What the benchmarks' Python has: the dedup peers, pyarrow (the Parquet reference, and
/// the writer of the Parquet corpus), NLTK (the views') and jieba (Chinese words').
const PEERS: [&str; 5] = [
    "datasketch==2.0.0",
    "rensa==0.5.0",
    "pyarrow==26.0.1",
    "nltk==3.10.4",
    "jieba==0.42.1",
];

/// A Python with [`PEERS`], in a virtualenv under `target/bench/peers-venv`, made on first use
/// from PyPI.
fn peers_python(work: &Path) -> Result<PathBuf> {
    let venv = work.join("peers-venv");
    let python = venv.join("bin/python");
    let ready = venv.join(".complete");
    // The marker lists what was installed: a venv made for fewer peers gets the others.
    if fs::read_to_string(&ready).is_ok_and(|s| s == PEERS.join("\n")) {
        return Ok(python);
    }
    eprintln!(
        "bench: installing {} from PyPI into {}",
        PEERS.join(", "),
        venv.display()
    );
    if !python.exists() {
        let made = Command::new("python3")
            .arg("-m")
            .arg("venv")
            .arg(&venv)
            .status()
            .context("python3 is not installed")?;
        if !made.success() {
            bail!("python3 -m venv failed");
        }
    }
    let installed = Command::new(&python)
        .args(["-m", "pip", "install", "--quiet"])
        .args(PEERS)
        .status()?;
    if !installed.success() {
        bail!("pip could not install {}", PEERS.join(", "));
    }
    fs::write(&ready, PEERS.join("\n"))?;
    Ok(python)
}

/// The documents a `corpus stats --json` run counted.
pub(crate) fn stats_documents(stdout: &[u8]) -> u64 {
    serde_json::from_slice::<serde_json::Value>(stdout)
        .ok()
        .and_then(|v| v["counts"]["documents"].as_u64())
        .unwrap_or(0)
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
pub(crate) fn time_process(
    program: &Path,
    args: &[String],
    work: &Path,
    env: &[(&str, &str)],
) -> Result<(Sample, Vec<u8>)> {
    time_command(program, args, work, env, Stdio::piped(), 0)
}

/// [`time_process`] of a run that must end with exit status `code` (1: it read no document).
pub(crate) fn time_process_ending(
    program: &Path,
    args: &[String],
    work: &Path,
    code: i32,
) -> Result<(Sample, Vec<u8>)> {
    time_command(program, args, work, &[], Stdio::piped(), code)
}

/// Runs `program` once with its standard output going to `stdout`; its time, peak memory and
/// what it printed (if `stdout` was a pipe).
pub(crate) fn time_command(
    program: &Path,
    args: &[String],
    work: &Path,
    env: &[(&str, &str)],
    stdout: Stdio,
    code: i32,
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
        .stdout(stdout)
        .stderr(Stdio::null());
    let started = Instant::now();
    let out = cmd
        .output()
        .with_context(|| format!("cannot run {}", program.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    if out.status.code() != Some(code) {
        bail!(
            "{} {} failed: {} (expected exit status {code})",
            program.display(),
            args.join(" "),
            out.status
        );
    }
    let peak_kb = if gnu_time.exists() {
        // After "Command exited with non-zero status N", when it did.
        fs::read_to_string(&peak_file)
            .ok()
            .and_then(|s| s.trim().lines().last()?.trim().parse().ok())
    } else {
        None
    };
    Ok((Sample { seconds, peak_kb }, out.stdout))
}

pub(crate) fn median(mut xs: Vec<f64>) -> f64 {
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

fn write_benchmarks_md(root: &Path, table: &str, dedup_table: &str, size: Size) -> Result<()> {
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
        "# Benchmarks\n\nWritten by `cargo xtask bench all --write` ({size:?} size); rerun it to refresh (the Notes section is kept). Ratios above 1 mean we are faster than the reference measured in the same run.\n\n- machine: {cpu}, {cores} cores\n- date: {date}\n- commit: {commit}\n- reference: `wc -w` with `LC_ALL=C.UTF-8` over the same files; for Parquet, pyarrow 26.0.1 reading the text column (`xtask/peers/pyarrow_read.py`) and our own parse of the same documents as JSON Lines; for dedup, datasketch 2.0.0 and rensa 0.5.0 (`xtask/peers/`) on the same JSON Lines file; for the views, NLTK 3.10.4 (`xtask/peers/nltk_views.py`)\n\n{table}\n{dedup_table}"
    );
    write_keeping_notes(&root.join("BENCHMARKS.md"), &text)?;
    eprintln!("bench: wrote BENCHMARKS.md");
    Ok(())
}

/// Writes a generated Markdown file, keeping the commentary written by hand under its
/// `## Notes` heading.
pub(crate) fn write_keeping_notes(path: &Path, text: &str) -> Result<()> {
    let notes = fs::read_to_string(path)
        .ok()
        .and_then(|old| old.find("\n## Notes").map(|at| old[at..].to_owned()))
        .unwrap_or_default();
    fs::write(path, format!("{text}{notes}"))
        .with_context(|| format!("cannot write {}", path.display()))
}
