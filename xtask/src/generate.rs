//! `cargo xtask gen`: deterministic news corpora with planted wire copies and their truth.
//!
//! Base text is the real articles in `../shared/data` (Reuters-21578 and BBC News, JSON Lines).
//! Each *original* is made of paragraphs of two to four different base articles, so originals
//! are not copies of each other even when a million are made from twenty thousand articles.
//! A *wire copy* of a recent original is made the way outlets make them: a new dateline
//! (`LONDON (Reuters) - `), a cut ending, a dropped paragraph, a few words changed, OCR-like
//! character noise, `Read: ...` lines and an `Image: ...` credit inserted, the date moved by
//! 0 to 3 days; each with its own probability. `truth.csv` (`id,cluster`) names the cluster of
//! every document (an original and its copies share one). Ids are `NNN_<16 hex>`, a bijective
//! mix of the index and the seed: unique, and nothing in them tells the cluster.
//!
//! With `--hard`, copies are edited harder (cut to 30-95 % of the story, up to two paragraphs
//! dropped, up to 8 % of the plain words changed) and a quarter of the originals are short real
//! notices (Reuters dividends, offerings, market reports) of which hard negatives are made: the
//! same template filled in with another company's names, figures and months (dated the same
//! day or the next), or the next report of a series with new figures (one to three days later).
//! The truth keeps them apart, and `pairs.csv` (`a,b,label,reason`, for `corpus eval --pairs`)
//! lists every copy with its original (`COPY`) and every hard negative with its template
//! (`DIFFERENT`).
//!
//! The same arguments give the same bytes: randomness comes from our own SplitMix64 generator,
//! not from a crate whose stream could change between versions.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use corpus_core::{Date, Lang};
use corpus_parser::{Input, ReadOptions, read_documents};

/// What to generate.
#[derive(Debug, Clone)]
pub(crate) struct GenOptions {
    pub(crate) docs: usize,
    pub(crate) seed: u64,
    pub(crate) out: PathBuf,
    pub(crate) format: OutFormat,
    /// Share of documents that are wire copies of an earlier original.
    pub(crate) copy_rate: f64,
    /// Harder copies (cut to 30-95 %, paragraphs dropped, up to 8 % of words changed) and hard
    /// negatives: notices of real Reuters articles filled in again with other names, figures
    /// and dates, which the truth keeps apart; `pairs.csv` lists both kinds of pair.
    pub(crate) hard: bool,
    /// Generate from another base: the documents of a file in one language
    /// ([`foreign`]), with that language's datelines and edits.
    pub(crate) foreign: Option<Foreign>,
}

/// The base of `--lang XX --from FILE`.
#[derive(Debug, Clone)]
pub(crate) struct Foreign {
    pub(crate) lang: Lang,
    pub(crate) from: PathBuf,
}

/// How the corpus is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutFormat {
    /// `corpus.jsonl` (id, date, text, metadata).
    Jsonl,
    /// A folder `articles/` of dated-article files.
    Articles,
    /// `articles.tar`, the same files in one archive.
    Tar,
}

impl OutFormat {
    pub(crate) fn parse(s: &str) -> Result<OutFormat> {
        Ok(match s {
            "jsonl" => OutFormat::Jsonl,
            "articles" => OutFormat::Articles,
            "tar" => OutFormat::Tar,
            other => bail!("--format takes jsonl, articles or tar, not {other:?}"),
        })
    }
}

/// SplitMix64: small, fast, and fixed forever.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5EED_C0DE_1234_5678)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A number in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// SplitMix64's finaliser: a bijection of `u64`, so distinct inputs give distinct ids.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One base article: its paragraphs and, when it has one, its title.
pub(crate) struct Base {
    paragraphs: Vec<String>,
    title: Option<String>,
}

impl Base {
    /// What a document gives the generator: its body's paragraphs of more than 40 bytes and
    /// its title; `None` when no paragraph is that long.
    fn of(doc: &corpus_core::Document) -> Option<Base> {
        let paragraphs: Vec<String> = doc
            .body()
            .filter(|p| p.len() > 40)
            .map(str::to_owned)
            .collect();
        (!paragraphs.is_empty()).then(|| Base {
            paragraphs,
            title: doc.title().map(str::to_owned),
        })
    }
}

