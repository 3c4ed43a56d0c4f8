//! Sharded stats: N tasks and a merge give the summary and reports of one run, byte for byte;
//! a task of another run, a corrupt or truncated part-file, a missing shard are each refused
//! (exit 2), naming the file, with nothing merged; a killed task's shard runs again.

use std::fs;
use std::path::Path;

use crate::{corpus, corrupt, reuters_unpacked};

/// `stats --json` and every `--csv` report, as bytes, of a single run or a merge.
fn reports(args: &[&str], csv: &Path) -> Vec<(String, Vec<u8>)> {
    let _ = fs::remove_dir_all(csv);
    let csv_arg = csv.to_str().expect("utf-8");
    let run = corpus(&[&["stats", "--json", "--csv", csv_arg][..], args].concat());
    assert_eq!(run.code, 0, "{args:?}: {}", run.render());
    // The problems and the summary line on stderr too, but where the reports went.
    let stderr = run.stderr.replace(csv_arg, "DIR");
    let mut out = vec![
        ("stdout".to_owned(), run.stdout.into_bytes()),
        ("stderr".to_owned(), stderr.into_bytes()),
    ];
    let mut names: Vec<_> = fs::read_dir(csv)
        .expect("reports")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let bytes = fs::read(csv.join(&name)).expect("report");
        out.push((name, bytes));
    }
    out
}

fn shard(run: &str, i: u32, n: u32, inputs: &[&str]) -> crate::Run {
    let shard = format!("{i}/{n}");
    corpus(
        &[
            &["stats", "-q", "--shard", &shard, "--run", run][..],
            inputs,
        ]
        .concat(),
    )
}

fn assert_same(merged: &[(String, Vec<u8>)], single: &[(String, Vec<u8>)], what: &str) {
    let names = |r: &[(String, Vec<u8>)]| r.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(merged), names(single), "{what}");
    for ((name, a), (_, b)) in merged.iter().zip(single) {
        assert!(a == b, "{what}: {name} differs");
    }
}

#[test]
fn shards_merged_are_one_run_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    // `testdata/parser` has an id twice, in files of different shards: the merge warns of it
    // where one run does.
    let mut inputs = vec!["testdata/dedup".to_owned(), "testdata/parser".to_owned()];
    if let Some(unpacked) = reuters_unpacked(dir.path()) {
        inputs.push(unpacked.to_string_lossy().into_owned());
    }
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let single = reports(&inputs, &dir.path().join("single"));
    for n in [1, 3, 8] {
        let run = dir.path().join(format!("run-{n}"));
        let run = run.to_str().expect("utf-8");
        for i in 0..n {
            let task = shard(run, i, n, &inputs);
            assert_eq!(task.code, 0, "{}", task.render());
        }
        let merged = reports(&["--merge", "--run", run], &dir.path().join("merged"));
        assert_same(&merged, &single, &format!("{n} shards"));
    }
}

#[test]
fn failed_shards_are_run_again_and_bad_parts_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = ["testdata/dedup", "testdata/parser/problems"];
    let single = reports(&inputs, &dir.path().join("single"));
    let run_dir = dir.path().join("run");
    let run = run_dir.to_str().expect("utf-8");
    for i in [0, 2] {
        assert_eq!(shard(run, i, 3, &inputs).code, 0);
    }
    // Shard 1 was killed mid-run: its half-written files are there, no marker.
    let partial = run_dir.join("shards/.00001.partial");
    fs::create_dir_all(&partial).expect("folder");
    fs::write(partial.join("stats.part"), b"corpus-stats part\n\x01").expect("written");
    let status = corpus(&["status", "--run", run]);
    assert_eq!(status.code, 1, "{}", status.render());
    assert!(status.stdout.contains("1 of 3") || status.stdout.contains("2 of 3"));
    assert!(
        status.stdout.contains("resubmit: sbatch --array=1 "),
        "{}",
        status.stdout
    );
    let missing = corpus(&["status", "--run", run, "--missing"]);
    assert_eq!(missing.stdout, "1\n");
    let merge = corpus(&["stats", "--merge", "--run", run, "--json"]);
    merge.assert_stderr(2, "1 of 3 shards are not done (1)");
    assert!(merge.stdout.is_empty());
    // Submitted again, it completes the run; a shard done already is skipped.
    assert_eq!(shard(run, 1, 3, &inputs).code, 0);
    let again = corpus(&[
        "stats", "--shard", "0/3", "--run", run, inputs[0], inputs[1],
    ]);
    assert!(
        again.stderr.contains("is done already"),
        "{}",
        again.render()
    );
    let merged = reports(&["--merge", "--run", run], &dir.path().join("merged"));
    assert_same(&merged, &single, "after a resubmitted shard");
    assert_eq!(corpus(&["status", "--run", run]).code, 0);

    // A task of another run: refused, naming what differs.
    let other = corpus(&[
        "stats",
        "--shard",
        "1/3",
        "--run",
        run,
        "--stopwords",
        "none",
        inputs[0],
        inputs[1],
    ]);
    assert_eq!(other.code, 2, "{}", other.render());
    assert!(
        other.stderr.contains("manifest.json") && other.stderr.contains("options.stopwords"),
        "{}",
        other.stderr
    );
    let fewer = corpus(&[
        "stats", "--shard", "1/4", "--run", run, inputs[0], inputs[1],
    ]);
    fewer.assert_stderr(2, "shards: this task has 4, the run has 3");

    // A corrupt part, then a truncated one: refused, naming the file; nothing merged.
    let part = run_dir.join("shards/00001/stats.part");
    let good = corrupt(&part);
    let out = dir.path().join("nothing");
    let out_arg = out.to_str().expect("utf-8");
    let merge = corpus(&["stats", "--merge", "--run", run, "--csv", out_arg]);
    merge.assert_stderr(2, "00001/stats.part: corrupt");
    assert!(!out.exists(), "nothing is written");
    fs::write(&part, &good[..good.len() - 10]).expect("written");
    let merge = corpus(&["stats", "--merge", "--run", run]);
    merge.assert_stderr(2, "00001/stats.part: truncated");
}

