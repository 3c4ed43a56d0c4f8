//! Tests of corpus-dedup through its public API: each part of the verification on small
//! hand-made pairs, and MinHash against its own probabilities.

use corpus_core::{Block, BlockKind, Document};
use corpus_dedup::{
    DedupOptions, Fingerprinter, Reason, Similarity, Verify, bands_for_recall,
    candidate_probability, cluster, estimate, jaccard, optimal_bands,
};

mod index;
mod staged;
mod workflow;

fn doc(id: &str, date: &str, text: &str) -> Document {
    let mut d = Document::new(id, "x", text);
    d.blocks = vec![Block::new(BlockKind::Paragraph, 0..text.len())];
    d.date = corpus_core::Date::parse(date).ok();
    d
}

/// The cluster (kept copy's index) of every document under `options`.
fn clusters(docs: &[Document], options: &DedupOptions) -> Vec<usize> {
    options.validate().expect("valid options");
    let f = Fingerprinter::new(options);
    let fps: Vec<_> = docs.iter().map(|d| f.fingerprint(d)).collect();
    cluster(&fps, options)
        .assignments
        .iter()
        .map(|a| a.cluster)
        .collect()
}

pub(crate) const STORY: &str = "Rescue teams in northern Chile pulled eleven miners from a flooded copper \
    shaft near Copiapo on Tuesday after a two day search, the regional governor said. The \
    miners had been trapped about 300 metres underground since Sunday when water from an \
    underground river broke into the gallery. Doctors at the regional hospital said all eleven \
    were in stable condition although two were treated for hypothermia. The mine owner, \
    Minera Atacama, said it would suspend work at the shaft while engineers inspect the \
    pumps. Police have opened an investigation into safety at the site, which was fined in \
    2019 for missing ventilation equipment. Families who had waited at the entrance for two \
    nights cheered as the last miner was brought to the surface shortly before midnight.";

#[test]
fn a_copy_cut_to_half_its_story_joins_by_containment_not_by_jaccard() {
    let words: Vec<&str> = STORY.split(' ').collect();
    let cut = words[..words.len() / 2].join(" ");
    let docs = [
        doc("full", "2021-03-01", STORY),
        doc("cut", "2021-03-02", &cut),
    ];
    let mut jaccard = DedupOptions::news();
    jaccard.threshold = 0.7;
    jaccard.similarity = Similarity::Jaccard;
    jaccard.max_changed_facts = None;
    jaccard.rewrite_threshold = None;
    jaccard.bands = Some((128, 1));
    assert_eq!(clusters(&docs, &jaccard), [0, 1], "Jaccard is about 0.5");
    let mut contained = jaccard;
    contained.similarity = Similarity::Containment;
    assert_eq!(clusters(&docs, &contained), [0, 0]);
}

/// The news preset comparing by containment at `threshold`, with every pair a candidate (128
/// bands of one row), so that what is tested is the verification, not LSH.
fn every_pair_contained(threshold: f64) -> DedupOptions {
    let mut options = DedupOptions::news();
    options.similarity = Similarity::Containment;
    options.threshold = threshold;
    options.bands = Some((128, 1));
    options
}

#[test]
fn two_companies_notices_from_one_template_stay_apart_on_their_facts() {
    let notice = |company: &str, cts: &str, pay: &str, record: &str| {
        format!(
            "{company} said its board declared a regular quarterly dividend of {cts} cts a \
             share, payable {pay} to holders of record {record}. The company said the \
             dividend is unchanged from the prior quarter and reflects steady earnings."
        )
    };
    let stokely = notice("Stokely USA Inc", "five", "April 1", "March 15");
    let atcor = notice("Atcor Inc", "eight", "May 4", "April 20");
    let stokely_again = format!("{stokely} Stokely makes canned vegetables.");
    let docs = [
        doc("stokely", "2021-03-01", &stokely),
        doc("atcor", "2021-03-01", &atcor),
        doc("stokely-again", "2021-03-02", &stokely_again),
    ];
    let mut words_only = every_pair_contained(0.7);
    words_only.max_changed_facts = None;
    assert_eq!(
        clusters(&docs, &words_only)[1],
        0,
        "the words alone merge them"
    );
    let mut with_facts = words_only;
    with_facts.max_changed_facts = Some(0.2);
    assert_eq!(
        clusters(&docs, &with_facts),
        [0, 1, 0],
        "the copy still joins"
    );
}

