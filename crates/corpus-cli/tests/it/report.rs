//! `corpus report`: the page embeds what `corpus stats --json` and `corpus dedup --json` print
//! of the same input, its charts' figures add up to those counts, `--dedup` counts what
//! `corpus stats` counts of the kept copies, and the page is one escaped, self-contained file,
//! the same at any thread count. (The page in a real browser: `cargo xtask report-check`.)

use serde_json::Value;

use crate::{corpus, corpus_in, root};

const WIRE: &str = "testdata/report";

/// stdout of a run that must succeed.
fn out(args: &[&str]) -> String {
    let run = corpus(args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.render());
    run.stdout
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON")
}

/// The page's data, from `--json`, and the page itself.
fn report(dir: &tempfile::TempDir, extra: &[&str]) -> (Value, String) {
    let page = dir.path().join("report.html");
    let page_arg = page.to_string_lossy().into_owned();
    let mut args = vec!["report", "-q", WIRE, "-o", &page_arg, "--json"];
    args.extend(extra);
    let data = json(&out(&args));
    let html = std::fs::read_to_string(&page).expect("the page was written");
    (data, html)
}

/// The JSON the page embeds for its charts.
fn embedded(html: &str) -> Value {
    let start = html
        .find("<script type=\"application/json\" id=\"report-data\">")
        .expect("the page embeds its data");
    let rest = &html[start..];
    let body = &rest[rest.find('>').expect("tag") + 1..rest.find("</script>").expect("end")];
    json(body)
}

fn sum(v: &Value) -> u64 {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|n| n.as_u64().expect("a count"))
        .sum()
}

#[test]
fn the_page_embeds_what_stats_and_dedup_print() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (data, html) = report(&dir, &[]);
    let stats = json(&out(&["stats", "-q", "--json", WIRE]));
    assert_eq!(data["stats"], stats);
    let lines = dir.path().join("lines.csv");
    let dedup = json(&out(&[
        "dedup",
        "-q",
        "--preset",
        "news",
        "--json",
        "--lines",
        &lines.to_string_lossy(),
        WIRE,
    ]));
    assert_eq!(data["dedup"], dedup);
    // What the charts read is what --json prints.
    assert_eq!(embedded(&html), data);
    // The planted copies: r-002 and r-003 of r-001, r-009 of r-008.
    assert_eq!(dedup["kept"], 7);
    assert_eq!(data["clusters"][0]["kept"], "r-001");
    assert_eq!(data["clusters"][0]["documents"], 3);
    assert_eq!(data["clusters"][1]["kept"], "r-008");
    // The headline figures are on the page as text, with their raw values.
    assert!(html.contains("data-figure=\"documents\" data-value=\"10\">10<"));
    assert!(html.contains("data-figure=\"rejected\" data-value=\"1\">1<"));
    assert!(html.contains("data-figure=\"copies\" data-value=\"3\">3 <small>30.0 %</small>"));
    // The problem, with file, line and reason.
    assert!(html.contains("testdata/report/wire.jsonl"), "{html}");
    assert!(html.contains("invalid JSON"));
}

#[test]
fn the_charts_add_up_to_the_counts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (data, _) = report(&dir, &["--group-by", "meta.outlet"]);
    let documents = data["stats"]["counts"]["documents"]
        .as_u64()
        .expect("count");
    let v = &data["volume"];
    assert_eq!(v["periods"]["bin"], "day");
    // Every day from the first date to the last, the empty ones too.
    assert_eq!(v["periods"]["labels"].as_array().map(Vec::len), Some(24));
    assert_eq!(
        sum(&v["kept"])
            + sum(&v["copies"])
            + v["outside"].as_u64().unwrap_or(0)
            + v["undated"].as_u64().unwrap_or(0),
        documents
    );
    assert_eq!(sum(&v["copies"]), 3);
    assert_eq!(v["undated"], 1);
    assert_eq!(sum(&data["words"]["counts"]), documents);
    // Copies one and zero days after their kept copy.
    assert_eq!(data["lags"]["days"], serde_json::json!([0, 1]));
    assert_eq!(sum(&data["lags"]["copies"]), 3);
    // Groups: the documents `corpus stats --group-by` counts, and who copied whom.
    let stats = json(&out(&[
        "stats",
        "-q",
        "--json",
        "--group-by",
        "meta.outlet",
        WIRE,
    ]));
    assert_eq!(data["stats"], stats);
    let groups = data["groups"].as_array().expect("groups");
    for g in groups {
        let name = g["group"].as_str().expect("name");
        let counted = stats["groups"]
            .as_array()
            .expect("stats groups")
            .iter()
            .find(|s| s["group"] == name)
            .expect("the group in stats");
        assert_eq!(g["documents"], counted["counts"]["documents"], "{name}");
        assert_eq!(sum(&g["words"]), g["documents"].as_u64().unwrap_or(0));
    }
    let herald = groups
        .iter()
        .find(|g| g["group"] == "herald")
        .expect("herald");
    assert_eq!(
        (&herald["copies"], &herald["copied_from_others"]),
        (&2.into(), &2.into())
    );
    let wire = groups.iter().find(|g| g["group"] == "wire").expect("wire");
    assert_eq!(wire["copies"], 0);
    assert_eq!(
        data["clusters"][0]["groups"],
        serde_json::json!(["gazette", "herald", "wire"])
    );
}

