//! Integration tests of corpus-stats: figures computed by hand, and merges that must equal the
//! whole.

use corpus_core::{Date, Document, Problem, ProblemKind};
use corpus_parser::{Input, ReadOptions, Source, parse_article, read_documents};
use corpus_stats::{
    CorpusStats, Granularity, GroupBy, PartError, ShardedStats, StatsOptions, StopWords,
};

#[path = "../../../../testdata/shared.rs"]
mod shared;

fn article(id: &str, text: &str) -> Document {
    let path = format!("{id}.txt");
    parse_article(
        Source {
            path: &path,
            name: id,
        },
        text.to_owned(),
    )
    .document
    .expect("parses")
}

/// Three small articles whose figures were counted by hand:
///
/// - `a` (2021-03-02): body "Rain fell on the city. Rain stopped." = 7 words, 2 sentences,
///   1 paragraph; plus a related link and an image credit.
/// - `b` (2021-03-20): heading "Markets rally" + paragraph "Shares rose. Bonds fell. The city
///   cheered!" = 2 + 7 = 9 words, 1 + 3 = 4 sentences.
/// - `c` (no date): "Rain again." = 2 words, 1 sentence.
fn corpus() -> Vec<Document> {
    vec![
        article(
            "a",
            " date 2021-03-02 Rain fell on the city. Rain stopped.\n\nRead: Floods Expected\n\nImage: AP\n",
        ),
        article(
            "b",
            " date 2021-03-20 Markets rally\n\nShares rose. Bonds fell. The city cheered!\n\nImage: AP",
        ),
        article("c", "Rain again.\n"),
    ]
}

fn stats_of(docs: &[Document], options: StatsOptions) -> CorpusStats {
    let mut s = CorpusStats::new(options);
    for d in docs {
        s.add_document(d).expect("fits in memory");
    }
    s
}

#[test]
fn counts_by_hand() {
    let s = stats_of(&corpus(), StatsOptions::default()).summary(5);
    let c = s.counts;
    assert_eq!(c.documents, 3);
    assert_eq!(c.words, 7 + 9 + 2);
    assert_eq!(c.sentences, 2 + 4 + 1);
    assert_eq!(
        (
            c.paragraphs,
            c.headings,
            c.related_links,
            c.image_credits,
            c.undated
        ),
        (3, 1, 1, 2, 1)
    );
    let bytes: usize = corpus().iter().map(|d| d.text.len()).sum();
    assert_eq!(c.bytes, bytes as u64);
}

#[test]
fn vocabulary_by_hand() {
    let s = stats_of(&corpus(), StatsOptions::default()).summary(3);
    let v = &s.vocabulary;
    // rain×3 fell×2 the×2 city×2, and once each: on stopped markets rally shares rose bonds
    // cheered again: 4 + 9 = 13 types over 18 tokens; 9 hapax legomena.
    assert_eq!(v.tokens, 18);
    assert_eq!(v.types, 13);
    assert!((v.type_token_ratio - 13.0 / 18.0).abs() < 1e-12);
    assert_eq!(v.hapax_legomena, 9);
    // "the" and "on" are stop words; rain (3, in 2 docs) leads, then city and fell (2 each,
    // in 2 docs), alphabetically.
    let top: Vec<_> = v
        .top_terms
        .iter()
        .map(|t| (t.term.as_str(), t.count, t.documents))
        .collect();
    assert_eq!(top, [("rain", 3, 2), ("city", 2, 2), ("fell", 2, 2)]);
    // By documents: rain is in a and c, city in a and b, fell in a and b.
    let by_docs: Vec<_> = v
        .top_terms_by_documents
        .iter()
        .map(|t| (t.term.as_str(), t.documents))
        .collect();
    assert_eq!(by_docs, [("rain", 2), ("city", 2), ("fell", 2)]);
    // Bigrams never cross a stop word or a block: "rain fell", "rain stopped", "markets
    // rally", "shares rose", "bonds fell", "city cheered", "rain again"; "city rain" spans
    // two sentences of one paragraph, so it counts too.
    let bigrams: Vec<_> = v
        .top_bigrams
        .iter()
        .map(|b| format!("{} {}", b.first, b.second))
        .collect();
    assert_eq!(bigrams, ["bonds fell", "city cheered", "city rain"]);
}

