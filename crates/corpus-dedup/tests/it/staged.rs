//! The staged deduplication (signatures per shard, pairs per share of the bands, one
//! clustering over pairs) against one run's `cluster`: the same assignments, bit for bit, on
//! generated corpora made to exercise every path (exact copies of near copies, and of kept
//! copies days later or under another headline, copies by key, cuts, crowded subjects, undated
//! documents, every keep policy) and on the Reuters articles
//! (whose rewrites the generated corpora lack).

use corpus_core::{Block, BlockKind, Document};
use corpus_dedup::{
    Candidate, ClusterKey, Clusters, DedupOptions, DedupResult, Deduplicator, Fingerprint,
    Fingerprinter, Keep, KeyField, Pair, PartError, Reason, ShardPart, Verify, candidates, cluster,
    cluster_pairs, read_pairs, write_pairs,
};

use crate::Rng;

/// The clusters of `fingerprints` through the stages, with `tasks` pairs tasks.
fn staged(fingerprints: &[Fingerprint], options: &DedupOptions, tasks: usize) -> DedupResult {
    let mut pairs: Vec<Pair> = Vec::new();
    for task in 0..tasks {
        let found: Vec<Candidate> = candidates(fingerprints, options, task, tasks);
        let passed: Vec<Pair> = found
            .iter()
            .filter_map(|c| c.check(fingerprints, options))
            .collect();
        // Through a part-file, as a task hands them on.
        let mut bytes = Vec::new();
        write_pairs(&passed, options, &mut bytes).expect("write");
        pairs.extend(read_pairs(&mut bytes.as_slice(), options).expect("read"));
    }
    let keys: Vec<ClusterKey> = fingerprints
        .iter()
        .map(|f| ClusterKey::of(f, options))
        .collect();
    let clusters = cluster_pairs(&keys, pairs, options);
    let similarities: Vec<f64> = clusters
        .needs()
        .iter()
        .map(|&(doc, leader)| fingerprints[doc].similarity(&fingerprints[leader], options))
        .collect();
    clusters.finish(&similarities)
}

fn assert_same(fingerprints: &[Fingerprint], options: &DedupOptions, tasks: &[usize], what: &str) {
    let one = cluster(fingerprints, options);
    for &tasks in tasks {
        let got = staged(fingerprints, options, tasks);
        assert_eq!(got.bands, one.bands);
        for (i, (a, b)) in got.assignments.iter().zip(&one.assignments).enumerate() {
            assert!(
                a.cluster == b.cluster
                    && a.reason == b.reason
                    && a.similarity.to_bits() == b.similarity.to_bits(),
                "{what}, {tasks} tasks, document {i}: {a:?}, one run {b:?}"
            );
        }
        assert_eq!(got.assignments.len(), one.assignments.len());
    }
}

const NAMES: [&str; 12] = [
    "Halvorsen",
    "Tromso",
    "Acme",
    "Brekke",
    "Nordea",
    "Vaasa",
    "Lindqvist",
    "Copiapo",
    "Statkraft",
    "Harstad",
    "Minera",
    "Atacama",
];

