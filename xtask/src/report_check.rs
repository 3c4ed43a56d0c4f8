//! `cargo xtask report-check`: the page of `corpus report` in a real browser.
//!
//! Installs Debian's Chromium when it is missing (`apt-get install --no-install-recommends
//! chromium`, as root), writes the report of the Reuters articles with the binary of
//! `build_checked` (release, or the test-profile build where `CORPUS_CHECK_PROFILE=dev`),
//! and renders it headless, in the light and the dark theme (`--dump-dom` after the scripts
//! ran, `--screenshot`, and `--print-to-pdf` for the print style). It checks that:
//!
//! - every chart drew: each `[data-chart]` element is marked drawn and holds a canvas of
//!   non-zero size, and the page recorded no script error (`body[data-errors]`), nor did
//!   Chromium's console;
//! - the figures on the page equal `corpus stats --json` and `corpus dedup --preset news
//!   --json` of the same input: the headline figures, the words-per-document percentiles, the
//!   vocabulary figures and the top terms table;
//! - the page is self-contained (no `src=` or `href=` to another file or host) and under 2 MB.
//!
//! With `--save-screenshot` it also writes `docs/report.png`, the picture in the README.
//! Where Chromium cannot be installed (not root, no apt-get, no package mirror), it says so
//! and skips.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// Chromium's options for a headless run on a closed network, as root (the machine's notes).
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=10000",
];

/// The largest page the check accepts.
const MAX_PAGE: usize = 2 << 20;

pub(crate) fn run(save_screenshot: bool) -> Result<()> {
    let Some(chromium) = install()? else {
        return Ok(());
    };
    let root = crate::root();
    let Some(archive) = crate::reuters_articles("report-check") else {
        return Ok(());
    };
    let corpus = crate::bench::build_checked(&root)?.join("corpus");
    let work = crate::target_dir().join("report-check");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work)?;
    let page = work.join("reuters.html");

    let started = std::time::Instant::now();
    let status = Command::new(&corpus)
        .arg("report")
        .arg(&archive)
        .arg("-o")
        .arg(&page)
        .arg("-q")
        .status()?;
    if !status.success() {
        bail!("corpus report failed: {status}");
    }
    let elapsed = started.elapsed();
    let html = fs::read_to_string(&page)?;
    eprintln!(
        "report-check: corpus report wrote {} ({} KB) in {elapsed:.1?}",
        page.display(),
        html.len() / 1024
    );
    self_contained(&html)?;
    let stats = json_of(&corpus, &["stats", "--json"], &archive)?;
    let lines = work.join("lines.csv");
    let lines_arg = lines.to_string_lossy().into_owned();
    let dedup = json_of(
        &corpus,
        &["dedup", "--preset", "news", "--json", "--lines", &lines_arg],
        &archive,
    )?;

    for (theme, flag) in [
        ("light", None),
        ("dark", Some("--blink-settings=preferredColorScheme=0")),
    ] {
        let profile = work.join(format!("profile-{theme}"));
        let dom = render(&chromium, &page, &profile, flag, &["--dump-dom"])?;
        charts_drew(&dom.stdout, theme)?;
        console_clean(&dom.stderr, theme)?;
        let shot = work.join(format!("reuters-{theme}.png"));
        let screenshot = format!("--screenshot={}", shot.display());
        render(
            &chromium,
            &page,
            &profile,
            flag,
            &["--window-size=1280,1700", &screenshot],
        )?;
        let size = fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
        if size < 10_000 {
            bail!(
                "the {theme} screenshot {} is {size} bytes: nothing was drawn",
                shot.display()
            );
        }
        eprintln!(
            "report-check: {theme}: every chart drew, no script error; {}",
            shot.display()
        );
        if theme == "light" {
            figures_match(&dom.stdout, &stats, &dedup)?;
            if save_screenshot {
                let docs = root.join("docs/report.png");
                fs::create_dir_all(root.join("docs"))?;
                fs::copy(&shot, &docs)?;
                eprintln!("report-check: wrote {}", docs.display());
            }
        }
    }
    let pdf = work.join("reuters.pdf");
    let print = format!("--print-to-pdf={}", pdf.display());
    render(
        &chromium,
        &page,
        &work.join("profile-print"),
        None,
        &["--no-pdf-header-footer", &print],
    )?;
    let pdf_size = fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0);
    if pdf_size < 10_000 {
        bail!("printing the page gave a PDF of {pdf_size} bytes");
    }
    eprintln!(
        "report-check: printed to {} ({} KB)",
        pdf.display(),
        pdf_size / 1024
    );
    eprintln!("report-check: the page's figures equal corpus stats --json and corpus dedup --json");
    Ok(())
}