#[test]
fn stop_words_none_keeps_function_words() {
    let s = stats_of(&corpus(), {
        let mut options = StatsOptions::default();
        options.stopwords = StopWords::none();
        options.group_by = None;
        options
    })
    .summary(2);
    let top: Vec<_> = s
        .vocabulary
        .top_terms
        .iter()
        .map(|t| t.term.as_str())
        .collect();
    assert_eq!(top, ["rain", "city"]);
    let custom = StopWords::from_list("# mine\nRain city\n");
    assert!(custom.contains("rain") && custom.contains("city") && custom.len() == 2);
}

#[test]
fn words_per_document_percentiles_by_hand() {
    // Word counts 2, 7, 9: p10 at rank 0.2 → 2 + 0.2 × 5 = 3; median 7; p90 at rank 1.8 →
    // 7 + 0.8 × 2 = 8.6; mean 6.
    let d = stats_of(&corpus(), StatsOptions::default())
        .summary(1)
        .words_per_document
        .expect("documents");
    assert_eq!((d.min, d.max), (2, 9));
    assert!((d.p10 - 3.0).abs() < 1e-9, "{}", d.p10);
    assert!((d.median - 7.0).abs() < 1e-9);
    assert!((d.p90 - 8.6).abs() < 1e-9, "{}", d.p90);
    assert!((d.mean - 6.0).abs() < 1e-9);
}

#[test]
fn dates_by_hand() {
    let stats = stats_of(&corpus(), StatsOptions::default());
    let s = stats.summary(1);
    assert_eq!(
        s.dates.first,
        Some(Date::parse("2021-03-02").expect("date"))
    );
    assert_eq!(s.dates.last, Some(Date::parse("2021-03-20").expect("date")));
    let months: Vec<_> = s
        .dates
        .months
        .iter()
        .map(|p| (p.period.as_str(), p.documents, p.words))
        .collect();
    assert_eq!(months, [("2021-03", 2, 16)]);
    // Every day from the 2nd to the 20th, with zeros between.
    let days = stats.periods(Granularity::Day);
    assert_eq!(days.len(), 19);
    assert_eq!((days[0].period.as_str(), days[0].words), ("2021-03-02", 7));
    assert_eq!(
        (days[1].period.as_str(), days[1].documents, days[1].words),
        ("2021-03-03", 0, 0)
    );
    assert_eq!(
        (days[18].period.as_str(), days[18].words),
        ("2021-03-20", 9)
    );
    assert_eq!(s.dates.years[0].period, "2021");
}

#[test]
fn periods_fill_gaps_across_month_and_year_ends() {
    let dated = |id: &str, date: &str| article(id, &format!(" date {date} Text here."));
    let stats = stats_of(
        &[dated("x", "2020-11-30"), dated("y", "2021-02-01")],
        StatsOptions::default(),
    );
    let months: Vec<_> = stats
        .periods(Granularity::Month)
        .into_iter()
        .map(|p| (p.period, p.documents))
        .collect();
    let expected = [
        ("2020-11", 1),
        ("2020-12", 0),
        ("2021-01", 0),
        ("2021-02", 1),
    ];
    assert_eq!(months, expected.map(|(p, n)| (p.to_owned(), n)));
    assert_eq!(stats.periods(Granularity::Year).len(), 2);
    assert_eq!(stats.periods(Granularity::Day).len(), 1 + 31 + 31 + 1);
    let leap = stats_of(
        &[dated("a", "2024-02-28"), dated("b", "2024-03-01")],
        StatsOptions::default(),
    );
    assert_eq!(
        leap.periods(Granularity::Day).len(),
        3,
        "2024-02-29 is a day"
    );
}

#[test]
fn long_gaps_are_not_filled_so_stray_dates_cost_nothing() {
    let dated = |id: &str, date: &str| article(id, &format!(" date {date} Text here."));
    let stats = stats_of(
        &[
            dated("a", "0001-01-01"),
            dated("b", "2021-03-01"),
            dated("c", "2021-03-03"),
            dated("d", "9999-12-31"),
        ],
        StatsOptions::default(),
    );
    let periods = |g| -> Vec<String> { stats.periods(g).into_iter().map(|p| p.period).collect() };
    assert_eq!(periods(Granularity::Year), ["0001", "2021", "9999"]);
    assert_eq!(
        periods(Granularity::Month),
        ["0001-01", "2021-03", "9999-12"]
    );
    assert_eq!(
        periods(Granularity::Day),
        [
            "0001-01-01",
            "2021-03-01",
            "2021-03-02",
            "2021-03-03",
            "9999-12-31"
        ]
    );
    // A gap of exactly the longest filled run is filled, one more is not.
    let days = |last: &str| {
        stats_of(
            &[dated("x", "2021-01-01"), dated("y", last)],
            StatsOptions::default(),
        )
        .periods(Granularity::Day)
        .len()
    };
    assert_eq!(days("2022-02-06"), 402, "400 empty days are filled");
    assert_eq!(days("2022-02-07"), 2, "401 empty days are not");
}