/// A corpus of stories and their copies: cut, edited, exact copies of copies, uppercase
/// copies, notices of one template with other names and figures, the same id twice (for
/// `--key id`), some undated.
pub(crate) fn generated(seed: u64, stories: usize) -> Vec<Document> {
    let mut rng = Rng(seed);
    let words: Vec<String> = (0..400).map(|i| format!("w{i}")).collect();
    let mut docs = Vec::new();
    let pick = |rng: &mut Rng, n: u64| (rng.next() % n) as usize;
    for s in 0..stories {
        let len = 20 + pick(&mut rng, 100);
        let mut story: Vec<String> = (0..len)
            .map(|_| match pick(&mut rng, 10) {
                0 => NAMES[pick(&mut rng, NAMES.len() as u64)].to_owned(),
                1 => (pick(&mut rng, 500)).to_string(),
                _ => words[pick(&mut rng, 60 + 340 * (s % 2) as u64)].clone(),
            })
            .collect();
        // Subjects (the first two names) shared by a few stories; one by many on one day, more
        // than the kept copies of a subject a document is compared with.
        let crowded = s % 5 == 0;
        story[0] = NAMES[if crowded { 0 } else { s % NAMES.len() }].to_owned();
        story[1] = NAMES[if crowded { 1 } else { (s / 3) % NAMES.len() }].to_owned();
        let day = if crowded { 2 } else { 1 + pick(&mut rng, 6) };
        // Each version, and whether it is a rewrite (dated the day of its story).
        let mut versions = vec![story.clone()];
        let mut rewrites = vec![false];
        for _ in 0..pick(&mut rng, 6) {
            let mut copy = versions[pick(&mut rng, versions.len() as u64)].clone();
            let kind = pick(&mut rng, 6);
            rewrites.push(kind == 5);
            match kind {
                // A quarter of the plain words replaced, the names and figures kept, the same day.
                5 => {
                    for w in copy.iter_mut().filter(|w| w.starts_with('w')) {
                        if pick(&mut rng, 4) == 0 {
                            *w = words[pick(&mut rng, 400)].clone();
                        }
                    }
                }
                0 => {
                    let keep = copy.len() * (60 + pick(&mut rng, 40)) / 100;
                    copy.truncate(keep.max(3));
                }
                1 => {
                    for _ in 0..1 + copy.len() / 20 {
                        let at = pick(&mut rng, copy.len() as u64);
                        copy[at] = words[pick(&mut rng, 400)].clone();
                    }
                }
                2 => {
                    let at = pick(&mut rng, copy.len() as u64);
                    copy[at] = (pick(&mut rng, 500)).to_string();
                }
                3 => copy.extend((0..5).map(|_| words[pick(&mut rng, 400)].clone())),
                _ => {}
            }
            versions.push(copy);
        }
        // Undated stories (a few), compared with every other.
        let undated = pick(&mut rng, 8) == 0;
        for (v, text) in versions.iter().enumerate() {
            let mut body = text.join(" ");
            if pick(&mut rng, 7) == 0 {
                body = body.to_uppercase();
            }
            let id = if pick(&mut rng, 9) == 0 {
                format!("s{}", pick(&mut rng, stories as u64))
            } else {
                format!("s{s}v{v}")
            };
            let mut d = Document::new(id, "gen", body.clone());
            d.blocks = vec![Block::new(BlockKind::Paragraph, 0..body.len())];
            // Headlines: mostly the story's subject, sometimes another's (an identical notice
            // of another company), sometimes none.
            match pick(&mut rng, 8) {
                0 => {}
                1 => {
                    let other = NAMES[pick(&mut rng, NAMES.len() as u64)];
                    d.metadata
                        .insert("title".into(), format!("{other} SETS PAYOUT").into());
                }
                _ => {
                    d.metadata
                        .insert("title".into(), format!("{} SETS PAYOUT", text[0]).into());
                }
            }
            if !undated && pick(&mut rng, 10) != 0 {
                let late = if rewrites[v] {
                    0
                } else if pick(&mut rng, 10) == 0 {
                    // Outside the window: an identical text of a later event, or a re-scrape.
                    4 + pick(&mut rng, 6)
                } else {
                    pick(&mut rng, 2) * pick(&mut rng, 4)
                };
                let day = (day + late) as u8;
                d.date = corpus_core::Date::from_ymd(2021, 3, day);
            }
            docs.push(d);
        }
    }
    docs
}

fn fingerprints(docs: &[Document], options: &DedupOptions) -> Vec<Fingerprint> {
    let f = Fingerprinter::new(options);
    docs.iter().map(|d| f.fingerprint(d)).collect()
}

pub(crate) fn option_sets() -> Vec<(&'static str, DedupOptions)> {
    vec![
        ("web", DedupOptions::web()),
        ("news", DedupOptions::news()),
        ("news, key id, longest", {
            let mut options = DedupOptions::news();
            options.key = Some(KeyField::Id);
            options.keep = Keep::Longest;
            options
        }),
        ("news, first, no window", {
            let mut options = DedupOptions::news();
            options.keep = Keep::First;
            options.window_days = None;
            options
        }),
        ("web 2-grams at 0.5, exact, key id", {
            let mut options = DedupOptions::web();
            options.ngram = 2;
            options.threshold = 0.5;
            options.verify = Verify::Exact;
            options.key = Some(KeyField::Id);
            options
        }),
        ("news, wide bands", {
            let mut options = DedupOptions::news();
            options.bands = Some((64, 2));
            options
        }),
    ]
}

