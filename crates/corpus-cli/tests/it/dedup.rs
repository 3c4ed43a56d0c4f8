//! `corpus dedup` and `corpus eval` on hand-made fixtures and on Reuters.

use std::fs;

use crate::{corpus, shared};

fn clusters(args: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("clusters.csv");
    let run = corpus(
        &[
            &["dedup", "--quiet"],
            args,
            &["--clusters", out.to_str().expect("utf-8")],
        ]
        .concat(),
    );
    assert_eq!(run.code, 0, "{}", run.render());
    fs::read_to_string(out).expect("clusters written")
}

#[test]
fn fixtures_cluster_as_planted() {
    let csv = clusters(&["testdata/dedup", "--threshold", "0.75"]);
    insta::assert_snapshot!(csv, @r"
    cluster,document,kept,similarity,reason,date
    chain_a,chain_a,true,1.0000,kept,2021-04-01
    chain_a,chain_b,false,0.8203,near,2021-04-02
    story_original,story_original,true,1.0000,kept,2021-03-01
    story_original,story_exact_copy,false,1.0000,exact,2021-03-02
    story_original,story_new_dateline,false,0.9844,near,2021-03-03
    story_original,story_truncated,false,0.9219,near,2021-03-02
    ");
    // The chain's two links are each alike: B~C clusters when A is not there to hold B.
    let bc = clusters(&[
        "testdata/dedup/chain_b.txt",
        "testdata/dedup/chain_c.txt",
        "--threshold",
        "0.75",
    ]);
    assert!(bc.contains("chain_b,chain_c,false"), "{bc}");
    // Exact Jaccard confirms the same clusters.
    let exact = clusters(&["testdata/dedup", "--threshold", "0.75", "--verify", "exact"]);
    let pairs = |s: &str| {
        s.lines()
            .map(|l| l.split(',').take(2).collect::<Vec<_>>().join(","))
            .collect::<Vec<_>>()
    };
    assert_eq!(pairs(&exact), pairs(&csv));
}

#[test]
fn keep_and_window_change_the_kept_copy_and_the_pairs() {
    let longest = clusters(&["testdata/dedup", "--threshold", "0.75", "--keep", "longest"]);
    assert!(
        longest.contains("story_new_dateline,story_new_dateline,true"),
        "{longest}"
    );
    let windowed = clusters(&["testdata/dedup", "--threshold", "0.75", "--window", "1"]);
    assert!(
        !windowed.contains("story_new_dateline"),
        "two days apart is outside a 1-day window: {windowed}"
    );
    assert!(windowed.contains("story_original,story_truncated"));
}

#[test]
fn summary_and_kept_documents() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("kept.jsonl");
    let run = corpus(&[
        "dedup",
        "testdata/dedup",
        "--threshold",
        "0.75",
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.render());
    let kept: Vec<String> = fs::read_to_string(&out)
        .expect("kept written")
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("JSON")["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(
        kept,
        [
            "boilerplate_one",
            "boilerplate_two",
            "chain_a",
            "chain_c",
            "story_original"
        ]
    );
}

#[test]
fn stdin_cannot_be_read_twice() {
    let run = corpus(&["dedup", "-", "-o", "/tmp/never-written.jsonl"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("standard input"), "{}", run.stderr);
}

#[test]
fn reuters_exact_copies() {
    // SOURCE.md counts 283 copies in 281 groups after lower-casing and collapsing whitespace;
    // our normal form also folds punctuation, which adds 9 copies that differ only in it
    // (`<btom.mi>` against `[btom.mi]`, a trailing ` .`, `(cbt)` against `, cbt,`, ...).
    let csv = clusters(&[
        &shared("reuters21578/reuters-articles.tar.gz"),
        "--threshold",
        "1",
        "--verify",
        "exact",
    ]);
    let exact: Vec<&str> = csv.lines().filter(|l| l.contains(",exact,")).collect();
    let groups: std::collections::HashSet<&str> =
        exact.iter().filter_map(|l| l.split(',').next()).collect();
    assert_eq!((exact.len(), groups.len()), (292, 290));
}

#[test]
fn same_output_at_any_thread_count() {
    let bbc = shared("bbc/bbc.jsonl.gz");
    let run = |threads: &str| {
        let dir = tempfile::tempdir().expect("temp dir");
        let (c, k) = (dir.path().join("c.csv"), dir.path().join("k.jsonl"));
        let r = corpus(&[
            "--threads",
            threads,
            "dedup",
            &bbc,
            "--clusters",
            c.to_str().expect("utf-8"),
            "-o",
            k.to_str().expect("utf-8"),
        ]);
        (
            r.stdout,
            fs::read(c).expect("clusters"),
            fs::read(k).expect("kept"),
        )
    };
    assert!(
        run("1") == run("4"),
        "dedup output differs between 1 and 4 threads"
    );
}

#[test]
fn eval_scores_clusters_against_truth() {
    let dir = tempfile::tempdir().expect("temp dir");
    let truth = dir.path().join("truth.csv");
    let pred = dir.path().join("pred.csv");
    // Truth {a,b,c} {d,e}; predicted {a,b} {c,d,e}: P = R = F1 = 0.5, ARI = 1/6 (by hand).
    fs::write(&truth, "id,cluster\na,1\nb,1\nc,1\nd,2\ne,2\n").expect("write");
    fs::write(
        &pred,
        "cluster,document,kept\nx,a,true\nx,b,false\ny,c,true\ny,d,false\ny,e,false\n",
    )
    .expect("write");
    let run = corpus(&[
        "eval",
        "--truth",
        truth.to_str().expect("utf-8"),
        "--pred",
        pred.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.stdout, @r"
    documents        5
    true pairs       4
    predicted pairs  4
    precision        0.5000
    recall           0.5000
    F1               0.5000
    ARI              0.1667
    ");
}
