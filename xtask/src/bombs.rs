//! The memory benchmark: inputs built to exhaust memory, read within `--max-record-bytes`.
//!
//! - a gzip bomb: a few megabytes that decompress to gigabytes of zeros, as one article
//!   (`.txt.gz`, also through the `--encoding latin1` transcoder) and as one endless line
//!   (`.jsonl.gz`, as JSON Lines and with `--format lines`); the same zeros as bzip2, xz and
//!   lz4 (one article each) and as the one member of a zip archive, since every decompressor
//!   must stop at the limit too;
//! - a Parquet file of one row of zeros, zstd: its row group is left out from the metadata,
//!   never decoded;
//! - the `{}` bomb: a small gzip file of tens of millions of `{}` lines, each a problem;
//! - a CSV bomb: one row of gigabytes of `x` (the CSV reader keeps neither the row's raw bytes
//!   nor more than the limit of its fields).
//!
//! Each is read by `corpus parse` (problems streamed to a file) and `corpus stats`, and the
//! peak memory (GNU time) must stay under the record limit plus a fixed margin, or the
//! benchmark fails. Without GNU time the check cannot be made and says so.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::bench::{Sample, Size, time_process_ending};

/// What a run may take beyond the record limit: the binary, its buffers, a few batches.
const MARGIN_MB: u64 = 64;

pub(crate) fn bench(work: &Path, corpus: &Path, size: Size) -> Result<String> {
    // Full: a 5 GiB bomb and 50 million `{}` lines under the default 256 MiB limit; smoke: the
    // same shapes, small, under a 16 MiB limit.
    let (zeros_mib, empty_lines, limit_mib): (u64, u64, u64) = match size {
        Size::Smoke => (256, 1_000_000, 16),
        Size::Full => (5 << 10, 50_000_000, 256),
    };
    let b = make_bombs(work, zeros_mib, empty_lines)?;
    let limit = format!("{limit_mib}M");
    let problems = b.dir.join("problems.csv").to_string_lossy().into_owned();
    let bound_kb = (limit_mib + MARGIN_MB) * 1024;
    let mut out = format!(
        "| memory bomb (`--max-record-bytes {limit}`) | file | decompressed | time | peak memory | bound (limit + {MARGIN_MB} MB) |\n|---|---:|---:|---:|---:|---:|\n"
    );
    let cases: [(&str, &Path, u64, &[&str]); 11] = [
        ("gzip bomb, one article", &b.zeros[0], zeros_mib << 20, &[]),
        (
            "gzip bomb, one JSON line",
            &b.zeros_jsonl,
            zeros_mib << 20,
            &[],
        ),
        // The same line read a document a line, and the article through the transcoder.
        (
            "gzip bomb, one line (--format lines)",
            &b.zeros_jsonl,
            zeros_mib << 20,
            &["--format", "lines"],
        ),
        (
            "gzip bomb, one article (--encoding latin1)",
            &b.zeros[0],
            zeros_mib << 20,
            &["--encoding", "latin1"],
        ),
        ("bzip2 bomb, one article", &b.zeros[1], zeros_mib << 20, &[]),
        ("xz bomb, one article", &b.zeros[2], zeros_mib << 20, &[]),
        ("lz4 bomb, one article", &b.zeros[3], zeros_mib << 20, &[]),
        ("zip bomb, one member", &b.zeros[4], zeros_mib << 20, &[]),
        (
            "Parquet bomb, one row",
            &b.zeros_parquet,
            b.parquet_mib << 20,
            &[],
        ),
        ("CSV bomb, one row", &b.csv, zeros_mib << 20, &[]),
        (
            "`{}` bomb, every line a problem",
            &b.empty,
            empty_lines * 3,
            &[],
        ),
    ];
    let mut over = Vec::new();
    for (label, file, decompressed, extra) in cases {
        let input = file.to_string_lossy().into_owned();
        for command in ["parse", "stats"] {
            let mut args: Vec<String> = vec![
                command.into(),
                "--quiet".into(),
                "--max-record-bytes".into(),
                limit.clone(),
                input.clone(),
            ];
            args.extend(extra.iter().map(|a| (*a).to_owned()));
            if command == "parse" {
                args.extend(["--problems".into(), problems.clone()]);
            } else {
                args.push("--json".into());
            }
            // Every record is over the limit, so no document is read: exit status 1.
            let (sample, _) = time_process_ending(corpus, &args, work, 1)?;
            let Sample { seconds, peak_kb } = sample;
            eprintln!("bench: {command} {label}: {seconds:.2} s, peak {peak_kb:?} KB");
            let peak = peak_kb.map_or_else(
                || "n/a (no GNU time)".to_owned(),
                |kb| format!("{:.0} MB", kb as f64 / 1024.0),
            );
            if peak_kb.is_some_and(|kb| kb > bound_kb) {
                over.push(format!("{command} {label}: {peak}"));
            }
            out.push_str(&format!(
                "| {command}: {label} | {:.1} MB | {:.0} MB | {seconds:.2} s | {peak} | {} MB |\n",
                fs::metadata(file)?.len() as f64 / 1e6,
                decompressed as f64 / 1e6,
                limit_mib + MARGIN_MB,
            ));
        }
    }
    let _ = fs::remove_file(&problems);
    if !over.is_empty() {
        bail!(
            "memory over the record limit plus {MARGIN_MB} MB: {}",
            over.join("; ")
        );
    }
    Ok(out)
}