#[test]
fn the_stages_give_one_runs_clusters_on_generated_corpora() {
    for seed in [1, 2, 3] {
        let docs = generated(seed, 150);
        for (what, options) in option_sets() {
            options.validate().expect("valid");
            let fps = fingerprints(&docs, &options);
            let one = cluster(&fps, &options);
            // The corpus exercises what it is meant to.
            assert!(one.kept() < docs.len() * 3 / 4, "{what}: copies found");
            assert!(one.count(Reason::Exact) > 40, "{what}: exact copies");
            if options.key.is_some() {
                assert!(one.count(Reason::Key) > 2, "{what}: copies by key");
            }
            if options.max_changed_facts.is_some() && options.window_days.is_some() {
                // Identical bodies that are not exact copies: under another headline, or a
                // copy of a member out of its kept copy's reach.
                let mut first = std::collections::HashMap::new();
                let apart = (0..fps.len())
                    .filter(|&i| {
                        let f = *first.entry(fps[i].exact).or_insert(i);
                        f != i && one.assignments[i].reason != Reason::Exact
                    })
                    .count();
                assert!(apart > 0, "{what}: {apart} identical bodies apart");
            }
            assert_same(&fps, &options, &[1, 3, 8], &format!("seed {seed}, {what}"));
        }
    }
}

/// Bands that hundreds of documents share (one-line notices of one form; pages of one template
/// with words of their own): a document is compared with a bounded number of a bucket's
/// documents, the stages pair it with the same ones, and copies of stories far back in a
/// crowded bucket are still found through the bands they share alone.
/// The Reuters articles of the shared corpora (`None`, said, when they are not there).
// A test helper: it says on stderr why a test did not run, as the tests themselves do.
#[allow(clippy::print_stderr)]
pub(crate) fn reuters_documents() -> Option<Vec<Document>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/reuters21578/reuters.jsonl.gz");
    if !path.exists() {
        eprintln!("skipped: {} is not here", path.display());
        return None;
    }
    let mut docs = Vec::new();
    corpus_parser::read_documents(
        &[corpus_parser::Input::Path(path)],
        &corpus_parser::ReadOptions::default(),
        &mut |parsed| docs.extend(parsed.document),
    );
    assert!(docs.len() > 19_000);
    Some(docs)
}

/// One-line notices of one form and pages of one template, 600 each, then copies of the first
/// `planted` pages, a few words changed: bands that hundreds of documents share.
pub(crate) fn crowded(planted: usize) -> Vec<Document> {
    let mut rng = Rng(7);
    let words: Vec<String> = (0..5000).map(|i| format!("v{i}")).collect();
    let template: Vec<String> = (0..150).map(|i| format!("t{i}")).collect();
    let mut docs = Vec::new();
    let doc = |id: String, body: String, day: u8| {
        let mut d = Document::new(id, "gen", body.clone());
        d.blocks = vec![Block::new(BlockKind::Paragraph, 0..body.len())];
        d.date = corpus_core::Date::from_ymd(2021, 3, day);
        d
    };
    let mut originals = Vec::new();
    for i in 0..600 {
        docs.push(doc(format!("story{i}"), format!("Story {i} text here."), 1));
        // As many words of its own as of the template: no page is a copy of another.
        let own: Vec<String> = (0..150)
            .map(|_| words[(rng.next() % 5000) as usize].clone())
            .collect();
        // The template is a footer, as a crawl's pages share one.
        let body = format!("{} {}", own.join(" "), template.join(" "));
        originals.push(body.clone());
        docs.push(doc(format!("page{i}"), body, 1));
    }
    // Copies of the first pages, after every other: a few words changed.
    for (i, original) in originals.iter().take(planted).enumerate() {
        let mut copy: Vec<&str> = original.split(' ').collect();
        let at = (rng.next() % 150) as usize;
        copy[at] = "changed";
        docs.push(doc(format!("copy{i}"), copy.join(" "), 2));
    }
    docs
}