/// Reads the base articles from `shared/data`.
pub(crate) fn load_base(shared: &Path) -> Result<Vec<Base>> {
    let mut base = Vec::new();
    for rel in ["reuters21578/reuters.jsonl.gz", "bbc/bbc.jsonl.gz"] {
        let path = shared.join(rel);
        if !path.exists() {
            bail!(
                "{} is missing: the generator needs shared/data beside the checkout",
                path.display()
            );
        }
        read_documents(
            &[Input::Path(path)],
            &ReadOptions::default(),
            &mut |parsed| base.extend(parsed.document.as_ref().and_then(Base::of)),
        );
    }
    Ok(base)
}

/// One generated document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Generated {
    pub(crate) id: String,
    pub(crate) date: Date,
    pub(crate) paragraphs: Vec<String>,
    pub(crate) cluster: usize,
    /// What was done to make this copy (empty for an original), for the tests and the truth.
    pub(crate) edits: Vec<&'static str>,
    /// The document it was made from, and whether it is a copy of it (a hard negative is not).
    pub(crate) made_from: Option<(String, bool)>,
    /// Whether it is a short notice whose look-alikes are hard negatives.
    pub(crate) notice: bool,
}

impl Generated {
    /// The text in the dated-article format.
    pub(crate) fn article(&self) -> String {
        format!(" date {} {}", self.date, self.paragraphs.join("\n\n"))
    }
}

const DATELINES: &[&str] = &[
    "LONDON",
    "NEW YORK",
    "WASHINGTON",
    "PARIS",
    "TOKYO",
    "BRUSSELS",
    "FRANKFURT",
    "SYDNEY",
    "NEW DELHI",
    "NAIROBI",
];
const AGENCIES: &[&str] = &["Reuters", "AP", "AFP", "PTI", "Bloomberg", "dpa"];
const CREDITS: &[&str] = &[
    "AP",
    "Reuters",
    "AFP",
    "PTI",
    "Getty Images",
    "EPA",
    "File photo",
];
/// Substitutions an editor makes.
const SWAPS: &[(&str, &str)] = &[
    ("said", "stated"),
    ("the", "a"),
    ("company", "firm"),
    ("percent", "pct"),
    ("pct", "percent"),
    ("would", "will"),
    ("million", "mln"),
    ("mln", "million"),
    ("on Monday", "on Tuesday"),
    ("announced", "said"),
    ("year", "period"),
];
/// OCR confusions.
const OCR: &[(&str, &str)] = &[
    ("m", "rn"),
    ("l", "1"),
    ("e", "c"),
    ("o", "0"),
    ("i", "l"),
    ("S", "5"),
];

