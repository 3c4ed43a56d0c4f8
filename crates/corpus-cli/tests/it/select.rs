//! Subsets: `--where`, `--since`, `--until` on every command that reads a corpus.

use crate::{corpus, corpus_line};

const WIRE: &str = "testdata/views/wire.jsonl";

/// The ids `corpus parse` writes.
fn parsed_ids(args: &str) -> Vec<String> {
    let run = corpus_line(&format!("parse -q {args}"));
    assert_eq!(run.code, 0, "{}", run.render());
    run.stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON");
            v["id"].as_str().unwrap_or_default().to_owned()
        })
        .collect()
}

#[test]
fn dates_and_conditions_choose_the_documents_every_command_reads() {
    // March 2nd to 3rd: the stories of those days and the first one's three copies.
    let march = parsed_ids(&format!("{WIRE} --since 1987-03-02 --until 1987-03-03"));
    let expected = [
        "wire-001",
        "wire-002",
        "wire-001-copy1",
        "wire-003",
        "wire-001-copy2",
        "wire-001-copy3",
    ];
    assert_eq!(march, expected);
    // A month and a year stand for their first and last days.
    assert_eq!(parsed_ids(&format!("{WIRE} --since 1987-04")).len(), 5);
    assert_eq!(parsed_ids(&format!("{WIRE} --until 1987-03")).len(), 7);
    assert_eq!(
        parsed_ids(&format!("{WIRE} --since 1987 --until 1987")).len(),
        12
    );
    // Language, and metadata with lists and `!=`.
    let de = parsed_ids("testdata/languages --where lang=de");
    assert_eq!(de, ["de1", "given"]);
    let not_de = parsed_ids("testdata/languages --where lang!=de,und");
    assert!(
        !not_de
            .iter()
            .any(|id| ["de1", "given", "short"].contains(&id.as_str())),
        "{not_de:?}"
    );
    // Every command says how many it left out; stats writes it in its JSON too.
    let stats = corpus_line(&format!("stats {WIRE} --since 1987-04 --json"));
    assert_eq!(stats.code, 0, "{}", stats.render());
    let v: serde_json::Value = serde_json::from_str(&stats.stdout).expect("JSON");
    assert_eq!(
        (v["counts"]["documents"].as_u64(), v["left_out"].as_u64()),
        (Some(5), Some(7))
    );
    assert!(
        stats
            .stderr
            .contains("7 documents left out by --where, --since, --until"),
        "{}",
        stats.render()
    );
    let whole = corpus_line(&format!("stats {WIRE} --json -q"));
    assert!(
        !whole.stdout.contains("left_out"),
        "no key when nothing is left out"
    );
    for command in [
        "dedup --preset news -o /dev/null",
        "kwic oil",
        "trend oil",
        "collocations --node oil",
        "keyness --target 1987-04",
    ] {
        let run = corpus_line(&format!("{command} {WIRE} --since 1987-03-03"));
        assert_eq!(run.code, 0, "{command}: {}", run.render());
        assert!(
            run.stderr.contains("3 documents left out"),
            "{command}: {}",
            run.render()
        );
    }
}

#[test]
fn undated_documents_are_left_out_of_a_date_range_unless_asked() {
    // The languages fixture has no dates.
    let none = corpus(&["stats", "testdata/languages", "--since", "2000"]);
    none.assert_stderr(
        1,
        "every document read was left out by --where, --since, --until",
    );
    assert_eq!(
        parsed_ids("testdata/languages --since 2000 --undated").len(),
        9
    );
}

#[test]
fn a_bad_condition_or_date_is_a_usage_error_and_shards_refuse_a_subset() {
    corpus(&["stats", WIRE, "--where", "topic=oil"]).assert_stderr(2, "is not a condition");
    corpus(&["stats", WIRE, "--where", "lang=klingon!"]).assert_stderr(2, "is not a condition");
    corpus(&["stats", WIRE, "--since", "March"]).assert_stderr(2, "is not a day, month or year");
    corpus(&["stats", WIRE, "--until", "1987-13"]).assert_stderr(2, "is not a day, month or year");
    let dir = tempfile::tempdir().expect("temp dir");
    let run_dir = dir.path().join("run");
    let run_dir = run_dir.to_str().expect("utf-8");
    corpus(&[
        "stats", WIRE, "--run", run_dir, "--shard", "0/2", "--since", "1987-04",
    ])
    .assert_stderr(2, "not applied in sharded runs");
    corpus(&[
        "dedup",
        WIRE,
        "--run",
        run_dir,
        "--stage",
        "signatures",
        "--shard",
        "0/2",
        "--where",
        "lang=en",
    ])
    .assert_stderr(2, "not applied in sharded runs");
}