#[test]
fn boilerplate_and_problems() {
    let mut stats = stats_of(&corpus(), StatsOptions::default());
    stats.add_problem(&Problem::new(ProblemKind::Binary, "x.txt", "binary"));
    stats.add_problem(&Problem::new(ProblemKind::InvalidUtf8, "y.txt", "lossy"));
    let s = stats.summary(5);
    assert_eq!((s.rejected, s.warnings), (1, 1));
    assert_eq!(
        s.top_image_credits
            .iter()
            .map(|r| (r.name.as_str(), r.count))
            .collect::<Vec<_>>(),
        [("AP", 2)]
    );
    assert_eq!(s.top_related_links[0].name, "Floods Expected");
}

/// Statistics grouped by month.
fn by_month() -> StatsOptions {
    let mut options = StatsOptions::default();
    options.group_by = Some(GroupBy::Month);
    options
}

#[test]
fn groups_by_month() {
    let s = stats_of(&corpus(), by_month()).summary(1);
    let groups: Vec<_> = s
        .groups
        .iter()
        .map(|g| (g.group.as_str(), g.counts.documents, g.counts.words))
        .collect();
    assert_eq!(groups, [("2021-03", 2, 16), ("undated", 1, 2)]);
}

/// The BBC articles, `None` when the corpora are not there.
fn bbc() -> Option<Vec<Document>> {
    let path = shared::data("bbc/bbc.jsonl.gz")?;
    let mut docs = Vec::new();
    read_documents(&[Input::Path(path)], &ReadOptions::default(), &mut |p| {
        docs.extend(p.document)
    });
    Some(docs)
}

/// Everything a summary and the CSV lists say, for comparing two accumulators.
fn everything(s: &CorpusStats) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        s.summary(usize::MAX),
        s.terms(),
        s.bigrams(1),
        s.related_links(),
        s.image_credits(),
        s.periods(Granularity::Day)
    )
}

#[test]
fn merged_parts_equal_the_whole() {
    let Some(docs) = bbc() else { return };
    assert_eq!(docs.len(), 2_225);
    let options = || {
        let mut options = StatsOptions::default();
        options.group_by = Some(GroupBy::Meta("topic".into()));
        options
    };
    let whole = everything(&stats_of(&docs, options()));

    // Contiguous thirds, merged left to right.
    let mut merged = CorpusStats::new(options());
    for part in docs.chunks(docs.len() / 3 + 1) {
        merged.merge(stats_of(part, options())).unwrap();
    }
    assert!(
        everything(&merged) == whole,
        "contiguous parts differ from the whole"
    );

    // Interleaved parts (every fifth document), merged right to left and nested.
    let parts: Vec<Vec<Document>> = (0..5)
        .map(|k| docs.iter().skip(k).step_by(5).cloned().collect())
        .collect();
    let mut acc = stats_of(&parts[4], options());
    for part in parts[..4].iter().rev() {
        let mut s = stats_of(part, options());
        s.merge(acc).unwrap();
        acc = s;
    }
    assert!(
        everything(&acc) == whole,
        "interleaved parts differ from the whole"
    );

    // Adding documents after a merge still counts document frequency right.
    let (head, tail) = docs.split_at(1_000);
    let mut s = stats_of(head, options());
    s.merge(stats_of(&tail[..500], options())).unwrap();
    for d in &tail[500..] {
        s.add_document(d).unwrap();
    }
    assert!(
        everything(&s) == whole,
        "documents added after a merge are miscounted"
    );

    // Parts through part-files, with documents added to one read back.
    let mut total = CorpusStats::new(options());
    for part in docs.chunks(800) {
        let mut file = Vec::new();
        stats_of(&part[..part.len() - 1], options())
            .write_part(&mut file)
            .expect("written");
        let mut back = CorpusStats::read_part(&mut &file[..], options()).expect("read back");
        back.add_document(&part[part.len() - 1]).unwrap();
        total.merge(back).unwrap();
    }
    assert!(
        everything(&total) == whole,
        "parts read back from part-files differ from the whole"
    );
}

