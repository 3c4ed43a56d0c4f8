//! `corpus parse`: canonical JSON Lines, problems, exit codes, atomic output, determinism.

use std::io::Read;
use std::process::Stdio;

use crate::{corpus, corpus_line, root, seed, shared};

#[test]
fn seed_article() {
    let Some(seed) = seed() else { return };
    let run = corpus(&["parse", &format!("{seed}/000_1a5c6e53506a3daa.txt")]);
    assert_eq!(run.code, 0);
    let doc: serde_json::Value =
        serde_json::from_str(run.stdout.trim()).expect("one JSON document");
    assert_eq!(doc["id"], "000_1a5c6e53506a3daa");
    assert_eq!(doc["date"], "2021-03-08");
    assert_eq!(run.stdout.lines().count(), 1);
    insta::assert_snapshot!(run.stderr, @"parsed 1 document, 0 problems (0 rejected)\n");
}

#[test]
fn no_input_reads_the_sample_corpus() {
    let run = corpus(&["parse"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout.lines().count(), 12);
    for line in run.stdout.lines() {
        let doc: serde_json::Value = serde_json::from_str(line).expect("JSON");
        assert!(
            doc["origin"]["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("sample/"))
        );
    }
    insta::assert_snapshot!(run.stderr, @"parsed 12 documents, 0 problems (0 rejected)\n");
}

#[test]
fn problems_are_reported_and_the_run_goes_on() {
    let run = corpus(&["parse", "testdata/parser/problems"]);
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.render());
}

#[test]
fn strict_fails_with_status_1_and_still_writes_outputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("docs.jsonl");
    let problems = dir.path().join("problems.csv");
    let run = corpus_line(&format!(
        "parse --strict --quiet testdata/parser/problems/malformed_date.txt \
         testdata/parser/problems/empty.txt -o {} --problems {}",
        out.display(),
        problems.display()
    ));
    assert_eq!(run.code, 1, "{}", run.render());
    assert_eq!(
        std::fs::read_to_string(&out)
            .expect("output written")
            .lines()
            .count(),
        1
    );
    insta::assert_snapshot!(std::fs::read_to_string(&problems).expect("problems written"), @r#"
    kind,severity,path,line,column,message
    bad_date,warning,testdata/parser/problems/malformed_date.txt,1,7,"malformed date ""21-3-8"" in header, expected YYYY-MM-DD; document kept without a date"
    empty,rejected,testdata/parser/problems/empty.txt,,,empty: no text
    "#);
    let leftovers = std::fs::read_dir(dir.path()).expect("dir").count();
    assert_eq!(leftovers, 2, "no temporary files are left behind");
}

#[test]
fn a_path_that_does_not_exist_is_a_usage_error_before_any_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.jsonl");
    let run = corpus_line(&format!(
        "parse testdata/parser/ok no/such/file.txt -o {}",
        out.display()
    ));
    assert_eq!(run.code, 2, "{}", run.render());
    assert_eq!(
        run.stderr,
        "error: no/such/file.txt: no such file or folder\n"
    );
    assert!(!out.exists(), "no work was done");
    for command in ["stats", "dedup"] {
        let run = corpus(&[command, "nosuchfile.txt"]);
        assert_eq!(run.code, 2, "{}", run.render());
        assert!(run.stdout.is_empty(), "no table of zeros: {}", run.stdout);
    }
}

