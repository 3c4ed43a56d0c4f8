//! `corpus dedup` and `corpus eval` on hand-made fixtures and on Reuters.

use std::fs;

use crate::{corpus, shared, written};

/// A folder holding the two inputs of `corpus eval`: `first` (the truth or the labelled pairs, by
/// name) and the predicted clusters; with their paths, as arguments.
fn eval_files(first: (&str, &str), pred: &str) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let [first, pred] = written(dir.path(), [first, ("pred.csv", pred)]);
    (dir, first, pred)
}

/// Every pair sharing one signature value is a candidate, so these tests see the clustering
/// rules at work rather than the chance that LSH banding proposes a pair near the threshold.
const ALL_CANDIDATES: [&str; 4] = ["--bands", "128", "--rows", "1"];

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
    // True Jaccard similarities, free of estimation noise: chain_a~chain_b is 0.81 and
    // chain_b~chain_c too, but chain_a~chain_c is below 0.75, so chain_c stays out.
    let csv = clusters(
        &[
            &["testdata/dedup", "--threshold", "0.75", "--verify", "exact"][..],
            &ALL_CANDIDATES,
        ]
        .concat(),
    );
    insta::assert_snapshot!(csv, @r"
    cluster,document,kept,similarity,reason,date,path,line
    chain_a,chain_a,true,1.0000,kept,2021-04-01,testdata/dedup/chain_a.txt,
    chain_a,chain_b,false,0.8148,near,2021-04-02,testdata/dedup/chain_b.txt,
    story_original,story_original,true,1.0000,kept,2021-03-01,testdata/dedup/story_original.txt,
    story_original,story_exact_copy,false,1.0000,exact,2021-03-02,testdata/dedup/story_exact_copy.txt,
    story_original,story_new_dateline,false,0.9767,near,2021-03-03,testdata/dedup/story_new_dateline.txt,
    story_original,story_truncated,false,0.9286,near,2021-03-02,testdata/dedup/story_truncated.txt,
    ");
    // The chain's links are each alike: B~C clusters when A is not there to hold B.
    let bc = clusters(
        &[
            &[
                "testdata/dedup/chain_b.txt",
                "testdata/dedup/chain_c.txt",
                "--threshold",
                "0.75",
                "--verify",
                "exact",
            ][..],
            &ALL_CANDIDATES,
        ]
        .concat(),
    );
    assert!(bc.contains("chain_b,chain_c,false"), "{bc}");
}

#[test]
fn estimates_keep_the_rules() {
    // With estimated similarities the values move a little, but the copies of the story are
    // found, unrelated stories sharing boilerplate stay apart, and no cluster chains A to C.
    let csv = clusters(&["testdata/dedup", "--threshold", "0.75"]);
    for copy in ["story_exact_copy", "story_new_dateline", "story_truncated"] {
        assert!(
            csv.contains(&format!("story_original,{copy},false")),
            "{copy} not found:\n{csv}"
        );
    }
    assert!(!csv.contains("boilerplate"), "{csv}");
    let cluster_of = |doc: &str| {
        csv.lines()
            .find(|l| l.split(',').nth(1) == Some(doc))
            .and_then(|l| l.split(',').next())
    };
    assert!(
        cluster_of("chain_c").is_none() || cluster_of("chain_c") != cluster_of("chain_a"),
        "{csv}"
    );
}

#[test]
fn keep_and_window_change_the_kept_copy_and_the_pairs() {
    let longest = clusters(
        &[
            &[
                "testdata/dedup",
                "--threshold",
                "0.75",
                "--verify",
                "exact",
                "--keep",
                "longest",
            ][..],
            &ALL_CANDIDATES,
        ]
        .concat(),
    );
    assert!(
        longest.contains("story_new_dateline,story_new_dateline,true"),
        "{longest}"
    );
    let windowed = clusters(
        &[
            &[
                "testdata/dedup",
                "--threshold",
                "0.75",
                "--verify",
                "exact",
                "--window",
                "1",
            ][..],
            &ALL_CANDIDATES,
        ]
        .concat(),
    );
    assert!(
        !windowed.contains("story_new_dateline"),
        "two days apart is outside a 1-day window: {windowed}"
    );
    assert!(windowed.contains("story_original,story_truncated"));
}