/// Bands that hundreds of documents share (one-line notices of one form; pages of one template
/// with words of their own): a document is compared with a bounded number of a bucket's
/// documents, the stages pair it with the same ones, and copies of stories far back in a
/// crowded bucket are still found through the bands they share alone.
#[test]
fn crowded_bands_are_bounded_alike_and_copies_behind_them_are_found() {
    let planted = 20;
    let docs = crowded(planted);
    for options in [DedupOptions::web(), DedupOptions::news()] {
        let fps = fingerprints(&docs, &options);
        let one = cluster(&fps, &options);
        let found = (0..planted)
            .filter(|&i| {
                let a = one.assignments[docs.len() - planted + i];
                a.reason != Reason::Kept && a.cluster == 2 * i + 1
            })
            .count();
        assert!(found >= planted - 1, "{found} of {planted} copies found");
        assert_same(&fps, &options, &[1, 3], "crowded bands");
    }
}

#[test]
fn the_stages_give_one_runs_clusters_on_the_reuters_articles() {
    let Some(docs) = reuters_documents() else {
        return;
    };
    // The news preset finds 97 rewrites there, many through their subject.
    for options in [DedupOptions::news(), DedupOptions::web()] {
        let fps = fingerprints(&docs, &options);
        let one = cluster(&fps, &options);
        assert!(one.count(Reason::Near) > 150, "the copies are there");
        assert_same(&fps, &options, &[1, 8], "reuters");
    }
}

#[test]
fn shard_parts_read_back_what_was_written_and_refuse_damage() {
    let mut options = DedupOptions::news();
    options.key = Some(KeyField::Id);
    let docs = generated(5, 40);
    let mut dedup = Deduplicator::new(options.clone())
        .expect("valid")
        .count_repeated_blocks(2);
    for d in &docs {
        let p = dedup.prepare(d);
        dedup.add(p);
    }
    let mut bytes = Vec::new();
    dedup.write_part(&mut bytes).expect("write");
    let part = ShardPart::read(&mut bytes.as_slice(), &options).expect("read");
    assert_eq!(part.len(), docs.len());
    let written = fingerprints(&docs, &options);
    assert_eq!(part.fingerprints(), &written[..]);
    let ids: Vec<&str> = part.ids().collect();
    let want: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, want);
    // The merge of the one shard is the one run.
    let one = dedup.finish();
    let clusters = Clusters::new(one.result().clone(), std::slice::from_ref(&part));
    let mut c = Vec::new();
    clusters.write(&options, &mut c).expect("write");
    let clusters = Clusters::read(&mut c.as_slice(), &options).expect("read");
    let merged = corpus_dedup::Deduplicated::of_shards(options.clone(), &clusters, 0, vec![part])
        .expect("fits");
    assert_eq!(merged.cluster_rows(), one.cluster_rows());
    assert_eq!(
        merged.repeated().map(|r| r.repeated()),
        one.repeated().map(|r| r.repeated())
    );
    // Damage: cut, a flipped byte, other options, another kind.
    let cut = &bytes[..bytes.len() - 9];
    assert!(matches!(
        ShardPart::read(&mut &cut[..], &options),
        Err(PartError::Truncated { .. })
    ));
    let mut flipped = bytes.clone();
    let at = flipped.len() / 2;
    flipped[at] ^= 0x40;
    assert!(matches!(
        ShardPart::read(&mut flipped.as_slice(), &options),
        Err(PartError::Corrupt(_))
    ));
    assert!(matches!(
        ShardPart::read(&mut bytes.as_slice(), &DedupOptions::news()),
        Err(PartError::Options)
    ));
    assert!(matches!(
        read_pairs(&mut bytes.as_slice(), &options),
        Err(PartError::NotAPart("pairs"))
    ));
    assert!(matches!(
        ShardPart::read(&mut &b""[..], &options),
        Err(PartError::NotAPart(_))
    ));
}
