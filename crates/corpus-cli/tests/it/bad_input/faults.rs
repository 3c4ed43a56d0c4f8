//! Faults around the outputs: an output that is an input, devices and standard output, file
//! modes, signals, closed and full standard streams, standard input read twice. One test per
//! defect, as in the parent module.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use super::{ARTICLE, ids, temp, with_file, write};
use crate::corpus_in;

// 12. Outputs that are inputs.

#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let dir = temp();
    let line = b"{\"id\":\"a\",\"text\":\"Hello there.\"}\n";
    write(dir.path(), "x.jsonl", line);
    write(dir.path(), "corpus/y.jsonl", line);
    for args in [
        &["parse", "-q", "x.jsonl", "-o", "x.jsonl"][..],
        &["parse", "-q", "x.jsonl", "-o", "./x.jsonl"],
        &["parse", "-q", "x.jsonl", "--problems", "x.jsonl"],
        &["dedup", "-q", "corpus", "--clusters", "corpus/y.jsonl"],
        &[
            "dedup",
            "-q",
            "x.jsonl",
            "--clusters",
            "c.csv",
            "-o",
            "c.csv",
        ],
    ] {
        let run = corpus_in(dir.path(), args, None);
        assert_eq!(run.code, 2, "{args:?}: {}", run.render());
        assert!(
            [
                "one of the inputs",
                "are one file",
                "inside the input folder"
            ]
            .iter()
            .any(|says| run.stderr.contains(says)),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(fs::read(dir.path().join("x.jsonl")).expect("kept"), line);
    assert_eq!(
        fs::read(dir.path().join("corpus/y.jsonl")).expect("kept"),
        line
    );
    assert!(!dir.path().join("c.csv").exists());
    // Reports written into an input folder are read by the next run: that one is refused.
    let reports = ["stats", "-q", "corpus", "--csv", "./corpus/new/../reports"];
    assert_eq!(corpus_in(dir.path(), &reports, None).code, 0);
    let again = corpus_in(dir.path(), &reports, None);
    again.assert_stderr(2, "inside the input folder");
    // A report in an input folder that is not a corpus file is fine.
    let run = corpus_in(
        dir.path(),
        &["parse", "-q", "corpus", "-o", "corpus/out.json"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

// 13. Devices and standard output.

#[cfg(unix)]
#[test]
fn devices_are_written_to_not_replaced() {
    let dir = with_file("a.txt", ARTICLE);
    for device in ["/dev/null", "/dev/stdout"] {
        let run = corpus_in(dir.path(), &["parse", "-q", "a.txt", "-o", device], None);
        assert_eq!(run.code, 0, "{device}: {}", run.stderr);
        let meta = fs::metadata("/dev/null").expect("/dev/null");
        assert!(!meta.is_file(), "/dev/null is still a device");
    }
    let run = corpus_in(
        dir.path(),
        &["dedup", "-q", "a.txt", "--clusters", "-", "--json"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("cluster,document,"),
        "{}",
        run.stdout
    );
    let run = corpus_in(dir.path(), &["parse", "-q", "a.txt", "-o", "-"], None);
    assert_eq!(ids(&run), ["a"]);
}

// 14. File modes.

#[cfg(unix)]
#[test]
fn outputs_get_the_mode_of_a_plain_create() {
    use std::os::unix::fs::PermissionsExt;
    let dir = with_file("a.txt", ARTICLE);
    let bin = env!("CARGO_BIN_EXE_corpus");
    let script = format!("umask 027 && exec '{bin}' parse -q a.txt -o new.jsonl");
    let run_under_umask = || {
        let status = Command::new("sh")
            .args(["-c", &script])
            .current_dir(dir.path())
            .status()
            .expect("sh runs");
        assert!(status.success());
    };
    run_under_umask();
    let mode = |name: &str| {
        fs::metadata(dir.path().join(name))
            .expect("written")
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("new.jsonl"), 0o640);
    fs::set_permissions(
        dir.path().join("new.jsonl"),
        fs::Permissions::from_mode(0o604),
    )
    .expect("chmod");
    run_under_umask();
    assert_eq!(mode("new.jsonl"), 0o604, "a replaced file keeps its mode");
}

// 15 and 16. Signals, and outputs committed together.

/// The names in a folder, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn a_signal_removes_temporary_files_and_exits_130() {
    let commands: [&[&str]; 2] = [
        &["parse", "-", "-o", "out.jsonl", "--problems", "old.csv"],
        // Standard input is saved to a temporary file (here, in the test's folder) first.
        &["dedup", "-", "-o", "kept.jsonl", "--clusters", "old.csv"],
    ];
    for (signal, args) in [
        ("INT", commands[0]),
        ("TERM", commands[1]),
        ("HUP", commands[0]),
    ] {
        let dir = temp();
        write(dir.path(), "old.csv", b"old\n");
        let mut child = crate::command_in(dir.path(), args)
            .env("TMPDIR", dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut stdin = child.stdin.take().expect("piped");
        stdin
            .write_all(b"{\"id\":\"a\",\"text\":\"Hello there.\"}\n")
            .expect("written");
        // Standard input stays open, so the run is still reading when the signal comes: once
        // its temporary file exists, the handler is in place too.
        let started = std::time::Instant::now();
        while !names_in(dir.path()).iter().any(|n| n.ends_with(".tmp")) {
            assert!(
                started.elapsed().as_secs() < 30,
                "no temporary file appeared"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(killed.success());
        let out = child.wait_with_output().expect("ends");
        drop(stdin);
        assert_eq!(out.status.code(), Some(130), "SIG{signal} {args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "interrupted\n");
        assert_eq!(
            names_in(dir.path()),
            ["old.csv"],
            "SIG{signal} {args:?}: nothing is left"
        );
        assert_eq!(
            fs::read(dir.path().join("old.csv")).expect("kept"),
            b"old\n"
        );
    }
}

#[test]
fn a_failed_run_commits_none_of_its_outputs() {
    let dir = temp();
    write(dir.path(), "in/a.txt", ARTICLE);
    write(dir.path(), "in/b.txt", ARTICLE);
    write(dir.path(), "clusters.csv", b"old\n");
    write(dir.path(), "not-a-folder", b"a file");
    let run = corpus_in(
        dir.path(),
        &[
            "dedup",
            "in",
            "--clusters",
            "clusters.csv",
            "--problems",
            "problems.csv",
            "-o",
            "not-a-folder/kept.jsonl",
        ],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.render());
    assert_eq!(
        fs::read(dir.path().join("clusters.csv")).expect("kept"),
        b"old\n"
    );
    assert!(!dir.path().join("problems.csv").exists());
}

// 17, 18 and 19. Closed and full standard streams.

#[cfg(unix)]
#[test]
fn a_full_stderr_is_no_reason_to_fail() {
    let dir = with_file("a.txt", ARTICLE);
    write(dir.path(), "bad.jsonl", b"{}\n");
    let stderr = fs::File::create("/dev/full").expect("/dev/full");
    let out = crate::command_in(dir.path(), &["parse", "a.txt", "bad.jsonl"])
        .stderr(stderr)
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

/// A folder of `n` articles with distinct words, so that `stats --json --top` is long.
fn many_articles(dir: &Path, n: usize) {
    for i in 0..n {
        let words: String = (0..20).map(|w| format!("w{i}x{w} ")).collect();
        write(
            dir,
            &format!("many/{i:05}.txt"),
            format!(" date 2021-03-08 {words}.\n").as_bytes(),
        );
    }
}

/// Runs `corpus` with its standard output closed after reading `keep` bytes.
fn with_stdout_closed_early(dir: &Path, args: &[&str], keep: usize) -> (Option<i32>, String) {
    let mut child = crate::command_in(dir, args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdout = child.stdout.take().expect("piped");
    let mut head = vec![0; keep];
    std::io::Read::read_exact(&mut stdout, &mut head).expect("some output");
    drop(stdout);
    let out = child.wait_with_output().expect("ends");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_ends_quietly_and_files_are_written_anyway() {
    let dir = temp();
    many_articles(dir.path(), 2000);
    let (code, stderr) = with_stdout_closed_early(
        dir.path(),
        &["stats", "--json", "--top", "100000", "-q", "many"],
        10,
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    let (code, stderr) = with_stdout_closed_early(
        dir.path(),
        &[
            "stats",
            "--top",
            "100000",
            "-q",
            "many",
            "--csv",
            "reports",
            "--problems",
            "p.csv",
        ],
        10,
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(dir.path().join("reports/terms.csv").exists());
    assert!(dir.path().join("p.csv").exists());
    let (code, stderr) = with_stdout_closed_early(
        dir.path(),
        &["parse", "-q", "many", "--problems", "p2.csv"],
        10,
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(dir.path().join("p2.csv").exists());
    // The report's page into a pipe that closes early: its problems file is written too.
    let (code, stderr) = with_stdout_closed_early(
        dir.path(),
        &["report", "-q", "many", "-o", "-", "--problems", "p3.csv"],
        10,
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(dir.path().join("p3.csv").exists());
}

// 20. Standard input read twice.

#[test]
fn standard_input_is_saved_when_it_is_read_twice() {
    let dir = temp();
    let lines: String = [
        "Same story here, word for word.",
        "Same story here, word for word.",
        "Another one.",
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| format!("{{\"id\":\"d{i}\",\"text\":\"{t}\"}}\n"))
    .collect();
    let run = corpus_in(
        dir.path(),
        &[
            "dedup",
            "-",
            "-q",
            "-o",
            "kept.jsonl",
            "--lines",
            "l.csv",
            "--min-docs",
            "1",
        ],
        Some(lines.as_bytes()),
    );
    assert_eq!(run.code, 0, "{}", run.render());
    let kept = fs::read_to_string(dir.path().join("kept.jsonl")).expect("kept written");
    assert_eq!(kept.lines().count(), 2);
    assert!(kept.contains("\"path\":\"-\""), "origins still say stdin");
    let lines = fs::read_to_string(dir.path().join("l.csv")).expect("lines written");
    assert!(lines.contains("Another one."), "{lines}");
}

/// `-q` says only what stops a run: every command that reads a corpus with problems, their
/// list asked for in a file, writes nothing on stderr (20 problem lines and a summary once
/// came through), and the file holds them all.
#[test]
fn quiet_is_quiet_on_every_reading_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (problems, out, page) = (p("p.csv"), p("out.jsonl"), p("page.html"));
    let input = "testdata/parser";
    let commands: Vec<Vec<&str>> = vec![
        vec!["stats", input],
        vec!["dedup", input, "-o", &out],
        vec!["parse", input, "-o", &out],
        vec!["kwic", "the", input],
        vec!["collocations", "--node", "the", input],
        vec!["trend", "the", input],
        vec!["keyness", input, "--target", "2021"],
        vec!["report", input, "-o", &page],
    ];
    for mut args in commands {
        args.extend(["-q", "--problems", &problems]);
        let run = crate::corpus(&args);
        assert!(run.code == 0, "{args:?}: {}", run.render());
        assert_eq!(run.stderr, "", "{args:?}");
        let rows = std::fs::read_to_string(&problems).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        assert!(rows.lines().count() > 5, "{args:?}: {rows}");
        std::fs::remove_file(&problems).expect("removed");
    }
}

/// Labels WHATWG maps to its "replacement" encoding turned every text into one U+FFFD with no
/// problem; they are refused before any work.
#[test]
fn an_encoding_that_decodes_nothing_is_refused() {
    for label in ["iso-2022-kr", "hz-gb-2312", "replacement"] {
        let run = crate::corpus(&["stats", "testdata/dedup", "--encoding", label]);
        assert_eq!(run.code, 2, "{label}: {}", run.render());
        assert!(
            run.stderr.contains("decoded from"),
            "{label}: {}",
            run.stderr
        );
    }
    let ok = crate::corpus(&["stats", "-q", "testdata/dedup", "--encoding", "latin1"]);
    assert_eq!(ok.code, 0, "{}", ok.render());
}
