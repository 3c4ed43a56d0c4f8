//! `cargo xtask examples`: the libraries' examples, run on the Reuters articles unpacked into a
//! folder, must give what the `corpus` binary gives on the same folder: the stats example the
//! figures of `corpus stats --json`, the clusters example the very file of
//! `corpus dedup --preset news --clusters`, the read example the same document count. This is
//! the proof that a crate user gets everything the CLI does. The page example's report data
//! must be `corpus report --json`'s.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

pub(crate) fn run() -> Result<()> {
    let root = crate::root();
    let Some(articles) = crate::reuters_articles("examples") else {
        return Ok(());
    };
    let bin = crate::bench::build_checked(&root)?;
    // A folder of its own under target/, made afresh.
    let work = crate::target_dir().join("examples-check");
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    let folder = work.join("reuters");
    std::fs::create_dir_all(&folder)?;
    crate::bench::untar(&articles, &folder)?;

    let c = Check {
        corpus: bin.join("corpus"),
        examples: bin.join("examples"),
        folder: &folder,
        work: &work,
    };
    let documents = stats(&c)?;
    clusters(&c)?;
    collocations(&c)?;
    page(&c)?;
    read(&c, &documents)
}

/// The binary, the examples and the Reuters folder they are run on.
struct Check<'a> {
    corpus: PathBuf,
    examples: PathBuf,
    folder: &'a Path,
    work: &'a Path,
}

impl Check<'_> {
    fn example(&self, name: &str) -> PathBuf {
        self.examples.join(name)
    }
}

/// The stats example reports the figures of `corpus stats --json`; returns its documents.
fn stats(c: &Check<'_>) -> Result<serde_json::Value> {
    let cli: serde_json::Value = serde_json::from_slice(&output(
        Command::new(&c.corpus)
            .arg("stats")
            .arg("--json")
            .arg("--top")
            .arg("3")
            .arg(c.folder),
    )?)?;
    let lib: serde_json::Value =
        serde_json::from_slice(&output(Command::new(c.example("stats")).arg(c.folder))?)?;
    let c = &cli["counts"];
    let v = &cli["vocabulary"];
    let top: Vec<&serde_json::Value> = v["top_terms"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| &t["term"])
        .collect();
    let pairs = [
        ("documents", &c["documents"]),
        ("rejected", &cli["rejected"]),
        ("words", &c["words"]),
        ("sentences", &c["sentences"]),
        ("paragraphs", &c["paragraphs"]),
        ("types", &v["types"]),
        ("hapax_legomena", &v["hapax_legomena"]),
        ("first", &cli["dates"]["first"]),
        ("last", &cli["dates"]["last"]),
    ];
    for (name, want) in pairs {
        if &lib[name] != want {
            bail!(
                "stats example: {name} is {}, corpus stats says {want}",
                lib[name]
            );
        }
    }
    if lib["top_terms"]
        .as_array()
        .map(|a| a.iter().collect::<Vec<_>>())
        != Some(top)
    {
        bail!(
            "stats example: top terms {} differ from corpus stats",
            lib["top_terms"]
        );
    }
    eprintln!(
        "examples: stats agrees with corpus stats --json ({} documents)",
        c["documents"]
    );
    Ok(c["documents"].clone())
}

/// The clusters example writes `corpus dedup --preset news --clusters` byte for byte.
fn clusters(c: &Check<'_>) -> Result<()> {
    let clusters = c.work.join("clusters.csv");
    output(
        Command::new(&c.corpus)
            .args(["dedup", "--quiet", "--preset", "news"])
            .arg(c.folder)
            .arg("--clusters")
            .arg(&clusters),
    )?;
    let want = std::fs::read(&clusters)?;
    let got = output(Command::new(c.example("clusters")).arg(c.folder))?;
    if got != want {
        bail!("clusters example: its CSV differs from corpus dedup --clusters");
    }
    eprintln!(
        "examples: clusters is corpus dedup --clusters byte for byte ({} rows)",
        want.iter().filter(|&&b| b == b'\n').count() - 1
    );
    Ok(())
}

/// The collocations example gives the rows and scores of `corpus collocations --node rates --json`.
fn collocations(c: &Check<'_>) -> Result<()> {
    // The collocates of "rates": the library's counters merged across threads give the rows
    // and figures of the command.
    let cli: serde_json::Value = serde_json::from_slice(&output(
        Command::new(&c.corpus)
            .args(["collocations", "--quiet", "--node", "rates", "--json"])
            .arg(c.folder),
    )?)?;
    let want: Vec<serde_json::Value> = cli["collocations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            serde_json::json!([
                c["collocate"],
                c["frequency"],
                c["log_dice"],
                c["log_likelihood"]
            ])
        })
        .collect();
    let got = output(
        Command::new(c.example("collocations"))
            .arg("rates")
            .arg(c.folder),
    )?;
    let got: Vec<serde_json::Value> = String::from_utf8(got)?
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    if got != want || want.len() < 10 {
        bail!(
            "collocations example: {} rows, corpus collocations --node rates --json {}, or they differ",
            got.len(),
            want.len()
        );
    }
    eprintln!(
        "examples: collocations is corpus collocations --node rates ({} rows)",
        want.len()
    );
    Ok(())
}

/// The page example gives the page data of `corpus report --json`.
fn page(c: &Check<'_>) -> Result<()> {
    // The report's page: the library's passes give the binary's page data.
    let page = |cmd: &mut Command| -> Result<serde_json::Value> {
        let mut v: serde_json::Value = serde_json::from_slice(&output(cmd)?)?;
        v["version"] = serde_json::Value::Null;
        Ok(v)
    };
    let cli = page(
        Command::new(&c.corpus)
            .args(["report", "--quiet", "--json", "-o"])
            .arg(c.work.join("report.html"))
            .arg(c.folder),
    )?;
    let lib = page(Command::new(c.example("page")).arg(c.folder))?;
    if cli != lib {
        bail!("page example: its page data differs from corpus report --json");
    }
    eprintln!(
        "examples: page is corpus report --json ({} clusters listed)",
        cli["clusters"].as_array().map_or(0, Vec::len)
    );
    Ok(())
}

/// The read example counts the documents `corpus stats` counts; the document example runs.
fn read(c: &Check<'_>, documents: &serde_json::Value) -> Result<()> {
    let read = String::from_utf8(output(Command::new(c.example("read")).arg(c.folder))?)?;
    let documents = format!("documents {documents}");
    if !read.lines().any(|l| l == documents) {
        bail!("read example: said {read:?}, corpus stats counts {documents}");
    }
    output(&mut Command::new(c.example("document")))?;
    eprintln!("examples: read and document ran");
    Ok(())
}

/// The standard output of a command that must succeed.
fn output(cmd: &mut Command) -> Result<Vec<u8>> {
    let out = cmd
        .output()
        .with_context(|| format!("cannot run {cmd:?}"))?;
    if !out.status.success() {
        bail!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(out.stdout)
}