/// Makes the corpus in memory-bounded fashion, handing each document to `sink` in order.
pub(crate) fn generate(
    base: &[Base],
    options: &GenOptions,
    sink: &mut dyn FnMut(&Generated) -> Result<()>,
) -> Result<()> {
    if base.len() < 4 {
        bail!("too few base articles ({})", base.len());
    }
    let mut rng = Rng::new(options.seed);
    let start = Date::parse("2020-01-01").expect("a valid date").days();
    // Originals spread over about three years, whatever the size.
    let span = 3 * 365;
    // Recent originals that copies are made from: wire copies follow the story closely.
    let mut recent: Vec<Generated> = Vec::new();
    // Short real notices (dividends, offerings, market reports), for hard negatives.
    // Each is used once: the same notice twice would be two originals with one text.
    let lang = options.foreign.as_ref().map(|f| f.lang);
    let notice_test = if lang.is_some() {
        foreign::is_notice
    } else {
        is_notice
    };
    let mut notices: Vec<usize> = if options.hard {
        (0..base.len()).filter(|&i| notice_test(&base[i])).collect()
    } else {
        Vec::new()
    };
    let names = match (options.hard, lang) {
        (false, _) => Vec::new(),
        (true, None) => name_pool(base),
        (true, Some(_)) => foreign::name_pool(base),
    };
    let mut clusters = 0;
    for i in 0..options.docs {
        let id = format!("{:03}_{:016x}", i % 1000, mix(i as u64 ^ mix(options.seed)));
        let recent_notice = recent.iter().rposition(|d| d.notice);
        let doc = if !recent.is_empty() && rng.chance(options.copy_rate) {
            let original = recent[rng.below(recent.len())].clone();
            if options.hard {
                hard_copy_of(&original, id, (base, lang), &mut rng)
            } else {
                copy_of(&original, id, (base, lang), &mut rng)
            }
        } else if let (Some(at), true) = (recent_notice, options.hard && rng.chance(0.15)) {
            let template = recent[at].clone();
            let doc = look_alike(&template, id, clusters, (&names, lang), &mut rng);
            clusters += 1;
            doc
        } else {
            let day = start + (i as i64 * span) / options.docs.max(1) as i64;
            let notice = !notices.is_empty() && rng.chance(0.25);
            let paragraphs = if notice {
                let at = rng.below(notices.len());
                base[notices.swap_remove(at)].paragraphs.clone()
            } else {
                original_text(base, &mut rng)
            };
            let doc = Generated {
                id,
                date: date_of(day),
                paragraphs,
                cluster: clusters,
                edits: Vec::new(),
                made_from: None,
                notice,
            };
            clusters += 1;
            if recent.len() == 64 {
                recent.remove(rng.below(64));
            }
            recent.push(doc.clone());
            doc
        };
        sink(&doc)?;
    }
    Ok(())
}

fn date_of(days: i64) -> Date {
    Date::from_days(days).expect("generated dates stay within the calendar")
}

/// An original: paragraphs of two to four different base articles, in a random order.
fn original_text(base: &[Base], rng: &mut Rng) -> Vec<String> {
    let sources = 2 + rng.below(3);
    let mut paragraphs = Vec::new();
    for _ in 0..sources {
        let b = rng.pick(base);
        let take = 1 + rng.below(b.paragraphs.len().min(3));
        let from = rng.below(b.paragraphs.len() + 1 - take);
        paragraphs.extend(b.paragraphs[from..from + take].iter().cloned());
    }
    paragraphs
}

fn copy_of(
    original: &Generated,
    id: String,
    (base, lang): (&[Base], Option<Lang>),
    rng: &mut Rng,
) -> Generated {
    let mut paragraphs = original.paragraphs.clone();
    let mut edits = Vec::new();
    if rng.chance(0.5) {
        paragraphs[0] = match lang {
            None => {
                let place = rng.pick(DATELINES);
                let agency = rng.pick(AGENCIES);
                format!("{place} ({agency}) - {}", paragraphs[0])
            }
            Some(lang) => format!("{}{}", foreign::dateline(lang, rng), paragraphs[0]),
        };
        edits.push("dateline");
    }
    if paragraphs.len() > 2 && rng.chance(0.3) {
        paragraphs.pop();
        edits.push("cut ending");
    }
    if paragraphs.len() > 3 && rng.chance(0.2) {
        let at = 1 + rng.below(paragraphs.len() - 2);
        paragraphs.remove(at);
        edits.push("dropped paragraph");
    }
    // English word swaps: only in English.
    if lang.is_none() && rng.chance(0.5) {
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(paragraphs.len());
            let (from, to) = *rng.pick(SWAPS);
            let needle = format!(" {from} ");
            if let Some(pos) = paragraphs[at].find(&needle) {
                paragraphs[at].replace_range(pos..pos + needle.len(), &format!(" {to} "));
            }
        }
        edits.push("words changed");
    }
    if rng.chance(0.2) {
        for _ in 0..2 + rng.below(6) {
            let at = rng.below(paragraphs.len());
            let (from, to) = *rng.pick(OCR);
            if let Some(pos) = paragraphs[at]
                .match_indices(from)
                .nth(rng.below(8))
                .map(|(p, _)| p)
            {
                paragraphs[at].replace_range(pos..pos + from.len(), to);
            }
        }
        edits.push("ocr noise");
    }
    if rng.chance(0.4) {
        for _ in 0..1 + rng.below(2) {
            let title = rng
                .pick(base)
                .title
                .clone()
                .unwrap_or_else(|| "More on this story".into());
            let at = 1 + rng.below(paragraphs.len());
            paragraphs.insert(at.min(paragraphs.len()), format!("Read: {title}"));
        }
        edits.push("related links");
    }
    if rng.chance(0.5) {
        paragraphs.push(format!("Image: {}", rng.pick(CREDITS)));
        edits.push("image credit");
    }
    let shift = rng.below(4) as i64;
    if shift > 0 {
        edits.push("date moved");
    }
    let date = date_of(original.date.days() + shift);
    Generated {
        id,
        date,
        paragraphs,
        cluster: original.cluster,
        edits,
        made_from: Some((original.id.clone(), true)),
        notice: false,
    }
}

