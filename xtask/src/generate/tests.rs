//! The generator is deterministic and its truth matches what it planted.

use std::collections::HashMap;

use super::*;

/// The corpora folder, `None` when it is not there (the generator's base text is in it).
fn shared() -> Option<PathBuf> {
    crate::shared_data::data("reuters21578/reuters.jsonl.gz")?;
    Some(crate::shared_data::data_root())
}

fn docs(base: &[Base], n: usize, seed: u64) -> Vec<Generated> {
    let options = GenOptions {
        docs: n,
        seed,
        out: PathBuf::new(),
        format: OutFormat::Jsonl,
        copy_rate: 0.4,
        hard: false,
        foreign: None,
    };
    let mut out = Vec::new();
    generate(base, &options, &mut |d| {
        out.push(d.clone());
        Ok(())
    })
    .expect("generates");
    out
}

#[test]
fn same_seed_same_bytes_and_other_seed_other_bytes() {
    let Some(shared) = shared() else { return };
    let base = load_base(&shared).expect("base corpus");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    for (name, seed) in [("a", 1), ("b", 1), ("c", 2)] {
        let out = dir.path().join(name);
        let options = GenOptions {
            docs: 2_000,
            seed,
            out: out.clone(),
            format: OutFormat::Jsonl,
            copy_rate: 0.3,
            hard: false,
            foreign: None,
        };
        run(&options, &shared).expect("runs");
        files.push((
            fs::read(out.join("corpus.jsonl")).expect("corpus"),
            fs::read(out.join("truth.csv")).expect("truth"),
        ));
    }
    assert!(files[0] == files[1], "the same seed gave different bytes");
    assert!(
        files[0].0 != files[2].0,
        "another seed gave the same corpus"
    );
    drop(base);
}

#[test]
fn truth_matches_what_was_planted() {
    let Some(shared) = shared() else { return };
    let base = load_base(&shared).expect("base corpus");
    let all = docs(&base, 3_000, 7);
    let mut ids = std::collections::HashSet::new();
    let mut originals: HashMap<usize, &Generated> = HashMap::new();
    for d in &all {
        assert!(ids.insert(d.id.clone()), "duplicate id {}", d.id);
        assert!(
            d.id.len() == 20 && d.id.as_bytes()[3] == b'_',
            "id {} is not NNN_<16 hex>",
            d.id
        );
        if d.edits.is_empty() && !originals.contains_key(&d.cluster) {
            originals.insert(d.cluster, d);
        }
    }
    let copies: Vec<&Generated> = all
        .iter()
        .filter(|d| originals.get(&d.cluster).is_some_and(|o| o.id != d.id))
        .collect();
    assert!(
        copies.len() > 800,
        "only {} copies of 3,000 at a 0.4 copy rate",
        copies.len()
    );
    let kinds: std::collections::HashSet<&str> = copies
        .iter()
        .flat_map(|c| c.edits.iter().copied())
        .collect();
    for edit in [
        "dateline",
        "cut ending",
        "dropped paragraph",
        "words changed",
        "ocr noise",
        "related links",
        "image credit",
        "date moved",
    ] {
        assert!(kinds.contains(edit), "no copy has {edit}");
    }
    for c in copies {
        let o = originals[&c.cluster];
        // A copy comes after its original, within three days, and keeps most of its text.
        assert!(
            (0..=3).contains(&(c.date.days() - o.date.days())),
            "{} is dated {} after {}",
            c.id,
            c.date,
            o.date
        );
        let original: std::collections::HashSet<&str> = o
            .paragraphs
            .iter()
            .flat_map(|p| p.split_whitespace())
            .collect();
        let words: Vec<&str> = c
            .paragraphs
            .iter()
            .flat_map(|p| p.split_whitespace())
            .collect();
        let kept = words.iter().filter(|w| original.contains(*w)).count();
        assert!(
            kept * 10 >= words.len() * 6,
            "{} keeps only {kept} of {} words of its original",
            c.id,
            words.len()
        );
    }
    // Originals of different clusters are not copies: they share little text.
    // In cluster order: a hash map's order changes from run to run, and so would the pairs.
    let mut firsts: Vec<&Generated> = originals.values().copied().collect();
    firsts.sort_by_key(|d| d.cluster);
    let mut pairs_checked = 0;
    for w in firsts.windows(2).take(300) {
        let a: std::collections::HashSet<&String> = w[0].paragraphs.iter().collect();
        let shared_paragraphs = w[1].paragraphs.iter().filter(|p| a.contains(p)).count();
        assert!(
            shared_paragraphs * 2 < w[1].paragraphs.len().max(2),
            "two originals share most paragraphs"
        );
        pairs_checked += 1;
    }
    assert!(pairs_checked > 100);
}