#[test]
fn the_chain_guard_holds_under_containment() {
    // B holds A's first half and C's first half; C holds B's second half and more: A~B and
    // B~C are contained, A~C is not, and C never joins A's cluster through B.
    let words: Vec<&str> = STORY.split(' ').collect();
    let half = words.len() / 2;
    let a = words[..half].join(" ");
    let other = "Markets in Santiago closed higher on Tuesday as copper prices rose for a third \
        day on expectations of stronger demand from China and lower stocks in London \
        warehouses, traders said, while the peso gained against the dollar.";
    let b = format!("{a} {other}");
    let c = format!("{other} Analysts expect the central bank to hold rates at its next meeting.");
    let docs = [
        doc("a", "2021-03-01", &a),
        doc("b", "2021-03-02", &b),
        doc("c", "2021-03-03", &c),
    ];
    let got = clusters(&docs, &every_pair_contained(0.8));
    assert_eq!(got[1], 0, "B is a copy of A");
    assert_ne!(got[2], 0, "C is not like A");
}

/// A story and the same story rewritten by another desk: other words, the same names and
/// figures.
const ORIGINAL: &str = "Halvorsen Marine Ltd said it will build two ferries for the port of \
    Tromso under a contract worth 410 mln crowns. The company said the ferries, each carrying \
    600 passengers, will be delivered in 2027 from its yard at Ulsteinvik.";
const REWRITE: &str = "Halvorsen Marine Limited said it won a contract from the port of \
    Tromso worth 410 mln crowns to build two ferries. The ferries will each carry 600 \
    passengers and will be delivered in 2027 from the yard at Ulsteinvik, it said.";

fn with_reasons(docs: &[Document], options: &DedupOptions) -> Vec<(usize, Reason)> {
    let f = Fingerprinter::new(options);
    let fps: Vec<_> = docs.iter().map(|d| f.fingerprint(d)).collect();
    cluster(&fps, options)
        .assignments
        .iter()
        .map(|a| (a.cluster, a.reason))
        .collect()
}

#[test]
fn a_rewrite_joins_by_its_facts_the_same_day_only() {
    let news = DedupOptions::news();
    let same_day = [
        doc("original", "2021-03-01", ORIGINAL),
        doc("rewrite", "2021-03-01", REWRITE),
    ];
    let got = with_reasons(&same_day, &news);
    assert_eq!(
        got[1],
        (0, Reason::Rewrite),
        "the words alone are too far apart"
    );
    let mut off = DedupOptions::news();
    off.rewrite_threshold = None;
    assert_eq!(with_reasons(&same_day, &off)[1].0, 1);
    // One band of all 128 rows: only identical signatures share it; the rewrite is still
    // compared, as a story of the same subject (its first two names) on the same day.
    let mut one_band = DedupOptions::news();
    one_band.bands = Some((1, 128));
    assert_eq!(with_reasons(&same_day, &one_band)[1], (0, Reason::Rewrite));
    let days_later = [
        doc("original", "2021-03-01", ORIGINAL),
        doc("rewrite", "2021-03-04", REWRITE),
    ];
    assert_eq!(
        clusters(&days_later, &news),
        [0, 1],
        "days later it is a follow-up"
    );
    // Below, the similarity asked of a rewrite is low enough for the edits not to matter: what
    // keeps them apart is their facts.
    let mut news = DedupOptions::news();
    news.rewrite_threshold = Some(0.3);
    news.bands = Some((128, 1));
    assert_eq!(clusters(&same_day, &news), [0, 0]);
    // Another order: other figures in the same words.
    let other_order = REWRITE.replace("410", "380").replace("two", "three");
    let docs = [
        doc("original", "2021-03-01", ORIGINAL),
        doc("other", "2021-03-01", &other_order),
    ];
    assert_eq!(
        clusters(&docs, &news),
        [0, 1],
        "a rewrite keeps its figures"
    );
    // Another yard's order from the same template.
    let other_yard = REWRITE
        .replace("Halvorsen Marine Limited", "Brekke Verft AS")
        .replace("Ulsteinvik", "Brattvag");
    let docs = [
        doc("original", "2021-03-01", ORIGINAL),
        doc("other", "2021-03-01", &other_yard),
    ];
    assert_eq!(clusters(&docs, &news), [0, 1], "a rewrite keeps its names");
}