#[test]
fn a_scheduler_array_index_picks_the_shard() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = dir.path().join("run");
    let run = run.to_str().expect("utf-8");
    let root = crate::root();
    // Task 1 comes as a resubmission, an array of one (`--array=1`): the run's manifest
    // says how many shards there are.
    for (i, array) in [(0, "2"), (1, "1")] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_corpus"))
            .current_dir(&root)
            .env("SLURM_ARRAY_TASK_ID", i.to_string())
            .env("SLURM_ARRAY_TASK_COUNT", array)
            .args(["stats", "--run", run, "testdata/dedup"])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains(&format!("shard {i}/2 (SLURM_ARRAY_TASK_ID)")),
            "{stderr}"
        );
    }
    assert_eq!(corpus(&["status", "--run", run]).code, 0);
    let lost = corpus(&["stats", "--run", run, "testdata/dedup"]);
    lost.assert_stderr(2, "needs --shard I/N");
}

/// What once wedged a run or merged wrong counts with exit 0: two tasks on one shard, an input
/// that grew between tasks, swapped or foreign markers, markers naming files outside their
/// shard, merge outputs inside the run, a private manifest, an absurd number of shards.
#[test]
fn a_run_refuses_what_would_wedge_it_and_says_how_to_recover() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("wire.jsonl");
    let lines: String = (0..40)
        .map(|i| format!("{{\"id\":\"d{i}\",\"text\":\"Story {i} of the day, told once.\"}}\n"))
        .collect();
    fs::write(&input, &lines).expect("written");
    let input = input.to_str().expect("utf-8");
    let run_dir = dir.path().join("run");
    let run = run_dir.to_str().expect("utf-8");
    assert_eq!(shard(run, 0, 2, &[input]).code, 0);

    // Another task holds shard 1 (its lock), as a resubmitted task still running does: a
    // second task is refused, and status says it runs rather than listing it to resubmit.
    let lock = fs::File::create(run_dir.join("shards/.00001.lock")).expect("lock file");
    lock.lock().expect("locked");
    let second = shard(run, 1, 2, &[input]);
    second.assert_stderr(2, "shard 1 is being run by another task now");
    let status = corpus(&["status", "--run", run]);
    assert!(
        status.stdout.contains("1 of 2 shards done, running: 1")
            && status.stdout.contains("wait for the tasks that run now"),
        "{}",
        status.stdout
    );
    assert_eq!(corpus(&["status", "--run", run, "--missing"]).stdout, "\n");
    drop(lock);
    assert_eq!(shard(run, 1, 2, &[input]).code, 0);
    let merged = corpus(&["stats", "-q", "--merge", "--run", run, "--json"]);
    assert_eq!(merged.code, 0, "{}", merged.render());

    // The manifest and markers are as readable as any file the umask lets be made.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let created = dir.path().join("plain");
        fs::write(&created, "").expect("written");
        let plain = fs::metadata(&created).expect("meta").permissions().mode() & 0o777;
        for f in ["manifest.json", "done/00000.json", "done/00001.json"] {
            let mode = fs::metadata(run_dir.join(f))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, plain, "{f}");
        }
    }

    let merge_fails = |extra: &[&str], why: &str| {
        let merge = corpus(&[&["stats", "-q", "--merge", "--run", run][..], extra].concat());
        assert_eq!(merge.code, 2, "{}", merge.render());
        assert!(merge.stderr.contains(why), "{why}: {}", merge.stderr);
        merge
    };
    // Outputs inside the run directory could replace its own files.
    let inside = run_dir.join("shards/00000");
    merge_fails(
        &["--csv", inside.to_str().expect("utf-8")],
        "inside the run directory",
    );
    let manifest = run_dir.join("manifest.json");
    merge_fails(
        &["--problems", manifest.to_str().expect("utf-8")],
        "inside the run directory",
    );

    // Swapped shard folders and markers: each marker names its shard.
    let swap = |a: &Path, b: &Path| {
        let t = dir.path().join("swap");
        fs::rename(a, &t).expect("moved");
        fs::rename(b, a).expect("moved");
        fs::rename(&t, b).expect("moved");
    };
    let (m0, m1) = (
        run_dir.join("done/00000.json"),
        run_dir.join("done/00001.json"),
    );
    let (s0, s1) = (run_dir.join("shards/00000"), run_dir.join("shards/00001"));
    swap(&m0, &m1);
    swap(&s0, &s1);
    let swapped = merge_fails(&[], "the marker of shard 1 of stage null, not of shard 0");
    assert!(
        swapped.stderr.contains("and run shard 0 again"),
        "{}",
        swapped.stderr
    );
    swap(&m0, &m1);
    swap(&s0, &s1);

    // A shard of another run of the same command and inputs: its marker is that run's.
    let other_dir = dir.path().join("other");
    let other = other_dir.to_str().expect("utf-8");
    assert_eq!(shard(other, 1, 2, &[input]).code, 0);
    let good_marker = fs::read(&m1).expect("marker");
    fs::copy(other_dir.join("done/00001.json"), &m1).expect("copied");
    merge_fails(&[], "the marker of another run");

    // A marker naming a file outside its shard's folder, or a device.
    let marker: serde_json::Value = serde_json::from_slice(&good_marker).expect("json");
    for name in ["../../manifest.json", "/dev/zero"] {
        let mut forged = marker.clone();
        let files = forged["files"].as_object_mut().expect("files");
        let first = files.keys().next().expect("a file").clone();
        let entry = files.remove(&first).expect("entry");
        files.insert(name.to_owned(), entry);
        fs::write(&m1, serde_json::to_vec(&forged).expect("json")).expect("written");
        merge_fails(&[], "not a file of the shard's folder");
    }
    fs::write(&m1, &good_marker).expect("written");
    assert_eq!(corpus(&["stats", "-q", "--merge", "--run", run]).code, 0);

    // The input grows after the run began: neither a task nor the merge goes on.
    let mut grown = lines.clone();
    grown.push_str("{\"id\":\"late\",\"text\":\"A story that came later.\"}\n");
    fs::write(input, grown).expect("written");
    merge_fails(&[], "changed since the run began");
    fs::remove_dir_all(run_dir.join("shards/00001")).expect("removed");
    fs::remove_file(&m1).expect("removed");
    let task = shard(run, 1, 2, &[input]);
    task.assert_stderr(2, "changed since the run began");

    // A count of shards that would keep a merge and status busy for hours.
    let huge = corpus(&["stats", "--shard", "0/4294967295", "--run", run, input]);
    huge.assert_stderr(2, "at most 100000 shards");
}

/// A folder holding a link to a folder above it: the input's stamp lists its one file, as the
/// reader's walk reads it once (followed without a guard, the link was walked again at every
/// level until the system refused a path of 40 links).
#[cfg(unix)]
#[test]
fn an_input_folder_with_a_link_loop_is_stamped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wire = dir.path().join("wire");
    fs::create_dir_all(wire.join("sub")).expect("folders");
    fs::write(wire.join("a.txt"), " date 2021-03-08 A story.\n").expect("written");
    std::os::unix::fs::symlink("..", wire.join("sub/up")).expect("a link");
    let run = dir.path().join("run");
    let (wire, run) = (wire.to_str().expect("utf-8"), run.to_str().expect("utf-8"));
    let task = shard(run, 0, 1, &[wire]);
    assert_eq!(task.code, 0, "{}", task.render());
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(Path::new(run).join("manifest.json")).expect("manifest"))
            .expect("json");
    assert_eq!(manifest["stamps"][wire]["files"], 1, "{manifest}");
    let merge = corpus(&["stats", "-q", "--merge", "--run", run, "--json"]);
    assert_eq!(merge.code, 0, "{}", merge.render());
}
