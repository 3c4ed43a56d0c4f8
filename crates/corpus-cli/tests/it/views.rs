//! The linguist's views: the same bytes at any thread count; `--dedup` changes the counts by
//! exactly the copies it says it left out; `--limit` stops the read; bad patterns and parts are
//! errors that say why.

use crate::corpus;

const WIRE: &str = "testdata/views";

/// stdout of a run that must succeed.
fn out(args: &[&str]) -> String {
    let run = corpus(args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.render());
    run.stdout
}

/// stdout of a run of `args` that must succeed, with `--dedup news` or without.
fn out_deduped(args: &[&str], dedup: bool) -> String {
    let mut args = args.to_vec();
    if dedup {
        args.extend(["--dedup", "news"]);
    }
    out(&args)
}

fn csv_rows(text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .expect("CSV")
}

fn column(rows: &[csv::StringRecord], at: usize) -> u64 {
    rows.iter()
        .map(|r| r[at].parse::<u64>().expect("a number"))
        .sum()
}

#[test]
fn dedup_leaves_out_exactly_the_copies_it_reports() {
    // The fixture's four planted copies have ids ending in `-copyN`.
    let hits = csv_rows(&out(&["kwic", "-q", "oil", WIRE, "--csv"]));
    let in_copies = hits.iter().filter(|r| r[0].contains("-copy")).count() as u64;
    let copy_docs = {
        let mut ids: Vec<&str> = hits
            .iter()
            .map(|r| r.get(0).unwrap_or(""))
            .filter(|id| id.contains("-copy"))
            .collect();
        ids.dedup();
        ids.len() as u64
    };
    assert!(
        in_copies >= 6 && copy_docs == 3,
        "{in_copies} hits in {copy_docs} copies"
    );
    let with = corpus(&["kwic", "oil", WIRE, "--csv", "--dedup", "news"]);
    with.assert_stderr(0, "; 4 copies left out (--dedup)");
    let kept = csv_rows(&with.stdout);
    assert_eq!(kept.len() as u64, hits.len() as u64 - in_copies);
    assert!(kept.iter().all(|r| !r[0].contains("-copy")));
    // From standard input, read twice (saved to a file first): the same copies left out.
    let bytes = std::fs::read(crate::root().join(WIRE).join("wire.jsonl")).expect("fixture");
    let piped = crate::corpus_in(
        &crate::root(),
        &["kwic", "oil", "-", "--csv", "--dedup", "news"],
        Some(&bytes),
    );
    piped.assert_stderr(0, "; 4 copies left out (--dedup)");
    assert_eq!(csv_rows(&piped.stdout).len(), kept.len());

    // Per month: hits and documents.
    let count = |dedup: bool| {
        let args = ["kwic", "-q", "--count", "oil", WIRE, "--csv"];
        csv_rows(&out_deduped(&args, dedup))
    };
    let (all, one) = (count(false), count(true));
    assert_eq!(column(&all, 2) - column(&one, 2), in_copies, "hits");
    assert_eq!(
        column(&all, 3) - column(&one, 3),
        copy_docs,
        "documents with a hit"
    );
    assert_eq!(column(&all, 4) - column(&one, 4), 4, "documents");

    // A trend: every copy is one document less in its period.
    let trend = |dedup: bool| {
        let args = ["trend", "-q", "oil", WIRE, "--csv"];
        csv_rows(&out_deduped(&args, dedup))
    };
    assert_eq!(column(&trend(false), 4) - column(&trend(true), 4), 4);
    assert_eq!(
        column(&trend(false), 2) - column(&trend(true), 2),
        in_copies
    );

    // Collocations: the node's hits; keyness: the documents of both parts.
    let node = |dedup: bool| {
        let args = [
            "collocations",
            "-q",
            "--node",
            "oil",
            WIRE,
            "--json",
            "--min-freq",
            "1",
        ];
        let v: serde_json::Value = serde_json::from_str(&out_deduped(&args, dedup)).expect("JSON");
        v["node_frequency"].as_u64().expect("a count")
    };
    assert_eq!(node(false) - node(true), in_copies);
    let parts = |dedup: bool| {
        let args = [
            "keyness",
            "-q",
            WIRE,
            "--target",
            "1987-03",
            "--json",
            "--min-freq",
            "1",
        ];
        let v: serde_json::Value = serde_json::from_str(&out_deduped(&args, dedup)).expect("JSON");
        (
            v["target"]["documents"].as_u64().expect("count"),
            v["reference"]["documents"].as_u64().expect("count"),
        )
    };
    // Three copies of March's first story, one of April's cut.
    assert_eq!(parts(false), (7, 5));
    assert_eq!(parts(true), (4, 4));
}