#[test]
fn a_story_shared_after_another_opening_is_no_rewrite() {
    // Two digests: another item first, then the same story. Their facts agree (every figure,
    // most names), their openings do not.
    let story = "Halvorsen Marine Ltd said it will build 2 ferries for Tromso and Harstad under a \
        contract with Hurtigruten worth 410 mln crowns, for delivery in 2027 from its yard at \
        Ulsteinvik, where Nordea and DNB arranged the loans.";
    let first = "Lindqvist Bygg Oy and Saab opened a new training centre near Vaasa this week, \
        where apprentices will learn to weld hulls and fit engines over a course that lasts \
        most of a year.";
    // Its names stand where the first has none, so that no fact changes in a shared context.
    let other = "Work began this week on a wind park that Statkraft Energi and Equinor will \
        build at Stavanger, with turbines that will be carried to the site on barges and raised \
        over the course of the summer.";
    let same_opening = other
        .replace("Statkraft Energi and Equinor", "Lindqvist Bygg Oy and Saab")
        .replace("Stavanger", "Vaasa");
    let mut news = DedupOptions::news();
    news.rewrite_threshold = Some(0.3);
    news.bands = Some((128, 1));
    let pair = |lead: &str| {
        let docs = [
            doc("a", "2021-03-01", &format!("{first} {story}")),
            doc("b", "2021-03-01", &format!("{lead} {story}")),
        ];
        with_reasons(&docs, &news)[1]
    };
    assert_eq!(pair(other), (1, Reason::Kept));
    assert_eq!(
        pair(&same_opening),
        (0, Reason::Rewrite),
        "the same facts open both"
    );
}

#[test]
fn days_apart_a_copy_is_the_story_as_it_was_not_a_longer_one_or_new_figures() {
    let mut news = DedupOptions::news();
    news.bands = Some((128, 1));
    let item = "Dutch crushers bought 3,000 tonnes of Canadian rapeseed overnight for June \
        shipment, trade sources in Rotterdam said on Tuesday.";
    let next = format!(
        "{item} They added that Poland may have bought a large cargo of linseed, though no \
         price or shipment details were given by the exporters."
    );
    for (date, together) in [("2021-03-02", true), ("2021-03-04", false)] {
        let docs = [doc("item", "2021-03-01", item), doc("next", date, &next)];
        assert_eq!(
            clusters(&docs, &news)[1] == 0,
            together,
            "{date}: a day later it is an update; days later the next report"
        );
    }
    // Cut days later: a copy.
    let cut: String = next.split(" They added").next().unwrap_or_default().into();
    let docs = [
        doc("next", "2021-03-01", &next),
        doc("cut", "2021-03-04", &cut),
    ];
    assert_eq!(clusters(&docs, &news), [0, 0]);
    // The series' next report, days later, with new figures in new words around them.
    let series = item.replace("bought 3,000", "bought 2,500 to 4,000");
    for (date, together) in [("2021-03-02", true), ("2021-03-04", false)] {
        let docs = [
            doc("item", "2021-03-01", item),
            doc("series", date, &series),
        ];
        assert_eq!(clusters(&docs, &news)[1] == 0, together, "{date}");
    }
}

/// A deterministic stream of pseudo-random numbers (SplitMix64).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[test]
fn signatures_estimate_jaccard_within_their_expected_error() {
    let mut rng = Rng(7);
    let mut options = DedupOptions::web();
    options.ngram = 1;
    options.permutations = 256;
    options.verify = Verify::Exact;
    let f = Fingerprinter::new(&options);
    let k = options.permutations as f64;
    for _ in 0..40 {
        // Two texts of distinct words drawn from a shared pool and two private ones.
        let shared = 20 + rng.next() % 200;
        let only_a = rng.next() % 200;
        let only_b = rng.next() % 200;
        let words = |prefix: &str, n: u64, start: u64| {
            (start..start + n)
                .map(|i| format!("{prefix}{i}"))
                .collect::<Vec<_>>()
        };
        let base = rng.next() % 1_000_000;
        let common = words("w", shared, base);
        let text_a = [common.clone(), words("a", only_a, base)]
            .concat()
            .join(" ");
        let text_b = [common, words("b", only_b, base)].concat().join(" ");
        let (a, b) = (
            f.fingerprint(&doc("a", "2021-03-01", &text_a)),
            f.fingerprint(&doc("b", "2021-03-01", &text_b)),
        );
        let exact = jaccard(
            a.shingles.as_deref().expect("exact shingles"),
            b.shingles.as_deref().expect("exact shingles"),
        );
        let sd = (exact * (1.0 - exact) / k).sqrt();
        let got = estimate(&a.signature, &b.signature);
        assert!(
            (got - exact).abs() <= 4.0 * sd + 0.01,
            "estimate {got} against exact {exact}"
        );
    }
}

