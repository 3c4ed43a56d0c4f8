//! `corpus index` and `corpus dedup --against`: each day against the archive gives the rows one
//! run gives; a bad index of every kind is refused by name (exit 2); a second writer is refused
//! while readers go on; an update killed or out of disk leaves the index as it was.

use std::path::Path;

use crate::{corpus, corpus_in, reuters, root, scratch};

/// One run's rows (of `csv`, after its header) that a day of documents (`day`, their ids)
/// reports: its copies, each after the kept copy of its cluster (archived or of the day). A
/// kept copy whose copies come later is reported with them, the day they come.
fn rows_of_day(csv: &str, day: &[String]) -> Vec<String> {
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let of_day = |r: &Vec<&str>| day.iter().any(|d| d == r[1]);
    let clusters: std::collections::HashSet<&str> = rows
        .iter()
        .filter(|r| r[2] == "false" && of_day(r))
        .map(|r| r[0])
        .collect();
    rows.iter()
        .filter(|r| clusters.contains(r[0]) && (r[2] == "true" || of_day(r)))
        .map(|r| r.join(","))
        .collect()
}

/// The index of the news preset of `input`'s documents dated up to `until`, at `idx`.
fn build_index(input: &str, until: &str, idx: &str) {
    let built = corpus(&[
        "index", "build", "--preset", "news", input, "--until", until, "-q", "-o", idx,
    ]);
    assert_eq!(built.code, 0, "{}", built.render());
}

/// The ids of the documents dated `day` among the rows of `csv`.
fn ids_dated(csv: &str, day: &str) -> Vec<String> {
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|r| r[5] == day)
        .map(|r| r[1].to_owned())
        .collect()
}

/// Three days of Reuters, the first as the archive, the others each against it with
/// `--update`: each day's cluster rows are one run's over the three, byte for byte.
#[test]
fn each_day_against_the_archive_gets_the_rows_of_one_run() {
    let Some(reuters) = reuters() else {
        eprintln!("skipped: the shared corpora are not here");
        return;
    };
    let (dir, idx) = scratch("archive.idx");
    let csv = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let one = corpus(&[
        "dedup",
        "--preset",
        "news",
        &reuters,
        "--until",
        "1987-03-18",
        "-q",
        "--clusters",
        &csv("one.csv"),
    ]);
    assert_eq!(one.code, 0, "{}", one.render());
    build_index(&reuters, "1987-03-16", &idx);
    let one_csv = std::fs::read_to_string(csv("one.csv")).expect("written");
    let mut of_archive = 0;
    for day in ["1987-03-17", "1987-03-18"] {
        let out = csv(&format!("{day}.csv"));
        let run = corpus(&[
            "dedup",
            "--against",
            &idx,
            "--update",
            &reuters,
            "--since",
            day,
            "--until",
            day,
            "--clusters",
            &out,
            "--json",
            "-q",
        ]);
        assert_eq!(run.code, 0, "{}", run.render());
        // No option was given: the index's are the run's.
        let summary: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        assert_eq!(summary["options"]["similarity"], "containment");
        of_archive += summary["archive"]["archive_copies"]
            .as_u64()
            .expect("a count");
        let got = std::fs::read_to_string(&out).expect("written");
        let expected = rows_of_day(&one_csv, &ids_dated(&one_csv, day));
        let got: Vec<String> = got.lines().skip(1).map(str::to_owned).collect();
        assert_eq!(got, expected, "{day}");
    }
    assert!(of_archive >= 10, "{of_archive} copies of the archive");
    let info = corpus(&["index", "info", &idx, "--json"]);
    let info: serde_json::Value = serde_json::from_str(&info.stdout).expect("JSON");
    assert_eq!(info["generation"], 3);
    assert_eq!(info["last_date"], "1987-03-18");
    let verify = corpus(&["index", "verify", &idx]);
    assert_eq!(verify.code, 0, "{}", verify.render());
    assert!(
        verify.stdout.contains("every checksum matches"),
        "{}",
        verify.render()
    );
}