/// A wire copy edited harder: cut to 30-95 % of the story (paragraphs, or the words of a
/// one-paragraph story), up to two paragraphs dropped, up to 8 % of its plain words changed,
/// then the edits of [`copy_of`].
fn hard_copy_of(
    original: &Generated,
    id: String,
    (base, lang): (&[Base], Option<Lang>),
    rng: &mut Rng,
) -> Generated {
    let mut cut = original.clone();
    let mut edits = Vec::new();
    if rng.chance(0.6) {
        let keep = 0.3 + 0.65 * rng.below(1000) as f64 / 1000.0;
        if cut.paragraphs.len() > 1 {
            let n = ((cut.paragraphs.len() as f64 * keep).ceil() as usize).max(1);
            cut.paragraphs.truncate(n);
        } else if lang.is_some() {
            cut.paragraphs[0] = foreign::cut_words(&cut.paragraphs[0], keep);
        } else {
            let words: Vec<&str> = cut.paragraphs[0].split(' ').collect();
            let n = ((words.len() as f64 * keep).ceil() as usize).max(10.min(words.len()));
            cut.paragraphs[0] = words[..n].join(" ");
        }
        edits.push("cut to 30-95 %");
    }
    if cut.paragraphs.len() > 3 && rng.chance(0.3) {
        for _ in 0..1 + rng.below(2) {
            if cut.paragraphs.len() > 2 {
                let at = 1 + rng.below(cut.paragraphs.len() - 2);
                cut.paragraphs.remove(at);
            }
        }
        edits.push("dropped paragraphs");
    }
    if rng.chance(0.5) {
        // Plain lower-case words only: editors reword, they do not change the facts.
        let rate = rng.below(80) as f64 / 1000.0;
        let replacements = ["also", "then", "now", "further", "still", "again"];
        for p in cut.paragraphs.iter_mut().filter(|_| lang.is_some()) {
            *p = foreign::reword(p, rate, rng);
        }
        for p in cut.paragraphs.iter_mut().filter(|_| lang.is_none()) {
            let words: Vec<String> = p
                .split(' ')
                .map(|w| {
                    let plain = !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase());
                    if plain && rng.chance(rate) {
                        (*rng.pick(&replacements)).to_owned()
                    } else {
                        w.to_owned()
                    }
                })
                .collect();
            *p = words.join(" ");
        }
        edits.push("up to 8 % of words changed");
    }
    let mut copy = copy_of(&cut, id, (base, lang), rng);
    edits.append(&mut copy.edits);
    copy.edits = edits;
    copy.cluster = original.cluster;
    copy.made_from = Some((original.id.clone(), true));
    copy
}

/// Whether a base article is a short notice of the kind written from a template: at most
/// three paragraphs and 120 words, with figures.
fn is_notice(b: &Base) -> bool {
    let words: usize = b
        .paragraphs
        .iter()
        .map(|p| p.split_whitespace().count())
        .sum();
    b.paragraphs.len() <= 3
        && words <= 120
        && b.paragraphs
            .iter()
            .any(|p| p.bytes().any(|c| c.is_ascii_digit()))
}