/// A top list is the head of the full list, ties at its last count broken alphabetically as
/// in the full list (the top is chosen before terms are named).
#[test]
fn top_bigrams_are_the_head_of_all_bigrams() {
    let Some(docs) = bbc() else { return };
    let s = stats_of(&docs, StatsOptions::default());
    let all = s.bigrams(1);
    assert!(all.len() > 10_000, "{}", all.len());
    for limit in [0, 1, 7, 20, 500, 5_000] {
        assert_eq!(s.top_bigrams(limit, 1), all[..limit], "top {limit}");
    }
    // With a floor, and with more asked for than there are.
    let at_least_3: Vec<_> = all.iter().filter(|b| b.count >= 3).cloned().collect();
    assert_eq!(s.bigrams(3), at_least_3);
    assert_eq!(s.top_bigrams(at_least_3.len() + 10, 3), at_least_3);
}

/// Top terms are the head of the full term list without stop words, at every length, ties
/// included; by documents, the same list ordered by documents, then count, then term.
#[test]
fn top_terms_are_the_head_of_all_terms() {
    let Some(docs) = bbc() else { return };
    let s = stats_of(&docs, StatsOptions::default());
    let stop = StopWords::english();
    let all: Vec<_> = s
        .terms()
        .into_iter()
        .filter(|t| !stop.contains(&t.term))
        .collect();
    let mut by_documents = all.clone();
    by_documents.sort_by_key(|t| {
        use std::cmp::Reverse;
        (Reverse(t.documents), Reverse(t.count), t.term.clone())
    });
    for limit in [0, 1, 20, 3_000, 20_000, all.len() + 5] {
        let v = s.summary(limit).vocabulary;
        let n = limit.min(all.len());
        assert_eq!(v.top_terms, all[..n], "top {limit}");
        assert_eq!(v.top_terms_by_documents, by_documents[..n], "top {limit}");
    }
}

/// Articles with varied words, dates, links and credits, made here so that no corpus is needed.
fn made_up(n: usize) -> Vec<Document> {
    let words = [
        "rain", "fell", "on", "the", "city", "markets", "rose", "sharply", "after", "talks", "oil",
        "prices", "dipped", "analysts", "said", "growth",
    ];
    (0..n)
        .map(|i| {
            let body: Vec<&str> = (0..(5 + i % 40))
                .map(|j| words[(i * 7 + j * j) % words.len()])
                .collect();
            let text = format!(
                " date 2021-03-{:02} {}.\n\nRead: Story {}\n\nImage: {}\n",
                1 + i % 28,
                body.join(" "),
                i % 13,
                ["AP", "Reuters", "AFP"][i % 3]
            );
            article(&format!("m{i}"), &text)
        })
        .collect()
}

#[test]
fn sharded_stats_equal_one_accumulator_at_any_thread_count() {
    use rayon::prelude::*;
    let docs = made_up(3_000);
    let whole = everything(&stats_of(&docs, by_month()));
    for threads in [1, 3, 8] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a pool");
        let sharded = pool.install(|| {
            let stats = ShardedStats::new(by_month());
            docs.par_iter().for_each(|d| {
                stats.add_document(d).unwrap();
            });
            stats.add_problem(&Problem::new(ProblemKind::Corrupt, "x.gz", "cut"));
            stats.finish().unwrap()
        });
        let mut expected = stats_of(&docs, by_month());
        expected.add_problem(&Problem::new(ProblemKind::Corrupt, "x.gz", "cut"));
        assert_eq!(
            everything(&sharded),
            everything(&expected),
            "{threads} threads"
        );
        assert_ne!(everything(&sharded), whole, "the problem counts");
    }
}