#[test]
fn every_view_gives_the_same_bytes_on_one_thread_and_on_four() {
    let mut inputs = vec![WIRE.to_owned(), "testdata/dedup".to_owned()];
    if let Some(reuters) = crate::reuters() {
        inputs.push(reuters);
    }
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let views: [&[&str]; 10] = [
        &["kwic", "oil"],
        &["kwic", "interest rat*", "--sort", "left", "--json"],
        &[
            "kwic",
            r"\bcrude\s+oil",
            "--regex",
            "--csv",
            "--chars",
            "20",
        ],
        &["kwic", "prices", "--sort", "date", "--limit", "25"],
        &["kwic", "--count", "oil"],
        &[
            "collocations",
            "--node",
            "prices",
            "--csv",
            "--min-freq",
            "1",
        ],
        &[
            "collocations",
            "--bigrams",
            "--csv",
            "--by",
            "ll",
            "--min-freq",
            "2",
        ],
        &["keyness", "--target", "1987-03", "--csv", "--min-freq", "2"],
        &["trend", "oil,interest rates,wheat", "--csv", "--by", "day"],
        &["kwic", "oil", "--dedup", "news", "--csv"],
    ];
    for view in views {
        let run = |threads: &str| {
            let mut args = vec!["--threads", threads];
            args.extend(view);
            args.extend(&inputs);
            let run = corpus(&args);
            assert_eq!(run.code, 0, "{args:?}: {}", run.render());
            (run.stdout, run.stderr)
        };
        let one = run("1");
        assert!(!one.0.is_empty(), "{view:?} printed nothing");
        assert!(one == run("4"), "{view:?}: other output on 4 threads");
    }
}

#[test]
fn a_limit_stops_the_read_and_bad_patterns_say_why() {
    let run = corpus(&["kwic", "oil", WIRE, "--limit", "2"]);
    assert_eq!(run.code, 0, "{}", run.render());
    assert_eq!(run.stdout.lines().count(), 2);
    assert!(
        run.stderr
            .contains("2 hits shown; the read stopped there (--limit)"),
        "{}",
        run.stderr
    );
    let bad = |args: &[&str], says: &str| {
        let run = corpus(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.render());
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    };
    bad(
        &["kwic", "(oil", WIRE, "--regex"],
        "not a regular expression",
    );
    bad(&["kwic", "...", WIRE], "holds no word");
    bad(&["keyness", WIRE, "--target", "march"], "is not a part");
    bad(
        &["keyness", WIRE, "--target", "1999"],
        "no document is in the target",
    );
    bad(
        &["collocations", "--node", "oil", WIRE, "--window", "0,0"],
        "finds nothing",
    );
    bad(
        &["collocations", "--node", "crude oil", WIRE],
        "the node \"crude oil\" is more than one word: a node is one word (a concordance, kwic, finds phrases)",
    );
    bad(&["trend", " , ", WIRE], "no term");
    // Windows past any use are refused, not wrapped round (5 + 2^64 - 1 words was 4) or a
    // panic (kwic's arithmetic on them).
    let huge = "18446744073709551615";
    bad(
        &["kwic", "oil", WIRE, "--window", huge],
        "more than the 1000 a view reads",
    );
    bad(
        &["kwic", "oil", WIRE, "--chars", huge],
        "more than the 100000",
    );
    bad(
        &[
            "collocations",
            "--node",
            "oil",
            WIRE,
            "--window",
            &format!("5,{huge}"),
        ],
        "more than the 1000 a view reads",
    );
    let widest = corpus(&[
        "kwic", "-q", "oil", WIRE, "--window", "1000", "--limit", "1",
    ]);
    assert_eq!(widest.code, 0, "{}", widest.render());
}