/// Chromium, installed if it is missing; `None` when that cannot be done here.
fn install() -> Result<Option<PathBuf>> {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(candidate).exists() {
            return Ok(Some(PathBuf::from(candidate)));
        }
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    let apt = Command::new("sh")
        .args(["-c", "command -v apt-get"])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !root || !apt {
        eprintln!(
            "report-check: skipped: Chromium is not installed and cannot be (needs root and apt-get)"
        );
        return Ok(None);
    }
    eprintln!("report-check: installing chromium");
    if !Command::new("apt-get")
        .args(["update", "-qq"])
        .status()?
        .success()
    {
        eprintln!("report-check: skipped: apt-get update failed (no package mirror?)");
        return Ok(None);
    }
    let status = Command::new("apt-get")
        .args([
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            "chromium",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()?;
    if !status.success() || !Path::new("/usr/bin/chromium").exists() {
        eprintln!("report-check: skipped: apt-get could not install chromium");
        return Ok(None);
    }
    Ok(Some(PathBuf::from("/usr/bin/chromium")))
}

/// What a `corpus` command printed as JSON.
fn json_of(corpus: &Path, args: &[&str], input: &Path) -> Result<Value> {
    let out = Command::new(corpus)
        .args(args)
        .arg(input)
        .arg("-q")
        .output()?;
    if !out.status.success() {
        bail!(
            "corpus {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    serde_json::from_slice(&out.stdout).with_context(|| format!("corpus {}", args.join(" ")))
}

struct Rendered {
    stdout: String,
    stderr: String,
}

/// One headless run of Chromium over the page.
fn render(
    chromium: &Path,
    page: &Path,
    profile: &Path,
    flag: Option<&str>,
    what: &[&str],
) -> Result<Rendered> {
    let mut c = Command::new(chromium);
    c.args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(flag)
        .args(what)
        .arg(format!("file://{}", page.display()));
    let out = c.output().context("cannot run chromium")?;
    if !out.status.success() {
        bail!(
            "chromium {}: {}\n{}",
            what.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(Rendered {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// The page loads nothing: no script, style, image or frame from anywhere else.
fn self_contained(html: &str) -> Result<()> {
    if html.len() > MAX_PAGE {
        bail!(
            "the page is {} KB, over {} KB",
            html.len() / 1024,
            MAX_PAGE / 1024
        );
    }
    for needle in ["src=\"", "src='", "<link ", "@import", "url(http", "url(//"] {
        if let Some(at) = html.find(needle) {
            let around = &html[at.saturating_sub(60)..(at + 60).min(html.len())];
            bail!("the page refers to another file or host ({needle:?}): {around:?}");
        }
    }
    Ok(())
}

/// The values of an attribute on the elements whose opening tag contains `marker`.
fn tags_with<'a>(dom: &'a str, marker: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = dom;
    while let Some(at) = rest.find(marker) {
        let start = rest[..at].rfind('<').unwrap_or(0);
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        found.push(&rest[start..end]);
        rest = &rest[end..];
    }
    found
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let end = tag[at..].find('"')? + at;
    Some(&tag[at..end])
}

/// Every chart container is marked drawn and holds canvases of non-zero size; no script
/// error was recorded.
fn charts_drew(dom: &str, theme: &str) -> Result<()> {
    if let Some(body) = tags_with(dom, "<body").first()
        && let Some(errors) = attribute(body, "data-errors")
    {
        bail!("{theme}: the page's scripts failed: {errors}");
    }
    let charts = tags_with(dom, " data-chart=\"");
    if charts.len() < 5 {
        bail!("{theme}: only {} charts on the page", charts.len());
    }
    let drawn = charts
        .iter()
        .filter(|t| attribute(t, "data-drawn") == Some("true"))
        .count();
    if drawn != charts.len() {
        bail!("{theme}: {drawn} of {} charts drew", charts.len());
    }
    let canvases = tags_with(dom, "<canvas");
    let sized = canvases
        .iter()
        .filter(|t| {
            let dim = |n| {
                attribute(t, n)
                    .and_then(|v| v.parse::<u32>().ok())
                    .unwrap_or(0)
            };
            dim("width") > 0 && dim("height") > 0
        })
        .count();
    if sized < charts.len() {
        bail!(
            "{theme}: {sized} canvases of non-zero size for {} charts",
            charts.len()
        );
    }
    Ok(())
}

/// Nothing in Chromium's console log: the page writes nothing there, so any line is an error
/// or a warning (Chromium logs them all as `INFO:CONSOLE`).
fn console_clean(stderr: &str, theme: &str) -> Result<()> {
    let bad: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect();
    if !bad.is_empty() {
        bail!("{theme}: the browser's console:\n{}", bad.join("\n"));
    }
    Ok(())
}

/// Text as the page escaped it, read back.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The headline figures, percentiles, vocabulary figures and top terms on the page equal
/// the JSON of `corpus stats` and `corpus dedup`.
fn figures_match(dom: &str, stats: &Value, dedup: &Value) -> Result<()> {
    let figure = |key: &str| -> Result<String> {
        tags_with(dom, &format!("data-figure=\"{key}\""))
            .first()
            .and_then(|t| attribute(t, "data-value"))
            .map(str::to_owned)
            .with_context(|| format!("no figure {key:?} on the page"))
    };
    let at = |v: &Value, path: &str| -> Result<Value> {
        path.split('.')
            .try_fold(v, |v, k| v.get(k))
            .cloned()
            .with_context(|| format!("no {path} in the JSON"))
    };
    let int = |v: &Value, path: &str| -> Result<u64> {
        at(v, path)?
            .as_u64()
            .with_context(|| format!("{path} is not a count"))
    };
    let mut checks: Vec<(&str, String)> = vec![
        ("documents", int(stats, "counts.documents")?.to_string()),
        ("words", int(stats, "counts.words")?.to_string()),
        ("undated", int(stats, "counts.undated")?.to_string()),
        ("rejected", int(stats, "rejected")?.to_string()),
        ("warnings", int(stats, "warnings")?.to_string()),
        ("tokens", int(stats, "vocabulary.tokens")?.to_string()),
        ("types", int(stats, "vocabulary.types")?.to_string()),
        (
            "hapax",
            int(stats, "vocabulary.hapax_legomena")?.to_string(),
        ),
        (
            "words-min",
            int(stats, "words_per_document.min")?.to_string(),
        ),
        (
            "words-max",
            int(stats, "words_per_document.max")?.to_string(),
        ),
        ("kept", int(dedup, "kept")?.to_string()),
        ("exact-copies", int(dedup, "exact_copies")?.to_string()),
        ("near-copies", int(dedup, "near_copies")?.to_string()),
        (
            "rewritten-copies",
            int(dedup, "rewritten_copies")?.to_string(),
        ),
        ("key-copies", int(dedup, "key_copies")?.to_string()),
        ("clusters", int(dedup, "clusters_with_copies")?.to_string()),
        (
            "copies",
            (int(dedup, "documents")? - int(dedup, "kept")?).to_string(),
        ),
    ];
    let dates = format!(
        "{} – {}",
        at(stats, "dates.first")?.as_str().unwrap_or_default(),
        at(stats, "dates.last")?.as_str().unwrap_or_default()
    );
    checks.push(("dates", dates));
    for (key, want) in &checks {
        let got = figure(key)?;
        if got != *want {
            bail!("the page's {key} is {got}, the JSON's {want}");
        }
    }
    for key in ["p10", "median", "mean", "p90"] {
        let want = at(stats, &format!("words_per_document.{key}"))?
            .as_f64()
            .unwrap_or(f64::NAN);
        let got: f64 = figure(&format!("words-{key}"))?.parse()?;
        if (got - want).abs() > 1e-9 * want.abs().max(1.0) {
            bail!("the page's words {key} is {got}, the JSON's {want}");
        }
    }
    // The top terms table: its rows in order, term and count.
    let section = dom
        .split("<h3>Top terms</h3>")
        .nth(1)
        .and_then(|s| s.split("</table>").next())
        .context("no top terms table on the page")?;
    let rows: Vec<(String, String)> = section
        .split("<tr>")
        .skip(2)
        .filter_map(|row| {
            let cells: Vec<&str> = row
                .split("<td")
                .skip(1)
                .filter_map(|c| c.split('>').nth(1)?.split('<').next())
                .collect();
            let count = tags_with(row, "data-value=\"")
                .first()
                .and_then(|t| attribute(t, "data-value"))?;
            Some((unescape(cells.first()?), count.to_owned()))
        })
        .collect();
    let want: Vec<(String, String)> = at(stats, "vocabulary.top_terms")?
        .as_array()
        .context("top_terms is not a list")?
        .iter()
        .map(|t| {
            (
                t["term"].as_str().unwrap_or_default().to_owned(),
                t["count"].to_string(),
            )
        })
        .collect();
    if rows != want {
        bail!("the page's top terms {rows:?} are not the JSON's {want:?}");
    }
    eprintln!(
        "report-check: {} figures, 4 percentiles and {} top terms equal the JSON",
        checks.len(),
        rows.len()
    );
    Ok(())
}