#[test]
fn summary_and_kept_documents() {
    let (_dir, out) = crate::scratch("kept.jsonl");
    let args = format!("dedup testdata/dedup --threshold 0.75 --verify exact -o {out}");
    let args: Vec<&str> = args.split_whitespace().collect();
    let run = corpus(&[&args[..], &ALL_CANDIDATES].concat());
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
fn reuters_exact_copies() {
    // SOURCE.md counts 283 copies in 281 groups after lower-casing and collapsing whitespace;
    // our normal form also folds punctuation, which adds 9 copies that differ only in it
    // (`<btom.mi>` against `[btom.mi]`, a trailing ` .`, `(cbt)` against `, cbt,`, ...).
    let Some(reuters) = crate::reuters() else {
        return;
    };
    let csv = clusters(&[&reuters, "--threshold", "1", "--verify", "exact"]);
    let exact: Vec<&str> = csv.lines().filter(|l| l.contains(",exact,")).collect();
    let groups: std::collections::HashSet<&str> =
        exact.iter().filter_map(|l| l.split(',').next()).collect();
    assert_eq!((exact.len(), groups.len()), (292, 290));
}

#[test]
fn same_output_at_any_thread_count() {
    let Some(bbc) = shared("bbc/bbc.jsonl.gz") else {
        return;
    };
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
    // Truth {a,b,c} {d,e}; predicted {a,b} {c,d,e}: P = R = F1 = 0.5, ARI = 1/6 (by hand).
    let (_dir, truth, pred) = eval_files(
        ("truth.csv", "id,cluster\na,1\nb,1\nc,1\nd,2\ne,2\n"),
        "cluster,document,kept\nx,a,true\nx,b,false\ny,c,true\ny,d,false\ny,e,false\n",
    );
    let run = corpus(&["eval", "--truth", &truth, "--pred", &pred]);
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

#[test]
fn eval_scores_clusters_against_labelled_pairs() {
    // Predicted {a,b} {c,d}: (a,b) found, (a,c) missed, (c,d) a false merge, (e,f) apart.
    let (_dir, pairs, pred) = eval_files(
        (
            "pairs.csv",
            "a,b,label,reason\na,b,COPY,x\na,c,copy,x\nc,d,DIFFERENT,x\ne,f,DIFFERENT,x\n",
        ),
        "cluster,document,kept\nx,a,true\nx,b,false\ny,c,true\ny,d,false\n",
    );
    let (pairs, pred) = (pairs.as_str(), pred.as_str());
    let run = corpus(&["eval", "--pairs", pairs, "--pred", pred]);
    assert_eq!(run.code, 0, "{}", run.render());
    insta::assert_snapshot!(run.stdout, @r"
    pairs            4
    copies           2
    found            1
    missed           1
    false merges     1
    precision        0.5000
    recall           0.5000
    F1               0.5000
    ");
    fs::write(pairs, "a,b,label\na,b,maybe\n").expect("write");
    let run = corpus(&["eval", "--pairs", pairs, "--pred", pred]);
    run.assert_stderr(2, "line 2: label \"maybe\"");
}

#[test]
fn repeated_lines_are_reported_and_stripped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (lines, kept) = (dir.path().join("lines.csv"), dir.path().join("kept.jsonl"));
    let args = [
        "dedup",
        "--quiet",
        "testdata/dedup/boilerplate_one.txt",
        "testdata/dedup/boilerplate_two.txt",
        "--min-docs",
        "2",
        "--lines",
        lines.to_str().expect("utf-8"),
        "--strip-lines",
        "-o",
        kept.to_str().expect("utf-8"),
    ];
    let run = corpus(&args);
    assert_eq!(run.code, 0, "{}", run.render());
    let row = |name: &str| {
        run.stdout
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
            .map(str::to_owned)
    };
    assert_eq!(
        (row("repeated lines"), row("lines stripped")),
        (Some("3".into()), Some("6".into())),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!(fs::read_to_string(&lines).expect("lines written"), @r"
    line,kind,documents,first_date,last_date
    Image: AP,image_credit,2,2021-05-01,2021-05-01
    Read: Markets Close Higher On Friday,related_link,2,2021-05-01,2021-05-01
    Read: Weather Warning For The Weekend,related_link,2,2021-05-01,2021-05-01
    ");
    for line in fs::read_to_string(&kept).expect("kept written").lines() {
        let doc: serde_json::Value = serde_json::from_str(line).expect("JSON");
        let text = doc["text"].as_str().unwrap_or_default();
        assert!(
            !text.contains("Read:") && !text.contains("Image:"),
            "not stripped: {text}"
        );
        assert_eq!(
            doc["blocks"].as_array().map(Vec::len),
            Some(2),
            "two paragraphs stay"
        );
    }
}

#[test]
fn copies_do_not_make_boilerplate() {
    // The story's paragraphs are in four documents, but three are copies of the fourth: only
    // kept documents count, so none of its paragraphs is a repeated line at --min-docs 2.
    let (_dir, lines) = crate::scratch("lines.csv");
    let stories = ["original", "exact_copy", "truncated", "new_dateline"]
        .map(|s| format!("testdata/dedup/story_{s}.txt"));
    let args = format!("dedup --quiet --threshold 0.75 --min-docs 2 --lines {lines}");
    let mut args: Vec<&str> = args.split_whitespace().collect();
    args.extend(stories.iter().map(String::as_str));
    args.extend(ALL_CANDIDATES);
    assert_eq!(corpus(&args).code, 0);
    assert_eq!(
        fs::read_to_string(&lines).expect("lines written"),
        "line,kind,documents,first_date,last_date\n"
    );
}

#[test]
fn presets_set_defaults_that_options_override() {
    let options = |args: &[&str]| {
        let run = corpus(&[&["dedup", "--quiet", "--json"], args].concat());
        assert_eq!(run.code, 0, "{}", run.render());
        let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        let o = &v["options"];
        [
            "ngram",
            "threshold",
            "window_days",
            "similarity",
            "max_changed_facts",
        ]
        .map(|k| o[k].clone())
    };
    use serde_json::json;
    let web = [
        json!(5),
        json!(0.8),
        json!(null),
        json!("jaccard"),
        json!(null),
    ];
    assert_eq!(options(&[]), web, "web settings by default");
    assert_eq!(options(&["--preset", "web"]), web);
    assert_eq!(
        options(&["--preset", "news"]),
        [
            json!(2),
            json!(0.7),
            json!(3),
            json!("containment"),
            json!(0.3)
        ]
    );
    let overridden = options(&[
        "--preset",
        "news",
        "--threshold",
        "0.6",
        "--window",
        "10",
        "--similarity",
        "jaccard",
        "--max-changed-facts",
        "none",
    ]);
    assert_eq!(
        overridden,
        [
            json!(2),
            json!(0.6),
            json!(10),
            json!("jaccard"),
            json!(null)
        ]
    );
}

/// The documents `corpus parse` gives for `input`, origins aside.
fn parsed_documents(input: &str) -> Vec<serde_json::Value> {
    let run = corpus(&["parse", "-q", input]);
    assert_eq!(run.code, 0, "{}", run.render());
    run.stdout
        .lines()
        .map(|line| {
            let mut v: serde_json::Value = serde_json::from_str(line).expect("JSON");
            v["origin"] = serde_json::Value::Null;
            v
        })
        .collect()
}

/// The column names and the codecs of a Parquet file.
fn parquet_layout(path: &std::path::Path) -> (Vec<String>, Vec<String>) {
    use parquet::file::reader::FileReader;
    let file = fs::File::open(path).expect("written");
    let reader =
        parquet::file::serialized_reader::SerializedFileReader::new(file).expect("Parquet");
    let meta = reader.metadata();
    let names = meta
        .file_metadata()
        .schema_descr()
        .root_schema()
        .get_fields()
        .iter()
        .map(|f| f.name().to_owned())
        .collect();
    let codecs = meta
        .row_groups()
        .iter()
        .flat_map(|g| g.columns())
        .map(|c| c.compression().to_string())
        .collect();
    (names, codecs)
}

#[test]
fn kept_documents_as_parquet_are_the_kept_documents_with_the_inputs_columns() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = crate::root().join("testdata/parser/ok/pyarrow_snappy.parquet");
    let input = input.to_str().expect("utf-8");
    let out = dir.path().join("kept.parquet");
    let run = corpus(&["dedup", "-q", input, "-o", out.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.render());
    let (names, codecs) = parquet_layout(&out);
    // pyarrow's columns, id, date, the language and text first, the body and path derived
    // from each document, then the others (their names in order).
    assert_eq!(
        names,
        [
            "id",
            "date",
            "lang",
            "text",
            "body",
            "path",
            "front_page",
            "outlet",
            "score",
            "tags",
            "words"
        ]
    );
    assert!(codecs.iter().all(|c| c.starts_with("ZSTD")), "{codecs:?}");
    assert_eq!(
        parsed_documents(out.to_str().expect("utf-8")),
        parsed_documents(input)
    );
    // --text-col and friends name the columns written.
    let run = corpus(&[
        "dedup",
        "-q",
        "--text-col",
        "body",
        "--id-col",
        "key",
        "--format",
        "jsonl",
        &crate::root()
            .join("testdata/parser/ok/records.jsonl")
            .to_string_lossy(),
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 0, "{}", run.render());
    let (names, _) = parquet_layout(&out);
    assert_eq!(&names[..4], ["key", "date", "lang", "body"], "{names:?}");

    // Reuters: the same kept documents as the JSON Lines output, and the same figures.
    let Some(reuters) = shared("reuters21578/reuters.jsonl.gz") else {
        return;
    };
    let jsonl = dir.path().join("kept.jsonl");
    let jsonl = jsonl.to_str().expect("utf-8");
    let parquet = out.to_str().expect("utf-8");
    for output in [jsonl, parquet] {
        let run = corpus(&["dedup", "-q", "--preset", "news", &reuters, "-o", output]);
        assert_eq!(run.code, 0, "{}", run.render());
    }
    let from_jsonl = parsed_documents(jsonl);
    let from_parquet = parsed_documents(parquet);
    assert_eq!(from_jsonl.len(), from_parquet.len());
    // Compared one by one, naming the first that differs (not printing the corpus).
    let differ = from_jsonl
        .iter()
        .zip(&from_parquet)
        .position(|(a, b)| a != b);
    assert_eq!(
        differ.map(|i| (
            &from_jsonl[i]["id"],
            &from_jsonl[i]["metadata"],
            &from_parquet[i]["metadata"]
        )),
        None
    );
    let stats = |input: &str| {
        let run = corpus(&["stats", "--json", "-q", input]);
        assert_eq!(run.code, 0, "{}", run.render());
        let mut v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        v["counts"]["bytes"] = serde_json::Value::Null;
        v
    };
    assert!(stats(jsonl) == stats(parquet), "the figures differ");
}

#[test]
fn the_kept_documents_deduplicated_again_hold_no_copy() {
    let Some(reuters) = crate::reuters() else {
        return;
    };
    let (_dir, kept) = crate::scratch("kept.jsonl");
    let kept = kept.as_str();
    for preset in ["news", "web"] {
        let first = corpus(&["dedup", "--preset", preset, "--json", &reuters, "-o", kept]);
        assert_eq!(first.code, 0, "{}", first.render());
        let first: serde_json::Value = serde_json::from_str(&first.stdout).expect("JSON");
        let again = corpus(&["dedup", "--preset", preset, "--json", kept]);
        assert_eq!(again.code, 0, "{}", again.render());
        let again: serde_json::Value = serde_json::from_str(&again.stdout).expect("JSON");
        assert_eq!(again["documents"], first["kept"], "{preset}");
        assert_eq!(
            again["kept"], first["kept"],
            "{preset}: copies found among kept documents"
        );
    }
}

#[test]
fn eval_warns_of_a_document_in_two_clusters_and_is_strict_and_quiet_on_request() {
    // The BBC trap: one id in two folders, listed twice.
    let (_dir, truth, pred) = eval_files(
        ("truth.csv", "id,cluster\na,1\nb,1\nc,2\n"),
        "document,cluster\na,x\nb,x\na,y\n",
    );
    let (truth, pred) = (truth.as_str(), pred.as_str());
    let run = corpus(&["eval", "--truth", truth, "--pred", pred]);
    assert_eq!(run.code, 0, "{}", run.render());
    assert!(
        run.stderr.contains(":4: document \"a\" is listed again, in cluster \"y\"; its first cluster \"x\" (line 2) counts"),
        "{}",
        run.render()
    );
    assert!(
        run.stderr.ends_with("scored 3 documents, 1 problems\n"),
        "{}",
        run.render()
    );
    let strict = corpus(&["eval", "--truth", truth, "--pred", pred, "--strict", "-q"]);
    assert_eq!(strict.code, 1, "{}", strict.render());
    assert!(
        !strict.stderr.contains("scored"),
        "quiet: {}",
        strict.render()
    );
    assert!(
        strict.stderr.contains("listed again"),
        "problems still print"
    );
    assert_eq!(strict.stdout, run.stdout);
}

#[test]
fn ids_repeated_across_folders_are_no_copies_by_key() {
    // BBC's folders each number their files from 001: 510 stems repeat.
    let Some(bbc) = shared("bbc/bbc-fulltext.tar.gz") else {
        return;
    };
    let run = corpus(&["dedup", "--json", "--key", "id", &bbc]);
    assert_eq!(run.code, 0, "{}", run.render());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(v["documents"], 2225);
    assert_eq!(
        v["key_copies"], 0,
        "different articles thrown away as copies by id"
    );
    assert!(
        !run.stderr.contains("was an earlier document's too"),
        "{}",
        run.stderr
    );
}