/// Names to fill a template with: the capitalised words of the base articles' titles.
fn name_pool(base: &[Base]) -> Vec<String> {
    let mut names: Vec<String> = base
        .iter()
        .filter_map(|b| b.title.as_deref())
        .flat_map(|t| t.split_whitespace())
        .filter(|w| w.len() > 3 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut c = lower.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Whether a notice reads as one report of a series: at least four figures, and one word in
/// eight a figure (market reports, tenders, weekly statistics).
fn is_series(paragraphs: &[String]) -> bool {
    let words: Vec<&str> = paragraphs
        .iter()
        .flat_map(|p| p.split_whitespace())
        .collect();
    let figures = words
        .iter()
        .filter(|w| w.bytes().any(|b| b.is_ascii_digit()))
        .count();
    figures >= 4 && figures * 8 >= words.len()
}

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A hard negative: the template of a recent notice filled in again: another company's notice
/// (names, figures and months replaced, dated the same day or the next), or, for half of the
/// notices that read as a series' report, the next report (every figure replaced, dated one to
/// three days later). The truth gives it a cluster of its own.
fn look_alike(
    template: &Generated,
    id: String,
    cluster: usize,
    (names, lang): (&[String], Option<Lang>),
    rng: &mut Rng,
) -> Generated {
    // A series' report is mostly figures, all of them new; a story that differs from another
    // only in a figure or two is a correction, which is a copy.
    let other_company = !is_series(&template.paragraphs) || rng.chance(0.5);
    let mut replaced: std::collections::HashMap<String, String> = Default::default();
    let paragraphs = template
        .paragraphs
        .iter()
        .map(|p| {
            let words: Vec<String> = p
                .split(' ')
                .enumerate()
                .map(|(i, w)| {
                    let core = w.trim_matches(|c: char| !c.is_alphanumeric());
                    if core.is_empty() {
                        return w.to_owned();
                    }
                    let figure = core.bytes().any(|b| b.is_ascii_digit());
                    let month = MONTHS.contains(&core);
                    let name = i > 0
                        && core.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                        && core.len() > 2;
                    let new = if lang.is_some() {
                        // Any script's digits; names where the script has capitals.
                        let name = i > 0
                            && core.chars().next().is_some_and(char::is_uppercase)
                            && core.chars().skip(1).all(char::is_lowercase)
                            && core.chars().count() > 3;
                        if foreign::has_figure(core) {
                            Some(foreign::new_figure(core, rng))
                        } else if other_company && name && !names.is_empty() {
                            Some(rng.pick(names).clone())
                        } else {
                            None
                        }
                    } else if figure {
                        Some(
                            core.chars()
                                .map(|c| {
                                    if c.is_ascii_digit() {
                                        char::from(b'1' + rng.below(9) as u8)
                                    } else {
                                        c
                                    }
                                })
                                .collect::<String>(),
                        )
                    } else if other_company && month {
                        Some((*rng.pick(MONTHS)).to_owned())
                    } else if other_company && name && !names.is_empty() {
                        Some(rng.pick(names).clone())
                    } else {
                        None
                    };
                    match new {
                        Some(new) => {
                            let new = replaced.entry(core.to_owned()).or_insert(new).clone();
                            w.replacen(core, &new, 1)
                        }
                        None => w.to_owned(),
                    }
                })
                .collect();
            words.join(" ")
        })
        .collect();
    let shift = if other_company {
        rng.below(2)
    } else {
        1 + rng.below(3)
    } as i64;
    Generated {
        id,
        date: date_of(template.date.days() + shift),
        paragraphs,
        cluster,
        edits: vec![if other_company {
            "another company's notice"
        } else {
            "the next report of a series"
        }],
        made_from: Some((template.id.clone(), false)),
        notice: false,
    }
}

/// A generated JSON Lines corpus of `docs` documents (`hard`: with hard look-alikes) in `dir`,
/// made once: a later call finds it complete and makes nothing.
pub(crate) fn once(dir: &Path, docs: usize, seed: u64, hard: bool, shared: &Path) -> Result<()> {
    if dir.join(".complete").exists() {
        return Ok(());
    }
    let options = GenOptions {
        docs,
        seed,
        out: dir.to_path_buf(),
        format: OutFormat::Jsonl,
        copy_rate: 0.3,
        hard,
        foreign: None,
    };
    run(&options, shared)?;
    fs::write(dir.join(".complete"), "")?;
    Ok(())
}

/// Writes the corpus and `truth.csv` into `options.out`.
pub(crate) fn run(options: &GenOptions, shared: &Path) -> Result<()> {
    let base = match &options.foreign {
        Some(f) => foreign::load_base(&f.from, f.lang)?,
        None => load_base(shared)?,
    };
    fs::create_dir_all(&options.out)
        .with_context(|| format!("cannot create {}", options.out.display()))?;
    let mut truth = BufWriter::new(File::create(options.out.join("truth.csv"))?);
    writeln!(truth, "id,cluster")?;
    // Every planted pair: each copy with its original, each hard negative with its template.
    let mut pairs = BufWriter::new(File::create(options.out.join("pairs.csv"))?);
    writeln!(pairs, "a,b,label,reason")?;
    let mut pair_of = |doc: &Generated| -> Result<()> {
        if let Some((from, copy)) = &doc.made_from {
            let label = if *copy { "COPY" } else { "DIFFERENT" };
            writeln!(pairs, "{from},{},{label},{}", doc.id, doc.edits.join("; "))?;
        }
        Ok(())
    };
    let mut bytes = 0u64;
    match options.format {
        OutFormat::Jsonl => {
            let mut out =
                BufWriter::with_capacity(1 << 20, File::create(options.out.join("corpus.jsonl"))?);
            generate(&base, options, &mut |doc| {
                let line = serde_json::json!({
                    "id": doc.id,
                    "date": doc.date.to_string(),
                    "text": doc.paragraphs.join("\n\n"),
                    "metadata": {"source": "generated"},
                });
                let line = serde_json::to_string(&line)?;
                bytes += line.len() as u64 + 1;
                writeln!(out, "{line}")?;
                writeln!(truth, "{},{}", doc.id, doc.cluster)?;
                pair_of(doc)
            })?;
            out.flush()?;
        }
        OutFormat::Articles => {
            let dir = options.out.join("articles");
            fs::create_dir_all(&dir)?;
            generate(&base, options, &mut |doc| {
                let text = doc.article();
                bytes += text.len() as u64;
                fs::write(dir.join(format!("{}.txt", doc.id)), text)?;
                writeln!(truth, "{},{}", doc.id, doc.cluster)?;
                pair_of(doc)
            })?;
        }
        OutFormat::Tar => {
            let file =
                BufWriter::with_capacity(1 << 20, File::create(options.out.join("articles.tar"))?);
            let mut tar = tar::Builder::new(file);
            generate(&base, options, &mut |doc| {
                let text = doc.article();
                bytes += text.len() as u64;
                let mut header = tar::Header::new_gnu();
                header.set_size(text.len() as u64);
                header.set_mode(0o644);
                header.set_mtime(0);
                header.set_cksum();
                tar.append_data(
                    &mut header,
                    format!("articles/{}.txt", doc.id),
                    text.as_bytes(),
                )?;
                writeln!(truth, "{},{}", doc.id, doc.cluster)?;
                pair_of(doc)
            })?;
            tar.into_inner()?.flush()?;
        }
    }
    truth.flush()?;
    pairs.flush()?;
    eprintln!(
        "gen: {} documents, {:.1} MB of text in {}",
        options.docs,
        bytes as f64 / 1e6,
        // As the user would name it: from the workspace root when inside it.
        options
            .out
            .strip_prefix(crate::root())
            .unwrap_or(&options.out)
            .display()
    );
    Ok(())
}

mod foreign;

#[cfg(test)]
mod languages;

#[cfg(test)]
mod tests;