/// An index of the small wire corpus, in a scratch folder.
fn small_index() -> (tempfile::TempDir, String) {
    let (dir, idx) = scratch("wire.idx");
    let run = corpus(&[
        "index",
        "build",
        "--preset",
        "news",
        "testdata/views/wire.jsonl",
        "-q",
        "-o",
        &idx,
    ]);
    assert_eq!(run.code, 0, "{}", run.render());
    (dir, idx)
}

fn against(idx: &str, more: &[&str]) -> crate::Run {
    let mut args = vec!["dedup", "--against", idx, "testdata/views/wire.jsonl"];
    args.extend(more);
    corpus(&args)
}

#[test]
fn every_kind_of_bad_index_is_refused_by_name() {
    let (dir, idx) = small_index();
    let good = std::fs::read(&idx).expect("written");
    against(&idx, &["-q"]).assert_stderr(0, "");
    let bad = |bytes: &[u8], what: &str| {
        std::fs::write(&idx, bytes).expect("written");
        against(&idx, &["-q"]).assert_stderr(2, what);
        let verify = corpus(&["index", "verify", &idx]);
        verify.assert_stderr(2, what);
    };
    bad(
        b"{\"id\": \"a\", \"text\": \"not an index\"}\n",
        "not a corpus dedup index",
    );
    bad(&good[..good.len() / 2], "truncated");
    bad(&good[..10], "not a corpus dedup index");
    let mut flipped = good.clone();
    flipped[good.len() / 3] ^= 0xFF;
    bad(&flipped, "corrupt");
    let mut version = good.clone();
    version[19] = 99;
    bad(&version, "index version 99; this build reads version 2");
    let mut trailer = good.clone();
    let at = good.len() - 30;
    trailer[at] ^= 0xFF;
    bad(&trailer, "corrupt");
    std::fs::write(&idx, &good).expect("written");
    // Other options than the index's, named.
    against(&idx, &["--preset", "web", "-q"]).assert_stderr(
        2,
        "made with other options than these: ngram: 2 in the index, 5 here",
    );
    against(&idx, &["--keep", "first", "-q"])
        .assert_stderr(2, "keep: earliest in the index, first here");
    // A missing index is not made up.
    let missing = dir.path().join("none.idx");
    against(&missing.to_string_lossy(), &["-q"]).assert_stderr(2, "none.idx");
}

#[test]
fn a_second_writer_is_refused_while_readers_go_on() {
    let (_dir, idx) = small_index();
    let lock = corpus_dedup::IndexLock::acquire(&idx).expect("the lock");
    against(&idx, &["--update", "-q"]).assert_stderr(2, "another process is updating it");
    against(&idx, &["-q"]).assert_stderr(0, "");
    drop(lock);
    against(&idx, &["--update", "-q"]).assert_stderr(0, "");
    let info = corpus(&["index", "info", &idx, "--json"]);
    let info: serde_json::Value = serde_json::from_str(&info.stdout).expect("JSON");
    assert_eq!(info["generation"], 2);
}

/// `kill -9` at any moment of an update leaves an index that reads whole: the previous
/// generation, or the next one complete.
#[cfg(unix)]
#[test]
fn an_update_killed_at_any_moment_leaves_a_whole_index() {
    let Some(reuters) = reuters() else {
        eprintln!("skipped: the shared corpora are not here");
        return;
    };
    let (_dir, idx) = scratch("archive.idx");
    build_index(&reuters, "1987-04-30", &idx);
    let before = std::fs::read(&idx).expect("written");
    for wait in [5, 50, 150, 300, 500, 800] {
        let mut child = crate::command_in(
            &root(),
            &[
                "dedup",
                "--against",
                &idx,
                "--update",
                &reuters,
                "--since",
                "1987-05-01",
                "-q",
            ],
        )
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("runs");
        std::thread::sleep(std::time::Duration::from_millis(wait));
        let _ = child.kill();
        let _ = child.wait();
        let verify = corpus(&["index", "verify", &idx]);
        assert_eq!(
            verify.code,
            0,
            "killed after {wait} ms: {}",
            verify.render()
        );
        let now = std::fs::read(&idx).expect("there");
        if now != before {
            // The update was complete: the next generation, whole.
            let info = corpus(&["index", "info", &idx, "--json"]);
            assert!(
                info.stdout.contains("\"generation\": 2"),
                "{}",
                info.render()
            );
            std::fs::write(&idx, &before).expect("put back");
        }
    }
    // An update after a killed one runs (its half-written file is replaced).
    against_reuters_update(&idx, &reuters).assert_stderr(0, "");
}