#[test]
fn hard_corpora_plant_cut_copies_and_look_alikes_the_truth_keeps_apart() {
    let Some(shared) = shared() else { return };
    let base = load_base(&shared).expect("base corpus");
    let options = GenOptions {
        docs: 3_000,
        seed: 5,
        out: PathBuf::new(),
        format: OutFormat::Jsonl,
        copy_rate: 0.3,
        hard: true,
        foreign: None,
    };
    let mut all = Vec::new();
    generate(&base, &options, &mut |d| {
        all.push(d.clone());
        Ok(())
    })
    .expect("generates");
    let by_id: HashMap<&str, &Generated> = all.iter().map(|d| (d.id.as_str(), d)).collect();
    let (mut copies, mut negatives, mut cut) = (0, 0, 0);
    for doc in &all {
        let Some((from, is_copy)) = &doc.made_from else {
            continue;
        };
        let source = by_id[from.as_str()];
        if *is_copy {
            copies += 1;
            assert_eq!(doc.cluster, source.cluster);
            cut += usize::from(doc.edits.contains(&"cut to 30-95 %"));
        } else {
            negatives += 1;
            assert_ne!(doc.cluster, source.cluster, "a look-alike is not a copy");
            assert_ne!(
                doc.paragraphs, source.paragraphs,
                "a look-alike says something else"
            );
            assert!(source.notice);
        }
    }
    assert!(
        copies > 600 && negatives > 200 && cut > 300,
        "{copies} {negatives} {cut}"
    );
    // Notices are used once each: no two originals share a text.
    let mut texts = std::collections::HashSet::new();
    for doc in all.iter().filter(|d| d.made_from.is_none()) {
        assert!(
            texts.insert(doc.paragraphs.join("\n")),
            "{} repeats a text",
            doc.id
        );
    }
}

/// `--lang XX --from FILE`: the base is the file's documents in that language, copies carry
/// its wires' datelines, cuts fall after words of any script, hard negatives change every
/// figure in the digits they were written in, and the same seed gives the same bytes.
#[test]
fn another_language_is_generated_from_its_own_texts() {
    // Short German notices of our own, with figures, and one English text left out.
    let mut lines = String::new();
    for i in 0..12 {
        let text = format!(
            "Die Stadtwerke Nordhafen melden für das Jahr {} einen Gewinn von {} Millionen Euro. \
             Der Vorstand schlägt eine Dividende von {} Cent je Aktie vor.",
            2010 + i,
            30 + 7 * i,
            10 + i
        );
        lines.push_str(&serde_json::json!({ "id": format!("de{i}"), "text": text }).to_string());
        lines.push('\n');
    }
    lines.push_str(r#"{"id": "en", "text": "The city council voted on Tuesday to build a new bridge over the river, and the mayor said the work would start in the spring."}"#);
    lines.push('\n');
    let dir = tempfile::tempdir().expect("temp dir");
    let from = dir.path().join("base.jsonl");
    fs::write(&from, lines).expect("written");
    let de = Lang::from_tag("de").expect("a code");
    let base = foreign::load_base(&from, de).expect("base");
    assert_eq!(base.len(), 12, "the English text is left out");
    let options = |seed| GenOptions {
        docs: 300,
        seed,
        out: PathBuf::new(),
        format: OutFormat::Jsonl,
        copy_rate: 0.3,
        hard: true,
        foreign: Some(Foreign {
            lang: de,
            from: from.clone(),
        }),
    };
    let make = |seed| {
        let mut out = Vec::new();
        generate(&base, &options(seed), &mut |d| {
            out.push(d.clone());
            Ok(())
        })
        .expect("generates");
        out
    };
    let docs = make(3);
    assert!(docs == make(3), "the same seed gave other documents");
    let datelines = docs
        .iter()
        .filter(|d| d.edits.contains(&"dateline"))
        .collect::<Vec<_>>();
    assert!(!datelines.is_empty());
    assert!(datelines.iter().all(|d| {
        ["BERLIN (dpa) - ", "FRANKFURT (Reuters) - ", "WIEN (APA) - "]
            .iter()
            .any(|l| d.paragraphs[0].starts_with(l))
    }));
    let look_alikes: Vec<&Generated> = docs
        .iter()
        .filter(|d| matches!(d.made_from, Some((_, false))))
        .collect();
    assert!(!look_alikes.is_empty(), "no hard negative");
    assert!(
        docs.iter().all(|d| !d.edits.contains(&"words changed")),
        "English swaps"
    );

    // Figures keep their script; cuts fall after a word.
    let mut rng = Rng::new(1);
    let figure = foreign::new_figure("٣٤٥", &mut rng);
    assert!(
        figure.chars().all(|c| ('\u{661}'..='\u{669}').contains(&c)),
        "{figure}"
    );
    assert_eq!(
        foreign::cut_words("我们在北京开会，讨论了经济问题。", 0.3),
        "我们在北京开会，讨论了经济问题"
    );
    let cut = foreign::cut_words(&"我们在北京开会。".repeat(20), 0.5);
    assert!(
        cut.ends_with("开会")
            || cut.ends_with("北京")
            || cut.ends_with('在')
            || cut.ends_with("我们"),
        "{cut}"
    );
}