#[test]
fn parts_written_and_read_back_merge_to_the_whole() {
    let docs = made_up(2_000);
    let whole = stats_of(&docs, by_month());
    let mut total = CorpusStats::new(by_month());
    let mut files = Vec::new();
    for part in docs.chunks(700) {
        let mut file = Vec::new();
        stats_of(part, by_month())
            .write_part(&mut file)
            .expect("written");
        total
            .merge(CorpusStats::read_part(&mut &file[..], by_month()).expect("read back"))
            .unwrap();
        files.push(file);
    }
    assert_eq!(everything(&total), everything(&whole));
    // The same counts make the same bytes, however they were merged.
    let (mut a, mut b) = (Vec::new(), Vec::new());
    total.write_part(&mut a).expect("written");
    whole.write_part(&mut b).expect("written");
    assert!(a == b, "equal counts, other bytes");

    let file = &files[0];
    let read =
        |bytes: &[u8], options: StatsOptions| CorpusStats::read_part(&mut &bytes[..], options);
    assert!(matches!(
        read(&file[..file.len() - 3], by_month()),
        Err(PartError::Truncated { .. })
    ));
    let mut flipped = file.clone();
    flipped[file.len() / 2] ^= 1;
    assert!(matches!(
        read(&flipped, by_month()),
        Err(PartError::Corrupt(_))
    ));
    assert!(matches!(
        read(file, StatsOptions::default()),
        Err(PartError::Options)
    ));
    assert!(matches!(
        read(b"{\"counts\": 1}", by_month()),
        Err(PartError::NotAPart("statistics"))
    ));
    let mut future = file.clone();
    future[22] = 9;
    assert!(matches!(
        read(&future, by_month()),
        Err(PartError::Version { found: 9, .. })
    ));
}

/// An article of `text` in language `lang`.
fn doc(id: &str, lang: &str, text: &str) -> Document {
    let mut d = article(id, text);
    d.lang = corpus_core::Lang::from_tag(lang).expect("a code");
    d
}

/// `stopwords_by_language`: each document leaves out its own language's stop words beside the
/// English list. `die` is German's article and an English verb: in the German story it is left
/// out of the bigrams, in the English one it is counted, and as a term it is a stop word
/// since a German document used it as one. Merged in any order, the same.
#[test]
fn each_document_leaves_out_its_own_language_s_stop_words() {
    let docs = [
        doc("en", "en", "Rebels die fighting. Rebels die hungry.\n"),
        doc(
            "de",
            "de",
            "Die Regierung sagte, die Schulen bleiben offen.\n",
        ),
        doc(
            "es",
            "es",
            "El gobierno dijo que las escuelas siguen abiertas.\n",
        ),
        doc("xx", "und", "The rebels die.\n"),
    ];
    let summary = |s: &CorpusStats| {
        let s = s.summary(20);
        let terms: Vec<String> = s
            .vocabulary
            .top_terms
            .iter()
            .map(|t| t.term.clone())
            .collect();
        let bigrams: Vec<String> = s
            .vocabulary
            .top_bigrams
            .iter()
            .map(|b| format!("{} {}", b.first, b.second))
            .collect();
        (terms, bigrams)
    };
    let whole = stats_of(&docs, StatsOptions::default());
    let (terms, bigrams) = summary(&whole);
    for stop in ["die", "el", "que", "las", "the"] {
        assert!(!terms.contains(&stop.to_owned()), "{stop}: {terms:?}");
    }
    assert!(terms.contains(&"regierung".to_owned()) && terms.contains(&"gobierno".to_owned()));
    assert!(bigrams.contains(&"rebels die".to_owned()), "{bigrams:?}");
    assert!(
        !bigrams
            .iter()
            .any(|b| b.contains("regierung") && b.starts_with("die"))
    );
    assert!(
        bigrams.contains(&"schulen bleiben".to_owned()),
        "{bigrams:?}"
    );
    // One list for all, as before: `die` and `el` are terms, `die regierung` a bigram.
    let mut english = StatsOptions::default();
    english.stopwords_by_language = false;
    let (terms, bigrams) = summary(&stats_of(&docs, english));
    assert!(terms.contains(&"die".to_owned()) && terms.contains(&"el".to_owned()));
    assert!(bigrams.contains(&"die regierung".to_owned()), "{bigrams:?}");
    // Merged either way round, and through a part-file, the same as the whole.
    for order in [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2]] {
        let mut merged = CorpusStats::new(StatsOptions::default());
        for i in order {
            let mut file = Vec::new();
            stats_of(&docs[i..=i], StatsOptions::default())
                .write_part(&mut file)
                .expect("written");
            let back =
                CorpusStats::read_part(&mut &file[..], StatsOptions::default()).expect("read back");
            merged.merge(back).unwrap();
        }
        assert!(everything(&merged) == everything(&whole), "{order:?}");
        assert_eq!(summary(&merged), summary(&whole), "{order:?}");
    }
}

