//! Sharded dedup: the four stages (signatures, pairs, clusters, kept) and a merge give one
//! run's summary, kept documents, clusters and lines, byte for byte; a failed task runs again;
//! a task of another run, a corrupt part-file, a stage not done are each refused (exit 1),
//! naming the file, with nothing written.

use std::fs;
use std::path::Path;

use crate::{corpus, corrupt, reuters_unpacked};

/// stdout, stderr, the kept documents, the clusters and the lines of a single run (`None`)
/// or of the merge of `run`.
fn outputs(
    options: &[&str],
    inputs: &[&str],
    run: Option<&str>,
    out: &Path,
) -> Vec<(String, Vec<u8>)> {
    let _ = fs::remove_dir_all(out);
    fs::create_dir_all(out).expect("folder");
    let file = |name: &str| out.join(name).to_string_lossy().into_owned();
    let (kept, clusters, lines) = (file("kept.jsonl"), file("clusters.csv"), file("lines.csv"));
    let mut args = vec![
        "dedup",
        "--json",
        "-o",
        &kept,
        "--clusters",
        &clusters,
        "--lines",
        &lines,
    ];
    args.extend(options);
    match run {
        Some(run) => args.extend(["--merge", "--run", run]),
        None => args.extend(inputs),
    }
    let done = corpus(&args);
    assert_eq!(done.code, 0, "{args:?}: {}", done.render());
    let mut all = vec![
        ("stdout".to_owned(), done.stdout.into_bytes()),
        ("stderr".to_owned(), done.stderr.into_bytes()),
    ];
    for name in ["kept.jsonl", "clusters.csv", "lines.csv"] {
        all.push((name.to_owned(), fs::read(out.join(name)).expect("written")));
    }
    all
}

fn task(run: &str, stage: &str, i: u32, n: u32, options: &[&str], inputs: &[&str]) -> crate::Run {
    let shard = format!("{i}/{n}");
    let mut args = vec!["dedup", "-q", "--run", run, "--stage", stage];
    if stage != "clusters" {
        args.extend(["--shard", &shard]);
    }
    args.extend(options);
    if matches!(stage, "signatures" | "kept") {
        args.extend(inputs);
    }
    corpus(&args)
}

/// Every stage's tasks, in order.
fn stages(run: &str, n: u32, options: &[&str], inputs: &[&str]) {
    for stage in ["signatures", "pairs", "clusters", "kept"] {
        let tasks = if stage == "clusters" { 1 } else { n };
        for i in 0..tasks {
            let t = task(run, stage, i, n, options, inputs);
            assert_eq!(t.code, 0, "{stage} {i}/{n}: {}", t.render());
        }
    }
}

fn assert_same(merged: &[(String, Vec<u8>)], single: &[(String, Vec<u8>)], what: &str) {
    assert_eq!(merged.len(), single.len());
    for ((name, a), (_, b)) in merged.iter().zip(single) {
        assert!(
            a == b,
            "{what}: {name} differs:\n{}\n---\n{}",
            String::from_utf8_lossy(&a[..a.len().min(2000)]),
            String::from_utf8_lossy(&b[..b.len().min(2000)])
        );
    }
}

#[test]
fn dedup_stages_merged_are_one_run_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    // `testdata/parser` has problems and an id twice, in files of different shards.
    let small = ["testdata/dedup", "testdata/parser"];
    let cases: [&[&str]; 3] = [
        &["--preset", "news", "--field", "meta.outlet"],
        &["--min-docs", "2", "--strip-lines"],
        &["--key", "id", "--keep", "longest", "--threshold", "0.5"],
    ];
    for options in cases {
        let single = outputs(options, &small, None, &dir.path().join("single"));
        for n in [1, 3, 8] {
            let run = dir.path().join(format!("run-{n}-{}", options.join("")));
            let run = run.to_str().expect("utf-8");
            stages(run, n, options, &small);
            let merged = outputs(options, &[], Some(run), &dir.path().join("merged"));
            assert_same(&merged, &single, &format!("{options:?}, {n} shards"));
        }
    }
    // The Reuters articles in 3 shards, with the news preset: rewrites, cuts, wire copies.
    if let Some(unpacked) = reuters_unpacked(dir.path()) {
        let inputs = [unpacked.to_str().expect("utf-8")];
        let options = ["--preset", "news"];
        let single = outputs(&options, &inputs, None, &dir.path().join("single"));
        let run = dir.path().join("run-reuters");
        let run = run.to_str().expect("utf-8");
        stages(run, 3, &options, &inputs);
        let merged = outputs(&options, &[], Some(run), &dir.path().join("merged"));
        assert_same(&merged, &single, "Reuters, 3 shards");
    }
}