fn against_reuters_update(idx: &str, reuters: &str) -> crate::Run {
    corpus(&[
        "dedup",
        "--against",
        idx,
        "--update",
        reuters,
        "--since",
        "1987-05-01",
        "-q",
    ])
}

/// A disk that fills during an update: the update fails (exit 2), the index is as it was and
/// nothing is left beside it. Needs a small tmpfs, mounted as root.
#[cfg(target_os = "linux")]
#[test]
fn an_update_on_a_full_disk_leaves_the_index_as_it_was() {
    let Some(reuters) = reuters() else {
        eprintln!("skipped: the shared corpora are not here");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=6m", "tmpfs"])
        .arg(dir.path())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: no tmpfs can be mounted here (not root)");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(dir.path());
    let idx = dir
        .path()
        .join("archive.idx")
        .to_string_lossy()
        .into_owned();
    build_index(&reuters, "1987-03-16", &idx);
    let before = std::fs::read(&idx).expect("written");
    let run = corpus_in(
        &root(),
        &[
            "dedup",
            "--against",
            &idx,
            "--update",
            &reuters,
            "--since",
            "1987-03-17",
            "-q",
        ],
        None,
    );
    run.assert_stderr(2, "No space left on device");
    assert_eq!(std::fs::read(&idx).expect("there"), before);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("listed")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, ["archive.idx", "archive.idx.lock"]);
    corpus(&["index", "verify", &idx]).assert_stderr(0, "");
}

/// The same index bytes at any thread count, built and updated.
#[test]
fn an_index_is_the_same_at_any_thread_count() {
    let (dir, _) = scratch("x");
    let idx = |threads: &str| {
        let path = dir.path().join(format!("t{threads}.idx"));
        let path = path.to_string_lossy().into_owned();
        let build = corpus(&[
            "--threads",
            threads,
            "index",
            "build",
            "--preset",
            "news",
            "testdata/views/wire.jsonl",
            "--until",
            "1987-03-02",
            "-q",
            "-o",
            &path,
        ]);
        assert_eq!(build.code, 0, "{}", build.render());
        let update = corpus(&[
            "--threads",
            threads,
            "dedup",
            "--against",
            &path,
            "--update",
            "testdata/views/wire.jsonl",
            "--since",
            "1987-03-03",
            "-q",
        ]);
        assert_eq!(update.code, 0, "{}", update.render());
        std::fs::read(&path).expect("written")
    };
    let one = idx("1");
    assert_eq!(one, idx("2"));
    assert_eq!(one, idx("4"));
}

#[test]
fn compaction_keeps_an_index_whole_and_refuses_less_than_the_window() {
    let (_dir, idx) = small_index();
    corpus(&["index", "compact", &idx, "--keep-days", "2"])
        .assert_stderr(2, "the days kept must be at least the window's");
    let run = corpus(&["index", "compact", &idx, "--keep-days", "3", "--json"]);
    run.assert_stderr(0, "compacted");
    let info: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(info["generation"], 2);
    assert_eq!(info["segments"], 1);
    corpus(&["index", "verify", &idx]).assert_stderr(0, "");
    against(&idx, &["-q"]).assert_stderr(0, "");
}