#[test]
fn a_run_that_reads_no_document_says_so_and_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("notes.md"), "# notes").expect("written");
    std::fs::write(dir.path().join("data.json"), "{}").expect("written");
    let folder = dir.path().to_str().expect("utf-8");
    let run = corpus(&["stats", "-q", folder]);
    run.assert_stderr(1, "skipped: not a corpus file by its name");
    assert!(
        run.stderr
            .ends_with("error: no document was read from the input\n"),
        "{}",
        run.stderr
    );
    let run = corpus(&["stats", folder]);
    assert!(
        run.stderr
            .contains("skipped 2 entries that are not corpus files"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_with_status_2() {
    let run = corpus(&["parse", "--no-such-flag"]);
    run.assert_stderr(2, "--no-such-flag");
}

#[test]
fn stdin_is_read_with_dash() {
    let mut child = crate::command_in(&root(), &["parse", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let stdin = child.stdin.take().expect("stdin");
    std::thread::spawn(move || {
        let mut stdin = stdin;
        std::io::Write::write_all(
            &mut stdin,
            b"{\"id\": \"s1\", \"text\": \"From a pipe.\"}\n",
        )
        .expect("writes");
    });
    let out = child.wait_with_output().expect("runs");
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["id"], "s1");
    assert_eq!(doc["origin"]["path"], "-");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let Some(bbc) = shared("bbc/bbc-articles.tar.gz") else {
        return;
    };
    let mut child = crate::command_in(&root(), &["parse", &bbc])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut first = [0u8; 16];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("some output");
    // Dropping our end closes the pipe while the binary is still writing.
    let out = child.wait_with_output().expect("runs");
    assert!(out.status.success(), "{out:?}");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("error"),
        "{out:?}"
    );
}

/// Every command that writes to a pipe closed before it starts ends quietly with status 0
/// (`corpus completions zsh | head -1` once panicked inside clap_complete, exit 101).
#[test]
fn a_pipe_closed_from_the_start_ends_every_writer_quietly() {
    for args in [
        &["completions", "zsh"][..],
        &["completions", "bash"][..],
        &["parse", "testdata/dedup"][..],
        &["dedup", "testdata/dedup", "--clusters", "-"][..],
    ] {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = crate::command_in(&root(), args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// With an output on standard output, standard output holds that output alone: the summary
/// goes to stderr, and with `-q` nowhere (the summary table was once read as CSV rows).
#[test]
fn data_on_stdout_is_only_data() {
    for (flag, first_line) in [
        (
            "--clusters",
            "cluster,document,kept,similarity,reason,date,path,line",
        ),
        ("-o", "{"),
    ] {
        for json in [false, true] {
            let mut args = vec!["dedup", "--preset", "news", "testdata/dedup", flag, "-"];
            if json {
                args.push("--json");
            }
            let run = corpus(&args);
            assert_eq!(run.code, 0, "{}", run.render());
            assert!(
                run.stdout.starts_with(first_line),
                "{args:?}: {}",
                run.stdout
            );
            assert!(
                !run.stdout.contains("near copies") && !run.stdout.contains("\"near_copies\""),
                "{args:?}: the summary on stdout"
            );
            assert!(
                run.stderr.contains("near copies") || run.stderr.contains("\"near_copies\""),
                "{args:?}: {}",
                run.stderr
            );
            args.push("-q");
            let quiet = corpus(&args);
            assert_eq!(quiet.stdout, run.stdout, "{args:?}");
            assert_eq!(quiet.stderr, "", "{args:?}");
        }
    }
    // Every row of the clusters read as CSV is a row of clusters.
    let run = corpus(&["dedup", "testdata/dedup", "--clusters", "-"]);
    let mut rows = csv::Reader::from_reader(run.stdout.as_bytes());
    assert!(rows.records().all(|r| r.is_ok_and(|r| r.len() == 8)));
}

#[test]
fn output_is_the_same_at_any_thread_count() {
    let Some(reuters) = crate::reuters() else {
        return;
    };
    let one = corpus(&["--threads", "1", "parse", &reuters, "testdata/parser"]);
    let four = corpus(&["--threads", "4", "parse", &reuters, "testdata/parser"]);
    assert_eq!(one.code, 0);
    assert!(one.stdout.lines().count() > 19_043);
    assert!(
        one.stdout == four.stdout,
        "stdout differs between 1 and 4 threads"
    );
    assert_eq!(one.stderr, four.stderr);
}

#[test]
fn parse_output_parsed_again_is_the_same_and_counts_the_same() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut inputs = vec!["testdata/parser/ok".to_owned()];
    inputs.extend(seed());
    inputs.extend(crate::reuters());
    for input in inputs {
        let first = dir.path().join("first.jsonl");
        let run = corpus(&["parse", &input, "-o", first.to_str().expect("utf-8")]);
        assert_eq!(run.code, 0, "{}", run.render());
        let again = corpus(&["parse", first.to_str().expect("utf-8")]);
        assert_eq!(again.code, 0, "{}", again.render());
        let written = std::fs::read_to_string(&first).expect("written");
        assert!(
            again.stdout == written,
            "{input}: parsed again, other documents"
        );
        let stats = |arg: &str| corpus(&["stats", "--json", arg]).stdout;
        assert_eq!(
            stats(&input),
            stats(first.to_str().expect("utf-8")),
            "{input}"
        );
    }
}

/// A command's help lists its own options first, then the reading options every command
/// shares under a heading of their own.
#[test]
fn help_shows_a_command_s_own_options_before_the_reading_options() {
    for (command, own) in [
        ("stats", "--stopwords"),
        ("dedup", "--preset"),
        ("parse", "--output"),
        ("kwic", "--window"),
        ("trend", "--by"),
        ("report", "--output"),
    ] {
        let run = corpus(&[command, "--help"]);
        assert_eq!(run.code, 0, "{}", run.render());
        let at = |text: &str| run.stdout.find(text).unwrap_or(usize::MAX);
        assert!(
            at(own) < at("Reading options:") && at("Reading options:") < at("--text-col"),
            "{command}: {}",
            run.stdout
        );
    }
}

#[test]
fn help_has_examples_and_the_version_names_the_build() {
    for command in ["stats", "dedup", "eval", "parse", "completions"] {
        let run = corpus(&[command, "--help"]);
        assert_eq!(run.code, 0, "{}", run.render());
        assert!(
            run.stdout.contains("\nExamples:\n  corpus "),
            "{command}: {}",
            run.stdout
        );
    }
    let run = corpus(&["--version"]);
    assert!(
        run.stdout
            .starts_with(&format!("corpus {}", env!("CARGO_PKG_VERSION"))),
        "{}",
        run.stdout
    );
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = corpus(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.render());
        assert!(
            run.stdout.contains("dedup") && run.stdout.contains("preset"),
            "{shell}"
        );
    }
    let man = corpus(&["manpage"]);
    assert!(man.stdout.contains(".TH corpus 1"), "{}", man.stdout);
    assert!(man.stdout.contains("dedup"), "the subcommands are in it");
}

#[test]
fn any_corpus_is_written_as_parquet_and_reads_back_the_same() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("docs.parquet");
    let out = out.to_str().expect("utf-8");
    // Without the block spans (classified again from the text when read back, and the
    // header of an article is text) and origins, a document is what it was.
    let documents = |stdout: &str| -> Vec<serde_json::Value> {
        stdout
            .lines()
            .map(|line| {
                let mut v: serde_json::Value = serde_json::from_str(line).expect("JSON");
                v["origin"] = serde_json::Value::Null;
                v["blocks"] = serde_json::Value::Null;
                v
            })
            .collect()
    };
    let mut inputs = vec!["testdata/parser/ok/records.jsonl".to_owned()];
    inputs.extend(shared("reuters21578/reuters.jsonl.gz"));
    for input in inputs {
        let run = corpus(&["parse", "-q", &input, "-o", out]);
        assert_eq!(run.code, 0, "{}", run.render());
        let back = corpus(&["parse", "-q", out]);
        assert_eq!(back.code, 0, "{}", back.render());
        let direct = corpus(&["parse", "-q", &input]);
        let (want, got) = (documents(&direct.stdout), documents(&back.stdout));
        assert_eq!(want.len(), got.len(), "{input}");
        let differ = want.iter().zip(&got).position(|(a, b)| a != b);
        assert_eq!(differ.map(|i| (&want[i]["id"], &got[i])), None, "{input}");
    }
    // From standard input too (saved for the second pass): the same documents, those without
    // an id named after `-`.
    let again = std::path::Path::new(out).with_extension("again.parquet");
    let again = again.to_str().expect("utf-8");
    let records = std::fs::read(root().join("testdata/parser/ok/records.jsonl")).expect("read");
    let run = crate::corpus_in(&root(), &["parse", "-q", "-", "-o", again], Some(&records));
    assert_eq!(run.code, 0, "{}", run.render());
    let direct = corpus(&["parse", "-q", "testdata/parser/ok/records.jsonl"]);
    let back = corpus(&["parse", "-q", again]);
    let ids = |stdout: &str| -> Vec<String> {
        documents(stdout)
            .iter()
            .map(|d| {
                d["id"]
                    .as_str()
                    .unwrap_or_default()
                    .replace("records:", "-:")
            })
            .collect()
    };
    assert_eq!(ids(&back.stdout), ids(&direct.stdout));
}

/// Every page the manual lists (`corpus-stats(1)`, ...) is one `corpus manpage NAME` renders,
/// as `cargo xtask man` writes them beside `corpus.1` (it once wrote the list alone).
#[test]
fn every_manual_page_listed_is_rendered() {
    let main = corpus(&["manpage"]);
    assert_eq!(main.code, 0, "{}", main.render());
    let listed: Vec<&str> = main
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("corpus\\-")?.strip_suffix("(1)"))
        .collect();
    assert!(
        listed.contains(&"stats") && listed.contains(&"report"),
        "{listed:?}"
    );
    for name in listed {
        let page = corpus(&["manpage", name]);
        assert_eq!(page.code, 0, "{name}: {}", page.render());
        assert!(
            page.stdout.contains(&format!(".TH corpus-{name} 1")),
            "{name}: {}",
            &page.stdout[..page.stdout.len().min(300)]
        );
    }
}