/// A document of millions of hits: counting holds no context, a limit keeps only what it
/// shows (a 20 MB document once took 1.1 GB), and the first hits are the same either way.
#[test]
fn a_document_of_many_hits_is_counted_and_limited_without_holding_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.txt");
    let words = "word other ".repeat(200_000);
    std::fs::write(&path, format!(" date 2021-01-01 {words}\n")).expect("written");
    let path = path.to_str().expect("utf-8");
    let count = corpus(&["kwic", "word", path, "--count", "--csv"]);
    count.assert_stderr(0, "200000 hits in 1 documents");
    let first = corpus(&["kwic", "-q", "word", path, "--limit", "3", "--window", "2"]);
    assert_eq!(first.stdout.lines().count(), 3, "{}", first.render());
    assert!(
        first
            .stdout
            .lines()
            .nth(1)
            .is_some_and(|l| l.ends_with("word  other word"))
    );
    let sorted = corpus(&[
        "kwic", "-q", "word", path, "--limit", "2", "--sort", "right",
    ]);
    assert_eq!(sorted.stdout.lines().count(), 2, "{}", sorted.render());
}

/// A period that holds no document has no rate: the table says so, CSV leaves the field empty
/// and JSON gives null (`0 hits, 0.0 per million` once charted the word vanishing).
#[test]
fn trend_says_a_period_without_documents_is_empty() {
    let table = corpus(&["trend", "-q", "oil", WIRE, "--by", "day"]);
    assert_eq!(table.code, 0, "{}", table.render());
    let empty = table
        .stdout
        .lines()
        .find(|l| l.starts_with("1987-03-05"))
        .expect("a day of the gap");
    assert!(empty.ends_with("no documents"), "{empty}");
    let csv = corpus(&["trend", "-q", "oil", WIRE, "--by", "day", "--csv"]);
    let rows = csv_rows(&csv.stdout);
    let gap = rows
        .iter()
        .find(|r| &r[0] == "1987-03-05")
        .expect("the gap");
    assert_eq!((&gap[4], &gap[6]), ("0", ""));
    let with = rows.iter().find(|r| &r[0] == "1987-03-02").expect("a day");
    assert!(!with[6].is_empty());
    let json = corpus(&["trend", "-q", "oil", WIRE, "--by", "day", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let gap = rows
        .as_array()
        .and_then(|r| r.iter().find(|r| r["period"] == "1987-03-05"))
        .expect("the gap");
    assert!(gap["per_million"].is_null(), "{gap}");
}

/// The views read words as stats counts them: a Chinese word is found inside unspaced text,
/// a phrase of two dictionary words as its words, and `istanbul` finds `İstanbul`.
#[test]
fn views_find_words_inside_unspaced_text() {
    let rows = csv_rows(&out(&["kwic", "-q", "市长", "testdata/languages", "--csv"]));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(&rows[0][4], "市长");
    assert_eq!(&rows[0][3], "河上修建一座新桥，");
    // `新桥` is two of ICU's words (`新 桥`): the pattern is cut as the text is.
    let rows = csv_rows(&out(&["kwic", "-q", "新桥", "testdata/languages", "--csv"]));
    assert_eq!(rows.len(), 1, "{rows:?}");
    // No word is half of another: `市` alone is not a word of `市长`.
    let rows = csv_rows(&out(&["kwic", "-q", "长", "testdata/languages", "--csv"]));
    assert!(rows.is_empty(), "{rows:?}");
    let trend = out(&["trend", "-q", "市长", "testdata/languages", "--csv"]);
    assert!(
        trend.lines().nth(1).is_some_and(|l| l.contains(",1,1,")),
        "{trend}"
    );
}

/// `trend --by week`: ISO weeks named by their Monday (1987-03-02 was one), the empty weeks
/// between said empty.
#[test]
fn trend_by_week_counts_iso_weeks_from_monday() {
    let csv = out(&["trend", "-q", "oil", WIRE, "--by", "week", "--csv"]);
    let rows = csv_rows(&csv);
    let periods: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(
        periods,
        [
            "1987-03-02",
            "1987-03-09",
            "1987-03-16",
            "1987-03-23",
            "1987-03-30",
            "1987-04-06"
        ]
    );
    assert_eq!((&rows[0][2], &rows[0][4]), ("9", "7"));
    assert_eq!(&rows[1][6], "", "an empty week has no rate");
}

/// `trend --group-by`: a trend per group in a `group` column (CSV, JSON, table), groups by
/// name; without it, no such column.
#[test]
fn trend_by_group_has_a_group_column() {
    let rows = csv_rows(&out(&[
        "trend",
        "-q",
        "the",
        "testdata/languages",
        "--group-by",
        "lang",
        "--csv",
    ]));
    let en: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[0] == "en").collect();
    assert_eq!(en.len(), 1, "{rows:?}");
    assert_eq!(
        (&en[0][3], &en[0][5]),
        ("8", "2"),
        "hits and documents of the English texts"
    );
    assert!(rows.iter().any(|r| &r[0] == "de" && &r[3] == "0"));
    let json: serde_json::Value = serde_json::from_str(&out(&[
        "trend",
        "-q",
        "oil",
        WIRE,
        "--group-by",
        "month",
        "--json",
    ]))
    .expect("JSON");
    assert_eq!(json[0]["group"], "1987-03");
    let plain = out(&["trend", "-q", "oil", WIRE, "--csv"]);
    assert!(plain.starts_with("period,term,"), "{plain}");
}

/// `trend --csv --wide`: a row per period, a column per term with its rate, the same rates as
/// the long table's.
#[test]
fn trend_wide_has_a_column_per_term() {
    let wide = csv_rows(&out(&["trend", "-q", "oil,wheat", WIRE, "--csv", "--wide"]));
    let long = csv_rows(&out(&["trend", "-q", "oil,wheat", WIRE, "--csv"]));
    assert_eq!(wide.len() * 2, long.len());
    for (w, pair) in wide.iter().zip(long.chunks(2)) {
        assert_eq!(&w[0], &pair[0][0], "the period");
        assert_eq!((&w[3], &w[4]), (&pair[0][6], &pair[1][6]), "the rates");
    }
    let header = out(&["trend", "-q", "oil,wheat", WIRE, "--csv", "--wide"]);
    assert!(
        header.starts_with("period,period_documents,words,oil,wheat\n"),
        "{header}"
    );
}

/// `keyness --target meta.FIELD` sets each group against the rest in one run: each group's
/// words are those of `--target meta.FIELD=VALUE` against every other document.
#[test]
fn keyness_sets_each_group_against_the_rest_in_one_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("topics.jsonl");
    let wire =
        std::fs::read_to_string(crate::root().join("testdata/views/wire.jsonl")).expect("fixture");
    let mut lines = String::new();
    for (i, line) in wire.lines().enumerate() {
        let mut doc: serde_json::Value = serde_json::from_str(line).expect("JSON");
        doc["topic"] = ["markets", "rates", "other"][i % 3].into();
        lines.push_str(&doc.to_string());
        lines.push('\n');
    }
    std::fs::write(&file, lines).expect("written");
    let file = file.to_str().expect("utf-8");
    let grouped = csv_rows(&out(&[
        "keyness",
        file,
        "--target",
        "meta.topic",
        "--min-freq",
        "2",
        "--csv",
        "-q",
    ]));
    let groups: std::collections::BTreeSet<&str> = grouped.iter().map(|r| &r[0]).collect();
    assert!(groups.len() >= 2, "{groups:?}");
    for topic in groups {
        let part = format!("meta.topic={topic}");
        let apart = csv_rows(&out(&[
            "keyness",
            file,
            "--target",
            &part,
            "--min-freq",
            "2",
            "--csv",
            "-q",
        ]));
        // The rows typical of the target, without their `key` column; the group's without
        // their `group` column.
        let apart: Vec<Vec<&str>> = apart
            .iter()
            .filter(|r| &r[1] == "target")
            .map(|r| {
                r.iter()
                    .enumerate()
                    .filter(|(i, _)| *i != 1)
                    .map(|(_, f)| f)
                    .collect()
            })
            .collect();
        let group: Vec<Vec<&str>> = grouped
            .iter()
            .filter(|r| &r[0] == topic)
            .map(|r| r.iter().skip(1).collect())
            .collect();
        assert_eq!(group, apart, "{topic}");
    }
    // A reference beside groups is refused.
    let both = corpus(&[
        "keyness",
        file,
        "--target",
        "meta.topic",
        "--reference",
        "1987-03",
    ]);
    assert_eq!(both.code, 2, "{}", both.render());
}