#[test]
fn dedup_counts_what_stats_counts_of_the_kept_copies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (data, _) = report(&dir, &["--dedup", "news"]);
    assert_eq!(data["one_copy_per_story"], true);
    let kept = dir.path().join("kept.jsonl");
    out(&[
        "dedup",
        "-q",
        "--preset",
        "news",
        "-o",
        &kept.to_string_lossy(),
        WIRE,
    ]);
    let stats = json(&out(&["stats", "-q", "--json", &kept.to_string_lossy()]));
    assert_eq!(data["stats"]["counts"], stats["counts"]);
    assert_eq!(data["stats"]["vocabulary"], stats["vocabulary"]);
    assert_eq!(
        data["stats"]["words_per_document"],
        stats["words_per_document"]
    );
    // The run's problem is still the run's.
    assert_eq!(data["stats"]["rejected"], 1);
    assert_eq!(sum(&data["words"]["counts"]), 7);
    // The volume chart still shows the copies.
    assert_eq!(sum(&data["volume"]["copies"]), 3);
}

#[test]
fn the_page_is_one_escaped_file_the_same_at_any_thread_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    let hostile = "<script>alert(\"x\")</script> & co";
    let pages: Vec<String> = ["1", "3"]
        .iter()
        .map(|threads| {
            let page = dir.path().join(format!("t{threads}.html"));
            out(&[
                "--threads",
                threads,
                "report",
                "-q",
                WIRE,
                "--title",
                hostile,
                "-o",
                &page.to_string_lossy(),
            ]);
            std::fs::read_to_string(&page).expect("page")
        })
        .collect();
    assert_eq!(pages[0], pages[1]);
    let html = &pages[0];
    assert!(html.contains("<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</h1>"));
    assert!(!html.contains("<script>alert"));
    assert_eq!(embedded(html)["title"], hostile);
    // Nothing is loaded from elsewhere: every script and style is inline.
    for needle in ["src=\"", "<link", "@import"] {
        assert!(!html.contains(needle), "{needle}");
    }
    assert!(
        html.contains("The MIT License"),
        "uPlot's licence travels with it"
    );
    assert!(html.len() < 400_000, "{} bytes", html.len());
}

#[test]
fn standard_input_is_read_twice_and_bad_usage_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("stdin.html");
    let bytes = std::fs::read(root().join(WIRE).join("wire.jsonl")).expect("fixture");
    let run = corpus_in(
        &root(),
        &["report", "-q", "-", "-o", &page.to_string_lossy(), "--json"],
        Some(&bytes),
    );
    assert_eq!(run.code, 0, "{}", run.render());
    let data = json(&run.stdout);
    assert_eq!(data["stats"]["counts"]["documents"], 10);
    assert_eq!(data["clusters"][0]["title"], "Gulf producers hold output");

    let run = corpus(&["report", WIRE, "-o", "-", "--json"]);
    assert_eq!(run.code, 2, "{}", run.render());
    assert!(run.stderr.contains("--json prints to standard output"));
    let run = corpus(&["report", WIRE]);
    assert_eq!(run.code, 2, "{}", run.render());
    // The page never replaces an input.
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, &bytes).expect("copy");
    let run = corpus(&[
        "report",
        &input.to_string_lossy(),
        "-o",
        &input.to_string_lossy(),
    ]);
    assert_eq!(run.code, 2, "{}", run.render());
    assert_eq!(std::fs::read(&input).expect("input"), bytes);
}

/// The page of `lines` (JSON Lines written to a file) grouped by `meta.outlet`, and the
/// page's `--json`.
fn grouped_page(lines: String) -> (Value, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("wire.jsonl");
    std::fs::write(&input, lines).expect("written");
    let page = dir.path().join("page.html");
    let (input, page_arg) = (input.to_string_lossy(), page.to_string_lossy());
    let data = json(&out(&[
        "report",
        "-q",
        &input,
        "-o",
        &page_arg,
        "--group-by",
        "meta.outlet",
        "--json",
    ]));
    (data, std::fs::read_to_string(&page).expect("the page"))
}

/// An undated corpus grouped: every group's time chart says no document has a date, as the
/// main chart does (each drew an empty axis of 1970).
#[test]
fn an_undated_corpus_says_so_in_every_groups_time_chart() {
    let (_, html) = grouped_page(
        (0..12)
            .map(|i| {
                format!(
                    "{{\"id\":\"u{i}\",\"outlet\":\"o{}\",\"text\":\"Story {i} about the harbour and its ships.\"}}\n",
                    i % 3
                )
            })
            .collect(),
    );
    assert!(
        !html.contains("data-chart=\"group-volume\""),
        "no empty time charts"
    );
    assert!(!html.contains("data-chart=\"volume\""));
    assert_eq!(
        html.matches("No document has a date.").count(),
        4,
        "the main chart and 3 groups"
    );
    assert_eq!(html.matches("data-chart=\"group-words\"").count(), 3);
}

/// A corpus of many outlets: the page embeds the groups it lists, not every one (a million
/// outlets once made a 193 MB page), and says how many there are.
#[test]
fn the_page_stays_small_with_many_groups() {
    let (data, html) = grouped_page(
        (0..3000)
            .map(|i| {
                format!(
                    "{{\"id\":\"d{i}\",\"outlet\":\"o{i}\",\"date\":\"2021-03-{:02}\",\"text\":\"Story {i} about the port.\"}}\n",
                    1 + i % 28
                )
            })
            .collect(),
    );
    assert_eq!(data["groups_total"], 3000);
    let groups = embedded(&html)["stats"]["groups"]
        .as_array()
        .cloned()
        .expect("groups");
    assert_eq!(groups.len(), 100);
    assert!(html.len() < 400_000, "{} bytes", html.len());
}
