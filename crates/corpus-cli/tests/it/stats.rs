//! `corpus stats`: the table, JSON and CSV reports, and their determinism.

use std::fs;

use crate::{corpus, corpus_line, seed, shared};

#[test]
fn seed_summary() {
    let Some(seed) = seed() else { return };
    let run = corpus(&["stats", "--top", "3", &seed]);
    assert_eq!(run.code, 0, "{}", run.render());
    insta::assert_snapshot!(run.render());
}

#[test]
fn sample_corpus_without_input() {
    let run = corpus(&["stats", "--top", "5", "--group-by", "month"]);
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.render());
}

#[test]
fn per_day_adds_a_day_table_to_the_months() {
    let run = corpus(&["stats", "--top", "0", "--per-day"]);
    assert_eq!(run.code, 0, "{}", run.render());
    let month = run.stdout.find("\n  month ").expect("the month table");
    let day = run.stdout.find("\n  day ").expect("the day table");
    assert!(month < day, "{}", run.stdout);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn json_summary_of_the_seed() {
    let Some(seed) = seed() else { return };
    let run = corpus(&["stats", "--json", "--top", "2", &seed]);
    assert_eq!(run.code, 0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(v["counts"]["documents"], 1);
    assert_eq!(v["counts"]["words"], 293);
    assert_eq!(v["counts"]["related_links"], 4);
    assert_eq!(v["top_image_credits"][0]["name"], "AP");
    assert_eq!(v["dates"]["first"], "2021-03-08");
    assert_eq!(
        v["dates"]["days"],
        serde_json::json!([]),
        "days only with --per-day"
    );
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn bad_arguments_are_usage_errors() {
    let run = corpus(&["stats", "--group-by", "colour"]);
    run.assert_stderr(2, "--group-by takes year, month, lang or meta.FIELD");
}

/// The reports of `--csv` but `groups.csv` (written only with `--group-by`), as the library
/// names them; their headers are snapshotted below.
fn reports() -> Vec<&'static str> {
    corpus_report::tables::STATS_TABLES
        .into_iter()
        .filter(|f| *f != "groups.csv")
        .collect()
}

#[test]
fn csv_reports_over_reuters() {
    let Some(reuters) = crate::reuters() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let run = corpus_line(&format!("stats --quiet {reuters} --csv {}", out.display()));
    assert_eq!(run.code, 0, "{}", run.render());
    let read =
        |name: &str| fs::read_to_string(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let headers: Vec<String> = reports()
        .iter()
        .map(|f| format!("{f}: {}", read(f).lines().next().unwrap_or_default()))
        .collect();
    insta::assert_snapshot!(headers.join("\n"), @r"
    documents.csv: id,path,line,date,lang,bytes,characters,words,sentences,paragraphs,headings,related_links,image_credits
    summary.csv: metric,value
    terms.csv: term,count,documents,stopword
    bigrams.csv: first,second,count
    dates.csv: granularity,period,documents,words
    related.csv: title,count
    credits.csv: source,count
    languages.csv: lang,documents,words,mean_words
    problems.csv: kind,severity,path,line,column,message
    ");
    assert_eq!(read("documents.csv").lines().count(), 1 + 19_043);
    let dates = read("dates.csv");
    let months: Vec<&str> = dates
        .lines()
        .filter(|l| l.starts_with("month,"))
        .map(|l| l.split(',').nth(1).unwrap_or_default())
        .collect();
    assert_eq!(
        months,
        [
            "1987-02", "1987-03", "1987-04", "1987-05", "1987-06", "1987-07", "1987-08", "1987-09",
            "1987-10"
        ]
    );
    let summary = read("summary.csv");
    assert!(
        summary.contains("documents,19043\n") && summary.contains("rejected,0\n"),
        "{summary}"
    );
    assert_eq!(read("problems.csv").lines().count(), 1);
    let leftovers: Vec<_> = fs::read_dir(&out)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        reports().len(),
        "only the reports, no temporary files: {leftovers:?}"
    );
    let languages = read("languages.csv");
    assert!(
        languages.starts_with("lang,documents,words,mean_words\nen,"),
        "{languages}"
    );
}

#[test]
fn every_output_is_the_same_at_any_thread_count() {
    let Some(bbc) = shared("bbc/bbc.jsonl.gz") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut outputs = Vec::new();
    for threads in ["1", "4"] {
        let csv = dir.path().join(threads);
        let args = [
            "--threads",
            threads,
            "stats",
            &bbc,
            "testdata/parser",
            "--group-by",
            "meta.topic",
            "--per-day",
        ];
        let table = corpus(&args);
        let json = corpus(&[&args[..], &["--json"]].concat());
        let with_csv = corpus(
            &[
                &args[..],
                &["--quiet", "--csv", csv.to_str().expect("utf-8")],
            ]
            .concat(),
        );
        assert_eq!(with_csv.code, 0, "{}", with_csv.render());
        let files: Vec<String> = corpus_report::tables::STATS_TABLES
            .iter()
            .map(|f| fs::read_to_string(csv.join(f)).expect("report"))
            .collect();
        outputs.push((table.stdout, table.stderr, json.stdout, files));
    }
    assert!(
        outputs[0] == outputs[1],
        "outputs differ between 1 and 4 threads"
    );
}

#[test]
fn options_that_match_nothing_say_so_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("t.csv");
    fs::write(
        &csv,
        "body,when\nRain fell today.,2021-03-08\nSun came out.,2021-03-09\n",
    )
    .expect("written");
    let csv = csv.to_str().expect("utf-8");
    let run = corpus_line(&format!(
        "stats {csv} --text-col body --id-col nope --date-col when"
    ));
    assert_eq!(run.code, 0, "{}", run.render());
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert_eq!(
        warnings,
        [format!(
            "warning: {csv}:1: no column \"nope\" in the CSV header; ids are <file>:<line>"
        )]
    );
    let run = corpus(&[
        "stats",
        csv,
        "--text-col",
        "body",
        "--group-by",
        "meta.nope",
    ]);
    assert!(
        run.stderr.contains(
            "warning: --group-by meta.nope: no document has the field \"nope\"; all are in (none)"
        ),
        "{}",
        run.stderr
    );
    let run = corpus(&["dedup", csv, "--text-col", "body", "--key", "meta.nope"]);
    assert!(
        run.stderr
            .contains("warning: --key meta.nope: no document has it"),
        "{}",
        run.stderr
    );
    // The defaults missing is no typo: nothing said.
    let run = corpus(&["stats", csv, "--text-col", "body"]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn stop_words_are_listed_and_extended_not_replaced() {
    let list = corpus(&["stats", "--list-stopwords"]);
    assert_eq!(list.code, 0, "{}", list.render());
    let words: Vec<&str> = list.stdout.lines().collect();
    for expected in ["the", "said", "mr", "mrs", "reuter"] {
        assert!(words.contains(&expected), "{expected} is a stop word");
    }
    assert!(!words.contains(&"us"), "lowercased, us is the country too");
    let dir = tempfile::tempdir().expect("temp dir");
    let extra = dir.path().join("extra.txt");
    fs::write(&extra, "# ours\nstrike\nrockets\n").expect("written");
    let both = format!("english+{}", extra.display());
    let list = corpus(&["stats", "--stopwords", &both, "--list-stopwords"]);
    let words: Vec<&str> = list.stdout.lines().collect();
    assert!(
        words.contains(&"the") && words.contains(&"strike"),
        "{words:?}"
    );
    let only = corpus(&[
        "stats",
        "--stopwords",
        extra.to_str().expect("utf-8"),
        "--list-stopwords",
    ]);
    assert_eq!(only.stdout, "rockets\nstrike\n");
    // In the sample, the extra words leave the top terms as the English ones do.
    let run = corpus(&["stats", "--json", "--stopwords", &both]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let top: Vec<&str> = v["vocabulary"]["top_terms"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|t| t["term"].as_str())
        .collect();
    assert!(!top.contains(&"the") && !top.contains(&"strike"), "{top:?}");
}

#[test]
fn groups_of_a_field_show_the_largest_and_the_rest_in_one_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let lines: String = ["ap", "ap", "ap", "afp", "afp", "dpa", "efe", "xinhua"]
        .iter()
        .enumerate()
        .map(|(i, s)| {
            format!("{{\"id\": \"{i}\", \"text\": \"Word {i} here.\", \"source\": \"{s}\"}}\n")
        })
        .collect();
    let file = dir.path().join("wire.jsonl");
    fs::write(&file, lines).expect("written");
    let file = file.to_str().expect("utf-8");
    let run = corpus(&["stats", file, "--group-by", "meta.source", "--top", "2"]);
    assert_eq!(run.code, 0, "{}", run.render());
    let groups = run
        .stdout
        .split("Groups by meta.source\n")
        .nth(1)
        .expect("groups");
    insta::assert_snapshot!(groups, @r"
      group       documents  words  mean words  paragraphs  undated
      ap                  3      9        3.00           3        3
      afp                 2      6        3.00           2        2
      (3 others)          3      9        3.00           3        3
    ");
    // The CSV keeps every group.
    let csv = dir.path().join("csv");
    let run = corpus_line(&format!(
        "stats {file} --group-by meta.source --top 2 --csv {}",
        csv.display()
    ));
    assert_eq!(run.code, 0);
    let groups = fs::read_to_string(csv.join("groups.csv")).expect("groups.csv");
    assert_eq!(groups.lines().count(), 6, "{groups}");
}

#[test]
fn the_same_documents_count_the_same_whatever_the_format() {
    let texts = [
        "Rain fell on the city for a third day, and the river rose above its banks.",
        "Markets rose sharply after the talks, traders said; oil prices dipped.",
        "The council voted to close the old ferry, ending a crossing of ninety years.",
        // A copy of the first, for dedup to find.
        "Rain fell on the city for a third day, and the river rose above its banks.",
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let at = |name: &str| dir.path().join(name);
    let path = |name: &str| at(name).to_str().expect("utf-8").to_owned();
    let jsonl: String = texts
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{{\"id\": \"d{i}\", \"text\": \"{t}\"}}\n"))
        .collect();
    fs::write(at("docs.jsonl"), jsonl).expect("written");
    let csv: String = std::iter::once("id,text\n".to_owned())
        .chain(
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| format!("d{i},\"{t}\"\n")),
        )
        .collect();
    fs::write(at("docs.csv"), csv).expect("written");
    fs::write(at("docs.cor"), texts.join("\n")).expect("written");
    fs::create_dir(at("articles")).expect("made");
    for (i, t) in texts.iter().enumerate() {
        fs::write(at(&format!("articles/d{i}.txt")), t).expect("written");
    }
    // Parquet by the library's writer (pyarrow's files are read in corpus-parser's tests).
    let docs: Vec<corpus_core::Document> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| corpus_core::Document::new(format!("d{i}"), "docs.jsonl", *t))
        .collect();
    let mut columns = corpus_parser::DocumentColumns::new();
    docs.iter().for_each(|d| columns.observe(d));
    let file = fs::File::create(at("docs.parquet")).expect("created");
    let names = corpus_parser::CsvOptions::default();
    let mut writer = corpus_parser::ParquetWriter::new(file, &columns, &names).expect("a writer");
    docs.iter().for_each(|d| writer.write(d).expect("written"));
    writer.finish().expect("finished");

    let stats = |args: &[&str]| {
        let run = corpus(&[&["stats", "--json"][..], args].concat());
        assert_eq!(run.code, 0, "{args:?}: {}", run.render());
        let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        let c = &v["counts"];
        (
            [
                c["documents"].clone(),
                c["words"].clone(),
                c["sentences"].clone(),
                c["paragraphs"].clone(),
                c["bytes"].clone(),
            ],
            v["vocabulary"].clone(),
        )
    };
    let dedup = |args: &[&str]| {
        let run = corpus(&[&["dedup", "--json", "--preset", "news"][..], args].concat());
        assert_eq!(run.code, 0, "{args:?}: {}", run.render());
        let mut v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        v["options"] = serde_json::Value::Null;
        v
    };
    // What parse gives, ids and origins aside: the text and its blocks.
    let parse = |args: &[&str]| {
        let run = corpus(&[&["parse", "-q"][..], args].concat());
        assert_eq!(run.code, 0, "{args:?}: {}", run.render());
        run.stdout
            .lines()
            .map(|line| {
                let v: serde_json::Value = serde_json::from_str(line).expect("JSON");
                (v["text"].clone(), v["blocks"].clone(), v["date"].clone())
            })
            .collect::<Vec<_>>()
    };
    let jsonl = path("docs.jsonl");
    let want = (stats(&[&jsonl]), dedup(&[&jsonl]), parse(&[&jsonl]));
    assert_eq!(want.0.0[0], 4);
    assert_eq!(want.1["exact_copies"], 1, "{}", want.1);
    for args in [
        vec![path("docs.csv")],
        vec![path("docs.parquet")],
        vec![path("docs.cor"), "--format".into(), "lines".into()],
        vec![path("articles")],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(stats(&args), want.0, "stats {args:?}");
        assert_eq!(dedup(&args), want.1, "dedup {args:?}");
        assert_eq!(parse(&args), want.2, "parse {args:?}");
    }
}

/// A vocabulary past the memory the process may have stops the run with a message, where the
/// allocator aborted it (SIGABRT on a table's doubling). The limit is on address space
/// (`ulimit -v`), one malloc arena and one worker, so that the tables are what runs out.
#[cfg(target_os = "linux")]
#[test]
fn a_vocabulary_past_the_memory_stops_with_a_message() {
    use std::fmt::Write as _;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = String::new();
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    // 1.5 million distinct made-up words: 300 MB of tables, more than the limit allows.
    for doc in 0..1500 {
        text.push_str(&format!("{{\"id\":\"{doc}\",\"text\":\""));
        for _ in 0..1000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            write!(text, "w{:x} ", x >> 24).expect("to a string");
        }
        text.push_str("\"}\n");
    }
    let input = dir.path().join("words.jsonl");
    fs::write(&input, text).expect("written");
    let out = std::process::Command::new("sh")
        .args([
            "-c",
            r#"ulimit -v 200000 && exec "$0" stats --threads 1 -q --json "$1""#,
            env!("CARGO_BIN_EXE_corpus"),
        ])
        .arg(&input)
        .env("MALLOC_ARENA_MAX", "1")
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("sh runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("out of memory: the vocabulary could not grow past"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "no summary of part of the corpus");
}

#[test]
fn documents_and_words_are_counted_per_language() {
    let run = corpus(&["stats", "-q", "--json", "testdata/languages"]);
    assert_eq!(run.code, 0, "{}", run.render());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let langs: Vec<(String, u64)> = v["languages"]
        .as_array()
        .expect("languages")
        .iter()
        .map(|g| {
            let name = g["group"].as_str().unwrap_or_default().to_owned();
            (name, g["counts"]["documents"].as_u64().unwrap_or_default())
        })
        .collect();
    let want = [
        ("de", 2),
        ("en", 2),
        ("es", 1),
        ("fr", 1),
        ("ru", 1),
        ("und", 1),
        ("zh", 1),
    ];
    let want: Vec<(String, u64)> = want.iter().map(|(l, n)| ((*l).to_owned(), *n)).collect();
    assert_eq!(langs, want, "most documents first, ties by code");
    // --group-by lang repeats them as groups; --lang names one language for all.
    let grouped = corpus(&[
        "stats",
        "-q",
        "--json",
        "--group-by",
        "lang",
        "testdata/languages",
    ]);
    let v: serde_json::Value = serde_json::from_str(&grouped.stdout).expect("JSON");
    assert_eq!(v["groups"].as_array().map(Vec::len), Some(7));
    let all_fr = corpus(&["parse", "-q", "--lang", "fr", "testdata/languages"]);
    assert!(
        all_fr.stdout.lines().all(|l| l.contains(r#""lang":"fr""#)),
        "{}",
        all_fr.stdout
    );
    corpus(&["stats", "--lang", "klingon!", "testdata/languages"])
        .assert_stderr(2, "\"klingon!\" is not a language code");
}

#[test]
fn a_language_s_code_names_its_stop_words() {
    let list = corpus(&["stats", "--stopwords", "de", "--list-stopwords"]);
    assert_eq!(list.code, 0, "{}", list.render());
    let words: Vec<&str> = list.stdout.lines().collect();
    assert!(
        words.contains(&"und") && words.contains(&"für"),
        "{words:?}"
    );
    assert!(!words.contains(&"the"), "German only");
    // The German stories' top terms without the German function words.
    let top = |stopwords: &str| top_terms(&["--stopwords", stopwords]);
    let function_words = ["die", "der", "und", "el", "la", "le", "и", "的"];
    let function_words_in = |top: &[String]| {
        top.iter()
            .filter(|t| function_words.contains(&t.as_str()))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert!(top("english").iter().any(|t| t == "die"));
    assert!(!top("de").iter().any(|t| t == "die"), "German's left out");
    assert!(top("de").iter().any(|t| t == "el"), "Spanish's counted");
    // The default, `auto`: each story without its own language's function words.
    assert_eq!(function_words_in(&top("auto")), Vec::<String>::new());
    assert_eq!(top("auto"), top_terms(&[]), "auto is the default");
    corpus(&["stats", "--stopwords", "xx"]).assert_stderr(2, "no stop-word list for that language");
    // `--list-stopwords LANG` names a list of its own.
    let spanish = corpus(&["stats", "--list-stopwords", "es"]);
    assert!(
        spanish.stdout.lines().any(|w| w == "los"),
        "{}",
        spanish.render()
    );
}

/// The top terms of the languages fixture, `stats` run with `options`.
fn top_terms(options: &[&str]) -> Vec<String> {
    let mut args = vec!["stats", "-q", "--json", "testdata/languages"];
    args.extend_from_slice(options);
    let run = corpus(&args);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    v["vocabulary"]["top_terms"]
        .as_array()
        .expect("terms")
        .iter()
        .map(|t| t["term"].as_str().unwrap_or_default().to_owned())
        .collect()
}