/// The bomb files, made once under `work/bombs`.
struct Bombs {
    dir: PathBuf,
    /// The same zeros gzip-, bzip2-, xz-, lz4- and zip-compressed.
    zeros: Vec<PathBuf>,
    parquet_mib: u64,
    zeros_parquet: PathBuf,
    zeros_jsonl: PathBuf,
    csv: PathBuf,
    empty: PathBuf,
}

/// Makes the bombs: `zeros_mib` MiB of zeros compressed five ways and as one Parquet row, one
/// JSON line and one CSV row, and `empty_lines` lines of `{}`.
fn make_bombs(work: &Path, zeros_mib: u64, empty_lines: u64) -> Result<Bombs> {
    let dir = work.join("bombs");
    fs::create_dir_all(&dir)?;
    // The same zeros, compressed three ways: every decompressor must stop at the limit.
    let mut zeros = Vec::new();
    for ext in ["gz", "bz2", "xz", "lz4", "zip"] {
        // The zip holds one member, `zeros.txt`: an article of zeros inside an archive.
        let path = match ext {
            "zip" => dir.join(format!("zeros-{zeros_mib}m.zip")),
            _ => dir.join(format!("zeros-{zeros_mib}m.txt.{ext}")),
        };
        make_compressed(&path, |w| {
            let block = vec![0u8; 1 << 20];
            for _ in 0..zeros_mib {
                w.write_all(&block)?;
            }
            Ok(())
        })?;
        zeros.push(path);
    }
    // A Parquet row of zeros (at most 1 GiB: an arrow string's offsets are 32-bit), zstd.
    let parquet_mib = zeros_mib.min(1 << 10);
    let zeros_parquet = dir.join(format!("zeros-{parquet_mib}m.parquet"));
    make_parquet(&zeros_parquet, parquet_mib)?;
    let zeros_jsonl = dir.join(format!("zeros-{zeros_mib}m.jsonl.gz"));
    if !zeros_jsonl.exists() {
        fs::copy(&zeros[0], &zeros_jsonl)?;
    }
    let csv = dir.join(format!("row-{zeros_mib}m.csv.gz"));
    make_compressed(&csv, |w| {
        w.write_all(b"id,text\na,")?;
        let block = vec![b'x'; 1 << 20];
        for _ in 0..zeros_mib {
            w.write_all(&block)?;
        }
        w.write_all(b"\n")
    })?;
    let empty = dir.join(format!("empty-{empty_lines}.jsonl.gz"));
    make_compressed(&empty, |w| {
        let block = b"{}\n".repeat(100_000);
        for _ in 0..empty_lines / 100_000 {
            w.write_all(&block)?;
        }
        Ok(())
    })?;
    Ok(Bombs {
        dir,
        zeros,
        parquet_mib,
        zeros_parquet,
        zeros_jsonl,
        csv,
        empty,
    })
}

/// Writes a Parquet file of one row whose text is `mib` MiB of `0`, once, by the library's
/// writer (zstd: a few hundred kilobytes).
fn make_parquet(path: &Path, mib: u64) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    eprintln!("bench: writing {}", path.display());
    let partial = path.with_extension("partial");
    let file = fs::File::create(&partial)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    let text = "0".repeat(usize::try_from(mib << 20)?);
    let doc = corpus_core::Document::new("zeros", "zeros.parquet", text);
    let mut columns = corpus_parser::DocumentColumns::new();
    columns.observe(&doc);
    let names = corpus_parser::CsvOptions::default();
    let mut writer = corpus_parser::ParquetWriter::new(BufWriter::new(file), &columns, &names)?;
    writer.write(&doc)?;
    writer.finish()?.flush()?;
    fs::rename(&partial, path)?;
    Ok(())
}

/// Writes a compressed file once (kept for later runs), compressed as its extension says
/// (`.gz`, `.bz2`, `.xz`, `.lz4`, or a `.zip` of one member), through a temporary name so that an interrupted build is not taken
/// for a whole one.
fn make_compressed(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    eprintln!("bench: writing {}", path.display());
    let partial = path.with_extension("partial");
    let file = BufWriter::new(
        fs::File::create(&partial)
            .with_context(|| format!("cannot write {}", partial.display()))?,
    );
    match path.extension().and_then(|e| e.to_str()) {
        Some("bz2") => {
            let mut w = bzip2::write::BzEncoder::new(file, bzip2::Compression::fast());
            fill(&mut w)?;
            w.finish()?.flush()?;
        }
        Some("xz") => {
            let mut w = liblzma::write::XzEncoder::new(file, 1);
            fill(&mut w)?;
            w.finish()?.flush()?;
        }
        Some("lz4") => {
            let mut w = lz4_flex::frame::FrameEncoder::new(file);
            fill(&mut w)?;
            w.finish()?.flush()?;
        }
        Some("zip") => {
            let mut w = zip::ZipWriter::new(file);
            let deflated = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(true);
            w.start_file("zeros.txt", deflated)?;
            fill(&mut w)?;
            w.finish()?.flush()?;
        }
        _ => {
            let mut w = flate2::write::GzEncoder::new(file, flate2::Compression::new(6));
            fill(&mut w)?;
            w.finish()?.flush()?;
        }
    }
    fs::rename(&partial, path)?;
    Ok(())
}