#[test]
fn densification_fills_every_bin() {
    let f = Fingerprinter::new(&DedupOptions::web());
    // Five words, 5-grams: one shingle for 128 bins; every bin borrows its value.
    let one = f.fingerprint(&doc("x", "2021-03-01", "just five words in here"));
    assert_eq!(one.signature.len(), 128);
    assert!(one.signature.iter().all(|&v| v == one.signature[0]));
    let many = f.fingerprint(&doc("y", "2021-03-01", STORY));
    assert!(many.signature.iter().all(|&v| v != u32::MAX));
}

#[test]
fn pairs_become_candidates_as_often_as_the_banding_says() {
    // Signatures agreeing at each position with probability s: under `bands × rows` and a
    // threshold of 0, a pair joins exactly when it shares a band.
    let mut rng = Rng(11);
    let (bands, rows) = (6, 3);
    let mut options = DedupOptions::web();
    options.permutations = bands * rows;
    options.bands = Some((bands, rows));
    options.threshold = 0.0;
    for s in [0.3, 0.5, 0.7] {
        let trials = 3000;
        let mut joined = 0;
        for t in 0..trials {
            let a: Vec<u32> = (0..bands * rows).map(|_| rng.next() as u32).collect();
            let b: Vec<u32> = a
                .iter()
                .map(|&v| {
                    if (rng.next() % 1000) as f64 / 1000.0 < s {
                        v
                    } else {
                        v ^ 1
                    }
                })
                .collect();
            let fp = |sig: Vec<u32>, exact: u128| corpus_dedup::Fingerprint {
                exact,
                signature: sig.into(),
                words: 10,
                ..corpus_dedup::Fingerprint::default()
            };
            let result = cluster(&[fp(a, 2 * t), fp(b, 2 * t + 1)], &options);
            joined += usize::from(result.assignments[1].reason == Reason::Near);
        }
        let expected = candidate_probability(s, bands, rows);
        let seen = joined as f64 / trials as f64;
        assert!(
            (seen - expected).abs() < 0.04,
            "s {s}: {seen} against {expected}"
        );
    }
}

#[test]
fn recall_banding_finds_pairs_at_the_threshold() {
    for (threshold, permutations) in [(0.8, 128), (0.5, 128), (0.3, 256)] {
        let (b, r) = bands_for_recall(threshold, permutations, 0.95);
        assert!(b * r <= permutations);
        assert!(
            candidate_probability(threshold, b, r) >= 0.95,
            "{threshold}: {b} x {r}"
        );
        let (ob, or) = optimal_bands(threshold, permutations);
        assert!(candidate_probability(threshold, b, r) >= candidate_probability(threshold, ob, or));
    }
    // datasketch's rule at 0.8 finds a pair at the threshold well under half the time.
    let (ob, or) = optimal_bands(0.8, 128);
    assert!(candidate_probability(0.8, ob, or) < 0.5);
}

#[test]
fn invalid_options_are_errors_that_quote_the_value() {
    // A preset, a change that makes it invalid, and the error it gets.
    type Change = fn(&mut DedupOptions);
    let cases: [(DedupOptions, Change, &str); 4] = [
        (
            DedupOptions::web(),
            |o| o.threshold = 1.5,
            "threshold 1.5 is not a number from 0 to 1",
        ),
        (
            DedupOptions::web(),
            |o| o.bands = Some((100, 2)),
            "100 bands × 2 rows must be at least 1 × 1 and at most the 128 permutations",
        ),
        (
            DedupOptions::news(),
            |o| o.ngram = 0,
            "n-gram length 0 is not from 1 to 64",
        ),
        (
            DedupOptions::news(),
            |o| o.rewrite_threshold = Some(-0.1),
            "rewrite threshold -0.1 is not a number from 0 to 1",
        ),
    ];
    for (mut options, change, message) in cases {
        change(&mut options);
        assert_eq!(
            options.validate().expect_err("invalid").to_string(),
            message
        );
    }
    assert!(DedupOptions::news().validate().is_ok() && DedupOptions::web().validate().is_ok());
}