/// The views count only what is new with `--against`: the day's copies of the archive (and of
/// its own) are left out, with the index's options.
#[test]
fn views_against_the_archive_count_only_what_is_new() {
    let Some(reuters) = reuters() else {
        eprintln!("skipped: the shared corpora are not here");
        return;
    };
    let (_dir, idx) = scratch("archive.idx");
    build_index(&reuters, "1987-03-16", &idx);
    let day = ["--since", "1987-03-17", "--until", "1987-03-17", "--json"];
    let count = |more: &[&str]| {
        let mut args = vec!["kwic", "--count", "oil", &reuters];
        args.extend(day);
        args.extend(more);
        let run = corpus(&args);
        assert_eq!(run.code, 0, "{}", run.render());
        let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        (json, run.stderr)
    };
    // The documents with a hit, from the summary: `N hits in M documents`.
    let docs = |said: &str| -> u64 {
        let at = said.find(" hits in ").expect("a summary") + " hits in ".len();
        said[at..]
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a count")
    };
    let (_, all) = count(&[]);
    let (_, new) = count(&["--against", &idx]);
    assert!(new.contains("copies left out (--against)"), "{new}");
    let (_, own) = count(&["--dedup", "news"]);
    // The day's own copies are left out, and its copies of the archive too.
    assert!(docs(&own) < docs(&all), "{own}");
    assert!(docs(&new) < docs(&own), "{new}");
}

/// Compacting two generations into one keeps where each archived kept copy was read: the
/// next day's cluster rows (archived paths and lines included) are those of the index not
/// compacted.
#[test]
fn a_compacted_index_names_archived_copies_where_they_were_read() {
    let Some(reuters) = reuters() else {
        eprintln!("skipped: the shared corpora are not here");
        return;
    };
    let (dir, plain) = scratch("plain.idx");
    let compacted = dir
        .path()
        .join("compacted.idx")
        .to_string_lossy()
        .into_owned();
    let mut rows = Vec::new();
    for idx in [&plain, &compacted] {
        build_index(&reuters, "1987-03-15", idx);
        let day = ["--since", "1987-03-16", "--until", "1987-03-16", "-q"];
        let mut args = vec!["dedup", "--against", idx.as_str(), "--update", &reuters];
        args.extend(day);
        corpus(&args).assert_stderr(0, "");
        if idx == &compacted {
            corpus(&["index", "compact", idx, "--keep-days", "3"]).assert_stderr(0, "compacted");
        }
        let out = dir.path().join(format!("{}.csv", rows.len()));
        let out = out.to_string_lossy().into_owned();
        let run = corpus(&[
            "dedup",
            "--against",
            idx,
            &reuters,
            "--since",
            "1987-03-17",
            "--until",
            "1987-03-17",
            "-q",
            "--clusters",
            &out,
        ]);
        assert_eq!(run.code, 0, "{}", run.render());
        rows.push(std::fs::read_to_string(&out).expect("written"));
    }
    assert!(rows[0].contains(",1987-03-16,"), "archived rows are there");
    assert_eq!(rows[0], rows[1]);
}