/// Keyness leaves stop words out: ours in every document, and with `by_language` each
/// document's own language's; `die` was a German stop word in a German document, so it is no
/// keyword even where an English document used it.
#[test]
fn keywords_are_never_stop_words() {
    use corpus_stats::{TermCounts, keywords};
    let target = [
        doc(
            "a",
            "en",
            "The rebels die fighting in the hills. The rebels die.\n",
        ),
        doc(
            "b",
            "de",
            "Die Regierung sagte, die Rebellen kämpfen weiter.\n",
        ),
    ];
    let reference = [doc(
        "c",
        "en",
        "Markets rose and the shares of banks rose too.\n",
    )];
    let words = |stopwords: StopWords, by_language: bool| {
        let (mut t, mut r) = (
            TermCounts::with_stopwords(stopwords.clone(), by_language),
            TermCounts::with_stopwords(stopwords, by_language),
        );
        for d in &target {
            t.add_document(d).unwrap();
        }
        for d in &reference {
            r.add_document(d).unwrap();
        }
        keywords(&t, &r, 1)
            .into_iter()
            .map(|k| k.word)
            .collect::<Vec<_>>()
    };
    let all = words(StopWords::none(), false);
    assert!(all.iter().any(|w| w == "the") && all.iter().any(|w| w == "die"));
    let english = words(StopWords::english(), false);
    assert!(!english.iter().any(|w| w == "the") && english.iter().any(|w| w == "die"));
    let own = words(StopWords::english(), true);
    assert!(!own.iter().any(|w| w == "the" || w == "die"), "{own:?}");
    assert!(own.iter().any(|w| w == "rebels") && own.iter().any(|w| w == "regierung"));
}

/// Each group's keywords against the rest, from one read (`GroupTermCounts`), are those of
/// the group's documents against every other document counted apart (`keywords` of two
/// `TermCounts`): on the fixtures with a topic each, and a document of two topics.
#[test]
fn each_group_against_the_rest_is_two_parts_counted_apart() {
    use corpus_stats::{GroupBy, GroupTermCounts, TermCounts, keywords};
    let texts = [
        (
            "sport",
            "The striker scored twice and the team won the cup final.",
        ),
        (
            "sport",
            "The coach said the team played well in the final minutes.",
        ),
        (
            "business",
            "Shares rose as the bank reported higher profit for the year.",
        ),
        (
            "business",
            "The bank cut rates and shares of lenders fell in London.",
        ),
        (
            "politics",
            "The minister said the vote on the budget would come in May.",
        ),
    ];
    let mut docs: Vec<Document> = texts
        .iter()
        .enumerate()
        .map(|(i, (topic, text))| {
            let mut d = doc(&format!("d{i}"), "en", &format!("{text}\n"));
            d.metadata.insert("topic".into(), (*topic).into());
            d
        })
        .collect();
    // A document of two topics counts in each.
    docs[4]
        .metadata
        .insert("topic".into(), serde_json::json!(["politics", "business"]));
    let counts = || TermCounts::with_stopwords(StopWords::english(), true);
    let by = GroupBy::Meta("topic".into());
    let mut grouped = GroupTermCounts::new(by.clone(), counts());
    for d in &docs {
        grouped.add_document(d).unwrap();
    }
    let groups = grouped.groups();
    assert_eq!(groups.len(), 3);
    for (name, group) in groups {
        let (mut t, mut r) = (counts(), counts());
        for d in &docs {
            let side = if by.keys(d).iter().any(|k| k == name) {
                &mut t
            } else {
                &mut r
            };
            side.add_document(d).unwrap();
        }
        assert_eq!(grouped.keywords(group, 1), keywords(&t, &r, 1), "{name}");
        let rest = grouped.rest_of(group);
        assert_eq!(
            (rest.documents(), rest.words()),
            (r.documents(), r.words()),
            "{name}"
        );
        assert_eq!(keywords(group, &rest, 1), keywords(&t, &r, 1), "{name}");
    }
}