#[test]
fn failed_dedup_tasks_run_again_and_bad_parts_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = ["testdata/dedup", "testdata/parser/problems"];
    let options = ["--preset", "news"];
    let single = outputs(&options, &inputs, None, &dir.path().join("single"));
    let run_dir = dir.path().join("run");
    let run = run_dir.to_str().expect("utf-8");
    for i in [0, 2] {
        assert_eq!(task(run, "signatures", i, 3, &options, &inputs).code, 0);
    }
    // Signatures task 1 was killed mid-run: half-written files, no marker. The next stage
    // refuses to start, naming what is missing.
    let partial = run_dir.join("signatures/.00001.partial");
    fs::create_dir_all(&partial).expect("folder");
    fs::write(partial.join("shard.part"), b"corpus-dedup part\n\x01").expect("written");
    let status = corpus(&["status", "--run", run]);
    assert_eq!(status.code, 1, "{}", status.render());
    assert!(
        status
            .stdout
            .contains("--stage signatures: 2 of 3 tasks done")
            && status.stdout.contains("resubmit: sbatch --array=1 "),
        "{}",
        status.stdout
    );
    let early = task(run, "pairs", 0, 3, &options, &inputs);
    early.assert_stderr(2, "1 of 3 tasks of the signatures stage are not done (1)");
    // Resubmitted, it completes the stage; a task done already is skipped.
    assert_eq!(task(run, "signatures", 1, 3, &options, &inputs).code, 0);
    let again = task(run, "signatures", 0, 3, &options, &inputs);
    assert_eq!(again.code, 0);
    // A task of another run: refused, naming what differs.
    let other = task(run, "pairs", 0, 3, &["--preset", "web"], &inputs);
    assert_eq!(other.code, 2, "{}", other.render());
    assert!(
        other.stderr.contains("manifest.json") && other.stderr.contains("options.dedup."),
        "{}",
        other.stderr
    );
    for i in 0..3 {
        assert_eq!(task(run, "pairs", i, 3, &options, &inputs).code, 0);
    }
    // A corrupt pairs part: the clusters stage refuses it, naming the file.
    let part = run_dir.join("pairs/00001/pairs.part");
    let good = corrupt(&part);
    let refused = task(run, "clusters", 0, 1, &options, &inputs);
    refused.assert_stderr(2, "00001/pairs.part: corrupt");
    fs::write(&part, &good).expect("written");
    assert_eq!(task(run, "clusters", 0, 1, &options, &inputs).code, 0);
    assert_eq!(task(run, "kept", 0, 3, &options, &inputs).code, 0);
    // The merge with a kept task missing: refused, nothing written.
    let out = dir.path().join("nothing.jsonl");
    let out_arg = out.to_str().expect("utf-8");
    let merge = corpus(&[
        "dedup", "--preset", "news", "--merge", "--run", run, "-o", out_arg,
    ]);
    merge.assert_stderr(2, "2 of 3 tasks of the kept stage are not done (1-2)");
    assert!(!out.exists(), "nothing is written");
    for i in 1..3 {
        assert_eq!(task(run, "kept", i, 3, &options, &inputs).code, 0);
    }
    let merged = outputs(&options, &[], Some(run), &dir.path().join("merged"));
    assert_same(&merged, &single, "after a resubmitted task");
    assert_eq!(corpus(&["status", "--run", run]).code, 0);
    // A truncated kept part: the merge names it.
    let kept = run_dir.join("kept/00002/kept.jsonl");
    let bytes = fs::read(&kept).expect("kept");
    fs::write(&kept, &bytes[..bytes.len() / 2]).expect("written");
    let merge = corpus(&["dedup", "--preset", "news", "--merge", "--run", run]);
    merge.assert_stderr(2, "00002/kept.jsonl: truncated");
}