/// `corpus report --against` counts only what is new: the figures leave out the copies of the
/// archive and of the documents' own stories, and the largest clusters include the one an
/// archived document keeps, with its id and date as indexed.
#[test]
fn a_report_against_the_archive_counts_only_what_is_new() {
    let (dir, idx) = scratch("dedup.idx");
    let run = corpus(&[
        "index",
        "build",
        "--preset",
        "news",
        "testdata/dedup",
        "-q",
        "-o",
        &idx,
    ]);
    assert_eq!(run.code, 0, "{}", run.render());
    let page = dir.path().join("new.html").to_string_lossy().into_owned();
    let report = |more: &[&str]| {
        let mut args = vec![
            "report",
            "testdata/views/wire.jsonl",
            "testdata/dedup/story_exact_copy.txt",
            "-o",
            &page,
            "--json",
            "-q",
        ];
        args.extend(more);
        let run = corpus(&args);
        assert_eq!(run.code, 0, "{}", run.render());
        serde_json::from_str::<serde_json::Value>(&run.stdout).expect("JSON")
    };
    let all = report(&[]);
    let new = report(&["--against", &idx]);
    let counted = |page: &serde_json::Value| page["stats"]["counts"]["documents"].clone();
    assert_eq!(counted(&all), 13);
    // The 4 copies of the wire's own stories and the copy of the archived story are left out.
    assert_eq!(new["dedup"]["archive"]["archive_copies"], 1, "{new}");
    assert_eq!(new["dedup"]["archive"]["own_copies"], 4, "{new}");
    assert_eq!(counted(&new), 8);
    assert_eq!(counted(&new), new["dedup"]["kept"]);
    let archived = new["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .find(|c| c["kept"] == "story_original")
        .unwrap_or_else(|| panic!("no cluster of the archived story: {new}"));
    // The archived kept copy and its copy; dated as indexed.
    assert_eq!(archived["documents"], 2, "{archived}");
    assert_eq!(archived["date"], "2021-03-01", "{archived}");
    let html = std::fs::read_to_string(&page).expect("written");
    assert!(html.contains("copies found against the archive"), "{html}");
    // Its options are the index's: naming a preset too is refused.
    let both = corpus(&[
        "report",
        "testdata/views/wire.jsonl",
        "-o",
        &page,
        "--against",
        &idx,
        "--dedup",
        "web",
    ]);
    assert_eq!(both.code, 2, "{}", both.render());
}

/// `--field meta.outlet` names each document by its outlet: a last column of the clusters,
/// kept in the index, so a day against it says which outlet's archived story a copy copies;
/// the rows are one run's. Another field against the index is refused.
#[test]
fn an_index_names_archived_copies_by_the_field_asked() {
    let (dir, idx) = scratch("outlets.idx");
    let file = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let wire = std::fs::read_to_string(root().join("testdata/views/wire.jsonl")).expect("fixture");
    let (mut first, mut next) = (String::new(), String::new());
    for (i, line) in wire.lines().enumerate() {
        let mut doc: serde_json::Value = serde_json::from_str(line).expect("JSON");
        doc["outlet"] = ["Courier", "Herald", "Gazette"][i % 3].into();
        let out = if i < 3 { &mut first } else { &mut next };
        out.push_str(&doc.to_string());
        out.push('\n');
    }
    std::fs::write(file("first.jsonl"), first).expect("written");
    std::fs::write(file("next.jsonl"), next).expect("written");
    let (first, next) = (file("first.jsonl"), file("next.jsonl"));
    let field = ["--field", "meta.outlet"];
    let mut build = vec![
        "index", "build", "--preset", "news", "-q", "-o", &idx, &first,
    ];
    build.extend(field);
    let run = corpus(&build);
    assert_eq!(run.code, 0, "{}", run.render());
    let info = corpus(&["index", "info", &idx, "--json"]);
    let info: serde_json::Value = serde_json::from_str(&info.stdout).expect("JSON");
    assert_eq!(info["field"], "meta.outlet");

    let (one, day) = (file("one.csv"), file("day.csv"));
    let mut args = vec!["dedup", "--preset", "news", "-q", "--clusters", &one];
    args.extend(field);
    args.extend([first.as_str(), next.as_str()]);
    let run = corpus(&args);
    assert_eq!(run.code, 0, "{}", run.render());
    // No --field: the index's.
    let run = corpus(&["dedup", "--against", &idx, "-q", &next, "--clusters", &day]);
    assert_eq!(run.code, 0, "{}", run.render());
    let one = std::fs::read_to_string(&one).expect("written");
    let day = std::fs::read_to_string(&day).expect("written");
    assert_eq!(
        day.lines().next(),
        Some("cluster,document,kept,similarity,reason,date,path,line,meta.outlet")
    );
    let ids: Vec<String> = std::fs::read_to_string(&next)
        .expect("written")
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("JSON")["id"]
                .as_str()
                .expect("an id")
                .to_owned()
        })
        .collect();
    let expected = rows_of_day(&one, &ids);
    let got: Vec<String> = day.lines().skip(1).map(str::to_owned).collect();
    assert_eq!(got, expected);
    // The archived story, named by its outlet, and its copies of the day by theirs.
    assert!(
        got.iter()
            .any(|r| r.starts_with("wire-001,wire-001,true,") && r.ends_with(",Courier")),
        "{day}"
    );
    assert!(
        got.iter()
            .any(|r| r.starts_with("wire-001,wire-001-copy2,false,")),
        "{day}"
    );

    let other = corpus(&[
        "dedup",
        "--against",
        &idx,
        "-q",
        &next,
        "--field",
        "meta.section",
    ]);
    assert_eq!(other.code, 2, "{}", other.render());
    assert!(other.stderr.contains("meta.outlet"), "{}", other.render());
}