/// A sharded run writes at its merge the index one run writes (`--write-index`, byte for
/// byte that of `corpus index build` and of `corpus dedup --write-index`), and a sharded run against it (`--against` at every
/// stage, `--update` at the merge) gives the outputs and the extended index of one run
/// against it: the Reuters articles split in two folders (the archive, the next documents),
/// or the small corpora when the shared ones are not here.
#[test]
fn sharded_runs_write_and_extend_the_index_of_one_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (archive, today) = match reuters_unpacked(dir.path()) {
        Some(unpacked) => {
            // The second half of the files (and a copy of the first half's first file) is
            // what comes next.
            let (first, next) = (dir.path().join("first"), dir.path().join("next"));
            fs::create_dir_all(&next).expect("folder");
            let mut files: Vec<_> = fs::read_dir(unpacked.join("reuters-articles"))
                .expect("unpacked")
                .map(|e| e.expect("entry").path())
                .collect();
            files.sort();
            let half = files.len() / 2;
            fs::copy(&files[0], next.join("again.txt")).expect("copied");
            for f in &files[half..] {
                fs::rename(f, next.join(f.file_name().expect("a name"))).expect("moved");
            }
            fs::rename(unpacked.join("reuters-articles"), &first).expect("moved");
            (vec![path("first")], vec![path("next")])
        }
        None => (
            vec!["testdata/dedup".to_owned()],
            vec![
                "testdata/parser/ok".to_owned(),
                "testdata/dedup/story_original.txt".to_owned(),
            ],
        ),
    };
    let archive: Vec<&str> = archive.iter().map(String::as_str).collect();
    let today: Vec<&str> = today.iter().map(String::as_str).collect();
    let options = ["--preset", "news"];

    let (built, one_idx) = (path("built.idx"), path("one.idx"));
    let mut args = vec!["index", "build", "-q", "-o", &built];
    args.extend(options);
    args.extend(&archive);
    let run = corpus(&args);
    assert_eq!(run.code, 0, "{}", run.render());
    fs::copy(&built, &one_idx).expect("copied");
    // One run writes it too, beside its outputs.
    let written = path("written.idx");
    let mut args = vec!["dedup", "-q", "--write-index", &written];
    args.extend(options);
    args.extend(&archive);
    let run = corpus(&args);
    assert_eq!(run.code, 0, "{}", run.render());
    assert!(
        fs::read(&built).expect("built") == fs::read(&written).expect("written"),
        "dedup --write-index is not index build"
    );

    // The archive in 3 shards, its index written at the merge.
    let (archive_run, sharded_idx) = (path("archive-run"), path("sharded.idx"));
    stages(&archive_run, 3, &options, &archive);
    let mut args = vec!["dedup", "-q", "--run", &archive_run, "--merge"];
    args.extend(["--write-index", &sharded_idx]);
    args.extend(options);
    let run = corpus(&args);
    assert_eq!(run.code, 0, "{}", run.render());
    assert!(
        fs::read(&built).expect("built") == fs::read(&sharded_idx).expect("written"),
        "the sharded run's index is not index build's"
    );

    // The next documents against each index, in one run and in 3 shards, with --update.
    let mut one = options.to_vec();
    one.extend(["--against", &one_idx, "--update"]);
    let single = outputs(&one, &today, None, &dir.path().join("single"));
    let today_run = path("today-run");
    let with_index = ["--against", sharded_idx.as_str()];
    stages(&today_run, 3, &with_index, &today);
    let mut merge = with_index.to_vec();
    merge.push("--update");
    let merged = outputs(&merge, &[], Some(&today_run), &dir.path().join("merged"));
    // The summaries name the index they read: the same but for its name.
    let renamed: Vec<(String, Vec<u8>)> = merged
        .into_iter()
        .map(|(name, bytes)| {
            let text = String::from_utf8_lossy(&bytes).replace("sharded.idx", "one.idx");
            (name, text.into_bytes())
        })
        .collect();
    assert_same(&renamed, &single, "against the archive, 3 shards");
    let summary: serde_json::Value =
        serde_json::from_slice(&single[0].1).expect("the summary in JSON");
    assert!(
        summary["archive"]["archive_copies"].as_u64() >= Some(1),
        "{summary}"
    );
    assert!(
        fs::read(&one_idx).expect("updated") == fs::read(&sharded_idx).expect("updated"),
        "the sharded run's update is not one run's"
    );

    // The stages refuse to write the index; the merge refuses an index moved on since.
    let t = task(&today_run, "pairs", 0, 3, &merge, &[]);
    assert_eq!(t.code, 2, "{}", t.render());
    assert!(t.stderr.contains("at --merge"), "{}", t.render());
    let again = corpus(&[
        "dedup",
        "-q",
        "--run",
        &today_run,
        "--merge",
        "--against",
        &sharded_idx,
    ]);
    assert_eq!(again.code, 2, "{}", again.render());
}
